"""Indexes over the content: pure functions from the repository to typed groupings for the pages."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ..content.models import ALL_DEPARTMENTS, Meeting, Taxonomy, Tip
from ..content.repository import Repository, chronological, newest_first
from .labels import ALL_DEPARTMENTS_LABEL

FACET_KINDS = ("departments", "tools", "sources", "difficulties", "coaches", "municipalities")


@dataclass(frozen=True)
class TipGroup:
    """Tips under one heading (a tool, a difficulty, a week), already in display order."""

    key: str
    label: str
    tips: tuple[Tip, ...]


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet (e.g. the department 'burgerzaken') with its tips, newest first."""

    kind: str
    id: str
    label: str
    description: str | None
    tips: tuple[Tip, ...]


@dataclass(frozen=True)
class Facet:
    kind: str
    values: tuple[FacetValue, ...]

    def get(self, value_id: str) -> FacetValue | None:
        return next((v for v in self.values if v.id == value_id), None)


def difficulty_order(taxonomy: Taxonomy) -> dict[str, int]:
    """basis -> gevorderd -> expert, in the order of the vocabulary file."""
    return {key: rank for rank, key in enumerate(taxonomy.difficulties)}


def _facet_ids(tip: Tip, kind: str, taxonomy: Taxonomy) -> list[str]:
    if kind == "departments":
        return list(tip.departments)
    if kind == "municipalities":
        return list(tip.municipalities) or list(taxonomy.municipalities)
    if kind in ("tools",):
        return list(tip.tools)
    return [{"sources": tip.source, "difficulties": tip.difficulty, "coaches": tip.coach}[kind]]


def build_facets(repository: Repository) -> dict[str, Facet]:
    """Every facet with every known value, including values without tips (they get a friendly page)."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None, "facets need a loaded taxonomy"
    members: dict[tuple[str, str], list[Tip]] = defaultdict(list)
    for tip in newest_first(repository.tips):  # sorted once: every value's list is then in order too
        for kind in FACET_KINDS:
            for value_id in _facet_ids(tip, kind, taxonomy):
                members[(kind, value_id)].append(tip)

    facets = {}
    for kind in FACET_KINDS:
        known: list[tuple[str, str, str | None]]  # id, label, description
        if kind == "coaches":
            known = [(c.id, c.name, None) for c in repository.coaches.values()]
        else:
            terms = getattr(taxonomy, kind)
            known = [(key, term.label, term.description) for key, term in terms.items()]
            if kind == "departments":
                known.append((ALL_DEPARTMENTS, ALL_DEPARTMENTS_LABEL, "Tips die voor iedereen gelden"))
        values = tuple(
            FacetValue(kind, key, label, description, tuple(members[(kind, key)])) for key, label, description in known
        )
        facets[kind] = Facet(kind, values)
    return facets


def group_by_tool(tips: tuple[Tip, ...], taxonomy: Taxonomy, primary_only: bool = False) -> tuple[TipGroup, ...]:
    """Tips per tool (vocabulary order), each group ordered basis -> gevorderd -> expert, then title.

    A tip with several tools appears under each of them (a colleague looks under the tool they use),
    unless `primary_only`: then only under its first tool, as in a list that is read out once.
    """
    rank = difficulty_order(taxonomy)
    by_tool: dict[str, list[Tip]] = defaultdict(list)
    for tip in tips:
        for tool_id in tip.tools[:1] if primary_only else dict.fromkeys(tip.tools):
            by_tool[tool_id].append(tip)
    groups = []
    for tool_id, term in taxonomy.tools.items():
        members = by_tool.get(tool_id)
        if members:
            members.sort(key=lambda t: (rank.get(t.difficulty, 99), t.title.lower()))
            groups.append(TipGroup(tool_id, term.label, tuple(members)))
    return tuple(groups)


def group_by_difficulty(tips: tuple[Tip, ...], taxonomy: Taxonomy) -> tuple[TipGroup, ...]:
    """Tips per difficulty level, in vocabulary order; within a level by title."""
    levels: dict[str, list[Tip]] = {key: [] for key in taxonomy.difficulties}
    for tip in tips:
        if tip.difficulty in levels:
            levels[tip.difficulty].append(tip)
    return tuple(
        TipGroup(key, term.label, tuple(sorted(levels[key], key=lambda t: t.title.lower())))
        for key, term in taxonomy.difficulties.items()
    )


def new_tips_by_week(tips: list[Tip], today: date, days: int = 60) -> tuple[TipGroup, ...]:
    """Tips of the last `days` days, grouped per ISO week (Monday), newest week first."""
    since = today - timedelta(days=days)
    weeks: dict[date, list[Tip]] = defaultdict(list)
    for tip in tips:
        if since < tip.date <= today:
            weeks[tip.date - timedelta(days=tip.date.weekday())].append(tip)
    return tuple(
        TipGroup(monday.isoformat(), monday.isoformat(), newest_first(weeks[monday]))
        for monday in sorted(weeks, reverse=True)
    )


class RelatedIndex:
    """Finds tips sharing tools or tags through inverted indexes.

    Each tool or tag keeps only its `CANDIDATES` newest tips: related tips should be recent anyway, and
    without the cap a popular tool makes the build quadratic (10,000 tips -> 10^8 comparisons).
    The ranking depends only on each tip's slug, date, tools and tags; an index made with `previous` (the
    dev server's last build) reuses its rankings while those are unchanged, as they are after most saves.
    """

    CANDIDATES = 60

    def __init__(self, tips: list[Tip], previous: RelatedIndex | None = None) -> None:
        self._tips = {t.slug: t for t in tips}
        self.signature = hash(tuple((t.slug, t.date, tuple(t.tools), tuple(t.tags)) for t in tips))
        self._by_tool: dict[str, list[tuple[str, int]]]  # tool -> its newest tips (slug, date ordinal)
        self._by_tag: dict[str, list[tuple[str, int]]]
        self._ranked: dict[tuple[str, int], tuple[str, ...]]  # the site model and the tip page both ask
        if previous is not None and previous.signature == self.signature:
            self._by_tool, self._by_tag, self._ranked = previous._by_tool, previous._by_tag, previous._ranked
            return
        by_tool: dict[str, list[tuple[str, int]]] = defaultdict(list)
        by_tag: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for tip in newest_first(tips):
            entry = (tip.slug, tip.date.toordinal())
            for tool in tip.tools:
                by_tool[tool].append(entry)
            for tag in tip.tags:
                by_tag[tag].append(entry)
        self._by_tool = {k: v[: self.CANDIDATES] for k, v in by_tool.items()}
        self._by_tag = {k: v[: self.CANDIDATES] for k, v in by_tag.items()}
        self._ranked = {}

    def related(self, tip: Tip, limit: int = 5) -> tuple[Tip, ...]:
        """Tips sharing tools or tags with `tip`; a shared tool weighs double, then newest first."""
        key = (tip.slug, limit)
        if key not in self._ranked:
            self._ranked[key] = self._rank(tip, limit)
        return tuple(self._tips[slug] for slug in self._ranked[key])

    def _rank(self, tip: Tip, limit: int) -> tuple[str, ...]:
        scores: dict[str, int] = defaultdict(int)
        dates: dict[str, int] = {}
        for weight, index, keys in ((2, self._by_tool, tip.tools), (1, self._by_tag, tip.tags)):
            for key in keys:
                for slug, day in index.get(key, ()):
                    scores[slug] += weight
                    dates[slug] = day
        scores.pop(tip.slug, None)
        # Sort keys made once per candidate (no key function called per comparison): this runs for every tip.
        ranked = [(-score, -dates[slug], slug) for slug, score in scores.items()]
        return tuple(slug for _, _, slug in heapq.nsmallest(limit, ranked))


def next_meeting(meetings: list[Meeting], today: date) -> Meeting | None:
    """The first meeting on or after today."""
    return next((m for m in chronological(meetings) if m.date >= today), None)


def department_counts(facets: Mapping[str, Facet]) -> tuple[FacetValue, ...]:
    """Departments with their number of tips, most tips first (the 'alle' bucket excluded)."""
    values = [v for v in facets["departments"].values if v.id != ALL_DEPARTMENTS]
    return tuple(sorted(values, key=lambda v: (-len(v.tips), v.label)))
