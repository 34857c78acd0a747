"""Golden files: the generated part of a few pages, stored next to the tests.

A refactor that changes what a colleague sees shows up here as a diff in review. When a change is meant,
refresh the files with `KENNISBANK_UPDATE_GOLDEN=1 make test` and commit them with the change: every golden
file it rewrites is named in pytest's warnings summary. In CI (CI=true) the update mode fails instead, so a
build can never "update" its way to green.
"""

from __future__ import annotations

import difflib
import os
import warnings
from pathlib import Path

import pytest
from conftest import BuiltSite, mkdocs_build

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("KENNISBANK_UPDATE_GOLDEN") == "1"
OPENER = '<article class="md-content__inner md-typeset">'

# Site path -> golden file. Pages keep only the theme's article (the generated content and the title),
# so a theme upgrade does not touch them; the agenda exports are kept whole.
SNAPSHOTS = {
    "index.html": "home.html",
    "diensten/burgerzaken/index.html": "dienst-burgerzaken.html",
    "tips/gedeelde-mailbox-toevoegen/index.html": "tip-gedeelde-mailbox-toevoegen.html",
    "overleg/2026-11-10/index.html": "overleg-2026-11-10.html",
    "signalen/index.html": "signalen.html",
    "overleg/2026-12-01/agenda.md": "agenda-2026-12-01.md",
    "overleg/2026-12-01/agenda.ics": "agenda-2026-12-01.ics",
}


def snapshot(path: Path) -> str:
    """The part of a built file that the golden file holds."""
    text = path.read_bytes().decode("utf-8")
    if path.suffix != ".html":
        return text.replace("\r\n", "\n")
    title = text[text.index("<title>") : text.index("</title>") + len("</title>")]
    start = text.index(OPENER)
    end = text.rindex("</article>") + len("</article>")
    # Blank lines come and go with the theme's template logic; they never change what a colleague sees.
    lines = [line for line in text[start:end].splitlines() if line.strip()]
    return title + "\n" + "\n".join(lines) + "\n"


def update_golden(golden: Path, actual: str) -> None:
    """The update mode: rewrite a golden file that differs and say so; refused in CI."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("KENNISBANK_UPDATE_GOLDEN=1 staat aan in CI: golden files worden alleen lokaal vernieuwd.")
    if not golden.is_file() or golden.read_bytes() != actual.encode("utf-8"):
        golden.write_bytes(actual.encode("utf-8"))
        warnings.warn(f"golden file vernieuwd: {golden.relative_to(GOLDEN.parent.parent)}", stacklevel=2)


@pytest.mark.parametrize("site_path", SNAPSHOTS)
def test_generated_page_matches_golden_file(sample_site: BuiltSite, site_path: str) -> None:
    actual = snapshot(sample_site.site / site_path)
    golden = GOLDEN / SNAPSHOTS[site_path]
    if UPDATE:
        update_golden(golden, actual)
    assert golden.is_file(), f"{golden} ontbreekt: maak hem met KENNISBANK_UPDATE_GOLDEN=1"
    expected = golden.read_bytes().decode("utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), str(golden), site_path, n=2
            )
        )
        hint = "bedoeld? Vernieuw met KENNISBANK_UPDATE_GOLDEN=1."
        pytest.fail(f"{site_path} wijkt af van {golden.name}; {hint}\n{diff}")


@pytest.mark.build
def test_rebuild_of_the_same_content_is_byte_identical(sample_site: BuiltSite, tmp_path: Path) -> None:
    """Same content, same build date, a later clock: every file the same, so a publish can skip it."""
    again = tmp_path / "site"
    proc = mkdocs_build(sample_site.repo, again)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    first = {p.relative_to(sample_site.site): p for p in sample_site.site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    differing = [str(rel) for rel, path in first.items() if path.read_bytes() != second[rel].read_bytes()]
    assert differing == []


@pytest.mark.build
def test_source_date_epoch_sets_the_stamps(sample_site: BuiltSite, tmp_path: Path) -> None:
    import zipfile

    site = tmp_path / "site"
    proc = mkdocs_build(sample_site.repo, site, SOURCE_DATE_EPOCH="1790000000")  # 2026-09-21 14:13:20 UTC
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "DTSTAMP:20260921T141320Z" in (site / "overleg/reeks.ics").read_text(encoding="utf-8")
    with zipfile.ZipFile(site / "overleg/2026-12-01/agenda.docx") as docx:
        assert {info.date_time for info in docx.infolist()} == {(2026, 9, 21, 14, 13, 20)}
        assert b"2026-09-21T14:13:20Z" in docx.read("docProps/core.xml")
