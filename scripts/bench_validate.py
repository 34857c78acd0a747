"""Validation benchmark: `kennisbank validate`'s loader against the bare parse floor on the same files.

Usage: python scripts/bench_validate.py [--tips 10000]
Floor: python-frontmatter reading every tip (YAML + body split, no checks). Ours: load_repository, which
also builds positions for error messages, validates every model, vocabulary, links and cross-file rules.
Both run in this process after one warm-up read of the files (OS cache), best of three.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import frontmatter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_content import generate  # noqa: E402
from kennisbank.checks.loader import load_repository  # noqa: E402


def best_of(runs: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def measure(tips: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory(prefix="kb-validate-") as tmp:
        repo = generate(Path(tmp) / "kb", tips)
        paths = sorted((repo / "tips").glob("*/*.md"))
        for path in paths:
            path.read_bytes()
        floor = best_of(3, lambda: [frontmatter.load(str(p)) for p in paths])
        result_box = []
        ours = best_of(3, lambda: result_box.append(load_repository(repo, today=date.today())))
        errors = len(result_box[-1].errors)
    return floor, ours, errors


def main() -> None:
    parser = argparse.ArgumentParser(description="Validation benchmark against python-frontmatter")
    parser.add_argument("--tips", type=int, default=10000)
    args = parser.parse_args()
    floor, ours, errors = measure(args.tips)
    print(f"Validation benchmark, {args.tips} tips (best of 3)")
    print(f"  python-frontmatter parse only (floor)   {floor:7.2f} s")
    print(f"  kennisbank validate (load_repository)   {ours:7.2f} s   ({errors} errors)")
    print(f"  ratio validate / floor                  {ours / floor:7.2f}")


if __name__ == "__main__":
    main()
