"""Reading a survey export as Microsoft Forms (or Excel) writes it: an .xlsx workbook or a CSV file.

Forms' "Openen in Excel" gives an .xlsx with one header row (`ID`, `Begintijd`, `Tijd van voltooien`,
`E-mail`, `Naam`, ..., then one column per question) and one row per respondent. Saved again as CSV by
Excel, the same table is cp1252 or UTF-8 (often with a byte-order mark), separated by ';' in a Flemish
locale and ',' in an English one. This module only reads the table; what the columns mean is decided in
`ops/nulmeting_anonymise.py`. The file is opened read-only and never written.

A coach may add a sheet of her own (an overview, a chart) in front of the export. Of a workbook with several
sheets, the one that looks like a Forms export is read: the most of Forms' own columns in its header row, then
a question about the department, then the most rows. `--blad` chooses a sheet by name.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path

from .oserrors import reason

Cell = str | int | float | datetime | None
MAX_BYTES = 20 * 1024 * 1024  # a Forms export of 5,000 answers is a few MB
MAX_ROWS = 20_000
MAX_COLUMNS = 500
MAX_UNPACKED = 64 * 1024 * 1024  # every part of the workbook unpacked; a Forms export of 5,000 answers: a few MB
MAX_MEMBERS = 200  # a Forms workbook has about a dozen parts
MAX_RATIO = 200  # unpacked / packed size of one part; shared strings and sheets of a real export stay far below
MAX_CELLS_PER_ROW = 16_384  # Excel's own limit (column XFD)
MAX_CELLS = 2_000_000  # 20,000 answers x 100 questions
MAX_FIELD_LINES = 5  # a quoted answer over more lines, with a separator in it, is an unclosed quote
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: old .xls, or an encrypted .xlsx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted Office file holds


class SurveyFileError(Exception):
    """A survey file that cannot be read as a table; the message is Dutch and names the file."""


@dataclass(frozen=True)
class SurveyRow:
    """One respondent: the row number as a spreadsheet shows it (the header is row 1) and its cells."""

    number: int
    cells: tuple[Cell, ...]  # as many as there are headers


@dataclass(frozen=True)
class SurveyTable:
    """The header row and the answer rows of an export, blank rows left out."""

    name: str  # the file name, for messages
    format: str  # how it was read, in Dutch: "Excel-werkmap (blad 'Form1')", "CSV, cp1252, ';'"
    headers: tuple[str, ...]
    rows: tuple[SurveyRow, ...]


def read_survey(path: Path, sheet: str | None = None) -> SurveyTable:
    """The table of an .xlsx or .csv export (of a workbook: the sheet named `sheet`, or the one that looks like
    a Forms export); SurveyFileError for anything that is not one."""
    name = path.name
    try:
        if not path.exists():
            raise SurveyFileError(f"{path}: het bestand bestaat niet. Controleer de naam en de map.")
        if not path.is_file():
            raise SurveyFileError(f"{path}: dit is geen bestand (een map?). Geef het exportbestand van Forms op.")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SurveyFileError(f"{name}: het bestand is {size // (1024 * 1024)} MB; dat is geen Forms-export.")
        raw = path.read_bytes()
    except OSError as exc:
        raise SurveyFileError(f"{path}: kan het bestand niet lezen: {reason(exc.errno, exc.strerror)}.") from None
    if not raw.strip():
        raise SurveyFileError(f"{name}: het bestand is leeg.")
    suffix = path.suffix.lower()
    if raw.startswith(_OLE_MAGIC):
        if _ENCRYPTED in raw:
            raise SurveyFileError(
                f"{name}: de werkmap is beveiligd met een wachtwoord. Open ze in Excel, verwijder het wachtwoord "
                "(Bestand > Info > Werkmap beveiligen) en sla ze op als .xlsx."
            )
        raise SurveyFileError(
            f"{name}: dit is een oud Excel-bestand (.xls). Open het in Excel en sla het op als .xlsx."
        )
    if raw.startswith(b"PK"):
        return _read_xlsx(raw, name, sheet)
    if suffix in (".csv", ".txt") and sheet is not None:
        raise SurveyFileError(f"{name}: --blad geldt alleen voor een Excel-werkmap; een CSV-bestand heeft één blad.")
    if suffix in (".csv", ".txt"):
        return _read_csv(raw, name)
    raise SurveyFileError(
        f"{name}: dit is geen Excel-werkmap (.xlsx) of CSV-bestand (.csv). Exporteer de antwoorden in Forms "
        "met 'Openen in Excel' en geef dat bestand op."
    )


def _table(name: str, described: str, grid: list[list[Cell]]) -> SurveyTable:
    """Header and answers from a grid of cells: the first non-blank row is the header. Rows are numbered as a
    spreadsheet shows them, from 1."""
    numbered = [(number, row) for number, row in enumerate(grid, start=1) if any(_text(c) for c in row)]
    if not numbered:
        raise SurveyFileError(f"{name}: het bestand is leeg (geen kopregel en geen antwoorden).")
    header_number, header_row = numbered[0]
    width = max(len(row) for _, row in numbered)
    if width > MAX_COLUMNS:
        raise SurveyFileError(f"{name}: meer dan {MAX_COLUMNS} kolommen; dat is geen Forms-export.")
    headers = tuple(_text(c) for c in [*header_row, *([None] * (width - len(header_row)))])
    rows = tuple(
        SurveyRow(number, tuple(_clean(c) for c in [*row, *([None] * (width - len(row)))]))
        for number, row in numbered[1:]
    )
    if not rows:
        raise SurveyFileError(f"{name}: het bestand bevat geen antwoorden, alleen de kopregel (rij {header_number}).")
    if len(rows) > MAX_ROWS:
        raise SurveyFileError(f"{name}: meer dan {MAX_ROWS} rijen; dat is geen Forms-export.")
    return SurveyTable(name, described, headers, rows)


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


def _clean(cell: Cell) -> Cell:
    if isinstance(cell, str):
        cell = cell.strip()
        return cell or None
    return cell


# Forms' own columns (Dutch and English), folded: a header row with several of them is a Forms export.
_FORMS_HEADERS = frozenset(
    {"id", "begintijd", "start time", "tijd van voltooien", "completion time", "e-mail", "email", "naam", "name",
     "tijd van laatste wijziging", "last modified time"}
)  # fmt: skip
_DEPARTMENT_HEADER = re.compile(r"\b(?:dienst|afdeling|department)\b", re.IGNORECASE)


def _read_xlsx(raw: bytes, name: str, wanted: str | None = None) -> SurveyTable:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = set(archive.namelist())
            _refuse_zip_bomb(archive, name)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise SurveyFileError(f"{name}: het bestand is beschadigd (geen geldige Excel-werkmap).") from None
    if "content.xml" in members and "mimetype" in members:
        raise SurveyFileError(
            f"{name}: dit is een OpenDocument-werkblad (.ods). Open het in Excel of LibreOffice Calc en sla het op "
            "als Excel-werkmap (.xlsx) of als CSV."
        )
    if "xl/workbook.xml" not in members:
        raise SurveyFileError(
            f"{name}: dit is geen Excel-werkmap (misschien een Word- of ander Office-bestand). Exporteer de "
            "antwoorden in Forms met 'Openen in Excel'."
        )
    # Imported here, after the checks above: only an import needs openpyxl, and a refused file never reaches it.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            sheets = [s for s in workbook.worksheets if hasattr(s, "iter_rows")]  # no chart sheets
            titles = [s.title for s in sheets]
            if not sheets:
                raise SurveyFileError(f"{name}: de werkmap heeft geen werkblad met gegevens.")
            chosen = [_sheet_named(titles, wanted, name)] if wanted is not None else range(len(sheets))
            grids = {index: _grid(sheets[index]) for index in chosen}
        finally:
            workbook.close()
    except SurveyFileError:
        raise
    except Exception as exc:  # openpyxl reports a damaged part with whatever its XML parser or zipfile raised
        raise SurveyFileError(
            f"{name}: het bestand is beschadigd en kan niet gelezen worden als Excel-werkmap "
            f"({type(exc).__name__}). Open het in Excel en sla het opnieuw op als .xlsx."
        ) from None
    index = max(grids, key=lambda i: (_export_score(grids[i]), -i))
    cells = [[_cell(c) for c in row] for row in grids[index]]
    if any(b"<f>" in raw_part or b"<f " in raw_part for raw_part in _sheet_parts(raw)):
        _refuse_formulas_without_value(raw, name, cells, titles[index])
    described = f"Excel-werkmap, blad '{titles[index]}'"
    others = [t for t in titles if t != titles[index]]
    if others:  # say which sheet was read, and which were not: a coach's own overview may come first
        how = "gekozen met --blad" if wanted is not None else "het blad dat op een export van Forms lijkt"
        described += f" ({how}; niet gelezen: {', '.join(repr(t) for t in others)})"
    return _table(name, described, cells)


def _grid(sheet: object) -> list[list[Cell]]:
    # The sheet's own <dimension> may claim 16,384 columns; read-only mode would pad every row to it
    # (1.3 GB for a 221 KB file). Count the cells that are there, and never more than a Forms export has.
    # `sheet` is a ReadOnlyWorksheet (the workbook is opened read-only), which openpyxl's stubs cannot say of a
    # workbook's sheets; its values are taken as `Cell` (openpyxl may also give a time or a timedelta).
    sheet.reset_dimensions()  # type: ignore[attr-defined]  # see above
    rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)  # type: ignore[attr-defined]  # see above
    return [_trimmed(row) for _, row in zip(range(MAX_ROWS + 2), rows, strict=False)]


def _export_score(grid: list[list[Cell]]) -> tuple[bool, int, bool, int]:
    """How much a sheet looks like a Forms export: (it has answer rows, Forms' own columns in its header row when
    there are at least two, a question about the department, the number of answer rows)."""
    filled = [row for row in grid if any(_text(c) for c in row)]
    if len(filled) < 2:
        return (False, 0, False, 0)
    header = [_text(c) for c in filled[0]]
    forms = sum(" ".join(h.lower().split()) in _FORMS_HEADERS for h in header)
    department = any(_DEPARTMENT_HEADER.search(h) for h in header)
    return (True, min(forms, 3) if forms >= 2 else 0, department, len(filled) - 1)


def _sheet_named(titles: list[str], wanted: str, name: str) -> int:
    """The index of the sheet --blad names (case and spaces do not matter); an error with the closest name."""
    for index, title in enumerate(titles):
        if " ".join(title.lower().split()) == " ".join(wanted.lower().split()):
            return index
    close = difflib.get_close_matches(wanted.lower(), [t.lower() for t in titles], n=1, cutoff=0.5)
    hint = next((t for t in titles if close and t.lower() == close[0]), None)
    raise SurveyFileError(
        f"{name}: er is geen blad '{_text(wanted)[:60]}'."
        + (f" Bedoelde je '{hint}'?" if hint else "")
        + f" Bladen in de werkmap: {', '.join(repr(t) for t in titles)}."
    )


def _refuse_zip_bomb(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a workbook that unpacks to far more than any Forms export, before openpyxl parses a byte of it.

    The sizes come from the zip's directory; zipfile never unpacks more than a part declares (a part that lies
    fails its CRC check), so checking them bounds what openpyxl can read. Cells are counted by streaming the
    sheets' XML: a single row of 5 million empty cells packs into a few hundred KB and unpacks into 20 MB, but
    openpyxl would build an object for every cell (GBs) before `max_col` cuts the row."""
    infos = archive.infolist()
    refused = (
        f"{name}: dit is geen gewone Excel-werkmap van Forms: {{}}. Zo'n bestand wordt niet geopend (het zou de "
        "computer vastzetten). Exporteer de antwoorden opnieuw in Forms met 'Openen in Excel'."
    )
    if len(infos) > MAX_MEMBERS:
        raise SurveyFileError(refused.format(f"het bevat {len(infos)} onderdelen"))
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED:
        raise SurveyFileError(refused.format(f"uitgepakt is het {unpacked // (1024 * 1024)} MB"))
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SurveyFileError(
                refused.format(f"'{info.filename}' is {info.file_size // max(info.compress_size, 1)} keer samengeperst")
            )
    cells = 0
    for info in infos:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            widest, total = _count_cells(archive, info)
            cells += total
            if widest > MAX_CELLS_PER_ROW:
                raise SurveyFileError(refused.format("één rij heeft meer dan 16.384 cellen, het maximum van Excel"))
    if cells > MAX_CELLS:
        raise SurveyFileError(refused.format(f"het heeft {cells} cellen"))


_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)[\s/>]")


def _count_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """(cells in the widest row, cells in all) of one sheet, read in chunks; never the whole XML at once."""
    widest = total = current = 0
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(1024 * 1024):
            data = tail + chunk
            cut = max(len(data) - 64, 0)  # a tag split over two chunks is matched in the next round
            for found in _ROW_OR_CELL.finditer(data):
                if found.start() >= cut:  # counted in the next round, with the chunk that completes it
                    break
                if found.group(1) == b"row":
                    widest, current = max(widest, current), 0
                else:
                    current += 1
                    total += 1
                    if current > MAX_CELLS_PER_ROW:
                        return current, total
            tail = data[cut:]
        for found in _ROW_OR_CELL.finditer(tail):
            if found.group(1) == b"row":
                widest, current = max(widest, current), 0
            else:
                current += 1
                total += 1
    return max(widest, current), total


def _trimmed(row: tuple[Cell, ...]) -> list[Cell]:
    """A row without the empty cells that openpyxl pads it with up to `max_col`."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return list(row[:end])


def _sheet_parts(raw: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return [archive.read(m) for m in archive.namelist() if m.startswith("xl/worksheets/") and m.endswith(".xml")]


def _refuse_formulas_without_value(raw: bytes, name: str, cells: list[list[Cell]], title: str) -> None:
    """A formula whose result was never stored (a file made by a script, not saved by Excel) reads as an empty
    cell: the answer would silently count as no answer. Refused, naming its column."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        formulas = workbook[title].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        header: list[Cell] | None = None
        for number, (values, written) in enumerate(zip(cells, formulas, strict=False), start=1):
            if header is None and any(_text(c) for c in values):
                header = values
            for column, formula in enumerate(written):
                if (
                    isinstance(formula, str)
                    and formula.startswith("=")
                    and (column >= len(values) or values[column] is None)
                ):
                    heading = _text(header[column]) if header and column < len(header) else ""
                    raise SurveyFileError(
                        f"{name}: kolom {get_column_letter(column + 1)}"
                        f"{f' ({heading!r})' if heading else ''}, rij {number}: formule zonder waarde; open en "
                        "bewaar het bestand in Excel, dan staat de uitkomst erin."
                    )
    finally:
        workbook.close()


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float | datetime):
        return value
    return str(value)  # a date without time, a time, a boolean: compared as text


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV export and the name of its encoding."""
    if raw.startswith(codecs.BOM_UTF8):
        encoding, body, described = "utf-8", raw[len(codecs.BOM_UTF8) :], "UTF-8 met BOM"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body, described = "utf-16", raw, "UTF-16"  # Excel's "Unicode-tekst"
    else:
        if b"\x00" in raw:
            raise SurveyFileError(f"{name}: dit is geen tekstbestand; is het wel een CSV-export?")
        try:
            return raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            encoding, body, described = "cp1252", raw, "Windows-1252"  # Excel's "CSV (gescheiden door lijstteken)"
    try:
        return body.decode(encoding), described
    except UnicodeDecodeError as exc:
        raise SurveyFileError(
            f"{name}: de tekst is geen {described} (byte 0x{body[exc.start]:02x}). Sla het bestand in Excel op als "
            "'CSV UTF-8 (door komma's gescheiden)'."
        ) from None


def _separator(text: str) -> str:
    """';', ',' or a tab: the one that splits the first rows into the same number of fields as the header (a
    question title may hold commas in a ';' file), then the one with the most fields in the header."""
    sample = text[:65536]

    def score(separator: str) -> tuple[int, int, bool]:
        try:
            rows = list(islice(csv.reader(io.StringIO(sample, newline=""), delimiter=separator), 50))
        except csv.Error:
            return (0, 0, False)
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        if not rows or len(rows[0]) < 2:
            return (0, len(rows[0]) if rows else 0, separator == ";")
        width = len(rows[0])
        return (sum(len(row) == width for row in rows[1:]), width, separator == ";")

    return max((";", ",", "\t"), key=score)


def _read_csv(raw: bytes, name: str) -> SurveyTable:
    text, encoding = _decode(raw, name)
    text = text.lstrip("\ufeff")
    separator = _separator(text)
    shown = {"\t": "tab"}.get(separator, f"'{separator}'")
    return _table(name, f"CSV, {encoding}, gescheiden door {shown}", _csv_grid(text, name, separator))


def _csv_grid(text: str, name: str, separator: str) -> list[list[Cell]]:
    """The rows of a CSV text, strictly: a stray or unclosed quote is an error naming its line, never rows that
    silently disappear into one quoted field."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    grid: list[list[Cell]] = []
    width = None
    start = 1
    unclosed = (
        'begint een veld met een aanhalingsteken (") dat niet gesloten wordt, zodat de volgende regels in '
        "dat ene veld verdwijnen. Verbeter het aanhalingsteken in Excel of een teksteditor en bewaar opnieuw als CSV."
    )
    try:
        for row in reader:
            if width is None and any(cell.strip() for cell in row):
                width = len(row)
            spanned = reader.line_num - start + 1
            for cell in row:
                if cell.count("\n") >= MAX_FIELD_LINES and separator in cell:
                    raise SurveyFileError(f"{name}: op regel {start} {unclosed}")
            if width is not None and len(row) > width:
                raise SurveyFileError(
                    f"{name}: regel {start}{f'-{reader.line_num}' if spanned > 1 else ''} heeft {len(row)} velden, "
                    f"de kopregel maar {width}. Staat er een scheidingsteken ('{separator}') of aanhalingsteken "
                    "te veel in een antwoord?"
                )
            grid.append(list(row))
            start = reader.line_num + 1
    except csv.Error as exc:
        text_of = str(exc)
        if "unexpected end of data" in text_of:
            raise SurveyFileError(f"{name}: op regel {start} {unclosed}") from None
        if "field limit" in text_of:  # csv's own message is English
            raise SurveyFileError(
                f"{name}: vanaf regel {start} is een veld langer dan {csv.field_size_limit()} tekens; dat is geen "
                "antwoord uit Forms (een aanhalingsteken dat niet gesloten wordt?)."
            ) from None
        raise SurveyFileError(
            f'{name}: regel {reader.line_num}: een aanhalingsteken (") midden in een veld. Zet een veld met '
            'aanhalingstekens helemaal tussen aanhalingstekens en verdubbel die erin ("").'
        ) from None
    return grid
