"""A build session: every decision of a site build, for any engine.

An engine adapter (`engines/mkdocs_plugin.py`) makes one `BuildSession` per process and calls it at fixed
moments: `configure` once the engine has read its configuration, `build` when it wants the pages, `html`
for each page it rendered, `finish` when its pages are written, `stop` when the process ends. The session
decides the rest:
- loading (with `LoadCache`, so that the dev server parses only changed files), checks, derivation and the
  site model, reusing the previous build's work in the same process (`build_site_model(previous=...)`);
- the error policy: a build (`mkdocs build`, publishing) stops on any error in the content; the dev server
  keeps showing the last good content with the problems on it;
- the site-URL guard and the refusal of example content when publishing (`KENNISBANK_REQUIRE_SITE_URL`);
- the settings' defaults (site URL of the dev server, edit links from `KENNISBANK_EDIT_BASE`);
- the two-process build (`site.background`): each page's own HTML and the files that are not pages are
  made on the other core while the engine renders Markdown; the dev server writes the images before the
  browser reloads and the search index after;
- which pages a dirty rebuild of the dev server must render again (`changed`);
- the garbage collector, paused during a dev-server rebuild and frozen before forking;
- the build marker: written only by a complete build without warnings in strict mode.

Errors reach the engine as `BuildError` with a Dutch message; the adapter stops the build with it.
"""

from __future__ import annotations

import gc
import importlib.util
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

from ..checks.examples import publish_problems, publish_refusal
from ..checks.loader import LoadCache, load_repository
from ..content.kinds import ContentLayout
from ..content.problems import Problem, summary_line
from ..content.repository import Repository
from ..knowledge.clock import TodayError, resolve_stamp, resolve_today
from ..knowledge.series import SeriesError
from ..knowledge.urls import is_local_url
from . import background
from .background import Job
from .images import ImagePublishError
from .marker import clear_build_marker
from .model import SiteModel, SitePage, SiteSettings, build_site_model

DEV_SITE_URL = "http://127.0.0.1:8000/"  # the dev server's address, when the configuration names none
FILES_JOB = "afbeeldingen, zoekindex, exports en feeds"
# Steps of the engine (a page's Markdown or its template rendered) between two collections of the garbage
# they leave, while the dev server pauses the collector.
COLLECT_EVERY = 100


class BuildError(Exception):
    """The build cannot go on; the message is Dutch and meant for the person who started it."""


@dataclass(frozen=True)
class BuildOptions:
    """What the engine's configuration says about the site (in MkDocs: mkdocs.yml and the plugin's options)."""

    root: Path  # the folder that holds tips/, meetings/ (the plugin's content_root)
    site_dir: Path
    site_url: str | None  # as configured; empty: the dev server's address
    site_name: str
    docs_dir: str  # the folder of hand-written pages, relative to the repository (for their edit links)
    today: str | date | None = None  # the configured build date; $KENNISBANK_TODAY overrides it
    edit_base: str = ""  # empty: $KENNISBANK_EDIT_BASE, else no edit links
    series_until: date | None = None
    series_count: int | None = None


@dataclass(frozen=True)
class Engine:
    """The site engine a command starts as its own program (`kennisbank serve`)."""

    module: str  # run as `python -m <module>`
    environ: Mapping[str, str]  # added to the environment


MKDOCS = Engine("mkdocs", {"NO_MKDOCS_2_WARNING": "1"})  # Material prints its end-of-life banner otherwise
# The second engine (README "Een tweede motor"), in its own venv: it reads properdocs.yml, which takes every
# setting from mkdocs.yml and names the theme installed beside it (MaterialX).
PROPERDOCS = Engine("properdocs", {})


def installed_engine() -> Engine:
    """ProperDocs where it is installed (its venv also holds MkDocs, but not Material), else MkDocs."""
    return PROPERDOCS if importlib.util.find_spec("properdocs") is not None else MKDOCS


def publishing(environ: Mapping[str, str]) -> bool:
    """The publish workflow's switch (publish.yml): a site URL is required and example content refused."""
    return environ.get("KENNISBANK_REQUIRE_SITE_URL", "").lower() in ("1", "true", "ja", "yes")


class BuildSession:
    """The builds of one process: one for a build, one per save for the dev server (`serving`), which then
    keeps what a save did not change. `dirty`: the engine keeps the previous site and renders only the pages
    `changed` names."""

    def __init__(
        self, log: logging.Logger, *, serving: bool, dirty: bool, environ: Mapping[str, str] = os.environ
    ) -> None:
        self.log = log
        self.serving = serving
        self.dirty = dirty
        self.environ = environ
        self.options: BuildOptions | None = None
        self.today = date.min
        self.stamp = datetime.min
        self.model: SiteModel | None = None  # replaced on every build: the dev server never mixes two runs
        self.cache = LoadCache()  # unchanged files are not parsed again
        self.last_good: Repository | None = None  # the dev server shows it while a saved file has errors
        self.job: Job | None = None  # images, search index, exports and feeds
        self.built: dict[str, int] = {}  # fingerprint of every page as last built
        self.built_nav: int | None = None  # the navigation's version as last built
        self._before: tuple[dict[str, int], int | None] = ({}, None)  # the same, before the current build
        self._rendered = 0  # steps of the engine in the current build (`_page_done`)

    def configure(self, options: BuildOptions) -> None:
        """Take the engine's settings at the start of a build: the build date, and the site-URL guard (a
        published site must not link to the computer that built it)."""
        self.options = options
        if not self.serving:
            clear_build_marker(options.site_dir)  # a build that stops halfway must never be published
        try:
            self.today = resolve_today(configured=options.today, environ=self.environ)
            self.stamp = resolve_stamp(self.today, environ=self.environ)
        except TodayError as exc:
            raise BuildError(str(exc)) from None
        if not self.serving and is_local_url(options.site_url):
            message = (
                f"het site-adres is {options.site_url or '(leeg)'}: de feeds, agenda's en uitnodigingen linken dan "
                "naar deze computer. Zet KENNISBANK_SITE_URL op het adres van de kennisbank op het intranet."
            )
            if publishing(self.environ):
                raise BuildError(f"Publiceren kan niet: {message}")
            # Not a warning: strict builds (pull requests, make build) would fail on it; they are not published.
            self.log.info("Let op: %s", message)

    def begin(self) -> None:
        """Before the engine starts a build. The dev server holds every page in memory; a full collection of
        the cyclic garbage collector in the middle of a rebuild costs more than the rebuild (1.5 s at 10,000
        tips). A rebuild makes little garbage: collect between rebuilds instead (and every `COLLECT_EVERY`
        steps of the engine, see `_page_done`)."""
        self._rendered = 0
        if self.serving:
            gc.disable()

    def failed(self) -> None:
        """The engine's build stopped with an error."""
        if self.serving:
            gc.enable()

    def build(self) -> SiteModel:
        """Load, check and derive the content and decide the site; start the work beside the pages."""
        options = self._options()
        settings = SiteSettings(
            site_url=options.site_url or DEV_SITE_URL,
            site_name=options.site_name,
            stamp=self.stamp,
            edit_base=options.edit_base or self.environ.get("KENNISBANK_EDIT_BASE") or None,
            docs_dir=options.docs_dir,
            series_until=options.series_until,
            series_count=options.series_count,
        )
        if self.job is not None:
            self.job.cancel()  # a save before the previous search index was done: it is about to be replaced
        repository, problems = self._load(options.root)
        try:
            self.model = model = build_site_model(
                repository, self.today, settings, problems, previous=self.model, incremental=self.serving
            )
        except SeriesError as exc:  # series_until / series_count in the configuration
            raise BuildError(f"mkdocs.yml, plugin kennisbank: {exc}") from None
        self.job = None
        if not self.serving:
            # A full build gets each page's own HTML from the other core while the engine renders Markdown.
            stream = None if self.dirty else model.page_parts
            # The content lives until the build ends: keep the garbage collector from scanning it again and
            # again, in this process and in the forked one (which would copy every page it touches).
            gc.freeze()
            self.job = self._files_job(options.site_dir, stream)
        self._before = (self.built, self.built_nav)
        self.built = {page.src_uri: page.fingerprint for page in model.pages.values()}
        self.built_nav = model.nav_version
        return model

    def changed(self, src_uri: str, output: str) -> bool:
        """Whether a dirty rebuild must render the page again: what it shows changed since the last build in
        this process, or it was never built into the site folder (`output`, relative to it) at all."""
        built, built_nav = self._before
        if built_nav != self._model().nav_version or built.get(src_uri) != self.built.get(src_uri):
            return True
        return not built and not (self._options().site_dir / output).exists()

    def html(self, page: SitePage, engine_html: str) -> str:
        """The page's HTML: the engine's HTML of its Markdown with the page's own parts around it."""
        self._page_done()
        return page.compose(engine_html, self.job.get(page.src_uri) if self.job else None)

    def edit_url(self, src_uri: str) -> str | None:
        """The edit link of a page the engine is about to write (None: no edit link)."""
        self._page_done()
        return self._model().edit_url(src_uri)

    def finish(self, *, strict_warnings: int = 0) -> None:
        """The engine wrote its pages. The dev server writes the images now (the browser reloads when this
        returns) and starts the search index; a build waits for its files and writes the build marker,
        unless the engine is about to fail it for `strict_warnings` (so that it is never published)."""
        model, options = self._model(), self._options()
        if self.serving:
            gc.enable()
            try:
                model.write_images(options.site_dir)  # a new or changed one is encoded now
            except ImagePublishError as exc:
                self.log.error("%s", exc)
            # Started only now, so that it does not compete with the rebuild for the processor; the search
            # page says while it runs.
            self.job = self._files_job(options.site_dir, images=False)
            return
        assert self.job is not None
        try:
            self.job.wait()
        except background.BackgroundError as exc:
            raise BuildError(f"De {FILES_JOB} konden niet geschreven worden:\n{exc}") from None
        job = self.job
        peak = f", piek {job.peak_mib:.0f} MiB" if job.peak_mib is not None else ""
        if job.peak_mib is not None and job.shared_mib is not None:
            peak += f" (eigen geheugen ten hoogste {job.peak_mib - job.shared_mib:.0f} MiB)"
        self.log.info("%s: %.1f s naast de pagina's%s.", FILES_JOB.capitalize(), job.seconds, peak)
        self.log.info("Bouw zelf: piek %.0f MiB.", background.own_peak_mib())
        if strict_warnings:
            return  # the engine stops the build now: no marker, so `kennisbank publish` refuses the folder
        model.write_marker(options.site_dir)

    def stop(self) -> None:
        """The process ends: stop the work still running."""
        if self.job is not None:
            self.job.cancel()

    def watched(self) -> list[Path]:
        """The content folders whose changes rebuild the dev server's site."""
        root = self._options().root
        return [root / folder for folder in ContentLayout().watched if (root / folder).is_dir()]

    def _load(self, root: Path) -> tuple[Repository, list[Problem]]:
        """The content to build, and errors to show over the last good content (dev server only)."""
        result = load_repository(root, today=self.today, cache=self.cache)
        if result.warnings:
            # Warnings (e.g. stale tips) are shown on the site itself; the log only counts them.
            self.log.info("%d waarschuwing(en) in de inhoud; details met 'kennisbank validate'.", len(result.warnings))
        if not result.errors:
            if not self.serving and publishing(self.environ):
                refused = publish_problems(result.repository, ContentLayout().coaches_file)
                if refused:
                    raise BuildError(publish_refusal(refused))  # no invented people on the intranet
            self.last_good = result.repository
            return result.repository, []
        message = (
            "De inhoud bevat fouten:\n"
            + "\n".join(p.format_text() for p in result.errors)
            + "\n"
            + summary_line(result.problems, result.files_checked)
        )
        if not self.serving:
            raise BuildError(message)  # a build never publishes content with errors
        # The dev server keeps serving the last good content and names the problems on the pages; when it
        # starts on content with errors, it shows what did load, with the problems on top.
        self.log.error(message)
        if self.last_good is None and result.repository.taxonomy is None:
            raise BuildError(message)  # without the taxonomy there is no site to show
        return self.last_good or result.repository, result.errors

    def _page_done(self) -> None:
        """The engine rendered a page's Markdown or its template. Each leaves cyclic garbage (in MkDocs:
        the page's template context with its macros), which the dev server's paused collector would keep
        until the end of its first build, which renders every page (a peak of 856 MiB at 10,000 tips; 642 MiB
        when collected). Collected every `COLLECT_EVERY` steps, only in the young generations: what this
        build made since, not the content kept from earlier builds (a usual save renders a page or two and
        never gets here)."""
        self._rendered += 1
        if self.serving and self._rendered % COLLECT_EVERY == 0:
            gc.collect(1)

    def _files_job(self, site_dir: Path, stream: background.Stream | None = None, images: bool = True) -> Job:
        work = partial(self._model().write_files, site_dir, images)
        return background.start(FILES_JOB, work, stream)

    def _options(self) -> BuildOptions:
        if self.options is None:
            raise RuntimeError("BuildSession.configure() comes before the build")
        return self.options

    def _model(self) -> SiteModel:
        if self.model is None:
            raise RuntimeError("BuildSession.build() comes before the pages")
        return self.model
