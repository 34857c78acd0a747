"""The generated agenda of a coach meeting, computed from the repository as it stood on that date.

Actions are closed in the meeting file where they were created: `done: true`, with `done_on` (the day
it was finished) so that agendas of meetings before that day still list the action as open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from ..content.models import ALL_DEPARTMENTS, RESOLVED, Action, AgendaItem, Meeting, Signal
from ..content.repository import Repository, chronological
from ..policy import MEETING_INTERVAL
from .indexes import TipGroup, group_by_tool
from .usage_facts import FailedSearch, Usage
from .wording import nl_date_short, nl_month

# Minutes reserved for the standard parts; the coaches' own items must fit in what is left.
STANDARD_MINUTES = {"welcome": 5, "actions": 10, "tips": 15, "signals": 10, "varia": 5}
# Handing out the failed searches as tips to write (only when there are some).
SEARCHES_MINUTES = 5


class SectionKind(StrEnum):
    """What an agenda section holds; each export renders a kind, never a section number."""

    WELCOME = "welcome"
    ACTIONS = "actions"
    TIPS = "tips"
    SIGNALS = "signals"
    SEARCHES = "searches"
    ITEMS = "items"
    VARIA = "varia"
    NEXT = "next"


@dataclass(frozen=True)
class AgendaSection:
    """One numbered section of the agenda, worded the same in every export."""

    number: int
    kind: SectionKind
    title: str
    minutes: int | None

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" + (f" ({self.minutes} min)" if self.minutes else "")


@dataclass(frozen=True)
class OpenAction:
    action: Action
    created: date  # date of the meeting that decided it
    overdue: bool


@dataclass(frozen=True)
class SignalGroup:
    department: str  # department id (ALL_DEPARTMENTS for all departments)
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class Agenda:
    """Everything the chair needs for one meeting, in agenda order."""

    meeting: Meeting
    previous: Meeting | None
    next_date: date
    next_planned: bool  # a meeting file exists for next_date
    open_actions: tuple[OpenAction, ...]
    new_tips: tuple[TipGroup, ...]
    tips_since: date
    open_signals: tuple[SignalGroup, ...]
    items: tuple[AgendaItem, ...]
    sections: tuple[AgendaSection, ...]
    # "Gezocht, niet gevonden": the latest month's top failed searches; None when this agenda has no such
    # section (every meeting but the next one), empty when there are no figures or no failed searches.
    searches: tuple[FailedSearch, ...] | None = None
    searches_month: date | None = None  # the month they are from; None without usage figures

    @property
    def slot_minutes(self) -> int:
        start = datetime.strptime(self.meeting.start, "%H:%M")
        end = datetime.strptime(self.meeting.end, "%H:%M")
        return int((end - start).total_seconds() // 60)

    @property
    def standard_minutes(self) -> int:
        return sum(s.minutes or 0 for s in self.sections if s.kind is not SectionKind.ITEMS)

    @property
    def item_minutes(self) -> int:
        return sum(item.minutes for item in self.items)

    @property
    def over_time(self) -> int:
        """Minutes the agenda runs over the slot between start and end (0 when it fits)."""
        return max(0, self.standard_minutes + self.item_minutes - self.slot_minutes)


def action_is_open(action: Action, on: date) -> bool:
    """Open on a date unless marked done (done_on, when given, must be before that date)."""
    if not action.done:
        return True
    return action.done_on is not None and action.done_on >= on


def open_actions(meetings: Iterable[Meeting], on: date) -> tuple[OpenAction, ...]:
    """The actions decided at `meetings` that are still open on `on`: overdue first, then by due date,
    the meeting that decided them and their id. The agenda and the follow-up page list them this way."""
    found = [
        OpenAction(action, meeting.date, overdue=action.due is not None and action.due < on)
        for meeting in meetings
        for action in meeting.actions
        if action_is_open(action, on)
    ]
    return tuple(sorted(found, key=lambda a: (not a.overdue, a.action.due or date.max, a.created, a.action.id)))


def signal_status_on(signal: Signal, on: date) -> str:
    """The status a signal had on a date: from its history when recorded, else its current status."""
    recorded = [change for change in signal.history if change.date <= on]
    if signal.history and recorded:
        return max(recorded, key=lambda change: change.date).status
    if signal.status == RESOLVED and signal.resolved_on and signal.resolved_on > on:
        return "in-behandeling"
    return signal.status


def _sections(
    previous: Meeting | None, tips_since: date, item_minutes: int, usage: Usage | None
) -> tuple[AgendaSection, ...]:
    since_previous = f" van {nl_date_short(previous.date)}" if previous else ""
    parts: list[tuple[SectionKind, str, int | None]] = [
        (SectionKind.WELCOME, f"Welkom en goedkeuring van het verslag{since_previous}", STANDARD_MINUTES["welcome"]),
        (SectionKind.ACTIONS, "Openstaande acties", STANDARD_MINUTES["actions"]),
        (SectionKind.TIPS, f"Tips & tricks: nieuw sinds {nl_date_short(tips_since)}", STANDARD_MINUTES["tips"]),
        (SectionKind.SIGNALS, "Open signalen per dienst", STANDARD_MINUTES["signals"]),
    ]
    if usage is not None:
        month = f" ({nl_month(usage.latest)})" if usage.latest else ""
        minutes = SEARCHES_MINUTES if usage.agenda else None
        parts.append((SectionKind.SEARCHES, f"Gezocht, niet gevonden{month}", minutes))
    parts += [
        (SectionKind.ITEMS, "Agendapunten", item_minutes),
        (SectionKind.VARIA, "Varia", STANDARD_MINUTES["varia"]),
        (SectionKind.NEXT, "Volgend overleg", None),
    ]
    return tuple(AgendaSection(n, kind, title, minutes) for n, (kind, title, minutes) in enumerate(parts, start=1))


def build_agenda(repository: Repository, meeting: Meeting, usage: Usage | None = None) -> Agenda:
    """The agenda of `meeting`: open actions, new tips, open signals, own items, next meeting; with `usage`
    (the next meeting only) also the failed searches of the latest month."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    meetings = chronological(repository.meetings)
    earlier = [m for m in meetings if m.date < meeting.date]
    later = [m for m in meetings if m.date > meeting.date]
    previous = earlier[-1] if earlier else None

    since = previous.date if previous else meeting.date - MEETING_INTERVAL
    new = tuple(t for t in repository.tips if since < t.date <= meeting.date)

    by_department: dict[str, list[Signal]] = defaultdict(list)
    for signal in repository.signals:
        if signal.raised_on <= meeting.date and signal_status_on(signal, meeting.date) != RESOLVED:
            # Listed once, under its first department; the others are shown beside it.
            by_department[signal.departments[0]].append(signal)
    order = {d: i for i, d in enumerate([*taxonomy.departments, ALL_DEPARTMENTS])}
    signal_groups = tuple(
        SignalGroup(d, tuple(sorted(by_department[d], key=lambda s: (s.raised_on, s.slug))))
        for d in sorted(by_department, key=lambda d: order.get(d, 99))
    )
    items = tuple(meeting.items)

    return Agenda(
        meeting=meeting,
        previous=previous,
        next_date=later[0].date if later else meeting.date + MEETING_INTERVAL,
        next_planned=bool(later),
        open_actions=open_actions(earlier, meeting.date),
        new_tips=group_by_tool(new, taxonomy, primary_only=True),
        tips_since=since,
        open_signals=signal_groups,
        items=items,
        sections=_sections(previous, since, sum(item.minutes for item in items), usage),
        searches=usage.agenda if usage is not None else None,
        searches_month=usage.latest if usage is not None else None,
    )
