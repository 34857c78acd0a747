"""The agenda as Markdown (for mail and Teams) and as plain text (calendar invites), and the shared wording of
every export."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..checks.examples import EXAMPLE_NOTICE
from ..content.models import STATUS_LABELS, Signal
from ..knowledge.agenda import Agenda, AgendaSection, OpenAction, SectionKind, signal_status_on
from ..knowledge.labels import Labels
from ..knowledge.series import MeetingSeries
from ..knowledge.usage_facts import NO_FIGURES, FailedSearch
from ..knowledge.wording import meeting_title, nl_date, nl_date_short, nl_month
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


@dataclass(frozen=True)
class _Style:
    """How the agenda's text is marked up: Markdown for Teams and mail, plain text for calendar invites."""

    escape: Callable[[str], str]
    title: Callable[[str], list[str]]
    field: Callable[[str, str, bool], str]  # key, value, last field
    heading: Callable[[str], str]
    group: Callable[[str], str]
    link: Callable[[str], str]
    note: Callable[[str], str]
    notice: Callable[[str], str]  # the example-content notice, the export's first line
    code: Callable[[str], str]  # text to copy as is (a synonym line)


MARKDOWN = _Style(
    escape=md_escape,
    title=lambda text: [f"# {md_escape(text)}"],
    field=lambda key, value, last: f"**{key}:** {md_escape(value)}" + ("" if last else "  "),
    heading=lambda text: f"## {md_escape(text)}",
    group=lambda text: f"**{md_escape(text)}**",
    link=lambda url: f"<{url}>",
    note=lambda text: f"> {md_escape(text)}",
    notice=lambda text: f"**{md_escape(text)}**",
    code=lambda text: f"`{text}`",  # a synonym line holds letters, spaces, commas, brackets: never a backtick
)
PLAIN = _Style(
    escape=lambda text: text,
    title=lambda text: [text, "=" * len(text)],
    field=lambda key, value, last: f"{key}: {value}",
    heading=lambda text: f"{text}\n{'-' * len(text)}",
    group=lambda text: f"{text}:",
    link=lambda url: url,
    note=lambda text: text,  # a note already says what it is ("Let op: de agenda duurt …")
    notice=lambda text: text,
    code=lambda text: text,
)


def agenda_markdown(view: AgendaView) -> str:
    """The agenda as Markdown: readable as plain text in a mail, rendered in Teams."""
    return agenda_text(view, MARKDOWN)


def agenda_plain_text(view: AgendaView) -> str:
    """The agenda without any markup: what Outlook shows as an invitation's description."""
    return agenda_text(view, PLAIN)


def agenda_text(view: AgendaView, style: _Style) -> str:
    """The agenda as text in `style`."""
    esc = style.escape
    a = view.agenda
    meeting = a.meeting
    fields = [
        ("Wanneer", view.when),
        ("Waar", meeting.location),
        ("Voorzitter", view.name(meeting.chair)),
        ("Verslag", view.name(meeting.minute_taker)),
    ]
    lines = [style.notice(view.notice), ""] if view.notice else []
    lines += [*style.title(view.title), ""]
    lines += [style.field(key, value, n == len(fields) - 1) for n, (key, value) in enumerate(fields)]
    lines.append("")
    page = view.link(meeting_url(meeting.date.isoformat()))
    if page:
        lines += [f"Agenda online: {style.link(page)}", ""]
    for section in view.sections():
        lines += [style.heading(section.heading), ""]
        kind = section.kind
        if kind is SectionKind.ACTIONS:
            lines += [f"- {esc(view.action_line(item))}" for item in a.open_actions] or ["Geen openstaande acties."]
        elif kind is SectionKind.TIPS:
            for group in a.new_tips:
                lines += [style.group(group.label), ""]
                for tip in group.tips:
                    link = view.tip_link(tip.slug)
                    level = esc(view.label("difficulties", tip.difficulty))
                    text = f"{esc(tip.title)} ({level}, {esc(view.name(tip.coach))})"
                    lines.append(f"- {text}" + (f" {style.link(link)}" if link else ""))
                lines.append("")
            if not a.new_tips:
                lines.append("Geen nieuwe tips sinds het vorige overleg.")
        elif kind is SectionKind.SIGNALS:
            for signal_group in a.open_signals:
                lines += [style.group(view.label("departments", signal_group.department)), ""]
                lines += [f"- {esc(s.title)} ({esc(view.signal_meta(s))})" for s in signal_group.signals]
                lines.append("")
            if not a.open_signals:
                lines.append("Geen open signalen.")
        elif kind is SectionKind.SEARCHES:
            lines += [esc(view.searches_intro()), ""]
            for item in a.searches or ():
                lines.append(f"- {esc(view.search_line(item))}")
                signals, synonym = view.search_signals(item), view.search_synonym(item)
                if signals:
                    lines.append(f"  - {esc(signals)}")
                if synonym:
                    lines.append(f"  - {esc(synonym[0])} {style.code(synonym[1])}")
        elif kind is SectionKind.ITEMS:
            for index, agenda_item in enumerate(a.items, start=1):
                owner = f" — {esc(view.name(agenda_item.owner))}" if agenda_item.owner else ""
                lines.append(f"{index}. {esc(agenda_item.title)}{owner} ({agenda_item.minutes} min)")
            if not a.items:
                lines.append("Geen extra agendapunten.")
            warning = view.time_warning()
            if warning:
                lines += ["", style.note(warning)]
        elif kind is SectionKind.NEXT:
            lines.append(esc(view.next_line()))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
