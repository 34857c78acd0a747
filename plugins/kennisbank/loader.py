"""Loads the whole content repository into typed models, collecting every problem on the way.

The one loader used by the CLI, the MkDocs adapter and the tests. It never writes to the content.
"""

from __future__ import annotations

import gc
import os
import posixpath
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from . import validation
from .messages import translate
from .models import (
    Coach,
    CoachList,
    Meeting,
    MeetingFrontMatter,
    Signal,
    SignalFrontMatter,
    Taxonomy,
    Tip,
    TipFrontMatter,
)
from .problems import Problem, Severity
from .sourcefile import Positions, SourceFile, parse_yaml, read_markdown, read_text
from .vocabulary import Vocabularies, check_raw_references, check_references

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ContentLayout:
    """Where content lives, relative to the repository root."""

    tips_dir: str = "tips"
    meetings_dir: str = "meetings"
    signals_dir: str = "meetings/signals"
    taxonomy_file: str = "tips/taxonomy.yml"
    coaches_file: str = "tips/coaches.yml"


@dataclass
class Repository:
    """All content of the knowledge base, validated. Lists are sorted for stable output."""

    root: Path
    taxonomy: Taxonomy | None
    coaches: dict[str, Coach] = field(default_factory=dict)
    chair_rotation: list[str] = field(default_factory=list)
    tips: list[Tip] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)


@dataclass
class LoadResult:
    """The repository plus every problem found, sorted by file and line."""

    repository: Repository
    problems: list[Problem]
    files_checked: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


@dataclass
class _Parsed:
    """A document whose shape is valid, waiting for the cross-reference checks."""

    source: SourceFile
    model: BaseModel


def _validate(model_cls: type[M], data: object, rel_path: str, positions: Positions) -> tuple[M | None, list[Problem]]:
    try:
        return model_cls.model_validate(data), []
    except ValidationError as exc:
        return None, translate(exc, model_cls, rel_path, positions)


def _load_yaml_file(root: Path, rel_path: str, model_cls: type[M]) -> tuple[M | None, Positions | None, list[Problem]]:
    path = root / rel_path
    if not path.is_file():
        return (
            None,
            None,
            [Problem(rel_path, 1, 1, "bestand", "dit bestand ontbreekt; het is nodig voor de woordenlijst.")],
        )
    text, problems = read_text(path, rel_path)
    if text is None:
        return None, None, problems
    data, positions, problems = parse_yaml(text, rel_path)
    if data is None and problems:
        return None, None, problems
    model, more = _validate(model_cls, data, rel_path, positions)
    return model, positions, problems + more


def _markdown_below(root: Path, folder: str) -> list[str]:
    """Every .md file below `folder`, as sorted repository-relative POSIX paths (one directory walk)."""
    found = []
    for dirpath, _, filenames in os.walk(root / folder):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        found += [f"{rel_dir}/{name}" for name in filenames if name.endswith(".md")]
    return sorted(found)


def _markdown_in(root: Path, folder: str) -> list[str]:
    """The .md files directly in `folder`."""
    depth = folder.count("/") + 1
    return [p for p in _markdown_below(root, folder) if p.count("/") == depth]


def _stem(rel_path: str) -> str:
    return posixpath.splitext(posixpath.basename(rel_path))[0]


def load_repository(root: Path, layout: ContentLayout | None = None, today: date | None = None) -> LoadResult:
    """Read and validate taxonomy, coaches, tips, meetings and signals below `root`."""
    # Loading allocates hundreds of thousands of small, acyclic objects; the cyclic garbage collector
    # would rescan them over and over (measured: half of the load time at 10,000 tips). Pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(root), layout or ContentLayout(), today or date.today())
    finally:
        if collecting:
            gc.enable()


def _load(root: Path, layout: ContentLayout, today: date) -> LoadResult:
    problems: list[Problem] = []
    files_checked = 2

    taxonomy, tax_positions, found = _load_yaml_file(root, layout.taxonomy_file, Taxonomy)
    problems += found
    coach_list, coach_positions, found = _load_yaml_file(root, layout.coaches_file, CoachList)
    problems += found

    parsed: dict[str, list[_Parsed]] = {"tip": [], "meeting": [], "signal": []}
    failed: list[tuple[str, SourceFile, type[BaseModel]]] = []  # shape errors: checked as far as possible
    below_tips = _markdown_below(root, layout.tips_dir)
    tip_depth = layout.tips_dir.count("/") + 2  # tips/<department>/<slug>.md
    tip_paths = [p for p in below_tips if p.count("/") == tip_depth]
    sources = (
        [("tip", p, TipFrontMatter) for p in tip_paths]
        + [("meeting", p, MeetingFrontMatter) for p in _markdown_in(root, layout.meetings_dir)]
        + [("signal", p, SignalFrontMatter) for p in _markdown_in(root, layout.signals_dir)]
    )
    problems += validation.stray_markdown([p for p in below_tips if p.count("/") != tip_depth], layout)
    for kind, rel_path, model_cls in sources:
        files_checked += 1
        source, found = read_markdown(root / rel_path, rel_path)
        problems += found
        if source is None:
            continue
        model, found = _validate(model_cls, source.data, rel_path, source.positions)
        problems += found
        if model is not None:
            parsed[kind].append(_Parsed(source, model))
        else:
            failed.append((kind, source, model_cls))

    coaches = {c.id: c for c in coach_list.coaches} if coach_list else {}
    vocabularies = Vocabularies.build(
        taxonomy,
        tuple(coaches) if coach_list else None,
        tuple(_stem(p) for p in tip_paths),
    )
    if taxonomy is not None and tax_positions is not None:
        problems += check_references(taxonomy, vocabularies, layout.taxonomy_file, tax_positions)
    if coach_list is not None and coach_positions is not None:
        problems += check_references(coach_list, vocabularies, layout.coaches_file, coach_positions)
        problems += validation.check_coaches(coach_list, taxonomy, layout.coaches_file, coach_positions)

    repository = Repository(
        root=root,
        taxonomy=taxonomy,
        coaches=coaches,
        chair_rotation=list(coach_list.chair_rotation) if coach_list else [],
    )
    for item in parsed["tip"]:
        problems += check_references(item.model, vocabularies, item.source.rel_path, item.source.positions)
        repository.tips.append(_document(Tip, item))
    for item in parsed["meeting"]:
        problems += check_references(item.model, vocabularies, item.source.rel_path, item.source.positions)
        repository.meetings.append(_document(Meeting, item))
    for item in parsed["signal"]:
        problems += check_references(item.model, vocabularies, item.source.rel_path, item.source.positions)
        repository.signals.append(_document(Signal, item))

    # Links may point at any content file, also one whose front matter has an error.
    targets = {rel_path for _, rel_path, _ in sources}
    for kind, source, model_cls in failed:
        problems += check_raw_references(model_cls, source.data, vocabularies, source.rel_path, source.positions)
        departments = source.data.get("departments")
        if kind == "tip" and isinstance(departments, list) and all(isinstance(d, str) for d in departments):
            problems += validation.check_tip_folder(source.rel_path, departments, taxonomy, source.positions)
        problems += validation.check_body(
            source.rel_path, source.body, source.body_line, targets, root, require_text=kind != "meeting"
        )
    positions = {p.source.rel_path: p.source.positions for kind in parsed.values() for p in kind}
    problems += validation.check_repository(repository, positions, targets, today)

    repository.tips.sort(key=lambda t: (t.date, t.slug), reverse=True)
    repository.meetings.sort(key=lambda m: m.date)
    repository.signals.sort(key=lambda s: (s.raised_on, s.slug), reverse=True)
    return LoadResult(repository, sorted(set(problems)), files_checked)


def _document(doc_cls: type[M], item: _Parsed) -> M:
    """Attach file facts to already-validated front matter without validating it again."""
    source = item.source
    return doc_cls.model_construct(
        **dict(item.model),
        slug=_stem(source.rel_path),
        source_path=source.rel_path,
        body=source.body,
        body_line=source.body_line,
    )
