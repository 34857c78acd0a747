"""Atom feeds of new tips (site-wide and per department), readable by Outlook's RSS reader."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from feedgen.feed import FeedGenerator

from ..content.models import Tip
from ..content.repository import newest_first
from ..knowledge import urls
from ..policy import FEED_SIZE


def _timestamp(day: date, seconds: int = 0) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=UTC) + timedelta(seconds=seconds)


def _offsets(tips: Sequence[Tip]) -> dict[str, int]:
    """Seconds after 08:00 per tip, from its slug: feed readers and validators take entries with the same time
    for duplicates, and coaches often publish several tips on one day. Taken from the tip itself, not from its
    place in the feed, so an entry's time does not change when another tip is added."""
    used: set[tuple[date, int]] = set()
    found = {}
    for tip in sorted(tips, key=lambda t: t.slug):
        offset = zlib.crc32(tip.slug.encode("utf-8")) % 3600
        while (tip.last_reviewed, offset) in used or (tip.date, offset) in used:
            offset = (offset + 1) % 3600
        used.update({(tip.last_reviewed, offset), (tip.date, offset)})
        found[tip.slug] = offset
    return found


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
    offsets = _offsets(newest)
    published = [_timestamp(t.date, offsets[t.slug]) for t in newest]
    updated = [_timestamp(t.last_reviewed, offsets[t.slug]) for t in newest]
    feed.updated(max(updated) if newest else datetime(2026, 1, 1, tzinfo=UTC))
    for n in reversed(range(len(newest))):  # feedgen prepends entries
        tip = newest[n]
        entry = feed.add_entry()
        link = base + urls.tip_url(tip.slug)
        entry.id(link)
        entry.title(tip.title)
        entry.link(href=link, rel="alternate", type="text/html")
        entry.summary(tip.summary or tip.title)
        entry.author(name=label("coaches", tip.coach))
        entry.published(published[n])
        entry.updated(updated[n])
        for tool in tip.tools:
            entry.category(term=tool, label=label("tools", tool))
    atom: bytes = feed.atom_str(pretty=True)  # feedgen has no types
    return atom
