"""Exports of the meeting agenda for the chair: Markdown, standalone HTML, Word (DOCX) and calendar (ICS)."""

from .agenda_docx import agenda_docx
from .agenda_ics import agenda_ics, series_ics
from .agenda_text import agenda_markdown
from .bundle import FORMATS, ExportFile, agenda_view, export_agenda

__all__ = [
    "FORMATS",
    "ExportFile",
    "agenda_docx",
    "agenda_ics",
    "agenda_view",
    "agenda_markdown",
    "export_agenda",
    "series_ics",
]
