"""Write plugins/kennisbank/checks/sample_fingerprints.json from the sample content (see checks/fingerprints.py).

Usage: .venv/bin/python scripts/make_sample_fingerprints.py

Run it after changing the sample's people, its screenshot or its measurements; tests/test_examples.py fails
while the committed file does not match the sample.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kennisbank.checks.examples import example_images
from kennisbank.checks.fingerprints import FINGERPRINTS_FILE, sample_fingerprints
from kennisbank.checks.loader import load_repository

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    repository = load_repository(ROOT, today=date(2026, 12, 1)).repository
    FINGERPRINTS_FILE.write_text(sample_fingerprints(repository, example_images(repository)).as_json(), "utf-8")
    print(f"geschreven: {FINGERPRINTS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
