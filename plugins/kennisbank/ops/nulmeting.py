"""`kennisbank nulmeting import`: a Forms export in, an anonymised measurement file out, and a Dutch summary.

The summary shows only what the file shows (a small department is "minder dan 5"), plus the column titles
and the department answers that matched nothing, so the person importing can correct the export.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from ..checks.nulmeting import check_measurement, revealing_differences, shown_paths, small_differences
from ..content.messages import translate
from ..content.models import Taxonomy
from ..content.nulmeting import LEVELS, MeasurementFile, dump_measurement
from ..content.oserrors import reason
from ..content.problems import Problem, suggest
from ..content.sourcefile import Positions, parse_yaml
from ..content.survey_export import SurveyFileError, read_survey
from ..content.synonyms import SynonymGroups
from ..knowledge.wording import nl_date_short
from ..policy import MIN_GROUP
from .nulmeting_anonymise import (
    ImportOptions,
    ImportResult,
    Suppressed,
    SurveyError,
    UnknownAnswer,
    aggregate,
)
from .nulmeting_questions import echoed
from .nulmeting_scales import fold, parse_level, rule_of


class NulmetingImportError(Exception):
    """An import that cannot go on; the message is Dutch."""


@dataclass(frozen=True)
class ImportRequest:
    """What `kennisbank nulmeting import` was asked."""

    source: Path
    output: Path | None  # None: <root>/tips/nulmeting/<jjjj-mm>.yml
    options: ImportOptions
    force: bool = False
    never_published: bool = False  # --nooit-gepubliceerd: the file it replaces was never on the site


LEVEL_CHOICES = "geen, basis, gevorderd, expert of 'geen antwoord'"
MAX_SCALE_FILE = 64 * 1024


def read_scale_labels(scale_file: Path | None, pairs: tuple[str, ...] = ()) -> dict[str, str]:
    """The labels a scale file (`label: niveau`) and `--niveau "label=niveau"` give, folded; every wrong line is
    reported at once, in Dutch, with file and line."""
    entries: list[tuple[object, object, str]] = []  # (label, level, where)
    if scale_file is not None:
        data, positions = _scale_file(scale_file)
        # Positions are keyed by a key's text: `3:` is found as "3"; `yes:` (read as True) is not, and points at line 1.
        entries += [(label, value, f"{scale_file}:{positions.of((str(label),))[0]}") for label, value in data.items()]
    for pair in pairs:
        given, sep, level_text = pair.rpartition("=")
        where = f"--niveau '{echoed(pair)}'"
        entries.append((given.strip(), level_text.strip(), where) if sep and given.strip() else (None, None, where))
    labels: dict[str, str] = {}
    problems: list[str] = []
    for label, value, where in entries:
        if label is None:
            problems.append(f'{where}: schrijf het als "antwoord=niveau", bv. "Gemiddeld=basis".')
        elif isinstance(label, bool) or not isinstance(label, str | int):
            problems.append(f"{where}: zet het antwoord tussen aanhalingstekens ('Ja': …), anders is het geen tekst.")
        elif (level := parse_level(str(value)) if isinstance(value, str | int) else None) is None:
            hint = suggest(str(value or ""), ["geen", "basis", "gevorderd", "expert", "geen antwoord"])
            problems.append(
                f"{where}: '{echoed(value if value is not None else '')}' is geen niveau voor '{echoed(label)}'. "
                f"Toegestaan: {LEVEL_CHOICES}." + (f" Bedoelde je '{hint}'?" if hint else "")
            )
        else:
            labels[fold(str(label))] = level
    if problems:
        raise NulmetingImportError("\n".join(problems))
    return labels


def _scale_file(path: Path) -> tuple[dict[object, object], Positions]:
    """The mapping in a scale file, with the positions of its keys; NulmetingImportError in Dutch otherwise."""
    try:
        if path.stat().st_size > MAX_SCALE_FILE:
            raise NulmetingImportError(f"{path}: te groot voor een schaalbestand (hoogstens 64 KB).")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise NulmetingImportError(f"{path}: het schaalbestand is geen UTF-8-tekst; bewaar het als UTF-8.") from None
    except OSError as exc:
        raise NulmetingImportError(
            f"{path}: kan het schaalbestand niet lezen: {reason(exc.errno, exc.strerror)}."
        ) from None
    data, positions, problems = parse_yaml(text, str(path))
    if problems:
        raise NulmetingImportError("\n".join(p.format_text() for p in problems))
    if not isinstance(data, dict) or not data:
        raise NulmetingImportError(
            f"{path}: een schaalbestand is een lijst van regels 'antwoord: niveau', bv. 'Gemiddeld: basis'."
        )
    return data, positions


def default_output(root: Path, measured_on: date, folder: str) -> Path:
    """Where a measurement goes by default: one file per month, `tips/nulmeting/2026-05.yml`."""
    return root / folder / f"{measured_on:%Y-%m}.yml"


def run_import(
    request: ImportRequest, root: Path, folder: str, taxonomy: Taxonomy, synonyms: SynonymGroups, today: date
) -> tuple[ImportResult, Path, str]:
    """Read, aggregate, check and write; returns the result, the file written and the summary to print."""
    try:
        table = read_survey(request.source, request.options.sheet)
        result = aggregate(table, taxonomy, synonyms, request.options)
    except (SurveyFileError, SurveyError) as exc:
        raise NulmetingImportError(str(exc)) from None
    measured_on = result.measurement.date
    if measured_on > today:
        raise NulmetingImportError(f"de datum van de meting ({measured_on}) ligt in de toekomst (vandaag is {today}).")
    target = request.output or default_output(root, measured_on, folder)
    if target.suffix != ".yml":
        raise NulmetingImportError(f"{target}: een meting is een .yml-bestand; kies met -o een naam op .yml.")
    if target.exists() and _same_file(target, request.source):
        raise NulmetingImportError(f"{target} is het bestand dat je inleest; kies een ander uitvoerbestand met -o.")
    if target.exists() and (not target.is_file() or read_measurement(target, taxonomy, today) is None):
        raise NulmetingImportError(
            f"{target} bestaat al en is geen meting; de import overschrijft alleen een meting. Kies een ander "
            "bestand met -o."
        )
    in_site = _inside(target, root / folder)
    if in_site:
        _refuse_second_measurement_of_a_day(target, root / folder, measured_on, taxonomy, today)
    if target.exists() and not request.force:
        raise NulmetingImportError(
            f"{target} bestaat al. Is het een nieuwe meting, kies dan een andere datum (--datum) en een ander "
            "bestand (-o); wil je het vervangen, gebruik dan --force."
        )
    if target.exists() and not request.never_published:
        _refuse_revealing_replacement(target, result.measurement, taxonomy, today)
    if not request.never_published:
        _refuse_revealing_neighbours(target, root / folder, result.measurement, taxonomy, today)
    text = dump_measurement(result.measurement)
    problems = check_text(text, target.name, taxonomy, today)
    if problems:  # never write what validate would refuse
        details = "\n".join(p.format_text() for p in problems)
        raise NulmetingImportError(f"het resultaat is niet geldig; er is niets geschreven:\n{details}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    return result, target, summary(result, taxonomy, target, in_site)


def _same_file(first: Path, second: Path) -> bool:
    """The same file, also through a hard or symbolic link."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().parent == folder.resolve()


def _refuse_second_measurement_of_a_day(
    target: Path, folder: Path, measured_on: date, taxonomy: Taxonomy, today: date
) -> None:
    """Validate refuses two measurements of one date; refuse that before writing."""
    for other in sorted(folder.glob("*.yml")):
        if target.exists() and _same_file(other, target):
            continue
        found = read_measurement(other, taxonomy, today)
        if found is not None and found.date == measured_on:
            raise NulmetingImportError(
                f"er is al een meting van {measured_on}: {other}. Kies een andere datum met --datum, of vervang "
                f"dat bestand met -o {other} --force."
            )


def _refuse_revealing_replacement(target: Path, new: MeasurementFile, taxonomy: Taxonomy, today: date) -> None:
    """The old file may have been published: if a group differs from it by fewer than MIN_GROUP colleagues,
    comparing the two published versions would show those few colleagues' answers."""
    old = read_measurement(target, taxonomy, today)
    if old is None:
        return
    changed = small_differences(old, new, max(old.minimum_group, MIN_GROUP))
    if not changed:
        return
    shown = shown_paths(changed)
    raise NulmetingImportError(
        f"{target} niet vervangen: in deze groepen verschilt het aantal antwoorden met 1 tot {MIN_GROUP - 1} van "
        f"het bestaande bestand: {shown}. Als de oude versie al op de site stond, toont het verschil tussen beide "
        "versies de antwoorden van die paar collega's. Lees de verbeterde export in als een nieuwe meting (een "
        "andere datum met --datum en een ander bestand met -o), of, als het oude bestand zeker nooit "
        "gepubliceerd werd, vervang het bewust met --force --nooit-gepubliceerd."
    )


def _refuse_revealing_neighbours(
    target: Path, folder: Path, new: MeasurementFile, taxonomy: Taxonomy, today: date
) -> None:
    """Every other measurement the site publishes: a version of the same export (a corrected export read in as a
    new measurement) whose groups differ by 1 to 4 colleagues would show those colleagues' answers next to it."""
    for other in sorted(folder.glob("*.yml")):
        if target.exists() and _same_file(other, target):
            continue  # the file replaced: checked above, against every group
        old = read_measurement(other, taxonomy, today)
        if old is None:
            continue
        changed = revealing_differences(old, new)
        if changed:
            raise NulmetingImportError(
                f"niet geschreven: deze meting lijkt een versie van dezelfde export als {other} (in de meeste groepen "
                "dezelfde antwoorden, op een paar collega's na) en verschilt ervan met 1 tot "
                f"{MIN_GROUP - 1} antwoorden in: "
                f"{shown_paths(changed)}. Op de site naast elkaar tonen ze de antwoorden van die paar collega's. "
                f"Is dit een verbeterde export van dezelfde bevraging, vervang dan {other} (met -o {other} --force) in "
                "plaats van een nieuwe meting te maken; stond die al op de site, dan kan de verbeterde export niet "
                "gepubliceerd worden. Stond de andere meting zeker nooit op de site en verwijder je ze, gebruik "
                "dan --nooit-gepubliceerd (kennisbank validate blijft weigeren zolang beide in tips/nulmeting/ staan)."
            )


def read_measurement(path: Path, taxonomy: Taxonomy, today: date) -> MeasurementFile | None:
    """The measurement in `path`, or None when it is no valid measurement file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    data, _, problems = parse_yaml(text, path.name)
    if problems:
        return None
    try:
        return MeasurementFile.model_validate(data)
    except ValidationError:
        return None


def check_text(text: str, rel_path: str, taxonomy: Taxonomy, today: date) -> list[Problem]:
    """The problems `kennisbank validate` would report for this measurement text."""
    data, positions, problems = parse_yaml(text, rel_path)
    if problems:
        return problems
    try:
        measurement = MeasurementFile.model_validate(data)
    except ValidationError as exc:
        return translate(exc, MeasurementFile, rel_path, positions)
    return check_measurement(measurement, rel_path, positions, taxonomy, today)


def _label(taxonomy: Taxonomy, kind: str, value_id: str) -> str:
    term = getattr(taxonomy, kind).get(value_id)
    return term.label if term else value_id


MAX_UNKNOWN_SHOWN = 10


def _unknown_lines(answers: tuple[UnknownAnswer, ...]) -> list[str]:
    """The unknown answers (already cleaned of control characters, e-mail addresses masked), at most ten."""
    lines = []
    for answer in answers[:MAX_UNKNOWN_SHOWN]:
        hint = f" — bedoel je '{answer.suggestion}'?" if answer.suggestion else ""
        lines.append(f"  '{answer.value}' ({answer.count}×){hint}")
    if len(answers) > MAX_UNKNOWN_SHOWN:
        rest = answers[MAX_UNKNOWN_SHOWN:]
        lines.append(f"  … en nog {len(rest)} andere antwoorden ({sum(a.count for a in rest)}×)")
    return lines


def summary(result: ImportResult, taxonomy: Taxonomy, target: Path, in_site: bool = True) -> str:
    """The Dutch summary of an import."""
    measurement = result.measurement

    def label(kind: str, value_id: str) -> str:
        return _label(taxonomy, kind, value_id)

    lines = [
        f"Gelezen: {result.source_format}, {measurement.respondents} respondenten.",
        *(
            [
                f"Dubbel ingezonden: {_count(result.earlier_submissions, 'eerdere inzending', 'eerdere inzendingen')} "
                "van iemand die het formulier later opnieuw invulde, niet meegeteld (alleen de laatste telt; herkend "
                "aan het e-mailadres of de naam in de kolommen van Forms, die niet bewaard worden)."
            ]
            if result.earlier_submissions
            else []
        ),
        f"Datum van de meting: {nl_date_short(measurement.date)} ({result.date_from}).",
        (
            f"Dienst uit kolom '{echoed(result.department_header)}'"
            if len(result.department_headers) < 2
            else f"Dienst uit {len(result.department_headers)} kolommen samen (een vertakking in Forms: elke "
            f"respondent vult er één in): {', '.join(repr(echoed(h)) for h in result.department_headers)}"
        )
        + (
            f"; gemeente uit kolom '{echoed(result.municipality_header)}'."
            if result.municipality_header
            else "; geen kolom met de gemeente gevonden."
        ),
        "",
        f"Onderwerpen ({len(result.topics)}), op de niveaus {', '.join(LEVELS)}:",
    ]
    width = max(len(label("tools", t.tool)) for t in result.topics)
    lines += [
        f"  {label('tools', t.tool):<{width}}  ← '{echoed(t.header, 80)}' ({_answered(measurement, t.tool)})"
        for t in result.topics
    ]
    lines += ["", "Schalen (zo telt elk antwoord als niveau):", *_scale_lines(result, label)]

    lines += ["", "Respondenten per dienst:"]
    width = max((len(label("departments", d)) for d in measurement.departments), default=10)
    for department, found in measurement.departments.items():
        shown = str(found.respondents) if found.shown else f"minder dan {MIN_GROUP} (onderdrukt)"
        lines.append(f"  {label('departments', department):<{width}}  {shown}")
    unknown = sum(a.count for a in result.unknown_departments)
    if result.department_conflicts:
        rows = ", ".join(map(str, result.department_conflicts[:MAX_UNKNOWN_SHOWN]))
        more = " …" if len(result.department_conflicts) > MAX_UNKNOWN_SHOWN else ""
        lines.append(
            f"  Let op: {_count(len(result.department_conflicts), 'rij vult', 'rijen vullen')} twee kolommen van de "
            f"dienst met een verschillende dienst in (rij {rows}{more}); geteld als 'onbekend'. Verbeter de export "
            "of laat het zo."
        )
    if result.without_department * 4 > measurement.respondents:
        lines.append(
            f"  Let op: {result.without_department} van de {measurement.respondents} respondenten gaven geen dienst."
        )
    if unknown:
        lines += [
            f"  {'onbekend':<{width}}  {unknown}",
            "",
            "Dienst niet herkend (geteld als 'onbekend'; ze tellen mee in de totalen per tool):",
            *_unknown_lines(result.unknown_departments),
            "Hoort zo'n antwoord bij een dienst, zet het dan als synoniem in tips/synoniemen.yml (bv. "
            "[vrije tijd, sportdienst]) en lees opnieuw in.",
        ]
    if result.interpreted:
        lines += [
            "",
            "Herkend uit een vrij of afgekort antwoord (klopt het niet, zet dan een synoniem in tips/synoniemen.yml):",
        ]
        lines += [f"  '{a.value}' ({a.count}×) → {a.label}" for a in result.interpreted[:MAX_UNKNOWN_SHOWN]]
        if len(result.interpreted) > MAX_UNKNOWN_SHOWN:
            rest = result.interpreted[MAX_UNKNOWN_SHOWN:]
            lines.append(f"  … en nog {len(rest)} andere antwoorden ({sum(a.count for a in rest)}×)")
    if result.unknown_municipalities:
        lines += ["", "Gemeente niet herkend (geteld als 'onbekend'):", *_unknown_lines(result.unknown_municipalities)]

    lines += ["", *_suppressed_lines(result, label)]
    if result.ignored:
        lines += ["", "Genegeerde kolommen (niet gelezen en niet bewaard):"]
        lines += [f"  '{echoed(column.header, 80)}': {column.reason}" for column in result.ignored]
    lines += [
        "",
        f"Geschreven: {target} (geen namen, e-mailadressen, tijdstippen of vrije antwoorden).",
        "Controleer met 'kennisbank validate'; de site toont de meting op de pagina Opvolging."
        if in_site
        else "Dit bestand staat niet in tips/nulmeting/: de site toont het niet (verplaats het daarheen om het "
        "te publiceren).",
    ]
    return "\n".join(lines) + "\n"


def _count(number: int, one: str, more: str) -> str:
    return f"{number} {one if number == 1 else more}"


def _answered(measurement: MeasurementFile, tool: str) -> str:
    """How many answered a topic, as the file shows it (a small count stays hidden here too)."""
    group = measurement.tools.get(tool)
    if group is None or not group.respondents and not group.suppressed:
        return "niemand beantwoordde deze vraag"
    if not group.shown:
        return f"minder dan {MIN_GROUP} antwoorden"
    return f"{group.respondents} {'antwoord' if group.respondents == 1 else 'antwoorden'}"


def _scale_lines(result: ImportResult, label: Callable[[str, str], str]) -> list[str]:
    """Per scale used: its name, the questions that use it and how each answer, as the export writes it, counts."""
    used: dict[str, list[str]] = {}
    entries: dict[str, dict[str, tuple[tuple[int, int], str, str]]] = {}
    for topic in result.topics:
        if topic.scale is None:
            continue
        used.setdefault(topic.scale.name, []).append(label("tools", topic.tool))
        seen = entries.setdefault(topic.scale.name, {})
        for place, (folded, written, level) in enumerate(topic.scale.entries()):
            seen.setdefault(folded, ((topic.scale.ranks.get(folded, 99), len(seen) + place), written, level))
    if not used:
        return ["  geen antwoorden"]
    lines = []
    for name, tools in used.items():
        ordered = sorted(entries[name].items(), key=lambda item: item[1][0])
        lines.append(f"  {name} ({len(tools)} {'vraag' if len(tools) == 1 else 'vragen'}: {', '.join(tools)}):")
        lines.append(f"    {rule_of((folded, echoed(written, 60), level) for folded, (_, written, level) in ordered)}")
    lines.append("  Leeg, N.v.t., Gebruik ik niet en Weet ik niet tellen als geen antwoord.")
    return lines


def _suppressed_lines(result: ImportResult, label: Callable[[str, str], str]) -> list[str]:
    """Every suppressed group, named, with why: too small, or hidden so that subtraction reveals nothing."""

    def name(item: Suppressed) -> str:
        if item.municipality:
            return f"gemeente: {label('municipalities', item.municipality)}"
        if item.department and item.tool:
            return f"{label('departments', item.department)} × {label('tools', item.tool)}"
        if item.department:
            return f"hele dienst: {label('departments', item.department)}"
        return f"alle diensten samen: {label('tools', item.tool or '')}"

    small = [s for s in result.suppressed if not s.extra]
    extra = [s for s in result.suppressed if s.extra]
    lines = [f"Onderdrukt (minder dan {MIN_GROUP} antwoorden; in het bestand zonder cijfers):"]
    whole = [label("departments", s.department) for s in small if s.department and s.tool is None]
    if whole:
        lines.append(f"  hele dienst: {', '.join(whole)}")
    lines += [f"  {name(s)}" for s in small if not (s.department and s.tool is None)]
    if not small:
        lines.append("  niets")
    if extra:
        lines += [
            "Ook onderdrukt, zodat geen kleine groep af te leiden is door de getoonde groepen af te trekken van het "
            f"totaal (anders bleven er na die aftrekking 1 tot {MIN_GROUP - 1} antwoorden over):",
            *(f"  {name(s)}" for s in extra),
        ]
    return lines
