"""The MkDocs adapter: the only module that imports MkDocs.

Each event handler hands over to the engine-free core (loader, indexes, pages, render, feeds), so that a
move to another site engine only replaces this file.
"""

from __future__ import annotations

import html
import json
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..checks.problems import summary_line
from ..content.loader import LoadResult, load_repository
from ..content.models import Meeting, Signal, Tip
from ..content.repository import Repository
from ..knowledge.indexes import RelatedIndex
from ..ops.clock import TodayError, resolve_stamp, resolve_today
from ..ops.publish import write_build_marker
from ..site import urls
from ..site.markdown_ext import site_extensions
from ..site.pages import (
    NavItem,
    SitePlan,
    SiteSettings,
    build_site_plan,
    edit_url,
    meeting_page,
    meeting_title,
    signal_page,
    signal_title,
    tip_page,
)
from ..site.render import Renderer
from ..site.sanitize import clean_html, safe_id

log = logging.getLogger("mkdocs.plugins.kennisbank")

ASSETS = ("kennisbank.css", "kennisbank.js", "kennisbank-search.js")
ASSET_DIR = "assets/kennisbank/"


class KennisbankConfig(Config):
    """Options under `plugins: - kennisbank:` in mkdocs.yml."""

    content_root = opt.Type(str, default=".")  # relative to mkdocs.yml: holds tips/ and meetings/
    # Web-editor base of the repository, e.g. https://github.com/org/repo/edit/main/ ; empty: no edit links.
    edit_base = opt.Type(str, default="")
    # The build date (JJJJ-MM-DD) for stale, new and overdue marks and the next meeting; $KENNISBANK_TODAY
    # overrides it, and without either the real date is used.
    today = opt.Optional(opt.Type((str, date)))


@dataclass
class _Build:
    """State of one build, replaced on every (re)build so `mkdocs serve` never mixes two runs."""

    repository: Repository
    plan: SitePlan
    renderer: Renderer
    settings: SiteSettings
    documents: dict[str, Tip | Meeting | Signal]  # by src_uri
    generated_html: dict[str, str]  # by src_uri
    related: RelatedIndex


class KennisbankPlugin(BasePlugin[KennisbankConfig]):
    """Validates the content, adds tips and meetings as pages and generates the index pages."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self.today: date | None = None
        self.stamp = datetime.min
        self.build: _Build | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = (Path(config.config_file_path).parent / self.config.content_root).resolve()
        try:
            self.today = resolve_today(configured=self.config.today)
            self.stamp = resolve_stamp(self.today)
        except TodayError as exc:
            raise PluginError(str(exc)) from None
        theme_dir = resources.files("kennisbank.site") / "theme"
        config.theme.dirs.insert(0, str(theme_dir))
        # Keys such as <Enter> are text, not tags: the same rendering for every page of the site.
        for extension in site_extensions():
            if not any(type(ext) is type(extension) for ext in config.markdown_extensions):
                config.markdown_extensions.append(extension)
        for name in ASSETS:
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            if ASSET_DIR + name not in target:
                target.append(ASSET_DIR + name)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.root is not None
        assert self.today is not None
        result = self._load()
        today = self.today
        repository = result.repository
        settings = SiteSettings(
            site_url=config.site_url or "http://127.0.0.1:8000/",
            site_name=config.site_name,
            stamp=self.stamp,
            edit_base=self.config.edit_base or os.environ.get("KENNISBANK_EDIT_BASE") or None,
        )
        renderer = Renderer.create(repository, today)
        plan = build_site_plan(renderer, settings)
        documents: dict[str, Tip | Meeting | Signal] = {}
        for tip in repository.tips:
            documents[tip.source_path] = tip
            files.append(self._source_file(config, tip.source_path, urls.tip_url(tip.slug)))
        for meeting in repository.meetings:
            documents[meeting.source_path] = meeting
            files.append(self._source_file(config, meeting.source_path, urls.meeting_url(meeting.slug)))
        for signal in repository.signals:
            documents[signal.source_path] = signal
            files.append(self._source_file(config, signal.source_path, urls.signal_url(signal.slug)))
        for page in plan.pages:
            stub = f"---\ntitle: {json.dumps(page.title, ensure_ascii=False)}\n---\n"
            files.append(File.generated(config, page.src_uri, content=stub, inclusion=InclusionLevel.NOT_IN_NAV))
        package = resources.files("kennisbank.site") / "assets"
        for name in ASSETS:
            files.append(File.generated(config, ASSET_DIR + name, content=(package / name).read_bytes()))

        hand_pages = sorted(f.src_uri for f in files.documentation_pages() if f.generated_by is None)
        config.nav = _mkdocs_nav(plan.nav, [p for p in hand_pages if p != "index.md"])
        self.build = _Build(
            repository,
            plan,
            renderer,
            settings,
            documents,
            {p.src_uri: p.html for p in plan.pages},
            RelatedIndex(repository.tips),
        )
        return files

    def _load(self) -> LoadResult:
        assert self.root is not None
        assert self.today is not None
        result = load_repository(self.root, today=self.today)
        if result.warnings:
            # Warnings (e.g. stale tips) are shown on the site itself; the log only counts them.
            log.info("%d waarschuwing(en) in de inhoud; details met 'kennisbank validate'.", len(result.warnings))
        if result.errors:
            lines = [p.format_text() for p in result.errors]
            raise PluginError(
                "De inhoud bevat fouten:\n"
                + "\n".join(lines)
                + "\n"
                + summary_line(result.problems, result.files_checked)
            )
        return result

    def _source_file(self, config: MkDocsConfig, source_path: str, url: str) -> File:
        """A content file outside docs/ as a page; src_uri keeps its repository path so relative links work."""
        assert self.root is not None
        file = File.generated(
            config, source_path, abs_src_path=str(self.root / source_path), inclusion=InclusionLevel.NOT_IN_NAV
        )
        file.dest_uri = url + "index.html"
        return file

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.build is not None
        document = self.build.documents.get(page.file.src_uri)
        if isinstance(document, Tip):
            page.title = html.escape(document.title)
        elif isinstance(document, Meeting):
            page.title = html.escape(meeting_title(document))
        elif isinstance(document, Signal):
            page.title = html.escape(signal_title(document))
        elif page.file.src_uri in self.build.generated_html:
            page.title = html.escape(page.meta.get("title", ""))
        if document is None:
            return markdown
        # Nothing a contributor wrote reaches the theme through MkDocs' own reading of the front matter: the
        # theme writes page.meta (title, status, …) into the page unescaped. The page title is set above.
        page.meta = {}
        # The body exactly as validated: MkDocs' own front-matter reader differs from ours (an invalid date in
        # a list makes it give up and render the whole front matter as text).
        return document.body

    def on_page_content(self, content: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.build is not None
        if page.file.src_uri in self.build.documents:
            _clean_toc(page.toc)  # the theme writes these into the sidebar and skip link unescaped
        build = self.build
        src_uri = page.file.src_uri
        document = build.documents.get(src_uri)
        if isinstance(document, Tip):
            return tip_page(build.renderer, document, build.settings, build.related, content)
        if isinstance(document, Meeting):
            return meeting_page(build.renderer, document, content)
        if isinstance(document, Signal):
            return signal_page(build.renderer, document, content)
        if src_uri in build.generated_html:
            return build.generated_html[src_uri]
        if src_uri == "index.md":
            return content + build.plan.home_html
        return content

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
        assert self.build is not None
        document = self.build.documents.get(page.file.src_uri)
        settings = self.build.settings
        if document is not None:
            page.edit_url = edit_url(settings, document.source_path)
        elif page.file.src_uri in self.build.generated_html:
            page.edit_url = None
        elif settings.edit_base:
            page.edit_url = edit_url(settings, Path(config.docs_dir).name + "/" + page.file.src_uri)
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.build is not None
        # Written here rather than as MkDocs files: MkDocs would treat agenda.md as a page to render.
        site = Path(config.site_dir)
        for asset in self.build.plan.assets:
            target = site / asset.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(asset.content)
        repository = self.build.repository
        stamp = self.build.settings.stamp
        write_build_marker(site, stamp, len(repository.tips), len(repository.meetings), len(repository.signals))

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:  # type: ignore[no-untyped-def]
        assert self.root is not None
        for folder in ("tips", "meetings"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server


def _clean_toc(items) -> None:  # type: ignore[no-untyped-def]
    for item in items:
        item.id = safe_id(item.id)
        item.title = clean_html(item.title)
        _clean_toc(item.children)


def _mkdocs_nav(items: list[NavItem], hand_pages: list[str]) -> list:
    def convert(item: NavItem) -> dict | str:
        if item.children:
            return {item.title: [convert(child) for child in item.children]}
        return {item.title: item.src_uri}

    nav = [convert(item) for item in items]
    if hand_pages:
        nav.append({"Over": hand_pages})
    return nav
