"""Signals and follow-up for ICT and HR: rules on fixture data, the pages, and `kennisbank report`."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import TODAY, write_tip
from kennisbank.checks.loader import load_repository
from kennisbank.knowledge.directory import coach_directory
from kennisbank.knowledge.followup import coverage, is_long_open, open_signals_by_status, stale_tips, theme_counts
from kennisbank.ops.cli import main
from lxml import html as lxml_html


def _coverage(repository):
    return coverage(repository, coach_directory(repository))


def signal(repo: Path, slug: str, **fields: str) -> None:
    front = {
        "title": f"Signaal {slug}",
        "theme": "proces",
        "departments": "[ict]",
        "raised_by": "an-peeters",
        "raised_on": "2026-11-01",
        "status": "nieuw",
        **fields,
    }
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\nWat we zien.\n"
    (repo / "meetings/signals" / f"{slug}.md").write_text(text, encoding="utf-8")


@pytest.fixture
def fixture_repo(repo: Path) -> Path:
    shutil.rmtree(repo / "meetings/signals")
    (repo / "meetings/signals").mkdir()
    signal(repo, "net-42-dagen", raised_on=(TODAY - timedelta(days=42)).isoformat())
    signal(
        repo,
        "al-43-dagen",
        raised_on=(TODAY - timedelta(days=43)).isoformat(),
        status="doorgegeven",
        forwarded_to="ict",
        theme="tool",
    )
    signal(
        repo,
        "in-behandeling",
        status="in-behandeling",
        theme="tool",
        departments="[burgerzaken]",
        municipalities="[veurne]",
    )
    signal(repo, "opgelost", raised_on="2026-06-01", status="opgelost", resolved_on="2026-07-01", theme="competentie")
    signal(repo, "gevaarlijk", title='"Tom & Jerry [klik](javascript:alert(1)) <3"', theme="competentie")
    for tip in (repo / "tips").glob("*/*.md"):
        tip.unlink()
    write_tip(repo, "tips/burgerzaken/vers.md", replace={"date: 2026-10-14": f"date: {TODAY - timedelta(days=365)}"})
    write_tip(
        repo,
        "tips/burgerzaken/oud.md",
        replace={
            "date: 2026-10-14": f"date: {TODAY - timedelta(days=366)}",
            "title: Een testtip": "title: Een oude testtip",
        },
    )
    result = load_repository(repo, today=TODAY)
    assert [p for p in result.errors] == []
    return repo


def test_open_signals_grouped_by_status_then_theme(fixture_repo):
    repository = load_repository(fixture_repo, today=TODAY).repository
    groups = {
        g.status: [(theme, [s.slug for s in signals]) for theme, signals in g.themes]
        for g in open_signals_by_status(repository)
    }
    assert groups == {
        "nieuw": [("competentie", ["gevaarlijk"]), ("proces", ["net-42-dagen"])],
        "doorgegeven": [("tool", ["al-43-dagen"])],
        "in-behandeling": [("tool", ["in-behandeling"])],
    }
    assert theme_counts(repository)[:3] == (("competentie", 1, 1), ("proces", 1, 0), ("tool", 2, 0))


def test_42_day_rule(fixture_repo):
    signals = {s.slug: s for s in load_repository(fixture_repo, today=TODAY).repository.signals}
    assert is_long_open(signals["al-43-dagen"], TODAY)
    assert not is_long_open(signals["net-42-dagen"], TODAY)
    assert not is_long_open(signals["opgelost"], TODAY)


def test_stale_rule(fixture_repo):
    repository = load_repository(fixture_repo, today=TODAY).repository
    assert [t.slug for t in stale_tips(repository, TODAY)] == ["oud"]


def test_coverage_marks_departments_without_coach(fixture_repo):
    rows = {(r.department, r.municipality): r for r in _coverage(load_repository(fixture_repo, today=TODAY).repository)}
    koksijde = rows[("burgerzaken", "koksijde")]
    assert [c.id for c in koksijde.coaches] == ["sofie-claeys"] and koksijde.tips == 2
    assert not koksijde.needs_attention
    depanne = rows[("burgerzaken", "de-panne")]
    assert depanne.coaches == () and depanne.needs_attention
    assert rows[("burgerzaken", "veurne")].open_signals == 1 and depanne.open_signals == 0
    # Kinderopvang's only coach is inactive: no coach there.
    assert rows[("kinderopvang", "koksijde")].coaches == ()
    assert ("onderwijs", "de-panne") not in rows  # the department does not exist there


def report(repo: Path, capsys, *args: str) -> str:
    assert main(["--root", str(repo), "report", *args, "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    if "csv" in args:  # Excel reads a CSV as UTF-8 only after a byte-order mark
        assert out.startswith("\ufeff")
    # The fixture has example content: its reports start with the notice (first row, first line).
    notice = "Voorbeeldinhoud: deze personen en cijfers zijn verzonnen."
    out = out.removeprefix("\ufeff")
    assert out.startswith((notice + "\r\n", f"**{notice}**\n\n")), out[:80]
    return out.split("\n", 1)[1].lstrip("\n") if "csv" in args else out


def test_csv_reports_are_readable_by_the_csv_module(fixture_repo, capsys):
    rows = list(csv.DictReader(io.StringIO(report(fixture_repo, capsys, "signals", "--format", "csv")), delimiter=";"))
    by_title = {r["signaal"]: r for r in rows}
    assert by_title["Signaal al-43-dagen"]["langer dan 42 dagen"] == "ja"
    assert by_title["Signaal net-42-dagen"]["langer dan 42 dagen"] == "nee"
    assert by_title["Tom & Jerry [klik](javascript:alert(1)) <3"]["thema"] == "Competentie"
    stale = list(csv.DictReader(io.StringIO(report(fixture_repo, capsys, "stale", "--format", "csv")), delimiter=";"))
    assert [r["bestand"] for r in stale] == ["tips/burgerzaken/oud.md"]
    assert stale[0]["e-mail digicoach"] == "sofie.claeys@koksijde.be"
    cov = list(csv.DictReader(io.StringIO(report(fixture_repo, capsys, "coverage", "--format", "csv")), delimiter=";"))
    assert {
        "dienst": "Burgerzaken",
        "gemeente": "De Panne",
        "digicoach": "geen",
        "opvolging nodig": "ja",
    }.items() <= next(r for r in cov if r["dienst"] == "Burgerzaken" and r["gemeente"] == "De Panne").items()


def test_markdown_report_escapes_content(fixture_repo, capsys):
    text = report(fixture_repo, capsys, "signals")
    assert "\\[klik\\](javascript:alert(1)) \\<3" in text and "[klik](javascript" not in text


def test_signal_pages_and_overview(sample_site):
    repository = load_repository(sample_site.repo, today=TODAY).repository
    overview = lxml_html.fromstring(sample_site.page("signalen/"))
    listed = {a.get("href").rstrip("/").split("/")[-1] for a in overview.xpath("//li[@data-kb-signal]/a")}
    assert listed == {s.slug for s in repository.signals}
    long_open = {li.xpath("./a")[0].text_content() for li in overview.xpath('//li[contains(@class, "long-open")]')}
    expected = {s.title for s in repository.signals if is_long_open(s, TODAY)}
    assert long_open == expected and expected
    assert overview.xpath("//select[@data-kb-filter='departments']") and overview.xpath("//svg")
    for s in repository.signals:
        page = lxml_html.fromstring(sample_site.page(f"signalen/{s.slug}/"))
        related = {
            a.get("href").rstrip("/").split("/")[-1]
            for a in page.xpath('//section[contains(@class, "kb-related-tips")]//a[contains(@class, "kb-card__title")]')
        }
        assert related == set(s.related_tips)
        for slug in s.related_tips:  # and back from the tip
            tip_page = sample_site.page(f"tips/{slug}/")
            assert f"signalen/{s.slug}/" in tip_page


def test_followup_page_shows_coverage_stale_and_actions(sample_site):
    repository = load_repository(sample_site.repo, today=TODAY).repository
    page = lxml_html.fromstring(sample_site.page("opvolging/"))
    rows = page.xpath('//table[contains(@class, "kb-coverage")]/tbody/tr')
    assert len(rows) == len(_coverage(repository))
    flagged = {(r.get("data-department"), r.get("data-municipality")) for r in rows if "kb-attention" in r.get("class")}
    assert flagged == {(r.department, r.municipality) for r in _coverage(repository) if r.needs_attention}
    stale_titles = [a.text_content() for a in page.xpath('//table[contains(@class, "kb-stale-tips")]//a')]
    assert stale_titles == [t.title for t in stale_tips(repository, TODAY)]
    assert page.xpath('//table[contains(@class, "kb-open-actions")]//tr[contains(@class, "kb-overdue")]')
    assert len(page.xpath("//svg[@role='img']")) == 2


def test_signal_filter_in_the_browser(site_url, page):
    page.goto(site_url + "signalen/")
    page.select_option("select[data-kb-filter='municipalities']", "koksijde")
    visible = page.eval_on_selector_all(
        "li[data-kb-signal]:not([hidden])", "els => els.map(e => e.dataset.municipalities)"
    )
    assert visible and all("koksijde" in m.split() for m in visible)
    assert "getoond" in page.inner_text(".kb-signal-filters__count")
