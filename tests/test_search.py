"""Search in headless Chromium against the built sample site: relevance on colleagues' queries, query
understanding (stop words, compounds, typos, diacritics), no dead ends, facets, department isolation and
the header suggestions."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlparse

import pytest
import yaml
from conftest import ROOT, TODAY
from kennisbank.checks.loader import load_repository

EVAL = ROOT / "tests/search_eval"
SET_NAMES = ("afstemming", "achtergehouden", "eigen")
SETS = {name: yaml.safe_load((EVAL / f"{name}.yml").read_text(encoding="utf-8")) for name in SET_NAMES}

RUN_QUERY = """async (query) => {
  const search = document.querySelector('[data-kb-search]').kbSearch;
  await search.ready;
  search.input.value = query;
  search.run();
  await search.settled();
  return {
    urls: [...search.results.querySelectorAll('.kb-result')].map(li => li.dataset.url),
    status: search.status.textContent,
    missing: [...search.results.querySelectorAll('.kb-result__missing')].map(p => p.textContent),
    help: search.helpBox.hidden ? null : search.helpBox.innerText,
  };
}"""


def slug_of(url: str) -> str:
    return url.rstrip("/").split("/")[-1]


def slugs(result: dict) -> list[str]:
    return [slug_of(u) for u in result["urls"]]


@pytest.fixture(scope="module")
def repository():
    return load_repository(ROOT, today=TODAY).repository


@pytest.fixture
def fresh_page(browser):
    """A page in a new browser context: nothing remembered from other tests."""
    context = browser.new_context(locale="nl-BE")
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def search_page(browser, site_url):
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    page.goto(site_url + "zoeken/")
    yield page
    context.close()


def test_query_sets_are_realistic_and_large_enough(repository):
    known = {t.slug for t in repository.tips}
    colleague = SETS["afstemming"] + SETS["achtergehouden"]
    assert len(colleague) >= 150 and len(SETS["achtergehouden"]) * 3 >= len(colleague) - 1
    assert all(q["expect"] in known for s in SETS.values() for q in s)
    queries = [q["query"].lower() for q in colleague]
    assert len(queries) == len(set(queries))


# Every query of a set in one call: the page runs them one after another as a colleague would, without a
# round trip to Python per query.
RUN_QUERIES = (
    """async (queries) => {
  const one = """
    + RUN_QUERY
    + """;
  const results = [];
  for (const query of queries) results.push(await one(query));
  return results;
}"""
)


def measure(page, cases: list[dict]) -> tuple[int, int, int, list]:
    first = top3 = empty = 0
    misses = []
    results = page.evaluate(RUN_QUERIES, [case["query"] for case in cases])
    for case, result in zip(cases, results, strict=True):
        found = slugs(result)
        first += bool(found) and found[0] == case["expect"]
        top3 += case["expect"] in found[:3]
        empty += not found
        if case["expect"] not in found[:3]:
            misses.append((case["query"], found[:3]))
    return first, top3, empty, misses


def test_relevance_on_colleagues_queries(search_page):
    """The goal of the search: first >= 75 %, top 3 >= 90 % on colleagues' queries, never an empty list.
    The held-out third is reported on its own (README); its misses are not printed, so tuning cannot use them."""
    totals = [0, 0, 0, 0]
    tuning_misses: list = []
    for name in ("afstemming", "achtergehouden", "eigen"):
        cases = SETS[name]
        first, top3, empty, misses = measure(search_page, cases)
        n = len(cases)
        print(f"\n{name}: eerste {first}/{n} ({first / n:.0%}), top 3 {top3}/{n} ({top3 / n:.0%}), leeg {empty}/{n}")
        if name != "eigen":
            totals = [totals[0] + first, totals[1] + top3, totals[2] + empty, totals[3] + n]
        if name == "afstemming":
            tuning_misses = misses
    first, top3, empty, n = totals
    print(f"collega's samen: eerste {first}/{n} ({first / n:.0%}), top 3 {top3}/{n} ({top3 / n:.0%}), leeg {empty}/{n}")
    assert empty == 0
    assert top3 / n >= 0.90, tuning_misses
    assert first / n >= 0.75, tuning_misses


def test_questions_lose_their_stop_words(search_page):
    result = search_page.evaluate(RUN_QUERY, "hoe stel ik een afwezigheidsbericht in")
    assert slugs(result)[0] == "outlook-afwezigheidsbericht"
    assert "Gezocht op: stel, afwezigheidsbericht." in result["status"]


def test_typo_is_corrected_with_a_message(search_page):
    result = search_page.evaluate(RUN_QUERY, "afwezigheidsbericth")
    assert "Bedoelde je 'afwezigheidsbericht'?" in result["status"]
    assert slugs(result)[0] == "outlook-afwezigheidsbericht"


def test_real_dutch_words_are_never_corrected(search_page):
    # "kleiner" is on no tip, but it is Dutch: the old corrector turned it into "kleine" and found nothing.
    result = search_page.evaluate(RUN_QUERY, "foto kleiner maken")
    assert "Bedoelde je" not in result["status"]
    assert "afbeeldingen-verkleinen" in slugs(result)[:3]


@pytest.mark.parametrize("query", ["tweestaps verificatie", "twee staps verificatie", "tweestapsverificatie"])
def test_split_and_joined_compounds_find_the_tip(search_page, query):
    assert slugs(search_page.evaluate(RUN_QUERY, query))[0] == "mfa-nieuwe-gsm"


def test_diacritics_are_folded(search_page):
    with_accent = slugs(search_page.evaluate(RUN_QUERY, "financiën"))
    assert with_accent and with_accent == slugs(search_page.evaluate(RUN_QUERY, "financien"))


def test_one_stray_word_does_not_empty_the_list(search_page):
    # No tip has "uitzetten" next to the others; the tip with the other words comes first and says what it lacks.
    result = search_page.evaluate(RUN_QUERY, "teams meldingen kwispelstaart")
    assert slugs(result)[0] == "teams-status-en-meldingen"
    assert result["missing"][0] == "Bevat niet: kwispelstaart"
    assert "Geen tip bevat al je zoekwoorden" in result["status"]


def test_synonyms_find_the_other_word(search_page):
    # The tip says "wachtwoord" and "paswoord"; "password" comes from tips/synoniemen.yml.
    assert "wachtwoord-vergeten" in slugs(search_page.evaluate(RUN_QUERY, "password"))[:3]
    assert slugs(search_page.evaluate(RUN_QUERY, "out of office"))[0] == "outlook-afwezigheidsbericht"


def test_no_dead_end_shows_the_coach_of_the_chosen_department(fresh_page, site_url, repository):
    page = fresh_page
    page.goto(site_url + "zoeken/")
    result = page.evaluate(RUN_QUERY, "qwzx vlpkrt")
    assert result["urls"] == [] and "Geen tips gevonden" in result["status"]
    assert "Niets gevonden? Vraag het je digicoach" in result["help"]
    page.get_by_label("Jouw dienst:").select_option("Burgerzaken")
    mail = page.locator(".kb-search-help__mail").first
    href = mail.get_attribute("href")
    coach = next(c for c in repository.coaches.values() if c.department == "burgerzaken" and c.active)
    assert href.startswith(f"mailto:{coach.email}?")
    body = parse_qs(urlparse(href).query)["body"][0]
    assert "Ik zocht 'qwzx vlpkrt' in de kennisbank en vond niets" in unquote(body)
    assert page.get_by_role("link", name="Zelf een tip voorstellen").is_visible()
    # The department is remembered in this browser: the next dead end shows the same coach at once.
    page.goto(site_url + "zoeken/?q=qwzx")
    page.wait_for_selector(".kb-search-help__mail")
    assert page.get_by_label("Jouw dienst:").input_value() == "Burgerzaken"
    assert coach.name in page.locator(".kb-search-help").inner_text()


def test_dead_end_offers_the_tool_page_of_a_query_word(search_page):
    result = search_page.evaluate(RUN_QUERY, "excel qwzx vlpkrt")
    assert result["help"] and "Alle tips over Excel" in result["help"]


def test_department_page_dead_end_shows_its_own_coaches(fresh_page, site_url, repository):
    page = fresh_page
    page.goto(site_url + "diensten/financien/")
    result = page.evaluate(RUN_QUERY, "qwzx")
    names = [c.name for c in repository.coaches.values() if c.department == "financien" and c.active]
    assert names and all(name in result["help"] for name in names)
    assert page.locator(".kb-search-help select").count() == 0


def test_results_show_title_summary_badges_and_coach(search_page, repository):
    search_page.evaluate(RUN_QUERY, "gedeelde mailbox")
    card = search_page.locator(".kb-result", has_text="Een gedeelde mailbox toevoegen in Outlook")
    tip = next(t for t in repository.tips if t.slug == "gedeelde-mailbox-toevoegen")
    text = card.inner_text()
    assert tip.summary in text and "Basis" in text and "Outlook" in text and "Burgerzaken" in text
    assert "Digicoach: Sofie Claeys" in text


def test_facets_combine_and_show_counts(search_page, repository):
    settle = "document.querySelector('[data-kb-search]').kbSearch.settled()"
    search_page.evaluate(RUN_QUERY, "mail")
    tool = search_page.locator('.kb-facet[data-facet="tool"] label', has_text="Outlook")
    outlook_count = int(tool.inner_text().split("(")[1].rstrip(")"))
    tool.click()
    search_page.evaluate(settle)
    search_page.locator('.kb-facet[data-facet="niveau"] label', has_text="Basis").click()
    search_page.evaluate(settle)
    urls = search_page.eval_on_selector_all(".kb-result", "els => els.map(e => e.dataset.url)")
    tips = {t.slug: t for t in repository.tips}
    assert urls and len(urls) <= outlook_count
    for url in urls:
        tip = tips[slug_of(url)]
        assert "outlook" in tip.tools and tip.difficulty == "basis", tip.slug
    basis = search_page.locator('.kb-facet[data-facet="niveau"] label', has_text="Basis").inner_text()
    assert f"({len(urls)})" in basis
    assert "tool=Outlook" in search_page.url and "niveau=Basis" in search_page.url


def test_department_search_never_returns_another_department(fresh_page, site_url, repository):
    page = fresh_page
    queries = ["outlook", "teams", "excel", "wachtwoord", "delen", "pdf", "mail", "copilot", "hoe deel ik een bestand"]
    tips = {t.slug: t for t in repository.tips}
    for department in repository.taxonomy.departments:
        page.goto(f"{site_url}diensten/{department}/")
        seen = 0
        for query, result in zip(queries, page.evaluate(RUN_QUERIES, queries), strict=True):
            for url in result["urls"]:
                tip = tips[slug_of(url)]
                assert department in tip.departments or tip.for_everyone, (department, query, tip.slug)
                seen += 1
        assert seen, department


def test_search_page_reads_query_from_url(fresh_page, site_url):
    page = fresh_page
    page.goto(site_url + "zoeken/?q=draaitabel")
    page.wait_for_selector(".kb-result")
    assert slug_of(page.locator(".kb-result").first.get_attribute("data-url")) == "draaitabel-maken"


def test_header_box_suggests_while_typing_and_works_by_keyboard(fresh_page, site_url):
    page = fresh_page
    page.goto(site_url + "tips/gedeelde-mailbox-toevoegen/")
    box = page.get_by_role("combobox", name="Zoek een tip")
    box.press_sequentially("draaitabel", delay=20)
    listbox = page.get_by_role("listbox", name="Suggesties")
    listbox.wait_for()
    # On a slow machine a pause between two letters shows the suggestions of "draaitab" first; wait for the whole word.
    page.get_by_role("option", name="Alle resultaten voor 'draaitabel'").wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    options = page.get_by_role("option")
    assert "draaitabel" in options.first.inner_text().lower()
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert options.first.get_attribute("aria-selected") == "true"
    box.press("s")  # new suggestions: nothing is chosen any more, and the box does not point at a lost option
    page.get_by_role("option", name="Alle resultaten voor 'draaitabels'").wait_for()
    assert box.get_attribute("aria-activedescendant") is None
    assert page.locator("[role=option][aria-selected=true]").count() == 0
    box.press("Backspace")
    page.get_by_role("option", name="Alle resultaten voor 'draaitabel'").wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("End")
    box.type(" ")  # typing reopens the list
    listbox.wait_for()
    box.press("ArrowDown")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.endswith("/tips/draaitabel-maken/")


def test_header_box_suggests_a_learning_path_that_has_every_word(fresh_page, site_url):
    page = fresh_page
    page.goto(site_url + "tips/gedeelde-mailbox-toevoegen/")
    box = page.get_by_role("combobox", name="Zoek een tip")
    box.fill("eerste week")
    path = page.get_by_role("option", name="Leerpad: Je eerste week")
    path.wait_for()
    names = page.get_by_role("option").all_inner_texts()
    assert names[-1] == "Alle resultaten voor 'eerste week'" and names[-2] == "Leerpad: Je eerste week", names
    assert sum(name.startswith("Leerpad:") for name in names) == 1
    assert [el.get_attribute("id") for el in page.get_by_role("option").all()] == [
        f"kb-header-option-{i}" for i in range(len(names))
    ]
    box.press("ArrowUp")  # from the box up: "Alle resultaten", once more: the learning path
    box.press("ArrowUp")
    assert path.get_attribute("aria-selected") == "true"
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.endswith("/leerpaden/je-eerste-week/")
    # A word the path lacks: no path among the suggestions, the tips still come.
    page.goto(site_url + "tips/gedeelde-mailbox-toevoegen/")
    box.fill("eerste week olifant")
    page.get_by_role("option", name="Alle resultaten voor 'eerste week olifant'").wait_for()
    assert not [n for n in page.get_by_role("option").all_inner_texts() if n.startswith("Leerpad:")]


def test_header_box_enter_opens_the_full_results(fresh_page, site_url):
    page = fresh_page
    page.goto(site_url + "tips/gedeelde-mailbox-toevoegen/")
    page.get_by_label("Zoek een tip").fill("draaitabel")
    page.keyboard.press("Enter")
    page.wait_for_selector(".kb-result")
    assert page.url.endswith("/zoeken/?q=draaitabel")
    assert slug_of(page.locator(".kb-result").first.get_attribute("data-url")) == "draaitabel-maken"
    assert page.locator(".kb-facet").count() >= 3  # the full page has the filters


def test_header_box_has_a_search_button(fresh_page, site_url):
    page = fresh_page
    page.goto(site_url + "tips/gedeelde-mailbox-toevoegen/")
    page.get_by_label("Zoek een tip").fill("draaitabel")
    page.locator(".kb-header-search").get_by_role("button", name="Zoeken").click()
    page.wait_for_selector(".kb-result")
    assert page.url.endswith("/zoeken/?q=draaitabel")
