"""Generate sample Microsoft Forms exports of a nulmeting (skills survey), with fake names and e-mail addresses.

Usage: python scripts/make_sample_nulmeting.py [--out tests/data]

Writes two exports as Forms' "Openen in Excel" makes them (columns ID, Begintijd, Tijd van voltooien, E-mail,
Naam, Tijd van laatste wijziging, then one column per question): the nulmeting of May 2026 (123 answers) and a
second measurement of November 2026 (110 answers) in which Excel and Copilot went up and MFA went down.
Deterministic (seeded), down to the bytes of the file. Most departments take part, a few with fewer than five
colleagues, onderwijs not at all; three answers name no known department. The sample content in
tips/nulmeting/ is the import of these files:

    kennisbank nulmeting import tests/data/nulmeting-2026-05.xlsx
    kennisbank nulmeting import tests/data/nulmeting-2026-11.xlsx
"""

from __future__ import annotations

import argparse
import io
import random
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parent.parent
LEVELS = ("Ik ken de basis niet", "Basis", "Gevorderd", "Expert")
FORMS_COLUMNS = ("ID", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Tijd van laatste wijziging")
DEPARTMENT_QUESTION = "Bij welke dienst werk je?"
MUNICIPALITY_QUESTION = "In welke gemeente werk je?"
FREE_QUESTION = "Wat wil je graag nog leren? (vrij antwoord)"
# (tool, question, usual level on 0-3)
TOPICS = (
    ("outlook", "Hoe vaardig ben je in Outlook (mail en agenda)?", 1.7),
    ("teams", "Hoe vaardig ben je in Teams?", 1.4),
    ("word", "Hoe vaardig ben je in Word?", 1.6),
    ("excel", "Hoe vaardig ben je in Excel?", 1.0),
    ("onedrive", "Hoe vaardig ben je met OneDrive?", 1.1),
    ("sharepoint", "Hoe vaardig ben je met SharePoint?", 0.8),
    ("windows", "Hoe vaardig ben je met Windows en de Verkenner?", 1.5),
    ("wachtwoorden", "Hoe vaardig ben je met wachtwoorden en MFA?", 1.3),
    ("pdf", "Hoe vaardig ben je met PDF-bestanden?", 1.2),
    ("copilot", "Hoe vaardig ben je met Copilot?", 0.4),
    ("printen", "Hoe vaardig ben je met printen en scannen?", 1.6),
)
# Department label as the Forms choice shows it, how many answered in May, its usual offset, and per tool.
DEPARTMENTS: tuple[tuple[str, int, float, dict[str, float]], ...] = (
    ("Burgerzaken", 14, 0.0, {"copilot": -0.4, "sharepoint": -0.5, "pdf": 0.3}),
    ("Financiën", 12, 0.2, {"excel": 0.8, "copilot": -0.3}),
    ("Personeel & Organisatie", 9, 0.2, {"excel": 0.3, "wachtwoorden": 0.3}),
    ("ICT", 7, 1.3, {}),
    ("Omgeving", 13, 0.1, {"pdf": 0.5, "excel": -0.2}),
    ("Technische dienst", 16, -0.6, {"excel": -0.3, "sharepoint": -0.4, "printen": 0.4}),
    ("Vrije tijd", 11, 0.0, {"teams": 0.3, "excel": -0.2}),
    ("Sociaal Huis", 12, -0.1, {"word": 0.3, "copilot": -0.3}),
    ("Communicatie", 6, 0.5, {"copilot": 0.7}),
    ("Secretariaat", 8, 0.3, {"word": 0.5, "pdf": 0.3}),
    ("Bibliotheek", 5, 0.0, {"printen": 0.5}),
    ("Toerisme", 4, 0.0, {}),
    ("Kinderopvang", 3, -0.4, {}),
)
MUNICIPALITIES = {
    "De Panne": "depanne.be",
    "Koksijde": "koksijde.be",
    "Nieuwpoort": "nieuwpoort.be",
    "Veurne": "veurne.be",
}
NOT_IN = {"Kinderopvang": {"De Panne"}}
STRAY_DEPARTMENTS = ("Andere", "Andere", "Burgerzakn")  # answers that name no department of the taxonomy
FIRST_NAMES = (
    "Annelies", "Bart", "Brecht", "Carine", "Dirk", "Els", "Evi", "Filip", "Geert", "Griet", "Hilde", "Ilse", "Jana",
    "Joris", "Karolien", "Kobe", "Lien", "Lotte", "Maarten", "Mieke", "Nele", "Nico", "Pauline", "Rik", "Ruth",
    "Sander", "Stijn", "Tine", "Vincent", "Wim", "Yana", "Ziggy",
)  # fmt: skip
LAST_NAMES = (
    "Baert", "Beernaert", "Bonte", "Callewaert", "Debruyne", "Decock", "Degryse", "Deleu", "Demeulenaere", "Sierens",
    "Bossuyt", "Hoste", "Coucke", "Lietaert", "Delanghe", "Mortier", "Naessens", "Pattyn", "Quaghebeur", "Ryckewaert",
    "Soete", "Tack", "Vandenbroucke", "Haesaert", "Vanneste", "Vermeersch", "Vlaeminck", "Wyffels",
)  # fmt: skip
WISHES = (
    "Draaitabellen in Excel", "Hoe ik Copilot veilig gebruik", "Sneller werken met sneltoetsen",
    "Documenten delen in Teams", "Een PDF ondertekenen", "Mijn mailbox beter ordenen",
)  # fmt: skip


@dataclass(frozen=True)
class Measurement:
    """One sample export: its file name, seed, period, share of each department and change per tool."""

    name: str
    seed: int
    first_day: datetime
    days: int
    take_part: float  # share of May's respondents per department that answers again
    change: dict[str, float]


MEASUREMENTS = (
    Measurement("nulmeting-2026-05.xlsx", 2026_05, datetime(2026, 5, 4, 8), 18, 1.0, {}),
    Measurement(
        "nulmeting-2026-11.xlsx", 2026_11, datetime(2026, 11, 3, 8), 17, 0.9,
        {"excel": 0.5, "copilot": 0.7, "sharepoint": 0.3, "teams": 0.2, "wachtwoorden": -0.4},
    ),
)  # fmt: skip


def _level(rng: random.Random, usual: float) -> str:
    index = round(usual + rng.gauss(0, 0.75))
    return LEVELS[min(max(index, 0), len(LEVELS) - 1)]


def rows(measurement: Measurement) -> list[list[object]]:
    """The answer rows of one export (without the header)."""
    rng = random.Random(measurement.seed)
    people = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(people)
    answers: list[tuple[str, float, dict[str, float]]] = []
    for label, count, offset, per_tool in DEPARTMENTS:
        taking_part = count if measurement.take_part >= 1 else max(1, round(count * measurement.take_part))
        answers += [(label, offset, per_tool)] * taking_part
    answers += [(stray, 0.0, {}) for stray in STRAY_DEPARTMENTS]
    rng.shuffle(answers)
    result = []
    for number, (department, offset, per_tool) in enumerate(answers, start=1):
        first, last = people[number]
        municipality = rng.choice([m for m in MUNICIPALITIES if m not in NOT_IN.get(department, ())])
        start = measurement.first_day + timedelta(minutes=rng.randrange(measurement.days * 24 * 60))
        done = start + timedelta(seconds=rng.randrange(180, 900))
        email = f"{first.lower()}.{last.lower()}@{MUNICIPALITIES[municipality]}"
        row: list[object] = [number, start, done, email, f"{first} {last}", None, department, municipality]
        for tool, _question, usual in TOPICS:
            if rng.random() < 0.04:
                row.append(None)  # skipped the question
            elif tool == "copilot" and rng.random() < 0.12:
                row.append("Gebruik ik niet")
            else:
                row.append(_level(rng, usual + offset + per_tool.get(tool, 0.0) + measurement.change.get(tool, 0.0)))
        row.append(rng.choice(WISHES) if rng.random() < 0.3 else None)
        result.append(row)
    return result


def workbook_bytes(measurement: Measurement) -> bytes:
    """The .xlsx file of one export, with fixed timestamps so the same seed gives the same bytes."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]  # a new workbook's one (active) sheet; `active` is typed as maybe None
    sheet.title = "Form1"
    header = [*FORMS_COLUMNS, DEPARTMENT_QUESTION, MUNICIPALITY_QUESTION, *(q for _, q, _ in TOPICS), FREE_QUESTION]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(measurement):
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in cells:
            cell.number_format = "m/d/yy h:mm:ss"
    stamp = measurement.first_day + timedelta(days=measurement.days)
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "Microsoft Forms"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip_times(buffer.getvalue(), stamp)


def _fixed_zip_times(data: bytes, stamp: datetime) -> bytes:
    """The workbook with every zip entry and the 'modified' property at `stamp` (openpyxl writes the clock)."""
    modified = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = modified.sub(rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data", help="folder for the exports")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for measurement in MEASUREMENTS:
        target = args.out / measurement.name
        target.write_bytes(workbook_bytes(measurement))
        print(f"{target} ({len(rows(measurement))} antwoorden)")


if __name__ == "__main__":
    main()
