"""Reading the list of digicoaches and digi-experts as HR keeps it (an .xlsx workbook or a CSV file).

Real HR lists vary: one "Naam" column or "Voornaam" + "Achternaam", "Afdeling" for the department, "Bestuur"
for the municipality, "Functie" for the role, a title row above the header, ';' CSV in Windows-1252, extra
columns (Personeelsnummer, Telefoon), duplicate rows, trailing spaces, mixed-case e-mail addresses, an "Actief"
or "Uit dienst" column, a workbook with a sheet per municipality and 'FAMILIENAAM Voornaam'. When two columns
could mean the same ('Afdeling' as a cluster of departments and 'Dienst'), the preferred name wins and the notes
say so. This module turns such a table into `HrPerson`s, or refuses it with Dutch problems that name the file,
row, column and value (and a "Bedoelde je …?"). It reads the file and never writes it; what becomes of the
people (ids, taxonomy, coaches.yml) is decided in `ops/start.py`.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from .problems import suggest

MAX_BYTES = 5 * 1024 * 1024  # a list of a few hundred people is a few dozen KB
MAX_UNCOMPRESSED = 10 * 1024 * 1024  # an xlsx is a zip: refuse a bomb before parsing (500 people: < 1 MB)
MAX_ROWS = 5_000
MAX_COLUMNS = 100
MAX_SHEETS = 10
HEADER_SEARCH_ROWS = 15  # title rows HR puts above the header
ROLES = ("digicoach", "digi-expert")
EMAIL_RE = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[a-z]{2,}$")

Cell = str | int | float | datetime | date | None


class HrListError(Exception):
    """The list cannot be used; `problems` are Dutch lines naming file, row, column and value."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class HrPerson:
    """One coach or expert from the list, cleaned: labels as HR writes them, the e-mail in lower case."""

    row: int
    name: str
    email: str
    department: str
    municipality: str
    role: str  # one of ROLES
    active: bool = True
    since: date | None = None  # coach since (a "Startdatum digicoach" column)
    sheet: str = ""  # the workbook sheet, when the people come from more than one
    also: tuple[str, ...] = ()  # other departments the same person coaches (the model has one department)

    @property
    def where(self) -> str:
        """'rij 4' or, from a workbook with a sheet per municipality, "blad 'Veurne', rij 4"."""
        return f"blad '{self.sheet}', rij {self.row}" if self.sheet else f"rij {self.row}"


@dataclass(frozen=True)
class HrList:
    """What was read: the people, and what the reader concluded on the way (skipped rows, ignored columns)."""

    name: str
    described: str
    people: tuple[HrPerson, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def fold(text: str) -> str:
    """Lower case, no diacritics, only letters and digits: 'E-mailadres ' -> 'emailadres'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


# --- reading the table -------------------------------------------------------------------------------


def read_table(path: Path) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """Every table of the file (a CSV has one, a workbook one per visible sheet): how it was read, and its
    non-blank rows as (row number as a spreadsheet shows it, cells as text)."""
    name = path.name
    try:
        if not path.is_file():
            raise HrListError([f"{path}: het bestand bestaat niet (of is een map). Controleer de naam en de map."])
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise HrListError([f"{name}: het bestand is {size // (1024 * 1024)} MB; dat is geen lijst van coaches."])
        raw = path.read_bytes()
    except OSError as exc:
        raise HrListError([f"{path}: kan het bestand niet lezen ({exc.strerror or exc})."]) from None
    if not raw.strip():
        raise HrListError([f"{name}: het bestand is leeg."])
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise HrListError(
            [f"{name}: dit is een oud of beveiligd Excel-bestand (.xls). Open het in Excel en bewaar het als .xlsx."]
        )
    if raw.startswith(b"PK"):
        grids = _xlsx_grids(raw, name)
    elif path.suffix.lower() in (".csv", ".txt"):
        grids = [_csv_grid(raw, name)]
    else:
        raise HrListError([f"{name}: dit is geen Excel-werkmap (.xlsx) of CSV-bestand (.csv)."])
    tables = []
    for described, grid in grids:
        rows = [(number, row) for number, row in enumerate(grid, start=1) if any(row)]
        if len(rows) > MAX_ROWS:
            raise HrListError([f"{name}: meer dan {MAX_ROWS} rijen; dat is geen lijst van coaches."])
        tables.append((described, rows))
    return tables


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime):
        cell = cell.date()
    return " ".join(str(cell).replace("\u00a0", " ").split())


def _xlsx_grids(raw: bytes, name: str) -> list[tuple[str, list[list[str]]]]:
    from openpyxl import load_workbook  # only `start` needs openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise HrListError([f"{name}: het bestand is beschadigd (geen geldige Excel-werkmap)."]) from None
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise HrListError([f"{name}: dit is geen Excel-werkmap (misschien een Word- of ander Office-bestand)."])
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise HrListError([f"{name}: de werkmap is uitgepakt groter dan {MAX_UNCOMPRESSED // 2**20} MB; te groot."])
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            grids = []
            sheets = [s for s in workbook.worksheets if s.sheet_state == "visible"] or workbook.worksheets[:1]
            for sheet in sheets[:MAX_SHEETS]:  # an explanation sheet may come before the list
                sheet.reset_dimensions()  # a claimed dimension of 16,384 columns would pad every row
                grid = []
                for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                    grid.append([_text(c) for c in row])
                    if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS:
                        break
                grids.append((f"Excel-werkmap, blad '{sheet.title}'", grid))
        finally:
            workbook.close()
    except HrListError:
        raise
    except Exception as exc:  # openpyxl reports damage with whatever its parser raised
        raise HrListError(
            [f"{name}: het bestand kan niet gelezen worden als Excel-werkmap ({type(exc).__name__})."]
        ) from None
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        formulas = any(
            b"<f>" in archive.read(i) or b"<f " in archive.read(i)
            for i in infos
            if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
        )
    if formulas:
        _refuse_formulas_without_value(raw, name, grids)
    return grids


def _refuse_formulas_without_value(raw: bytes, name: str, grids: list[tuple[str, list[list[str]]]]) -> None:
    """A formula whose result was never stored (a file made by a program, not saved by Excel) reads as an empty
    cell: a person would silently lose an e-mail address. Refused, naming the cells."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    problems = []
    try:
        sheets = [s for s in workbook.worksheets if s.sheet_state == "visible"] or workbook.worksheets[:1]
        for sheet, (_, grid) in zip(sheets, grids, strict=False):
            for number, (values, written) in enumerate(
                zip(grid, sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), strict=False), start=1
            ):
                for column, formula in enumerate(written):
                    empty = column >= len(values) or not values[column]
                    if isinstance(formula, str) and formula.startswith("=") and empty:
                        problems.append(
                            f"{name}, blad '{sheet.title}', rij {number}, kolom {_column_letter(column)}: formule "
                            f"{formula[:40]} zonder waarde. Open het bestand in Excel en bewaar het opnieuw."
                        )
    finally:
        workbook.close()
    if problems:
        raise HrListError(problems[:20])


def _csv_grid(raw: bytes, name: str) -> tuple[str, list[list[str]]]:
    if raw.startswith(codecs.BOM_UTF8):
        text, encoding = raw[3:].decode("utf-8", errors="replace"), "UTF-8"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = raw.decode("utf-16", errors="replace"), "UTF-16"
    else:
        try:
            text, encoding = raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            text, encoding = raw.decode("cp1252", errors="replace"), "Windows-1252"
    lines = [line for line in text.splitlines() if line.strip()][: HEADER_SEARCH_ROWS + 5]

    def score(separator: str) -> tuple[int, int]:
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=separator) if len(row) > 1)
        return widths.most_common(1)[0][::-1] if widths else (0, 0)

    separator = max((";", ",", "\t"), key=score)
    try:
        grid = [[_text(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)]
    except csv.Error:
        raise HrListError(
            [f"{name}: de CSV kan niet gelezen worden (een aanhalingsteken klopt niet); bewaar het opnieuw in Excel."]
        ) from None
    shown = {"\t": "tab"}.get(separator, f"'{separator}'")
    return f"CSV, {encoding}, gescheiden door {shown}", grid


# --- what the columns mean ---------------------------------------------------------------------------

# Folded header texts per meaning, most preferred first: when two columns could have one meaning ('Afdeling' as
# a cluster above the departments and 'Dienst'), the exact, earlier name wins. A header also matches when it starts
# or ends with one of them (longest first).
HEADERS: dict[str, tuple[str, ...]] = {
    "first_name": ("voornaam", "firstname", "roepnaam", "givenname"),
    "last_name": ("achternaam", "familienaam", "lastname", "surname", "naamzondervoornaam"),
    "name": ("naam", "volledigenaam", "naamenvoornaam", "naamvoornaam", "voornaamnaam", "name", "fullname",
             "familienaamvoornaam", "achternaamvoornaam", "voornaamfamilienaam", "voornaamachternaam",
             "medewerker", "naammedewerker", "personeelslid", "digicoach", "coach", "displayname", "weergavenaam"),
    "email": ("emailwerk", "werkmail", "emailadreswerk", "emailprofessioneel", "zakelijkemail", "email",
              "emailadres", "mail", "mailadres", "emailaddress"),
    "department": ("dienst", "dienstafdeling", "afdelingdienst", "department", "afdeling", "organisatieeenheid",
                   "eenheid", "team", "cluster"),
    "municipality": ("gemeente", "gemeentestad", "stadgemeente", "stad", "lokaalbestuur", "bestuur",
                     "municipality", "standplaats", "organisatie", "entiteit", "werkgever"),
    "role": ("rol", "rolkennisbank", "digirol", "rolcoach", "role", "functiekennisbank", "functie"),
    "active": ("actief", "active", "status", "inactief"),
    "left": ("uitdienst", "datumuitdienst", "einddatum", "enddate", "vertrokken"),
    # Only a date that says it is about the coach role: 'Startdatum' alone is when someone joined the organisation.
    "since": ("startdatumdigicoach", "digicoachsinds", "coachsinds", "begindatumdigicoach", "datumdigicoach",
              "startdatumcoach", "sindsdigicoach", "startalsdigicoach"),
}  # fmt: skip
LABELS = {
    "first_name": "voornaam", "last_name": "achternaam", "name": "naam", "email": "e-mail", "department": "dienst",
    "municipality": "gemeente", "role": "rol", "active": "actief", "left": "uit dienst",
    "since": "sinds",
}  # fmt: skip


def _meaning(header: str) -> str | None:
    return _ranked_meaning(header)[0]


def _ranked_meaning(header: str) -> tuple[str | None, tuple[int, int]]:
    """What a header means, and how preferred (lower is better): an earlier name in HEADERS before a later one
    ('Dienst (team)' before 'Afdeling'), then an exact name before a header that only starts or ends with it."""
    key = fold(header)
    if not key:
        return None, (99, 0)
    for meaning, names in HEADERS.items():
        if key in names:
            return meaning, (names.index(key), 0)
    if key.startswith(("uitdienst", "datumuitdienst")):
        return "left", (0, 1)
    if key.startswith(("indienst", "datumindienst", "personeelsnummer", "telefoon", "gsm", "tel", "dienstverband",
                       "diensthoofd", "dienstjaren", "dienstancienn", "dienstregeling")):  # fmt: skip
        return None, (99, 0)
    if "priv" in key:  # a private address or phone never goes on the intranet
        return None, (99, 0)
    if any(w in key for w in ("leidinggevend", "verantwoordelijke", "manager", "diensthoofd", "chef", "directeur")):
        return None, (99, 0)  # 'Naam leidinggevende', 'E-mail diensthoofd': someone else's data
    if "mail" in key:  # 'Mail werk' before 'E-mail (algemeen)'
        return "email", (0 if any(w in key for w in ("werk", "zakelijk", "professioneel")) else 50, 1)
    if key.startswith("rol") or key in ("typecoach", "soortcoach", "coachtype", "typedigicoach"):
        return "role", (0, 1)  # 'Rol (digicoach/digi-expert)'
    for meaning in ("first_name", "last_name", "name", "department", "municipality", "role"):
        names = HEADERS[meaning]
        for index, n in enumerate(names):
            if len(n) >= 4 and (key.startswith(n) or key.endswith(n)):
                return meaning, (index, 1)  # 'Naam digicoach', 'Gemeente/stad', 'Functie binnen de kennisbank'
    return None, (99, 0)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter  # openpyxl loads only for a spreadsheet's messages

    return get_column_letter(index + 1)


@dataclass(frozen=True)
class _Columns:
    header_row: int
    headers: list[str]
    at: dict[str, int]  # meaning -> column index
    ignored: list[str]
    set_aside: dict[str, list[str]] = field(default_factory=dict)  # meaning -> headers that lost to the used one

    def where(self, meaning: str) -> str:
        index = self.at[meaning]
        return f"kolom {_column_letter(index)} ('{self.headers[index]}')"


def _find_columns(name: str, rows: list[tuple[int, list[str]]]) -> tuple[_Columns, int]:
    """The header row (the first with a name and an e-mail column among the top rows) and its columns."""
    for position, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        meanings = [_meaning(c) for c in cells]
        has_name = "name" in meanings or ("first_name" in meanings and "last_name" in meanings)
        if not (has_name and "email" in meanings):
            continue
        at: dict[str, int] = {}
        ranks: dict[str, tuple[int, int]] = {}
        set_aside: dict[str, list[str]] = {}
        for index, cell in enumerate(cells):
            meaning, rank = _ranked_meaning(cell)
            if meaning is None:
                continue
            if meaning not in at or rank < ranks[meaning]:  # 'Dienst' wins over an earlier 'Afdeling'
                if meaning in at:
                    set_aside.setdefault(meaning, []).append(cells[at[meaning]])
                at[meaning], ranks[meaning] = index, rank
            else:
                set_aside.setdefault(meaning, []).append(cell)
        ignored = [cell for index, cell in enumerate(cells) if cell and _meaning(cell) is None]
        if "first_name" in at and "name" in at and "last_name" not in at:
            # "Voornaam" + "Naam": the "Naam" column holds the last name.
            at["last_name"] = at.pop("name")
            set_aside["last_name"] = set_aside.pop("name", [])
        return _Columns(number, cells, at, ignored, set_aside), position
    first = rows[0][1] if rows else []
    shown = ", ".join(f"'{c}'" for c in first if c) or "(leeg)"
    raise HrListError(
        [
            f"{name}: geen kopregel gevonden met een kolom voor de naam (of Voornaam en Achternaam) en een kolom "
            f"voor het e-mailadres in de eerste {HEADER_SEARCH_ROWS} rijen. De eerste rij bevat: {shown}. Geef "
            "de kolommen een titel zoals Naam, E-mail, Dienst, Gemeente, Rol."
        ]
    )


# --- the values --------------------------------------------------------------------------------------

_TRUE = {"ja", "j", "x", "1", "true", "waar", "yes", "y", "actief", "active", "v", "ok"}
_FALSE = {"nee", "n", "0", "false", "onwaar", "no", "inactief", "niet actief", "nietactief", "inactive", "uit dienst",
          "uitdienst", "gestopt", "vertrokken"}  # fmt: skip
_MUNICIPALITY_PREFIX = re.compile(
    r"^(lokaal bestuur|gemeentebestuur|stadsbestuur|(gemeente|stad) (en|&) ocmw|gemeente|stad|ocmw)\s+", re.I
)


_SALUTATION = re.compile(r"^(dhr|mevr|mevrouw|mijnheer|meneer|mr|mw|mevr|dr|ir)\.?\s+", re.I)


_PARTICLES = {"de", "der", "den", "het", "ter", "ten", "te", "la", "le", "du", "da", "di", "del", "della", "von"}


def _person_name(first: str, last: str, whole: str, surname_first: bool = False) -> str:
    """The name as 'Voornaam Familienaam'. `surname_first`: the header says the family name comes first
    ('Naam en voornaam'), so 'Peeters An' is An Peeters even without capitals."""
    first, whole = _SALUTATION.sub("", first), _SALUTATION.sub("", whole)  # 'Mevr. An Peeters'
    if first or last:
        return " ".join(p for p in (_tidy_name(first), _surname(last)) if p)
    if "," in whole:  # "Peeters, An"
        last_part, _, first_part = whole.partition(",")
        return f"{_tidy_name(first_part.strip())} {_surname(last_part.strip())}".strip()
    words = whole.split()
    capitals = [w.isupper() and len(w.strip(".-'")) > 1 for w in words]
    if any(capitals) and not all(capitals) and capitals[0]:  # "VAN DE VELDE Nathalie" -> "Nathalie Van de Velde"
        count = capitals.index(False)
        return f"{_tidy_name(' '.join(words[count:]))} {_surname(' '.join(words[:count]))}"
    if surname_first and len(words) > 1 and not any(capitals):  # 'Van de Velde Nathalie'
        return f"{_tidy_name(words[-1])} {_surname(' '.join(words[:-1]))}"
    return _tidy_name(" ".join(words))


def _surname(text: str) -> str:
    """A family name HR wrote in capitals, as Flemish names are written: 'VAN DE VELDE' -> 'Van de Velde',
    'VANDEN BUSSCHE' -> 'Vanden Bussche', "D'HONDT" -> "D'Hondt". Mixed case stays as written."""
    if not text.isupper():
        return _tidy_name(text)
    words = []
    for position, word in enumerate(text.split()):
        lower = word.lower()
        if position and lower in _PARTICLES:
            words.append(lower)  # the first particle is capitalised, the ones after it are not
            continue
        parts = re.split(r"([-'’])", lower)
        words.append("".join(part[:1].upper() + part[1:] for part in parts))
    return " ".join(words)


def _tidy_name(text: str) -> str:
    """'PEETERS' or 'an peeters' -> 'Peeters', 'An Peeters'; in a name written in mixed case only a word in
    capitals changes ('Nathalie VAN DE VELDE'), so 'Van de Velde' and 'McLean' stay as written."""
    whole = text.isupper() or text.islower()
    words = []
    for word in text.split():
        if whole or (word.isupper() and len(word) > 1):
            word = "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
        words.append(word)
    return " ".join(words)


def municipality_label(text: str) -> str:
    """'Gemeente Koksijde' / 'Lokaal bestuur De Panne' / 'veurne' -> 'Koksijde' / 'De Panne' / 'Veurne'."""
    label = _MUNICIPALITY_PREFIX.sub("", text.strip()).strip()
    return _tidy_name(label) if label.islower() or label.isupper() else label


def _clean_email(text: str) -> str:
    value = text.strip().strip("<>").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    found = re.search(r"<([^<>]+)>", value)  # "An Peeters <an.peeters@veurne.be>"
    if found:
        value = found.group(1)
    return value.strip().lower()


def _email_hint(value: str, domains: Counter[str]) -> str | None:
    """A likely intended address for one that is not valid ('an.peeters@veurne,be', 'an.peeters(at)veurne.be')."""
    candidate = value.replace(" ", "").replace(",", ".").replace(";", ".").replace("(at)", "@").replace("[at]", "@")
    candidate = re.sub(r"@+", "@", candidate).strip(".")
    candidate = re.sub(r"\.{2,}", ".", candidate)
    if "@" not in candidate:
        for domain, _ in domains.most_common():
            stem = domain.split(".")[0]
            if candidate.endswith("." + domain) or candidate.endswith(domain):
                local = candidate[: -len(domain)].rstrip(".")
                candidate = f"{local}@{domain}"
                break
            if stem and candidate.endswith(stem):
                candidate = f"{candidate}@{domain}"
                break
    elif EMAIL_RE.match(candidate) is None and domains:
        local, _, domain = candidate.partition("@")
        close = suggest(domain, list(domains))
        if close:
            candidate = f"{local}@{close}"
    if EMAIL_RE.match(candidate) and candidate != value:
        return candidate
    if "@" in candidate and domains:
        local, _, domain = candidate.partition("@")
        close = suggest(domain, list(domains))
        if close and close != domain:
            return f"{local}@{close}"
    return None


def _role(text: str) -> str | None:
    key = fold(text)
    if not key:
        return None
    if "expert" in key or key in ("de", "dx", "digix"):
        return "digi-expert"
    if "coach" in key or key in ("dc",):
        return "digicoach"
    return None


def _active(meaning: str, text: str, today: date) -> bool | None:
    """True/False from an 'Actief' or 'Uit dienst' cell; None when it cannot be read."""
    key = text.strip().lower()
    if meaning == "left":
        leaves = _since(key)
        if leaves is not None:  # the day someone leaves (or left)
            return leaves > today
        # Empty, 'nee': still employed; 'ja', 'x', a date: left the organisation.
        return not key or key in ("nee", "n", "0", "false", "no", "-", "actief", "in dienst")
    if not key:
        return True
    if key in _TRUE or fold(key) in _TRUE:
        return True
    if key in _FALSE or fold(key) in {fold(v) for v in _FALSE}:
        return False
    return None


def _label_key(label: str) -> str:
    return fold(re.sub(r"^(dienst|afdeling)\s+", "", label.strip(), flags=re.I))


def _near_duplicates(name: str, labels: list[tuple[str, str]]) -> list[str]:
    """A label that is almost another, more frequent one ('Burgerzakn' once, 'Burgerzaken' five times) is a typo
    that would make a department or municipality of its own: named, with the label it probably means."""
    counts = Counter(_label_key(label) for _, label in labels)
    shown = {_label_key(label): label for _, label in reversed(labels)}
    problems = []
    for row, label in labels:
        key = _label_key(label)
        for other, count in counts.items():
            if other != key and count >= counts[key] and difflib.SequenceMatcher(None, key, other).ratio() >= 0.85:
                if count == counts[key] and other > key:
                    continue  # equally frequent: report only one of the two
                problems.append(
                    f"{name}, {row}: '{label}' komt {counts[key]} keer voor en lijkt op '{shown[other]}' "
                    f"({count} keer). Bedoelde je '{shown[other]}'? Verbeter de lijst, anders wordt '{label}' een "
                    "aparte waarde."
                )
                break
    return problems


def _since(text: str) -> date | None:
    """A start date as Excel or HR writes it (2025-10-19, 19/10/2025, 19-10-2025); None when there is none."""
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(
        r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text
    )
    if not found:
        return None
    numbers = [int(g) for g in found.groups()]
    year, month, day = numbers if numbers[0] > 31 else numbers[::-1]
    try:
        return date(year, month, day)
    except ValueError:
        return None


_GENERIC_SHEET = re.compile(  # words around a municipality in a sheet's name: 'Digicoaches Koksijde 2026'
    r"\b(sheet|blad|werkblad|tabel|lijst|data|export|query|overzicht|personeel|medewerkers|hr|p ?& ?o|"
    r"(digi)?coach(es)?|digi-?experts?|namen|contacten|stand|versie|van|voor)(?=\d|\b)|\d+|[^\w\s'&-]",
    re.I,
)


def _sheet_municipality(title: str) -> str:
    """The municipality a sheet's name gives: 'Koksijde', 'Digicoaches De Panne 2026' -> 'De Panne'; '' for
    'Blad1' or 'Lijst'."""
    rest = " ".join(_GENERIC_SHEET.sub(" ", title).split()).strip(" -&")
    return municipality_label(rest) if re.search(r"[^\W\d_]{2}", rest) else ""


_ARCHIVE_SHEET = re.compile(r"\b(oud|oude|archief|uit ?dienst|gestopt|vroeger|ex|historiek|vorige|niet actief)\b", re.I)
_SHARED = re.compile(r"\s*[(\[]\s*(gedeeld|samen)\b[^)\]]*[)\]]\s*$", re.I)  # 'ICT (gedeeld met De Panne)'
_SURNAME_FIRST = ("naamvoornaam", "naamenvoornaam", "familienaamvoornaam", "achternaamvoornaam")


@dataclass(frozen=True)
class _Table:
    sheet: str  # the sheet's name ('' for a CSV)
    described: str
    rows: list[tuple[int, list[str]]]
    columns: _Columns
    position: int  # of the header among the rows


def _kind(columns: _Columns) -> frozenset[str]:
    """What a header holds, to tell a sheet of the same list from another table in the workbook."""
    names = {"name"} if "name" in columns.at else {"first_name", "last_name"} & set(columns.at)
    return frozenset(names | ({"email", "department", "municipality"} & set(columns.at)))


def _tables(name: str, path: Path) -> tuple[list[_Table], list[str]]:
    """The tables with a header: the first, and every further sheet with the same kind of header."""
    found: list[_Table] = []
    refused: list[HrListError] = []
    for described, rows in read_table(path):
        sheet = re.search(r"blad '(.*)'$", described)
        try:
            columns, position = _find_columns(name, rows)
        except HrListError as exc:
            refused.append(exc)
            continue
        found.append(_Table(sheet.group(1) if sheet else "", described, rows, columns, position))
    if not found:
        raise refused[0]
    notes = [
        f"blad '{t.sheet}' lijkt een archief (oude of gestopte coaches): niet gelezen"
        for t in found[1:]
        if _ARCHIVE_SHEET.search(t.sheet)
    ]
    found = [found[0], *(t for t in found[1:] if not _ARCHIVE_SHEET.search(t.sheet))]
    reference = next((t for t in found if "department" in t.columns.at), found[0])  # not a summary sheet first
    same = [t for t in found if _kind(t.columns) == _kind(reference.columns)]
    notes += [
        f"blad '{t.sheet}' heeft andere kolommen dan blad '{reference.sheet}': niet gelezen; hoort het bij de lijst, "
        "geef het dezelfde kolommen"
        for t in found
        if t not in same
    ]
    return same, notes


def parse_hr_list(path: Path, municipality: str | None, today: date) -> HrList:
    """The people of an HR list; HrListError with every problem found (never only the first).

    A workbook may hold one sheet per municipality: every sheet with the same kind of header is read, and when
    there is no municipality column the sheet's name is the municipality."""
    name = path.name
    tables, notes = _tables(name, path)
    several = len(tables) > 1
    problems: list[str] = []
    first = tables[0].columns
    if "department" not in first.at:
        problems.append(
            f"{name}: geen kolom voor de dienst (verwacht een titel zoals 'Dienst' of 'Afdeling'). Gevonden kolommen: "
            + ", ".join(f"'{h}'" for h in first.headers if h)
        )
    from_sheets = "municipality" not in first.at and not municipality
    if from_sheets and not all(_sheet_municipality(t.sheet) for t in tables):
        problems.append(
            f"{name}: geen kolom voor de gemeente (verwacht 'Gemeente' of 'Bestuur'); geef ze op met --gemeente als "
            "iedereen van dezelfde gemeente is, of zet in een Excel-werkmap elke gemeente op een eigen blad met de "
            "naam van de gemeente."
        )
    if problems:
        raise HrListError(problems)
    if from_sheets:
        notes.append(
            "geen kolom voor de gemeente: de naam van het blad is de gemeente ("
            + ", ".join(f"blad '{t.sheet}' -> {_sheet_municipality(t.sheet)}" for t in tables)
            + ")"
        )
    everyone = [(t, number, cells) for t in tables for number, cells in t.rows[t.position + 1 :]]

    def cell(table: _Table, cells: list[str], meaning: str) -> str:
        index = table.columns.at.get(meaning)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    domains = Counter(
        _clean_email(cell(t, c, "email")).partition("@")[2]
        for t, _, c in everyone
        if EMAIL_RE.match(_clean_email(cell(t, c, "email")))
    )
    people: list[HrPerson] = []
    seen: dict[str, HrPerson] = {}
    shared: set[tuple[str, int]] = set()  # rows whose department said 'gedeeld met …'
    roles_read: dict[str, str] = {}
    merged = 0
    for table in tables:
        columns = table.columns
        at = dict(columns.at)
        rows = table.rows
        body = rows[table.position + 1 :]
        prefix = f"{name}, blad '{table.sheet}'" if several else name
        if table.position:
            position = table.position
            above = f"rij {rows[0][0]}" if position == 1 else f"rij {rows[0][0]} tot en met {rows[position - 1][0]}"
            notes.append(
                (f"blad '{table.sheet}': " if several else "")
                + f"{above} (boven de kopregel op rij {columns.header_row}) overgeslagen"
            )
        role_column = at.get("role")
        if role_column is not None:
            values = [cell(table, c, "role") for _, c in body if cell(table, c, "role")]
            recognised = sum(1 for v in values if _role(v))
            if values and recognised * 2 < len(values) and fold(columns.headers[role_column]) == "functie":
                # A 'Functie' column with job titles (Administratief medewerker, ...), not the coach role.
                if table is tables[0]:
                    notes.append(
                        f"{columns.where('role')} bevat functietitels, geen rol (digicoach/digi-expert): iedereen "
                        "wordt digicoach; zet de rol in een kolom 'Rol' om digi-experts aan te duiden"
                    )
                del at["role"]
        if "role" not in at and table is tables[0]:
            notes.append("geen kolom 'Rol': iedereen is digicoach")
        table = _Table(table.sheet, table.described, rows, _Columns(
            columns.header_row, columns.headers, at, columns.ignored, columns.set_aside), table.position)  # fmt: skip
        columns = table.columns
        # An 'Actief' column with only 'x' or 'ja' marks and empty cells: an empty cell means not active.
        marks = [fold(cell(table, c, "active")) for _, c in body] if "active" in at else []
        only_marks = bool(marks) and "" in marks and all(m in ("", "x", "ja", "j", "1", "v", "yes") for m in marks)
        surname_first = "name" in at and fold(columns.headers[at["name"]]) in _SURNAME_FIRST
        for number, cells in body:
            where = f"{prefix}, rij {number}"
            first_name, last, whole = (
                cell(table, cells, "first_name"),
                cell(table, cells, "last_name"),
                cell(table, cells, "name"),
            )
            person_name = _person_name(first_name, last, whole, surname_first)
            raw_email = cell(table, cells, "email")
            department = cell(table, cells, "department")
            place = (
                cell(table, cells, "municipality")
                or municipality
                or (_sheet_municipality(table.sheet) if from_sheets else "")
            )
            row_problems = []
            if not raw_email and not department and not cell(table, cells, "municipality"):
                # A footer ("Contact: personeelsdienst"), a subtotal or a row with only an id: no person.
                shown = next((c for c in cells if c), "")
                if shown:
                    notes.append(
                        f"{where.removeprefix(name + ', ')} ('{shown[:60]}') is geen persoon (geen e-mail, dienst of "
                        "gemeente): overgeslagen"
                    )
                continue
            if not person_name:
                column = columns.where("name" if "name" in at else "first_name")
                row_problems.append(f"{where}, {column}: de naam ontbreekt.")
            email = _clean_email(raw_email)
            if not email:
                row_problems.append(f"{where}, {columns.where('email')}: het e-mailadres ontbreekt ({person_name}).")
            elif not EMAIL_RE.match(email):
                hint = _email_hint(email, domains)
                row_problems.append(
                    f"{where}, {columns.where('email')}: '{raw_email}' is geen e-mailadres."
                    + (f" Bedoelde je '{hint}'?" if hint else " Schrijf het als naam@gemeente.be.")
                )
            if not department:
                row_problems.append(f"{where}, {columns.where('department')}: de dienst ontbreekt ({person_name}).")
            if not place:
                row_problems.append(f"{where}, {columns.where('municipality')}: de gemeente ontbreekt ({person_name}).")
            role = "digicoach"
            if "role" in at:
                given = cell(table, cells, "role")
                read_role = _role(given) if given else "digicoach"
                if read_role is None:
                    hint = suggest(fold(given), [fold(r) for r in ROLES])
                    meant = next((r for r in ROLES if fold(r) == hint), None)
                    row_problems.append(
                        f"{where}, {columns.where('role')}: onbekende rol '{given}'. Toegestaan: digicoach, "
                        "digi-expert." + (f" Bedoelde je '{meant}'?" if meant else "")
                    )
                else:
                    role = read_role
                    if given and fold(given) not in {fold(r) for r in ROLES}:
                        roles_read[given] = read_role  # 'Digicoach (reserve)': said once in the notes
            active = True
            for meaning in ("left", "active"):
                if meaning in at:
                    value = cell(table, cells, meaning)
                    state = _active(meaning, value, today)
                    if meaning == "active" and not value and only_marks:
                        state = False  # a column of crosses: no cross is not active
                    if state is None and fold(columns.headers[at[meaning]]) == "status":
                        notes.append(f"rij {number}: status '{value}' gelezen als actief")
                        state = True
                    if state is None:
                        row_problems.append(
                            f"{where}, {columns.where(meaning)}: '{value}' is geen ja of nee. Schrijf 'ja' of 'nee'."
                        )
                    elif not state:
                        active = False
            since = _since(cell(table, cells, "since"))
            problems += row_problems
            if row_problems:
                continue
            if _SHARED.search(department):
                shared.add((table.sheet, number))
                department = _SHARED.sub("", department)
            person = HrPerson(
                number, person_name, email, department, municipality_label(place), role, active, since,
                table.sheet if several else "",
            )  # fmt: skip
            earlier = seen.get(email)
            if earlier is None:
                seen[email] = person
                people.append(person)
                continue
            if fold(earlier.name) != fold(person.name):
                problems.append(
                    f"{where}, {columns.where('email')}: '{email}' staat ook op {earlier.where}, maar met een andere "
                    f"naam ({earlier.name} tegenover {person.name}). Eén e-mailadres is één persoon: verbeter het "
                    "adres of houd één van beide rijen."
                )
                continue
            merged += 1
            kept, note = _merge(earlier, person, shared)
            notes.append(note)
            people[people.index(earlier)] = kept
            seen[email] = kept
    labels_by_meaning: tuple[tuple[str, Callable[[HrPerson], str]], ...] = (
        ("department", lambda p: p.department),
        ("municipality", lambda p: p.municipality),
    )
    for meaning, label_of in labels_by_meaning:
        if meaning in first.at:
            columns_of = {t.sheet if several else "": t.columns for t in tables}
            labels = [(f"{p.where}, {columns_of[p.sheet].where(meaning)}", label_of(p)) for p in people]
            problems += _near_duplicates(name, labels)
    if problems:
        raise HrListError(problems)
    if not people:
        raise HrListError([f"{name}: de lijst bevat geen personen onder de kopregel (rij {first.header_row})."])
    if several:
        counts = Counter(p.sheet for p in people)
        notes.append(
            f"{len(tables)} bladen gelezen: " + ", ".join(f"'{t.sheet}' ({counts[t.sheet]} personen)" for t in tables)
        )
    if merged:
        notes.append(
            f"{merged} dubbele rij(en) samengevoegd (hetzelfde e-mailadres, hoofdletters en spaties genegeerd)"
        )
    if shared:
        notes.append(
            f"{len(shared)} dienst(en) met '(gedeeld met …)' gelezen zonder die toevoeging (de dienst zelf telt)"
        )
    inactive = [p for p in people if not p.active]
    if inactive:
        notes.append(
            f"{len(inactive)} persoon/personen niet (meer) actief: ze komen in de lijst met 'active: false' (niet in "
            "'Wie is mijn digicoach?' en niet in de beurtrol van het overleg): " + ", ".join(p.name for p in inactive)
        )
    for given, role in roles_read.items():
        notes.append(f"rol '{given}' gelezen als {role}")
    for meaning, others in first.set_aside.items():
        if meaning in first.at and others:
            notes.append(
                f"{first.where(meaning)} gebruikt als {LABELS[meaning]}; niet gebruikt: "
                + ", ".join(f"'{c}'" for c in others)
                + " (een kolom heeft één betekenis; hernoem de kolommen als het omgekeerd moet)"
            )
    if first.ignored:
        started = any(fold(c).startswith(("startdatum", "indienst", "datumindienst")) for c in first.ignored)
        notes.append(
            "niet gebruikte kolommen: "
            + ", ".join(f"'{c}'" for c in first.ignored)
            + (
                " (een startdatum is de indiensttreding; een kolom 'Startdatum digicoach' wordt since:)"
                if started
                else ""
            )
        )
    return HrList(name, tables[0].described, tuple(people), tuple(notes))


def _merge(earlier: HrPerson, later: HrPerson, shared: set[tuple[str, int]]) -> tuple[HrPerson, str]:
    """One person on two rows (the same e-mail and name): the row that is kept, and what the report says.

    The data model has one municipality and one department per coach. Identical rows are one; an active row
    wins over an inactive one; two municipalities keep the first row, or the one whose department is not marked
    'gedeeld met …'; two departments keep the first and remember the other in `also`."""
    email = earlier.email
    both = f"{later.where} is dezelfde persoon als {earlier.where} ({email})"
    if earlier.active != later.active:
        kept = earlier if earlier.active else later
        return kept, f"{both}: samengevoegd; de actieve rij ({kept.where}) telt"
    role = "digi-expert" if "digi-expert" in (earlier.role, later.role) else earlier.role
    if fold(earlier.municipality) != fold(later.municipality):
        marked = [(p.sheet, p.row) in shared for p in (earlier, later)]
        kept, other = (later, earlier) if marked == [True, False] else (earlier, later)
        why = "de rij waar de dienst niet 'gedeeld met' zegt" if marked.count(True) == 1 else "de eerste rij"

        def shown(person: HrPerson, is_shared: bool) -> str:
            return f"{person.where} ({person.municipality}, {person.department}{' gedeeld' if is_shared else ''})"

        return replace(kept, role=role), (
            f"{kept.name} ({email}) staat bij twee gemeenten: {shown(earlier, marked[0])} en "
            f"{shown(later, marked[1])}. Een coach hoort bij één gemeente: {kept.name} wordt coach in "
            f"{kept.municipality} ({kept.department}; {why}). Moet het {other.municipality} zijn, haal dan de rij op "
            f"{kept.where} uit de lijst"
        )
    if fold(earlier.department) != fold(later.department):
        also = tuple(dict.fromkeys([*earlier.also, later.department, *later.also]))
        return replace(earlier, role=role, also=also), (
            f"{earlier.name} ({email}) is coach in twee diensten: {earlier.department} ({earlier.where}) en "
            f"{later.department} ({later.where}). Een coach heeft één dienst: {earlier.name} komt bij "
            f"{earlier.department}; {later.department} komt ook in de kennisbank, maar heeft op de site geen eigen "
            f"coach ('Wie is mijn digicoach?' verwijst daar naar de digi-experts). Moet {earlier.name} vooral bij "
            f"{later.department} staan, zet die rij dan eerst in de lijst; anders zoekt {later.department} best een "
            "eigen coach"
        )
    return replace(earlier, role=role), f"{both}: samengevoegd"
