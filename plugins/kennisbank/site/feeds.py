"""Atom feeds of new tips (site-wide and per department), readable by Outlook's RSS reader."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time

from feedgen.feed import FeedGenerator

from ..content.models import Tip
from ..content.repository import newest_first
from ..policy import FEED_SIZE
from . import urls


def _timestamp(day) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=UTC)


def atom_feed(
    tips: Sequence[Tip], site_url: str, title: str, self_path: str, label: Callable[[str, str], str]
) -> bytes:
    """An Atom 1.0 document with the newest tips; text fields are escaped by the XML writer."""
    base = site_url.rstrip("/") + "/"
    newest = newest_first(tips)[:FEED_SIZE]
    feed = FeedGenerator()
    feed.id(base + self_path)
    feed.title(title)
    feed.language("nl-BE")
    feed.generator("Kennisbank digicoaches")
    feed.link(href=base + self_path, rel="self", type="application/atom+xml")
    feed.link(href=base + self_path.removesuffix("feed.xml"), rel="alternate", type="text/html")
    feed.updated(_timestamp(newest[0].last_reviewed) if newest else datetime(2026, 1, 1, tzinfo=UTC))
    for tip in reversed(newest):  # feedgen prepends entries
        entry = feed.add_entry()
        link = base + urls.tip_url(tip.slug)
        entry.id(link)
        entry.title(tip.title)
        entry.link(href=link, rel="alternate", type="text/html")
        entry.summary(tip.summary or tip.title)
        entry.author(name=label("coaches", tip.coach))
        entry.published(_timestamp(tip.date))
        entry.updated(_timestamp(tip.last_reviewed))
        for tool in tip.tools:
            entry.category(term=tool, label=label("tools", tool))
    return feed.atom_str(pretty=True)
