"""Edit-loop benchmark: a coach saves a tip while the dev server runs; how long until the page shows it?

Usage: python scripts/bench_edit.py [--tips 1000] [--edits 3]
Starts `mkdocs serve --dirty --no-strict` (as `make serve`) on a generated repository, waits for the first build,
then changes one tip's text and its title `--edits` times each and polls that tip's page over HTTP until the
change is served. Prints each time and the median. The search index is rebuilt beside it and is not waited for.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_content import generate  # noqa: E402

MKDOCS = str(Path(sys.executable).with_name("mkdocs"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until `url` serves `text` (polled every 20 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in _fetch(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"{url} toonde '{text}' niet binnen {timeout:.0f} s")


def edit_loop(repo: Path, edits: int, timeout: float = 600) -> dict[str, list[float]]:
    """Seconds from saving a tip to its page showing the change, per edit: a sentence added to the text (the
    usual edit: only the tip's page changes) and a changed title (every page that lists the tip changes)."""
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
        url = f"http://127.0.0.1:{port}/tips/{tip.stem}/"
        title_line = next(line for line in original.splitlines() if line.startswith("title:"))
        _wait_for(url, "<article", timeout)  # the first, full build
        times: dict[str, list[float]] = {"tekst": [], "titel": []}
        for n in range(1, edits + 1):
            for kind in times:
                marker = f"Bewerkt {n} keer {kind}"
                time.sleep(1.0)  # a distinct modification time
                if kind == "titel":
                    changed = original.replace(title_line, f"title: {marker}", 1)
                else:
                    changed = original.rstrip("\n") + f"\n\n{marker}.\n"
                tip.write_text(changed, encoding="utf-8")
                times[kind].append(_wait_for(url, marker, timeout))
        return times
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
        times = edit_loop(generate(Path(tmp) / "kb", args.tips), args.edits)
    for kind, found in times.items():
        shown = ", ".join(f"{t:.2f}" for t in found)
        print(f"Edit loop, {args.tips} tips, {kind} changed: {shown} s; median {statistics.median(found):.2f} s")


if __name__ == "__main__":
    main()
