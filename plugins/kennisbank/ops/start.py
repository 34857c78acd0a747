"""`kennisbank start`: from the bundled sample to the organisation's own kennisbank.

The command plans every change first (`plan_start`): the taxonomy's municipalities and departments and the
coaches from the HR list, the settings in mkdocs.yml, the removal of everything marked `example: true`, the
hand-over of the generic tips and learning paths, and the repair of references that would break (path steps,
links in bodies, tips in a department the organisation does not have). It then applies the plan to a scratch
copy and runs the real loader on it; only a plan that validates is written (`apply_plan`), so refused input
writes nothing. Content that is not an example is never removed, and a repository that already has real
coaches is not started again.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..checks.examples import example_images
from ..checks.loader import load_repository
from ..checks.validation import slugify
from ..content.hr_list import HrPerson, fold, municipality_label
from ..content.kinds import ContentLayout
from ..content.models import ALL_DEPARTMENTS, UNCLAIMED, Meeting, PathDocument, Signal, Tip
from ..content.problems import Severity, suggest, unknown_value_message
from ..content.repository import Repository
from ..content.schema import SCHEMAS, build_json_schema, build_snippets
from ..content.vocabulary import Vocabularies
from ..policy import MEETING_INTERVAL
from .site_config import CONFIG_FILE, WEEKDAYS, edit_config, parse_config, plugin_options

EDITOR_DIR = ".vscode"  # generated schemas and snippets (kennisbank schema -o .vscode)
RESERVED_IDS = (ALL_DEPARTMENTS, "leerpaden", "nulmeting")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
LINK_RE = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)((?:\s+\"[^\"\n]*\")?)\)")
SAMPLE_MUNICIPALITIES = "**De Panne, Koksijde, Nieuwpoort en Veurne**"
HAND_WRITTEN_PAGES = ("docs/index.md",)  # docs/over.md tells the sample's story: the report says to rewrite it


class StartError(ValueError):
    """The start cannot go ahead; the message is Dutch and nothing has been written."""


@dataclass(frozen=True)
class MeetingPlan:
    """The meeting defaults `kennisbank start` writes into mkdocs.yml."""

    every_weeks: int = 3
    day: str = "dinsdag"
    start: str = "13:30"
    end: str = "15:00"
    location: str = "Te bepalen"


@dataclass(frozen=True)
class StartRequest:
    """Everything `kennisbank start` was told, checked per answer by the command line."""

    people: tuple[HrPerson, ...]
    source: str  # where the people came from, for the report ("coaches.xlsx", "ingetypt")
    municipalities: tuple[str, ...] = ()  # labels given explicitly; empty: from the people
    # Department label -> municipality labels it exists in (empty tuple: all). Departments of the people
    # that are not named here exist in every municipality.
    departments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    meeting: MeetingPlan = MeetingPlan()
    site_url: str | None = None
    repo_url: str | None = None
    branch: str = "main"
    tips_to: str | None = None  # id, name or e-mail of the coach who takes the generic tips over
    notes: tuple[str, ...] = ()  # what reading the HR list concluded


@dataclass(frozen=True)
class Change:
    """One file the start writes, rewrites, moves or removes (paths relative to the repository)."""

    action: str  # "nieuw", "aangepast", "verplaatst", "verwijderd"
    path: str
    text: str | None = None  # the new content (None for a removal)
    why: str = ""
    new_path: str | None = None  # for a move


@dataclass
class StartPlan:
    changes: list[Change]
    coaches: int
    departments: int
    municipalities: tuple[str, ...]
    notes: list[str]
    tips_to: str | None
    unclaimed: list[str]  # tips and paths left as over-te-nemen
    warnings: int = 0
    questions_page: str | None = None  # the docs page with the nulmeting's Forms questions, if there is one

    def by_action(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]


# --- checking answers --------------------------------------------------------------------------------


def check_url(text: str, what: str) -> str:
    """An http(s) address ending in '/' for a site; StartError in Dutch otherwise."""
    value = text.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        hint = f"https://{value.split('://')[-1].lstrip('/')}" if value and "." in value else None
        raise StartError(
            f"'{text}' is geen webadres voor {what}; schrijf het volledig, bv. https://intranet.gemeente.be/kennisbank/."
            + (f" Bedoelde je '{hint}'?" if hint else "")
        )
    return value


def check_repo_url(text: str) -> str:
    """A repository's web address: https://github.com/org/repo (also from git@github.com:org/repo.git)."""
    value = text.strip()
    ssh = re.match(r"^git@([^:]+):(.+?)(\.git)?/?$", value)
    if ssh:
        value = f"https://{ssh.group(1)}/{ssh.group(2)}"
    value = check_url(value, "de repository").rstrip("/")
    value = value.removesuffix(".git")
    if len([p for p in urlsplit(value).path.split("/") if p]) < 2:
        raise StartError(
            f"'{text}' is geen adres van een repository; verwacht bv. https://github.com/organisatie/kennisbank."
        )
    return value


def check_weekday(text: str) -> str:
    value = text.strip().lower()
    if value not in WEEKDAYS:
        raise StartError(unknown_value_message("weekdag", text.strip(), WEEKDAYS))
    return value


def check_time(text: str) -> str:
    value = text.strip().replace(".", ":").replace("u", ":").rstrip(":")
    if re.fullmatch(r"\d:\d\d", value):
        value = "0" + value
    if re.fullmatch(r"\d{1,2}", value):
        value = f"{int(value):02d}:00"
    if not TIME_RE.match(value):
        raise StartError(f"'{text}' is geen uur; schrijf UU:MM, bv. 13:30.")
    return value


def check_weeks(text: str) -> int:
    value = text.strip().lower().removesuffix("weken").removesuffix("week").strip()
    if not value.isdigit() or not 1 <= int(value) <= 12:
        raise StartError(f"'{text}' is geen aantal weken; kies een getal van 1 tot 12 (bv. 3 voor driewekelijks).")
    return int(value)


def check_meeting(meeting: MeetingPlan) -> MeetingPlan:
    if meeting.end <= meeting.start:
        raise StartError(f"het overleg eindigt ({meeting.end}) vóór of op het beginuur ({meeting.start}).")
    if not meeting.location.strip() or re.search(r"[<>\n]", meeting.location):
        raise StartError(f"'{meeting.location}' is geen plaats; schrijf gewone tekst op één regel.")
    return meeting


# --- taxonomy and coaches ----------------------------------------------------------------------------


def _key(label: str) -> str:
    """Labels that name the same department: 'Dienst Burgerzaken', 'burgerzaken ' -> 'burgerzaken'."""
    return fold(re.sub(r"^(dienst|afdeling)\s+", "", label.strip(), flags=re.I))  # not 'Dienstverlening'


def _free_id(base: str, taken: Iterable[str]) -> str:
    taken = set(taken)
    base = base or "dienst"
    if base in RESERVED_IDS:
        base = f"{base}-dienst"
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, 1000) if f"{base}-{n}" not in taken)


@dataclass(frozen=True)
class _Vocabulary:
    municipalities: dict[str, str]  # id -> label, in display order
    departments: dict[str, tuple[str, list[str]]]  # id -> (label, municipality ids)
    municipality_of: dict[str, str]  # folded label -> id
    department_of: dict[str, str]  # _key(label) -> id


def _vocabulary(request: StartRequest, sample: Repository) -> _Vocabulary:
    problems: list[str] = []
    given = [municipality_label(m) for m in request.municipalities if m.strip()]
    from_people = [p.municipality for p in request.people]
    municipality_of: dict[str, str] = {}
    municipalities: dict[str, str] = {}
    spellings: dict[str, Counter[str]] = {}
    for label in from_people:  # 'De Panne' ten times and 'De panne' once: 'De Panne'
        spellings.setdefault(fold(label), Counter())[label] += 1
    found = [spellings[key].most_common(1)[0][0] for key in sorted(spellings)]
    for label in given or found:
        if fold(label) not in municipality_of:
            ident = _free_id(slugify(label), municipalities)
            municipality_of[fold(label)] = ident
            municipalities[ident] = label
    if given:
        for person in request.people:
            if fold(person.municipality) not in municipality_of:
                problems.append(
                    f"{request.source}, {person.where}: "
                    + unknown_value_message("gemeente", person.municipality, list(municipalities.values()))
                )
    # Departments: the sample's id where the label is the same (its tips stay where they are).
    sample_ids = {
        _key(term.label): ident for ident, term in (sample.taxonomy.departments.items() if sample.taxonomy else ())
    }
    sample_ids.update({_key(ident): ident for ident in (sample.taxonomy.departments if sample.taxonomy else ())})
    labels: dict[str, Counter[str]] = {}
    also = [label for p in request.people for label in p.also]  # a second department of one coach exists too
    for label in [*request.departments, *(p.department for p in request.people), *also]:
        labels.setdefault(_key(label), Counter())[label] += 1
    departments: dict[str, tuple[str, list[str]]] = {}
    department_of: dict[str, str] = {}
    for key in sorted(labels, key=lambda k: fold(labels[k].most_common(1)[0][0])):
        label = labels[key].most_common(1)[0][0]
        label = label[:1].upper() + label[1:] if label.islower() else label
        sample_ident = sample_ids.get(key) if sample_ids.get(key) not in departments else None
        ident = sample_ident or _free_id(slugify(label), departments)
        department_of[key] = ident
        named = next((places for given_label, places in request.departments.items() if _key(given_label) == key), ())
        where = []
        for place in named:
            place_id = municipality_of.get(fold(municipality_label(place)))
            if place_id is None:
                problems.append(
                    f"dienst '{label}': " + unknown_value_message("gemeente", place, list(municipalities.values()))
                )
            elif place_id not in where:
                where.append(place_id)
        departments[ident] = (label, where or list(municipalities))
    for person in request.people:
        ident = department_of[_key(person.department)]
        person_place = municipality_of.get(fold(person.municipality))
        if person_place and person_place not in departments[ident][1]:
            problems.append(
                f"{request.source}, {person.where}: {person.name} is coach bij {departments[ident][0]} in "
                f"{person.municipality}, maar volgens de opgegeven diensten bestaat {departments[ident][0]} alleen in "
                f"{', '.join(municipalities[m] for m in departments[ident][1])}. Voeg {person.municipality} toe."
            )
    if problems:
        raise StartError("\n".join(problems))
    return _Vocabulary(municipalities, departments, municipality_of, department_of)


def _near_sample_departments(vocabulary: _Vocabulary, sample: Repository) -> list[str]:
    """A department of the list that contains the label of a sample department the list does not have
    ('Bevolking & Burgerzaken' and the sample's 'Burgerzaken') is a new department: no synonym is guessed, but the
    report says where that sample department's tips go and how to keep them together."""
    if sample.taxonomy is None:
        return []
    notes = []
    for ident, (label, _) in vocabulary.departments.items():
        words = f" {' '.join(re.findall(r'[a-z0-9]+', fold_words(label)))} "
        for sample_id, term in sample.taxonomy.departments.items():
            inside = f" {' '.join(re.findall(r'[a-z0-9]+', fold_words(term.label)))} "
            if sample_id not in vocabulary.departments and sample_id != ident and inside in words:
                notes.append(
                    f"dienst '{label}' is een nieuwe dienst ({ident}), niet de voorbeelddienst '{term.label}' "
                    f"({sample_id}): de tips van {term.label} die blijven, gelden nu voor alle diensten. Is het "
                    f"dezelfde dienst, schrijf dan '{term.label}' in de lijst, of verplaats die tips daarna naar "
                    f"tips/{ident}/ met 'departments: [{ident}]'"
                )
    return notes


def fold_words(text: str) -> str:
    """Lower case without diacritics, words kept apart: 'Bevolking & Burgerzaken' -> 'bevolking & burgerzaken'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _coach_ids(people: tuple[HrPerson, ...], vocabulary: _Vocabulary) -> list[tuple[str, HrPerson]]:
    """Ids from names, unique: 'An Peeters' -> an-peeters; two An Peeters -> an-peeters-veurne, or -2."""
    bases = Counter(slugify(p.name) for p in people)
    taken: set[str] = set()
    result = []
    for person in people:
        base = slugify(person.name) or slugify(person.email.partition("@")[0]) or "coach"
        if bases[base] > 1:
            base = f"{base}-{vocabulary.municipality_of[fold(person.municipality)]}"
        ident = base if base not in taken else next(f"{base}-{n}" for n in range(2, 1000) if f"{base}-{n}" not in taken)
        taken.add(ident)
        result.append((ident, person))
    return result


def _yaml_text(value: object) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6).strip()
    return dumped.removesuffix("...").strip()


def taxonomy_text(old: str, vocabulary: _Vocabulary) -> str:
    """taxonomy.yml with new municipalities and departments; its header comments and the tools, sources,
    difficulties and themes stay as written."""
    lines = old.split("\n")
    top = [i for i, line in enumerate(lines) if re.match(r"^[a-z_]+:", line)]
    keys = {lines[i].split(":")[0]: i for i in top}
    if "municipalities" not in keys or "departments" not in keys:
        raise StartError("tips/taxonomy.yml mist 'municipalities:' of 'departments:'; herstel het bestand eerst.")
    start = min(keys["municipalities"], keys["departments"])
    after = [i for i in top if i > max(keys["municipalities"], keys["departments"])]
    end = after[0] if after else len(lines)
    while end > start + 1 and (lines[end - 1].lstrip().startswith("#") or not lines[end - 1].strip()):
        end -= 1  # comments above the next section belong to it
    block = ["municipalities:"]
    block += [f"  {ident}: {_yaml_text(label)}" for ident, label in vocabulary.municipalities.items()]
    block += ["", "departments:"]
    for ident, (label, places) in vocabulary.departments.items():
        block += [f"  {ident}:", f"    label: {_yaml_text(label)}", f"    municipalities: [{', '.join(places)}]"]
    return "\n".join([*lines[:start], *block, *([""] if end < len(lines) and lines[end].strip() else []), *lines[end:]])


COACHES_HEADER = """# De digicoaches en digi-experts. De id (kleine letters met koppeltekens) gebruik je in de
# front matter van tips (coach:), vergaderingen (chair:, attendees:) en signalen (raised_by:).
# Gemaakt met 'kennisbank start' uit {source}; vul gerust aan (phone:, since:, photo:).
"""


def coaches_text(coaches: list[tuple[str, HrPerson]], vocabulary: _Vocabulary, source: str) -> str:
    lines = [COACHES_HEADER.format(source=source), "coaches:"]
    for ident, person in coaches:
        lines += [
            f"  - id: {ident}",
            f"    name: {_yaml_text(person.name)}",
            f"    department: {vocabulary.department_of[_key(person.department)]}",
            f"    municipality: {vocabulary.municipality_of[fold(person.municipality)]}",
            f"    email: {_yaml_text(person.email)}",
        ]
        if person.since:
            lines.append(f"    since: {person.since.isoformat()}")
        if person.role != "digicoach":
            lines.append(f"    role: {person.role}")
        if not person.active:
            lines.append("    active: false")
        if person.also:  # the model has one department; the HR list said more
            lines.append(f"    # ook coach in: {', '.join(person.also)} (volgens de HR-lijst; één dienst per coach)")
    rotation = [ident for ident, person in sorted(coaches, key=lambda c: fold(c[1].name)) if person.active]
    lines += [
        "",
        "# Volgorde waarin de digicoaches het overleg voorzitten (kennisbank new-meeting neemt de volgende).",
        f"chair_rotation: [{', '.join(rotation)}]",
        "",
    ]
    return "\n".join(lines)


# --- Markdown files ----------------------------------------------------------------------------------


def _split_front(text: str) -> tuple[str, str] | None:
    found = re.match(r"---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(\r?\n|$)", text, re.S)
    if not found:
        return None
    return found.group(1) or "", text[found.end() :]


def _set_front_line(text: str, key: str, value: str) -> str:
    parts = _split_front(text)
    if parts is None:
        return text
    front, _ = parts
    pattern = re.compile(rf"^{re.escape(key)}:[^\r\n]*$", re.M)  # a CRLF file keeps its line ends
    if not pattern.search(front):
        return text
    new_front = pattern.sub(f"{key}: {value}", front, count=1)
    return text.replace(front, new_front, 1)


def _dump_front(data: dict[str, object], body: str) -> str:
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10**6)
    return f"---\n{dumped}---\n{body}"


def _links(body: str) -> Iterable[re.Match[str]]:
    return LINK_RE.finditer(body)


def _resolve(source: str, target: str) -> str | None:
    """The repository path a relative link in `source` points at, or None for an address or anchor."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("/", "#")):
        return None
    plain = target.split("#")[0].split("?")[0]
    if not plain:
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), plain))


def rewrite_links(
    text: str, source: str, new_source: str, removed: set[str], moved: dict[str, str]
) -> tuple[str, list[str]]:
    """Links to removed files become plain text, links to moved files (or from a moved file) follow."""
    notes: list[str] = []

    def replace(match: re.Match[str]) -> str:
        bang, label, target, title = match.groups()
        resolved = _resolve(source, target)
        if resolved is None:
            return match.group()
        if resolved in removed:
            notes.append(f"link naar {resolved} (verwijderd) is nu gewone tekst")
            return "" if bang else label
        new_target_path = moved.get(resolved, resolved)
        if new_target_path == resolved and new_source == source:
            return match.group()
        anchor = target[len(target.split("#")[0]) :]
        relative = posixpath.relpath(new_target_path, posixpath.dirname(new_source))
        return f"{bang}[{label}]({relative}{anchor}{title})"

    return LINK_RE.sub(replace, text), notes


# --- the plan ----------------------------------------------------------------------------------------


@dataclass
class _Files:
    root: Path
    changes: dict[str, Change] = field(default_factory=dict)

    def read(self, rel_path: str) -> str:
        change = self.changes.get(rel_path)
        if change is not None and change.text is not None:
            return change.text
        return (self.root / rel_path).read_text(encoding="utf-8")

    def write(self, rel_path: str, text: str, why: str, new_path: str | None = None) -> None:
        existing = self.changes.get(rel_path)
        if new_path is None and existing is not None and existing.new_path:
            new_path = existing.new_path
        action = "verplaatst" if new_path else ("aangepast" if (self.root / rel_path).exists() else "nieuw")
        if (self.root / rel_path).exists() and new_path is None and self.read(rel_path) == text:
            return
        whys = [w for w in ((existing.why if existing else ""), why) if w]
        self.changes[rel_path] = Change(action, rel_path, text, "; ".join(dict.fromkeys(whys)), new_path)

    def remove(self, rel_path: str, why: str) -> None:
        self.changes[rel_path] = Change("verwijderd", rel_path, None, why)


def _resolve_coach(value: str, coaches: list[tuple[str, HrPerson]]) -> str:
    wanted = value.strip()
    for ident, person in coaches:
        if wanted.lower() in (ident, person.email, person.name.lower()):
            if not person.active:
                raise StartError(f"--tips-naar: {person.name} is niet actief; kies een actieve digicoach.")
            return ident
    ids = [ident for ident, person in coaches if person.active]
    hint = suggest(slugify(wanted), ids)
    raise StartError(
        f"--tips-naar: '{value}' staat niet in de lijst van coaches."
        + (f" Bedoelde je '{hint}'?" if hint else f" Kies een id, naam of e-mailadres uit de lijst, bv. {ids[0]}.")
    )


def repository_state(repository: Repository) -> tuple[list[str], list[str]]:
    """The example coach ids and the real coach ids in coaches.yml."""
    example = [c.id for c in repository.coaches.values() if c.example]
    real = [c.id for c in repository.coaches.values() if not c.example]
    return example, real


def _already_started(repository: Repository, request: StartRequest, real: list[str]) -> StartError:
    known = {c.email.lower() for c in repository.coaches.values()}
    new = [p for p in request.people if p.email not in known]
    listed = {p.email for p in request.people}
    gone = [c for c in repository.coaches.values() if c.email.lower() not in listed and not c.example]
    lines = [
        f"deze kennisbank is al gestart: tips/coaches.yml bevat {len(real)} echte digicoach(es). 'kennisbank start' "
        "overschrijft geen echte inhoud; er is niets gewijzigd."
    ]
    if new:
        lines.append(
            f"Nieuw in {request.source} ({len(new)}): "
            + ", ".join(f"{p.name} ({p.email}, {p.department}, {p.municipality})" for p in new)
            + ". Voeg ze toe in tips/coaches.yml (zelfde vorm als de andere personen)."
        )
    if gone:
        lines.append(
            f"In tips/coaches.yml maar niet in {request.source} ({len(gone)}): "
            + ", ".join(f"{c.name} ({c.id})" for c in gone)
            + ". Zijn ze gestopt, zet dan 'active: false' bij hen (hun tips blijven staan)."
        )
    if not new and not gone:
        lines.append(f"Alle personen uit {request.source} staan al in tips/coaches.yml.")
    if any(c.example for c in repository.coaches.values()):
        lines.append(
            "tips/coaches.yml bevat ook nog voorbeeldpersonen (example: true). Zet je eigen personen in de lijst "
            "voor 'start' en haal ze uit tips/coaches.yml (dan start het opnieuw), of verwijder de voorbeeldinhoud "
            "met de hand ('kennisbank validate --publiceren' noemt elk bestand)."
        )
    if any(d.coach == UNCLAIMED for d in _coached(repository)):
        lines.append("De tips op 'over-te-nemen' geef je aan een digicoach met: kennisbank start --tips-naar <id>")
    return StartError("\n".join(lines))


def plan_start(root: Path, request: StartRequest, today: date, layout: ContentLayout | None = None) -> StartPlan:
    """Every change `kennisbank start` would make, validated on a scratch copy; StartError if refused."""
    layout = layout or ContentLayout()
    loaded = load_repository(root, today=today)
    sample = loaded.repository
    if sample.taxonomy is None:
        raise StartError("tips/taxonomy.yml ontbreekt of bevat fouten; 'kennisbank validate' zegt wat er mis is.")
    if not request.people:
        raise StartError("er zijn geen digicoaches opgegeven.")
    example_ids, real_ids = repository_state(sample)
    if real_ids:
        raise _already_started(sample, request, real_ids)
    vocabulary = _vocabulary(request, sample)
    coaches = _coach_ids(request.people, vocabulary)
    if not any(person.active for _, person in coaches):
        raise StartError("niemand in de lijst is actief; er moet minstens één actieve digicoach zijn.")
    tips_to = _resolve_coach(request.tips_to, coaches) if request.tips_to else None
    new_coach = tips_to or UNCLAIMED
    invented = set(example_ids)
    files = _Files(root)
    notes: list[str] = list(request.notes)
    notes += _near_sample_departments(vocabulary, sample)

    # 1. What goes: everything marked as example, and the images only example tips show.
    removed: set[str] = set()
    for document in _documents(sample):
        if document.example:
            removed.add(document.source_path)
            files.remove(document.source_path, "voorbeeld")
    for measurement in sample.measurements:
        if measurement.example:
            removed.add(measurement.source_path)
            files.remove(measurement.source_path, "voorbeeldmeting (verzonnen cijfers)")
    for month in sample.usage:
        if month.example:
            removed.add(month.source_path)
            files.remove(month.source_path, "verzonnen gebruikscijfers")
    for image in example_images(sample):
        removed.add(image)
        files.remove(image, "afbeelding van een voorbeeldtip")

    # 2. Tips that stay: a real coach (or over-te-nemen), departments the organisation has.
    departments = set(vocabulary.departments)
    places = set(vocabulary.municipalities)
    moved: dict[str, str] = {}
    kept_tips: dict[str, Tip] = {}
    unclaimed: list[str] = []
    for tip in sample.tips:
        if tip.example:
            continue
        kept_tips[tip.slug] = tip
        text = files.read(tip.source_path)
        whys = []
        if tip.coach in invented or tip.coach == UNCLAIMED:
            text = _set_front_line(text, "coach", new_coach)
            whys.append(f"coach: {new_coach}")
            if new_coach == UNCLAIMED:
                unclaimed.append(tip.source_path)
        wanted = [d for d in tip.departments if d in departments or d == ALL_DEPARTMENTS]
        # A municipality stays only where one of the tip's departments exists there (validate's rule).
        served = (
            places
            if ALL_DEPARTMENTS in wanted or not wanted
            else set().union(*(vocabulary.departments[d][1] for d in wanted))
        )
        wanted_places = [m for m in tip.municipalities if m in places and m in served]
        folder = posixpath.basename(posixpath.dirname(tip.source_path))
        new_path = None
        if wanted != list(tip.departments) or wanted_places != list(tip.municipalities):
            data = _front_data(text, tip.source_path)
            lost = [d for d in tip.departments if d not in wanted]
            kept_departments = wanted or [ALL_DEPARTMENTS]
            data["departments"] = kept_departments
            if wanted_places:
                data["municipalities"] = wanted_places
            else:
                data.pop("municipalities", None)
            parts = _split_front(text)
            text = _dump_front(data, parts[1] if parts else "")
            if lost:
                whys.append(f"dienst(en) {', '.join(lost)} bestaan niet in jullie lijst")
            gone_places = [m for m in tip.municipalities if m not in wanted_places]
            if gone_places:
                whys.append(
                    f"gemeente(n) {', '.join(gone_places)} bestaan niet in jullie lijst of hebben die dienst niet"
                    + ("" if wanted_places else "; de tip geldt nu voor alle gemeenten")
                )
            if folder not in kept_departments:
                target = kept_departments[0]
                new_path = f"{layout.tips_dir}/{target}/{posixpath.basename(tip.source_path)}"
                if (root / new_path).exists() or new_path in moved.values():
                    raise StartError(f"{tip.source_path} moet naar {new_path}, maar dat bestand bestaat al.")
                moved[tip.source_path] = new_path
                whys.append(f"naar {new_path}" + (" (voor alle diensten)" if target == ALL_DEPARTMENTS else ""))
        if whys:
            files.write(tip.source_path, text, "; ".join(whys), new_path)
    for tip_path, images in sample.document_images.items():  # a moved tip takes its own images along
        if tip_path in moved:
            for image in images:
                if posixpath.dirname(image) == posixpath.dirname(tip_path) and image not in removed:
                    users = [t for t, i in sample.document_images.items() if image in i and t not in removed]
                    if users == [tip_path]:
                        new_image = posixpath.join(posixpath.dirname(moved[tip_path]), posixpath.basename(image))
                        moved[image] = new_image
                        files.changes[image] = Change(
                            "verplaatst", image, None, "afbeelding van een verplaatste tip", new_image
                        )

    # 3. Learning paths that stay: steps to removed tips go, a path without steps goes too.
    for path in sample.paths:
        if path.example:
            continue
        _plan_path(path, files, removed, kept_tips, invented, new_coach, departments, unclaimed, layout)
        if files.changes.get(path.source_path, Change("", "")).action == "verwijderd":
            removed.add(path.source_path)

    # 4. Links in every Markdown file that stays (tips, paths, meetings, signals, hand-written pages).
    markdown = [d.source_path for d in _documents(sample)]
    markdown += [p.relative_to(root).as_posix() for p in sorted((root / layout.docs_dir).rglob("*.md"))]
    for rel_path in markdown:
        if rel_path in removed:
            continue
        text = files.read(rel_path)
        new_text, link_notes = rewrite_links(text, rel_path, moved.get(rel_path, rel_path), removed, moved)
        if new_text != text:
            files.write(rel_path, new_text, "; ".join(dict.fromkeys(link_notes)) or "links naar verplaatste tips")

    # 5. Real meetings and signals that name invented coaches cannot be repaired automatically.
    discussed: list[Meeting | Signal] = [*sample.meetings, *sample.signals]
    for document in discussed:
        if not document.example and _names_any(document, invented):
            raise StartError(
                f"{document.source_path} is geen voorbeeld maar noemt voorbeeldpersonen "
                f"({', '.join(sorted(_names_any(document, invented)))}); vervang ze eerst door echte digicoaches of "
                "zet 'example: true' in het bestand als het een voorbeeld is."
            )

    # 6. Vocabulary, coaches and settings.
    files.write(
        layout.taxonomy_file, taxonomy_text(files.read(layout.taxonomy_file), vocabulary), "gemeenten en diensten"
    )
    files.write(layout.coaches_file, coaches_text(coaches, vocabulary, request.source), f"{len(coaches)} personen")
    labels = list(vocabulary.municipalities.values())
    listed = ", ".join(labels[:-1]) + f" en {labels[-1]}" if len(labels) > 1 else labels[0]
    _plan_settings(root, files, request, listed)
    for page in HAND_WRITTEN_PAGES:
        if (root / page).is_file() and SAMPLE_MUNICIPALITIES in files.read(page):
            files.write(
                page, files.read(page).replace(SAMPLE_MUNICIPALITIES, f"**{listed}**"), "namen van de gemeenten"
            )
    if request.meeting.every_weeks != MEETING_INTERVAL.days // 7:
        notes.append(
            f"'kennisbank new-meeting' plant om de {request.meeting.every_weeks} weken, maar de kalenderreeks op de "
            f"site (overleg/reeks.ics) en de opvolging rekenen nog met {MEETING_INTERVAL.days // 7} weken "
            "(MEETING_INTERVAL in plugins/kennisbank/policy.py)"
        )
    if (root / "docs/over.md").is_file() and "vier gemeenten" in files.read("docs/over.md"):
        notes.append(
            "docs/over.md vertelt het verhaal van de vier gemeenten van de Westkust: herschrijf het voor jullie"
        )

    plan = StartPlan(
        changes=sorted(files.changes.values(), key=lambda c: (c.action, c.path)),
        coaches=len(coaches),
        departments=len(vocabulary.departments),
        municipalities=tuple(labels),
        notes=notes,
        tips_to=tips_to,
        unclaimed=sorted(set(unclaimed)),
    )
    if loaded.errors:
        notes.append(
            f"de kennisbank bevatte al {len(loaded.errors)} fout(en) vóór de start (in "
            f"{', '.join(sorted({p.path for p in loaded.errors})[:5])}); die blijven staan, "
            "'kennisbank validate' toont ze"
        )
    known = {(p.path, p.field, p.message) for p in loaded.errors}
    pages = sorted((root / layout.docs_dir).glob("nulmeting*.md"))
    plan.questions_page = pages[0].relative_to(root).as_posix() if pages else None
    plan.warnings, editor_files = _validate_on_copy(root, plan, today, layout, known)
    if (root / EDITOR_DIR).is_dir():  # the editor's completions follow the new coaches and departments
        for name, text in editor_files.items():
            rel_path = f"{EDITOR_DIR}/{name}"
            if not (root / rel_path).is_file() or (root / rel_path).read_text(encoding="utf-8") != text:
                plan.changes.append(Change("aangepast" if (root / rel_path).exists() else "nieuw", rel_path, text,
                                           "schema's en snippets voor de editor"))  # fmt: skip
    return plan


def _front_data(text: str, rel_path: str) -> dict[str, object]:
    parts = _split_front(text)
    data = yaml.safe_load(parts[0]) if parts else None
    if not isinstance(data, dict):
        raise StartError(f"{rel_path}: de front matter kan niet gelezen worden; herstel het bestand eerst.")
    return data


def _coached(repository: Repository) -> list[Tip | PathDocument]:
    """The tips and learning paths: the documents a coach keeps up to date."""
    return [*repository.tips, *repository.paths]


def _documents(repository: Repository) -> list[Tip | PathDocument | Meeting | Signal]:
    """Every Markdown document of the content: tips, learning paths, meetings and signals."""
    return [*repository.tips, *repository.paths, *repository.meetings, *repository.signals]


def _names_any(document: Meeting | Signal, ids: set[str]) -> set[str]:
    from ..content.vocabulary import references

    return {value for _, vocab, value in references(document) if vocab.name == "coaches" and value in ids}


def _plan_path(
    path: PathDocument, files: _Files, removed: set[str], kept: dict[str, Tip], invented: set[str],
    new_coach: str, departments: set[str], unclaimed: list[str], layout: ContentLayout,
) -> None:  # fmt: skip
    text = files.read(path.source_path)
    whys = []
    gone = [step.tip for step in path.steps if step.tip not in kept]
    lost = [d for d in path.departments if d not in departments and d != ALL_DEPARTMENTS]
    if gone or lost:
        data = _front_data(text, path.source_path)
        raw_steps = data.get("steps")  # a list: the path was validated
        steps = (
            [s for s in raw_steps if isinstance(s, dict) and s.get("tip") in kept]
            if isinstance(raw_steps, list)
            else []
        )
        if not steps:
            files.remove(path.source_path, "alle stappen waren voorbeeldtips")
            return
        data["steps"] = steps
        data["departments"] = [d for d in path.departments if d not in lost] or [ALL_DEPARTMENTS]
        parts = _split_front(text)
        text = _dump_front(data, parts[1] if parts else "")
        if gone:
            whys.append(f"stap(pen) naar verwijderde tips weg: {', '.join(gone)}")
        if lost:
            whys.append(f"dienst(en) {', '.join(lost)} bestaan niet in jullie lijst")
    if path.coach in invented or path.coach == UNCLAIMED:
        text = _set_front_line(text, "coach", new_coach)
        whys.append(f"coach: {new_coach}")
        if new_coach == UNCLAIMED:
            unclaimed.append(path.source_path)
    if whys:
        files.write(path.source_path, text, "; ".join(whys))


def _plan_settings(root: Path, files: _Files, request: StartRequest, listed: str) -> None:
    if not (root / CONFIG_FILE).is_file():
        raise StartError(f"{CONFIG_FILE} ontbreekt; start in de map van de kennisbank (waar {CONFIG_FILE} staat).")
    top: dict[str, str] = {"site_description": f"Tips & tricks van de digicoaches van {listed}"}
    options: dict[str, object] = {}
    if request.site_url:
        top["site_url"] = request.site_url.rstrip("/") + "/"
    if request.repo_url:
        # Only the plugin's edit links: MkDocs' own repo_url would make Material show the repository in the
        # header and have every colleague's browser ask api.github.com for its stars (the site makes no
        # requests outside the intranet).
        editor = "-/edit" if "gitlab" in urlsplit(request.repo_url).netloc else "edit"  # GitLab's web editor
        options["edit_base"] = f"{request.repo_url}/{editor}/{request.branch}/"
    meeting = request.meeting
    options.update(
        meeting_every_weeks=meeting.every_weeks, meeting_day=meeting.day, meeting_start=meeting.start,
        meeting_end=meeting.end, meeting_location=meeting.location,
    )  # fmt: skip
    try:
        text = edit_config(files.read(CONFIG_FILE), top, options)
    except ValueError as exc:
        raise StartError(str(exc)) from None
    before, after = parse_config(files.read(CONFIG_FILE)), parse_config(text)
    changed = [key for key in top if before.get(key) != after.get(key)]
    changed += [key for key in options if plugin_options(before).get(key) != plugin_options(after).get(key)]
    files.write(CONFIG_FILE, text, "instellingen: " + ", ".join(changed))


def _apply(root: Path, plan: StartPlan) -> None:
    for change in plan.changes:
        source = root / change.path
        if change.action == "verwijderd":
            source.unlink(missing_ok=True)
            continue
        target = root / (change.new_path or change.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if change.text is None:  # a moved image
            os.replace(source, target)
            continue
        temporary = target.with_name(f".{target.name}.start-tmp")
        temporary.write_text(change.text, encoding="utf-8", newline="")
        os.replace(temporary, target)
        if change.new_path and source != target:
            source.unlink(missing_ok=True)
    for change in plan.changes:  # department folders the start emptied
        folder = (root / change.path).parent
        emptied = change.action in ("verwijderd", "verplaatst") and folder.is_dir() and not any(folder.iterdir())
        if emptied and folder.parent.name == "tips":
            folder.rmdir()


def editor_files(repository: Repository) -> dict[str, str]:
    """The JSON Schemas and snippets `kennisbank schema -o .vscode` writes, for this repository's vocabulary."""
    vocabularies = Vocabularies.build(
        repository.taxonomy, tuple(repository.coaches), tuple(t.slug for t in repository.tips)
    )
    documents = {f"{kind}.schema.json": build_json_schema(kind, vocabularies) for kind in SCHEMAS}
    documents["kennisbank.code-snippets"] = build_snippets(vocabularies)
    return {name: json.dumps(document, indent=2, ensure_ascii=False) + "\n" for name, document in documents.items()}


def _validate_on_copy(
    root: Path, plan: StartPlan, today: date, layout: ContentLayout, known: set[tuple[str, str, str]]
) -> tuple[int, dict[str, str]]:
    """Apply the plan to a scratch copy and load it: new errors refuse the plan (`known`: those it had before).
    Returns the number of warnings and the editor files for the new vocabulary."""
    with tempfile.TemporaryDirectory(prefix="kennisbank-start-") as scratch:
        copy = Path(scratch) / "repo"
        copy.mkdir()
        for name in (layout.tips_dir, layout.meetings_dir, layout.docs_dir):
            if (root / name).is_dir():
                shutil.copytree(root / name, copy / name, symlinks=True)
        if (root / CONFIG_FILE).is_file():
            shutil.copy2(root / CONFIG_FILE, copy / CONFIG_FILE)
        _apply(copy, plan)
        result = load_repository(copy, today=today)
        errors = [p for p in result.errors if (p.path, p.field, p.message) not in known]  # not those from before
        if errors:
            shown = [p.format_text() for p in errors[:20]]
            more = f"\n… en nog {len(errors) - 20}" if len(errors) > 20 else ""
            raise StartError(
                "na de start zou de inhoud fouten bevatten; er is niets gewijzigd:\n" + "\n".join(shown) + more
            )
        warnings = sum(1 for p in result.problems if p.severity is Severity.WARNING)
        return warnings, editor_files(result.repository)


def plan_handover(root: Path, keeper: str, today: date, layout: ContentLayout | None = None) -> StartPlan:
    """`kennisbank start --tips-naar <coach>` on a kennisbank that has started: every tip and learning path still
    marked `coach: over-te-nemen` goes to that coach. Nothing else changes."""
    layout = layout or ContentLayout()
    loaded = load_repository(root, today=today)
    repository = loaded.repository
    real = [c for c in repository.coaches.values() if not c.example]
    if not real:
        raise StartError(
            "er staan nog geen echte digicoaches in tips/coaches.yml; start eerst met de lijst: "
            "kennisbank start --lijst BESTAND (of zonder opties in een terminal)."
        )
    wanted = keeper.strip().lower()
    found = next((c for c in real if wanted in (c.id, c.email.lower(), c.name.lower())), None)
    if found is None:
        ids = [c.id for c in real if c.active]
        hint = suggest(slugify(keeper), ids)
        raise StartError(
            f"--tips-naar: '{keeper}' staat niet in tips/coaches.yml."
            + (f" Bedoelde je '{hint}'?" if hint else f" Kies een id, naam of e-mailadres, bv. {ids[0]}.")
        )
    if not found.active:
        raise StartError(f"--tips-naar: {found.name} is niet actief; kies een actieve digicoach.")
    files = _Files(root)
    for document in _coached(repository):
        if document.coach == UNCLAIMED:
            text = _set_front_line(files.read(document.source_path), "coach", found.id)
            files.write(document.source_path, text, f"coach: {found.id}")
    terms = repository.taxonomy
    plan = StartPlan(
        changes=sorted(files.changes.values(), key=lambda c: c.path), coaches=len(real),
        departments=len(terms.departments) if terms else 0,
        municipalities=tuple(t.label for t in terms.municipalities.values()) if terms else (),
        notes=[], tips_to=found.id, unclaimed=[],
    )  # fmt: skip
    known = {(p.path, p.field, p.message) for p in loaded.errors}
    plan.warnings, _ = _validate_on_copy(root, plan, today, layout, known)
    return plan


def apply_plan(root: Path, plan: StartPlan) -> None:
    """Write the plan into the repository (validated before on a copy)."""
    _apply(root, plan)
