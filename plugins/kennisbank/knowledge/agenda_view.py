"""An agenda plus what every rendering of it needs to word it: names, labels, absolute links and the example
notice. The meeting page (site) and every export (Markdown, plain text, HTML, Word, iCalendar) read the same view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..checks.examples import EXAMPLE_NOTICE
from ..content.models import STATUS_LABELS, Signal
from .agenda import Agenda, AgendaSection, OpenAction, signal_status_on
from .labels import Labels
from .series import MeetingSeries
from .urls import tip_url
from .usage_facts import NO_FIGURES, FailedSearch
from .wording import meeting_title, nl_date, nl_date_short, nl_month


@dataclass(frozen=True)
class AgendaView:
    """An agenda plus what every export needs to word it: names, labels and absolute links."""

    agenda: Agenda
    labels: Labels
    stamp: datetime  # when the export was made: from the build date, so a rebuild gives the same bytes
    site_url: str | None = None
    series: MeetingSeries | None = None  # the calendar series the meeting may be an occurrence of
    example_content: bool = False  # the site has example content: every export says so first

    @property
    def notice(self) -> str | None:
        """The example-content notice every export of this view starts with, or None for real content."""
        return EXAMPLE_NOTICE if self.example_content else None

    def name(self, coach_id: str | None) -> str:
        return self.labels.name(coach_id)

    def label(self, kind: str, value_id: str) -> str:
        return self.labels(kind, value_id)

    def link(self, path: str) -> str | None:
        return self.site_url.rstrip("/") + "/" + path if self.site_url else None

    def tip_link(self, slug: str) -> str | None:
        return self.link(tip_url(slug))

    @property
    def title(self) -> str:
        return meeting_title(self.agenda.meeting)

    @property
    def when(self) -> str:
        meeting = self.agenda.meeting
        return f"{nl_date(meeting.date)}, {meeting.start}–{meeting.end}"

    def action_line(self, item: OpenAction) -> str:
        due = f"tegen {nl_date_short(item.action.due)}" if item.action.due else "geen termijn"
        late = "TE LAAT: " if item.overdue else ""
        created = nl_date_short(item.created)
        return f"{late}{item.action.what} ({self.name(item.action.who)}, {due}; afgesproken op {created})"

    def sections(self) -> tuple[AgendaSection, ...]:
        """The agenda's sections in order, numbered, with their minutes: identical in every export."""
        return self.agenda.sections

    def signal_meta(self, signal: Signal) -> str:
        """'(doorgegeven, gemeld door X op 8 september 2026; ook: Vrije tijd)'."""
        others = [self.label("departments", d) for d in signal.departments[1:]]
        also = f"; ook: {', '.join(others)}" if others else ""
        status = signal_status_on(signal, self.agenda.meeting.date)  # as it stood on the meeting day
        return (
            f"{STATUS_LABELS.get(status, status)}, gemeld door {self.name(signal.raised_by)} "
            f"op {nl_date_short(signal.raised_on)}{also}"
        )

    def time_warning(self) -> str | None:
        a = self.agenda
        if not a.over_time:
            return None
        return (
            f"Let op: de agenda duurt {a.standard_minutes + a.item_minutes} minuten ({a.item_minutes} min "
            f"agendapunten + {a.standard_minutes} min vaste punten), maar het overleg duurt {a.slot_minutes} "
            f"minuten: {a.over_time} minuten te veel."
        )

    def searches_intro(self) -> str:
        """What the "Gezocht, niet gevonden" section is for, or why it is empty."""
        a = self.agenda
        if a.searches_month is None:
            return NO_FIGURES
        month = nl_month(a.searches_month)
        if not a.searches:
            return f"In {month} vond elke zoekvraag die collega's minstens drie keer stelden iets."
        return (
            f"De zoekvragen van {month} die niets vonden, de meest gestelde eerst: verdeel ze als tips om te "
            "schrijven, of voeg een synoniem toe."
        )

    def search_line(self, item: FailedSearch) -> str:
        """'"teams achtergrond": 14 keer gezocht (vorige maand 10)'."""
        figure = item.figure
        before = ""
        if figure.compared:
            before = " (nieuw)" if figure.previous is None else f" (vorige maand {figure.previous})"
        return f"“{figure.query}”: {figure.count} keer gezocht{before}"

    def search_signals(self, item: FailedSearch) -> str | None:
        """'Mogelijk bij signaal: …' or None."""
        if not item.signals:
            return None
        return "Mogelijk bij signaal: " + "; ".join(s.title for s in item.signals)

    def search_synonym(self, item: FailedSearch) -> tuple[str, str] | None:
        """('Synoniem voor tips/synoniemen.yml (tip …), nieuwe regel:', '- [a, b]') or None."""
        s = item.suggestion
        if s is None:
            return None
        how = "vervang de groep door" if s.replaces else "nieuwe regel"
        return f"Synoniem voor tips/synoniemen.yml (tip “{s.tip.title}”), {how}:", s.line.strip()

    def next_line(self) -> str:
        a = self.agenda
        planned = "" if a.next_planned else " (voorstel: drie weken later)"
        return f"{nl_date(a.next_date)}{planned}"
