"""The kinds of source document, each declared once: where its files are, how they are read and what a
problem calls it. Markdown documents (`DOCUMENT_KINDS`) and YAML data files (`DATA_KINDS`).

Every kind's document shares `models.SourceData` (slug, source path, example flag); a Markdown document
also `models.SourceDocument` (body, body line).
The later stages each keep one table keyed by the kind's name, and refuse to start when a kind is missing
from it, so a new kind is added here, in its model, and in those tables (README: Architecture):
- checks/loader.py `RAW_CHECKS`: what is checked when its front matter does not even parse;
- site/model.py `KIND_PAGES`: its pages (URL, title, the parts around its body), with its templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .models import (
    Meeting,
    MeetingFrontMatter,
    PathDocument,
    PathFrontMatter,
    Signal,
    SignalFrontMatter,
    SourceData,
    SourceDocument,
    Tip,
    TipFrontMatter,
)
from .nulmeting import Measurement, MeasurementFile
from .repository import Repository, chronological, newest_first, newest_signals_first
from .usage import UsageMonth, UsageMonthFile

F = TypeVar("F", bound=BaseModel)
D = TypeVar("D", bound=SourceData)


@dataclass(frozen=True)
class ContentLayout:
    """Where content lives, relative to the repository root."""

    tips_dir: str = "tips"
    paths_dir: str = "tips/leerpaden"  # learning paths: beside the department folders, not tips themselves
    meetings_dir: str = "meetings"
    signals_dir: str = "meetings/signals"
    taxonomy_file: str = "tips/taxonomy.yml"
    coaches_file: str = "tips/coaches.yml"
    synonyms_file: str = "tips/synoniemen.yml"
    nulmeting_dir: str = "tips/nulmeting"  # <jjjj-mm>.yml: anonymised results of a skills survey
    usage_dir: str = "tips/gebruik"  # <jjjj-mm>.yml: usage figures of a month, from the web server's log
    docs_dir: str = "docs"

    @property
    def watched(self) -> tuple[str, ...]:
        """The folders whose changes call for a rebuild (the docs folder is the engine's own)."""
        return (self.tips_dir, self.meetings_dir)


@dataclass(frozen=True)
class DocumentKind:
    """One kind of Markdown document with front matter."""

    name: str  # the key of every per-kind table, and `SourceDocument.kind` of its documents
    noun: str  # with its article, as a coach reads it in a message: 'de tip', 'het leerpad'
    this: str  # with a demonstrative: 'deze tip', 'dit leerpad'
    front_matter: type[BaseModel]  # what the file's front matter must be (also its JSON Schema)
    document: type[SourceDocument]  # the validated document: front matter plus `SourceDocument`
    folder: Callable[[ContentLayout], str]  # where its files are
    home: Callable[[ContentLayout], str]  # the content folder its images must be below
    in_subfolders: bool  # one folder deeper (tips/<dienst>/<slug>.md) instead of directly in `folder`
    requires_text: bool  # a body is expected (a meeting's minutes come after it; a path may do without)
    collection: str  # the `Repository` attribute that holds its documents
    order: Callable[[Iterable[Any]], Sequence[Any]]  # the order the repository keeps them in

    def documents(self, repository: Repository) -> list[SourceDocument]:
        """This kind's documents in `repository`."""
        documents: list[SourceDocument] = getattr(repository, self.collection)
        return documents


def _by_slug(paths: Iterable[PathDocument]) -> list[PathDocument]:
    return sorted(paths, key=lambda p: p.slug)


# The order is the order of loading and of the site's pages.
DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        name="tip",
        noun="de tip",
        this="deze tip",
        front_matter=TipFrontMatter,
        document=Tip,
        folder=lambda layout: layout.tips_dir,
        home=lambda layout: layout.tips_dir,
        in_subfolders=True,
        requires_text=True,
        collection="tips",
        order=newest_first,
    ),
    DocumentKind(
        name="path",
        noun="het leerpad",
        this="dit leerpad",
        front_matter=PathFrontMatter,
        document=PathDocument,
        folder=lambda layout: layout.paths_dir,
        home=lambda layout: layout.tips_dir,
        in_subfolders=False,
        requires_text=False,  # its summary and steps say enough
        collection="paths",
        order=_by_slug,
    ),
    DocumentKind(
        name="meeting",
        noun="het overleg",
        this="dit overleg",
        front_matter=MeetingFrontMatter,
        document=Meeting,
        folder=lambda layout: layout.meetings_dir,
        home=lambda layout: layout.meetings_dir,
        in_subfolders=False,
        requires_text=False,  # the file exists before the meeting; its minutes are written afterwards
        collection="meetings",
        order=chronological,
    ),
    DocumentKind(
        name="signal",
        noun="het signaal",
        this="dit signaal",
        front_matter=SignalFrontMatter,
        document=Signal,
        folder=lambda layout: layout.signals_dir,
        home=lambda layout: layout.meetings_dir,
        in_subfolders=False,
        requires_text=True,
        collection="signals",
        order=newest_signals_first,
    ),
)
KINDS_BY_NAME = {kind.name: kind for kind in DOCUMENT_KINDS}


@dataclass(frozen=True)
class DataKind(Generic[F, D]):
    """One kind of YAML data file, `<jjjj-mm>.yml` directly in its folder, made by an import command."""

    name: str  # `SourceData.kind` of its documents
    noun: str
    file_model: type[F]  # what the file must hold
    document: type[D]  # the validated file: its model plus `SourceData`
    folder: Callable[[ContentLayout], str]
    collection: str  # the `Repository` attribute that holds its documents
    order: Callable[[Iterable[D]], Sequence[D]]  # the order the repository keeps them in

    def documents(self, repository: Repository) -> Sequence[D]:
        """This kind's documents in `repository`."""
        documents: Sequence[D] = getattr(repository, self.collection)
        return documents


MEASUREMENTS: DataKind[MeasurementFile, Measurement] = DataKind(
    "nulmeting", "de meting", MeasurementFile, Measurement, lambda layout: layout.nulmeting_dir, "measurements",
    lambda found: sorted(found, key=lambda m: (m.date, m.slug)),
)  # fmt: skip
USAGE_MONTHS: DataKind[UsageMonthFile, UsageMonth] = DataKind(
    "gebruik", "de gebruiksmaand", UsageMonthFile, UsageMonth, lambda layout: layout.usage_dir, "usage",
    lambda found: tuple(sorted(found, key=lambda m: (m.month, m.source_path))),
)  # fmt: skip
DATA_KINDS: tuple[DataKind[Any, Any], ...] = (MEASUREMENTS, USAGE_MONTHS)


def require_every_kind(table: Iterable[str], where: str) -> None:
    """Stop at import when a per-kind table of a later stage misses a kind, or names one that does not exist:
    a new kind cannot be half added."""
    names, known = set(table), set(KINDS_BY_NAME)
    if names != known:
        raise RuntimeError(f"{where}: kinds {sorted(known - names)} missing, {sorted(names - known)} unknown")
