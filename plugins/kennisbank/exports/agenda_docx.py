"""The agenda as a Word document: real headings, tables for actions and items, page numbers."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from ..knowledge.agenda import SectionKind
from ..knowledge.wording import nl_date_short
from .agenda_text import AgendaView


def _page_number_footer(document: Document) -> None:
    """'Pagina N van M' with Word fields, so numbers stay right after the chair edits the file."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.text = "Pagina "
    for field, tail in (("PAGE", " van "), ("NUMPAGES", "")):
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        simple.append(run)
        paragraph._p.append(simple)
        if tail:
            paragraph.add_run(tail)


def _table(document: Document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def agenda_docx(view: AgendaView) -> bytes:
    """A .docx file; content is inserted as plain text runs, so nothing in it can act as markup."""
    a = view.agenda
    meeting = a.meeting
    document = Document()
    properties = document.core_properties
    properties.title = view.title
    properties.language = "nl-BE"
    properties.author = properties.last_modified_by = "Kennisbank digicoaches"
    properties.created = properties.modified = view.stamp.replace(tzinfo=None)
    document.styles["Normal"].font.size = Pt(11)
    _page_number_footer(document)

    document.add_heading(view.title, level=0)
    for key, value in (
        ("Wanneer", view.when),
        ("Waar", meeting.location),
        ("Voorzitter", view.name(meeting.chair)),
        ("Verslag", view.name(meeting.minute_taker)),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{key}: ").bold = True
        paragraph.add_run(value)

    for section in view.sections():
        document.add_heading(section.heading, level=1)
        kind = section.kind
        if kind is SectionKind.ACTIONS:
            if a.open_actions:
                _table(
                    document,
                    ["Actie", "Wie", "Tegen", "Afgesproken", "Status"],
                    [
                        [
                            item.action.what,
                            view.name(item.action.who),
                            nl_date_short(item.action.due) if item.action.due else "—",
                            nl_date_short(item.created),
                            "te laat" if item.overdue else "open",
                        ]
                        for item in a.open_actions
                    ],
                )
            else:
                document.add_paragraph("Geen openstaande acties.")
        elif kind is SectionKind.TIPS:
            for group in a.new_tips:
                document.add_heading(group.label, level=2)
                for tip in group.tips:
                    document.add_paragraph(
                        f"{tip.title} ({view.label('difficulties', tip.difficulty)}, {view.name(tip.coach)})",
                        style="List Bullet",
                    )
            if not a.new_tips:
                document.add_paragraph("Geen nieuwe tips sinds het vorige overleg.")
        elif kind is SectionKind.SIGNALS:
            for group in a.open_signals:
                document.add_heading(view.label("departments", group.department), level=2)
                for signal in group.signals:
                    document.add_paragraph(f"{signal.title} ({view.signal_meta(signal)})", style="List Bullet")
            if not a.open_signals:
                document.add_paragraph("Geen open signalen.")
        elif kind is SectionKind.ITEMS:
            if a.items:
                _table(
                    document,
                    ["Agendapunt", "Wie", "Minuten"],
                    [[item.title, view.name(item.owner), str(item.minutes)] for item in a.items],
                )
            else:
                document.add_paragraph("Geen extra agendapunten.")
            warning = view.time_warning()
            if warning:
                document.add_paragraph().add_run(warning).bold = True
        elif kind is SectionKind.NEXT:
            document.add_paragraph(view.next_line())
    buffer = BytesIO()
    document.save(buffer)
    return _with_fixed_times(buffer.getvalue(), view.stamp)


def _with_fixed_times(package: bytes, stamp: datetime) -> bytes:
    """The same zip with every member dated `stamp`: python-docx dates them with the clock."""
    when = stamp.timetuple()[:6]
    output = BytesIO()
    with ZipFile(BytesIO(package)) as source, ZipFile(output, "w", ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(ZipInfo(member.filename, date_time=when), source.read(member), ZIP_DEFLATED)
    return output.getvalue()
