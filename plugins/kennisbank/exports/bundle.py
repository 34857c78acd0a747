"""All agenda exports of one meeting, as files: used by the CLI and by the site build alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ..content.models import Meeting
from ..knowledge.agenda_view import AgendaView
from ..knowledge.derive import Knowledge
from ..knowledge.series import MeetingSeries
from ..knowledge.urls import signal_url
from .agenda_text import agenda_markdown
from .formats import FORMATS


class Renderer(Protocol):
    """The site's template renderer (`site.render.Renderer`), which the caller hands in: the standalone HTML
    agenda uses the site's own templates, but exports sit below the site and do not import it."""

    def render(self, template: str, page_url: str, **context: Any) -> str: ...


@dataclass(frozen=True)
class ExportFile:
    name: str
    content: bytes


def agenda_html(view: AgendaView, renderer: Renderer) -> str:
    """A standalone, printable HTML agenda with absolute links (or none without a site URL)."""
    return renderer.render(
        "agenda_standalone.html", "", view=view,
        tip_href=view.tip_link, signal_href=lambda slug: view.link(signal_url(slug)),
    )  # fmt: skip


def agenda_view(
    knowledge: Knowledge,
    meeting: Meeting,
    site_url: str | None,
    stamp: datetime,
    series: MeetingSeries | None = None,
    example_content: bool = False,
) -> AgendaView:
    """A meeting's agenda with absolute links for exports (none without a site URL), stamped `stamp`; with
    `series`, its calendar invite updates the series' occurrence; with `example_content` (the site has example
    content), every export starts with the notice that its people and figures are invented."""
    return AgendaView(knowledge.agenda(meeting), knowledge.labels, stamp, site_url, series, example_content)


def export_agenda(view: AgendaView, fmt: str, renderer: Renderer) -> ExportFile:
    """One export of a meeting's agenda in `fmt` (md, html, docx or ics)."""
    if fmt == "md":
        return ExportFile("agenda.md", agenda_markdown(view).encode("utf-8"))
    if fmt == "html":
        return ExportFile("agenda.html", agenda_html(view, renderer).encode("utf-8"))
    # python-docx and icalendar load only when a Word or calendar file is written (start-up time of the rest).
    if fmt == "docx":
        from .agenda_docx import agenda_docx

        return ExportFile("agenda.docx", agenda_docx(view))
    if fmt == "ics":
        from .agenda_ics import agenda_ics

        return ExportFile("agenda.ics", agenda_ics(view, agenda_html(view, renderer)))
    raise ValueError(f"onbekend formaat '{fmt}' (kies uit {', '.join(FORMATS)})")
