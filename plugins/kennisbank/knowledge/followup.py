"""Follow-up for ICT and HR: open signals, coverage per department and municipality, stale tips, actions.

Pure functions over the repository; the pages, the charts and `kennisbank report` all use them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..content.models import ALL_DEPARTMENTS, RESOLVED, SIGNAL_STATUSES, Coach, Signal, Tip
from ..content.repository import Repository
from ..policy import LONG_OPEN, is_stale
from .directory import CoachDirectory

OPEN_STATUSES = tuple(s for s in SIGNAL_STATUSES if s != RESOLVED)


def days_open(signal: Signal, today: date) -> int:
    """Days since the signal was raised (until it was resolved)."""
    end = signal.resolved_on if signal.status == RESOLVED and signal.resolved_on else today
    return (end - signal.raised_on).days


def is_long_open(signal: Signal, today: date) -> bool:
    """Open for more than 42 days: it has been on two agendas without being solved."""
    return signal.is_open and today - signal.raised_on > LONG_OPEN


@dataclass(frozen=True)
class StatusGroup:
    status: str
    themes: tuple[tuple[str, tuple[Signal, ...]], ...]  # (theme id, signals), vocabulary order

    @property
    def count(self) -> int:
        return sum(len(signals) for _, signals in self.themes)


def open_signals_by_status(repository: Repository) -> tuple[StatusGroup, ...]:
    """Open signals per status (workflow order), then per theme, oldest first."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    groups = []
    for status in OPEN_STATUSES:
        themes = []
        for theme in taxonomy.themes:
            signals = sorted(
                (s for s in repository.signals if s.status == status and s.theme == theme),
                key=lambda s: (s.raised_on, s.slug),
            )
            if signals:
                themes.append((theme, tuple(signals)))
        groups.append(StatusGroup(status, tuple(themes)))
    return tuple(groups)


def theme_counts(repository: Repository) -> tuple[tuple[str, int, int], ...]:
    """(theme id, open, resolved) for every theme, in vocabulary order."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    open_count = Counter(s.theme for s in repository.signals if s.is_open)
    closed = Counter(s.theme for s in repository.signals if not s.is_open)
    return tuple((theme, open_count[theme], closed[theme]) for theme in taxonomy.themes)


@dataclass(frozen=True)
class CoverageRow:
    """One department in one municipality: how well it is served."""

    department: str
    municipality: str
    tips: int
    newest: date | None
    coaches: tuple[Coach, ...]
    open_signals: int

    @property
    def needs_attention(self) -> bool:
        return not self.coaches or self.tips == 0


def _applies(tip_or_signal: Tip | Signal, department: str, municipality: str) -> bool:
    departments_ok = department in tip_or_signal.departments or ALL_DEPARTMENTS in tip_or_signal.departments
    municipalities = tip_or_signal.municipalities
    return departments_ok and (not municipalities or municipality in municipalities)


def coverage(repository: Repository, directory: CoachDirectory) -> tuple[CoverageRow, ...]:
    """Every department in every municipality where it exists: own tips, newest tip, coaches, open signals.

    Tips for all departments are not counted: the figure shows what the department itself contributes.
    """
    rows = []
    by_department: dict[str, list[Tip]] = {}
    for tip in repository.tips:
        for department in tip.departments:
            by_department.setdefault(department, []).append(tip)
    for department, municipalities in directory.departments.items():
        for municipality, coaches in municipalities.items():
            own = [
                t for t in by_department.get(department, ()) if not t.municipalities or municipality in t.municipalities
            ]
            signals = sum(1 for s in repository.signals if s.is_open and _applies(s, department, municipality))
            rows.append(
                CoverageRow(
                    department, municipality, len(own), max((t.date for t in own), default=None), coaches, signals
                )
            )
    return tuple(rows)


def stale_tips(repository: Repository, today: date) -> tuple[Tip, ...]:
    """Tips not reviewed for twelve months, the longest unreviewed first."""
    return tuple(sorted((t for t in repository.tips if is_stale(t, today)), key=lambda t: (t.last_reviewed, t.slug)))
