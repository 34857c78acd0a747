"""The suite's zygote (tests/zygote.py) gives what starting the console script gives."""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import KENNISBANK, ZYGOTE, edit


@pytest.mark.linux  # a fork: POSIX only (on Windows the suite starts the console script)
def test_a_forked_command_prints_and_exits_as_the_console_script(repo):
    edit(repo / "tips/alle/wachtwoord-vergeten.md", "difficulty: basis", "difficulty: basic")
    env = {**os.environ, "KENNISBANK_TODAY": "2026-11-29"}
    real = subprocess.run([KENNISBANK, "validate"], cwd=repo, env=env, capture_output=True, text=True)
    forked = ZYGOTE.run("kennisbank", ["validate"], argv0=KENNISBANK, cwd=repo, env=env)
    assert real.returncode == 1 and "basic" in real.stderr + real.stdout  # the broken tip was found
    assert (forked.returncode, forked.stdout, forked.stderr) == (real.returncode, real.stdout, real.stderr)
    (repo / "leeg").mkdir()
    empty = str(repo / "leeg")
    elsewhere = ZYGOTE.run("kennisbank", ["--root", empty, "validate"], argv0=KENNISBANK, cwd=repo, env=env)
    assert elsewhere.returncode == 1 and "tips/taxonomy.yml:1:1: bestand: dit bestand ontbreekt" in elsewhere.stdout
