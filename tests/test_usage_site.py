"""What the site shows of the usage figures (issue 25): Opvolging, a coach's page, the next meeting's agenda in
every format, synonym suggestions and the review list; with three months of figures, and with none."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY, BuiltSite, copy_content, kennisbank, mkdocs_build
from docx import Document
from icalendar import Calendar
from kennisbank.checks.loader import load_repository
from kennisbank.content.usage import Feedback, Phrase, Searches, UsageMonthFile, dump_usage
from kennisbank.knowledge import urls
from kennisbank.knowledge.derive import derive
from kennisbank.knowledge.usage_facts import NO_FIGURES
from kennisbank.site.pages import followup_page
from kennisbank.site.render import Renderer
from lxml import html as lxml_html

NEXT_MEETING = "2026-12-01"  # the first meeting on or after TODAY in the sample


def _month(month: str, views: dict[str, int], phrases: list[tuple[str, int, int]], feedback=None, **searches):
    totals = {"total": 200, "without_result": 40, "ended_on_tip": 90, **searches}
    return UsageMonthFile(
        month=month,
        views=views,
        searches=Searches(**totals, phrases=[Phrase(query=q, count=c, results=r) for q, c, r in phrases]),
        feedback=feedback or {},
    )


# Three consecutive months: enough for "not opened in three months" and a trend for November.
MONTHS = (
    _month("2026-09", {"teams-achtergrond-vervagen": 5, "sneltoetsen-windows": 3}, [("teams wazig", 4, 0)]),
    _month(
        "2026-10",
        {"teams-achtergrond-vervagen": 12},
        [("teams wazig", 10, 0), ("verlofsaldo", 12, 0)],
        {"snel-zoeken-in-outlook": Feedback(nee=2, onduidelijk=1)},
        total=150,
        without_result=30,
        ended_on_tip=60,
    ),  # fmt: skip
    _month(
        "2026-11",
        {"teams-achtergrond-vervagen": 40, "verlof-aanvragen-in-het-portaal": 25, "teams-status-en-meldingen": 4},
        [
            ("teams wazig", 14, 0),
            ("verlofsaldo", 8, 0),
            ("mfa zonder gsm", 6, 0),
            ("copilot licentie", 5, 0),
            ("excel grafiek", 5, 0),
            ("printer bibliotheek", 4, 0),  # sixth: not on the agenda
            ("draaitabel filter", 7, 1),
        ],
        {
            "snel-zoeken-in-outlook": Feedback(ja=1, nee=2, verouderd=1, niet_gezocht=1),
            # Reviewed on 15 November: November's answers came partly before the review, so they do not count.
            "wachtwoord-vergeten": Feedback(nee=5),
            "draaitabel-maken": Feedback(ja=5, nee=3),  # more ja than nee
        },
    ),
)


def write_usage(repo: Path, months=MONTHS) -> None:
    """Replace the sample's usage files with `months`."""
    folder = repo / "tips" / "gebruik"
    for old in folder.glob("*.yml"):
        old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    for month in months:
        (folder / f"{month.month}.yml").write_text(dump_usage(month, 3), encoding="utf-8")


def _load(repo: Path):
    result = load_repository(repo, today=TODAY)
    assert not result.errors, [p.format_text() for p in result.errors]
    return result.repository


@pytest.fixture(scope="module")
def usage_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    repo = copy_content(tmp_path_factory.mktemp("usage") / "repo")
    write_usage(repo)
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return BuiltSite(repo, repo / "site", proc.stdout + proc.stderr)


def _doc(site: BuiltSite, url: str):
    return lxml_html.fromstring(site.page(url))


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _rows(doc, css: str) -> list[list[str]]:
    return [[_text(td) for td in tr.xpath("./td")] for tr in doc.xpath(f'//table[contains(@class, "{css}")]//tbody/tr')]


@pytest.mark.build
def test_followup_shows_searches_with_counts_and_trend(usage_site):
    doc = _doc(usage_site, "opvolging/")
    failed = _rows(doc, "kb-usage-failed")
    assert [row[:3] for row in failed[:3]] == [
        ["teams wazig", "14", "10 (+4)"],
        ["verlofsaldo", "8", "12 (−4)"],
        ["mfa zonder gsm", "6", "nieuw"],
    ]
    assert len(failed) == 6
    assert _rows(doc, "kb-usage-few") == [["draaitabel filter", "7", "1", "nieuw"]]
    totals = _text(doc.xpath('//*[contains(@class, "kb-usage-totals")]')[0])
    assert "200 zoekopdrachten, waarvan 40 zonder resultaat" in totals
    assert "90 (45 %) eindigden op een tip" in totals
    assert "tip. In oktober 2026: 150 zoekopdrachten, 30 zonder resultaat, 40 % eindigde op een tip" in totals
    privacy = _text(doc.xpath('//*[contains(@class, "kb-usage-privacy")]')[0])
    assert "niets wijst naar een persoon" not in privacy  # a promise the rules cannot keep
    assert "minstens 3 verschillende collega's" in privacy and "meld het dan aan de beheerder" in privacy


@pytest.mark.build
def test_followup_most_read_and_unread(usage_site):
    doc = _doc(usage_site, "opvolging/")
    by_tool = {row[0]: row[1] for row in _rows(doc, "kb-most-read-tools")}
    assert by_tool["Teams"].startswith("Je achtergrond vervagen tijdens een sollicitatiegesprek in Teams (40)")
    assert "Minder storende Teams-meldingen met je status en stille uren (4)" in by_tool["Teams"]
    by_department = {row[0]: row[1] for row in _rows(doc, "kb-most-read-departments")}
    assert "Verlof aanvragen in het personeelsportaal (25)" in by_department["Alle diensten"]
    unread = [_text(a) for a in doc.xpath('//ul[@class="kb-unread"]//a')]
    assert "De presentatorweergave gebruiken bij een voorstelling" in unread
    assert "Je achtergrond vervagen tijdens een sollicitatiegesprek in Teams" not in unread  # read
    assert "Uitleggen hoe bezoekers printen vanaf hun eigen gsm" not in unread  # written in November
    assert "Vijf Windows-sneltoetsen die je elke dag tijd besparen" not in unread  # read in September only


@pytest.mark.build
def test_synonym_suggestion_extends_the_group_it_belongs_to(usage_site):
    doc = _doc(usage_site, "opvolging/")
    row = doc.xpath('//table[contains(@class, "kb-usage-failed")]//tr[@data-query="teams wazig"]')[0]
    line = _text(row.xpath('.//code[@class="kb-synonym-line"]')[0])
    assert line == "- [achtergrond vervagen, wazige achtergrond, vervagen, blur, background blur, wazig]"
    assert "Je achtergrond vervagen" in _text(row)
    # The line is valid YAML for tips/synoniemen.yml: pasting it in place of its group passes validation.
    repo = usage_site.repo
    synonyms = repo / "tips" / "synoniemen.yml"
    text = synonyms.read_text(encoding="utf-8")
    old = "  - [achtergrond vervagen, wazige achtergrond, vervagen, blur, background blur]\n"
    assert old in text
    try:
        synonyms.write_text(text.replace(old, "  " + line + "\n"), encoding="utf-8")
        assert not load_repository(repo, today=TODAY).errors
    finally:
        synonyms.write_text(text, encoding="utf-8")
    # No suggestion for a search whose unknown word resembles nothing of a tip.
    row = doc.xpath('//table[contains(@class, "kb-usage-failed")]//tr[@data-query="mfa zonder gsm"]')[0]
    assert not row.xpath(".//code")


def test_new_synonym_line_when_the_word_is_in_no_group(repo):
    write_usage(repo, (_month("2026-11", {}, [("draaitabellen", 4, 0)]),))
    knowledge = derive(_load(repo), TODAY)
    suggestion = knowledge.usage.suggestions.get("draaitabellen")
    assert suggestion is not None and suggestion.tip.slug == "draaitabel-maken"
    assert suggestion.line == "  - [draaitabel, pivottabel, pivot table, pivot, draaitabellen]"
    write_usage(repo, (_month("2026-11", {}, [("aannemers", 3, 0)]),))
    knowledge = derive(_load(repo), TODAY)
    suggestion = knowledge.usage.suggestions["aannemers"]
    assert suggestion.replaces is None and suggestion.line == "  - [aannemer, aannemers]"


@pytest.mark.build
def test_coach_page_shows_how_often_their_tips_were_read(usage_site):
    doc = _doc(usage_site, urls.facet_url("coaches", "katrien-goethals"))
    figure = doc.xpath('//*[contains(@class, "kb-coach-reads")]')[0]
    assert figure.get("data-views") == "69"
    assert "In november 2026 werden de tips van Katrien Goethals 69 keer gelezen (3 van de 4 tips" in _text(figure)
    other = _doc(usage_site, urls.facet_url("coaches", "lies-vandamme"))
    assert "0 keer gelezen" in _text(other.xpath('//*[contains(@class, "kb-coach-reads")]')[0])


@pytest.mark.build
def test_review_list_has_unhelpful_tips_next_to_stale_ones(usage_site):
    doc = _doc(usage_site, "opvolging/")
    rows = _rows(doc, "kb-unhelpful-tips")
    assert [row[:2] for row in rows] == [
        [
            "Snel een oude mail terugvinden met zoekfilters",
            "4× nee, 1× ja (verouderd: 1, onduidelijk: 1, niet wat ik zocht: 1)",
        ]
    ]
    assert doc.xpath('//table[contains(@class, "kb-stale-tips")]')  # the stale tips stay beside them
    out = kennisbank("--root", str(usage_site.repo), "report", "stale", "--format", "csv", cwd=usage_site.repo).stdout
    lines = out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Voorbeeldinhoud")  # the sample's report says it is invented; the table follows
    report = list(csv.DictReader(io.StringIO("\n".join(lines[1:])), delimiter=";"))
    why = {row["bestand"]: row["waarom"] for row in report}
    assert why["tips/alle/snel-zoeken-in-outlook.md"].startswith("weinig geholpen: 4× nee, 1× ja")
    assert why["tips/alle/sneltoetsen-windows.md"] == "niet nagekeken sinds 2025-10-07"
    assert "tips/alle/wachtwoord-vergeten.md" not in why  # its "nee" answers came before its review
    assert "tips/burgerzaken/draaitabel-maken.md" not in why


@pytest.mark.build
def test_next_meeting_page_has_failed_searches_with_signals(usage_site):
    doc = _doc(usage_site, urls.meeting_url(NEXT_MEETING))
    heading = [_text(h) for h in doc.xpath('//section[@class="kb-agenda"]/h3') if "Gezocht" in _text(h)]
    assert heading == ["5. Gezocht, niet gevonden (november 2026) (5 min)"]
    items = doc.xpath('//ol[@class="kb-failed-searches"]/li')
    assert [li.get("data-query") for li in items] == [
        "teams wazig", "verlofsaldo", "mfa zonder gsm", "copilot licentie", "excel grafiek"
    ]  # fmt: skip
    assert "“teams wazig”: 14 keer gezocht (vorige maand 10)" in _text(items[0])
    assert "Mogelijk bij signaal: Oudere collega's zonder dienst-gsm kunnen geen MFA instellen" in _text(items[2])
    assert "Onduidelijk wie een Copilot-licentie heeft" in _text(items[3])
    assert "Leernood Excel-basis" in _text(items[4])
    # Only the next meeting hands out failed searches; a held meeting's agenda stays as it was.
    earlier = _doc(usage_site, urls.meeting_url("2026-11-10"))
    assert not [h for h in earlier.xpath('//section[@class="kb-agenda"]/h3') if "Gezocht" in _text(h)]
    # The standalone HTML agenda carries the same section.
    standalone = (usage_site.site / urls.meeting_url(NEXT_MEETING) / "agenda.html").read_text(encoding="utf-8")
    assert "Gezocht, niet gevonden (november 2026)" in standalone and "verlofsaldo" in standalone


def _agenda(repo: Path, fmt: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return kennisbank("--root", str(repo), "agenda", "--format", fmt, *extra, cwd=repo)


@pytest.mark.build
def test_agenda_markdown_and_word_have_the_section(usage_site, tmp_path):
    md = _agenda(usage_site.repo, "md")
    assert md.returncode == 0, md.stderr
    section = md.stdout.split("## 5. Gezocht, niet gevonden (november 2026) (5 min)")[1].split("## 6.")[0]
    assert "- “teams wazig”: 14 keer gezocht (vorige maand 10)" in section
    assert (
        "`- [achtergrond vervagen, wazige achtergrond, vervagen, blur, background blur, wazig]`" in section
    )  # to copy as is, not Markdown-escaped
    assert "printer bibliotheek" not in section  # only the top five
    out = tmp_path / "agenda.docx"
    docx = _agenda(usage_site.repo, "docx", "-o", str(out))
    assert docx.returncode == 0, docx.stderr
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    start = paragraphs.index("5. Gezocht, niet gevonden (november 2026) (5 min)")
    listed = paragraphs[start : paragraphs.index("6. Agendapunten (65 min)")]
    assert "“verlofsaldo”: 8 keer gezocht (vorige maand 12)" in listed
    assert any(p.startswith("Mogelijk bij signaal: Onduidelijk wie een Copilot-licentie heeft") for p in listed)
    ics = _agenda(usage_site.repo, "ics")
    assert ics.returncode == 0, ics.stderr
    events = Calendar.from_ical(ics.stdout).walk("VEVENT")
    descriptions = [str(event["DESCRIPTION"]) for event in events]  # the meeting and the series around it
    assert any("5. Gezocht, niet gevonden (november 2026) (5 min)" in text for text in descriptions)


def test_without_usage_files_the_sections_say_how_to_get_figures(repo):
    write_usage(repo, ())
    knowledge = derive(_load(repo), TODAY)
    assert not knowledge.usage.has_figures
    page = lxml_html.fromstring(followup_page(Renderer.create(knowledge.labels, TODAY), knowledge, "opvolging/"))
    notes = [_text(p) for p in page.xpath('//*[contains(@class, "kb-usage-none")]')]
    assert notes and all("kennisbank gebruik import" in note for note in notes)
    assert not page.xpath('//table[contains(@class, "kb-usage-failed")]')
    md = _agenda(repo, "md")
    assert md.returncode == 0, md.stderr
    assert "## 5. Gezocht, niet gevonden\n\n" + NO_FIGURES in md.stdout


def test_two_months_say_unread_needs_three_and_later_months_wait_for_their_date(repo):
    write_usage(repo, MONTHS[1:])
    repository = _load(repo)
    usage = derive(repository, TODAY).usage
    assert usage.unread is None and usage.latest == date(2026, 11, 1)
    # A build of an earlier date shows what was known then: October is the latest month, without a trend.
    earlier = derive(repository, date(2026, 10, 31)).usage
    assert earlier.latest == date(2026, 10, 1) and earlier.previous is None
    assert [(f.query, f.trend) for f in earlier.failed] == [("verlofsaldo", ""), ("teams wazig", "")]


@pytest.mark.build
def test_opvolging_usage_in_chromium(usage_site, page):
    from conftest import serve

    with serve(usage_site.site) as base:
        page.goto(base + "opvolging/")
        failed = page.locator("table.kb-usage-failed")
        failed.scroll_into_view_if_needed()
        assert failed.is_visible()
        assert page.locator("#gezocht-niet-gevonden").inner_text().startswith("Gezocht, niet gevonden (6)")
        first = failed.locator("tbody tr").first
        assert first.locator("td").nth(2).inner_text() == "10 (+4)"
        assert page.locator("code.kb-synonym-line").first.is_visible()
        assert page.locator("table.kb-unhelpful-tips").is_visible()
        # The wide tables scroll inside their wrapper: the page itself never scrolls sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0


def test_example_month_is_left_out_once_a_real_month_exists(repo):
    example = (repo / "tips" / "gebruik" / "2026-11.yml").read_text(encoding="utf-8")
    assert "example: true" in example  # the sample's invented month
    assert derive(_load(repo), TODAY).usage.latest == date(2026, 11, 1)
    (repo / "tips" / "gebruik" / "2026-10.yml").write_text(dump_usage(MONTHS[1], 3), encoding="utf-8")
    usage = derive(_load(repo), TODAY).usage
    assert usage.latest == date(2026, 10, 1) and usage.previous is None  # never compared with invented figures
    assert [f.query for f in usage.failed] == ["verlofsaldo", "teams wazig"]


def test_dev_server_reuses_usage_facts_until_what_they_read_changes(repo):
    write_usage(repo)
    first = derive(_load(repo), TODAY)
    tip = next(repo.glob("tips/*/teams-achtergrond-vervagen.md"))
    tip.write_text(tip.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")  # a body edit
    second = derive(_load(repo), TODAY, first)
    assert second.usage is first.usage
    write_usage(repo, MONTHS[:2])
    third = derive(_load(repo), TODAY, second)
    assert third.usage is not second.usage and third.usage.latest == date(2026, 10, 1)


TOP_FIVE = ["teams wazig", "verlofsaldo", "mfa zonder gsm", "copilot licentie", "excel grafiek"]


def test_next_meeting_failed_searches_in_chromium_on_screen_in_print_and_in_each_export(usage_site, page):
    """The coaches open the next meeting's page: the section shows the top five with their counts and the open
    signals they may belong to, stays on paper, and is in the Word, Markdown, HTML and ICS files of the page."""
    from conftest import serve

    meeting = urls.meeting_url(NEXT_MEETING)
    with serve(usage_site.site) as base:
        page.goto(base + meeting)
        heading = page.get_by_role("heading", name="Gezocht, niet gevonden")
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
        assert " ".join(heading.inner_text().split()) == "5. Gezocht, niet gevonden (november 2026) (5 min)"
        items = page.locator("ol.kb-failed-searches > li")
        assert items.count() == 5
        texts = [" ".join(text.split()) for text in items.all_inner_texts()]
        assert [page.locator("ol.kb-failed-searches > li").nth(i).get_attribute("data-query") for i in range(5)] == (
            TOP_FIVE
        )
        assert texts[0].startswith("“teams wazig”: 14 keer gezocht (vorige maand 10)")
        assert texts[1].startswith("“verlofsaldo”: 8 keer gezocht (vorige maand 12)")
        assert "Mogelijk bij signaal: Oudere collega's zonder dienst-gsm kunnen geen MFA instellen" in texts[2]
        assert "Onduidelijk wie een Copilot-licentie heeft" in texts[3]
        assert "Leernood Excel-basis" in texts[4]
        assert all(item.is_visible() for item in items.all())
        # The signal is a link that leads to the signal's page.
        link = items.nth(2).get_by_role("link", name="Oudere collega's zonder dienst-gsm kunnen geen MFA instellen")
        assert page.request.get(urls_join(page.url, link.get_attribute("href"))).ok
        # The sixth failed search is for Opvolging, not for the meeting.
        assert "printer bibliotheek" not in page.locator("section.kb-agenda").inner_text()

        # On paper ("Agenda afdrukken" prints the page): the section stays, the download buttons go.
        page.emulate_media(media="print")
        assert heading.is_visible() and all(item.is_visible() for item in items.all())
        assert not page.locator(".kb-downloads").is_visible()
        page.emulate_media(media="screen")

        # The files behind the page's buttons, as a coach downloads them.
        markdown = page.request.get(base + meeting + "agenda.md").text()
        section = markdown.split("## 5. Gezocht, niet gevonden (november 2026) (5 min)")[1].split("## 6.")[0]
        assert [line.split("”")[0].removeprefix("- “") for line in section.splitlines() if line.startswith("- “")] == (
            TOP_FIVE
        )
        assert "Mogelijk bij signaal: Oudere collega's zonder dienst-gsm kunnen geen MFA instellen" in section
        word = Document(io.BytesIO(page.request.get(base + meeting + "agenda.docx").body()))
        paragraphs = [p.text for p in word.paragraphs]
        start = paragraphs.index("5. Gezocht, niet gevonden (november 2026) (5 min)")
        listed = paragraphs[start : paragraphs.index("6. Agendapunten (65 min)")]
        assert "“teams wazig”: 14 keer gezocht (vorige maand 10)" in listed
        assert any(p.startswith("Mogelijk bij signaal: Oudere collega's zonder dienst-gsm") for p in listed)
        ics = page.request.get(base + meeting + "agenda.ics").text()
        assert "Gezocht\\, niet gevonden (november 2026)" in ics or "Gezocht, niet gevonden (november 2026)" in ics

        # The standalone HTML agenda, opened in the browser.
        page.goto(base + meeting + "agenda.html")
        standalone = page.locator("ol.kb-failed-searches > li")
        assert standalone.count() == 5 and standalone.first.is_visible()
        assert " ".join(standalone.first.inner_text().split()).startswith("“teams wazig”: 14 keer gezocht")
        assert "Mogelijk bij signaal" in standalone.nth(2).inner_text()


def urls_join(page_url: str, href: str | None) -> str:
    from urllib.parse import urljoin

    assert href
    return urljoin(page_url, href)
