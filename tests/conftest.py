"""Shared fixtures: a temporary copy of the repository content that tests may break freely."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

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

    def page(self, url: str) -> str:
        """HTML of a page by its site URL, e.g. 'tips/gedeelde-mailbox-toevoegen/'."""
        path = self.site / url.strip("/")
        if not url.endswith(".html") and not path.suffix:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def mkdocs_build(repo: Path, site: Path, **env_extra: str) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build --strict` on a repository copy."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env_extra}
    return subprocess.run(
        [MKDOCS, "build", "--strict", "-d", str(site)], cwd=repo, capture_output=True, text=True, env=env
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    repo = copy_content(tmp_path_factory.mktemp("sample") / "repo")
    site = repo / "site"
    proc = mkdocs_build(repo, site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return BuiltSite(repo, site, proc.stdout + proc.stderr)


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
