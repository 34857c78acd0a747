"""Everything the site and the exports know about the content on one date, worked out once.

Pages, feeds, exports, the search help and `kennisbank report` read these facts; none of them computes a
fact of its own, so a rule changes in one place (and the rules of thumb themselves live in `policy.py`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..content.models import ALL_DEPARTMENTS, Meeting, Signal, Tip
from ..content.repository import Repository
from .agenda import Agenda, OpenAction, build_agenda, open_actions
from .directory import CoachDirectory, coach_directory
from .followup import CoverageRow, StatusGroup, coverage, open_signals_by_status, stale_tips, theme_counts
from .indexes import (
    Facet,
    FacetValue,
    RelatedIndex,
    build_facets,
    department_counts,
    difficulty_order,
    next_meeting,
)
from .labels import Labels
from .maturity import Maturity, build_maturity
from .paths import LearningPath, PathPlace, build_paths, paths_for_department, paths_for_topic, places_by_tip
from .topics import ToolMatcher
from .usage_facts import Usage, build_usage


@dataclass(frozen=True)
class Knowledge:
    """The content of a repository plus the facts derived from it on `today`."""

    repository: Repository
    today: date
    labels: Labels
    tips_by_slug: Mapping[str, Tip]
    facets: Mapping[str, Facet]
    coaches: CoachDirectory
    related: RelatedIndex
    agendas: Mapping[date, Agenda]  # by meeting date
    signals_by_tip: Mapping[str, tuple[Signal, ...]]  # signals naming a tip as related, by tip slug
    open_actions: tuple[OpenAction, ...]  # of all meetings up to today
    coverage: tuple[CoverageRow, ...]
    stale: tuple[Tip, ...]
    open_signals: tuple[StatusGroup, ...]
    theme_counts: tuple[tuple[str, int, int], ...]
    maturity: Maturity  # the nulmeting: heat map, topics, weakest topic per department
    usage: Usage  # what colleagues searched, read and found unhelpful (tips/gebruik/)
    next_meeting: Meeting | None
    last_meeting: Meeting | None
    paths: tuple[LearningPath, ...]  # learning paths in display order (for new colleagues first)
    path_places: Mapping[str, tuple[PathPlace, ...]]  # by tip slug: the paths a tip is a step of
    # Per tip slug, a digest of all but the body: page fingerprints use it (a body edit touches one page).
    card_versions: Mapping[str, str]
    # A short digest of what the search shows (tips, labels, synonyms): the search page compares it with the
    # search index's, and says when the index is still being rebuilt.
    search_version: str

    @property
    def everyone(self) -> FacetValue:
        """The tips for all departments."""
        found = self.facets["departments"].get(ALL_DEPARTMENTS)
        assert found is not None
        return found

    @property
    def departments(self) -> tuple[FacetValue, ...]:
        """Departments with their tips, most tips first (without the tips for all departments)."""
        return department_counts(self.facets)

    def related_tips(self, tip: Tip) -> tuple[Tip, ...]:
        """Tips sharing tools or tags with `tip`."""
        return self.related.related(tip)

    def agenda(self, meeting: Meeting) -> Agenda:
        return self.agendas[meeting.date]

    def paths_for(self, department_id: str) -> tuple[LearningPath, ...]:
        """The learning paths meant for a department (those for everyone included)."""
        return paths_for_department(self.paths, department_id)

    def paths_for_weakest_topic(self, department_id: str) -> tuple[LearningPath, ...]:
        """The learning paths for a department that cover its weakest topic in the latest nulmeting (the easiest
        first): what its department page suggests."""
        weakest = self.maturity.weakest_topic(department_id)
        if weakest is None:
            return ()
        fitting = paths_for_topic(self.paths, weakest.tool, department_id)
        taxonomy = self.repository.taxonomy
        order = difficulty_order(taxonomy) if taxonomy else {}
        return tuple(sorted(fitting, key=lambda p: order.get(p.difficulty, len(order))))

    @property
    def onboarding_paths(self) -> tuple[LearningPath, ...]:
        """The learning paths for new colleagues ("Start hier")."""
        return tuple(p for p in self.paths if p.new_colleagues)


def derive(repository: Repository, today: date, previous: Knowledge | None = None) -> Knowledge:
    """The facts of a validated repository on `today`. With `previous`, the facts of an earlier version of
    the same repository (the dev server's last build), work whose inputs did not change is reused."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None, "deriving needs a loaded taxonomy"
    directory = coach_directory(repository)
    cards = _card_versions(repository, previous)
    tips_by_slug = {t.slug: t for t in repository.tips}
    paths = build_paths(repository.paths, tips_by_slug, taxonomy)
    facets = build_facets(repository)
    upcoming = next_meeting(repository.meetings, today)
    usage = _usage(repository, today, facets, cards, previous)
    by_tip: dict[str, list[Signal]] = defaultdict(list)
    for signal in repository.signals:
        for slug in dict.fromkeys(signal.related_tips):
            by_tip[slug].append(signal)
    return Knowledge(
        repository=repository,
        today=today,
        labels=Labels(taxonomy, repository.coaches),
        tips_by_slug=tips_by_slug,
        facets=facets,
        coaches=directory,
        related=RelatedIndex(repository.tips, previous.related if previous else None),
        # Only the next meeting discusses the failed searches: they are this month's work.
        agendas={
            m.date: build_agenda(repository, m, usage if upcoming and m.date == upcoming.date else None)
            for m in repository.meetings
        },
        signals_by_tip={slug: tuple(signals) for slug, signals in by_tip.items()},
        open_actions=open_actions([m for m in repository.meetings if m.date <= today], today),
        coverage=coverage(repository, directory),
        stale=stale_tips(repository, today),
        open_signals=open_signals_by_status(repository),
        theme_counts=theme_counts(repository),
        maturity=build_maturity(repository),
        usage=usage,
        next_meeting=upcoming,
        last_meeting=max((m for m in repository.meetings if m.date < today), key=lambda m: m.date, default=None),
        paths=paths,
        path_places=places_by_tip(paths),
        card_versions=cards,
        search_version=_search_version(repository, cards),
    )


_BODY = ("body", "body_line")


def _usage(
    repository: Repository,
    today: date,
    facets: Mapping[str, Facet],
    cards: Mapping[str, str],
    previous: Knowledge | None,
) -> Usage:
    """The usage facts; the dev server's last ones while nothing they read changed (a tip's body edit, the usual
    save, changes none of it: they show tips as cards). At 10,000 tips they take most of a second."""
    if previous is not None and previous.today == today and previous.card_versions == cards:
        before = previous.repository
        same = (before.usage, before.synonyms, before.signals, before.coaches, before.taxonomy) == (
            repository.usage, repository.synonyms, repository.signals, repository.coaches, repository.taxonomy
        )  # fmt: skip
        if same:
            return previous.usage
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    return build_usage(repository, repository.usage, today, facets, ToolMatcher.build(taxonomy, repository.synonyms))


def _card_versions(repository: Repository, previous: Knowledge | None = None) -> dict[str, str]:
    """Per tip, a digest of everything but its body: what index pages and related-tip lists show. The digest
    of a tip object that `previous` already had is taken over (the loader keeps unchanged files' objects)."""
    versions = {}
    known = previous.tips_by_slug if previous else {}
    for tip in repository.tips:
        if known.get(tip.slug) is tip:
            assert previous is not None
            versions[tip.slug] = previous.card_versions[tip.slug]
            continue
        # The fields as plain values: pydantic's own repr is several times slower.
        card = repr([value for key, value in vars(tip).items() if key not in _BODY])
        versions[tip.slug] = hashlib.blake2b(card.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return versions


def _search_version(repository: Repository, cards: Mapping[str, str]) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for part in (repository.taxonomy, repository.coaches, repository.synonyms):
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
    for tip in repository.tips:
        digest.update(cards[tip.slug].encode())
        digest.update(tip.body.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
