"""The MkDocs adapter (also run by ProperDocs): hands MkDocs the pages and files of the site model, reports back.

Every decision of the build is the core's (`site.build.BuildSession`: loading, error policy, guards, the
work beside the pages); every page, URL, title, navigation entry and file is the site model's. What leans
on MkDocs internals rather than its plugin API is in `mkdocs_internals`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import ParamSpec, TypeVar, cast

from jinja2 import Environment
from markdown import Extension
from markupsafe import Markup
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..site.build import BuildError, BuildOptions, BuildSession
from ..site.markdown_ext import site_extensions
from ..site.model import page_start
from ..site.static import SCRIPTS, STYLESHEETS, theme_dir
from . import mkdocs_internals as internals
from .mkdocs_structure import clean_toc, mkdocs_nav, nav_uris, start_toc_at

P = ParamSpec("P")
T = TypeVar("T")


class KennisbankConfig(Config):
    """Options under `plugins: - kennisbank:` in mkdocs.yml."""

    content_root = opt.Type(str, default=".")  # relative to mkdocs.yml: holds tips/ and meetings/
    # Web-editor base of the repository, e.g. https://github.com/org/repo/edit/main/ ; empty: no edit links.
    edit_base = opt.Type(str, default="")
    # The build date (JJJJ-MM-DD) for stale, new and overdue marks; $KENNISBANK_TODAY overrides it, else today.
    today = opt.Optional(opt.Type[str | date]((str, date)))
    # The meeting series in the calendar (overleg/reeks.ics) ends on this day (JJJJ-MM-DD; default: 30 June,
    # the end of the season) or after this many meetings.
    series_until = opt.Optional(opt.Type(date))
    series_count = opt.Optional(opt.Type(int))
    # Look for saved files twice a second where the operating system does not report them (WSL, network shares).
    poll_changes = opt.Type(bool, default=False)
    # The coaches' meeting as `kennisbank start` writes it, for `kennisbank new-meeting` (not read by the site).
    meeting_every_weeks = opt.Type(int, default=3)
    meeting_day = opt.Type(str, default="")
    meeting_start = opt.Type(str, default="")
    meeting_end = opt.Type(str, default="")
    meeting_location = opt.Type(str, default="")


class KennisbankPlugin(BasePlugin[KennisbankConfig]):
    """Delivers the site model's pages, navigation and files to MkDocs."""

    def __init__(self) -> None:
        self.session = BuildSession(internals.engine_logger("plugins.kennisbank"), serving=False, dirty=False)
        # Kept between the builds of `mkdocs serve` (MkDocs keeps a plugin with on_startup alive):
        self.files = internals.KeptFiles(keep=False)
        self.bytecode = internals.CompiledTemplates()
        self.markdown = internals.ReusedMarkdown()
        self.theme_files: dict[tuple[object, ...], list[str]] = {}
        self.warnings = internals.WarningCount()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.session = BuildSession(self.session.log, serving=command == "serve", dirty=dirty)
        self.files = internals.KeptFiles(keep=self.session.serving)
        if self.session.serving and dirty:
            internals.quiet_dirty_builds()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.session.serving:
            # MkDocs aborts a strict build with warnings only after on_post_build: count them, so that such a
            # build gets no marker (it must never be published).
            self.warnings.count = 0
            internals.engine_logger().addHandler(self.warnings)
        options = BuildOptions(
            root=(Path(config.config_file_path).parent / self.config.content_root).resolve(),
            site_dir=Path(config.site_dir),
            site_url=config.site_url,
            site_name=config.site_name,
            docs_dir=Path(config.docs_dir).name,
            today=self.config.today,
            edit_base=self.config.edit_base,
            series_until=self.config.series_until,
            series_count=self.config.series_count,
        )
        _run(self.session.configure, options)
        config.theme.dirs.insert(0, theme_dir())
        if self.session.serving:
            internals.listing_once(config, self.theme_files)
        # Keys such as <Enter> are text, not tags: the same rendering for every page of the site.
        # MkDocs types the list as names (list[str]); Python-Markdown takes Extension objects too, as added here.
        extensions = cast("list[str | Extension]", config.markdown_extensions)
        for extension in site_extensions():
            if not any(type(ext) is type(extension) for ext in extensions):
                extensions.append(extension)
        config.extra_css.extend(p for p in STYLESHEETS if p not in config.extra_css)
        config.extra_javascript.extend(p for p in SCRIPTS if p not in config.extra_javascript)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.session.begin()

    def on_build_error(self, *, error: Exception) -> None:
        internals.engine_logger().removeHandler(self.warnings)
        self.session.failed()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        model = _run(self.session.build)
        # Listed before the model's pages join them: MkDocs' documentation_pages() walks every file each time.
        hand_files = [f for f in files.documentation_pages() if f.generated_by is None]
        engine_files = [
            self.files.file(config, page.src_uri, page.url + "index.html", page.markdown)
            for page in model.pages.values()
            if page.markdown is not None
        ]
        for file in engine_files:
            files.append(file)
        for image in model.images.values():
            files.append(internals.written_by_core(config, image.source, image.path))
        config.nav = [mkdocs_nav(item) for item in model.navigation([f.src_uri for f in hand_files])]
        if self.session.dirty:
            in_nav = set(nav_uris(config.nav))
            for file in (*hand_files, *engine_files):
                if model.page(file.src_uri) is not None:
                    changed = self.session.changed(file.src_uri, file.dest_uri)
                    internals.skip_unchanged(file, changed, file.src_uri in in_nav)
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.bytecode_cache = self.bytecode
        internals.navigation_once(env, config.theme.dirs, theme_dir())
        # The core's notice for every page (example content); the theme override puts it in Material's banner.
        env.globals["kennisbank_notice"] = Markup(self.session.model.notice if self.session.model else "")
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.markdown.give(page)
        found = self.session.model.page(page.file.src_uri) if self.session.model else None
        if found is None:
            return markdown
        if found.title is not None:
            page.title = html.escape(found.title)  # the theme writes page.title into the page unescaped
        if found.markdown is None:
            return markdown
        # The theme writes page.meta (title, status, …) unescaped: nothing of the front matter may reach it.
        page.meta = {}
        return found.markdown

    def on_page_content(self, content: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        found = self.session.model.page(page.file.src_uri) if self.session.model else None
        if found is None:
            return content
        clean_toc(page.toc)  # the theme writes these into the sidebar and skip link unescaped
        composed = self.session.html(found, content)
        start_toc_at(page.toc, page_start(composed))
        return composed

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if self.session.model is not None:
            page.edit_url = self.session.edit_url(page.file.src_uri)
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        strict_warnings = self.warnings.count if config.strict else 0
        internals.engine_logger().removeHandler(self.warnings)
        _run(self.session.finish, strict_warnings=strict_warnings)

    def on_shutdown(self) -> None:
        self.session.stop()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., object]
    ) -> LiveReloadServer:
        for folder in self.session.watched():
            server.watch(str(folder))
        if not self.config.poll_changes:
            internals.notified_changes(server)
        return server


def _run(step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """A step of the build session; its Dutch error stops MkDocs' build."""
    try:
        return step(*args, **kwargs)
    except BuildError as exc:
        raise PluginError(str(exc)) from None
