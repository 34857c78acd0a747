"""The agenda as a Word document: A4 in Dutch (Belgium), real headings, tables for actions and items, page
numbers. python-docx starts from its own template (US Letter, en-US, its author, a 2013 date, an empty
thumbnail); everything a chair would notice of that is replaced here."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import _Row

from ..knowledge.agenda import SectionKind
from ..knowledge.agenda_view import AgendaView
from ..knowledge.wording import nl_date_short


def _page_number_footer(document: WordDocument) -> None:
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


LANGUAGE = "nl-BE"
# A4 with 2 cm margins: the width left for tables.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def _page_setup(document: WordDocument) -> None:
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN


def _language(document: WordDocument) -> None:
    """Dutch (Belgium) as the language of the text, so Word checks the spelling in Dutch: on the document
    defaults and on every style that names a language of its own."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    properties = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if properties is not None:
        _set_lang(properties)
    for style_properties in styles.iter(qn("w:rPr")):
        if style_properties.find(qn("w:lang")) is not None:
            _set_lang(style_properties)


def _set_lang(properties: BaseOxmlElement) -> None:
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)


# Widths of text at 11 pt, generously: a bold letter and the cell's own padding.
_CHAR, _PADDING = Cm(0.26), Cm(0.6)


def _column_widths(header: list[str], rows: list[list[str]]) -> list[int]:
    """Every column at least as wide as its longest word (no word is broken in the middle, as in
    'Afgesproke|n'); the width left over goes to the columns with long texts, in proportion to them."""
    minimum, wanted = [], []
    for column, title in enumerate(header):
        texts = [title, *(row[column] for row in rows)]
        longest_word = max(len(word) for text in texts for word in (text.split() or [""]))
        # A very long word (a web address) may break rather than squeeze every other column.
        minimum.append(min(longest_word * _CHAR + _PADDING, TEXT_WIDTH // 2))
        wanted.append(max(len(text) for text in texts) * _CHAR + _PADDING)
    spare = TEXT_WIDTH - sum(minimum)
    extra = [w - m for w, m in zip(wanted, minimum, strict=True)]
    if spare <= 0 or not sum(extra):
        return [int(TEXT_WIDTH * m / sum(minimum)) for m in minimum]
    share = min(1.0, spare / sum(extra))
    widths = [m + e * share for m, e in zip(minimum, extra, strict=True)]
    rest = TEXT_WIDTH - sum(widths)  # when everything fits, the longest column takes what is left
    widths[extra.index(max(extra))] += rest
    return [int(w) for w in widths]


def _row_properties(row: _Row, *, header: bool) -> None:
    """Rows never split across pages; the header row is repeated on every page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _table(document: WordDocument, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    widths = _column_widths(header, rows)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _row_properties(table.rows[0], header=True)
    for row in rows:
        added = table.add_row()
        _row_properties(added, header=False)
        for cell, text in zip(added.cells, row, strict=True):
            cell.text = text
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width  # Word reads the cell widths, LibreOffice the grid


def _metadata(document: WordDocument, view: AgendaView) -> None:
    """Title, the chair as author, the meeting's date: what Word and the file explorer show."""
    meeting = view.agenda.meeting
    properties = document.core_properties
    properties.title = view.title
    properties.subject = "Agenda van het digicoachoverleg"
    properties.language = LANGUAGE
    properties.keywords = "digicoaches, agenda"
    properties.comments = ""
    properties.category = "Agenda"
    author = view.name(meeting.chair) if meeting.chair else "Digicoaches"
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = view.stamp.replace(tzinfo=None)
    properties.revision = 1


def agenda_docx(view: AgendaView) -> bytes:
    """A .docx file; content is inserted as plain text runs, so nothing in it can act as markup."""
    a = view.agenda
    meeting = a.meeting
    document = Document()
    _metadata(document, view)
    _page_setup(document)
    _language(document)
    document.styles["Normal"].font.size = Pt(11)
    _page_number_footer(document)

    if view.notice:  # above the title: a printed copy in a folder still says it is invented
        document.add_paragraph().add_run(view.notice).bold = True
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
            for signal_group in a.open_signals:
                document.add_heading(view.label("departments", signal_group.department), level=2)
                for signal in signal_group.signals:
                    document.add_paragraph(f"{signal.title} ({view.signal_meta(signal)})", style="List Bullet")
            if not a.open_signals:
                document.add_paragraph("Geen open signalen.")
        elif kind is SectionKind.SEARCHES:
            document.add_paragraph(view.searches_intro())
            for item in a.searches or ():
                document.add_paragraph(view.search_line(item), style="List Bullet")
                signals, synonym = view.search_signals(item), view.search_synonym(item)
                if signals:
                    document.add_paragraph(signals, style="List Bullet 2")
                if synonym:
                    paragraph = document.add_paragraph(synonym[0] + " ", style="List Bullet 2")
                    paragraph.add_run(synonym[1]).font.name = "Consolas"  # to copy as is
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


# python-docx's template names "Microsoft Macintosh Word" as the application and carries an empty thumbnail.
_APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>Kennisbank digicoaches</Application><DocSecurity>0</DocSecurity></Properties>"
)
_THUMBNAIL = "docProps/thumbnail.jpeg"


def _with_fixed_times(package: bytes, stamp: datetime) -> bytes:
    """The same zip with every member dated `stamp` (python-docx dates them with the clock), our own
    application properties and no thumbnail."""
    when = stamp.timetuple()[:6]
    output = BytesIO()
    with ZipFile(BytesIO(package)) as source, ZipFile(output, "w", ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename == _THUMBNAIL:
                continue
            data = source.read(member)
            if member.filename == "docProps/app.xml":
                data = _APP_XML
            elif member.filename in ("[Content_Types].xml", "_rels/.rels"):
                data = _without_thumbnail(data)
            target.writestr(ZipInfo(member.filename, date_time=when), data, ZIP_DEFLATED)
    return output.getvalue()


def _without_thumbnail(xml: bytes) -> bytes:
    """Drop the thumbnail's relationship and content-type entry (one element each, no nesting)."""
    text = xml.decode("utf-8")
    for tag in ("Relationship", "Override"):
        start = 0
        while (found := text.find(f"<{tag} ", start)) != -1:
            end = text.index("/>", found) + 2
            if "thumbnail" in text[found:end]:
                text = text[:found] + text[end:]
            else:
                start = end
    return text.encode("utf-8")
