"""The three-weekly series of meetings in the calendar: one per season (July to June, as the municipalities plan
their year), which slot of it each meeting stands for, and where it ends.

A meeting stands for a slot of its season's series: its own date when it is on the three-weekly grid, else the
free slot nearest to it (a meeting moved by a few days). Its calendar invite then updates that occurrence
instead of adding a second event. A meeting too far from any free slot is an event of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from ..content.models import Meeting
from ..policy import MEETING_INTERVAL

SEASON_START_MONTH = 7  # the season runs from 1 July to 30 June
MOVED_AT_MOST = timedelta(days=10)  # a meeting further from its slot is not "moved" but another meeting
# A series is planned per season, not forever.
MAX_COUNT = 40
MAX_LENGTH = timedelta(days=2 * 366)


class SeriesError(ValueError):
    """A configured series that cannot be (it ends before it starts, or has no meetings)."""


def season_of(day: date) -> int:
    """The year the season of `day` starts in (the 2026-2027 season: 2026)."""
    return day.year if day.month >= SEASON_START_MONTH else day.year - 1


def season_end(day: date) -> date:
    """The last day (30 June) of the season that `day` falls in."""
    return date(season_of(day) + 1, SEASON_START_MONTH - 1, 30)


@dataclass(frozen=True)
class MeetingSeries:
    """Every three weeks from `anchor`, at its local time, until `until` or for `count` meetings."""

    season: int
    anchor: Meeting  # the meeting whose date sets the grid and whose hours every occurrence has
    meetings: tuple[Meeting, ...]  # the season's meetings, by date
    until: date | None = None  # with `count` None: the last possible day
    count: int | None = None

    @property
    def name(self) -> str:
        """The season, as in '2026-2027'."""
        return f"{self.season}-{self.season + 1}"

    def dates(self) -> Iterator[date]:
        """The date of every slot, from the anchor on."""
        day, n = self.anchor.date, 0
        while (self.count is None and self.until is not None and day <= self.until) or (
            self.count is not None and n < self.count
        ):
            yield day
            day, n = day + MEETING_INTERVAL, n + 1

    @cached_property
    def slots(self) -> dict[date, date]:
        """Per meeting date of the season, the slot it stands for (meetings without one are left out)."""
        grid = list(self.dates())
        on_grid = set(grid)
        taken = {m.date for m in self.meetings if m.date in on_grid}
        found = {day: day for day in taken}
        for meeting in self.meetings:
            if meeting.date in found:
                continue
            free = [slot for slot in grid if slot not in taken and abs(slot - meeting.date) <= MOVED_AT_MOST]
            if free:
                slot = min(free, key=lambda s: (abs(s - meeting.date), s))
                found[meeting.date] = slot
                taken.add(slot)
        return found

    def slot_of(self, meeting: Meeting) -> date | None:
        """The slot `meeting` stands for, or None when it is an event of its own."""
        if season_of(meeting.date) != self.season:
            return None
        return self.slots.get(meeting.date)


def meeting_series(
    meetings: Iterable[Meeting], season: int, until: date | None = None, count: int | None = None
) -> MeetingSeries | None:
    """The series of `season` (None without meetings in it): the grid most of its meetings are on, until
    `until` (default: 30 June) or for `count` meetings."""
    own = tuple(sorted((m for m in meetings if season_of(m.date) == season), key=lambda m: m.date))
    if not own:
        return None
    if count is not None and not 1 <= count <= MAX_COUNT:
        raise SeriesError(f"een reeks telt 1 tot {MAX_COUNT} overleggen, niet {count}.")
    # The grid most meetings share (a kick-off a week early does not shift the whole season), from its first.
    phases = Counter(_phase(m) for m in own)
    anchor = min(own, key=lambda m: (-phases[_phase(m)], m.date))
    last_day = None if count is not None else (until or season_end(anchor.date))
    if last_day is not None and last_day > anchor.date + MAX_LENGTH:
        raise SeriesError(f"de reeks {season}-{season + 1} kan niet tot {last_day} lopen: hoogstens twee jaar.")
    if last_day is not None and last_day < anchor.date:
        raise SeriesError(
            f"de reeks {season}-{season + 1} zou eindigen op {last_day}, vóór het eerste overleg op {anchor.date}; "
            "pas series_until aan (of laat het weg: dan loopt de reeks tot 30 juni)."
        )
    return MeetingSeries(season, anchor, own, last_day, count)


def _phase(meeting: Meeting) -> int:
    return meeting.date.toordinal() % MEETING_INTERVAL.days


def series_by_season(
    meetings: Iterable[Meeting], today: date, until: date | None = None, count: int | None = None
) -> dict[int, MeetingSeries]:
    """Every season's series; `until` and `count` (the configuration) shape the current season's."""
    meetings = list(meetings)
    current = current_season(meetings, today)
    found = {}
    for season in sorted({season_of(m.date) for m in meetings}):
        series = meeting_series(meetings, season, *((until, count) if season == current else (None, None)))
        if series is not None:
            found[season] = series
    return found


def current_season(meetings: Iterable[Meeting], today: date) -> int | None:
    """The season to offer as 'the' series: today's, else the next one with meetings, else the last one."""
    seasons = sorted({season_of(m.date) for m in meetings})
    if not seasons:
        return None
    now = season_of(today)
    return now if now in seasons else next((s for s in seasons if s > now), seasons[-1])
