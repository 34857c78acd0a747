"""The adapter's dependence on MkDocs internals: what is not MkDocs' documented plugin API.

Written against MkDocs 1.6.1 and ProperDocs 1.6.7 (which redirects every `mkdocs.*` import to its own
`properdocs.*` modules, copies of MkDocs 1.6.1's). All of it serves the dev server's speed or the strict
build's marker, or a build's speed without changing a byte of its pages. It relies on:
- `File.generated` and `InclusionLevel` (public since MkDocs 1.6), and that a `File` object may be kept and
  handed to the next build of `mkdocs serve` after its `page` is cleared (`KeptFiles`);
- that MkDocs asks `File.is_modified()` whether a dirty build must render a page, and makes no page object
  for an `InclusionLevel.EXCLUDED` file but still resolves links to it (`skip_unchanged`);
- `Theme.get_env` and the theme environment's `list_templates()`, which MkDocs calls on each build to copy
  the theme's assets (`listing_once`);
- the Jinja environment's `bytecode_cache` (`CompiledTemplates`);
- `Page.render`'s body and its four private page processors in `mkdocs.structure.pages`, run with one
  Python-Markdown instance per build instead of one per page (`ReusedMarkdown`);
- the theme environment's loader and context (`page`, `nav`, `base_url`), and Material's (MaterialX's)
  `partials/nav.html` and `partials/tabs.html` depending on the page only through its place in the
  navigation and its folder (`navigation_once`; site/theme/partials/ calls it);
- `LiveReloadServer._watched_paths`, `.observer`, `watch` and `unwatch` (`notified_changes`; where they
  differ, MkDocs keeps its own polling);
- the texts of two MkDocs log messages (`quiet_dirty_builds`), its logger names (`engine_logger`) and that a
  handler on them sees every warning of a build (`WarningCount`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path
from typing import ClassVar

import markdown
import mkdocs
import mkdocs.structure.pages as mkdocs_pages
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, pass_context
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache
from jinja2.runtime import Context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from watchdog.events import (
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch


def engine_logger(name: str = "") -> logging.Logger:
    """A logger the engine shows and counts: under "mkdocs", or "properdocs" when ProperDocs runs (its
    `mkdocs` module is its own package)."""
    return logging.getLogger(".".join(filter(None, (mkdocs.__name__, name))))


class WrittenByCore(File):
    """A file the core writes into the site itself: MkDocs knows it (links to it resolve) but never copies it."""

    def copy_file(self, dirty: bool = False) -> None:
        pass

    def is_modified(self) -> bool:
        return False


def written_by_core(config: MkDocsConfig, src_uri: str, dest_uri: str) -> File:
    """MkDocs' file for an image the core writes itself: a tip's relative link to it resolves (as for links
    between tips), and MkDocs copies nothing."""
    file = WrittenByCore.generated(config, src_uri, content=b"", inclusion=InclusionLevel.INCLUDED)
    file.dest_uri = dest_uri
    return file


class KeptFiles:
    """MkDocs' file for each page of the model. The dev server keeps them between rebuilds while a page's
    Markdown is the same (making 10,000 of them took a quarter of a second per save)."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.files: dict[str, tuple[str, File]] = {}

    def file(self, config: MkDocsConfig, src_uri: str, dest_uri: str, markdown: str) -> File:
        """The file of a page whose Markdown is `markdown`, written to `dest_uri`."""
        kept = self.files.get(src_uri) if self.keep else None
        if kept is not None and kept[0] == markdown:
            file = kept[1]
            file.page = None  # the page object belongs to the previous build
            file.inclusion = InclusionLevel.NOT_IN_NAV
            file.__dict__.pop("is_modified", None)  # set again by skip_unchanged
            return file
        file = File.generated(config, src_uri, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV)
        file.dest_uri = dest_uri
        if self.keep:
            self.files[src_uri] = (markdown, file)
        return file


def skip_unchanged(file: File, changed: bool, in_nav: bool) -> None:
    """`mkdocs serve --dirty` renders a page only when `is_modified()`: make it say whether the core found the
    page `changed` (a generated file would always count as new). An unchanged generated page outside the
    navigation is excluded instead: MkDocs then makes no page object for it (a second per rebuild at 10,000
    tips) but still resolves links to it, and its file from the last build stays in the site."""
    if file.generated_by is None:  # a hand-written page: also when its own file changed
        file.is_modified = partial(_either, changed, file.is_modified)  # type: ignore[method-assign]  # per file
    elif changed or in_nav:
        file.is_modified = partial(_constant, changed)  # type: ignore[method-assign]  # per file, on purpose
    else:
        file.inclusion = InclusionLevel.EXCLUDED


def quiet_dirty_builds() -> None:
    """`make serve` rebuilds only the pages a save touches, on purpose; MkDocs' warning on every rebuild that
    a dirty build may leave stale navigation would only worry a coach. Links to the pages it skips are
    logged as links to excluded pages: not news either."""
    for name in ("commands.build", "structure.pages"):
        engine_logger(name).addFilter(_no_dirty_warning)


def listing_once(config: MkDocsConfig, listings: dict[tuple[object, ...], list[str]]) -> None:
    """MkDocs lists every file of the theme on each build to copy its assets (Material ships about 15,000
    icons: half a second per save). The theme does not change while the server runs: list it once."""
    config.theme.get_env = partial(  # type: ignore[method-assign]  # this one theme object's method, on purpose
        _listed_once, config.theme.get_env, listings, tuple(config.theme.dirs)
    )


def _listed_once(
    get_env: Callable[[], Environment], listings: dict[tuple[object, ...], list[str]], dirs: tuple[str, ...]
) -> Environment:
    env = get_env()
    walk = env.list_templates

    def list_templates(
        extensions: Collection[str] | None = None, filter_func: Callable[[str], bool] | None = None
    ) -> list[str]:
        key = (dirs, extensions, getattr(filter_func, "__code__", filter_func))
        if key not in listings:
            listings[key] = walk(extensions, filter_func)
        return list(listings[key])

    env.list_templates = list_templates  # type: ignore[method-assign]  # this environment's, on purpose
    return env


THEME_PREFIX = "engine-theme/"  # the theme's own templates, also where ours override one (site/theme/partials)


def navigation_once(env: Environment, theme_dirs: list[str], own_dir: str) -> None:
    """Let the site's templates render Material's navigation and tabs once per link base for the pages that
    are not in the navigation (every tip): for them the HTML is the same but for the relative links, while
    rendering it per page was a quarter of the template time at 1,000 tips. Pages in the navigation are
    rendered as before (their entry is marked active). `{% call kennisbank_once("nav") %}` in a template;
    the theme's original stays reachable as `engine-theme/<name>`."""
    theirs = [folder for folder in theme_dirs if Path(folder) != Path(own_dir)]
    assert env.loader is not None
    env.loader = ChoiceLoader([env.loader, PrefixLoader({THEME_PREFIX.rstrip("/"): FileSystemLoader(theirs)})])
    rendered: dict[tuple[str, str, str], str] = {}  # one build: MkDocs makes a new environment for the next

    @pass_context
    def once(context: Context, name: str, caller: Callable[[], str]) -> str:
        page, nav = context.get("page"), context.get("nav")
        url = getattr(page, "url", None)
        # In the navigation, or a navigation entry below it: this page's own rendering.
        if not isinstance(url, str) or nav is None or any(entry.url.startswith(url) for entry in nav.pages):
            return caller()
        # A relative link depends on the folder the page sits in ("tips/" for "tips/<slug>/"), not on the page.
        key = (name, url.rstrip("/").rpartition("/")[0], str(context.get("base_url")))
        if key not in rendered:
            rendered[key] = caller()
        return rendered[key]

    env.globals["kennisbank_once"] = once


class ReusedMarkdown:
    """One Python-Markdown instance per build, `reset()` between pages as Python-Markdown documents for reuse,
    where MkDocs' `Page.render` makes a new one for every page (building its extensions was a sixth of a build
    at 1,000 tips). The rest is `Page.render` of MkDocs 1.6.1: its four page processors, registered per page
    under their own names (a registry replaces an item of the same name), and what it sets on the page."""

    def __init__(self) -> None:
        self.config: MkDocsConfig | None = None
        self.md: markdown.Markdown | None = None

    def give(self, page: Page) -> None:
        """Make `page.render` use this build's instance (only this page object: MkDocs' class is untouched)."""
        page.render = partial(self.render, page)  # type: ignore[method-assign]  # see the class docstring

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if self.md is None or self.config is not config:  # `mkdocs serve` reads the configuration anew
            self.config = config
            self.md = markdown.Markdown(
                extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {}
            )
        md = self.md
        md.reset()
        raw_html = mkdocs_pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        relative._register(md)
        title = mkdocs_pages._ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors


class CompiledTemplates(BytecodeCache):
    """Compiled theme templates kept in memory between the builds of one process (MkDocs makes a new theme
    environment for every build; a third of a rebuild went into compiling Material's templates), and in
    Jinja's own per-user cache folder between processes (a build compiles 36 templates, ~0.3 s)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}
        self.on_disk: BytecodeCache | None = None
        with contextlib.suppress(RuntimeError):  # Jinja makes the folder private to this user, refuses one that is not
            self.on_disk = FileSystemBytecodeCache()

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])
        elif self.on_disk is not None:
            with contextlib.suppress(OSError, EOFError, ValueError, TypeError):  # a damaged file: compile
                self.on_disk.load_bytecode(bucket)  # a stale file has another checksum: Jinja ignores it
            if bucket.code is not None:
                self.compiled[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
        if self.on_disk is not None:
            with contextlib.suppress(OSError):  # a full or read-only disk only costs the next build time
                self.on_disk.dump_bytecode(bucket)


# watchdog picks `Observer` per platform at import time: to mypy a variable, not a class (valid-type, misc).
class _ChangesOnly(Observer):  # type: ignore[misc,valid-type]  # see above
    """The native observer, told only of changed files: it also reports files being opened and read, and each
    rebuild reads the content (an endless loop of rebuilds)."""

    CHANGES: ClassVar[list[type[FileSystemEvent]]] = [
        FileCreatedEvent,
        FileModifiedEvent,
        FileDeletedEvent,
        FileMovedEvent,
    ]

    def schedule(
        self,
        event_handler: FileSystemEventHandler,
        path: str | Path,
        *,
        recursive: bool = False,
        event_filter: list[type[FileSystemEvent]] | None = None,
        follow_symlink: bool = False,
    ) -> ObservedWatch:
        watch: ObservedWatch = super().schedule(  # the base is Any to mypy (above)
            event_handler, path, recursive=recursive, event_filter=self.CHANGES, follow_symlink=follow_symlink
        )
        return watch


def notified_changes(server: LiveReloadServer) -> None:
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


class WarningCount(logging.Handler):
    """Counts the warnings the engine logs during one build (its own counter is not reachable from a plugin)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return "'dirty' build is being performed" not in message and "excluded from the built site" not in message


def _constant(value: bool) -> bool:
    return value


def _either(changed: bool, modified: Callable[[], bool]) -> bool:
    return changed or modified()
