"""The build date is an input: the same content builds the same site for a given date, on any day."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import MKDOCS, ROOT, TODAY, copy_content, edit, mkdocs_build
from kennisbank.checks.loader import load_repository
from kennisbank.knowledge.clock import resolve_today
from kennisbank.ops.cli import main
from lxml import html as lxml_html

LAST_MEETING = date(2026, 12, 1)


def _shift_meetings(repo: Path, days: int) -> None:
    """Move every meeting (file name and the dates in it) by `days`: the tips stay valid on the build date."""

    def shift(found: re.Match[str]) -> str:
        return (date.fromisoformat(found.group(1)) + timedelta(days=days)).isoformat()

    texts = {path: path.read_text(encoding="utf-8") for path in (repo / "meetings").glob("*.md")}
    for path in texts:
        path.unlink()  # all first: a shifted name may be another meeting's old name
    for path, text in texts.items():
        (path.parent / f"{re.sub(r'^(.*)$', shift, path.stem)}.md").write_text(
            re.sub(r"\b(\d{4}-\d{2}-\d{2})\b", shift, text), encoding="utf-8"
        )


def _home_meeting_text(site: Path) -> str:
    tree = lxml_html.fromstring((site / "index.html").read_text(encoding="utf-8"))
    return " ".join(tree.xpath('string(//section[contains(@class, "kb-home__meeting")])').split())


@pytest.mark.parametrize(
    ("shift", "day", "expected"),
    [
        # Before every meeting: the sample's meetings moved 84 days on, so the first is on 1 December.
        (84, TODAY, "dinsdag 1 december 2026"),
        (0, TODAY, "dinsdag 1 december 2026"),  # between meetings: the last one is still to come
        (0, date(2027, 1, 15), "Er is nog geen volgend overleg gepland"),  # after the last one
    ],
)
def test_site_builds_for_a_date_before_between_and_after_the_meetings(tmp_path, shift, day, expected):
    repo = copy_content(tmp_path / "repo")
    _shift_meetings(repo, shift)
    proc = mkdocs_build(repo, repo / "site", KENNISBANK_TODAY=day.isoformat())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    home = _home_meeting_text(repo / "site")
    assert expected in home
    overview = (repo / "site" / "overleg" / "index.html").read_text(encoding="utf-8")
    past = [m for m in load_repository(repo, today=day).repository.meetings if m.date < day]
    assert len(past) == {84: 0}.get(shift, len(past))
    if day > LAST_MEETING:
        # Nothing planned: the home page points at the last meeting instead of showing nothing.
        assert "Het laatste overleg was op dinsdag 1 december 2026" in home
        assert "Er is nog geen volgend overleg gepland." in overview
    else:
        assert "Het laatste overleg" not in home


def test_plugin_option_sets_the_date_and_the_environment_overrides_it(tmp_path):
    repo = copy_content(tmp_path / "repo")
    edit(repo / "mkdocs.yml", "  - kennisbank\n", "  - kennisbank:\n      today: 2027-01-15\n")
    env = {k: v for k, v in __import__("os").environ.items() if k != "KENNISBANK_TODAY"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run(
        [MKDOCS, "build", "--strict", "-d", str(repo / "site")], cwd=repo, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert "Er is nog geen volgend overleg gepland" in _home_meeting_text(repo / "site")
    proc = mkdocs_build(repo, repo / "site", KENNISBANK_TODAY="2026-11-29")
    assert proc.returncode == 0, proc.stderr
    assert "dinsdag 1 december 2026" in _home_meeting_text(repo / "site")


def test_bad_build_date_is_a_dutch_error_without_traceback(tmp_path):
    repo = copy_content(tmp_path / "repo")
    proc = mkdocs_build(repo, repo / "site", KENNISBANK_TODAY="29-11-2026")
    assert proc.returncode != 0
    assert "KENNISBANK_TODAY: '29-11-2026' is geen datum; schrijf JJJJ-MM-DD" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_today_decides_the_next_meeting_and_future_dates(capsys):
    assert main(["--root", str(ROOT), "--today", "2026-11-29", "agenda", "--format", "md"]) == 0
    assert "1 december 2026" in capsys.readouterr().out
    # The option is also accepted after the command.
    assert main(["--root", str(ROOT), "agenda", "--format", "md", "--today", "2027-01-15"]) == 1
    assert "er is geen komend overleg" in capsys.readouterr().err
    # The sample's newest tip is dated 2026-11-25: two days earlier it lies in the future.
    assert main(["--root", str(ROOT), "--today", "2026-11-23", "validate"]) == 1
    assert "ligt in de toekomst (vandaag is 2026-11-23)" in capsys.readouterr().out


def test_resolve_today_order():
    env = {"KENNISBANK_TODAY": "2026-05-05"}
    assert resolve_today("2026-01-02", "2026-03-04", env) == date(2026, 1, 2)
    assert resolve_today(None, "2026-03-04", env) == date(2026, 5, 5)
    assert resolve_today(None, date(2026, 3, 4), {}) == date(2026, 3, 4)
    assert load_repository(ROOT, today=TODAY).errors == []


def test_no_core_module_reads_the_clock():
    """Only clock.py may ask the system for today's date; everything else receives it."""
    package = ROOT / "plugins" / "kennisbank"
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "clock.py" and re.search(r"date\.today\(\)|datetime\.now\(\)\.date", path.read_text())
    ]
    assert offenders == []
