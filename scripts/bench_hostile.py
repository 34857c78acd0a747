"""Worst-case files against an ordinary tip: how long `kennisbank validate` needs for one hostile file.

Usage: python scripts/bench_hostile.py
Each case is one tip added to a copy of the sample content; the figure is the time of a whole validation
(best of three), next to the same validation with an ordinary tip in its place (baseline).
The budgets (no YAML aliases, depth, node and digit limits, 512 KB per file) keep every ratio near 1.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import VALID_TIP, copy_content  # noqa: E402
from kennisbank.checks.loader import load_repository  # noqa: E402

STEP = "2. Klik op **Nieuw**."
BOMB = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'lol'}]\n" for i in range(10))
CASES = {
    "ordinary tip (baseline)": VALID_TIP,
    "alias bomb, 9 levels": VALID_TIP.replace("tags: [test]\n", "tags: [test]\n" + BOMB),
    "body of 500 KB": VALID_TIP.replace(STEP, ("Een gewone zin met wat woorden. " * 16 + "\n\n") * 980),
    "500 KB on one line": VALID_TIP.replace(STEP, "x" * 500_000),
    "list nested 300 levels": VALID_TIP.replace(STEP, "\n".join("    " * i + "- x" for i in range(300))),
    "50,000 links": VALID_TIP.replace(STEP, "[a](../alle/wachtwoord-vergeten.md) " * 10_000),
    "flow list nested 100,000 deep": VALID_TIP.replace("tags: [test]", "tags: " + "[" * 100_000 + "]" * 100_000),
}


def best_of_three(repo: Path) -> tuple[float, int]:
    timings, errors = [], 0
    for _ in range(3):
        start = time.perf_counter()
        errors = len(load_repository(repo, today=date(2026, 11, 29)).errors)
        timings.append(time.perf_counter() - start)
    return min(timings), errors


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = copy_content(Path(tmp) / "base")
        results = []
        for name, text in CASES.items():
            repo = Path(tmp) / "case"
            shutil.rmtree(repo, ignore_errors=True)
            shutil.copytree(base, repo)
            (repo / "tips/burgerzaken/testtip.md").write_text(text, encoding="utf-8")
            seconds, errors = best_of_three(repo)
            results.append((name, len(text.encode()), seconds, errors))
    baseline = results[0][2]
    print("Validation of the sample content plus one file (best of 3)")
    for name, size, seconds, errors in results:
        print(f"  {name:32} {size / 1024:8.0f} KB {seconds:7.3f} s  x{seconds / baseline:5.2f}  {errors} error(s)")


if __name__ == "__main__":
    main()
