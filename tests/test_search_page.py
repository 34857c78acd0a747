"""The search page in headless Chromium as a colleague meets it: the first results within the first screen
on a desktop and on a phone, the tips that lack a query word apart from those that have them all, learning
paths among the results, and hand-made filter values in a link that must not break the page."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SETTLE = "document.querySelector('[data-kb-search]').kbSearch.settled()"


@contextmanager
def page_at(browser, viewport: dict, **options):
    context = browser.new_context(locale="nl-BE", viewport=viewport, **options)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_search(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("document.querySelector('[data-kb-search]').kbSearch !== undefined")
    page.evaluate("document.querySelector('[data-kb-search]').kbSearch.ready")
    page.evaluate(SETTLE)


@pytest.mark.parametrize(
    ("viewport", "options"),
    [(DESKTOP, {}), (PHONE, {"is_mobile": True, "has_touch": True, "device_scale_factor": 3})],
    ids=["desktop-1280x800", "telefoon-390x844"],
)
def test_the_first_result_is_in_the_first_screen(browser, site_url, viewport, options):
    with page_at(browser, viewport, **options) as page:
        open_search(page, site_url + "zoeken/?q=wachtwoord")
        first = page.locator(".kb-result").first
        first.wait_for()
        box = first.bounding_box()
        assert box is not None and box["y"] < viewport["height"], box
        filters = page.locator("details.kb-facets-box")
        summary = filters.locator("summary")
        assert summary.inner_text() == "Filters"
        if viewport is DESKTOP:
            # Beside the results, open, and still in the first screen.
            assert filters.get_attribute("open") is not None
            facets = page.locator(".kb-facets-box").bounding_box()
            results = page.locator(".kb-search__main").bounding_box()
            assert facets["x"] + facets["width"] <= results["x"] and facets["y"] < viewport["height"]
        else:
            # Folded above the results; a keyboard opens it.
            assert filters.get_attribute("open") is None
            assert not page.locator('.kb-facet[data-facet="tool"]').is_visible()
            summary.focus()
            page.keyboard.press("Enter")
            page.locator('.kb-facet[data-facet="tool"]').wait_for()
            assert filters.get_attribute("open") is not None


def test_tips_that_lack_a_word_stand_apart_under_their_own_heading(browser, site_url):
    with page_at(browser, DESKTOP) as page:
        open_search(page, site_url + "zoeken/?q=teams+meldingen")
        complete = page.locator("ol.kb-results:not(.kb-results--partial) > .kb-result")
        partial = page.locator("ol.kb-results--partial > .kb-result")
        heading = page.get_by_role("heading", name="Tips met een deel van je zoekwoorden")
        assert complete.count() >= 1 and partial.count() >= 1
        assert heading.is_visible()
        # The complete ones have a heading too, for screen readers (the status line says it on screen).
        assert page.get_by_role("heading", name="Tips met al je zoekwoorden").count() == 1
        assert complete.locator(".kb-result__missing").count() == 0
        assert partial.locator(".kb-result__missing").count() == partial.count()
        assert "Bevat niet: " in partial.first.inner_text()
        last_complete = complete.last.bounding_box()
        heading_box = heading.bounding_box()
        assert heading_box["y"] >= last_complete["y"] + last_complete["height"]
        assert heading_box["y"] < partial.first.bounding_box()["y"]


def test_a_learning_path_is_found(browser, site_url):
    with page_at(browser, DESKTOP) as page:
        open_search(page, site_url + "zoeken/?q=je+eerste+week")
        paths = page.locator(".kb-results-paths")
        assert paths.get_by_role("heading", name="Leerpaden").is_visible()
        first = paths.locator(".kb-path-result").first
        assert first.get_attribute("data-url").endswith("/leerpaden/je-eerste-week/")
        assert "Leerpad · 7 stappen" in first.inner_text()
        assert "leerpad" in page.locator(".kb-search__status").inner_text()
        first.get_by_role("link", name="Je eerste week").click()
        page.wait_for_url("**/leerpaden/je-eerste-week/")


@pytest.mark.parametrize("link", ["?dienst=__proto__", "?tool=constructor", "?niveau=toString&bron=__proto__"])
def test_a_hand_made_filter_value_does_not_break_the_page(browser, site_url, link):
    with page_at(browser, DESKTOP) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        open_search(page, site_url + "zoeken/" + link)
        page.get_by_label("Zoekterm").fill("draaitabel")
        page.wait_for_function("document.querySelector('[data-kb-search]').kbSearch.input.value === 'draaitabel'")
        page.locator(".kb-result").first.wait_for()
        page.evaluate(SETTLE)
        assert page.locator(".kb-result").first.get_attribute("data-url").endswith("/tips/draaitabel-maken/")
        assert page.locator(".kb-facet").count() >= 3
        assert errors == []
