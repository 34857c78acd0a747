"""Search benchmark: the site's search (query planner over its own index) against Material's lunr search.

Usage: python scripts/bench_search.py [--tips 1000 10000] [--relevance]

For each size, in Chromium on the search page (/zoeken/): index size on disk, time from a query to the
first results on screen (cold: the first query, including loading the engine; warm: the median of the
next ones) and the bytes fetched for the first query and per later query. The lunr baseline is Material's
`search` plugin over the same Markdown: its one index file, and what a per-department index would weigh.
--relevance also runs the query sets of tests/search_eval/ against both engines on the sample content.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import shutil
import statistics
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import baseline_project, measure  # noqa: E402
from generate_content import ROOT, generate  # noqa: E402

if TYPE_CHECKING:  # playwright is imported where a browser is started
    from playwright.sync_api import Browser, Page, Response

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# Time from the query to the first results on screen; the first call also waits for the engine to load.
TIMED_QUERY = """async (q) => {
  const s = document.querySelector('[data-kb-search]').kbSearch;
  const t = performance.now(); await s.ready; s.input.value = q; s.run(); await s.settled();
  return s.firstResultsAt - t;
}"""
# Phrased as colleagues ask: questions, a stray word, a typo, a split compound.
QUERIES = [
    "hoe stel ik een afwezigheidsbericht in",
    "wachtwoord vergeten",
    "gedeelde mailbox toevoegen in outlook",
    "teams meldingen uitzetten",
    "draaitabl maken",
    "twee staps verificatie nieuwe gsm",
    "sjabloon voor een brief",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    # Keep-alive without Nagle's delay, as an intranet web server (nginx: tcp_nodelay) serves files;
    # HTTP/1.0 would open a connection per file.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def search_in_browser(browser: Browser, url: str) -> dict[str, float]:
    """Time to the first results and bytes fetched, for the first (cold) and later (warm) queries."""
    page = browser.new_page()
    fetched: list[int] = []

    def on_response(response: Response) -> None:
        if "/search/" in response.url:
            # The page may close while a prefetch is still running.
            with contextlib.suppress(Exception):
                fetched.append(len(response.body()))

    page.on("response", on_response)
    page.goto(f"{url}zoeken/")
    first_ms = page.evaluate(TIMED_QUERY, QUERIES[0])
    first_bytes = sum(fetched)
    warm, warm_bytes = [], []
    for query in QUERIES[1:]:
        fetched.clear()
        warm.append(page.evaluate(TIMED_QUERY, query))
        warm_bytes.append(sum(fetched))
    repeat = page.evaluate(TIMED_QUERY, QUERIES[0])
    page.close()
    return {
        "first_bytes": first_bytes,
        "first_ms": first_ms,
        "warm_ms": statistics.median(warm),
        "warm_bytes": statistics.median(warm_bytes),
        "repeat_ms": repeat,
    }


def index_size(site: Path) -> int:
    """The search index on disk: term shards, manifest, tip records and word list (not the lexicon)."""
    return dir_bytes(site / "search") - dir_bytes(site / "search" / "nl")


def lunr_sizes(site: Path, departments: list[str]) -> dict[str, int]:
    """Material's whole-site lunr index, and the largest per-department index it would split into."""
    index_file = site / "search" / "search_index.json"
    data = json.loads(index_file.read_text(encoding="utf-8"))
    per_department = []
    for department in departments:
        docs = [d for d in data["docs"] if d["location"].startswith(f"tips/{department}/")]
        per_department.append(len(json.dumps({"config": data["config"], "docs": docs}).encode()))
    return {"global": index_file.stat().st_size, "department_max": max(per_department)}


def size_run(browser: Browser, tips: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kb-search-") as tmp:
        repo = generate(Path(tmp) / "kb", tips)
        build = measure(repo)
        baseline = baseline_project(repo, Path(tmp) / "baseline")
        measure(baseline)
        departments = sorted(p.name for p in (repo / "tips").iterdir() if p.is_dir())
        lunr = lunr_sizes(baseline / "site", departments)
        with serve(repo / "site") as url:
            browser_figures = search_in_browser(browser, url)
        index_bytes = index_size(repo / "site")
        words_bytes = (repo / "site" / "search" / "woorden.json").stat().st_size
    kib = 1024
    print(f"\n{tips} tips (plugin build {build.seconds:.1f} s incl. search index)")
    print(f"  search index on disk (all files)  {index_bytes / kib:10.0f} KiB")
    print(f"  lunr search_index.json (global)   {lunr['global'] / kib:10.0f} KiB")
    print(f"  lunr per-department index (max)   {lunr['department_max'] / kib:10.0f} KiB")
    print(f"  search/woorden.json (site words)  {words_bytes / kib:10.0f} KiB")
    print(
        f"  fetched for the 1st query         {browser_figures['first_bytes'] / kib:10.0f} KiB"
        f"  = {browser_figures['first_bytes'] / lunr['global']:.2f} x global lunr index"
    )
    print(f"  fetched per later query (median)  {browser_figures['warm_bytes'] / kib:10.0f} KiB")
    print(f"  1st query (cold, incl. loading)   {browser_figures['first_ms']:10.0f} ms")
    print(f"  next queries (warm, median)       {browser_figures['warm_ms']:10.0f} ms")
    print(f"  1st query repeated (cached)       {browser_figures['repeat_ms']:10.0f} ms")


def material_results(page: Page, url: str, query: str) -> list[str]:
    page.goto(url)
    page.keyboard.press("/")
    page.fill(".md-search__input", query)
    try:
        page.wait_for_selector(".md-search-result__item", timeout=4000)
    except Exception:  # noqa: BLE001 - no results is a valid outcome
        return []
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")
    return [h.split("#")[0].rstrip("/").split("/")[-1] for h in hrefs]


def relevance(browser: Browser) -> None:
    sets = {
        name: yaml.safe_load((ROOT / f"tests/search_eval/{name}.yml").read_text(encoding="utf-8"))
        for name in ("afstemming", "achtergehouden", "eigen")
    }
    cases = [case for cases in sets.values() for case in cases]
    with tempfile.TemporaryDirectory(prefix="kb-rel-") as tmp:
        repo = Path(tmp) / "kb"
        for name in ("tips", "meetings", "docs", "mkdocs.yml"):
            src = ROOT / name
            shutil.copytree(src, repo / name) if src.is_dir() else shutil.copy2(src, repo / name)
        measure(repo)
        baseline = baseline_project(repo, Path(tmp) / "baseline")
        measure(baseline)
        scores = {}
        with serve(repo / "site") as url:
            page = browser.new_page()
            page.goto(url + "zoeken/")
            results = [
                page.evaluate(
                    """async (q) => { const s = document.querySelector('[data-kb-search]').kbSearch;
                await s.ready; s.input.value = q; s.run(); await s.settled();
                return [...s.results.querySelectorAll('.kb-result')].map(l => l.dataset.url); }""",
                    c["query"],
                )
                for c in cases
            ]
            scores["kennisbank (own index + planner)"] = [[u.rstrip("/").split("/")[-1] for u in r] for r in results]
        with serve(baseline / "site") as url:
            page = browser.new_page()
            scores["Material lunr (lang nl)"] = [material_results(page, url, c["query"]) for c in cases]
    for engine, results in scores.items():
        print(f"\n{engine}")
        start = 0
        for name, part in sets.items():
            mine = list(zip(results[start : start + len(part)], part, strict=True))
            start += len(part)
            n = len(part)
            first = sum(bool(r) and r[0] == c["expect"] for r, c in mine)
            top3 = sum(c["expect"] in r[:3] for r, c in mine)
            empty = sum(not r for r, _ in mine)
            print(
                f"  {name:<15} first {first}/{n} ({first / n:.0%}), top 3 {top3}/{n} ({top3 / n:.0%}), "
                f"no result {empty}/{n} ({empty / n:.0%})"
            )


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description="Search benchmark: kennisbank search vs lunr")
    parser.add_argument("--tips", type=int, nargs="*", default=[1000])
    parser.add_argument("--relevance", action="store_true")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for tips in args.tips:
            size_run(browser, tips)
        if args.relevance:
            relevance(browser)
        browser.close()


if __name__ == "__main__":
    main()
