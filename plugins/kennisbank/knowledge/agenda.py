"""The generated agenda of a coach meeting, computed from the repository as it stood on that date.

Actions are closed in the meeting file where they were created: `done: true`, with `done_on` (the day
it was finished) so that agendas of meetings before that day still list the action as open.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from ..content.models import Action, AgendaItem, Meeting, Signal
from ..content.repository import Repository
from ..policy import MEETING_INTERVAL
from .indexes import TipGroup, group_by_tool

# Minutes reserved for the standard parts; the coaches' own items must fit in what is left.
STANDARD_MINUTES = {"welcome": 5, "actions": 10, "tips": 15, "signals": 10, "varia": 5}


@dataclass(frozen=True)
class OpenAction:
    action: Action
    created: date  # date of the meeting that decided it
    overdue: bool


@dataclass(frozen=True)
class SignalGroup:
    department: str  # department id ('alle' for all departments)
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

    @property
    def slot_minutes(self) -> int:
        start = datetime.strptime(self.meeting.start, "%H:%M")
        end = datetime.strptime(self.meeting.end, "%H:%M")
        return int((end - start).total_seconds() // 60)

    @property
    def standard_minutes(self) -> int:
        return sum(STANDARD_MINUTES.values())

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


def signal_status_on(signal: Signal, on: date) -> str:
    """The status a signal had on a date: from its history when recorded, else its current status."""
    recorded = [change for change in signal.history if change.date <= on]
    if signal.history and recorded:
        return max(recorded, key=lambda change: change.date).status
    if signal.status == "opgelost" and signal.resolved_on and signal.resolved_on > on:
        return "in-behandeling"
    return signal.status


def build_agenda(repository: Repository, meeting: Meeting) -> Agenda:
    """The agenda of `meeting`: open actions, new tips, open signals, own items, next meeting."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    meetings = sorted(repository.meetings, key=lambda m: m.date)
    earlier = [m for m in meetings if m.date < meeting.date]
    later = [m for m in meetings if m.date > meeting.date]
    previous = earlier[-1] if earlier else None

    open_actions = [
        OpenAction(action, m.date, overdue=action.due is not None and action.due < meeting.date)
        for m in earlier
        for action in m.actions
        if action_is_open(action, meeting.date)
    ]
    open_actions.sort(key=lambda a: (not a.overdue, a.action.due or date.max, a.created, a.action.id))

    since = previous.date if previous else meeting.date - MEETING_INTERVAL
    new = tuple(t for t in repository.tips if since < t.date <= meeting.date)

    by_department: dict[str, list[Signal]] = defaultdict(list)
    for signal in repository.signals:
        if signal.raised_on <= meeting.date and signal_status_on(signal, meeting.date) != "opgelost":
            # Listed once, under its first department; the others are shown beside it.
            by_department[signal.departments[0]].append(signal)
    order = {d: i for i, d in enumerate([*taxonomy.departments, "alle"])}
    signal_groups = tuple(
        SignalGroup(d, tuple(sorted(by_department[d], key=lambda s: (s.raised_on, s.slug))))
        for d in sorted(by_department, key=lambda d: order.get(d, 99))
    )

    return Agenda(
        meeting=meeting,
        previous=previous,
        next_date=later[0].date if later else meeting.date + MEETING_INTERVAL,
        next_planned=bool(later),
        open_actions=tuple(open_actions),
        new_tips=group_by_tool(new, taxonomy, primary_only=True),
        tips_since=since,
        open_signals=signal_groups,
        items=tuple(meeting.items),
    )
