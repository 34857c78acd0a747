"""The agenda as Markdown (for mail and Teams) and as plain text (calendar invites), and the shared wording of
every export."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..knowledge.agenda import SectionKind
from ..knowledge.agenda_view import AgendaView
from ..knowledge.urls import meeting_url

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_escape(text: str) -> str:
    """Text that Markdown (and Teams) shows literally: no links, HTML or emphasis from content."""
    return _MD_SPECIAL.sub(r"\\\1", text)


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
