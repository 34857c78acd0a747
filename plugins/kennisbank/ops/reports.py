"""`kennisbank report`: the follow-up figures as a table, for a mail (Markdown) or a spreadsheet (CSV, .xlsx)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from ..checks.examples import EXAMPLE_NOTICE, has_example_content
from ..content.models import STATUS_LABELS
from ..exports.agenda_text import md_escape
from ..knowledge.derive import Knowledge
from ..knowledge.followup import days_open, is_long_open
from ..policy import LONG_OPEN, STALE_AFTER
from .report_kinds import REPORTS as REPORTS  # also named here, where the reports are built

# Excel's own short date in a Flemish locale; the cell stays a date, so it sorts and filters as one.
DATE_FORMAT = "DD/MM/YYYY"
SHEET_TITLE_MAX = 31
# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A cell is text, or a date that the spreadsheet keeps as a date (CSV and Markdown write it as YYYY-MM-DD).
Cell = str | date


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # The example-content notice while the site has example content: a report mailed to HR or ICT says itself
    # that its people and figures are invented (a first line in Markdown, a first row in CSV and Excel).
    notice: str | None = None


def _d(value: date | None) -> Cell:
    return value if value else ""


def cell_text(value: Cell) -> str:
    """A cell as text: a date in ISO form (sorts as text too), anything else as is."""
    return value.isoformat() if isinstance(value, date) else value


def build_report(kind: str, knowledge: Knowledge) -> Table:
    """The rows of one report; the same figures as the Signalen and Opvolging pages."""
    table = _table(kind, knowledge)
    return replace(table, notice=EXAMPLE_NOTICE) if has_example_content(knowledge.repository) else table


def _table(kind: str, knowledge: Knowledge) -> Table:
    repository, today, name = knowledge.repository, knowledge.today, knowledge.labels

    if kind == "signals":
        signals = sorted(repository.signals, key=lambda s: (not s.is_open, s.raised_on, s.slug))
        return Table(
            "Signalen",
            ("signaal", "thema", "status", "diensten", "gemeenten", "gemeld door", "gemeld op", "dagen open",
             f"langer dan {LONG_OPEN.days} dagen", "doorgegeven aan", "opgelost op"),
            tuple((s.title, name("themes", s.theme), STATUS_LABELS[s.status],
                   ", ".join(name("departments", d) for d in s.departments),
                   ", ".join(name("municipalities", m) for m in s.municipalities) or "alle",
                   name("coaches", s.raised_by), _d(s.raised_on), str(days_open(s, today)),
                   "ja" if is_long_open(s, today) else "nee",
                   name("departments", s.forwarded_to) if s.forwarded_to else "", _d(s.resolved_on))
                  for s in signals),
        )  # fmt: skip
    if kind == "stale":
        # The review list: tips not checked for a year, then tips colleagues found unhelpful (issue 25).
        unhelpful = {u.tip.slug: f"weinig geholpen: {u.text}" for u in knowledge.usage.unhelpful}
        rows = [(t, f"niet nagekeken sinds {t.last_reviewed.isoformat()}") for t in knowledge.stale]
        rows = [(t, "; ".join(filter(None, (why, unhelpful.get(t.slug))))) for t, why in rows]
        listed = {t.slug for t in knowledge.stale}
        rows += [(u.tip, unhelpful[u.tip.slug]) for u in knowledge.usage.unhelpful if u.tip.slug not in listed]
        also = ", of weinig geholpen" if unhelpful else ""
        return Table(
            f"Te herzien ({round(STALE_AFTER.days / 30.44)} maanden niet nagekeken{also})",
            ("tip", "bestand", "laatst herzien", "digicoach", "e-mail digicoach", "waarom"),
            tuple((t.title, t.source_path, _d(t.last_reviewed), name("coaches", t.coach),
                   repository.coaches[t.coach].email if t.coach in repository.coaches else "", why)
                  for t, why in rows),
        )  # fmt: skip
    if kind == "coverage":
        return Table(
            "Dekking per dienst en gemeente",
            ("dienst", "gemeente", "eigen tips", "nieuwste tip", "digicoach", "open signalen", "opvolging nodig"),
            tuple((name("departments", r.department), name("municipalities", r.municipality), str(r.tips),
                   _d(r.newest), ", ".join(c.name for c in r.coaches) or "geen", str(r.open_signals),
                   "ja" if r.needs_attention else "nee")
                  for r in knowledge.coverage),
        )  # fmt: skip
    raise ValueError(f"onbekend rapport '{kind}' (kies uit {', '.join(REPORTS)})")


def csv_cell(text: str) -> str:
    """The cell as text a spreadsheet shows literally: a leading quote keeps `=HYPERLINK(…)` from running."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(table: Table) -> str:
    """CSV with a header row; Excel opens it with ';' in a Flemish locale, so ';' is the separator.

    Content comes from any colleague's pull request, so no cell may start a formula (see csv_cell).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if table.notice:
        writer.writerow([csv_cell(table.notice)])
    writer.writerow([csv_cell(text) for text in table.header])
    writer.writerows([csv_cell(cell_text(value)) for value in row] for row in table.rows)
    return buffer.getvalue()


def to_csv_bytes(table: Table) -> bytes:
    """`to_csv` as UTF-8 with a byte-order mark: without it, Excel on Windows reads 'Financiën' as 'FinanciÃ«n'."""
    return ("\ufeff" + to_csv(table)).encode("utf-8")


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\.

    A title too long loses its remarks in brackets first ("Te herzien (12 maanden niet nagekeken)" becomes
    "Te herzien"), then words from the end; a bracket is never left open."""
    clean = " ".join("".join(" " if c in "[]:*?/\\" else c for c in title).split())
    while len(clean) > SHEET_TITLE_MAX and (match := re.search(r"\s*\([^()]*\)(?!.*\()", clean)):
        clean = (clean[: match.start()] + clean[match.end() :]).strip()
    if len(clean) > SHEET_TITLE_MAX:
        at_word = clean[: SHEET_TITLE_MAX + 1].rsplit(" ", 1)[0]
        clean = at_word if len(at_word) <= SHEET_TITLE_MAX else clean[:SHEET_TITLE_MAX]
    if clean.count("(") > clean.count(")"):
        clean = clean[: clean.rfind("(")]
    return clean.rstrip(" ,;-") or "Rapport"


def to_xlsx(table: Table, stamp: datetime) -> bytes:
    """An Excel workbook: one sheet with a bold, frozen header row, a filter and columns wide enough to read.

    Every cell is text, also one that starts with '=' (content comes from any colleague's pull request),
    except counts (numbers) and dates (date cells shown as dd/mm/yyyy, so Excel sorts and filters them)."""
    from openpyxl import Workbook  # only an .xlsx report loads openpyxl (start-up time of the other commands)
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.worksheets[0]  # a new workbook's one (active) sheet; `active` is typed as maybe None
    sheet.title = _sheet_title(table.title)
    top = 1  # the header's row: the second one below the example-content notice
    if table.notice:
        notice = sheet.cell(row=1, column=1, value=table.notice)
        notice.font, notice.data_type = Font(bold=True, color="8A1C1C"), "s"
        top = 2
    for column, text in enumerate(table.header, start=1):
        cell = sheet.cell(row=top, column=column, value=text)
        cell.font = Font(bold=True)
    for row_number, row in enumerate(table.rows, start=top + 1):
        for column, value in enumerate(row, start=1):
            if isinstance(value, date):
                sheet.cell(row=row_number, column=column, value=value).number_format = DATE_FORMAT
                continue
            if value.isdigit():  # counts stay numbers: Excel sums and sorts them
                sheet.cell(row=row_number, column=column, value=int(value))
                continue
            cell = sheet.cell(row=row_number, column=column, value=value)
            cell.data_type = "s"  # openpyxl takes a leading '=' for a formula
    sheet.freeze_panes = f"A{top + 1}"
    if table.rows:
        last = get_column_letter(len(table.header))
        sheet.auto_filter.ref = f"A{top}:{last}{top + len(table.rows)}"
    for column, values in enumerate(zip(table.header, *table.rows, strict=True), start=1):
        width = max(len(line) for value in values for line in (cell_text(value).splitlines() or [""]))
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    properties = workbook.properties
    properties.title, properties.creator, properties.language = table.title, "Kennisbank digicoaches", "nl-BE"
    properties.created = properties.modified = stamp.replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_markdown(table: Table) -> str:
    """A Markdown table; cell text is escaped so content cannot add links or HTML."""

    def cell(text: str) -> str:
        return md_escape(text).replace("\n", " ")

    lines = [f"**{md_escape(table.notice)}**", ""] if table.notice else []
    lines += [
        f"# {table.title}",
        "",
        "| " + " | ".join(table.header) + " |",
        "|" + "|".join("---" for _ in table.header) + "|",
    ]
    lines += ["| " + " | ".join(cell(cell_text(v)) for v in row) + " |" for row in table.rows]
    if not table.rows:
        lines.append("\n(geen)")
    return "\n".join(lines) + "\n"
