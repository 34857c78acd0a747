"""Realistic access logs for the usage import's tests and benchmark: the same requests written as Apache
"combined", nginx "combined" (its own escaping) and IIS W3C extended (UTC, `#Fields:` changing mid-file).

Every name, address and number here is invented.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
EDGE = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Edg/131.0"
BOTS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
    "W3C-checklink/5.0 LinkChecker",
    "Zabbix monitor",
)
# Office fetching a link for its preview or to see whether the address exists: not a colleague reading.
OFFICE_AGENTS = (
    "Microsoft Office Existence Discovery",
    "Mozilla/4.0 (compatible; ms-office; MSOffice 16)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)",
    "Microsoft Office Word 2014",
    "Microsoft Office Excel 2014",
    "MSOffice 16",
)
IIS_FIELDS = (
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) "
    "sc-status sc-substatus sc-win32-status time-taken"
)
IIS_FIELDS_AFTER_RESTART = "date time c-ip cs-username cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent)"
# IIS behind a load balancer or proxy, with the request header logged as a custom field (IIS 8.5 and later).
IIS_FIELDS_FORWARDED = IIS_FIELDS + " X-Forwarded-For"


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    epoch: int  # UTC seconds
    client: str
    method: str
    target: str  # path?query, already percent-encoded as the browser sent it
    status: int
    agent: str
    user: str = "-"
    referer: str = "-"
    forwarded: str = "-"  # X-Forwarded-For as the proxy sent it ("10.20.3.14" or "10.20.3.14, 10.0.0.2")


def _split(target: str) -> tuple[str, str]:
    path, _, query = target.partition("?")
    return path, query or "-"


def combined_line(hit: Hit, nginx: bool = False, forwarded: bool = False) -> bytes:
    """Apache's or nginx's combined line, in the server's local time (Brussels); with `forwarded`, nginx's stock
    "main" format (combined plus "$http_x_forwarded_for")."""
    local = datetime.fromtimestamp(hit.epoch, BRUSSELS)
    stamp = local.strftime("%d/%b/%Y:%H:%M:%S %z")
    quote = "\\x22" if nginx else '\\"'
    agent = hit.agent.replace('"', quote)
    size = "0" if hit.status == 304 else "2326"
    return (
        f'{hit.client} - {hit.user} [{stamp}] "{hit.method} {hit.target} HTTP/1.1" {hit.status} {size} '
        f'"{hit.referer}" "{agent}"' + (f' "{hit.forwarded}"' if forwarded else "")
    ).encode()


def iis_line(hit: Hit, fields: str) -> bytes:
    """An IIS W3C line for the given `#Fields:` (UTC; a space in the agent is '+')."""
    moment = datetime.fromtimestamp(hit.epoch, UTC)
    path, query = _split(hit.target)
    values = {
        "date": moment.strftime("%Y-%m-%d"),
        "time": moment.strftime("%H:%M:%S"),
        "s-ip": "10.20.1.5",
        "cs-method": hit.method,
        "cs-uri-stem": path,
        "cs-uri-query": query,
        "s-port": "443",
        "cs-username": hit.user.replace(" ", "+"),
        "c-ip": hit.client,
        "cs(User-Agent)": hit.agent.replace(" ", "+") or "-",
        "cs(Referer)": hit.referer,
        "sc-status": str(hit.status),
        "sc-substatus": "0",
        "sc-win32-status": "0",
        "time-taken": "15",
        "X-Forwarded-For": hit.forwarded.replace(" ", "+"),
    }
    return " ".join(values[name] for name in fields.split()).encode()


def iis_lines(hits: Iterable[Hit], restart_every: int = 0, first_fields: str = IIS_FIELDS) -> Iterator[bytes]:
    """IIS's file: directives first, and again with other columns after every `restart_every` hits."""
    fields = first_fields
    yield b"#Software: Microsoft Internet Information Services 10.0"
    yield b"#Version: 1.0"
    yield f"#Fields: {fields}".encode()
    for index, hit in enumerate(hits, start=1):
        yield iis_line(hit, fields)
        if restart_every and index % restart_every == 0:
            fields = IIS_FIELDS_AFTER_RESTART if fields == IIS_FIELDS else IIS_FIELDS
            yield b"#Software: Microsoft Internet Information Services 10.0"
            yield f"#Fields: {fields}".encode()


def write_lines(path: Path, lines: Iterable[bytes], compress: bool = False) -> int:
    """Write lines (CRLF for IIS is not needed: the reader takes both); gzip when asked. Returns the count."""
    count = 0
    opener = gzip.open if compress else open
    with opener(path, "wb") as out:
        for line in lines:
            out.write(line + b"\n")
            count += 1
    return count
