"""The site plan: which pages the knowledge base generates, their URLs, navigation and HTML.

Engine-free: the MkDocs adapter turns `GeneratedPage`s into virtual files and injects their HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from . import urls
from ..knowledge.agenda import build_agenda
from .charts import Bar, bar_chart
from ..exports import FORMATS, AgendaView, agenda_view, export_agenda, series_ics
from .feeds import atom_feed
from ..knowledge.followup import (
    coverage,
    days_open,
    is_long_open,
    open_actions,
    open_signals_by_status,
    signals_for_tip,
    stale_tips,
    theme_counts,
)
from ..knowledge.indexes import (
    ALL_DEPARTMENTS,
    FACET_KINDS,
    Facet,
    FacetValue,
    RelatedIndex,
    build_facets,
    coaches_of_department,
    department_counts,
    digi_experts,
    group_by_difficulty,
    group_by_tool,
    is_stale,
    label,
    new_tips_by_week,
    next_meeting,
)
from ..content.models import Meeting, Signal, Tip
from ..policy import HOME_NEWEST, LONG_OPEN, NEW_TIPS_DAYS, START_HERE_LIMIT
from .render import Renderer, nl_date, nl_month
from ..content.repository import Repository
from .sanitize import clean_html
from .search import (
    HELP_PATH,
    HelpCoach,
    HelpDepartment,
    HelpTool,
    SynonymMatcher,
    help_data,
    lexicon_shards,
    tokens,
)
from .search_index import SEARCH_FILTERS, SearchDocument, build_search_files

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


@dataclass(frozen=True)
class GeneratedPage:
    """A page that exists only in the build: an index, an overview or the home additions."""

    src_uri: str
    title: str
    html: str

    @property
    def url(self) -> str:
        return self.src_uri.removesuffix("index.md")


@dataclass(frozen=True)
class GeneratedAsset:
    """A non-page file of the site, such as a feed."""

    path: str
    content: bytes


@dataclass(frozen=True)
class NavItem:
    """One navigation entry: a page (src_uri) or a section with children."""

    title: str
    src_uri: str | None = None
    children: tuple[NavItem, ...] = ()


@dataclass
class SitePlan:
    pages: list[GeneratedPage] = field(default_factory=list)
    assets: list[GeneratedAsset] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    home_html: str = ""


@dataclass(frozen=True)
class SiteSettings:
    """What the plan needs from the site configuration."""

    site_url: str
    site_name: str
    stamp: datetime  # written into exports and the build marker (clock.resolve_stamp)
    edit_base: str | None = None  # e.g. https://github.com/org/repo/edit/main/


def _facet_page(
    renderer: Renderer, repository: Repository, facet: Facet, value: FacetValue, facets: dict[str, Facet]
) -> GeneratedPage:
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    url = urls.facet_url(facet.kind, value.id)
    context = {
        "value": value,
        "heading": value.label,
        "empty_text": EMPTY_TEXTS[facet.kind],
        "coach": repository.coaches.get(value.id) if facet.kind == "coaches" else None,
        "coaches_by_municipality": None,
        "experts": (),
        "search_scope": None,
        "all_departments_tips": 0,
        "feed": None,
        "show_departments": facet.kind != "departments",
        "group_prefix": "tool-",
    }
    if facet.kind == "departments":
        context["groups"] = group_by_tool(value.tips, taxonomy)
        context["feed"] = url + "feed.xml"
        if value.id != ALL_DEPARTMENTS:
            context["heading"] = f"Dienst {value.label}"
            context["coaches_by_municipality"] = coaches_of_department(repository, value.id)
            context["experts"] = digi_experts(repository)
            context["search_scope"] = value.id
            everyone = facets["departments"].get(ALL_DEPARTMENTS)
            context["all_departments_tips"] = len(everyone.tips) if everyone else 0
    elif facet.kind == "difficulties":
        context["groups"] = group_by_tool(value.tips, taxonomy)
    else:
        context["groups"] = tuple(g for g in group_by_difficulty(value.tips, taxonomy) if g.tips)
        context["group_prefix"] = "niveau-"
    html = renderer.render("facet_page.html", url, **context)
    return GeneratedPage(url + "index.md", value.label, html)


def _overview_page(renderer: Renderer, facet: Facet) -> GeneratedPage:
    heading, intro = FACET_TITLES[facet.kind]
    url = urls.facet_url(facet.kind)
    values = facet.values
    if facet.kind == "coaches":
        former = sorted((c for c in renderer.repository.coaches.values() if not c.active), key=lambda c: c.name)
        html = renderer.render(
            "coach_directory.html", url, by_municipality=_coaches_by_municipality(renderer), former=former
        )
    else:
        html = renderer.render("facet_overview.html", url, heading=heading, intro=intro, kind=facet.kind, values=values)
    return GeneratedPage(url + "index.md", heading, html)


def _coaches_by_municipality(renderer: Renderer) -> list[tuple[str, list]]:
    repository = renderer.repository
    assert repository.taxonomy is not None
    order = {d: i for i, d in enumerate(repository.taxonomy.departments)}
    return [
        (
            m,
            sorted(
                (c for c in repository.coaches.values() if c.active and c.municipality == m),
                key=lambda c: (order.get(c.department, 99), c.name),
            ),
        )
        for m in repository.taxonomy.municipalities
    ]


def build_site_plan(renderer: Renderer, settings: SiteSettings) -> SitePlan:
    """Every generated page, feed and the navigation for the renderer's (validated) repository."""
    repository, today = renderer.repository, renderer.today
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    facets = build_facets(repository)
    plan = SitePlan()

    for kind in FACET_KINDS:
        facet = facets[kind]
        plan.pages.append(_overview_page(renderer, facet))
        for value in facet.values:
            plan.pages.append(_facet_page(renderer, repository, facet, value, facets))

    plan.pages.append(
        GeneratedPage(
            "nieuw/index.md",
            "Nieuw",
            renderer.render(
                "new_tips.html",
                "nieuw/",
                weeks=new_tips_by_week(repository.tips, today, NEW_TIPS_DAYS),
                days=NEW_TIPS_DAYS,
            ),
        )
    )
    descriptions = {key: term.description for key, term in taxonomy.difficulties.items()}
    plan.pages.append(
        GeneratedPage(
            "start-hier/index.md",
            "Start hier",
            renderer.render(
                "start_here.html",
                "start-hier/",
                groups=group_by_difficulty(tuple(repository.tips), taxonomy),
                descriptions=descriptions,
                limit=START_HERE_LIMIT,
            ),
        )
    )
    plan.pages.append(
        GeneratedPage(
            "zoeken/index.md",
            "Zoeken",
            renderer.render("search_page.html", "zoeken/", filters=" ".join(f.name for f in SEARCH_FILTERS)),
        )
    )
    plan.pages.append(GeneratedPage("signalen/index.md", "Signalen", _signals_overview(renderer)))
    plan.pages.append(GeneratedPage("opvolging/index.md", "Opvolging", _followup(renderer, facets)))
    plan.pages.append(
        GeneratedPage(
            "overleg/index.md",
            "Overleg",
            renderer.render(
                "meetings_overview.html",
                "overleg/",
                upcoming=[m for m in repository.meetings if m.date >= today],
                past=sorted((m for m in repository.meetings if m.date < today), key=lambda m: m.date, reverse=True),
            ),
        )
    )

    plan.assets.append(
        GeneratedAsset(
            "feed.xml",
            atom_feed(
                repository.tips, settings.site_url, f"{settings.site_name}: nieuwe tips", "feed.xml", renderer.label
            ),
        )
    )
    for value in facets["departments"].values:
        path = urls.facet_url("departments", value.id) + "feed.xml"
        plan.assets.append(
            GeneratedAsset(
                path,
                atom_feed(
                    list(value.tips), settings.site_url, f"{settings.site_name}: {value.label}", path, renderer.label
                ),
            )
        )

    plan.assets += search_assets(repository)

    for meeting in repository.meetings:
        folder = urls.meeting_url(meeting.date.isoformat())
        view = agenda_view(repository, meeting, settings.site_url, settings.stamp)  # one agenda for the four formats
        for fmt in FORMATS:
            export = export_agenda(view, fmt, renderer)
            plan.assets.append(GeneratedAsset(folder + export.name, export.content))
    if repository.meetings:
        plan.assets.append(GeneratedAsset("overleg/reeks.ics", series_ics(repository.meetings[0], settings.stamp)))

    plan.nav = _navigation(plan, facets)
    plan.home_html = _home_html(renderer, facets, repository, today)
    return plan


def search_documents(repository: Repository) -> list[SearchDocument]:
    """Every tip as the search indexes it, newest first (the order of the results without a query)."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None

    def labels(kind: str, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(label(repository, kind, i) for i in ids)

    matcher = SynonymMatcher(repository.synonyms.groups)
    documents = []
    for tip in repository.tips:
        coach = repository.coaches.get(tip.coach)
        coach_name = coach.name if coach else tip.coach
        synonyms = matcher.terms_for(tip)
        ids = {
            "departments": tip.departments,
            "municipalities": tip.municipalities or list(taxonomy.municipalities),
            "tools": tip.tools,
            "difficulties": [tip.difficulty],
            "sources": [tip.source],
        }
        filters = {f.name: labels(f.kind, ids[f.kind]) for f in SEARCH_FILTERS}
        facts = " ".join(
            [*labels("tools", tip.tools), *labels("departments", tip.departments), *labels("sources", [tip.source])]
            + [coach_name]
        )
        documents.append(
            SearchDocument(
                url=urls.tip_url(tip.slug),
                title=tip.title,
                summary=tip.summary,
                coach=coach_name,
                tags=tuple(tip.tags),
                facts=facts,
                body=tip.body,
                strong=synonyms.strong,
                weak=synonyms.weak,
                filters=filters,
            )
        )
    return documents


def search_assets(repository: Repository) -> list[GeneratedAsset]:
    """The files the browser's search reads: the index, the Dutch lexicon and the help data."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    files = build_search_files(search_documents(repository), label(repository, "departments", ALL_DEPARTMENTS))
    assets = [GeneratedAsset(path, data) for path, data in files.items()]
    assets += [GeneratedAsset(path, data) for path, data in lexicon_shards().items()]
    departments = []
    for department_id, term in taxonomy.departments.items():
        if department_id == ALL_DEPARTMENTS:
            continue
        coaches = [c for found in coaches_of_department(repository, department_id).values() for c in found]
        departments.append(
            HelpDepartment(
                term.label,
                tuple(
                    HelpCoach(c.name, c.email, label(repository, "municipalities", c.municipality), c.role)
                    for c in coaches or digi_experts(repository)
                ),
            )
        )
    # A tool page is offered for its id, its label and every synonym of them (words as the browser folds them).
    groups = [{" ".join(tokens(t)) for t in group} for group in repository.synonyms.groups]
    tools = []
    for tool_id, term in taxonomy.tools.items():
        terms = {" ".join(tokens(t)) for t in (tool_id, term.label)}
        terms |= {word for group in groups if terms & group for word in group}
        tools.append(HelpTool(term.label, urls.facet_url("tools", tool_id), tuple(sorted(terms))))
    assets.append(GeneratedAsset(HELP_PATH, help_data(departments, tools, "tip-schrijven/", urls.facet_url("coaches"))))
    return assets


def _navigation(plan: SitePlan, facets: dict[str, Facet]) -> list[NavItem]:
    titles = {p.src_uri: p.title for p in plan.pages}
    departments = tuple(
        NavItem(v.label, urls.facet_url("departments", v.id) + "index.md") for v in facets["departments"].values
    )
    discover = tuple(
        NavItem(titles[uri], uri)
        for uri in ["start-hier/index.md", "nieuw/index.md"]
        + [urls.facet_url(kind) + "index.md" for kind in ("tools", "difficulties", "sources", "municipalities")]
    )
    return [
        NavItem("Start", "index.md"),
        NavItem("Zoeken", "zoeken/index.md"),
        NavItem("Diensten", children=(NavItem("Overzicht", "diensten/index.md"), *departments)),
        NavItem("Ontdekken", children=discover),
        NavItem("Digicoaches", "digicoaches/index.md"),
        NavItem("Overleg", "overleg/index.md"),
        NavItem(
            "Opvolging", children=(NavItem("Opvolging", "opvolging/index.md"), NavItem("Signalen", "signalen/index.md"))
        ),
    ]


def _home_html(renderer: Renderer, facets: dict[str, Facet], repository: Repository, today: date) -> str:
    """The generated part of the home page: newest tips, next meeting, counts per department."""
    everyone = facets["departments"].get(ALL_DEPARTMENTS)
    return renderer.render(
        "home.html",
        "",
        newest=repository.tips[:HOME_NEWEST],
        meeting=next_meeting(repository.meetings, today),
        last_meeting=max((m for m in repository.meetings if m.date < today), key=lambda m: m.date, default=None),
        departments=department_counts(facets),
        all_count=len(everyone.tips) if everyone else 0,
    )


def tip_header_footer(renderer: Renderer, tip: Tip, settings: SiteSettings, related: RelatedIndex) -> tuple[str, str]:
    """HTML placed above and below a tip's own Markdown."""
    page_url = urls.tip_url(tip.slug)
    repository = renderer.repository
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    header = renderer.render(
        "tip_header.html",
        page_url,
        tip=tip,
        coach=repository.coaches.get(tip.coach),
        stale=is_stale(tip, renderer.today),
        municipalities=tip.municipalities or list(taxonomy.municipalities),
    )
    footer = renderer.render(
        "tip_footer.html",
        page_url,
        related=related.related(tip),
        signals=signals_for_tip(repository, tip.slug),
        edit_url=edit_url(settings, tip.source_path),
    )
    return header, footer


def tip_page(renderer: Renderer, tip: Tip, settings: SiteSettings, related: RelatedIndex, body_html: str) -> str:
    """A tip's full article: header, the coach's own Markdown as HTML (sanitised here), related tips.

    Only this article is searchable."""
    header, footer = tip_header_footer(renderer, tip, settings, related)
    body = f'<div class="kb-tip-body">{clean_html(body_html)}</div>'
    return f'<article class="kb-tip">{header}{body}{footer}</article>'


def meeting_page(renderer: Renderer, meeting: Meeting, minutes_html: str) -> str:
    """A meeting's article: facts and agenda above the minutes (the contributor's HTML, sanitised here)."""
    return f'<article class="kb-meeting">{meeting_header(renderer, meeting)}{clean_html(minutes_html)}</article>'


def meeting_header(renderer: Renderer, meeting: Meeting) -> str:
    """HTML placed above a meeting's minutes: facts, downloads, the generated agenda, decisions and actions."""
    page_url = urls.meeting_url(meeting.date.isoformat())
    view = AgendaView(build_agenda(renderer.repository, meeting), renderer.repository, datetime.min)
    return renderer.render(
        "meeting.html", page_url, meeting=meeting, coaches=renderer.repository.coaches,
        held=meeting.date < renderer.today, view=view,
        tip_href=lambda slug: urls.relative(page_url, urls.tip_url(slug)),
        signal_href=lambda slug: urls.relative(page_url, urls.signal_url(slug)),
    )  # fmt: skip


def meeting_title(meeting: Meeting) -> str:
    return f"Overleg {nl_date(meeting.date)}"


def edit_url(settings: SiteSettings, source_path: str) -> str | None:
    """Link to the file in the repository's web editor, when the repository URL is configured."""
    return settings.edit_base.rstrip("/") + "/" + source_path if settings.edit_base else None


def _signals_overview(renderer: Renderer) -> str:
    repository = renderer.repository
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    today = renderer.today
    counts = theme_counts(repository)
    chart = bar_chart(
        "Signalen per thema (open en opgelost)",
        [Bar(renderer.label("themes", theme), (open_, closed)) for theme, open_, closed in counts],
        legend=("open", "opgelost"),
    )
    resolved = sorted(
        (s for s in repository.signals if not s.is_open), key=lambda s: s.resolved_on or s.raised_on, reverse=True
    )
    return renderer.render(
        "signals_overview.html", "signalen/", by_status=open_signals_by_status(repository), theme_counts=counts,
        theme_chart=chart, resolved=resolved, long_days=LONG_OPEN.days,
        departments=list(taxonomy.departments), municipalities=list(taxonomy.municipalities),
        all_municipalities=list(taxonomy.municipalities),
        long_open=lambda s: is_long_open(s, today), days=lambda s: days_open(s, today),
    )  # fmt: skip


def _months(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _followup(renderer: Renderer, facets: dict[str, Facet]) -> str:
    repository = renderer.repository
    today = renderer.today
    departments = [v for v in facets["departments"].values if v.id != ALL_DEPARTMENTS]
    tips_chart = bar_chart("Eigen tips per dienst", [Bar(v.label, (len(v.tips),)) for v in departments])
    months = _months(today, 12)
    per_month = [sum(1 for t in repository.tips if (t.date.year, t.date.month) == (m.year, m.month)) for m in months]
    months_chart = bar_chart(
        "Nieuwe tips per maand, laatste twaalf maanden",
        [Bar(nl_month(m), (n,)) for m, n in zip(months, per_month, strict=True)],
    )
    rows = coverage(repository)
    return renderer.render(
        "followup.html", "opvolging/", rows=rows, attention=sum(r.needs_attention for r in rows),
        stale=stale_tips(repository, today), actions=open_actions(repository, today),
        tips_chart=tips_chart, months_chart=months_chart,
    )  # fmt: skip


def signal_page(renderer: Renderer, signal: Signal, body_html: str) -> str:
    """A signal's article: facts and history, what coaches see (its Markdown, sanitised here), tips that help."""
    page_url = urls.signal_url(signal.slug)
    tips = {t.slug: t for t in renderer.repository.tips}
    header = renderer.render(
        "signal.html", page_url, signal=signal,
        long_open=is_long_open(signal, renderer.today), days=days_open(signal, renderer.today),
    )  # fmt: skip
    footer = renderer.render(
        "signal_footer.html", page_url, related=tuple(tips[s] for s in signal.related_tips if s in tips)
    )
    return f'<article class="kb-signal-page">{header}{clean_html(body_html)}{footer}</article>'


def signal_title(signal: Signal) -> str:
    return f"Signaal: {signal.title}"
