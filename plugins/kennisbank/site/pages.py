"""The HTML of every kind of page: pure functions of the derived knowledge, rendered with the templates.

Which pages exist, their URLs, titles and place in the navigation is decided in `model.py`; this module
only says what is on a page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..content.models import ALL_DEPARTMENTS, Signal, Tip
from ..content.nulmeting import TOP_SCORE, Group
from ..knowledge import urls
from ..knowledge.agenda_view import AgendaView
from ..knowledge.derive import Knowledge
from ..knowledge.followup import days_open, is_long_open
from ..knowledge.indexes import Facet, FacetValue, group_by_difficulty, group_by_tool, new_tips_by_week
from ..knowledge.labels import ALL_DEPARTMENTS_LABEL
from ..knowledge.maturity import Change, Maturity
from ..knowledge.paths import LearningPath
from ..knowledge.usage_facts import NO_FIGURES
from ..knowledge.wording import nl_month, nl_number, nl_signed
from ..policy import HOME_NEWEST, LONG_OPEN, MIN_GROUP, NEW_TIPS_DAYS, START_HERE_LIMIT, UNHELPFUL_MIN_NO, is_stale
from .beacons import REASONS as FEEDBACK_REASONS
from .charts import Bar, bar_chart
from .heatmap import HeatCell, heat_map
from .render import Renderer

FACET_TITLES = {
    "departments": ("Diensten", "Kies je dienst: de tips per tool, van basis tot expert, en wie je digicoach is."),
    "tools": ("Tools", "Alle tips per toepassing."),
    "sources": ("Bronnen", "Waar komen de tips vandaan: OASE, de vorming rond AI, de helpdesk, ..."),
    "difficulties": ("Niveaus", "Van basis tot expert."),
    "coaches": ("Digicoaches", "De tips per digicoach."),
    "municipalities": ("Gemeenten", "De tips die gelden in jouw gemeente."),
}
EMPTY_TEXTS = {
    "departments": "Voor deze dienst zijn er nog geen tips. Heb je een vraag? Spreek je digicoach aan, of kijk bij "
    "de tips voor alle diensten.",
    "tools": "Voor deze tool zijn er nog geen tips. Ken jij een handige tip? Vraag je digicoach om hem toe te voegen.",
    "sources": "Uit deze bron zijn er nog geen tips.",
    "difficulties": "Op dit niveau zijn er nog geen tips.",
    "coaches": "Deze digicoach heeft nog geen tips geschreven.",
    "municipalities": "Voor deze gemeente zijn er nog geen tips.",
}


def facet_heading(facet: Facet, value: FacetValue) -> str:
    """The heading of a value's page: 'Dienst Burgerzaken', or the label itself."""
    return f"Dienst {value.label}" if facet.kind == "departments" and value.id != ALL_DEPARTMENTS else value.label


def facet_page(renderer: Renderer, knowledge: Knowledge, facet: Facet, value: FacetValue) -> str:
    """The index page of one value: its tips grouped by tool or level; a department also shows its coaches."""
    taxonomy = knowledge.repository.taxonomy
    assert taxonomy is not None
    url = urls.facet_url(facet.kind, value.id)
    context = {
        "value": value,
        "heading": facet_heading(facet, value),
        "empty_text": EMPTY_TEXTS[facet.kind],
        "coach": knowledge.labels.coaches.get(value.id) if facet.kind == "coaches" else None,
        "coaches_by_municipality": None,
        "experts": (),
        "search_scope": None,
        "all_departments_tips": 0,
        "everyone": ALL_DEPARTMENTS,
        "feed": None,
        "show_departments": facet.kind != "departments",
        "group_prefix": "tool-",
        "paths": (),
        "coach_reads": None,
        "usage_known": knowledge.usage.has_figures,
    }
    if facet.kind == "coaches":
        context["coach_reads"] = knowledge.usage.coach_reads.get(value.id)
    context["maturity"], context["basis_tips"], context["minimum"] = None, {}, MIN_GROUP
    context["weak_paths"] = ()
    if facet.kind == "departments":
        context["groups"] = group_by_tool(value.tips, taxonomy)
        context["paths"] = knowledge.paths_for(value.id)
        context["feed"] = url + "feed.xml"
        if value.id != ALL_DEPARTMENTS:
            context["maturity"] = knowledge.maturity.for_department(value.id)
            context["basis_tips"] = _basis_tips(knowledge)
            context["weak_paths"] = knowledge.paths_for_weakest_topic(value.id)
            context["coaches_by_municipality"] = knowledge.coaches.of_department(value.id)
            context["experts"] = knowledge.coaches.experts
            context["search_scope"] = value.id
            context["all_departments_tips"] = len(knowledge.everyone.tips)
    elif facet.kind == "difficulties":
        context["groups"] = group_by_tool(value.tips, taxonomy)
    else:
        context["groups"] = tuple(g for g in group_by_difficulty(value.tips, taxonomy) if g.tips)
        context["group_prefix"] = "niveau-"
    return renderer.render("facet_page.html", url, **context)


def overview_page(renderer: Renderer, knowledge: Knowledge, facet: Facet) -> str:
    """The overview of a facet kind; for coaches, the directory per municipality."""
    url = urls.facet_url(facet.kind)
    if facet.kind == "coaches":
        directory = knowledge.coaches
        return renderer.render(
            "coach_directory.html", url, by_municipality=directory.by_municipality, former=directory.former
        )
    heading, intro = FACET_TITLES[facet.kind]
    return renderer.render(
        "facet_overview.html", url, heading=heading, intro=intro, kind=facet.kind, values=facet.values
    )


def new_tips_page(renderer: Renderer, knowledge: Knowledge, url: str) -> str:
    weeks = new_tips_by_week(knowledge.repository.tips, knowledge.today, NEW_TIPS_DAYS)
    return renderer.render("new_tips.html", url, weeks=weeks, days=NEW_TIPS_DAYS)


def start_here_page(renderer: Renderer, knowledge: Knowledge, url: str) -> str:
    taxonomy = knowledge.repository.taxonomy
    assert taxonomy is not None
    return renderer.render(
        "start_here.html", url,
        groups=group_by_difficulty(tuple(knowledge.repository.tips), taxonomy),
        descriptions={key: term.description for key, term in taxonomy.difficulties.items()},
        limit=START_HERE_LIMIT, paths=knowledge.onboarding_paths,
    )  # fmt: skip


def paths_page(renderer: Renderer, knowledge: Knowledge, url: str) -> str:
    """The overview of the learning paths: those for new colleagues first, then the others."""
    onboarding = knowledge.onboarding_paths
    others = tuple(p for p in knowledge.paths if not p.new_colleagues)
    return renderer.render("paths_overview.html", url, onboarding=onboarding, others=others)


def search_page(renderer: Renderer, knowledge: Knowledge, url: str) -> str:
    return renderer.render("search_page.html", url, version=knowledge.search_version)


def meetings_page(renderer: Renderer, knowledge: Knowledge, url: str) -> str:
    today = knowledge.today
    meetings = knowledge.repository.meetings
    return renderer.render(
        "meetings_overview.html", url,
        upcoming=[m for m in meetings if m.date >= today],
        past=[m for m in reversed(meetings) if m.date < today],
    )  # fmt: skip


def signals_page(renderer: Renderer, knowledge: Knowledge, url: str) -> str:
    """Open signals per status and theme, a chart per theme, and the resolved ones."""
    taxonomy = knowledge.repository.taxonomy
    assert taxonomy is not None
    today = knowledge.today
    chart = bar_chart(
        "Signalen per thema (open en opgelost)",
        [Bar(knowledge.labels("themes", theme), (open_, closed)) for theme, open_, closed in knowledge.theme_counts],
        legend=("open", "opgelost"),
    )
    resolved = sorted(
        (s for s in knowledge.repository.signals if not s.is_open),
        key=lambda s: s.resolved_on or s.raised_on,
        reverse=True,
    )
    return renderer.render(
        "signals_overview.html", url, by_status=knowledge.open_signals, theme_counts=knowledge.theme_counts,
        theme_chart=chart, resolved=resolved, long_days=LONG_OPEN.days,
        departments=list(taxonomy.departments), municipalities=list(taxonomy.municipalities),
        all_municipalities=list(taxonomy.municipalities), everyone=ALL_DEPARTMENTS,
        long_open=lambda s: is_long_open(s, today), days=lambda s: days_open(s, today),
    )  # fmt: skip


def _months(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


BASIS = "basis"  # the level a department's weakest topic links to (the tool page's #niveau-basis)


def _basis_tips(knowledge: Knowledge) -> dict[str, int]:
    """Per tool, how many tips it has at basis level (a department page links to them)."""
    tools = knowledge.facets["tools"].values
    return {value.id: sum(1 for t in value.tips if t.difficulty == BASIS) for value in tools}


@dataclass(frozen=True)
class MaturityRow:
    """A row of the heat map and its table: a department (id None: all departments) with one cell per tool."""

    id: str | None
    label: str
    respondents: int | None  # None: suppressed
    cells: tuple[HeatCell, ...]
    counts: tuple[int | None, ...]  # answers per cell, None where the cell shows no number


@dataclass(frozen=True)
class ChangeText:
    """A change of a tool's average, in words and with an arrow (the arrow is not the only sign)."""

    arrow: str
    words: str
    direction: str


def _heat_cell(group: Group | None, row_suppressed: bool) -> HeatCell:
    if group is not None and not group.suppressed and group.respondents == 0:
        return HeatCell(None, "—")  # nobody answered: nothing hidden
    if row_suppressed or (group is not None and not group.shown):
        return HeatCell(None, f"< {MIN_GROUP}", suppressed=True)
    if group is None or group.shown_average is None:
        return HeatCell(None, "—")
    return HeatCell(float(group.shown_average), nl_number(group.shown_average))


def maturity_rows(maturity: Maturity, knowledge: Knowledge) -> tuple[MaturityRow, ...]:
    """The heat map's rows as the page shows them (labels, texts in the cells, numbers of answers)."""
    rows = []
    for row in maturity.rows:
        label = knowledge.labels("departments", row.department) if row.department else ALL_DEPARTMENTS_LABEL
        cells = tuple(_heat_cell(group, row.suppressed) for group in row.groups)
        counts = tuple(
            group.respondents if group is not None and group.shown and not row.suppressed else None
            for group in row.groups
        )
        rows.append(MaturityRow(row.department, label, row.respondents, cells, counts))
    return tuple(rows)


def change_text(change: Change | None) -> ChangeText | None:
    """'▲ gestegen van 2,1 naar 2,6 (+0,5)'."""
    if change is None:
        return None
    before, after = nl_number(change.before), nl_number(change.after)
    if change.direction == "same":
        return ChangeText("=", f"gelijk gebleven ({after})", "same")
    verb = "gestegen" if change.direction == "up" else "gedaald"
    arrow = "▲" if change.direction == "up" else "▼"
    return ChangeText(arrow, f"{verb} van {before} naar {after} ({nl_signed(change.delta)})", change.direction)


def _maturity_context(knowledge: Knowledge) -> dict[str, object]:
    maturity = knowledge.maturity
    if maturity.latest is None:
        return {"maturity": None}
    rows = maturity_rows(maturity, knowledge)
    svg = heat_map(
        [(row.label, list(row.cells)) for row in rows],
        [knowledge.labels("tools", tool) for tool in maturity.tools],
        (1, TOP_SCORE),
        ("1 geen basis", "2 basis", "3 gevorderd", "4 expert"),
        f"< {MIN_GROUP}: te weinig antwoorden",
        "—: geen antwoorden",
    )
    return {
        "maturity": maturity,
        "heat_svg": svg,
        "heat_rows": rows,
        "difficulties": tuple(knowledge.repository.taxonomy.difficulties) if knowledge.repository.taxonomy else (),
        "minimum": MIN_GROUP,
        "previous_month": nl_month(maturity.previous.date) if maturity.previous else None,
        "changes": {topic.tool: change_text(topic.change) for topic in maturity.topics},
    }


def followup_page(renderer: Renderer, knowledge: Knowledge, url: str) -> str:
    """The nulmeting (heat map, tools), coverage per department and municipality, stale tips, open actions
    and two charts."""
    tips = knowledge.repository.tips
    departments = [v for v in knowledge.facets["departments"].values if v.id != ALL_DEPARTMENTS]
    tips_chart = bar_chart("Eigen tips per dienst", [Bar(v.label, (len(v.tips),)) for v in departments])
    months = _months(knowledge.today, 12)
    counts = Counter((t.date.year, t.date.month) for t in tips)
    per_month = [counts[(m.year, m.month)] for m in months]
    months_chart = bar_chart(
        "Nieuwe tips per maand, laatste twaalf maanden",
        [Bar(nl_month(m), (n,)) for m, n in zip(months, per_month, strict=True)],
    )
    rows = knowledge.coverage
    return renderer.render(
        "followup.html", url, rows=rows, attention=sum(r.needs_attention for r in rows),
        stale=knowledge.stale, actions=knowledge.open_actions, tips_chart=tips_chart, months_chart=months_chart,
        usage=knowledge.usage, no_figures=NO_FIGURES, unhelpful_min=UNHELPFUL_MIN_NO,
        **_maturity_context(knowledge),
    )  # fmt: skip


def home_additions(renderer: Renderer, knowledge: Knowledge) -> str:
    """What the home page shows below its hand-written text: newest tips, next meeting, tips per department."""
    return renderer.render(
        "home.html", "",
        newest=knowledge.repository.tips[:HOME_NEWEST], meeting=knowledge.next_meeting,
        last_meeting=knowledge.last_meeting, departments=knowledge.departments,
        all_count=len(knowledge.everyone.tips), everyone=ALL_DEPARTMENTS,
    )  # fmt: skip


def tip_header_footer(renderer: Renderer, knowledge: Knowledge, tip: Tip, edit_url: str | None) -> tuple[str, str]:
    """HTML placed above and below a tip's own Markdown."""
    page_url = urls.tip_url(tip.slug)
    taxonomy = knowledge.repository.taxonomy
    assert taxonomy is not None
    header = renderer.render(
        "tip_header.html", page_url, tip=tip, coach=knowledge.labels.coaches.get(tip.coach),
        stale=is_stale(tip, knowledge.today), municipalities=tip.municipalities or list(taxonomy.municipalities),
    )  # fmt: skip
    footer = renderer.render(
        "tip_footer.html", page_url, related=knowledge.related_tips(tip),
        signals=knowledge.signals_by_tip.get(tip.slug, ()), edit_url=edit_url,
        places=knowledge.path_places.get(tip.slug, ()), slug=tip.slug, reasons=FEEDBACK_REASONS,
    )  # fmt: skip
    return header, footer


# A page around a contributor's Markdown is (HTML before, HTML after): the engine renders the Markdown, the
# sanitiser cleans it, and the page is before + clean body + after (SitePage.compose). The parts need no
# engine, so an engine may make them on another core while it renders the Markdown.
Parts = tuple[str, str]


def tip_parts(renderer: Renderer, knowledge: Knowledge, tip: Tip, edit_url: str | None) -> Parts:
    """A tip's article around its body: header above, related tips and signals below. Only this article is
    searchable."""
    header, footer = tip_header_footer(renderer, knowledge, tip, edit_url)
    return f'<article class="kb-tip">{header}<div class="kb-tip-body">', f"</div>{footer}</article>"


def path_parts(
    renderer: Renderer, knowledge: Knowledge, path: LearningPath, edit_url: str | None, site_url: str
) -> Parts:
    """A learning path's article: who it is for above its introduction (the Markdown body), the steps to tick
    off below. Printed, it is a one-page checklist with each tip's address to type over."""
    page_url = urls.path_url(path.slug)
    header = renderer.render(
        "path_header.html", page_url, path=path, coach=knowledge.labels.coaches.get(path.document.coach)
    )
    steps = renderer.render(
        "path_steps.html", page_url, path=path, edit_url=edit_url,
        short_url=lambda tip: urls.short_url(site_url, urls.tip_url(tip.slug)),
    )  # fmt: skip
    return f'<article class="kb-path">{header}<div class="kb-path-intro">', f"</div>{steps}</article>"


def meeting_parts(renderer: Renderer, view: AgendaView, held: bool) -> Parts:
    """A meeting's article: facts, downloads, the agenda, decisions and actions above the minutes."""
    meeting = view.agenda.meeting
    page_url = urls.meeting_url(meeting.date.isoformat())
    header = renderer.render(
        "meeting.html", page_url, meeting=meeting, coaches=view.labels.coaches, held=held, view=view,
        tip_href=lambda slug: urls.relative(page_url, urls.tip_url(slug)),
        signal_href=lambda slug: urls.relative(page_url, urls.signal_url(slug)),
    )  # fmt: skip
    return f'<article class="kb-meeting">{header}', "</article>"


def signal_parts(renderer: Renderer, knowledge: Knowledge, signal: Signal) -> Parts:
    """A signal's article: facts and history above what coaches see, tips that help below."""
    page_url = urls.signal_url(signal.slug)
    tips = knowledge.tips_by_slug
    today = knowledge.today
    header = renderer.render(
        "signal.html", page_url, signal=signal, long_open=is_long_open(signal, today), days=days_open(signal, today)
    )
    footer = renderer.render(
        "signal_footer.html", page_url, related=tuple(tips[s] for s in signal.related_tips if s in tips)
    )
    return f'<article class="kb-signal-page">{header}', f"{footer}</article>"


def problems_banner(renderer: Renderer, heading: str, problems: Sequence[str]) -> str:
    """The dev server's notice above a page whose file has errors: the page keeps its last good version."""
    return renderer.render("problems.html", "", heading=heading, problems=problems)


def example_notice(renderer: Renderer) -> str:
    """The notice on every page while the repository holds example content (`checks.examples`)."""
    return renderer.render("example_notice.html", "")
