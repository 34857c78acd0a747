"""The agenda as Markdown (for mail and Teams), and the shared wording of every export."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..content.models import STATUS_LABELS, Signal
from ..knowledge.agenda import Agenda, AgendaSection, OpenAction, SectionKind, signal_status_on
from ..knowledge.labels import Labels
from ..knowledge.wording import meeting_title, nl_date, nl_date_short
from ..site.urls import meeting_url, tip_url

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_escape(text: str) -> str:
    """Text that Markdown (and Teams) shows literally: no links, HTML or emphasis from content."""
    return _MD_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class AgendaView:
    """An agenda plus what every export needs to word it: names, labels and absolute links."""

    agenda: Agenda
    labels: Labels
    stamp: datetime  # when the export was made: from the build date, so a rebuild gives the same bytes
    site_url: str | None = None

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

    def next_line(self) -> str:
        a = self.agenda
        planned = "" if a.next_planned else " (voorstel: drie weken later)"
        return f"{nl_date(a.next_date)}{planned}"


def _heading(section: AgendaSection) -> str:
    return f"## {md_escape(section.heading)}"


def agenda_markdown(view: AgendaView) -> str:
    """The agenda as Markdown: readable as plain text in a mail, rendered in Teams."""
    a = view.agenda
    meeting = a.meeting
    lines = [
        f"# {md_escape(view.title)}",
        "",
        f"**Wanneer:** {md_escape(view.when)}  ",
        f"**Waar:** {md_escape(meeting.location)}  ",
        f"**Voorzitter:** {md_escape(view.name(meeting.chair))}  ",
        f"**Verslag:** {md_escape(view.name(meeting.minute_taker))}",
        "",
    ]
    page = view.link(meeting_url(meeting.date.isoformat()))
    if page:
        lines += [f"Agenda online: <{page}>", ""]
    for section in view.sections():
        lines += [_heading(section), ""]
        kind = section.kind
        if kind is SectionKind.ACTIONS:
            lines += [f"- {md_escape(view.action_line(item))}" for item in a.open_actions] or [
                "Geen openstaande acties."
            ]
        elif kind is SectionKind.TIPS:
            for group in a.new_tips:
                lines += [f"**{md_escape(group.label)}**", ""]
                for tip in group.tips:
                    link = view.tip_link(tip.slug)
                    level = md_escape(view.label("difficulties", tip.difficulty))
                    text = f"{md_escape(tip.title)} ({level}, {md_escape(view.name(tip.coach))})"
                    lines.append(f"- {text}" + (f" <{link}>" if link else ""))
                lines.append("")
            if not a.new_tips:
                lines.append("Geen nieuwe tips sinds het vorige overleg.")
        elif kind is SectionKind.SIGNALS:
            for group in a.open_signals:
                lines += [f"**{md_escape(view.label('departments', group.department))}**", ""]
                lines += [f"- {md_escape(s.title)} ({md_escape(view.signal_meta(s))})" for s in group.signals]
                lines.append("")
            if not a.open_signals:
                lines.append("Geen open signalen.")
        elif kind is SectionKind.ITEMS:
            for index, item in enumerate(a.items, start=1):
                owner = f" — {md_escape(view.name(item.owner))}" if item.owner else ""
                lines.append(f"{index}. {md_escape(item.title)}{owner} ({item.minutes} min)")
            if not a.items:
                lines.append("Geen extra agendapunten.")
            warning = view.time_warning()
            if warning:
                lines += ["", f"> {md_escape(warning)}"]
        elif kind is SectionKind.NEXT:
            lines.append(md_escape(view.next_line()))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
