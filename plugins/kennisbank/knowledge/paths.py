"""Learning paths with their tips resolved: who a path is for, the topics it covers, and which paths a tip
is part of. Pure functions over the repository."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..content.models import ALL_DEPARTMENTS, PathDocument, Taxonomy, Tip
from .indexes import difficulty_order


@dataclass(frozen=True)
class Step:
    """One step of a learning path: its number (from 1), the tip and the coach's line of context."""

    number: int
    tip: Tip
    why: str | None


@dataclass(frozen=True)
class LearningPath:
    """A learning path whose steps are tips.

    `tools` are the topics it covers (tool ids of the taxonomy): the path's own `tools` when its coach named
    them, else every tool of its tips, in taxonomy order. A department page can match them with the topics
    a department needs most."""

    document: PathDocument
    steps: tuple[Step, ...]
    tools: tuple[str, ...]

    @property
    def slug(self) -> str:
        return self.document.slug

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def summary(self) -> str:
        return self.document.summary

    @property
    def departments(self) -> tuple[str, ...]:
        return tuple(self.document.departments)

    @property
    def difficulty(self) -> str:
        return self.document.difficulty

    @property
    def new_colleagues(self) -> bool:
        return self.document.new_colleagues

    @property
    def for_everyone(self) -> bool:
        return self.document.for_everyone

    def is_for(self, department_id: str) -> bool:
        """Whether colleagues of the department are meant to follow it (a path for everyone is for all)."""
        return self.for_everyone or department_id in self.document.departments

    def covers(self, tool_id: str) -> bool:
        """Whether the path is about the topic (a tool id of the taxonomy)."""
        return tool_id in self.tools


@dataclass(frozen=True)
class PathPlace:
    """Where a tip sits in a learning path: the step, and the next step if there is one."""

    path: LearningPath
    step: Step
    next: Step | None


def _tools(document: PathDocument, tips: Iterable[Tip], taxonomy: Taxonomy) -> tuple[str, ...]:
    if document.tools:
        return tuple(dict.fromkeys(document.tools))
    used = {tool for tip in tips for tool in tip.tools}
    return tuple(tool for tool in taxonomy.tools if tool in used)


def build_paths(
    documents: Iterable[PathDocument], tips_by_slug: Mapping[str, Tip], taxonomy: Taxonomy
) -> tuple[LearningPath, ...]:
    """Every learning path with its tips, in display order: paths for new colleagues first, then by level
    (basis first) and title. A step whose tip is missing is left out (validation reports it)."""
    paths = []
    for document in documents:
        found = [(tips_by_slug[step.tip], step.why) for step in document.steps if step.tip in tips_by_slug]
        steps = tuple(Step(number, tip, why) for number, (tip, why) in enumerate(found, start=1))
        paths.append(LearningPath(document, steps, _tools(document, (s.tip for s in steps), taxonomy)))
    rank = difficulty_order(taxonomy)
    return tuple(sorted(paths, key=lambda p: (not p.new_colleagues, rank.get(p.difficulty, 99), p.title.lower())))


def places_by_tip(paths: Iterable[LearningPath]) -> dict[str, tuple[PathPlace, ...]]:
    """Per tip slug, the learning paths it is part of (in the paths' display order)."""
    places: dict[str, list[PathPlace]] = defaultdict(list)
    for path in paths:
        for index, step in enumerate(path.steps):
            following = path.steps[index + 1] if index + 1 < len(path.steps) else None
            places[step.tip.slug].append(PathPlace(path, step, following))
    return {slug: tuple(found) for slug, found in places.items()}


def paths_for_department(paths: Iterable[LearningPath], department_id: str) -> tuple[LearningPath, ...]:
    """The paths meant for a department, those for everyone included. For the 'alle' page: only those."""
    if department_id == ALL_DEPARTMENTS:
        return tuple(p for p in paths if p.for_everyone)
    return tuple(p for p in paths if p.is_for(department_id))


def paths_for_topic(
    paths: Iterable[LearningPath], tool_id: str, department_id: str | None = None
) -> tuple[LearningPath, ...]:
    """The paths covering a topic (tool id), optionally only those meant for a department."""
    return tuple(p for p in paths if p.covers(tool_id) and (department_id is None or p.is_for(department_id)))
