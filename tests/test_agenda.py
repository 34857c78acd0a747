"""The generated agenda on a controlled meeting history, and every export read back by its own library."""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import TODAY, write_tip
from dateutil.rrule import rrulestr
from docx import Document
from icalendar import Calendar
from kennisbank.checks.loader import load_repository
from kennisbank.knowledge.agenda import build_agenda
from kennisbank.ops.cli import main

KENNISBANK = str(Path(sys.executable).with_name("kennisbank"))

MEETINGS = {
    "2026-09-01": """---
date: 2026-09-01
location: Stadhuis Veurne
chair: an-peeters
actions:
  - {id: a1, what: Open en te laat, who: sofie-claeys, due: 2026-09-15}
  - {id: a2, what: Afgewerkt zonder datum, who: bram-vermeulen, due: 2026-09-15, done: true}
  - {id: a3, what: Afgewerkt op 25 september, who: jonas-declercq, due: 2026-09-22, done: true, done_on: 2026-09-25}
---
Verslag.
""",
    "2026-09-22": """---
date: 2026-09-22
location: Gemeentehuis Koksijde
chair: sofie-claeys
actions:
  - {id: a4, what: "Nog niet te laat [klik](javascript:alert(1))", who: an-peeters, due: 2026-12-01}
---
Verslag.
""",
    "2026-10-13": """---
date: 2026-10-13
start: "13:30"
end: "15:00"
location: "Stadhuis Nieuwpoort, zaal 1 + Teams"
chair: jonas-declercq
minute_taker: an-peeters
items:
  - title: "Punt met [link](javascript:alert(1)) erin"
    owner: katrien-goethals
    minutes: 30
    notes: "<script>alert('notes')</script>"
  - {title: Tweede punt, owner: bram-vermeulen, minutes: 25}
---
""",
}

SIGNALS = {
    "open-signaal": "raised_on: 2026-10-01\nstatus: nieuw\ndepartments: [financien, ict]",
    "opgelost-voor": "raised_on: 2026-09-02\nstatus: opgelost\nresolved_on: 2026-10-05\ndepartments: [ict]",
    "later-gemeld": "raised_on: 2026-10-20\nstatus: nieuw\ndepartments: [ict]",
    "opgelost-na": (
        "raised_on: 2026-09-10\nstatus: opgelost\nresolved_on: 2026-10-20\ndepartments: [omgeving]\n"
        "history:\n  - {date: 2026-09-10, status: nieuw}\n  - {date: 2026-09-30, status: in-behandeling}\n"
        "  - {date: 2026-10-20, status: opgelost}"
    ),
}

NOTICE = "Voorbeeldinhoud: deze personen en cijfers zijn verzonnen."


@pytest.fixture
def history(repo: Path) -> Path:
    """The repo with a controlled set of meetings, signals and tips around 2026-10-13."""
    shutil.rmtree(repo / "meetings")
    (repo / "meetings/signals").mkdir(parents=True)
    for day, text in MEETINGS.items():
        (repo / f"meetings/{day}.md").write_text(text, encoding="utf-8")
    for slug, fields in SIGNALS.items():
        (repo / f"meetings/signals/{slug}.md").write_text(
            f"---\ntitle: Signaal {slug}\ntheme: proces\nraised_by: an-peeters\n{fields}\n---\nWat we zien.\n",
            encoding="utf-8",
        )
    for tip in (repo / "tips").glob("*/*.md"):
        tip.unlink()
    for slug, day in (
        ("op-vorig-overleg", "2026-09-22"),
        ("erna", "2026-09-23"),
        ("op-de-dag", "2026-10-13"),
        ("te-laat", "2026-10-14"),
    ):
        write_tip(
            repo,
            f"tips/burgerzaken/{slug}.md",
            replace={"date: 2026-10-14": f"date: {day}", "title: Een testtip over Outlook": f"title: Tip {slug}"},
        )
    assert load_repository(repo, today=TODAY).errors == []
    return repo


def agenda_of(repo: Path, day: str):
    repository = load_repository(repo, today=TODAY).repository
    meeting = next(m for m in repository.meetings if m.date.isoformat() == day)
    return build_agenda(repository, meeting)


def test_open_actions_at_the_meeting_date_overdue_first(history):
    agenda = agenda_of(history, "2026-10-13")
    assert [(a.action.id, a.overdue) for a in agenda.open_actions] == [("a1", True), ("a4", False)]
    # On 22 September the action finished on the 25th was still open.
    earlier = agenda_of(history, "2026-09-22")
    assert {a.action.id for a in earlier.open_actions} == {"a1", "a3"}


def test_new_tips_since_previous_meeting(history):
    agenda = agenda_of(history, "2026-10-13")
    assert agenda.tips_since == date(2026, 9, 22)
    assert [t.slug for g in agenda.new_tips for t in g.tips] == ["erna", "op-de-dag"]


def test_open_signals_as_they_stood_on_the_meeting_day(history):
    agenda = agenda_of(history, "2026-10-13")
    listed = {s.slug: g.department for g in agenda.open_signals for s in g.signals}
    assert listed == {"open-signaal": "financien", "opgelost-na": "omgeving"}


def test_items_time_check_and_next_meeting(history):
    agenda = agenda_of(history, "2026-10-13")
    assert agenda.item_minutes == 55 and agenda.slot_minutes == 90
    assert agenda.over_time == 55 + 45 - 90
    assert agenda.next_date == date(2026, 11, 3) and not agenda.next_planned
    assert agenda_of(history, "2026-09-01").next_date == date(2026, 9, 22)


def run_agenda(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([KENNISBANK, "--root", str(repo), "agenda", *args], capture_output=True)


def test_markdown_export_in_dutch_with_escaped_content(history):
    proc = run_agenda(history, "2026-10-13", "--format", "md", "--site-url", "https://intranet.test/kb/")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode("utf-8")
    # The sample has example content: the export says so on its first line.
    assert text.startswith(f"**{NOTICE}**\n\n# Digicoachoverleg dinsdag 13 oktober 2026\n")
    assert "## 2. Openstaande acties (10 min)" in text
    assert "TE LAAT: Open en te laat (Sofie Claeys, tegen 15 september 2026" in text
    assert "<https://intranet.test/kb/tips/erna/>" in text
    assert "\\[klik\\](javascript:alert(1))" in text and "[klik](javascript" not in text
    assert "Let op: de agenda duurt 100 minuten" in text
    assert "dinsdag 3 november 2026 (voorstel: drie weken later)" in text


def test_docx_export_has_headings_action_table_and_page_numbers(history, tmp_path):
    out = tmp_path / "agenda.docx"
    assert run_agenda(history, "2026-10-13", "--format", "docx", "-o", str(out)).returncode == 0
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Digicoachoverleg dinsdag 13 oktober 2026"
    assert "2. Openstaande acties (10 min)" in headings and "5. Agendapunten (55 min)" in headings
    actions = document.tables[0]
    assert [c.text for c in actions.rows[0].cells] == ["Actie", "Wie", "Tegen", "Afgesproken", "Status"]
    assert [r.cells[0].text for r in actions.rows[1:]] == [
        "Open en te laat",
        "Nog niet te laat [klik](javascript:alert(1))",
    ]
    assert actions.rows[1].cells[4].text == "te laat"
    footer_xml = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml and 'w:instr="NUMPAGES"' in footer_xml
    items = document.tables[1]
    assert items.rows[1].cells[0].text.startswith("Punt met [link](javascript:alert(1))")


def test_ics_export_is_a_valid_outlook_invitation(history):
    proc = run_agenda(history, "2026-10-13", "--format", "ics")
    assert proc.returncode == 0
    calendar = Calendar.from_ical(proc.stdout)
    [tz] = calendar.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Brussels"
    # The meeting's own event; the others are the series it is an occurrence of.
    [event] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) != "Digicoachoverleg"]
    start = event.decoded("DTSTART")
    assert start.isoformat() == "2026-10-13T13:30:00+02:00"
    assert event.decoded("DTEND") - start == timedelta(minutes=90)
    assert str(event["LOCATION"]) == "Stadhuis Nieuwpoort, zaal 1 + Teams"
    description = str(event["DESCRIPTION"])
    assert "2. Openstaande acties" in description and "Open en te laat" in description
    assert calendar["METHOD"] == "PUBLISH" and event["UID"].endswith("@kennisbank.digicoaches")


def test_time_warning_says_let_op_once_in_every_export(history):
    markdown = run_agenda(history, "2026-10-13").stdout.decode()
    calendar = Calendar.from_ical(run_agenda(history, "2026-10-13", "--format", "ics").stdout)
    [event] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) != "Digicoachoverleg"]
    for text in (markdown, str(event["DESCRIPTION"])):
        assert "Let op: de agenda duurt 100 minuten" in text, text
        assert text.count("Let op:") == 1


def test_series_rrule_keeps_local_time_across_dst(history):
    proc = run_agenda(history, "--format", "ics", "--series")
    assert proc.returncode == 0, proc.stderr
    [event] = Calendar.from_ical(proc.stdout).walk("VEVENT")
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    dates = list(itertools.islice(rule, 5))  # rule[:5]; types-python-dateutil types a slice as one datetime
    assert [d.date().isoformat() for d in dates] == [
        "2026-09-01",
        "2026-09-22",
        "2026-10-13",
        "2026-11-03",
        "2026-11-24",
    ]
    assert {d.strftime("%H:%M") for d in dates} == {"13:30"}
    # Summer time ends on 25 October 2026: the UTC offset changes, the local hour does not.
    assert [d.utcoffset() for d in dates] == [timedelta(hours=2)] * 3 + [timedelta(hours=1)] * 2


def test_html_export_escapes_and_prints(history):
    proc = run_agenda(history, "2026-10-13", "--format", "html")
    html = proc.stdout.decode("utf-8")
    assert '<html lang="nl">' in html and "@media print" in html and "@page { size: A4" in html
    assert "<script>alert('notes')</script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_agenda_for_unknown_date_is_a_clear_error(history):
    proc = run_agenda(history, "2026-10-14")
    assert proc.returncode == 1
    assert "geen overleg op 2026-10-14" in proc.stderr.decode() and b"Traceback" not in proc.stderr


def test_new_meeting_uses_interval_rotation_and_never_overwrites(history, capsys):
    assert main(["--root", str(history), "new-meeting"]) == 0
    created = history / "meetings/2026-11-03.md"
    text = created.read_text(encoding="utf-8")
    # chair_rotation: an-peeters, sofie-claeys, jonas-declercq, katrien-goethals -> after jonas comes katrien
    assert "chair: katrien-goethals" in text and "minute_taker: jonas-declercq" in text
    assert "location: Stadhuis Nieuwpoort, zaal 1 + Teams" in text
    assert "Nieuw overleg: meetings/2026-11-03.md" in capsys.readouterr().out
    result = load_repository(history, today=TODAY)
    assert [p for p in result.errors if p.path.endswith("2026-11-03.md")] == []
    before = created.read_bytes()
    assert main(["--root", str(history), "new-meeting", "--date", "2026-11-03"]) == 1
    assert "bestaat al" in capsys.readouterr().err
    assert created.read_bytes() == before


def test_meeting_page_shows_agenda_downloads_and_print_css(sample_site):
    repository = load_repository(sample_site.repo, today=TODAY).repository
    upcoming = next(m for m in repository.meetings if m.date >= TODAY)
    folder = sample_site.site / "overleg" / upcoming.date.isoformat()
    page = (folder / "index.html").read_text(encoding="utf-8")
    for name in ("agenda.docx", "agenda.md", "agenda.html", "agenda.ics"):
        assert f'href="{name}"' in page and (folder / name).is_file()
    assert "Openstaande acties" in page and "Agenda afdrukken" in page
    assert "kennisbank.css" in page
    css = next(sample_site.site.rglob("kennisbank.css")).read_text(encoding="utf-8")
    assert "@media print" in css
    Document(io.BytesIO((folder / "agenda.docx").read_bytes()))
    Calendar.from_ical((sample_site.site / "overleg/reeks.ics").read_bytes())
