"""The dev server a coach runs (`make serve`): a saved tip shows at once, and only what it touches is rebuilt."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MKDOCS, ROOT, TODAY, BuiltSite, copy_content, edit, refuse_in_quick_tier, serve

sys.path.insert(0, str(ROOT / "scripts"))
from generate_content import generate  # noqa: E402

TIP = "tips/burgerzaken/gedeelde-mailbox-toevoegen.md"
TIP_URL = "tips/gedeelde-mailbox-toevoegen/"

# The dev server is stopped as a process group (start_new_session, killpg): POSIX only.
pytestmark = [pytest.mark.linux, pytest.mark.build]


@dataclass
class DevServer:
    url: str
    log: Path

    def page(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(self, path: str, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            html = self.page(path)
            if text in html:
                return html
            time.sleep(0.05)
        raise AssertionError(f"{path} toonde '{text}' niet binnen {timeout} s:\n{self.log.read_text()[-3000:]}")

    def wait_for_log(self, text: str, after: int, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[after:]
            if text in tail:
                return tail
            time.sleep(0.05)
        raise AssertionError(f"'{text}' niet in het log binnen {timeout} s:\n{self.log.read_text()[-3000:]}")

    def log_size(self) -> int:
        return len(self.log.read_text(encoding="utf-8", errors="replace"))


@contextlib.contextmanager
def running_dev_server(repo: Path, log_dir: Path) -> Iterator[DevServer]:
    """`mkdocs serve` as `make serve` starts it, with page-level logging (-v) to see what is rebuilt."""
    refuse_in_quick_tier("mkdocs serve")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = log_dir / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [MKDOCS, "serve", "--dirty", "--no-strict", "-v", "-a", f"127.0.0.1:{port}"],
            cwd=repo,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = DevServer(f"http://127.0.0.1:{port}/", log)
    try:
        server.wait_for(TIP_URL, "<article", timeout=120)
        server.wait_for_log("Serving on", 0)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def dev_server(repo: Path, tmp_path: Path) -> Iterator[DevServer]:
    """A dev server of its own on the test's `repo`."""
    with running_dev_server(repo, tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def editing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DevServer, Path]]:
    """One dev server for the saves below, each made on top of the last, as a coach saves one file after
    another (starting a server is a full build). Each test compares with the pages as they were before its
    own save, and waits until the server has finished before the next one saves."""
    repo = copy_content(tmp_path_factory.mktemp("editing") / "repo")
    with running_dev_server(repo, repo.parent) as server:
        yield server, repo


def page_times(server: DevServer) -> dict[str, int]:
    """Modification time of every page the server serves, from its site folder (named in its -v log)."""
    found = re.search(r"Config value 'site_dir' = '([^']+)'", server.log.read_text(encoding="utf-8"))
    assert found, "the -v log names the site folder"
    site = Path(found.group(1))
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("index.html")}


def rewritten(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {page for page, when in after.items() if before.get(page) != when}


def save(path: Path, old: str, new: str) -> None:
    """Edit a file (conftest's `edit`) as a coach's editor saves it (see `_time_moved_on`)."""
    before = path.stat().st_mtime_ns
    edit(path, old, new)
    _time_moved_on(path, before)


def write_saved(path: Path, text: str) -> None:
    """Write a file as a coach's editor saves it (see `_time_moved_on`)."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    _time_moved_on(path, before)


def _time_moved_on(path: Path, before: int) -> None:
    """The watcher and MkDocs see a change by its modification time: where the filesystem's clock is coarser
    than the time since the last save, the time is moved on a second (as a save a second later would),
    instead of every save waiting a second."""
    if path.stat().st_mtime_ns <= before:
        later = before + 1_000_000_000
        os.utime(path, ns=(later, later))


def test_a_saved_text_edit_rebuilds_only_that_tip(editing: tuple[DevServer, Path]) -> None:
    dev_server, repo = editing
    before, start = page_times(dev_server), dev_server.log_size()
    save(
        repo / TIP,
        "tags: [mailbox, delen, dienstmailbox]\n---\n",
        "tags: [mailbox, delen, dienstmailbox]\n---\nBewaar de mailbox als favoriet.\n\n",
    )
    version = re.compile(r'data-kb-version="([0-9a-f]+)"')
    old_version = version.search(dev_server.page("zoeken/"))
    dev_server.wait_for(TIP_URL, "Bewaar de mailbox als favoriet")
    dev_server.wait_for_log("Reloading browsers", start)
    # Only the tip's page, and the search page, which names the content version its index must match.
    assert rewritten(before, page_times(dev_server)) == {TIP_URL + "index.html", "zoeken/index.html"}
    new_version = version.search(dev_server.page("zoeken/"))
    assert old_version and new_version and old_version.group(1) != new_version.group(1)


def test_a_changed_title_reaches_the_pages_that_list_the_tip(editing: tuple[DevServer, Path]) -> None:
    dev_server, repo = editing
    before, start = page_times(dev_server), dev_server.log_size()
    save(repo / TIP, "title: Een gedeelde mailbox toevoegen in Outlook", "title: Gedeelde mailbox openen")
    dev_server.wait_for("diensten/burgerzaken/", "Gedeelde mailbox openen")
    dev_server.wait_for_log("Reloading browsers", start)
    changed = rewritten(before, page_times(dev_server))
    assert {TIP_URL + "index.html", "diensten/burgerzaken/index.html", "tools/outlook/index.html"} <= changed
    # Pages that do not show the tip stay as they were: far fewer than the whole site.
    assert "diensten/bibliotheek/index.html" not in changed and len(changed) < len(before) / 3


def test_a_rebuilt_tip_still_links_to_tips_that_were_not_rebuilt(editing: tuple[DevServer, Path]) -> None:
    dev_server, repo = editing
    # The server hands MkDocs only the pages that changed; links to the others must still resolve.
    before, start = page_times(dev_server), dev_server.log_size()
    save(repo / "tips/financien/draaitabel-maken.md", "Zie ook: [Een lijst", "Lees ook: [Een lijst")
    html = dev_server.wait_for("tips/draaitabel-maken/", "Lees ook:")
    dev_server.wait_for_log("Reloading browsers", start)
    assert re.search(r'href="\.\./excel-lijst-als-tabel/"[^>]*>Een lijst omzetten naar een tabel', html)
    assert "tips/excel-lijst-als-tabel/index.html" not in rewritten(before, page_times(dev_server))
    log = dev_server.log.read_text(encoding="utf-8")[start:]
    assert "WARNING" not in log and "excluded" not in log


def test_a_broken_save_keeps_the_last_good_page_and_names_the_problem(editing: tuple[DevServer, Path]) -> None:
    dev_server, repo = editing
    start = dev_server.log_size()
    save(repo / TIP, "tools: [outlook]", "tools: [outlok]")
    html = dev_server.wait_for(TIP_URL, "Dit bestand bevat fouten")
    assert "onbekende waarde &#39;outlok&#39; voor tool" in html and "Bedoelde je &#39;outlook&#39;?" in html
    assert "In drie klikken zie je de dienstmailbox" in html  # the last good version stays
    assert "De inhoud bevat fouten" in dev_server.page("")
    assert "onbekende waarde 'outlok'" in dev_server.log.read_text(encoding="utf-8")[start:]
    save(repo / TIP, "tools: [outlok]", "tools: [outlook]")
    deadline = time.monotonic() + 60
    while "Dit bestand bevat fouten" in dev_server.page(TIP_URL) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Dit bestand bevat fouten" not in dev_server.page(TIP_URL)
    assert "De inhoud bevat fouten" not in dev_server.page("")


def test_search_page_says_when_its_index_is_behind_the_pages(sample_site: BuiltSite, page, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(sample_site.site, site)
    with serve(site) as url:
        page.goto(url + "zoeken/?q=outlook")
        page.wait_for_selector(".kb-results li")
        assert page.locator(".kb-search__stale").count() == 0
    manifest = site / "search/tips.json"
    manifest.write_text(re.sub(r'"version": ?"[0-9a-f]+"', '"version": "ouder"', manifest.read_text()))
    with serve(site) as url:
        page.goto(url + "zoeken/?q=outlook")
        page.wait_for_selector(".kb-results li")
        assert "zoekindex wordt nog bijgewerkt" in page.locator(".kb-search__stale").inner_text()


@pytest.fixture
def broken_before_start(repo: Path) -> Path:
    edit(repo / TIP, "tools: [outlook]", "tools: [outlok]")
    return repo


def test_a_server_started_on_a_broken_tip_shows_the_problem_and_then_the_fix(
    broken_before_start: Path, dev_server: DevServer
) -> None:
    home = dev_server.wait_for("", "De inhoud bevat fouten")
    assert "outlok" in home and "gedeelde-mailbox-toevoegen.md" in home
    start = dev_server.log_size()
    save(broken_before_start / TIP, "tools: [outlok]", "tools: [outlook]")
    dev_server.wait_for_log("Reloading browsers", start)
    assert "De inhoud bevat fouten" not in dev_server.wait_for(TIP_URL, "<article")
    assert "De inhoud bevat fouten" not in dev_server.page("")


# Plays `mkdocs serve --dirty`'s first build in one process (as MkDocs' serve command calls it) and reports
# the cyclic garbage the build left (found by a collection just before the session's end of the build, while
# the dev server's collector is still paused) against all that the collector found during the build.
FIRST_BUILD = """
import gc, json, sys, tempfile
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from kennisbank.engines.mkdocs_plugin import KennisbankPlugin

collected = []
gc.callbacks.append(lambda phase, info: collected.append(info["collected"]) if phase == "stop" else None)
left = []
post_build = KennisbankPlugin.on_post_build
def count_first(self, *, config):
    left.append(gc.collect())
    post_build(self, config=config)
KennisbankPlugin.on_post_build = count_first
repo = Path(sys.argv[1])
config = load_config(config_file=str(repo / "mkdocs.yml"), site_dir=tempfile.mkdtemp())
config.plugins.on_startup(command="serve", dirty=True)
build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
config.plugins.on_shutdown()
print(json.dumps({"left": left[0], "made": sum(collected)}))
"""


def test_the_first_build_of_the_dev_server_does_not_keep_every_page_s_garbage(tmp_path: Path) -> None:
    # The dev server pauses the garbage collector while it builds; rendering a page leaves garbage (MkDocs'
    # template context with its macros). Kept until the end of the first build, which renders every page,
    # it made the dev server's peak 856 MiB at 10,000 tips (642 MiB without).
    refuse_in_quick_tier("mkdocs serve")
    repo = generate(tmp_path / "gen", 300, seed=3, today=TODAY)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KENNISBANK_TODAY": TODAY.isoformat()}
    proc = subprocess.run(
        [sys.executable, "-c", FIRST_BUILD, str(repo)], cwd=repo, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    garbage = json.loads(proc.stdout.splitlines()[-1])
    assert garbage["made"] > 30_000  # rendering 300 tips does make garbage
    assert garbage["left"] < garbage["made"] / 10, garbage
