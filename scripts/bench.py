"""`make bench`: the performance report. Every figure is measured in this run, next to its baseline.

Usage: python scripts/bench.py [--quick] [--tips 1000 10000] [--repeat 3]
For each size, one generated repository is built by plain mkdocs-material (search + tags, the project's theme
settings and Markdown extensions, flat) and by the kennisbank plugin, in turn, `--repeat` times each; the best
run of each gives the ratio (wall time, and CPU time, which other work on the machine disturbs less). Then its
search is measured in headless Chromium, validation is compared with the bare python-frontmatter parse, and
the dev server's edit loop and its own peak memory are measured (bench_edit.py). Goals (issue 26): build at
most 1.10x plain Material at 1,000 and 10,000 tips, a save shown within 1 s at 1,000 and 3 s at 10,000
tips, the dev server at most 1 GB at 10,000 tips. Quote figures from an idle machine only. `--quick`: 1,000
tips only. Takes about 40 minutes with 10,000 tips; not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import baseline_project, interleaved  # noqa: E402
from bench_edit import edit_loop  # noqa: E402
from bench_search import ARGS, CHROMIUM, index_size, lunr_sizes, search_in_browser, serve  # noqa: E402
from bench_validate import best_of  # noqa: E402
from generate_content import generate  # noqa: E402

if TYPE_CHECKING:  # playwright is imported where the browser is started
    from playwright.sync_api import Browser


def run_size(browser: Browser, tips: int, repeat: int) -> list[tuple[str, str, str, str]]:
    import frontmatter
    from kennisbank.checks.loader import load_repository

    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        repo = generate(Path(tmp) / "kb", tips)
        baseline = baseline_project(repo, Path(tmp) / "baseline")
        a, b = interleaved(baseline, repo, repeat)
        departments = sorted(p.name for p in (repo / "tips").iterdir() if p.is_dir())
        lunr = lunr_sizes(baseline / "site", departments)
        with serve(repo / "site") as url:
            search = search_in_browser(browser, url)
        index_kib = index_size(repo / "site") / 1024
        paths = sorted((repo / "tips").glob("*/*.md"))
        floor = best_of(3, lambda: [frontmatter.load(str(p)) for p in paths])
        ours = best_of(3, lambda: load_repository(repo, today=date.today()))
        loop = edit_loop(repo, 3)
    edits = loop.times
    n = f"{tips:,}"
    server = f"{loop.server_peak_mib:.0f} MiB" if loop.server_peak_mib is not None else "(not measured: no /proc)"
    return [
        (
            n,
            "build: mkdocs-material + search + tags (a)",
            f"{a.seconds:.1f} s, {a.peak_rss_mib:.0f} MiB",
            f"site {a.site_mib:.0f} MiB",
        ),
        (
            n,
            "build: kennisbank plugin incl. search index (b)",
            f"{b.seconds:.1f} s, {b.peak_rss_mib:.0f} MiB",
            f"b/a time {b.seconds / a.seconds:.2f} (goal <= 1.10), memory {b.peak_rss_mib / a.peak_rss_mib:.2f}",
        ),
        (
            n,
            "build CPU time (user + system, indexer included): a / b",
            f"{a.cpu_seconds:.1f} / {b.cpu_seconds:.1f} s",
            f"b/a CPU time {b.cpu_seconds / a.cpu_seconds:.2f}",
        ),
        (
            n,
            "peak memory: build process / its indexer process",
            f"{b.own_mib or 0:.0f} / {b.indexer_mib or 0:.0f} MiB",
            f"indexer's own (not shared with the build): at most {b.indexer_own_mib or 0:.0f} MiB",
        ),
        (
            n,
            "edit loop (make serve): text / title changed",
            f"{statistics.median(edits['tekst']):.2f} / {statistics.median(edits['titel']):.2f} s",
            f"median of 3 saves each, until the tip page shows it (goal <= {1 if tips <= 1000 else 3} s)",
        ),
        (n, "dev server's own peak memory (make serve)", server, "after its first build and 6 saves (goal <= 1 GB)"),
        (
            n,
            "edit loop: search index up to date",
            f"{statistics.median(edits['zoekindex']):.2f} s",
            "median after a save; the search page says so meanwhile",
        ),
        (n, "validate vs python-frontmatter parse", f"{ours:.2f} s vs {floor:.2f} s", f"ratio {ours / floor:.2f}"),
        (
            n,
            "search index on disk: kennisbank / lunr",
            f"{index_kib:.0f} / {lunr['global'] / 1024:.0f} KiB",
            f"lunr per department max {lunr['department_max'] / 1024:.0f} KiB",
        ),
        (
            n,
            "fetched for the 1st query (/zoeken/)",
            f"{search['first_bytes'] / 1024:.0f} KiB",
            f"{search['first_bytes'] / lunr['global']:.2f} x global lunr index",
        ),
        (
            n,
            "time to first results (cold / warm)",
            f"{search['first_ms']:.0f} / {search['warm_ms']:.0f} ms",
            "cold includes loading the engine",
        ),
    ]


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description="Performance report of the kennisbank")
    parser.add_argument("--tips", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="builds per variant, in turn; the best is used")
    parser.add_argument("--quick", action="store_true", help="1,000 tips only")
    args = parser.parse_args()
    if args.quick:
        args.tips = [1000]
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for tips in args.tips:
            rows += run_size(browser, tips, args.repeat)
        browser.close()
    widths = [max(len(r[i]) for r in rows + [("tips", "measure", "result", "against baseline")]) for i in range(4)]
    print(f"Performance report ({os.cpu_count()} cores, best of {args.repeat} build(s) per variant, in turn)")
    header = ("tips", "measure", "result", "against baseline")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
