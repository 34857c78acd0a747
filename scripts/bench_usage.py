"""Benchmark of `kennisbank gebruik import`: a year of access logs of 2,000 colleagues (about 5 million lines,
Apache, nginx and IIS, some gzipped, one rotated file overlapping the next) in a temporary folder, imported on
one core. Prints wall time and peak memory of the import, and the same files merely read line by line in
Python (decompressing the .gz ones) as the baseline measured in the same run.

    .venv/bin/python scripts/bench_usage.py            # the year
    .venv/bin/python scripts/bench_usage.py --lines 500000
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from usage_logs import BOTS, BROWSER, EDGE, Hit, combined_line, iis_lines, write_lines  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KENNISBANK = ROOT / ".venv" / ("Scripts" if os.name == "nt" else "bin") / "kennisbank"
BASE = "/kennisbank/"
WORDS = (
    "wachtwoord vergeten", "afwezigheidsbericht", "teams achtergrond", "printer toevoegen", "mfa nieuwe gsm",
    "excel draaitabel", "pdf samenvoegen", "handtekening outlook", "agenda delen", "onedrive delen",
    "vergadering opnemen", "scherm delen", "verlof aanvragen", "phishing melden", "excel verticaal zoeken",
)  # fmt: skip


def _tips() -> list[str]:
    return sorted(p.stem for p in (ROOT / "tips").glob("*/*.md") if p.parent.name != "leerpaden")


def hits_of_month(year: int, month: int, count: int, rng: random.Random, tips: list[str]) -> list[Hit]:
    """`count` requests spread over the working hours of one month, in time order."""
    start = int(datetime(year, month, 1, tzinfo=UTC).timestamp())
    end = int(datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC).timestamp())
    moments = sorted(rng.randrange(start, end - 7200) for _ in range(count))  # all in the local month
    people = [f"10.20.{n // 250}.{n % 250 + 2}" for n in range(1900)] + [f"2a02:1812:1c3e::{n:x}" for n in range(100)]
    hits = []
    for epoch in moments:
        roll = rng.random()
        client = rng.choice(people)
        agent = EDGE if roll < 0.3 else BROWSER
        status = 200
        if roll < 0.40:
            target = rng.choice(("assets/stylesheets/main.css", "assets/javascripts/bundle.js", "search/tips.json"))
        elif roll < 0.62:
            target = f"tips/{rng.choice(tips)}/"
            status = 304 if roll < 0.45 else 200
        elif roll < 0.72:
            words = rng.choice(WORDS) if rng.random() < 0.8 else f"dossier {rng.randrange(10**6)}"
            target = f"gebruik/zoek.txt?q={words.replace(' ', '+')}&n={rng.randrange(4)}&t=5"
        elif roll < 0.75:
            target = f"gebruik/klik.txt?tip={rng.choice(tips)}&q=x"
        elif roll < 0.77:
            target = f"gebruik/feedback.txt?tip={rng.choice(tips)}&antwoord={rng.choice(('ja', 'nee'))}"
        elif roll < 0.85:
            target = rng.choice(("", "zoeken/", "diensten/burgerzaken/", "opvolging/"))
        elif roll < 0.95:
            target, agent, client = "tips/wachtwoord-vergeten/", rng.choice(BOTS), "10.20.9.9"
        else:
            target, status = "tips/bestaat-niet/", 404
        hits.append(Hit(epoch, client, "GET", BASE + target, status, agent))
    return hits


def generate(folder: Path, total: int, seed: int = 25) -> list[Path]:
    """Twelve months of logs, a third in each format; months 3, 6, 9 and 12 gzipped; March's rotated file also
    holds the first thousand lines of April (overlap)."""
    rng = random.Random(seed)
    tips = _tips()
    files: list[Path] = []
    carry: list[bytes] = []
    for month in range(12, 0, -1):  # backwards, so March can take April's first lines
        hits = hits_of_month(2026, month, total // 12, rng, tips)
        kind = ("apache", "nginx", "iis")[month % 3]
        lines = list(iis_lines(hits, restart_every=50_000)) if kind == "iis" else [
            combined_line(hit, nginx=kind == "nginx") for hit in hits
        ]  # fmt: skip
        if month == 4 and kind != "iis":
            carry = lines[:1000]
        elif month == 3 and kind != "iis":
            lines += carry
        gz = month % 3 == 0
        path = folder / f"{kind}-2026-{month:02d}.log{'.gz' if gz else ''}"
        write_lines(path, lines, compress=gz)
        files.append(path)
    return files


def baseline(files: list[Path]) -> tuple[float, int]:
    """Only reading the lines in Python (plain or gunzipped): the floor for any importer."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from kennisbank.knowledge.usage_log import open_log

    began = time.perf_counter()
    count = 0
    for path in files:
        with open_log(path) as handle:
            for _ in handle:
                count += 1
    return time.perf_counter() - began, count


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def run_import(repo: Path, files: list[Path]) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MiB) of one import in a child process on one core."""
    shutil.rmtree(repo / "tips/gebruik", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    began = time.perf_counter()
    result = subprocess.run(
        [str(KENNISBANK), "gebruik", "import", "--today", "2026-12-31", "--pad", BASE, *map(str, files)],
        cwd=repo, capture_output=True, text=True, preexec_fn=one_core if os.name != "nt" else None,
    )  # fmt: skip
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        sys.exit(f"import failed:\n{result.stdout}{result.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=5_000_000, help="requests in the year (default 5,000,000)")
    args = parser.parse_args()
    one_core()
    with tempfile.TemporaryDirectory(prefix="bench-usage-") as tmp:
        folder = Path(tmp)
        logs = folder / "logs"
        logs.mkdir()
        repo = folder / "repo"
        for part in ("tips", "meetings", "docs"):
            shutil.copytree(ROOT / part, repo / part)
        shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
        began = time.perf_counter()
        files = generate(logs, args.lines)
        size = sum(f.stat().st_size for f in files) / 2**20
        print(f"generated {len(files)} files, {size:.0f} MiB on disk, in {time.perf_counter() - began:.0f} s")
        base_seconds, count = baseline(files)
        print(f"baseline: reading {count:,} lines in Python: {base_seconds:.1f} s")
        month_seconds, month_peak, _ = run_import(repo, files[:1])
        print(f"import of one month ({files[0].name}): {month_seconds:.1f} s, peak RSS {month_peak:.0f} MiB")
        seconds, peak, out = run_import(repo, files)
        print(f"import of the year: {seconds:.1f} s wall on one core, peak RSS {peak:.0f} MiB (children max)")
        print(f"ratio import / baseline: {seconds / base_seconds:.1f}x; goal: under 60 s, flat memory")
        print(out.splitlines()[1] if len(out.splitlines()) > 1 else out)


if __name__ == "__main__":
    main()
