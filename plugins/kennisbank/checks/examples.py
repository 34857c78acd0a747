"""Example content: the invented sample (people, meetings, signals, measurements, usage
figures) marked `example: true`.

The sample shows what the site can do; it must never reach the intranet. Three questions, one answer each:
- `has_example_content`: does the site show invented people or figures (the notice on every page)?
- `example_images`: which images are shown only by example documents (they go with them)?
- `publish_problems`: what stops the publish build (`KENNISBANK_REQUIRE_SITE_URL`, `kennisbank validate
  --publiceren`): every example item, and every real document that still names an example coach or has no
  real coach yet (`coach: over-te-nemen`); and copies of the sample without the flag: a real coach, image
  or measurement that matches a fingerprint of the sample (`fingerprints.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import cast

from pydantic import BaseModel

from ..content.kinds import DOCUMENT_KINDS, KINDS_BY_NAME
from ..content.models import UNCLAIMED, Meeting, PathDocument, Signal, Tip
from ..content.problems import Problem
from ..content.repository import Repository
from ..content.sourcefile import Positions, parse_yaml, read_markdown, read_text
from ..content.vocabulary import references
from .fingerprints import committed_fingerprints

Document = Tip | PathDocument | Meeting | Signal

# The first line of every export (agenda, reports) made while the site has example content: a file that leaves
# the site (a mail, a Word document in the onthaalmap, a spreadsheet for HR) must say so itself.
EXAMPLE_NOTICE = "Voorbeeldinhoud: deze personen en cijfers zijn verzonnen."

HOW_TO_REMOVE = (
    "Voer 'kennisbank start' uit (dat vervangt de voorbeeldinhoud door je eigen digicoaches), "
    "of verwijder zelf de bestanden en de personen met 'example: true'."
)


def _documents(repository: Repository) -> Iterable[Document]:
    for kind in DOCUMENT_KINDS:
        yield from cast("list[Document]", kind.documents(repository))  # a kind's list holds its own class


def example_coach_ids(repository: Repository) -> frozenset[str]:
    """The ids of the invented coaches in coaches.yml."""
    return frozenset(coach.id for coach in repository.coaches.values() if coach.example)


def has_example_content(repository: Repository) -> bool:
    """True while anything marked `example: true` is in the repository: the site then says so on every page."""
    return (
        any(coach.example for coach in repository.coaches.values())
        or any(doc.example for doc in _documents(repository))
        or any(measurement.example for measurement in repository.measurements)
        or any(month.example for month in repository.usage)
    )


def example_images(repository: Repository) -> tuple[str, ...]:
    """Repository paths of the images that only example documents show: example content too (the sample
    screenshot), to be removed with the documents that show them."""
    documents = list(_documents(repository))
    examples = {doc.source_path for doc in documents if doc.example}
    shown = repository.document_images
    used_by_real = {path for doc, paths in shown.items() if doc not in examples for path in paths}
    used_by_example = {path for doc in examples for path in shown.get(doc, ())}
    return tuple(sorted(used_by_example - used_by_real))


def _coach_fields(document: BaseModel) -> Iterable[tuple[tuple[str | int, ...], str]]:
    for path, vocab, value in references(document):
        if vocab.name == "coaches" and isinstance(value, str):
            yield path, value


def _document_positions(root: Path, rel_path: str) -> Positions | None:
    source, _ = read_markdown(root / rel_path, rel_path)
    return source.positions if source else None


def _yaml_positions(root: Path, rel_path: str) -> Positions | None:
    text, _ = read_text(root / rel_path, rel_path)
    if text is None:
        return None
    _, positions, _ = parse_yaml(text, rel_path)
    return positions


def _unpositioned(rel_path: str) -> Positions | None:
    return None


def _line(positions: Positions | None, path: tuple[str | int, ...]) -> tuple[int, int]:
    return positions.of(path) if positions else (1, 1)


def publish_problems(
    repository: Repository, coaches_file: str = "tips/coaches.yml", *, positioned: bool = True
) -> list[Problem]:
    """Everything that may not be published: example coaches (with their line in coaches.yml), example
    documents and measurements, and real documents that name an example coach or `over-te-nemen`.

    Empty for a repository without example content. Positions are read again from the files that have a
    problem only, so a clean repository costs no extra parsing; `positioned=False` reads no file again and
    puts every problem on line 1 (`publish_problem_count`)."""
    root = repository.root
    markdown_at = partial(_document_positions, root) if positioned else _unpositioned
    yaml_at = partial(_yaml_positions, root) if positioned else _unpositioned
    problems: list[Problem] = []
    invented = example_coach_ids(repository)
    if invented:
        positions = yaml_at(coaches_file)
        for index, coach in enumerate(repository.coaches.values()):
            if coach.example:
                message = f"voorbeeldpersoon '{coach.name}' ({coach.id}) is verzonnen en mag niet gepubliceerd worden."
                problems.append(Problem(coaches_file, *_line(positions, ("coaches", index, "id")), "example", message))
    for document in _documents(repository):
        rel_path = document.source_path
        if document.example:
            message = f"{_noun(document)} is een verzonnen voorbeeld en mag niet gepubliceerd worden."
            positions = markdown_at(rel_path)
            problems.append(Problem(rel_path, *_line(positions, ("example",)), "example", message))
            continue
        named = [(path, value) for path, value in _coach_fields(document) if value in invented or value == UNCLAIMED]
        if not named:
            continue
        positions = markdown_at(rel_path)
        for path, value in named:
            field = ".".join(str(part) for part in path)
            if value == UNCLAIMED:
                message = (
                    f"'{UNCLAIMED}': nog geen digicoach heeft dit overgenomen; zet de id van een echte digicoach, "
                    "of voer 'kennisbank start --tips-naar <id>' uit."
                )
            else:
                message = f"'{value}' is een verzonnen voorbeeldpersoon; zet de id van een echte digicoach."
            problems.append(Problem(rel_path, *_line(positions, path), field, message))
    for measurement in repository.measurements:
        if measurement.example:
            positions = yaml_at(measurement.source_path)
            message = "deze meting heeft verzonnen cijfers en mag niet gepubliceerd worden; verwijder het bestand."
            problems.append(Problem(measurement.source_path, *_line(positions, ("example",)), "example", message))
    for month in repository.usage:
        if month.example:
            positions = yaml_at(month.source_path)
            message = "deze gebruikscijfers zijn verzonnen en mogen niet gepubliceerd worden; verwijder het bestand."
            problems.append(Problem(month.source_path, *_line(positions, ("example",)), "example", message))
    sample_images = example_images(repository)
    for image in sample_images:
        message = "deze afbeelding tonen alleen voorbeeldbestanden; verwijder ze samen met die bestanden."
        problems.append(Problem(image, 1, 1, "bestand", message))
    problems += _copies_of_the_sample(repository, coaches_file, set(sample_images), yaml_at)
    return sorted(problems)


def publish_problem_count(repository: Repository) -> int:
    """How many problems `publish_problems` finds, without reading any file again to position them: the
    build marker of every build counts them (at 10,000 tips that named a sample coach, reading each tip
    again cost two seconds at the end of the build)."""
    return len(publish_problems(repository, positioned=False))


_COACH_FIELD_NOUNS = {"email": "e-mailadres", "phone": "telefoonnummer", "name": "naam"}


def _copies_of_the_sample(
    repository: Repository,
    coaches_file: str,
    reported_images: set[str],
    yaml_at: Callable[[str], Positions | None],
) -> list[Problem]:
    """Real coaches, images and measurements that are the sample's invented ones without `example: true`."""
    fingerprints = committed_fingerprints()
    problems: list[Problem] = []
    positions: Positions | None = None
    for index, coach in enumerate(repository.coaches.values()):
        fields = [] if coach.example else fingerprints.coach_fields(coach)
        # A name alone is no proof: a real colleague may well be called An Peeters. Only the invented
        # contact details (e-mail, phone) would send colleagues nowhere.
        if not {"email", "phone"} & set(fields):
            continue
        if positions is None:
            positions = yaml_at(coaches_file)
        same = ", ".join(_COACH_FIELD_NOUNS[field] for field in fields)
        message = (
            f"'{coach.name}' (id {coach.id}; zelfde {same}) is een persoon uit de voorbeeldinhoud (verzonnen); "
            "gebruik een echte digicoach."
        )
        yaml_path = ("coaches", index, fields[0])
        problems.append(Problem(coaches_file, *_line(positions, yaml_path), f"coaches[{index}].{fields[0]}", message))
    if fingerprints.images:
        real_documents = {doc.source_path for doc in _documents(repository) if not doc.example}
        shown = sorted(
            {
                path
                for doc, paths in repository.document_images.items()
                if doc in real_documents
                for path in paths
                if path not in reported_images
            }
        )
        for path in shown:
            image = repository.images.get(path)
            if image is not None and image.digest in fingerprints.images:
                message = (
                    f"'{path}' is de schermafbeelding uit de voorbeeldinhoud (nagetekend, met verzonnen gegevens); "
                    "maak een eigen schermafbeelding."
                )
                problems.append(Problem(path, 1, 1, "bestand", message))
    for measurement in repository.measurements:
        if not measurement.example and fingerprints.is_sample_measurement(measurement):
            message = (
                "deze meting heeft de cijfers van de voorbeeldinhoud (verzonnen), ook zonder 'example: true'; "
                "verwijder het bestand of lees een echte nulmeting in."
            )
            problems.append(Problem(measurement.source_path, 1, 1, "bestand", message))
    return problems


def _noun(document: Document) -> str:
    return KINDS_BY_NAME[document.kind].this


def publish_refusal(problems: list[Problem]) -> str:
    """The Dutch message of a refused publish build: what is still example content, and how to remove it."""
    files = len({problem.path for problem in problems})
    return "\n".join(
        [
            f"Publiceren kan niet: er staat nog voorbeeldinhoud in de kennisbank ({files} bestand(en)). "
            "De personen en cijfers ervan zijn verzonnen.",
            *(problem.format_text() for problem in problems),
            HOW_TO_REMOVE,
        ]
    )
