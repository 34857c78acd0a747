"""Atom feeds of new tips (site-wide and per department), readable by Outlook's RSS reader."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from feedgen.feed import FeedGenerator

from ..content.models import Tip
from ..content.repository import newest_first
from ..policy import FEED_SIZE
from . import urls


def _timestamp(day: date, minutes: int = 0) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=UTC) + timedelta(minutes=minutes)


def _distinct(days: Sequence[date]) -> list[datetime]:
    """A timestamp per day, newest first, a minute apart within one day: feed readers and validators take
    entries with the same time for duplicates, and coaches often publish several tips on one day."""
    remaining = Counter(days)
    stamps = []
    for day in days:
        remaining[day] -= 1
        stamps.append(_timestamp(day, remaining[day]))
    return stamps


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
    updated = _distinct([tip.last_reviewed for tip in newest])
    first_published = _distinct([tip.date for tip in newest])
    # Never published after its last update: a tip not reviewed since is published when it was last updated.
    published = [
        u if t.last_reviewed == t.date else p for t, u, p in zip(newest, updated, first_published, strict=True)
    ]
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
    return feed.atom_str(pretty=True)
