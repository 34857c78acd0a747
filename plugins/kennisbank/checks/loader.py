"""Loads the whole content repository into typed models, collecting every problem on the way.

The one loader used by the CLI, the MkDocs adapter and the tests. It never writes to the content.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from ..content.images import IMAGE_EXTENSIONS, ImageDefect, ImageFile, ImageLibrary, inspect_image
from ..content.kinds import (
    DOCUMENT_KINDS,
    KINDS_BY_NAME,
    MEASUREMENTS,
    USAGE_MONTHS,
    ContentLayout,
    require_every_kind,
)
from ..content.messages import translate
from ..content.models import (
    CoachList,
    Taxonomy,
    Tip,
)
from ..content.problems import Problem, Severity
from ..content.repository import Repository
from ..content.sourcefile import Positions, SourceFile, parse_yaml, read_markdown, read_text
from ..content.synonyms import SynonymGroups, check_synonyms
from ..content.usage import UsageMonth, UsageMonthFile
from ..content.vocabulary import Vocabularies, check_raw_references, check_references
from . import validation
from .bodycheck import LinkTargets, check_body
from .images import TIP_HOME, ImageCheck, ImageHome, check_images, unused_image
from .nulmeting import check_measurement
from .usage import PhraseRules, check_usage, rules_for

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass
class LoadCache:
    """What an earlier load read, for the next load in the same process (the dev server reloads the content
    on every save). A file is parsed and validated again only when its size or modification time changed;
    a body is checked again only when it or the set of link targets changed. Cross-file rules always run."""

    documents: dict[str, tuple[tuple[int, int], SourceFile | None, BaseModel | None, list[Problem]]] = field(
        default_factory=dict
    )
    bodies: dict[tuple[str, str, int, int, bool, bool], list[Problem]] = field(default_factory=dict)
    # Vocabulary files by path: their stat key and what loading them returned.
    data: dict[str, tuple[tuple[int, int], object]] = field(default_factory=dict)
    # Reference problems by path: the model and vocabulary version they were checked for.
    references: dict[str, tuple[BaseModel, int, list[Problem]]] = field(default_factory=dict)
    # Content documents by path: the validated model they were made from, and the document itself.
    made: dict[str, tuple[BaseModel, Any]] = field(default_factory=dict)
    # Single-tip rule problems by path: the tip object, taxonomy and date they were checked for.
    tips: dict[str, tuple[Tip, Taxonomy | None, date, list[Problem]]] = field(default_factory=dict)
    # Image files by path: their stat key and what decoding them found; image checks of bodies.
    images: dict[str, tuple[tuple[int, int], ImageFile | ImageDefect]] = field(default_factory=dict)
    image_checks: dict[tuple[str, str, int, int, ImageHome], ImageCheck] = field(default_factory=dict)

    def image(self, root: Path, rel_path: str) -> ImageFile | ImageDefect:
        """`inspect_image`, reused while the file is unchanged (decoding is the expensive part)."""
        key = _stat_key(root / rel_path)
        cached = self.images.get(rel_path)
        if key is not None and cached is not None and cached[0] == key:
            return cached[1]
        result = inspect_image(root / rel_path, rel_path)
        if key is not None:
            self.images[rel_path] = (key, result)
        return result

    def check_images(
        self, rel_path: str, body: str, body_line: int, library: ImageLibrary, home: ImageHome = TIP_HOME
    ) -> ImageCheck:
        """`check_images`, reused while the body and every image file are unchanged."""
        key = (rel_path, body, body_line, library.version, home)
        if key not in self.image_checks:
            self.image_checks[key] = check_images(rel_path, body, body_line, library, home)
        return self.image_checks[key]

    def data_file(self, root: Path, rel_path: str, load: Callable[[], T]) -> T:
        """`load()` of a vocabulary file (taxonomy, coaches, synonyms), reused while the file is unchanged."""
        key = _stat_key(root / rel_path)
        cached = self.data.get(rel_path)
        if key is not None and cached is not None and cached[0] == key:
            # One file is always read by the same `load`: what it cached is a T.
            return cast(T, cached[1])
        result = load()
        if key is not None:
            self.data[rel_path] = (key, result)
        return result

    def check_references(
        self, model: BaseModel, vocabularies: Vocabularies, rel_path: str, positions: Positions
    ) -> list[Problem]:
        """`check_references`, reused while the file and the vocabularies (also every tip slug) are unchanged."""
        cached = self.references.get(rel_path)
        if cached is not None and cached[0] is model and cached[1] == vocabularies.version:
            return list(cached[2])
        problems = check_references(model, vocabularies, rel_path, positions)
        self.references[rel_path] = (model, vocabularies.version, list(problems))
        return problems

    def document(self, doc_cls: type[M], item: _Parsed) -> M:
        """`_document`, the same object while its file is unchanged (later stages can reuse work on it)."""
        cached = self.made.get(item.source.rel_path)
        if cached is not None and cached[0] is item.model and type(cached[1]) is doc_cls:
            return cached[1]
        made = _document(doc_cls, item)
        self.made[item.source.rel_path] = (item.model, made)
        return made

    def read(
        self, root: Path, rel_path: str, model_cls: type[BaseModel]
    ) -> tuple[SourceFile | None, BaseModel | None, list[Problem]]:
        """`_read_document`, reused while the file is unchanged."""
        key = _stat_key(os.path.join(root, rel_path))  # not pathlib: a tenth of a 10,000-tip reload
        if key is None:
            return _read_document(root, rel_path, model_cls)
        cached = self.documents.get(rel_path)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2], list(cached[3])
        source, model, problems = _read_document(root, rel_path, model_cls)
        self.documents[rel_path] = (key, source, model, list(problems))
        return source, model, problems

    def check_tip(self, tip: Tip, repository: Repository, positions: Positions, today: date) -> list[Problem]:
        """`validation.check_tip`, reused while the tip object (its file), the taxonomy and the date are the same."""
        cached = self.tips.get(tip.source_path)
        if cached is not None and cached[0] is tip and cached[1] is repository.taxonomy and cached[2] == today:
            return list(cached[3])
        problems = validation.check_tip(tip, repository, positions, today)
        self.tips[tip.source_path] = (tip, repository.taxonomy, today, list(problems))
        return problems

    def check_body(
        self,
        rel_path: str,
        body: str,
        body_line: int,
        targets: LinkTargets,
        *,
        require_text: bool = True,
        images_checked: bool = False,
    ) -> list[Problem]:
        """`check_body`, reused while the body and the link targets are unchanged."""
        key = (rel_path, body, body_line, hash(targets.files), require_text, images_checked)
        if key not in self.bodies:
            self.bodies[key] = check_body(
                rel_path, body, body_line, targets, require_text=require_text, images_checked=images_checked
            )
        return list(self.bodies[key])


def _stat_key(path: Path | str) -> tuple[int, int] | None:
    """Size and modification time: a file is read again when either changed."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _read_document(
    root: Path, rel_path: str, model_cls: type[BaseModel]
) -> tuple[SourceFile | None, BaseModel | None, list[Problem]]:
    """Read a Markdown file and validate its front matter against `model_cls`."""
    source, problems = read_markdown(root / rel_path, rel_path)
    if source is None:
        return None, None, problems
    model, found = _validate(model_cls, source.data, rel_path, source.positions)
    return source, model, problems + found


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


def _load_synonyms(root: Path, rel_path: str) -> tuple[SynonymGroups, list[Problem]]:
    """The synonyms file is optional: without it search simply has no synonyms."""
    if not (root / rel_path).is_file():
        return SynonymGroups(), []
    text, problems = read_text(root / rel_path, rel_path)
    if text is None:
        return SynonymGroups(), problems
    data, positions, problems = parse_yaml(text, rel_path)
    if data is None and problems:
        return SynonymGroups(), problems
    groups, more = check_synonyms(data, rel_path, positions)
    return groups, problems + more


# Files an operating system or editor leaves in folders; never content, never worth a warning.
_IGNORED_FILES = frozenset({"Thumbs.db", "desktop.ini", ".DS_Store"})
_MARKDOWN_LIKE = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".txt"})


@dataclass
class _Listing:
    """The Markdown files and the image files below the content folders, and what was found there that will
    not be published."""

    markdown: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused_links: set[str] = field(default_factory=set)  # symbolic links reported in `problems`

    def below(self, folder: str) -> list[str]:
        return [p for p in self.markdown if p.startswith(folder + "/")]

    def directly_in(self, folder: str) -> list[str]:
        depth = folder.count("/") + 1
        return [p for p in self.below(folder) if p.count("/") == depth]


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return False


def _list_content(root: Path, folders: tuple[str, ...], data_files: frozenset[str]) -> _Listing:
    """Walk the content folders once: .md files to load, images for the documents next to them to show, and a
    problem for everything that would be lost.

    A symbolic link that leads outside the repository is refused (its target would be published), other
    extensions get a warning (a tip saved as .markdown or .MD is otherwise silently never published).
    `os.scandir` tells links and folders apart without a system call per file: the dev server walks 10,000
    tips on every save."""
    listing = _Listing()
    pending = list(reversed(folders))
    while pending:
        rel_dir = pending.pop()
        try:
            entries = sorted(os.scandir(root / rel_dir), key=lambda e: e.name)
        except OSError:  # a missing content folder is reported where it is needed, as os.walk ignores it
            continue
        subfolders = []
        for entry in entries:
            name, rel_path = entry.name, f"{rel_dir}/{entry.name}"
            if _is_dir(entry):  # follows a link, as os.walk did: a linked folder is refused, never walked
                if entry.is_symlink():
                    listing.problems.append(_link_problem(root, root / rel_path, rel_path, folder=True))
                    listing.refused_links.add(rel_path)
                if name.startswith("."):
                    listing.problems.append(_hidden(rel_path))
                elif not entry.is_symlink():
                    subfolders.append(rel_path)
                continue
            if name in _IGNORED_FILES or name in (".gitkeep", ".gitignore") or rel_path in data_files:
                continue
            if name.startswith("."):
                exported = PurePosixPath(name).suffix.lower() in SURVEY_EXPORT_EXTENSIONS
                listing.problems.append(_unpublished(rel_path) if exported else _hidden(rel_path))
                continue
            if entry.is_symlink() and not ((path := root / rel_path).exists() and _inside(path, root)):
                listing.problems.append(_link_problem(root, path, rel_path, folder=False))
                listing.refused_links.add(rel_path)
            elif name.endswith(".md"):
                listing.markdown.append(rel_path)
            elif PurePosixPath(name).suffix.lower() in IMAGE_EXTENSIONS:
                listing.images.append(rel_path)  # published when a document shows it (checks.images)
            else:
                listing.problems.append(_unpublished(rel_path))
        pending += reversed(subfolders)
    listing.markdown = sorted(set(listing.markdown))
    return listing


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a folder or a link to one; a link loop is not (it is reported as a broken link)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _link_problem(root: Path, path: Path, rel_path: str, folder: bool) -> Problem:
    if not path.exists():
        return Problem(rel_path, 1, 1, "bestand", "symbolische link die nergens naar wijst; verwijder hem.")
    if not _inside(path, root):
        return Problem(
            rel_path,
            1,
            1,
            "bestand",
            "symbolische link naar iets buiten de repository; die wordt niet gepubliceerd. Kopieer de inhoud "
            "in de repository.",
        )
    # A linked folder inside the repository: os.walk does not follow it, so say that nothing in it is read.
    return Problem(
        rel_path,
        1,
        1,
        "bestand",
        "symbolische link naar een map; de tips erin worden niet gelezen. Zet ze in de map zelf.",
        Severity.WARNING,
    )


def _hidden(rel_path: str) -> Problem:
    name = PurePosixPath(rel_path).name
    return Problem(
        rel_path,
        1,
        1,
        "bestand",
        f"'{name}' begint met een punt en wordt dus niet gepubliceerd; hernoem het als het een tip moet zijn.",
        Severity.WARNING,
    )


# Spreadsheets and their exports: a Forms export holds names, e-mail addresses and answers, and once committed it
# stays in the git history and the pull request even if the site never shows it.
SURVEY_EXPORT_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".ods", ".numbers"})


def _unpublished(rel_path: str) -> Problem:
    suffix = PurePosixPath(rel_path).suffix
    if suffix.lower() in SURVEY_EXPORT_EXTENSIONS:
        return Problem(
            rel_path,
            1,
            1,
            "bestand",
            "een werkblad of export (bv. van Microsoft Forms) hoort niet in de repository: het kan namen, "
            "e-mailadressen en antwoorden van collega's bevatten, en wat gecommit is, blijft in de geschiedenis. "
            "Verwijder het bestand (commit een export nooit) en lees een nulmeting in met 'kennisbank nulmeting "
            "import' vanaf een plaats buiten de repository (bv. je map Downloads).",
        )
    if suffix.lower() in _MARKDOWN_LIKE:
        # Meant as a tip or meeting: an error, so it is not silently left off the site.
        proper = rel_path[: len(rel_path) - len(suffix)] + ".md"
        return Problem(
            rel_path,
            1,
            1,
            "bestand",
            f"dit bestand wordt niet gepubliceerd: alleen bestanden op '.md' (kleine letters) worden gelezen. "
            f"Hernoem het naar '{PurePosixPath(proper).name}'.",
        )
    return Problem(
        rel_path,
        1,
        1,
        "bestand",
        f"bestanden op '{suffix or '(geen extensie)'}' worden niet gepubliceerd; alleen tips in Markdown (.md).",
        Severity.WARNING,
    )


def _raw_tip_checks(source: SourceFile, vocabularies: Vocabularies, taxonomy: Taxonomy | None) -> list[Problem]:
    problems: list[Problem] = []
    departments = source.data.get("departments")
    if isinstance(departments, list) and all(isinstance(d, str) for d in departments):
        problems += validation.check_tip_folder(source.rel_path, departments, taxonomy, source.positions)
    problems += validation.check_template_leftovers(source.rel_path, source.data, source.positions)
    return problems


def _raw_path_checks(source: SourceFile, vocabularies: Vocabularies, taxonomy: Taxonomy | None) -> list[Problem]:
    return validation.check_raw_steps(source.rel_path, source.data, vocabularies, source.positions)


def _no_raw_checks(source: SourceFile, vocabularies: Vocabularies, taxonomy: Taxonomy | None) -> list[Problem]:
    return []


# Per kind (content/kinds.py): what is checked of a document whose front matter does not parse, besides its
# references and body, so a coach sees every problem of the file at once.
RAW_CHECKS: dict[str, Callable[[SourceFile, Vocabularies, Taxonomy | None], list[Problem]]] = {
    "tip": _raw_tip_checks,
    "path": _raw_path_checks,
    "meeting": _no_raw_checks,
    "signal": _no_raw_checks,
}
require_every_kind(RAW_CHECKS, "checks/loader.py RAW_CHECKS")


def _files_per_kind(listing: _Listing, layout: ContentLayout) -> dict[str, list[str]]:
    """Each kind's files: directly in its folder, or (tips) one folder deeper and in no other kind's folder."""
    files: dict[str, list[str]] = {}
    for kind in DOCUMENT_KINDS:
        folder = kind.folder(layout)
        if not kind.in_subfolders:
            files[kind.name] = listing.directly_in(folder)
            continue
        inner = [k.folder(layout) for k in DOCUMENT_KINDS if k.folder(layout).startswith(folder + "/")]
        elsewhere = {p for other in inner for p in listing.below(other)}
        depth = folder.count("/") + 2  # tips/<department>/<slug>.md
        files[kind.name] = [p for p in listing.below(folder) if p not in elsewhere and p.count("/") == depth]
    return files


def _docs_files(root: Path, docs_dir: str) -> frozenset[str]:
    """Every file of docs/, as the path the site engine knows it by (relative to docs/)."""
    base = root / docs_dir
    found: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel_dir = Path(dirpath).relative_to(base).as_posix()
        found.update(name if rel_dir == "." else f"{rel_dir}/{name}" for name in filenames)
    return frozenset(found)


def _measurement_paths(root: Path, folder: str) -> list[str]:
    """The measurement files (`*.yml` directly in the nulmeting folder); a link leading elsewhere is left to
    the listing, which refuses it."""
    base = root / folder
    if not base.is_dir():
        return []
    return [
        f"{folder}/{path.name}"
        for path in sorted(base.iterdir())
        if path.suffix == ".yml" and not path.name.startswith(".") and path.is_file() and not path.is_symlink()
    ]


def _load_usage(
    root: Path,
    usage_paths: list[str],
    repository: Repository,
    today: date,
    data_file: Callable[[str, Callable[[], tuple[UsageMonthFile | None, Positions | None, list[Problem]]]], Any],
) -> tuple[tuple[UsageMonth, ...], list[Problem], int]:
    """The usage months (oldest first) and their problems. The privacy rules need the site's own words, so
    this runs after the tips are read; the Dutch lexicon is loaded only when a file has phrases."""
    problems: list[Problem] = []
    months: list[UsageMonth] = []
    tip_slugs = frozenset(tip.slug for tip in repository.tips)
    path_slugs = frozenset(path.slug for path in repository.paths)
    rules: list[PhraseRules] = []

    def phrase_rules() -> PhraseRules:
        if not rules:
            rules.append(rules_for(repository))
        return rules[0]

    for rel_path in usage_paths:
        loaded, positions, found = data_file(
            rel_path, partial(_load_yaml_file, root, rel_path, USAGE_MONTHS.file_model)
        )
        problems += found
        if loaded is not None and positions is not None:
            problems += check_usage(loaded, rel_path, positions, today, tip_slugs, path_slugs, phrase_rules)
            months.append(
                USAGE_MONTHS.document.model_construct(**dict(loaded), slug=_stem(rel_path), source_path=rel_path)
            )
    return tuple(USAGE_MONTHS.order(months)), problems, len(usage_paths)


def _stem(rel_path: str) -> str:
    """'tips/ict/vpn.md' -> 'vpn' (string operations: this runs for every tip on every save)."""
    name = rel_path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def load_repository(
    root: Path, *, today: date, layout: ContentLayout | None = None, cache: LoadCache | None = None
) -> LoadResult:
    """Read and validate taxonomy, coaches, tips, learning paths, meetings and signals below `root`, as of
    `today`.

    With a `cache` from an earlier load, unchanged files are not parsed again."""
    # Loading allocates hundreds of thousands of small, acyclic objects; the cyclic garbage collector
    # would rescan them over and over (measured: half of the load time at 10,000 tips). Pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(root), layout or ContentLayout(), today, cache)
    finally:
        if collecting:
            gc.enable()


def _load(root: Path, layout: ContentLayout, today: date, cache: LoadCache | None) -> LoadResult:
    problems: list[Problem] = []
    files_checked = 2

    def data_file(rel_path: str, load: Callable[[], T]) -> T:
        return cache.data_file(root, rel_path, load) if cache else load()

    taxonomy, tax_positions, found = data_file(
        layout.taxonomy_file, partial(_load_yaml_file, root, layout.taxonomy_file, Taxonomy)
    )
    problems += found
    coach_list, coach_positions, found = data_file(
        layout.coaches_file, partial(_load_yaml_file, root, layout.coaches_file, CoachList)
    )
    problems += found
    synonyms, found = data_file(layout.synonyms_file, partial(_load_synonyms, root, layout.synonyms_file))
    problems += found
    files_checked += (root / layout.synonyms_file).is_file()

    parsed: dict[str, list[_Parsed]] = {kind.name: [] for kind in DOCUMENT_KINDS}
    failed: list[tuple[str, SourceFile, type[BaseModel]]] = []  # shape errors: checked as far as possible
    measurement_paths = _measurement_paths(root, MEASUREMENTS.folder(layout))
    usage_paths = _measurement_paths(root, USAGE_MONTHS.folder(layout))
    data_files = frozenset(
        {layout.taxonomy_file, layout.coaches_file, layout.synonyms_file, *measurement_paths, *usage_paths}
    )
    listing = _list_content(root, layout.watched, data_files)
    problems += listing.problems
    files_of = _files_per_kind(listing, layout)
    sources = [(kind.name, p, kind.front_matter) for kind in DOCUMENT_KINDS for p in files_of[kind.name]]
    claimed = {rel_path for _, rel_path, _ in sources}
    problems += validation.stray_markdown(
        [p for folder in layout.watched for p in listing.below(folder) if p not in claimed], layout
    )
    read = cache.read if cache else _read_document
    for kind, rel_path, model_cls in sources:
        files_checked += 1
        source, model, found = read(root, rel_path, model_cls)
        problems += found
        if source is None:
            continue
        if model is not None:
            parsed[kind].append(_Parsed(source, model))
        else:
            failed.append((kind, source, model_cls))

    coaches = {c.id: c for c in coach_list.coaches} if coach_list else {}
    vocabularies = Vocabularies.build(
        taxonomy,
        tuple(coaches) if coach_list else None,
        tuple(_stem(p) for p in files_of["tip"]),
    )
    if taxonomy is not None and tax_positions is not None:
        problems += check_references(taxonomy, vocabularies, layout.taxonomy_file, tax_positions)
        problems += validation.check_taxonomy_ids(taxonomy, layout.taxonomy_file, tax_positions)
        problems += validation.check_reserved_folder(taxonomy, layout, tax_positions)
    if coach_list is not None and coach_positions is not None:
        problems += check_references(coach_list, vocabularies, layout.coaches_file, coach_positions)
        problems += validation.check_coaches(coach_list, taxonomy, layout.coaches_file, coach_positions)

    repository = Repository(
        root=root,
        taxonomy=taxonomy,
        coaches=coaches,
        chair_rotation=list(coach_list.chair_rotation) if coach_list else [],
        synonyms=synonyms,
    )
    document = cache.document if cache else _document
    references = cache.check_references if cache else check_references
    for document_kind in DOCUMENT_KINDS:
        collection = document_kind.documents(repository)
        for item in parsed[document_kind.name]:
            problems += references(item.model, vocabularies, item.source.rel_path, item.source.positions)
            collection.append(document(document_kind.document, item))

    measurement_positions: dict[str, Positions] = {}
    for rel_path in measurement_paths:
        files_checked += 1
        loaded, positions, found = data_file(
            rel_path, partial(_load_yaml_file, root, rel_path, MEASUREMENTS.file_model)
        )
        problems += found
        if loaded is not None and positions is not None:
            problems += check_measurement(loaded, rel_path, positions, taxonomy, today)
            measurement = MEASUREMENTS.document.model_construct(
                **dict(loaded), slug=_stem(rel_path), source_path=rel_path
            )
            repository.measurements.append(measurement)
            measurement_positions[rel_path] = positions
    problems += validation.duplicate_measurement_dates(repository.measurements, measurement_positions)
    usage, found, checked = _load_usage(root, usage_paths, repository, today, data_file)
    repository.usage = usage
    problems += found
    files_checked += checked

    # Links may point at any content file, also one whose front matter has an error, and at the site's
    # own pages and files in docs/ (which the site serves from its root).
    targets = LinkTargets(frozenset(rel_path for _, rel_path, _ in sources) | _docs_files(root, layout.docs_dir))
    for kind, source, model_cls in failed:
        problems += check_raw_references(model_cls, source.data, vocabularies, source.rel_path, source.positions)
        problems += RAW_CHECKS[kind](source, vocabularies, taxonomy)
        problems += check_body(
            source.rel_path,
            source.body,
            source.body_line,
            targets,
            require_text=KINDS_BY_NAME[kind].requires_text,
            images_checked=True,
        )
    document_positions = {p.source.rel_path: p.source.positions for kind in parsed.values() for p in kind}
    body_check = cache.check_body if cache else check_body
    tip_check = cache.check_tip if cache else None
    problems += validation.check_repository(repository, document_positions, targets, today, body_check, tip_check)
    documents = [(kind, p.source) for kind, items in parsed.items() for p in items]
    documents += [(kind, source) for kind, source, _ in failed]
    problems += _check_images(root, layout, listing, documents, repository, cache)
    files_checked += len(listing.images)

    for document_kind in DOCUMENT_KINDS:
        setattr(repository, document_kind.collection, list(document_kind.order(document_kind.documents(repository))))
    repository.measurements = list(MEASUREMENTS.order(repository.measurements))
    return LoadResult(repository, sorted(set(problems)), files_checked)


def _check_images(
    root: Path,
    layout: ContentLayout,
    listing: _Listing,
    documents: list[tuple[str, SourceFile]],
    repository: Repository,
    cache: LoadCache | None,
) -> list[Problem]:
    """Check the images of every tip, learning path, meeting and signal (also of those whose front matter has
    errors), fill the repository's images, and warn about image files nothing shows (they are not published)."""
    inspected: dict[str, ImageFile | ImageDefect] = {}  # a file several tips show is decoded once per load

    def inspect(rel_path: str) -> ImageFile | ImageDefect:
        if rel_path not in inspected:
            inspected[rel_path] = cache.image(root, rel_path) if cache else inspect_image(root / rel_path, rel_path)
        return inspected[rel_path]

    image_paths = listing.images
    stats = {path: _stat_key(root / path) or (0, 0) for path in image_paths}
    library = ImageLibrary(stats, inspect, frozenset(listing.refused_links))
    check = cache.check_images if cache else check_images
    homes = {kind.name: ImageHome(kind.home(layout), kind.noun) for kind in DOCUMENT_KINDS}
    problems: list[Problem] = []
    linked: set[str] = set()
    published = {doc.source_path for kind in DOCUMENT_KINDS for doc in kind.documents(repository)}
    for kind, source in documents:
        found = check(source.rel_path, source.body, source.body_line, library, homes[kind])
        problems += found.problems
        linked.update(found.linked)
        if source.rel_path in published and found.used:
            repository.document_images[source.rel_path] = found.used
    for paths in repository.document_images.values():
        for path in paths:
            image = inspect(path)
            if isinstance(image, ImageFile):
                repository.images[path] = image
    unused = [path for path in image_paths if path not in linked]
    problems += [unused_image(path, layout.meetings_dir, layout.paths_dir) for path in unused]
    return problems


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
