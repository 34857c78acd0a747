"""The MkDocs adapter: the only module that imports MkDocs.

The core decides every page, URL, title, navigation entry and file (`site.model`); each event handler
below only hands MkDocs what the model says. A move to another site engine replaces this file alone.
"""

from __future__ import annotations

import gc
import html
import logging
import os
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from watchdog.events import (
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
)
from watchdog.observers import Observer

from ..checks.examples import publish_problems, publish_refusal
from ..checks.loader import LoadCache, load_repository
from ..checks.sanitize import clean_html, safe_id
from ..content.kinds import ContentLayout
from ..content.problems import Problem, summary_line
from ..content.repository import Repository
from ..knowledge.clock import TodayError, resolve_stamp, resolve_today
from ..knowledge.series import SeriesError
from ..knowledge.urls import is_local_url
from ..site import background
from ..site.background import Job
from ..site.images import ImagePublishError
from ..site.markdown_ext import site_extensions
from ..site.marker import clear_build_marker
from ..site.model import NavItem, PageStart, SiteModel, SiteSettings, build_site_model, page_start
from ..site.static import SCRIPTS, STYLESHEETS, theme_dir

log = logging.getLogger("mkdocs.plugins.kennisbank")


def _publishing() -> bool:
    """The publish workflow's switch (publish.yml): a site URL is required and example content refused."""
    return os.environ.get("KENNISBANK_REQUIRE_SITE_URL", "").lower() in ("1", "true", "ja", "yes")


class KennisbankConfig(Config):
    """Options under `plugins: - kennisbank:` in mkdocs.yml."""

    content_root = opt.Type(str, default=".")  # relative to mkdocs.yml: holds tips/ and meetings/
    # Web-editor base of the repository, e.g. https://github.com/org/repo/edit/main/ ; empty: no edit links.
    edit_base = opt.Type(str, default="")
    # The build date (JJJJ-MM-DD) for stale, new and overdue marks and the next meeting; $KENNISBANK_TODAY
    # overrides it, and without either the real date is used.
    today = opt.Optional(opt.Type((str, date)))
    # The meeting series in the calendar (overleg/reeks.ics) ends on this day (JJJJ-MM-DD; default: 30 June,
    # the end of the season) or after this many meetings.
    series_until = opt.Optional(opt.Type(date))
    series_count = opt.Optional(opt.Type(int))
    # The dev server hears of saved files from the operating system. On a folder where that does not work (a
    # Windows drive seen from WSL, some network shares), set this to look for changes twice a second instead.
    poll_changes = opt.Type(bool, default=False)
    # The coaches' meeting, as `kennisbank start` writes it: `kennisbank new-meeting` plans the next one from these
    # (every so many weeks, on a weekday, hours and place); the site itself reads them from the meetings.
    meeting_every_weeks = opt.Type(int, default=3)
    meeting_day = opt.Type(str, default="")
    meeting_start = opt.Type(str, default="")
    meeting_end = opt.Type(str, default="")
    meeting_location = opt.Type(str, default="")


class KennisbankPlugin(BasePlugin[KennisbankConfig]):
    """Validates the content and delivers the site model's pages, navigation and files to MkDocs."""

    def __init__(self) -> None:
        self.root = Path()
        self.today = date.min
        self.stamp = datetime.min
        self.model: SiteModel | None = None  # replaced on every (re)build: `mkdocs serve` never mixes two runs
        # Kept between the builds of `mkdocs serve` (MkDocs keeps a plugin with on_startup alive):
        self.serving = False
        self.dirty = False
        self.cache = LoadCache()  # unchanged files are not parsed again
        self.built: dict[str, int] = {}  # fingerprint of every page as last built
        self.built_nav: int | None = None  # the navigation's version as last built
        self.job: Job | None = None  # search index, exports and feeds, written beside the pages
        self.bytecode = _CompiledTemplates()
        self.last_good: Repository | None = None  # the dev server shows it while a saved file has errors
        self.warnings = _WarningCount()
        self.theme_files: dict[tuple, list[str]] = {}  # the theme's file listing, walked once per process
        self.engine_files: dict[str, tuple[str, File]] = {}  # MkDocs' file per page and its Markdown (serve)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty
        if self.serving and dirty:
            # `make serve` rebuilds only the pages a save touches, on purpose; MkDocs' warning on every
            # rebuild that a dirty build may leave stale navigation would only worry a coach.
            # Links to the pages it skips are logged as links to excluded pages: not news either.
            for name in ("mkdocs.commands.build", "mkdocs.structure.pages"):
                logging.getLogger(name).addFilter(_no_dirty_warning)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = (Path(config.config_file_path).parent / self.config.content_root).resolve()
        if not self.serving:
            clear_build_marker(Path(config.site_dir))
            # MkDocs aborts a strict build with warnings only after on_post_build: count them, so that such a
            # build gets no marker (it must never be published).
            self.warnings.count = 0
            logging.getLogger("mkdocs").addHandler(self.warnings)
        try:
            self.today = resolve_today(configured=self.config.today)
            self.stamp = resolve_stamp(self.today)
        except TodayError as exc:
            raise PluginError(str(exc)) from None
        if not self.serving and is_local_url(config.site_url):
            message = (
                f"het site-adres is {config.site_url or '(leeg)'}: de feeds, agenda's en uitnodigingen linken dan naar "
                "deze computer. Zet KENNISBANK_SITE_URL op het adres van de kennisbank op het intranet."
            )
            if _publishing():
                raise PluginError(f"Publiceren kan niet: {message}")
            # Not a warning: strict builds (pull requests, make build) would fail on it; they are not published.
            log.info("Let op: %s", message)
        config.theme.dirs.insert(0, theme_dir())
        if self.serving:
            # MkDocs lists every file of the theme on each build to copy its assets (Material ships about
            # 15,000 icons: half a second per save). The theme does not change while the server runs.
            config.theme.get_env = partial(
                _listing_once, config.theme.get_env, self.theme_files, tuple(config.theme.dirs)
            )  # type: ignore[method-assign]
        # Keys such as <Enter> are text, not tags: the same rendering for every page of the site.
        for extension in site_extensions():
            if not any(type(ext) is type(extension) for ext in config.markdown_extensions):
                config.markdown_extensions.append(extension)
        config.extra_css.extend(p for p in STYLESHEETS if p not in config.extra_css)
        config.extra_javascript.extend(p for p in SCRIPTS if p not in config.extra_javascript)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.serving:
            # The dev server holds every page of the site in memory; a full collection of the cyclic garbage
            # collector in the middle of a rebuild costs more than the rebuild (1.5 s at 10,000 tips). A
            # rebuild makes little garbage: collect between rebuilds instead.
            gc.disable()

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.serving:
            gc.enable()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        settings = SiteSettings(
            site_url=config.site_url or "http://127.0.0.1:8000/",
            site_name=config.site_name,
            stamp=self.stamp,
            edit_base=self.config.edit_base or os.environ.get("KENNISBANK_EDIT_BASE") or None,
            docs_dir=Path(config.docs_dir).name,
            series_until=self.config.series_until,
            series_count=self.config.series_count,
        )
        if self.job is not None:
            self.job.cancel()  # a save before the previous search index was done: it is about to be replaced
        repository, problems = self._load()
        try:
            self.model = model = build_site_model(
                repository, self.today, settings, problems, previous=self.model, incremental=self.serving
            )
        except SeriesError as exc:  # series_until / series_count in mkdocs.yml
            raise PluginError(f"mkdocs.yml, plugin kennisbank: {exc}") from None
        site_dir = Path(config.site_dir)
        self.job = None
        if not self.serving:
            # A full build gets each page's own HTML from the other core while MkDocs renders the Markdown.
            stream = None if self.dirty else model.page_parts
            # The content lives until the build ends: keep the garbage collector from scanning it again and
            # again, in this process and in the forked one (which would copy every page it touches).
            gc.freeze()
            self.job = self._files_job(site_dir, stream)
        # Listed before the model's pages join them: MkDocs' documentation_pages() walks every file each time.
        hand_files = [f for f in files.documentation_pages() if f.generated_by is None]
        engine_files = [
            self._engine_file(config, page.src_uri, page.url, page.markdown)
            for page in model.pages.values()
            if page.markdown is not None
        ]
        for file in engine_files:
            files.append(file)
        for image in model.images.values():
            # MkDocs resolves a tip's relative link to the image (as for links between tips); the core
            # writes the file itself (`write_files`), so MkDocs copies nothing.
            file = _WrittenByCore.generated(config, image.source, content=b"", inclusion=InclusionLevel.INCLUDED)
            file.dest_uri = image.path
            files.append(file)
        config.nav = [_mkdocs_nav(item) for item in model.navigation([f.src_uri for f in hand_files])]
        if self.dirty:
            self._skip_unchanged([*hand_files, *engine_files], site_dir, config.nav)
        self.built = {page.src_uri: page.fingerprint for page in model.pages.values()}
        self.built_nav = model.nav_version
        return files

    def _engine_file(self, config: MkDocsConfig, src_uri: str, url: str, markdown: str) -> File:
        """MkDocs' file for a model page; the dev server keeps it between rebuilds while its Markdown is the
        same (making 10,000 of them took a quarter of a second per save)."""
        kept = self.engine_files.get(src_uri) if self.serving else None
        if kept is not None and kept[0] == markdown:
            file = kept[1]
            file.page = None  # the page object belongs to the previous build
            file.inclusion = InclusionLevel.NOT_IN_NAV
            file.__dict__.pop("is_modified", None)  # set again by _skip_unchanged
            return file
        file = File.generated(config, src_uri, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV)
        file.dest_uri = url + "index.html"
        if self.serving:
            self.engine_files[src_uri] = (markdown, file)
        return file

    def _skip_unchanged(self, pages: list[File], site_dir: Path, nav: list) -> None:
        """`mkdocs serve --dirty`: MkDocs renders a page only when `is_modified()`; a model page is modified
        when its fingerprint changed since the last build (a generated file would always count as new).

        An unchanged generated page outside the navigation is also marked excluded: MkDocs then makes no
        page object for it at all (a second per rebuild at 10,000 tips) but still resolves links to it, and
        its file from the last build stays in the site."""
        assert self.model is not None
        root = str(site_dir)
        in_nav = set(_nav_uris(nav))
        for file in pages:
            page = self.model.page(file.src_uri)
            if page is None:
                continue
            # A page built before is still in the site folder: the dev server's folder is its own.
            changed = self.built_nav != self.model.nav_version or self.built.get(page.src_uri) != page.fingerprint
            changed = changed or (not self.built and not os.path.exists(os.path.join(root, file.dest_uri)))
            if file.generated_by is None:  # a hand-written page: also when its own file changed
                file.is_modified = partial(_either, changed, file.is_modified)  # type: ignore[method-assign]
            elif changed or file.src_uri in in_nav:
                file.is_modified = partial(_constant, changed)  # type: ignore[method-assign]
            else:
                file.inclusion = InclusionLevel.EXCLUDED

    def _load(self) -> tuple[Repository, list[Problem]]:
        """The content to build, and errors to show over the last good content (dev server only)."""
        result = load_repository(self.root, today=self.today, cache=self.cache)
        if result.warnings:
            # Warnings (e.g. stale tips) are shown on the site itself; the log only counts them.
            log.info("%d waarschuwing(en) in de inhoud; details met 'kennisbank validate'.", len(result.warnings))
        if not result.errors:
            if not self.serving and _publishing():
                refused = publish_problems(result.repository, ContentLayout().coaches_file)
                if refused:
                    raise PluginError(publish_refusal(refused))  # no invented people on the intranet
            self.last_good = result.repository
            return result.repository, []
        message = (
            "De inhoud bevat fouten:\n"
            + "\n".join(p.format_text() for p in result.errors)
            + "\n"
            + summary_line(result.problems, result.files_checked)
        )
        if not self.serving:
            raise PluginError(message)  # a build never publishes content with errors
        # The dev server keeps serving the last good content and names the problems on the pages; when it
        # starts on content with errors, it shows what did load, with the problems on top.
        log.error(message)
        if self.last_good is None and result.repository.taxonomy is None:
            raise PluginError(message)  # without the taxonomy there is no site to show
        return self.last_good or result.repository, result.errors

    def on_env(self, env, *, config: MkDocsConfig, files: Files):  # type: ignore[no-untyped-def]
        # MkDocs makes a new theme environment for every build; in the dev server, keep the compiled
        # templates of the previous builds (a third of a rebuild went into compiling Material's templates).
        env.bytecode_cache = self.bytecode
        # The core's notice for every page (example content); the theme override puts it in Material's banner.
        env.globals["kennisbank_notice"] = Markup(self.model.notice if self.model else "")
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.model is not None
        found = self.model.page(page.file.src_uri)
        if found is None:
            return markdown
        if found.title is not None:
            page.title = html.escape(found.title)  # the theme writes page.title into the page unescaped
        if found.markdown is None:
            return markdown
        # Nothing a contributor wrote reaches the theme through MkDocs' own reading of the front matter: the
        # theme writes page.meta (title, status, …) into the page unescaped.
        page.meta = {}
        return found.markdown

    def on_page_content(self, content: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.model is not None
        found = self.model.page(page.file.src_uri)
        if found is None:
            return content
        _clean_toc(page.toc)  # the theme writes these into the sidebar and skip link unescaped
        composed = found.compose(content, self.job.get(found.src_uri) if self.job else None)
        _start_toc_at(page.toc, page_start(composed))
        return composed

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
        assert self.model is not None
        page.edit_url = self.model.edit_url(page.file.src_uri)
        return context

    def _files_job(self, site_dir: Path, stream: background.Stream | None = None, images: bool = True) -> Job:
        assert self.model is not None
        work = partial(self.model.write_files, site_dir, images)
        return background.start("afbeeldingen, zoekindex, exports en feeds", work, stream)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.model is not None
        if self.serving:
            gc.enable()
            # The browser reloads the page when this build ends: its images must be there by then (a new or
            # changed one is encoded now; the others are already in the site folder).
            try:
                self.model.write_images(Path(config.site_dir))
            except ImagePublishError as exc:
                log.error("%s", exc)
            # The pages are shown now; the search index follows (the search page says while it does). Started
            # only now, so that it does not compete with the rebuild for the processor.
            self.job = self._files_job(Path(config.site_dir), images=False)
            return
        assert self.job is not None
        try:
            self.job.wait()
        except background.BackgroundError as exc:
            what = "De afbeeldingen, zoekindex, exports en feeds"
            raise PluginError(f"{what} konden niet geschreven worden:\n{exc}") from None
        peak = f", piek {self.job.peak_mib:.0f} MiB" if self.job.peak_mib is not None else ""
        if self.job.peak_mib is not None and self.job.shared_mib is not None:
            peak += f" (eigen geheugen ten hoogste {self.job.peak_mib - self.job.shared_mib:.0f} MiB)"
        log.info("Afbeeldingen, zoekindex, exports en feeds: %.1f s naast de pagina's%s.", self.job.seconds, peak)
        log.info("Bouw zelf: piek %.0f MiB.", background.own_peak_mib())
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if config.strict and self.warnings.count:
            return  # MkDocs stops the build now: no marker, so `kennisbank publish` refuses the folder
        self.model.write_marker(Path(config.site_dir))

    def on_shutdown(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:  # type: ignore[no-untyped-def]
        for folder in ContentLayout().watched:
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        if not self.config.poll_changes:
            _notified_changes(server)
        return server


class _WrittenByCore(File):
    """A file the core writes into the site itself: MkDocs knows it (links to it resolve) but never copies it."""

    def copy_file(self, dirty: bool = False) -> None:
        pass

    def is_modified(self) -> bool:
        return False


class _CompiledTemplates(BytecodeCache):
    """Compiled theme templates kept in memory between the builds of one process."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class _ChangesOnly(Observer):  # type: ignore[misc,valid-type]
    """The native observer, told only of changed files: it also reports files being opened and read, and each
    rebuild reads the content (an endless loop of rebuilds)."""

    CHANGES: ClassVar[list[type[FileSystemEvent]]] = [
        FileCreatedEvent,
        FileModifiedEvent,
        FileDeletedEvent,
        FileMovedEvent,
    ]

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):  # type: ignore[no-untyped-def]
        return super().schedule(
            event_handler, path, recursive=recursive, event_filter=self.CHANGES, follow_symlink=follow_symlink
        )


def _notified_changes(server: LiveReloadServer) -> None:
    """Let the operating system report saved files (inotify, ReadDirectoryChangesW, FSEvents) instead of MkDocs'
    scan of every watched folder twice a second: a save is seen at once, not after 0.25 s on average, and
    the scans of 10,000 tips no longer compete with the rebuilds for the processor."""
    watched = getattr(server, "_watched_paths", None)
    if not isinstance(watched, dict) or server.observer.is_alive():
        return  # another MkDocs version: keep its own watching
    counts = dict(watched)
    for path, count in counts.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = _ChangesOnly()
    for path, count in counts.items():
        for _ in range(count):
            server.watch(path)


def _listing_once(
    get_env: Callable[[], Environment], listings: dict[tuple, list[str]], dirs: tuple[str, ...]
) -> Environment:
    """The theme's Jinja environment, whose file listing is made once and then kept in `listings`."""
    env = get_env()
    walk = env.list_templates

    def list_templates(extensions=None, filter_func=None):  # type: ignore[no-untyped-def]
        key = (dirs, extensions, getattr(filter_func, "__code__", filter_func))
        if key not in listings:
            listings[key] = walk(extensions, filter_func)
        return list(listings[key])

    env.list_templates = list_templates  # type: ignore[method-assign]
    return env


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return "'dirty' build is being performed" not in message and "excluded from the built site" not in message


def _constant(value: bool) -> bool:
    return value


def _either(changed: bool, modified: Callable[[], bool]) -> bool:
    return changed or modified()


class _WarningCount(logging.Handler):
    """Counts the warnings MkDocs logs during one build (its own counter is not reachable from a plugin)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _start_toc_at(toc: TableOfContents, start: PageStart | None) -> None:
    """Material's skip link goes to the first entry of the table of contents, which MkDocs builds from the
    Markdown alone: make the page's real first heading that entry, the others its children. Material's table
    of contents leaves out a level-1 entry and shows its children, so the sidebar stays as it was."""
    # Only a title: a page without one of its own (Material writes it, without an id) keeps its contents as
    # they are, or a second-level heading would take the others as its children.
    if start is None or start.level != 1 or (toc.items and toc.items[0].id == start.id):
        return
    first = AnchorLink(html.escape(start.text), start.id, start.level)
    first.children = list(toc.items)
    toc.items[:] = [first]


def _clean_toc(items) -> None:  # type: ignore[no-untyped-def]
    for item in items:
        item.id = safe_id(item.id)
        item.title = clean_html(item.title)
        _clean_toc(item.children)


def _nav_uris(nav: list) -> Iterator[str]:
    """The pages named in a MkDocs navigation (as `_mkdocs_nav` makes it)."""
    for entry in nav:
        if isinstance(entry, str):
            yield entry
            continue
        for value in entry.values():
            yield from _nav_uris(value) if isinstance(value, list) else (value,)


def _mkdocs_nav(item: NavItem) -> dict | str:
    if item.children:
        return {item.title: [_mkdocs_nav(child) for child in item.children]}
    return item.src_uri if item.title is None else {item.title: item.src_uri}
