"""Learning paths (tips/leerpaden/): their pages, where they are listed, their validation, the ticks a colleague
keeps in the browser and the one-page checklist on paper."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from conftest import (
    KENNISBANK,
    ROOT,
    TODAY,
    BuiltSite,
    bare_env,
    copy_content,
    edit,
    kennisbank,
    mkdocs_build,
    pdf_pages,
    serve,
    write_tip,
)
from kennisbank.checks.loader import load_repository
from kennisbank.knowledge.derive import derive
from kennisbank.knowledge.paths import paths_for_topic
from kennisbank.knowledge.urls import path_url, tip_url
from kennisbank.ops.cli import main
from kennisbank.policy import MAX_PATH_STEPS
from lxml import html as lxml_html
from test_dev_server import DevServer, dev_server, page_times, rewritten, write_saved  # noqa: F401 (dev_server: a fixture)

SAMPLE_TITLES = {"Je eerste week", "Veilig werken", "AI in je werk", "Excel: van basis naar gevorderd"}


@pytest.fixture(scope="module")
def knowledge():
    result = load_repository(ROOT, today=TODAY)
    assert result.errors == []
    return derive(result.repository, TODAY)


def doc(site: BuiltSite, url: str):
    return lxml_html.fromstring(site.page(url))


def facts(tree) -> dict[str, str]:
    """The facts above a learning path ("Voor", "Niveau", ...) as plain text."""
    terms = tree.xpath('//div[@class="kb-path-header"]//dt')
    return {dt.text_content(): " ".join(dt.getnext().text_content().split()) for dt in terms}


def path_links(tree) -> list[str]:
    """Slugs of the learning paths a page lists (navigation excluded), in page order."""
    return [h.rstrip("/").split("/")[-1] for h in tree.xpath('//article//a[@class="kb-path-item__title"]/@href')]


# --- content ----------------------------------------------------------------------------------------------


def test_paths_are_loaded_beside_the_tips_not_as_tips(knowledge):
    repository = knowledge.repository
    assert {p.title for p in repository.paths} == SAMPLE_TITLES
    assert all(p.source_path.startswith("tips/leerpaden/") for p in repository.paths)
    assert not any(t.source_path.startswith("tips/leerpaden/") for t in repository.tips)
    assert "leerpaden" not in {d for t in repository.tips for d in t.departments}


def test_a_path_names_the_topics_it_covers(knowledge):
    by_title = {p.title: p for p in knowledge.paths}
    # Named by its coach...
    assert by_title["Excel: van basis naar gevorderd"].tools == ("excel",)
    # ...or the tools of its tips, in the order of the taxonomy.
    first_week = by_title["Je eerste week"]
    used = {tool for step in first_week.steps for tool in step.tip.tools}
    assert first_week.tools == tuple(t for t in knowledge.repository.taxonomy.tools if t in used)
    assert [p.title for p in paths_for_topic(knowledge.paths, "excel", "financien")] == [
        "Excel: van basis naar gevorderd"
    ]
    assert paths_for_topic(knowledge.paths, "excel", "burgerzaken") == ()
    assert "AI in je werk" in [p.title for p in paths_for_topic(knowledge.paths, "copilot", "burgerzaken")]


def test_sample_path_front_matter_matches_the_published_json_schema(knowledge, capsys):
    assert main(["--root", str(ROOT), "schema", "path"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["steps"]["maxItems"] == MAX_PATH_STEPS
    front: dict[str, object] = {}
    for path in knowledge.repository.paths:
        front = {k: v for k, v in path.model_dump(exclude_defaults=True).items()}
        for key in ("slug", "source_path", "body", "body_line"):
            front.pop(key)
        jsonschema.validate(front, schema)
    assert front, "the sample has learning paths"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**front, "steps": [{"tip": "bestaat-niet"}]}, schema)


# --- pages ------------------------------------------------------------------------------------------------


def test_every_path_has_a_page_with_its_steps_in_order(sample_site, knowledge):
    for path in knowledge.paths:
        tree = doc(sample_site, path_url(path.slug))
        assert tree.xpath("//article//h1")[0].text_content() == path.title
        steps = tree.xpath('//ol[@class="kb-steps"]/li')
        expected = path.document.steps
        assert [li.get("data-kb-step") for li in steps] == [s.tip for s in expected], path.slug
        for li, step in zip(steps, expected, strict=True):
            tip = knowledge.tips_by_slug[step.tip]
            link = li.xpath('.//a[@class="kb-step__title"]')[0]
            assert link.text_content() == tip.title
            assert link.get("href") == "../../" + tip_url(tip.slug)
            assert li.xpath('.//*[contains(@class, "kb-level")]')[0].text_content().lower() == tip.difficulty
            assert li.xpath('string(.//p[@class="kb-step__summary"])') == tip.summary
            assert li.xpath('string(.//p[@class="kb-step__why"])') == (step.why or "")
        counter = tree.xpath("string(//*[@data-kb-progress-count])")
        assert counter == f"0 van {len(expected)} gedaan"
        privacy = tree.xpath("string(//*[@data-kb-progress-privacy])")
        assert "alleen in deze browser op deze computer" in " ".join(privacy.split())


def test_path_page_says_for_whom_and_renders_the_introduction(sample_site):
    tree = doc(sample_site, path_url("excel-van-basis-naar-gevorderd"))
    found = facts(tree)
    assert found["Voor"] == "Financiën Kinderopvang Technische dienst"
    assert (found["Niveau"], found["Digicoach"], found["Onderwerpen"]) == ("Basis", "Lies Vandamme", "Excel")
    assert "Bron" not in found
    assert facts(doc(sample_site, path_url("je-eerste-week")))["Voor"] == "nieuwe collega's · Alle diensten"
    # The Markdown body is the introduction; its link to a signal's file became a link to the signal's page.
    intro = tree.xpath('//div[@class="kb-path-intro"]')[0]
    assert intro.xpath(".//a/@href") == ["../../signalen/excel-basis-leernood-financien/"]
    assert facts(doc(sample_site, path_url("ai-in-je-werk")))["Bron"] == "Vorming Gebruik van AI"


def test_overview_page_is_in_the_navigation_and_lists_every_path(sample_site, knowledge):
    # In the "Ontdekken" section, right after its index page "Start hier".
    start = doc(sample_site, "start-hier/")
    sections = start.xpath('//nav[contains(@class, "md-nav--primary")]//li[contains(@class, "md-nav__item--section")]')
    discover = next(s for s in sections if " ".join(s.xpath("string(./div/a)").split()) == "Ontdekken")
    assert discover.xpath("./div/a/@href") == ["./"]  # the section's index page is Start hier itself
    entries = discover.xpath("./nav/ul/li/a")
    assert [" ".join(a.text_content().split()) for a in entries][0] == "Leerpaden"
    assert entries[0].get("href") == "../leerpaden/"
    overview = doc(sample_site, "leerpaden/")
    assert path_links(overview) == [p.slug for p in knowledge.paths]
    headings = [h.text_content() for h in overview.xpath("//article//h2")]
    assert headings == ["Voor nieuwe collega's", "Verder leren"]


def test_department_pages_list_the_paths_meant_for_them(sample_site):
    everyone = ["je-eerste-week", "veilig-werken", "ai-in-je-werk"]
    excel = "excel-van-basis-naar-gevorderd"
    # For new colleagues first, then by level: the department's own Excel path (basis) before AI (gevorderd).
    assert path_links(doc(sample_site, "diensten/financien/")) == [*everyone[:2], excel, everyone[2]]
    assert path_links(doc(sample_site, "diensten/burgerzaken/")) == everyone
    assert path_links(doc(sample_site, "diensten/alle/")) == everyone
    # Other index pages (tools, levels, ...) do not list paths.
    assert path_links(doc(sample_site, "tools/excel/")) == []


def test_start_here_lists_the_paths_for_new_colleagues(sample_site):
    tree = doc(sample_site, "start-hier/")
    assert path_links(tree) == ["je-eerste-week", "veilig-werken"]


def test_tip_page_names_the_paths_it_is_in(sample_site):
    tree = doc(sample_site, tip_url("phishing-herkennen"))
    sentences = [" ".join(p.text_content().split()) for p in tree.xpath('//p[@class="kb-tip-path"]')]
    assert sentences == [
        "Deze tip zit in het leerpad Je eerste week (stap 6 van 7). Volgende stap: Verlof aanvragen in het "
        "personeelsportaal.",
        "Deze tip zit in het leerpad Veilig werken (stap 1 van 6). Volgende stap: Een wachtwoordmanager gebruiken "
        "voor je werkaccounts.",
    ]
    links = tree.xpath('//p[@class="kb-tip-path"]/a/@href')
    assert links[0] == "../../leerpaden/je-eerste-week/" and links[1] == "../verlof-aanvragen-in-het-portaal/"
    last = doc(sample_site, tip_url("verlof-aanvragen-in-het-portaal"))
    assert "Volgende stap" not in last.xpath('string(//p[@class="kb-tip-path"])')
    assert doc(sample_site, tip_url("gedeelde-mailbox-toevoegen")).xpath('//p[@class="kb-tip-path"]') == []


# --- validation -------------------------------------------------------------------------------------------

GOOD_PATH = """---
title: Een testleerpad
summary: Om te testen.
departments: [burgerzaken]
difficulty: basis
coach: sofie-claeys
steps:
  - tip: wachtwoord-vergeten
    why: Eerst dit.
  - tip: phishing-herkennen
---
"""


def validate(repo: Path) -> subprocess.CompletedProcess[str]:
    """`kennisbank validate` as a coach runs it: the console script, without the virtualenv on PATH."""
    return subprocess.run(
        [KENNISBANK, "validate"], cwd=repo, capture_output=True, text=True, timeout=120,
        env=bare_env(KENNISBANK_TODAY=TODAY.isoformat()),
    )  # fmt: skip


BROKEN_PATHS = {
    # file name: (replacements on GOOD_PATH, expected "line:col: field: message" parts)
    "onbekende-tip.md": (
        {"tip: wachtwoord-vergeten": "tip: wachtwoord-vergetn"},
        ["8:5: steps[0].tip: onbekende waarde 'wachtwoord-vergetn' voor tip.", "Bedoelde je 'wachtwoord-vergeten'?"],
    ),
    "dubbel.md": (
        {"tip: phishing-herkennen": "tip: wachtwoord-vergeten"},
        ["10:5: steps[1].tip: de tip 'wachtwoord-vergeten' staat al in stap 1 (regel 8)"],
    ),
    "onbekende-dienst.md": (
        {"departments: [burgerzaken]": "departments: [burgerzaken, finacien]"},
        ["4:28: departments[1]: onbekende waarde 'finacien' voor dienst.", "Bedoelde je 'financien'?"],
    ),
    "onbekend-niveau.md": (
        {"difficulty: basis": "difficulty: basic"},
        ["5:1: difficulty: onbekende waarde 'basic' voor niveau. Toegestaan: basis, expert, gevorderd."],
    ),
    "leeg.md": (
        {"  - tip: wachtwoord-vergeten\n    why: Eerst dit.\n  - tip: phishing-herkennen\n": "", "steps:": "steps: []"},
        ["7:1: steps: moet minstens 1 waarde bevatten."],
    ),
    "zonder-titel.md": ({"title: Een testleerpad\n": ""}, ["1:1: title: verplicht veld ontbreekt."]),
    "kapotte-yaml.md": ({"summary: Om te testen.": "summary: Let op: fout"}, ["3:", "yaml: YAML-syntaxfout"]),
    "nederlands-veld.md": ({"    why: Eerst dit.": "    waarom: Eerst dit."}, ["9:5: steps[0].waarom:", "'why'?"]),
    "kale-stap.md": (
        {"  - tip: phishing-herkennen": "  - phishing-herkennen"},
        ["10:5: steps[1]: moet velden bevatten", "bv. 'tip: phishing-herkennen'"],
    ),
    # A shape error elsewhere does not hide an unknown or repeated tip: one run shows everything.
    "alles-fout.md": (
        {"title: Een testleerpad\n": "", "tip: phishing-herkennen": "tip: wachtwoord-vergetn"},
        ["1:1: title: verplicht veld ontbreekt.", "9:5: steps[1].tip: onbekende waarde 'wachtwoord-vergetn'"],
    ),
    "een-tip.md": (
        {
            "steps:\n  - tip: wachtwoord-vergeten\n    why: Eerst dit.\n": "date: 2026-10-14\n",
            "  - tip: phishing-herkennen\n": "",
        },
        ["1:1: bestand: dit lijkt een tip: een tip hoort in tips/<dienst>/<naam>.md"],
    ),
    "te-lang.md": (
        {
            "  - tip: phishing-herkennen\n": "".join(
                f"  - tip: {slug}\n"
                for slug in [
                    "phishing-herkennen",
                    "sneltoetsen-windows",
                    "teams-status-en-meldingen",
                    "mfa-nieuwe-gsm",
                    "snel-zoeken-in-outlook",
                    "onedrive-bestanden-op-aanvraag",
                    "verlof-aanvragen-in-het-portaal",
                    "wachtwoordmanager-gebruiken",
                    "scherm-delen-met-burger",
                    "copilot-goede-prompt",
                    "onedrive-versiegeschiedenis",
                    "chatgpt-geen-persoonsgegevens",
                ]
            )  # fmt: skip
        },
        [f"steps[{MAX_PATH_STEPS}]: een leerpad telt hoogstens {MAX_PATH_STEPS} stappen", "dit pad telt er 13"],
    ),
}


def test_broken_paths_get_positioned_dutch_errors_and_stay_untouched(repo):
    folder = repo / "tips/leerpaden"
    for name, (replacements, _) in BROKEN_PATHS.items():
        text = GOOD_PATH
        for old, new in replacements.items():
            assert old in text, (name, old)
            text = text.replace(old, new)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "goed.md").write_text(GOOD_PATH, encoding="utf-8")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}

    proc = validate(repo)

    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    for name, (_, parts) in BROKEN_PATHS.items():
        rel = f"tips/leerpaden/{name}"
        found = [line for line in lines if line.startswith(rel + ":")]
        assert found, (name, proc.stdout)
        for part in parts:
            assert any(part in line for line in found), (name, part, found)
    assert not [line for line in lines if line.startswith("tips/leerpaden/goed.md:")]
    assert not [line for line in lines if "dienstmap" in line]  # not mistaken for a tip in a department folder
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()} == before


def test_misplaced_path_and_reserved_folder_name(repo):
    (repo / "tips/leerpaden/oud").mkdir()
    (repo / "tips/leerpaden/oud/pad.md").write_text(GOOD_PATH, encoding="utf-8")
    edit(repo / "tips/taxonomy.yml", "  ict:\n", "  leerpaden: Leerpaden\n  ict:\n", 1)
    proc = kennisbank("validate", cwd=repo)  # in this process; the test above runs the console script
    assert proc.returncode == 1
    assert "tips/leerpaden/oud/pad.md:1:1: bestand: een leerpad hoort in tips/leerpaden/<naam>.md" in proc.stdout
    assert "departments.leerpaden: 'leerpaden' is de map met de leerpaden" in proc.stdout


# --- in the browser ---------------------------------------------------------------------------------------


def test_ticks_survive_a_reload_and_reset_clears_them(site_url, page):
    url = site_url + path_url("je-eerste-week")
    page.goto(url)
    counter = page.locator("[data-kb-progress-count]")
    assert counter.text_content() == "0 van 7 gedaan"
    page.get_by_label("Stap 2 gedaan", exact=False).check()
    page.get_by_label("Stap 5 gedaan", exact=False).check()
    assert counter.text_content() == "2 van 7 gedaan"
    page.reload()
    assert page.locator("[data-kb-progress-count]").text_content() == "2 van 7 gedaan"
    checked = page.eval_on_selector_all("[data-kb-step-check]", "boxes => boxes.map(b => b.checked)")
    assert checked == [False, True, False, False, True, False, False]
    # Kept in this browser only, by tip: a reordered path keeps its ticks.
    stored = page.evaluate("() => localStorage.getItem('kennisbank.leerpad.je-eerste-week')")
    assert json.loads(stored) == ["sneltoetsen-windows", "onedrive-bestanden-op-aanvraag"]
    # Another path has its own ticks.
    page.goto(site_url + path_url("veilig-werken"))
    assert page.locator("[data-kb-progress-count]").text_content() == "0 van 6 gedaan"
    page.goto(url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Opnieuw beginnen").click()
    assert page.locator("[data-kb-progress-count]").text_content() == "0 van 7 gedaan"
    page.reload()
    assert page.locator("[data-kb-step-check]:checked").count() == 0


def test_a_browser_that_keeps_nothing_still_counts_and_says_so(site_url, page):
    page.add_init_script("Storage.prototype.setItem = () => { throw new DOMException('vol', 'QuotaExceededError'); }")
    page.goto(site_url + path_url("veilig-werken"))
    page.get_by_label("Stap 1 gedaan", exact=False).check()
    assert page.locator("[data-kb-progress-count]").text_content() == "1 van 6 gedaan"
    assert "je vinkjes verdwijnen als je de pagina sluit" in page.locator("[data-kb-progress-privacy]").text_content()


def test_without_javascript_the_steps_are_still_listed(site_url, browser):
    context = browser.new_context(locale="nl-BE", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + path_url("veilig-werken"))
        assert page.locator(".kb-step__title").count() == 6
        assert page.locator(".kb-step__title").first.is_visible()
        assert not page.locator("[data-kb-progress]").is_visible()  # no counter that would not count
    finally:
        context.close()


def test_every_sample_path_prints_as_a_one_page_checklist(site_url, page, knowledge):
    for path in knowledge.paths:
        page.goto(site_url + path_url(path.slug))
        page.get_by_label("Stap 1 gedaan", exact=False).check()  # paper gets empty boxes all the same
        assert pdf_pages(page.pdf(format="A4")) == 1, path.slug
        page.emulate_media(media="print")
        assert page.locator(".kb-step__box").first.is_visible(), path.slug
        assert not page.locator(".kb-step__check").first.is_visible()
        assert not page.locator("[data-kb-progress]").is_visible()
        assert not page.locator(".kb-path-intro").is_visible()
        assert page.locator(".kb-path-sign").is_visible()
        assert "Naam:" in page.locator(".kb-path-sign").text_content()
        urls = page.locator(".kb-step__url").all_text_contents()
        assert urls[0] == "127.0.0.1:8000/" + tip_url(path.steps[0].tip.slug)
        page.emulate_media(media="null")


@pytest.fixture(scope="module")
def largest_path_site(tmp_path_factory) -> Iterator[str]:
    """The sample with the largest path validation allows (12 steps whose tips have titles of the maximum length,
    long summaries and long file names, a why line of the maximum length, the longest title and summary, every
    department), built with Material's instant navigation switched on, served at its own site URL (instant
    navigation only takes over links to pages in the sitemap, which holds full addresses)."""
    repo = copy_content(tmp_path_factory.mktemp("paths") / "repo")
    long_title = (
        "Werkmap MOET WEG, zo verplaats je een gedeelde OneDrive-map met alle machtigingen naar Teams, stap voor stap "
    )
    long_summary = ("Een lange samenvatting die op papier niet past. " * 6).strip()
    slugs = []
    for number in range(1, MAX_PATH_STEPS + 1):
        slug = f"zo-verplaats-je-een-gedeelde-onedrive-map-met-alle-machtigingen-naar-teams-stap-voor-stap-{number:02d}"
        title = f"{number:02d} {long_title * 2}"[:120].strip()
        replace = {"title: Een testtip over Outlook": f"title: {title}", "Een korte samenvatting.": long_summary}
        write_tip(repo, f"tips/burgerzaken/{slug}.md", replace=replace)
        slugs.append(slug)
    why = "Waarom deze stap op deze plaats komt, in één regel van de grootste lengte die de controle toelaat " * 2
    title = "Een leerpad met de langste titel die past, voor het drukwerk van de onthaalmap " * 2
    summary = "Een samenvatting die de hele regel vult en nog wat verder loopt. " * 5
    departments = "burgerzaken, financien, personeel-organisatie, ict, omgeving, technische-dienst, vrije-tijd"
    steps = "".join(f"  - tip: {slug}\n    why: {why[:120].strip()}\n" for slug in slugs)
    (repo / "tips/leerpaden/het-langste-pad.md").write_text(
        f"---\ntitle: {title[:120].strip()}\nsummary: {summary[:300].strip()}\ndepartments: [{departments}]\n"
        f"difficulty: gevorderd\nnew_colleagues: true\ncoach: katrien-goethals\nsteps:\n{steps}---\n"
        "Een inleiding die op papier wegvalt.\n",
        encoding="utf-8",
    )
    # A path named like the page's own sections, with body headings that would repeat their ids.
    (repo / "tips/leerpaden/stappen.md").write_text(
        f"---\ntitle: Stappen\nsummary: Kort.\ndepartments: [alle]\ndifficulty: basis\ncoach: katrien-goethals\n"
        f"steps:\n  - tip: {slugs[0]}\n---\n## Stappen\n\n## Kb stappen\n\n## Titel {{#kb-titel}}\n\nTekst.\n",
        encoding="utf-8",
    )
    assert load_repository(repo, today=TODAY).errors == []
    edit(repo / "mkdocs.yml", "    - navigation.tabs\n", "    - navigation.tabs\n    - navigation.instant\n")
    with serve(repo / "site") as base:  # the folder is made by the build; the server only needs its name
        proc = mkdocs_build(repo, repo / "site", KENNISBANK_SITE_URL=base)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        yield base


@pytest.mark.build
def test_the_largest_allowed_path_still_prints_on_one_page(largest_path_site, page):
    page.goto(largest_path_site + path_url("het-langste-pad"))
    assert page.locator(".kb-step").count() == MAX_PATH_STEPS
    assert pdf_pages(page.pdf(format="A4")) == 1
    page.set_viewport_size({"width": 690, "height": 1000})  # the width of A4 within its margins
    page.emulate_media(media="print")
    assert not page.locator(".kb-path-header .kb-tip-summary").is_visible()  # the summary is for the screen
    first = page.locator(".kb-step__title").first
    assert first.is_visible() and len(first.text_content()) >= 119  # cut off on paper, whole in the page
    clipped = "e => e.scrollWidth > e.clientWidth && getComputedStyle(e).textOverflow === 'ellipsis'"
    assert first.evaluate(clipped)


@pytest.mark.build
def test_ids_on_a_path_page_are_unique_whatever_its_name_and_headings(largest_path_site, page):
    page.goto(largest_path_site + path_url("stappen"))
    ids = page.eval_on_selector_all("[id]", "all => all.map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert page.locator("section.kb-path-steps").get_attribute("aria-labelledby") == "kb-stappen"
    assert page.locator("#kb-stappen").text_content() == "Stappen"
    assert page.locator("#kb-titel").text_content() == "Stappen"
    assert page.locator(".kb-path-intro #stappen").count() == 1  # the body's own heading keeps its plain id
    # The table of contents still reaches the body's headings.
    for href in page.eval_on_selector_all(".md-nav--secondary a[href^='#']", "all => all.map(a => a.hash)"):
        assert page.locator(f"[id='{href[1:]}']").count() == 1, href


@pytest.mark.build
def test_ticks_work_after_instant_navigation(largest_path_site, page):
    """With navigation.instant, Material swaps the page without loading it; the script sets up each new one."""
    page.goto(largest_path_site + "leerpaden/")
    page.evaluate("() => { window.kbLoaded = true; }")  # gone after a real page load
    page.locator("a.kb-path-item__title", has_text="Veilig werken").click()
    page.wait_for_url(re.compile(r"/leerpaden/veilig-werken/$"))
    page.wait_for_selector("[data-kb-path=veilig-werken]")
    assert page.evaluate("() => window.kbLoaded === true"), "geen instant navigation: de test zegt dan niets"
    page.get_by_label("Stap 3 gedaan", exact=False).check()
    assert page.locator("[data-kb-progress-count]").text_content() == "1 van 6 gedaan"
    assert page.locator("[data-kb-progress]").is_visible()


# --- the dev server ---------------------------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.linux  # the dev server is stopped as a process group
def test_a_saved_path_reaches_its_tips_and_the_pages_that_list_it(dev_server: DevServer, repo: Path) -> None:  # noqa: F811
    before, start = page_times(dev_server), dev_server.log_size()
    path_file = repo / "tips/leerpaden/veilig-werken.md"
    text = path_file.read_text(encoding="utf-8").replace("title: Veilig werken", "title: Veilig online werken")
    text = text.replace("---\nElke collega", "  - tip: gedeelde-mailbox-toevoegen\n---\nElke collega")
    write_saved(path_file, text)
    html = dev_server.wait_for("tips/gedeelde-mailbox-toevoegen/", "Veilig online werken")
    dev_server.wait_for_log("Reloading browsers", start)
    assert "(stap 7 van 7)" in html
    changed = rewritten(before, page_times(dev_server))
    assert {
        "leerpaden/veilig-werken/index.html",
        "leerpaden/index.html",
        "start-hier/index.html",
        "diensten/burgerzaken/index.html",
        "tips/gedeelde-mailbox-toevoegen/index.html",  # the new step
        "tips/phishing-herkennen/index.html",  # names the path's new title
        "tips/onedrive-versiegeschiedenis/index.html",  # no longer the last step: it names the next one
    } <= changed
    following = re.search(r"Volgende stap:\s*<a[^>]*>([^<]+)</a>", dev_server.page("tips/onedrive-versiegeschiedenis/"))
    assert following and following.group(1) == "Een gedeelde mailbox toevoegen in Outlook"
    # Tips that are not in the path, and index pages that do not list paths, stay as they were.
    assert not {"tips/draaitabel-maken/index.html", "tools/excel/index.html"} & changed


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md"])
def test_the_documented_example_path_is_valid(repo, document, capsys):
    text = (ROOT / document).read_text(encoding="utf-8")
    section = text[text.index("tips/leerpaden/") :]
    example = re.search(r"```yaml\n(---\n.*?\n---\n.*?)```", section, re.S)
    assert example, document
    (repo / "tips/leerpaden/voorbeeld.md").write_text(example.group(1), encoding="utf-8")
    assert main(["--root", str(repo), "validate", "--today", TODAY.isoformat()]) == 0
    assert "tips/leerpaden/voorbeeld.md" not in capsys.readouterr().out
