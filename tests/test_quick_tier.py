"""`make test-snel` refuses a test that starts a site engine without the `build` marker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SOURCE = """
import subprocess

import pytest
from conftest import MKDOCS


{marker}
def test_starts_mkdocs_itself(tmp_path):
    proc = subprocess.run([MKDOCS, "build", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
"""


def run_quick_tier(tmp_path: Path, marker: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_nieuw.py").write_text(SOURCE.format(marker=marker), encoding="utf-8")
    env = {**os.environ, "KENNISBANK_TEST_SNEL": "1", "PYTHONPATH": str(ROOT / "tests")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider", "-p", "no:xdist",
         "--rootdir", str(tmp_path), str(tmp_path / "test_nieuw.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_an_unmarked_test_that_starts_mkdocs_itself_is_refused(tmp_path: Path) -> None:
    refused = run_quick_tier(tmp_path, "")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "deze test start 'mkdocs build --help' maar is niet gemarkeerd met @pytest.mark.build" in refused.stdout
    marked = run_quick_tier(tmp_path, "@pytest.mark.build")
    assert marked.returncode == 0 and "1 passed" in marked.stdout, marked.stdout + marked.stderr
