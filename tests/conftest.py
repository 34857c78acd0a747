"""Shared fixtures and helpers for the whole suite. Start here when you add a test.

Fixtures (`repo`, `sample_site`, `browser`, ...) come as test arguments; the plain helpers are imported:
`from conftest import ROOT, TODAY, kennisbank, mkdocs_build, small_repo, write_tip`. The build date is pinned:
this module sets `KENNISBANK_TODAY` to `TODAY` (29 November 2026) for itself and every process it starts, so
the suite gives the same result on any day (tip dates after it are "in de toekomst").

Cheapest first; take the first one that can show what your test asserts:

- In-process, no site at all: `load_repository`, the `knowledge` and `site` modules. Milliseconds.
- A command: `kennisbank("validate", cwd=repo)` runs the command line's `main()` in this process and gives
  exit code, stdout and stderr like `subprocess.run`. Start the console script itself (`KENNISBANK`,
  `bare_env()`) only where the process is the point (environment, encoding, signals): it costs about a
  second of CPU per call just to start.
- `repo` (function scope): a writable copy of the sample content in tmp_path; break it freely.
  `small_repo(tmp_path / "repo")`: the vocabulary, one tip and docs/ only, for a variant that needs nothing
  else.
  `write_tip` / `edit` change a copy; an edit whose old text is missing fails loudly.
- `model_site(repo)` (`ModelSite`): the site model of any repository, built in-process by the core with the
  site's Markdown configuration, no MkDocs: `.page(url)` is a page's own HTML (what the core composes,
  without the theme around it), `.file(path)` any file that is not a page (search index, feeds, exports).
  Use it for what a page or file *says*. `sample_model` is the one of the sample, shared per session.
- `sample_site` (session, `BuiltSite`): the sample content built once per test run by the real
  `mkdocs build --strict`, shared by every pytest-xdist worker (a file lock: the first worker builds, the
  others wait and read). `.page(url)` is the finished HTML with Material's theme. Read-only: copy it
  (`sample_site.copy_to(tmp_path / "site")`) before changing a file. `site_url` serves it.
- `mkdocs_build(repo, site, **env)`: your own full build, for what only the engine shows (strict-mode failures,
  the theme, the build's own messages, options in mkdocs.yml); `env` adds or overrides variables (to build
  without `KENNISBANK_TODAY`, start `MKDOCS` yourself, as test_build_date does). MkDocs writes its messages,
  ours included, to stderr. Seconds each: build the smallest repository that shows the behaviour
  (`small_repo`), and mark the test `@pytest.mark.build` (so is `mkdocs serve` and `kennisbank serve`).
  `make test-snel` refuses an unmarked test that calls `mkdocs_build` or starts an engine itself.
- `browser` / `page`: Debian's Chromium through Playwright (marked `browser` automatically).

Markers: `browser` (Chromium), `linux` (LibreOffice, Java, sshd, process groups), `build` (its own full
build or dev server). `make test` runs everything in parallel (pytest-xdist, `-n auto --dist loadfile`): all
tests of a file run on one worker, so a module-scoped fixture (a site built for that module) is made once.
(Not `--dist loadgroup`: with pytest 9.2 and pytest-xdist 3.8.0 it silently stops grouping, pytest-xdist
issue 1386.) `make test-snel` runs `-m "not browser and not linux and not build"`.

Parallel safety: every test writes below its own `tmp_path` (never into the repository), asks the system
for a free port (`127.0.0.1:0`) and stops only the processes it started.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from filelock import FileLock
from zygote import Zygote

if TYPE_CHECKING:
    from kennisbank.site.model import SiteModel
    from markdown.extensions import Extension

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 29)
# The build date is an input: pin it for the CLI in this process and every mkdocs build started from it,
# so the suite gives the same result on any day.
os.environ["KENNISBANK_TODAY"] = TODAY.isoformat()
CONTENT = ("tips", "meetings", "docs", "mkdocs.yml")


def console_script(name: str) -> str:
    """A command of this virtualenv: bin/<name> on Linux, Scripts\\<name>.exe on Windows."""
    return shutil.which(name, path=str(Path(sys.executable).parent)) or str(Path(sys.executable).with_name(name))


MKDOCS = console_script("mkdocs")
KENNISBANK = console_script("kennisbank")


@typing.overload
def kennisbank(
    *args: str, cwd: Path, stdin: str = "", text: typing.Literal[True] = True
) -> subprocess.CompletedProcess[str]: ...
@typing.overload
def kennisbank(
    *args: str, cwd: Path, stdin: str = "", text: typing.Literal[False]
) -> subprocess.CompletedProcess[bytes]: ...
def kennisbank(*args: str, cwd: Path, stdin: str = "", text: bool = True) -> subprocess.CompletedProcess:
    """`kennisbank <args>` in `cwd`, run by the console script's `main()` in this process: its exit code and
    what it printed, as `subprocess.run(..., capture_output=True, text=True)` would give them. A second or so
    faster per call than starting the script; an exception fails the test instead of printing a traceback.
    `text=False`: the output as bytes (an iCalendar or Word file written to stdout).
    Start the script itself (KENNISBANK, `bare_env`) where the process is what the test is about: its
    environment, the terminal's encoding, signals."""
    from kennisbank.ops.cli import main

    streams = [io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="") for _ in range(2)]
    saved = sys.stdin, sys.stdout, sys.stderr, Path.cwd()
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), *streams
    os.chdir(cwd)
    try:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: a wrong option
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        for stream in streams:
            stream.flush()
        out, err = (stream.buffer.getvalue() for stream in streams)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved[:3]
        os.chdir(saved[3])
    if not text:
        return subprocess.CompletedProcess(["kennisbank", *args], code, out, err)

    def universal(data: bytes) -> str:  # as subprocess.run(text=True) gives it: universal newlines
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")

    return subprocess.CompletedProcess(["kennisbank", *args], code, universal(out), universal(err))


def bare_env(**extra: str) -> dict[str, str]:
    """An environment with only the system's own commands on PATH (the virtualenv is not activated, as for a
    coach), plus `extra`. Windows cannot start Python without SYSTEMROOT, so that one stays."""
    if os.name == "nt":
        root = os.environ.get("SYSTEMROOT", r"C:\Windows")
        keep = {k: os.environ[k] for k in ("SYSTEMROOT", "TEMP", "TMP", "USERPROFILE") if k in os.environ}
        return {**keep, "PATH": rf"{root}\System32;{root}", **extra}
    return {"PATH": "/usr/bin:/bin", **extra}


def copy_content(dest: Path) -> Path:
    """Copy the sample content and site configuration into `dest`."""
    for name in CONTENT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    return dest


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A writable copy of the sample repository."""
    return copy_content(tmp_path / "repo")


VALID_TIP = """---
title: Een testtip over Outlook
summary: Een korte samenvatting.
tools: [outlook]
difficulty: basis
source: oase
departments: [burgerzaken]
coach: sofie-claeys
date: 2026-10-14
tags: [test]
---
1. Open Outlook.
2. Klik op **Nieuw**.
"""


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace text in a copied content file; the text must be there, so a changed sample fails loudly."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def write_tip(
    repo: Path,
    rel_path: str = "tips/burgerzaken/testtip.md",
    text: str = VALID_TIP,
    replace: dict[str, str] | None = None,
) -> str:
    """Write a tip built from VALID_TIP with the given line replacements; returns its relative path."""
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    path = repo / rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return rel_path


@dataclass
class BuiltSite:
    """A site built once per test session from a copy of the sample content."""

    repo: Path
    site: Path
    log: str

    def copy_to(self, dest: Path, word_list: bool = True) -> Path:
        """A private copy of the built site at `dest`, for a test that changes or publishes it. Without
        `word_list`, the search's Dutch word list (search/nl/: 2,000 of the site's 2,600 files, the same in
        every build) is left out: publishing treats every file alike, and copying it only costs time."""
        skip = (
            shutil.ignore_patterns()
            if word_list
            else (lambda folder, names: ["nl"] if folder == str(self.site / "search") else [])
        )
        shutil.copytree(self.site, dest, ignore=skip)
        return dest

    def page(self, url: str) -> str:
        """HTML of a page by its site URL, e.g. 'tips/gedeelde-mailbox-toevoegen/'."""
        path = self.site / url.strip("/")
        if not url.endswith(".html") and not path.suffix:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def mkdocs_build(repo: Path, site: Path, **env_extra: str) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build --strict` on a repository copy. Only for tests marked `build`.

    The command runs in a process of its own, forked from this worker's zygote (tests/zygote.py), which has
    imported MkDocs and loaded mkdocs.yml's plugins once: a test about the interpreter's start (its encoding,
    its hash seed) starts `MKDOCS` itself."""
    refuse_in_quick_tier("mkdocs build")
    return _run_mkdocs_build(repo, site, env_extra)


QUICK_TIER = "KENNISBANK_TEST_SNEL"  # set by `make test-snel`


def refuse_in_quick_tier(what: str) -> None:
    """The quick tier deselects tests marked `build`; one that builds anyway is missing its marker."""
    if os.environ.get(QUICK_TIER) == "1":
        pytest.fail(f"deze test start '{what}' maar is niet gemarkeerd met @pytest.mark.build", pytrace=False)


@dataclass
class _QuickTierGuard:
    """In the quick tier, also a site engine started directly (`MKDOCS`, `python -m mkdocs`, `kennisbank serve`,
    the zygote) by a test without the `build` marker is refused, at the moment it would start: Python's audit
    event for every new process. `refuse_in_quick_tier` covers the helpers (a zygote that runs already starts
    no process)."""

    allowed: bool = True  # set per test from its marker; the shared sample build is always allowed

    def hook(self, event: str, args: tuple[typing.Any, ...]) -> None:
        if event != "subprocess.Popen" or self.allowed:
            return
        argv = [str(arg) for arg in args[1]] if isinstance(args[1], (list, tuple)) else [str(args[1])]
        names = [Path(arg).name for arg in argv]
        engine = any(name in ("mkdocs", "properdocs") for name in names[:3]) and ("build" in argv or "serve" in argv)
        if engine or ("kennisbank" in names[:1] and "serve" in argv) or "zygote.py" in names[:2]:
            refuse_in_quick_tier(" ".join(names[:3]))

    @contextlib.contextmanager
    def allowing(self) -> Iterator[None]:
        before, self.allowed = self.allowed, True
        try:
            yield
        finally:
            self.allowed = before


QUICK_TIER_GUARD = _QuickTierGuard()
if os.environ.get(QUICK_TIER) == "1":
    sys.addaudithook(QUICK_TIER_GUARD.hook)  # for the rest of this worker's life: only in the quick tier


@pytest.fixture(autouse=True)
def _quick_tier_marker(request: pytest.FixtureRequest) -> None:
    QUICK_TIER_GUARD.allowed = request.node.get_closest_marker("build") is not None


ZYGOTE = Zygote()  # this worker's: forks `mkdocs build` from a process that has imported it (tests/zygote.py)


def _run_mkdocs_build(
    repo: Path, site: Path, env_extra: dict[str, str] | None = None, *, new_interpreter: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    args = ["build", "--strict", "-d", str(site)]
    if new_interpreter or not hasattr(os, "fork"):  # Windows (the CI's job without browser) cannot fork
        return subprocess.run([MKDOCS, *args], cwd=repo, capture_output=True, text=True, env=env)
    return ZYGOTE.run("mkdocs", args, argv0=MKDOCS, cwd=repo, env=env)


def pytest_sessionfinish(session: pytest.Session) -> None:
    ZYGOTE.close()


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """Run `make(folder)` once per test run, however many pytest-xdist workers ask, and return the folder.

    The pattern of pytest-xdist's documentation: workers share the parent of their own base temp folder, and
    a file lock lets the first one make the thing while the others wait. A `make` that raises leaves no
    ".done" behind, so the next worker tries again (and fails the same way, with its own traceback)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder = root / name
    with FileLock(str(root / f"{name}.lock")):
        if not (folder / ".done").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            (folder / ".done").touch()
    return folder


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The sample content built by the real `mkdocs build --strict`, once per run for all workers. Read-only."""

    def build(folder: Path) -> None:
        repo = copy_content(folder / "repo")
        # The console script itself, started once: every other build is forked from a zygote (one hash seed per
        # worker), so the golden test's rebuild compares two interpreters.
        with QUICK_TIER_GUARD.allowing():
            proc = _run_mkdocs_build(repo, repo / "site", new_interpreter=True)
        (folder / "build.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
        (folder / "returncode").write_text(str(proc.returncode), encoding="utf-8")

    folder = once_per_run(tmp_path_factory, "sample-site", build)
    log = (folder / "build.log").read_text(encoding="utf-8")
    assert (folder / "returncode").read_text(encoding="utf-8") == "0", log
    return BuiltSite(folder / "repo", folder / "repo" / "site", log)


def small_repo(dest: Path) -> Path:
    """The smallest valid repository: the vocabulary, one tip (that others may link to) and docs/, no
    meetings, signals, learning paths or measurements. For a variant build that needs none of the rest."""
    (dest / "tips/alle").mkdir(parents=True)
    (dest / "meetings/signals").mkdir(parents=True)
    for name in ("tips/taxonomy.yml", "tips/coaches.yml", "tips/alle/wachtwoord-vergeten.md", "mkdocs.yml"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs", dest / "docs")
    return dest


@functools.cache
def _markdown_config() -> tuple[list[str | Extension], dict[str, dict[str, typing.Any]]]:
    """The site's Markdown extensions and their settings, as the engine renders a page (mkdocs.yml plus the
    core's own `site_extensions`)."""
    from kennisbank.site.markdown_ext import site_extensions
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return [*config.markdown_extensions, *site_extensions()], config.mdx_configs


def render_markdown(text: str) -> str:
    """Markdown to HTML with the site's extensions, as the engine does for a page (links are not resolved)."""
    import markdown

    extensions, configs = _markdown_config()
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(text)


@dataclass
class ModelSite:
    """A site made in-process by the core, without MkDocs: what every page and file of the site says."""

    repo: Path
    model: SiteModel

    def page(self, url: str) -> str:
        """A page's own HTML by its site URL (e.g. 'tips/gedeelde-mailbox-toevoegen/', '' for the home page):
        its Markdown rendered with the site's extensions and composed by the core, without the theme."""
        wanted = url.strip("/") + "/" if url.strip("/") else ""
        for uri, page in self.model.pages.items():
            if page.url == wanted:
                if page.markdown is not None:
                    return page.compose(render_markdown(page.markdown))
                own = (self.repo / self.model.settings.docs_dir / uri).read_text(encoding="utf-8")
                return page.compose(render_markdown(own.split("---", 2)[-1] if own.startswith("---") else own))
        raise AssertionError(f"de site heeft geen pagina {url!r}")

    def file(self, path: str) -> bytes:
        """A file that is not a page (search index, feed, agenda export, static file) by its site path."""
        files = self.model.files()
        assert path in files, f"{path} is geen bestand van de site"
        return files[path]


def build_model(repo: Path, today: date = TODAY, site_url: str = "http://127.0.0.1:8000/") -> ModelSite:
    """The site model of `repo` on `today`, as the build makes it; the content must validate."""
    from kennisbank.checks.loader import load_repository
    from kennisbank.knowledge.clock import resolve_stamp
    from kennisbank.site.model import SiteSettings, build_site_model

    result = load_repository(repo, today=today)
    assert not result.errors, [str(p) for p in result.errors]
    settings = SiteSettings(site_url, "Kennisbank digicoaches", resolve_stamp(today, {}))
    return ModelSite(repo, build_site_model(result.repository, today, settings))


@pytest.fixture
def model_site() -> Callable[..., ModelSite]:
    """`model_site(repo, today=TODAY)`: the in-process site of a repository (see `ModelSite`)."""
    return build_model


@pytest.fixture(scope="session")
def sample_model() -> ModelSite:
    """The in-process site of the sample content, shared per worker. Read-only."""
    return build_model(ROOT)


def pdf_pages(pdf: bytes) -> int:
    """Number of pages in a PDF that Chromium printed."""
    import re

    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


CHROMIUM = os.environ.get("KENNISBANK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 (fetch() needs http, not file://); yields the URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(sample_site: BuiltSite) -> Iterator[str]:
    """The sample site served over HTTP on localhost."""
    with serve(sample_site.site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download: executable_path)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium ontbreekt op {CHROMIUM}; 'make test' installeert het (scripts/ensure-test-deps.sh).")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request):
    """A fresh page; on failure a screenshot lands in test-artifacts/."""
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        artifacts = ROOT / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)
    context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that opens Chromium is a browser test (`-m "not browser"` on the Windows runner)."""
    for item in items:
        if {"browser", "page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


# The start of a script run in a fresh interpreter where importing mkdocs or material fails, as on an engine
# without them (tests of the site model and the build session).
NO_ENGINE_PRELUDE = """
import importlib.abc, sys

class NoEngine(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mkdocs", "material"):
            raise ModuleNotFoundError(f"{name} is blocked in this test")
        return None

sys.meta_path.insert(0, NoEngine())
"""
