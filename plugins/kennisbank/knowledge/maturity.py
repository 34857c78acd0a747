"""Digital maturity from the nulmeting: the heat map department x topic, per topic what the knowledge base
offers (tips per level, open competence signals) and the change since the previous measurement, and each
department's weakest topic. Pure functions over the repository; only numbers the measurement file shows
are used, so nothing here can reveal a suppressed group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..content.models import Signal
from ..content.nulmeting import Group, Measurement, average
from ..content.repository import Repository
from .topics import ToolMatcher

COMPETENCE = "competentie"  # the theme of signals about missing knowledge or skills


@dataclass(frozen=True)
class HeatRow:
    """One row of the heat map: a department (or None for all departments together) and its groups per tool;
    a group is None where nobody of the department answered that question."""

    department: str | None
    respondents: int | None  # None: suppressed
    groups: tuple[Group | None, ...]  # in the order of `Maturity.tools`

    @property
    def suppressed(self) -> bool:
        return self.respondents is None


@dataclass(frozen=True)
class Change:
    """The shown average (one decimal, `Group.shown_average`) of one tool over all departments, in the
    previous and the latest measurement."""

    before: Decimal
    after: Decimal

    @property
    def delta(self) -> Decimal:
        """The change as a reader computes it from the two shown averages (2,1 -> 2,6 is +0,5)."""
        return self.after - self.before

    @property
    def direction(self) -> str:
        """'up', 'down' or 'same' (equal as shown)."""
        if self.delta == 0:
            return "same"
        return "up" if self.delta > 0 else "down"


@dataclass(frozen=True)
class TopicRow:
    """One topic (tool): its level over all departments, the tips per level, open competence signals."""

    tool: str
    overall: Group
    tips_per_level: tuple[tuple[str, int], ...]  # (difficulty id, number of tips), vocabulary order
    signals: tuple[Signal, ...]
    change: Change | None  # None: one measurement, or the tool was not shown in both


@dataclass(frozen=True)
class WeakTopic:
    """A department's lowest average of the latest measurement."""

    department: str
    tool: str
    average: Decimal  # as shown: one decimal
    respondents: int
    measured_on: date


@dataclass(frozen=True)
class DepartmentMaturity:
    """What a department page says about the latest measurement."""

    measured_on: date
    suppressed: bool  # too few colleagues of the department answered
    weakest: WeakTopic | None


@dataclass(frozen=True)
class Maturity:
    """The latest measurement (and the one before) as the Opvolging page and department pages show it."""

    latest: Measurement | None
    previous: Measurement | None
    tools: tuple[str, ...]  # the columns: the tools of the latest measurement, vocabulary order
    rows: tuple[HeatRow, ...]  # departments in vocabulary order, then all departments together
    topics: tuple[TopicRow, ...]
    absent: tuple[str, ...]  # departments without a single answer

    def weakest_topic(self, department: str) -> WeakTopic | None:
        """The department's weakest topic in the latest measurement, or None (no measurement, too few answers)."""
        return weakest_topic(self.latest, department) if self.latest else None

    def for_department(self, department: str) -> DepartmentMaturity | None:
        """The department's result in the latest measurement; None when it did not take part."""
        if self.latest is None or department not in self.latest.departments:
            return None
        found = self.latest.departments[department]
        return DepartmentMaturity(self.latest.date, not found.shown, self.weakest_topic(department))


def weakest_topic(measurement: Measurement, department: str) -> WeakTopic | None:
    """The shown group of `department` with the lowest average (on a tie: the first tool of the vocabulary
    order in the file); None when the department has no shown group."""
    found = measurement.departments.get(department)
    if found is None or not found.shown:
        return None
    shown = [(tool, group) for tool, group in found.tools.items() if group.shown]
    if not shown:
        return None
    tool, group = min(shown, key=lambda item: average(item[1].levels or {}))  # exact, not the rounded file value
    assert group.shown_average is not None and group.respondents is not None
    return WeakTopic(department, tool, group.shown_average, group.respondents, measurement.date)


def competence_signals(repository: Repository, matcher: ToolMatcher) -> dict[str, tuple[Signal, ...]]:
    """Open signals of theme competentie per tool: the tools of their related tips and the tools their title
    names ("Leernood Excel-basis ..." is about Excel)."""
    tips = {tip.slug: tip for tip in repository.tips}
    by_tool: dict[str, list[Signal]] = {}
    for signal in sorted(repository.signals, key=lambda s: (s.raised_on, s.slug)):
        if signal.theme != COMPETENCE or not signal.is_open:
            continue
        tools = set(matcher.tools_in(signal.title))
        tools.update(tool for slug in signal.related_tips if slug in tips for tool in tips[slug].tools)
        for tool in tools:
            by_tool.setdefault(tool, []).append(signal)
    return {tool: tuple(signals) for tool, signals in by_tool.items()}


def compared_measurements(measurements: Sequence[Measurement]) -> tuple[Measurement, ...]:
    """The measurements the site shows and compares, oldest first: the real ones as soon as there is one, so an
    invented sample measurement (`example: true`) never shadows a real one or becomes its "vorige meting"."""
    real = tuple(m for m in measurements if not m.example)
    return real or tuple(measurements)


def build_maturity(repository: Repository) -> Maturity:
    """The maturity facts of the repository's measurements (empty when there is none)."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    measurements = compared_measurements(repository.measurements)
    latest = measurements[-1] if measurements else None
    previous = measurements[-2] if len(measurements) > 1 else None
    if latest is None:
        return Maturity(None, None, (), (), (), ())
    tools = tuple(tool for tool in taxonomy.tools if tool in latest.tools)
    rows = [
        HeatRow(
            department,
            result.respondents if result.shown else None,
            tuple(result.tools.get(tool) for tool in tools) if result.shown else (None,) * len(tools),
        )
        for department in taxonomy.departments
        if (result := latest.departments.get(department)) is not None
    ]
    rows.append(HeatRow(None, latest.respondents, tuple(latest.tools[tool] for tool in tools)))
    signals = competence_signals(repository, ToolMatcher.build(taxonomy, repository.synonyms))
    topics = []
    for tool in tools:
        counts = {level: 0 for level in taxonomy.difficulties}
        for tip in repository.tips:
            if tool in tip.tools and tip.difficulty in counts:
                counts[tip.difficulty] += 1
        before = previous.tools.get(tool) if previous else None
        after = latest.tools[tool]
        was, now = (before.shown_average if before is not None else None), after.shown_average
        change = Change(was, now) if was is not None and now is not None else None
        topics.append(TopicRow(tool, after, tuple(counts.items()), signals.get(tool, ()), change))
    absent = tuple(d for d in taxonomy.departments if d not in latest.departments)
    return Maturity(latest, previous, tools, tuple(rows), tuple(topics), absent)
