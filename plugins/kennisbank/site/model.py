"""The site model: every page (URL, title, place in the navigation, how its body is composed), the
navigation and every file, decided by the core for one repository on one date.

Two phases, as in Pelican: `build_site_model` works everything out before anything is written; an engine
adapter then hands the pages to its engine and calls `SiteModel.finish` to write the files. The adapter
makes no decision of its own, so a move to another engine only replaces the adapter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

from ..content.repository import Repository
from ..exports import FORMATS, export_agenda, series_ics
from ..exports.agenda_text import AgendaView
from ..exports.bundle import agenda_view
from ..knowledge.derive import Knowledge, derive
from ..knowledge.indexes import FACET_KINDS
from ..knowledge.wording import meeting_title, signal_title
from . import pages, urls
from .feeds import atom_feed
from .marker import write_build_marker
from .render import Renderer
from .search_files import search_files
from .static import static_files

HOME = "index.md"  # the hand-written home page in docs/: the model adds the generated part below it


@dataclass(frozen=True)
class SiteSettings:
    """What the model needs from the site configuration."""

    site_url: str
    site_name: str
    stamp: datetime  # written into exports and the build marker (ops.clock.resolve_stamp)
    edit_base: str | None = None  # e.g. https://github.com/org/repo/edit/main/
    docs_dir: str = "docs"  # the folder of hand-written pages, for their edit links

    def edit_url(self, source_path: str) -> str | None:
        """Link to a file in the repository's web editor, when the repository URL is configured."""
        return self.edit_base.rstrip("/") + "/" + source_path if self.edit_base else None


@dataclass(frozen=True)
class SitePage:
    """One page of the site."""

    # The engine's name for the page: a tip's, meeting's or signal's repository path (so relative links in
    # its Markdown resolve as the author meant), '<url>index.md' for a generated page, HOME for the home.
    src_uri: str
    url: str  # directory-style, relative to the site root
    title: str | None  # plain text (the engine escapes it); None: the page keeps its own title
    markdown: str | None  # what the engine renders into HTML; None: the engine reads the page's own file
    compose: Callable[[str], str]  # the engine's HTML of `markdown` -> the page's finished HTML
    edit_url: str | None


@dataclass(frozen=True)
class NavItem:
    """One navigation entry: a page (src_uri) or a section with children. A page without a title keeps the
    one it gives itself (hand-written pages)."""

    title: str | None
    src_uri: str | None = None
    children: tuple[NavItem, ...] = ()


@dataclass(frozen=True)
class SiteModel:
    """The whole site for one repository and date."""

    settings: SiteSettings
    knowledge: Knowledge
    pages: Mapping[str, SitePage]  # by src_uri
    nav: tuple[NavItem, ...]
    files: Mapping[str, bytes]  # feeds and agenda exports by their path on the site

    def page(self, src_uri: str) -> SitePage | None:
        """The model's page for an engine page, or None for a page the model does not know."""
        return self.pages.get(src_uri)

    def navigation(self, hand_pages: Iterable[str]) -> tuple[NavItem, ...]:
        """The navigation, with the hand-written pages the model does not place itself under "Over"."""
        others = sorted(p for p in hand_pages if p not in self.pages)
        over = (NavItem("Over", children=tuple(NavItem(None, p) for p in others)),) if others else ()
        return (*self.nav, *over)

    def edit_url(self, src_uri: str) -> str | None:
        """Where a page is edited: its source file, nothing for a generated page, docs/ for the others."""
        page = self.pages.get(src_uri)
        return page.edit_url if page else self.settings.edit_url(f"{self.settings.docs_dir}/{src_uri}")

    def finish(self, site_dir: Path) -> None:
        """Write what is not a page (static files, feeds, exports, the search index), then the build marker."""
        written = {**static_files(), **self.files, **search_files(self.knowledge)}
        for path, content in written.items():
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        repository = self.knowledge.repository
        counts = len(repository.tips), len(repository.meetings), len(repository.signals)
        write_build_marker(site_dir, self.settings.stamp, *counts)


def _fixed(html: str, _engine_html: str) -> str:
    return html


def _below(addition: str, engine_html: str) -> str:
    return engine_html + addition


def _generated(url: str, title: str, html: str) -> SitePage:
    return SitePage(url + "index.md", url, title, "", partial(_fixed, html), None)


def _content_pages(
    renderer: Renderer, knowledge: Knowledge, settings: SiteSettings, views: Mapping[date, AgendaView]
) -> Iterator[SitePage]:
    """Pages of what contributors write: the engine renders their Markdown, the model puts it in place."""
    repository = knowledge.repository
    for tip in repository.tips:
        edit = settings.edit_url(tip.source_path)
        compose = partial(pages.tip_page, renderer, knowledge, tip, edit)
        yield SitePage(tip.source_path, urls.tip_url(tip.slug), tip.title, tip.body, compose, edit)
    for meeting in repository.meetings:
        compose = partial(pages.meeting_page, renderer, views[meeting.date], meeting.date < knowledge.today)
        url = urls.meeting_url(meeting.date.isoformat())
        edit = settings.edit_url(meeting.source_path)
        yield SitePage(meeting.source_path, url, meeting_title(meeting), meeting.body, compose, edit)
    for signal in repository.signals:
        edit = settings.edit_url(signal.source_path)
        compose = partial(pages.signal_page, renderer, knowledge, signal)
        yield SitePage(
            signal.source_path, urls.signal_url(signal.slug), signal_title(signal), signal.body, compose, edit
        )


# Pages about the whole site: (URL, title, the function that renders them).
_SITE_PAGES: tuple[tuple[str, str, Callable[[Renderer, Knowledge, str], str]], ...] = (
    ("nieuw/", "Nieuw", pages.new_tips_page),
    ("start-hier/", "Start hier", pages.start_here_page),
    ("zoeken/", "Zoeken", pages.search_page),
    ("signalen/", "Signalen", pages.signals_page),
    ("opvolging/", "Opvolging", pages.followup_page),
    ("overleg/", "Overleg", pages.meetings_page),
)


def _generated_pages(renderer: Renderer, knowledge: Knowledge) -> Iterator[SitePage]:
    for kind in FACET_KINDS:
        facet = knowledge.facets[kind]
        heading, _ = pages.FACET_TITLES[kind]
        yield _generated(urls.facet_url(kind), heading, pages.overview_page(renderer, knowledge, facet))
        for value in facet.values:
            html = pages.facet_page(renderer, knowledge, facet, value)
            yield _generated(urls.facet_url(kind, value.id), value.label, html)
    for url, title, render in _SITE_PAGES:
        yield _generated(url, title, render(renderer, knowledge, url))


def _files(
    renderer: Renderer, knowledge: Knowledge, settings: SiteSettings, views: Mapping[date, AgendaView]
) -> dict[str, bytes]:
    """Feeds (site-wide and per department) and every meeting's agenda in every export format."""
    repository = knowledge.repository
    name = settings.site_name
    files = {
        "feed.xml": atom_feed(repository.tips, settings.site_url, f"{name}: nieuwe tips", "feed.xml", knowledge.labels)
    }
    for value in knowledge.facets["departments"].values:
        path = urls.facet_url("departments", value.id) + "feed.xml"
        files[path] = atom_feed(value.tips, settings.site_url, f"{name}: {value.label}", path, knowledge.labels)
    for meeting in repository.meetings:
        for fmt in FORMATS:
            export = export_agenda(views[meeting.date], fmt, renderer)
            files[urls.meeting_url(meeting.date.isoformat()) + export.name] = export.content
    if repository.meetings:
        files["overleg/reeks.ics"] = series_ics(repository.meetings[0], settings.stamp)
    return files


def _navigation(knowledge: Knowledge, titles: Mapping[str, str | None]) -> tuple[NavItem, ...]:
    def entry(url: str) -> NavItem:
        return NavItem(titles[url + "index.md"], url + "index.md")

    departments = tuple(entry(urls.facet_url("departments", v.id)) for v in knowledge.facets["departments"].values)
    discover = (
        "start-hier/",
        "nieuw/",
        *(urls.facet_url(k) for k in ("tools", "difficulties", "sources", "municipalities")),
    )
    overview = urls.facet_url("departments") + "index.md"
    return (
        NavItem("Start", HOME),
        entry("zoeken/"),
        NavItem("Diensten", children=(NavItem("Overzicht", overview), *departments)),
        NavItem("Ontdekken", children=tuple(entry(url) for url in discover)),
        entry(urls.facet_url("coaches")),
        entry("overleg/"),
        NavItem("Opvolging", children=(entry("opvolging/"), entry("signalen/"))),
    )


def build_site_model(repository: Repository, today: date, settings: SiteSettings) -> SiteModel:
    """The whole site for a validated repository on `today`."""
    knowledge = derive(repository, today)
    renderer = Renderer.create(knowledge.labels, today)
    # One agenda view per meeting, for its page and its four exports alike.
    views = {m.date: agenda_view(knowledge, m, settings.site_url, settings.stamp) for m in repository.meetings}
    home_html = pages.home_additions(renderer, knowledge)
    home = SitePage(HOME, "", None, None, partial(_below, home_html), settings.edit_url(f"{settings.docs_dir}/{HOME}"))
    site_pages = {home.src_uri: home}
    for page in (*_content_pages(renderer, knowledge, settings, views), *_generated_pages(renderer, knowledge)):
        site_pages[page.src_uri] = page
    nav = _navigation(knowledge, {uri: page.title for uri, page in site_pages.items()})
    return SiteModel(settings, knowledge, site_pages, nav, _files(renderer, knowledge, settings, views))
