"""The site's URL scheme in one place. URLs are directory-style and relative to the site root."""

from __future__ import annotations

import functools
import ipaddress
import posixpath
from urllib.parse import urlsplit

# Facet kinds and their Dutch path segment on the site.
FACET_PATHS = {
    "departments": "diensten",
    "tools": "tools",
    "sources": "bronnen",
    "difficulties": "niveaus",
    "coaches": "digicoaches",
    "municipalities": "gemeenten",
}


def tip_url(slug: str) -> str:
    return f"tips/{slug}/"


def meeting_url(iso_date: str) -> str:
    return f"overleg/{iso_date}/"


def signal_url(slug: str) -> str:
    return f"signalen/{slug}/"


PATHS_URL = "leerpaden/"  # the overview of the learning paths


def path_url(slug: str) -> str:
    return f"{PATHS_URL}{slug}/"


def short_url(site_url: str, url: str) -> str:
    """An address to type over from paper: the site URL without its scheme, plus the page's URL."""
    base = site_url.split("://", 1)[-1]
    return (base if base.endswith("/") else base + "/") + url


def facet_url(kind: str, value_id: str | None = None) -> str:
    """Overview of a facet kind (value_id None) or the index page of one value."""
    base = FACET_PATHS[kind]
    return f"{base}/" if value_id is None else f"{base}/{value_id}/"


@functools.lru_cache(maxsize=65536)
def relative(from_url: str, to_url: str) -> str:
    """Relative link between two site URLs, so the site works under any sub-path of the intranet."""
    from_dir = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    target = posixpath.relpath("/" + to_url, "/" + from_dir)
    if to_url.endswith("/") and not target.endswith("/"):
        target += "/"
    return "./" if target in (".", "./") else target


def is_local_url(site_url: str | None) -> bool:
    """Whether the site's address is the developer's own machine (localhost, 127.x, ::1, 0.0.0.0): feeds,
    calendar invites and exports would send colleagues there."""
    try:
        host = (urlsplit(site_url or "").hostname or "").rstrip(".").lower()
    except ValueError:  # not a URL at all
        return True
    if host in ("", "localhost") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: the intranet's
    mapped = getattr(address, "ipv4_mapped", None) or address
    return mapped.is_loopback or mapped.is_unspecified
