"""The three-weekly series of meetings in the calendar: where it starts, where it ends, which meetings it holds.

One series per season (July to June, as the municipalities plan their year). A meeting on the series' grid is
an occurrence of it; a calendar invite for that meeting updates the occurrence instead of adding a second event.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from ..content.models import Meeting
from ..policy import MEETING_INTERVAL

SEASON_START_MONTH = 7  # the season runs from 1 July to 30 June


@dataclass(frozen=True)
class MeetingSeries:
    """Every three weeks from the first meeting, at its local time, until `until` or for `count` meetings."""

    first: Meeting
    until: date
    count: int | None = None

    def dates(self) -> Iterator[date]:
        """The dates of every occurrence."""
        day, n = self.first.date, 0
        while day <= self.until and (self.count is None or n < self.count):
            yield day
            day, n = day + MEETING_INTERVAL, n + 1

    def holds(self, day: date) -> bool:
        """Whether a meeting on `day` is an occurrence of the series (not moved off its grid)."""
        offset = (day - self.first.date).days
        if offset < 0 or offset % MEETING_INTERVAL.days or day > self.until:
            return False
        return self.count is None or offset // MEETING_INTERVAL.days < self.count


def season_end(day: date) -> date:
    """The last day (30 June) of the season that `day` falls in."""
    return date(day.year + (day.month >= SEASON_START_MONTH), SEASON_START_MONTH - 1, 30)


def meeting_series(
    meetings: Iterable[Meeting], today: date, until: date | None = None, count: int | None = None
) -> MeetingSeries | None:
    """The series of the season of `today`: from its first meeting (or the last season's, when this season has
    none yet) to `until` (default: the end of that season) or for `count` meetings."""
    ordered = sorted(meetings, key=lambda m: m.date)
    if not ordered:
        return None
    season_start = date(season_end(today).year - 1, SEASON_START_MONTH, 1)
    first = next((m for m in ordered if m.date >= season_start), ordered[-1])
    return MeetingSeries(first, until or season_end(first.date), count)
