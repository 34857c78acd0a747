"""Edit-loop benchmark: a coach saves a tip while the dev server runs; how long until the page shows it?

Usage: python scripts/bench_edit.py [--tips 1000] [--edits 3]
Starts `mkdocs serve --dirty --no-strict` (as `make serve`) on a generated repository, waits for the first build,
then changes one tip's text and its title `--edits` times each and polls that tip's page over HTTP until the
change is served. Prints each time and the median. The search index is rebuilt beside it: the page is not made to
wait for it, but the next save is made only once the search index has caught up (a coach reads the page
between saves), and that time is printed too. Also the dev server's own peak memory (its process, not the
background processes it forks for the search index): VmHWM from /proc on Linux. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_content import generate  # noqa: E402

MKDOCS = str(Path(sys.executable).with_name("mkdocs"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            text: str = response.read().decode("utf-8")
            return text
    except (OSError, http.client.HTTPException):  # also a file read while the server rewrites it
        return ""


def _wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until `url` serves `text` (polled every 20 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in _fetch(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"{url} toonde '{text}' niet binnen {timeout:.0f} s")


_VERSION = re.compile(r'data-kb-version="([0-9a-f]+)"|"version": ?"([0-9a-f]+)"')


def _version(url: str) -> str | None:
    found = _VERSION.search(_fetch(url))
    return (found.group(1) or found.group(2)) if found else None


def _wait_for_search(base: str, timeout: float) -> float:
    """Seconds until the search index matches the content the search page was built from."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        page = _version(base + "zoeken/")
        if page is not None and page == _version(base + "search/tips.json"):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"de zoekindex was niet bijgewerkt binnen {timeout:.0f} s")


@dataclass(frozen=True)
class EditLoop:
    """What one dev-server session measured."""

    times: dict[str, list[float]]  # seconds per save: "tekst", "titel" (page shown) and "zoekindex"
    server_peak_mib: float | None  # the server process's own peak resident memory (None: not Linux)


def _peak_rss_mib(pid: int) -> float | None:
    """A live process's peak resident memory (VmHWM), in MiB; None where /proc does not say."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def edit_loop(repo: Path, edits: int, timeout: float = 600) -> EditLoop:
    """Seconds from saving a tip to its page showing the change, per edit: a sentence added to the text (the
    usual edit: only the tip's page changes) and a changed title (every page that lists the tip changes);
    and the server's peak memory after the first build and all the saves."""
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [MKDOCS, "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    tips = sorted((repo / "tips").glob("*/*.md"))
    tip = tips[len(tips) // 2]
    original = tip.read_text(encoding="utf-8")
    try:
        base = f"http://127.0.0.1:{port}/"
        url = f"{base}tips/{tip.stem}/"
        title_line = next(line for line in original.splitlines() if line.startswith("title:"))
        _wait_for(url, "<article", timeout)  # the first, full build
        times: dict[str, list[float]] = {"tekst": [], "titel": [], "zoekindex": []}
        # All text edits first: a text edit right after a title edit would also put the old title back, and
        # so be a title change itself.
        for kind in ("tekst", "titel"):
            for n in range(1, edits + 1):
                marker = f"Bewerkt {n} keer {kind}"
                _wait_for_search(base, timeout)
                time.sleep(0.5)  # a distinct modification time
                if kind == "titel":
                    changed = original.replace(title_line, f"title: {marker}", 1)
                else:
                    changed = original.rstrip("\n") + f"\n\n{marker}.\n"
                tip.write_text(changed, encoding="utf-8")
                shown = _wait_for(url, marker, timeout)
                times[kind].append(shown)
                times["zoekindex"].append(shown + _wait_for_search(base, timeout))
        return EditLoop(times, _peak_rss_mib(server.pid))
    finally:
        tip.write_text(original, encoding="utf-8")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="Edit loop of the dev server")
    parser.add_argument("--tips", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-edit-") as tmp:
        loop = edit_loop(generate(Path(tmp) / "kb", args.tips), args.edits)
    for kind, found in loop.times.items():
        shown = ", ".join(f"{t:.2f}" for t in found)
        what = "search index up to date after a save" if kind == "zoekindex" else f"{kind} changed"
        print(f"Edit loop, {args.tips} tips, {what}: {shown} s; median {statistics.median(found):.2f} s")
    if loop.server_peak_mib is not None:
        print(f"Dev server, {args.tips} tips: peak memory of its own process {loop.server_peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
