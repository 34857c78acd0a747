"""The site model: every page (URL, title, place in the navigation, how its body is composed), the
navigation and every file, decided by the core for one repository on one date.

Two phases, as in Pelican: `build_site_model` works everything out before anything is written; an engine
adapter then hands the pages to its engine and calls `SiteModel.finish` to write the files. The adapter
makes no decision of its own, so a move to another engine only replaces the adapter.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from operator import attrgetter
from pathlib import Path

from ..checks.examples import has_example_content, publish_problem_count
from ..checks.sanitize import clean_html
from ..content.kinds import DOCUMENT_KINDS, require_every_kind
from ..content.models import Tip
from ..content.problems import Problem
from ..content.repository import Repository
from ..exports.bundle import agenda_view, export_agenda
from ..exports.formats import FORMATS
from ..knowledge import urls
from ..knowledge.agenda_view import AgendaView
from ..knowledge.derive import Knowledge, derive
from ..knowledge.indexes import FACET_KINDS
from ..knowledge.paths import LearningPath, PathPlace
from ..knowledge.series import current_season, season_of, series_by_season
from ..knowledge.wording import meeting_title, signal_title
from . import pages
from .beacons import beacon_files
from .feeds import atom_feed
from .images import ImageCache, PublishedImage, image_cache_dir, published_images, sized_images
from .marker import write_build_marker
from .pages import Parts
from .render import Renderer
from .search_files import search_files
from .static import static_files

HOME = "index.md"  # the hand-written home page in docs/: the model adds the generated part below it


@dataclass(frozen=True)
class SiteSettings:
    """What the model needs from the site configuration."""

    site_url: str
    site_name: str
    stamp: datetime  # written into exports and the build marker (knowledge.clock.resolve_stamp)
    edit_base: str | None = None  # e.g. https://github.com/org/repo/edit/main/
    docs_dir: str = "docs"  # the folder of hand-written pages, for their edit links
    series_until: date | None = None  # the calendar series' last day (default: the end of the season)
    series_count: int | None = None  # or its number of meetings

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
    parts: Callable[[], Parts]  # the page's HTML before and after the engine's HTML of `markdown`
    sanitize: bool  # the engine's HTML comes from a contributor: it passes the allow-list sanitiser
    edit_url: str | None
    # Equal between two builds (in one process) only if the page's output is equal: an engine that keeps
    # the previous site may skip the page. Derived from the versions of everything the page shows.
    fingerprint: int = 0
    # The site's images this page shows: the engine resolves the coach's relative links to their `path`.
    images: tuple[PublishedImage, ...] = field(default=())

    def compose(self, engine_html: str, parts: Parts | None = None) -> str:
        """The page's finished HTML around the engine's HTML of `markdown`; `parts` when made elsewhere.
        A contributor's images get their size and lazy loading, then everything passes the sanitiser."""
        before, after = parts if parts is not None else self.parts()
        if self.sanitize:
            engine_html = clean_html(sized_images(engine_html, self.url, self.images))
        return before + engine_html + after


_HEADING = re.compile(r"<h([1-6])\b[^>]*?\sid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S)


@dataclass(frozen=True)
class PageStart:
    """The first heading of a finished page: where 'skip to content' should land."""

    id: str
    text: str  # plain text
    level: int


def page_start(page_html: str) -> PageStart | None:
    """The first heading with an id in a page's finished HTML (`SitePage.compose`). A generated page opens
    with its own header (a meeting's title, facts and agenda) before the engine's HTML, whose first heading an
    engine would otherwise take for the start of the content: on a meeting page that is past the agenda."""
    match = _HEADING.search(page_html)
    if match is None:
        return None
    text = html.unescape(re.sub(r"<[^>]+>", "", match.group(3)))
    return PageStart(match.group(2), " ".join(text.split()), int(match.group(1)))


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
    renderer: Renderer
    views: Mapping[date, AgendaView]  # one agenda view per meeting, for its page and its exports
    images: Mapping[str, PublishedImage]  # the images of tips, learning paths, meetings and signals, by path
    image_cache: ImageCache  # encoded images, kept between builds
    # The navigation's version: it is on every page, so a change to it changes every page whatever its
    # own `fingerprint` says (kept apart: folding it into 10,000 fingerprints cost a tenth of a rebuild).
    # It covers `notice` too, which is also on every page.
    nav_version: int = 0
    # HTML the engine shows at the top of every page, its own pages included (in MkDocs: the theme's
    # announce block): the example-content notice, or "" for a site without example content.
    notice: str = ""

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

    def page_parts(self) -> Iterator[tuple[str, Parts]]:
        """Every page's own HTML (`SitePage.parts`), in page order, for an engine that makes them elsewhere."""
        for uri, page in self.pages.items():
            yield uri, page.parts()

    def files(self) -> dict[str, bytes]:
        """Every file that is not a page, by its path on the site: static files, feeds, the agenda exports,
        the search index and the usage beacons. The expensive part of a build after the pages; an engine may
        run it on its other core while it renders the pages (see `write_files`)."""
        return {
            **static_files(),
            **_files(self.renderer, self.knowledge, self.settings, self.views),
            **search_files(self.knowledge, self.image_cache.directory),
            **beacon_files(),
        }

    def write_images(self, site_dir: Path) -> None:
        """Write the images of the content below `site_dir` (each one encoded once, see `site.images`). Raises
        `ImagePublishError` with a Dutch message when a file cannot be read or written."""
        self.image_cache.write(self.knowledge.repository.root, self.images.values(), site_dir)

    def write_files(self, site_dir: Path, images: bool = True) -> None:
        """Write the images (unless the engine already did, `write_images`) and `files()` below `site_dir`."""
        if images:
            self.write_images(site_dir)
        # Thousands of small files (the search index, the lexicon): each folder is made once, and plain
        # open() instead of Path.write_bytes halves the system time per file.
        made: set[str] = set()
        root = os.fspath(site_dir)
        for path, content in self.files().items():
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(os.path.join(root, folder), exist_ok=True)
                made.add(folder)
            with open(os.path.join(root, path), "wb") as target:
                target.write(content)

    def write_marker(self, site_dir: Path) -> None:
        """The build marker: written last, when every page and file is in place."""
        repository = self.knowledge.repository
        counts = len(repository.tips), len(repository.meetings), len(repository.signals)
        refused = publish_problem_count(repository)
        write_build_marker(
            site_dir, self.settings.stamp, *counts, example_content=bool(self.notice), publish_problems=refused
        )

    def finish(self, site_dir: Path) -> None:
        """Write what is not a page (static files, feeds, exports, the search index), then the build marker."""
        self.write_files(site_dir)
        self.write_marker(site_dir)


def _above(render: Callable[[], str]) -> Parts:
    return render(), ""


def _below(render: Callable[[], str]) -> Parts:
    return "", render()


def _generated(url: str, title: str, render: Callable[[], str], fingerprint: int) -> SitePage:
    """A page made entirely by the model (its Markdown is empty); rendered only when asked for."""
    return SitePage(url + "index.md", url, title, "", partial(_above, render), False, None, fingerprint)


_slug = attrgetter("slug")


@dataclass(frozen=True)
class _Versions:
    """Versions of the content for page fingerprints (equal only for equal content, within one process)."""

    tips: Mapping[str, int]  # by slug: everything of the tip, for its own page
    cards: Mapping[str, int]  # by slug: what other pages show of a tip (all but its body)
    shared: int  # what any page may show: vocabulary, coaches, signals, the date, the settings
    everything: int  # all content but tip bodies: pages about the whole site, meetings
    paths: Mapping[str, int]  # by slug: everything of a learning path as written

    @classmethod
    def of(cls, knowledge: Knowledge, settings: SiteSettings) -> _Versions:
        repository = knowledge.repository
        cards = {t.slug: hash(knowledge.card_versions[t.slug]) for t in repository.tips}
        tips = {t.slug: hash((cards[t.slug], t.body)) for t in repository.tips}
        people = (
            repr(repository.taxonomy), repr(repository.coaches), repr(repository.signals),
            repr(repository.measurements), repr(repository.usage),  # usage: Opvolging, coach pages, next agenda
        )  # fmt: skip
        shared = hash((people, knowledge.today, settings))
        paths = {p.slug: hash(repr(p)) for p in repository.paths}
        everything = hash((shared, tuple(cards.values()), repr(repository.meetings), tuple(paths.items())))
        return cls(tips, cards, shared, everything, paths)

    def showing(self, tips: Iterable[Tip], *extra: object) -> int:
        """The fingerprint of a page that lists these tips as cards (and anything shared)."""
        # map() and attrgetter: this runs over every tip of every index page on each save of the dev server.
        return hash((self.shared, tuple(map(self.cards.__getitem__, map(_slug, tips))), *extra))

    def tip_page(
        self,
        tip: Tip,
        related: Iterable[Tip],
        images: tuple[PublishedImage, ...] = (),
        places: Iterable[PathPlace] = (),
    ) -> int:
        """A tip's own page: all of the tip, its related tips as cards, its images' paths and sizes, the learning
        paths it is a step of."""
        in_paths = tuple(
            (p.path.slug, p.step.number, self.paths[p.path.slug], p.next and p.next.tip.slug) for p in places
        )
        next_tips = [p.next.tip for p in places if p.next]
        return hash((self.tips[tip.slug], self.showing(related), images, in_paths, self.showing(next_tips)))

    def listing(self, paths: Iterable[LearningPath]) -> tuple[int, ...]:
        """What a page that lists these learning paths shows of them."""
        return tuple(self.paths[p.slug] for p in paths)


@dataclass(frozen=True)
class _PageContext:
    """What every kind's pages are made from."""

    renderer: Renderer
    knowledge: Knowledge
    settings: SiteSettings
    views: Mapping[date, AgendaView]
    images: Mapping[str, PublishedImage]
    v: _Versions

    def shown_on(self, source_path: str) -> tuple[PublishedImage, ...]:
        """The published images a document shows, in the order it shows them."""
        shown = self.knowledge.repository.document_images.get(source_path, ())
        return tuple(self.images[p] for p in shown if p in self.images)


def _tip_pages(c: _PageContext) -> Iterator[SitePage]:
    knowledge, v = c.knowledge, c.v
    for tip in knowledge.repository.tips:
        edit = c.settings.edit_url(tip.source_path)
        parts = partial(pages.tip_parts, c.renderer, knowledge, tip, edit)
        shown = c.shown_on(tip.source_path)
        places = knowledge.path_places.get(tip.slug, ())
        fingerprint = v.tip_page(tip, knowledge.related_tips(tip), shown, places)
        url = urls.tip_url(tip.slug)
        yield SitePage(tip.source_path, url, tip.title, tip.body, parts, True, edit, fingerprint, shown)


def _path_pages(c: _PageContext) -> Iterator[SitePage]:
    for path in c.knowledge.paths:
        document = path.document
        edit = c.settings.edit_url(document.source_path)
        parts = partial(pages.path_parts, c.renderer, c.knowledge, path, edit, c.settings.site_url)
        shown = c.shown_on(document.source_path)
        fingerprint = c.v.showing([step.tip for step in path.steps], c.v.paths[path.slug], shown)
        url = urls.path_url(path.slug)
        yield SitePage(document.source_path, url, path.title, document.body, parts, True, edit, fingerprint, shown)


def _meeting_pages(c: _PageContext) -> Iterator[SitePage]:
    for meeting in c.knowledge.repository.meetings:
        parts = partial(pages.meeting_parts, c.renderer, c.views[meeting.date], meeting.date < c.knowledge.today)
        url = urls.meeting_url(meeting.date.isoformat())
        edit = c.settings.edit_url(meeting.source_path)
        title, shown = meeting_title(meeting), c.shown_on(meeting.source_path)
        fingerprint = hash((c.v.everything, shown))
        yield SitePage(meeting.source_path, url, title, meeting.body, parts, True, edit, fingerprint, shown)


def _signal_pages(c: _PageContext) -> Iterator[SitePage]:
    knowledge = c.knowledge
    for signal in knowledge.repository.signals:
        edit = c.settings.edit_url(signal.source_path)
        parts = partial(pages.signal_parts, c.renderer, knowledge, signal)
        url, title = urls.signal_url(signal.slug), signal_title(signal)
        related = [knowledge.tips_by_slug[s] for s in signal.related_tips if s in knowledge.tips_by_slug]
        shown = c.shown_on(signal.source_path)
        fingerprint = c.v.showing(related, shown)
        yield SitePage(signal.source_path, url, title, signal.body, parts, True, edit, fingerprint, shown)


# Per kind (content/kinds.py): the pages of what contributors write. The engine renders their Markdown, the
# model puts it in place; each kind's templates are named in its `pages.*_parts`.
KIND_PAGES: dict[str, Callable[[_PageContext], Iterator[SitePage]]] = {
    "tip": _tip_pages,
    "path": _path_pages,
    "meeting": _meeting_pages,
    "signal": _signal_pages,
}
require_every_kind(KIND_PAGES, "site/model.py KIND_PAGES")


def _content_pages(c: _PageContext) -> Iterator[SitePage]:
    """Pages of what contributors write, kind by kind in the registry's order."""
    for kind in DOCUMENT_KINDS:
        yield from KIND_PAGES[kind.name](c)


# Pages about the whole site: (URL, title, the function that renders them).
_SITE_PAGES: tuple[tuple[str, str, Callable[[Renderer, Knowledge, str], str]], ...] = (
    ("nieuw/", "Nieuw", pages.new_tips_page),
    ("start-hier/", "Start hier", pages.start_here_page),
    (urls.PATHS_URL, "Leerpaden", pages.paths_page),
    ("zoeken/", "Zoeken", pages.search_page),
    ("signalen/", "Signalen", pages.signals_page),
    ("opvolging/", "Opvolging", pages.followup_page),
    ("overleg/", "Overleg", pages.meetings_page),
)


def _generated_pages(renderer: Renderer, knowledge: Knowledge, v: _Versions) -> Iterator[SitePage]:
    everyone = len(knowledge.everyone.tips)  # department pages show how many tips are for everyone
    for kind in FACET_KINDS:
        facet = knowledge.facets[kind]
        heading, _ = pages.FACET_TITLES[kind]
        overview = partial(pages.overview_page, renderer, knowledge, facet)
        yield _generated(urls.facet_url(kind), heading, overview, v.everything)
        for value in facet.values:
            render = partial(pages.facet_page, renderer, knowledge, facet, value)
            # A department page also lists the learning paths meant for it.
            paths = v.listing(knowledge.paths_for(value.id)) if kind == "departments" else ()
            fingerprint = v.showing(value.tips, everyone, paths)
            yield _generated(urls.facet_url(kind, value.id), value.label, render, fingerprint)
    for url, title, page in _SITE_PAGES:
        # The search page names the content version its index must match: a body edit changes it too.
        fingerprint = hash((v.everything, knowledge.search_version)) if url == "zoeken/" else v.everything
        yield _generated(url, title, partial(page, renderer, knowledge, url), fingerprint)


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
    current = current_season(repository.meetings, knowledge.today)
    series = next((v.series for v in views.values() if v.series and v.series.season == current), None)
    if series is not None:
        from ..exports.agenda_ics import series_ics  # icalendar loads with the files, not with the site model

        files["overleg/reeks.ics"] = series_ics(series, settings.stamp)
    return files


def _navigation(knowledge: Knowledge, titles: Mapping[str, str | None]) -> tuple[NavItem, ...]:
    def entry(url: str) -> NavItem:
        return NavItem(titles[url + "index.md"], url + "index.md")

    departments = tuple(entry(urls.facet_url("departments", v.id)) for v in knowledge.facets["departments"].values)
    discover = (
        "start-hier/",
        urls.PATHS_URL,
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


def build_site_model(
    repository: Repository,
    today: date,
    settings: SiteSettings,
    problems: Sequence[Problem] = (),
    previous: SiteModel | None = None,
    incremental: bool = False,
) -> SiteModel:
    """The whole site for a validated repository on `today`. Pages are rendered when the engine asks.

    `problems`: errors in the files as they are now, while `repository` is the last version without errors
    (the dev server): each page of a broken file, and the home page, name them above the last good content.
    `previous`: the model of the last build in this process, whose unchanged work is reused.
    `incremental`: more builds follow in this process (the dev server): keep more work for them."""
    knowledge = derive(repository, today, previous.knowledge if previous else None)
    renderer = Renderer.create(knowledge.labels, today, previous.renderer if previous else None, incremental)
    versions = _Versions.of(knowledge, settings)
    # One agenda view per meeting, for its page and its four exports alike.
    seasons = series_by_season(repository.meetings, today, settings.series_until, settings.series_count)
    example_content = has_example_content(repository)
    views = {
        m.date: agenda_view(
            knowledge, m, settings.site_url, settings.stamp, seasons.get(season_of(m.date)), example_content
        )
        for m in repository.meetings
    }
    home_edit = settings.edit_url(f"{settings.docs_dir}/{HOME}")
    home_html = partial(pages.home_additions, renderer, knowledge)
    home = SitePage(HOME, "", None, None, partial(_below, home_html), False, home_edit, versions.everything)
    site_pages = {home.src_uri: home}
    images = published_images(repository.images)
    content = _content_pages(_PageContext(renderer, knowledge, settings, views, images, versions))
    for page in (*content, *_generated_pages(renderer, knowledge, versions)):
        site_pages[page.src_uri] = page
    nav = _navigation(knowledge, {uri: page.title for uri, page in site_pages.items()})
    if problems:
        site_pages.update(_with_problems(renderer, site_pages, problems))
    image_cache = previous.image_cache if previous else ImageCache(image_cache_dir(repository.root, os.environ))
    notice = pages.example_notice(renderer) if example_content else ""
    return SiteModel(
        settings, knowledge, site_pages, nav, renderer, views, images, image_cache, hash((nav, notice)), notice
    )


def _with_problems(
    renderer: Renderer, site_pages: Mapping[str, SitePage], problems: Sequence[Problem]
) -> Iterator[tuple[str, SitePage]]:
    by_file: dict[str, list[str]] = {}
    for problem in problems:
        by_file.setdefault(problem.path, []).append(problem.format_text())
    notices = {uri: texts for uri, texts in by_file.items() if uri in site_pages}
    notices[HOME] = [text for texts in by_file.values() for text in texts]
    for uri, texts in notices.items():
        heading = "De inhoud bevat fouten" if uri == HOME else "Dit bestand bevat fouten"
        banner = pages.problems_banner(renderer, heading, texts)
        page = site_pages[uri]
        parts = partial(_with_banner, banner, page.parts)
        yield uri, replace(page, parts=parts, fingerprint=hash((page.fingerprint, tuple(texts))))


def _with_banner(banner: str, parts: Callable[[], Parts]) -> Parts:
    before, after = parts()
    return banner + before, after
