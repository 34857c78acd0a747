"""Build benchmark: the kennisbank plugin against plain mkdocs-material on the same generated tips.

Usage: python scripts/bench_build.py [--tips 1000] [--repeat 3]

(a) baseline: mkdocs-material with `search` + `tags` and the project's own theme settings and Markdown
    extensions, the same Markdown files in docs/, tips not in the nav (as the plugin does; a nav listing every
    tip is quadratic, see the design notes);
(b) the kennisbank plugin on the same tips, with its index pages, feeds and validation.
Each build runs in its own process; wall time, CPU time and that process's peak RSS are measured, the two
variants in turn, and the ratio b/a of the best runs is printed. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_content import generate  # noqa: E402

MKDOCS = str(Path(sys.executable).with_name("mkdocs"))


def baseline_config(repo: Path) -> str:
    """The project's own mkdocs.yml (theme, features, Markdown extensions) with Material's search and tags
    plugins instead of ours: what a build of the same pages costs without the kennisbank plugin."""
    config = yaml.safe_load(
        (repo / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV [KENNISBANK_SITE_URL, ", "[")
    )
    config["site_url"] = "http://127.0.0.1:8000/"
    config["plugins"] = [{"search": {"lang": "nl"}}, "tags"]
    config["not_in_nav"] = "/tips/**\n"
    config["nav"] = ["index.md"]
    config.pop("exclude_docs", None)
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_rss_mib: float  # the largest process of the build
    site_mib: float
    indexer_mib: float | None = None  # the kennisbank plugin's forked indexer, from its log line
    own_mib: float | None = None  # the kennisbank build process without its indexer, from its log line
    indexer_own_mib: float | None = None  # the indexer's memory not shared with the build (an upper bound)
    # user + system CPU seconds of the build and the processes it waited for (its indexer): less disturbed by
    # other work on the machine than wall time, so a comparison on a busy machine can use it.
    cpu_seconds: float = 0.0


def _dir_size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure(project: Path) -> Measurement:
    """Run `mkdocs build` once in `project`; wall time and the build process's own peak RSS."""
    site = project / "site"
    shutil.rmtree(site, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [MKDOCS, "build", "-d", str(site)],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    log = proc.stderr.read().decode() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed in {project}:\n{log}")
    indexer = re.search(r"naast de pagina's, piek (\d+) MiB", log)
    own = re.search(r"Bouw zelf: piek (\d+) MiB", log)
    indexer_own = re.search(r"eigen geheugen ten hoogste (-?\d+) MiB", log)
    return Measurement(
        seconds,
        usage.ru_maxrss / 1024,
        _dir_size_mib(site),
        float(indexer.group(1)) if indexer else None,
        float(own.group(1)) if own else None,
        float(indexer_own.group(1)) if indexer_own else None,
        usage.ru_utime + usage.ru_stime,
    )


def baseline_project(repo: Path, dest: Path) -> Path:
    """The same tip Markdown as a plain Material project: docs/tips/<dept>/<slug>.md."""
    (dest / "docs").mkdir(parents=True)
    shutil.copytree(repo / "tips", dest / "docs" / "tips", ignore=shutil.ignore_patterns("*.yml"))
    (dest / "docs" / "index.md").write_text("# Baseline\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(baseline_config(repo), encoding="utf-8")
    return dest


def median(runs: list[Measurement]) -> Measurement:
    return Measurement(
        statistics.median(r.seconds for r in runs),
        max(r.peak_rss_mib for r in runs),
        runs[-1].site_mib,
        max((r.indexer_mib for r in runs if r.indexer_mib is not None), default=None),
        max((r.own_mib for r in runs if r.own_mib is not None), default=None),
        max((r.indexer_own_mib for r in runs if r.indexer_own_mib is not None), default=None),
        statistics.median(r.cpu_seconds for r in runs),
    )


def best(runs: list[Measurement]) -> Measurement:
    """The fastest run (wall time), with the largest peak memory and the least CPU time of all runs."""
    fastest = min(runs, key=lambda r: r.seconds)
    return Measurement(
        fastest.seconds,
        max(r.peak_rss_mib for r in runs),
        fastest.site_mib,
        max((r.indexer_mib for r in runs if r.indexer_mib is not None), default=None),
        max((r.own_mib for r in runs if r.own_mib is not None), default=None),
        max((r.indexer_own_mib for r in runs if r.indexer_own_mib is not None), default=None),
        min(r.cpu_seconds for r in runs),
    )


def interleaved(baseline: Path, repo: Path, runs: int) -> tuple[Measurement, Measurement]:
    """Best of `runs` builds of each, in turn (baseline, kennisbank, baseline, …): a machine that gets
    slower or faster during the measurement affects both alike."""
    a: list[Measurement] = []
    b: list[Measurement] = []
    for _ in range(runs):
        a.append(measure(baseline))
        b.append(measure(repo))
    return best(a), best(b)


def main() -> None:
    parser = argparse.ArgumentParser(description="Build benchmark: kennisbank plugin vs plain mkdocs-material")
    parser.add_argument("--tips", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="builds per variant, in turn; the best is used")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        repo = generate(Path(tmp) / "kennisbank", args.tips)
        baseline = baseline_project(repo, Path(tmp) / "baseline")
        a, b = interleaved(baseline, repo, args.repeat)

    print(f"Build benchmark, {args.tips} tips, {os.cpu_count()} cores, best of {args.repeat} run(s) each, in turn")
    print(f"{'variant':<44} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13} {'site MiB':>9}")
    for name, m in (("(a) mkdocs-material + search + tags", a), ("(b) kennisbank plugin", b)):
        print(f"{name:<44} {m.seconds:>8.2f} {m.cpu_seconds:>8.2f} {m.peak_rss_mib:>13.0f} {m.site_mib:>9.1f}")
    print(
        f"ratio b/a: time {b.seconds / a.seconds:.2f}, CPU time {b.cpu_seconds / a.cpu_seconds:.2f}, "
        f"peak memory {b.peak_rss_mib / a.peak_rss_mib:.2f}"
    )
    if b.own_mib is not None and b.indexer_mib is not None:
        own = f", of which at most {b.indexer_own_mib:.0f} MiB its own" if b.indexer_own_mib is not None else ""
        print(f"(b) peak memory: build process {b.own_mib:.0f} MiB; indexer process {b.indexer_mib:.0f} MiB{own}")


if __name__ == "__main__":
    main()
