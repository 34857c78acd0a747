"""Usage beacons (issue 25) in headless Chromium against the built sample site: what the browser reports of a
search, a click on a result and "Heeft deze tip je geholpen?", read back from the test server's own log the way
the importer reads the intranet's access log. Beacons are forced on with ?kb-meten=1 (the server is 127.0.0.1)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import BuiltSite
from kennisbank.site.beacons import BEACONS

TIP = "outlook-afwezigheidsbericht"
FORCE = "?kb-meten=1"
FIELDS = {"zoek.txt": ["q", "n", "t"], "klik.txt": ["tip", "q"], "feedback.txt": ["tip", "antwoord", "reden"]}


@dataclass(frozen=True)
class Beacon:
    file: str  # zoek.txt, klik.txt or feedback.txt
    fields: tuple[tuple[str, str], ...]  # decoded, in the order sent
    headers: dict[str, str]  # lower-case names

    @property
    def params(self) -> dict[str, str]:
        return dict(self.fields)


class _Log:
    """The requests the test server saw, as an access log would hold them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, str]]] = []

    def beacons(self) -> list[Beacon]:
        with self.lock:
            seen = list(self.requests)
        found = []
        for target, headers in seen:
            parts = urlsplit(target)
            if parts.path.startswith("/gebruik/"):
                fields = tuple(parse_qsl(parts.query, keep_blank_values=True))
                found.append(Beacon(parts.path.removeprefix("/gebruik/"), fields, headers))
        return found

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    log: _Log

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        with self.log.lock:
            self.log.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@dataclass
class Server:
    url: str
    log: _Log


@contextlib.contextmanager
def recording_server(directory: Path) -> Iterator[Server]:
    """Serve a folder on 127.0.0.1 and keep every request's target and headers."""
    log = _Log()
    handler = functools.partial(type("Handler", (_RecordingHandler,), {"log": log}), directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}/", log)
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(sample_site: BuiltSite) -> Iterator[Server]:
    with recording_server(sample_site.site) as running:
        yield running


@pytest.fixture
def visit(browser, server):
    """A fresh browser context with a cookie for the site (the beacons must not carry it); yields a page."""
    server.log.clear()
    contexts = []

    def open_page(**options):
        context = browser.new_context(locale="nl-BE", **options)
        context.clock.install()  # time runs as usual; `let_settle` jumps over the two seconds that settle a search
        context.add_cookies([{"name": "intranet-sessie", "value": "geheim123", "url": server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def wait_for_beacons(server: Server, count: int, timeout: float = 6.0) -> list[Beacon]:
    """The beacons once at least `count` have arrived (or whatever came within `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = server.log.beacons()
        if len(found) >= count:
            return found
        time.sleep(0.05)
    return server.log.beacons()


def let_settle(page, server: Server | None = None) -> None:
    """Jump the page's clock past the two seconds after which results on screen count as a settled search
    (reporter.js SETTLED_MS); with `server`, also give a beacon sent then the time to reach it."""
    page.clock.fast_forward(2500)
    if server is not None:
        time.sleep(0.5)


def assert_anonymous(beacons: list[Beacon]) -> None:
    """Only the contract's fields, no cookie, nothing from the browser's storage."""
    for beacon in beacons:
        names = [name for name, _ in beacon.fields]
        expected = FIELDS[beacon.file]
        assert names == expected[: len(names)], beacon
        assert "cookie" not in beacon.headers, beacon
        assert "geheim123" not in repr(beacon), beacon


def search_ready(page, selector: str = "[data-kb-search]") -> None:
    page.wait_for_function(
        "s => { const r = document.querySelector(s); return r && r.kbSearch && r.kbSearch.engine.language; }",
        arg=selector,
    )


def page_counts(page) -> tuple[int, int]:
    """What the page itself shows: results without 'Bevat niet' (n) and the number found (t)."""
    status = page.locator(".kb-search__status").first.inner_text()
    match = re.search(r"(\d+) tips? gevonden", status)
    total = int(match.group(1)) if match else 0
    assert match or "Geen tips gevonden" in status, status
    complete = page.locator(".kb-result:not(:has(.kb-result__missing))").count()
    assert complete < 20 or complete == total  # every complete result is on screen (they come first)
    return complete, total


def test_beacon_files_are_in_the_built_site(sample_site):
    assert [p.removeprefix("gebruik/") for p in BEACONS] == ["zoek.txt", "klik.txt", "feedback.txt"]
    for path in BEACONS:
        assert (sample_site.site / path).read_bytes() == b"ok\n"
    assert "kennisbank-usage.js" in sample_site.page("zoeken/")


def test_typing_letter_by_letter_reports_one_settled_search(server, visit):
    page = visit()
    page.goto(server.url + "zoeken/" + FORCE)
    search_ready(page)
    page.locator(".kb-search--global input[type=search]").press_sequentially("wachtwoord vergeten", delay=70)
    page.wait_for_selector(".kb-result")
    # The whole query's results on screen before the clock jumps: a jump over results of "wachtwoord verg"
    # that a busy machine left on screen would settle those.
    page.wait_for_function(
        "document.querySelector('[data-kb-search]').kbSearch.reporter.onScreen?.q === 'wachtwoord vergeten'"
    )
    let_settle(page)
    found = wait_for_beacons(server, 1, timeout=5)
    let_settle(page, server)  # nothing more comes: not per keystroke, not twice
    found = server.log.beacons()
    assert [b.file for b in found] == ["zoek.txt"], found
    n, t = page_counts(page)
    assert found[0].params == {"q": "wachtwoord vergeten", "n": str(n), "t": str(t)}
    assert n >= 1 and t >= n
    assert_anonymous(found)
    # The page itself did carry the site's cookie: the beacons leave it out on purpose.
    with server.log.lock:
        assert any("geheim123" in headers.get("cookie", "") for _, headers in server.log.requests)


@pytest.mark.parametrize("query", ["qqxzzkwv", "wachtwoord olifant"])
def test_a_search_without_a_complete_result_reports_n_0(server, visit, query):
    """Nothing found at all, and results that each lack a word ("Bevat niet: olifant"): both found nothing."""
    page = visit()
    page.goto(server.url + "zoeken/" + FORCE)
    search_ready(page)
    box = page.locator(".kb-search--global input[type=search]")
    box.fill(query)
    box.press("Enter")  # Enter settles at once
    found = wait_for_beacons(server, 1, timeout=3)
    n, t = page_counts(page)
    assert n == 0
    assert [b.params for b in found] == [{"q": query, "n": "0", "t": str(t)}]
    assert (t == 0) == (query == "qqxzzkwv")
    assert_anonymous(found)


def test_a_pasted_paragraph_is_cut_to_100_characters(server, visit):
    page = visit()
    page.goto(server.url + "zoeken/" + FORCE)
    search_ready(page)
    box = page.locator(".kb-search--global input[type=search]")
    box.fill("wachtwoord ë€ " * 15)  # 210 characters, some of them several bytes
    box.press("Enter")
    found = wait_for_beacons(server, 1, timeout=3)
    assert [b.file for b in found] == ["zoek.txt"]
    assert found[0].params["q"] == ("wachtwoord ë€ " * 15)[:100]


def test_a_click_on_a_result_reports_the_search_and_the_tip(server, visit):
    page = visit()
    page.goto(server.url + "diensten/secretariaat/" + FORCE)  # the department's own search box
    search_ready(page)
    page.locator(".kb-search input[type=search]").fill("Afwezigheidsbericht")
    page.wait_for_selector(f".kb-result[data-kb-tip='{TIP}']")
    page.locator(f".kb-result[data-kb-tip='{TIP}'] a").click()  # before the two seconds are over
    page.wait_for_url(f"**/tips/{TIP}/")
    found = wait_for_beacons(server, 2)
    # Both leave at once on separate connections, so the server may log either first (the import allows it).
    assert sorted(b.file for b in found) == ["klik.txt", "zoek.txt"], found
    search = next(b.params for b in found if b.file == "zoek.txt")
    click = next(b.params for b in found if b.file == "klik.txt")
    assert search == {"q": "Afwezigheidsbericht", "n": search.get("n"), "t": search.get("t")}
    assert int(search["n"]) >= 1 and int(search["t"]) >= int(search["n"])
    assert click == {"tip": TIP, "q": "Afwezigheidsbericht"}
    assert_anonymous(found)


def test_header_search_reports_once_also_when_the_search_page_takes_over(server, visit):
    page = visit()
    page.goto(server.url + "tips/" + TIP + "/" + FORCE)
    page.locator("#kb-header-q").press_sequentially("teams", delay=50)
    page.get_by_role("option", name="Alle resultaten voor 'teams'").wait_for()  # the whole word's, see above
    let_settle(page)
    found = wait_for_beacons(server, 1, timeout=5)
    assert [(b.file, b.params["q"]) for b in found] == [("zoek.txt", "teams")]
    page.locator("#kb-header-q").press("Enter")  # the full results on the search page: the same search
    page.wait_for_url("**/zoeken/?q=teams")
    page.wait_for_selector(".kb-result")
    let_settle(page, server)
    assert len(server.log.beacons()) == 1, server.log.beacons()
    assert_anonymous(found)


def test_a_suggestion_chosen_in_the_header_reports_the_search_and_the_click(server, visit):
    page = visit()
    page.goto(server.url + "nieuw/" + FORCE)
    # One input event: typed key by key, a loaded machine can leave "afwe" on screen for the two seconds that
    # settle a search, and the page then rightly reports it (seen under load); that is not what this test is about.
    page.locator("#kb-header-q").fill("afwezigheidsbericht")
    page.wait_for_selector("#kb-header-suggestions .kb-suggest__tip")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tips/**")
    found = wait_for_beacons(server, 2)
    slug = page.url.rstrip("/").split("/")[-1]
    assert [b.file for b in found] == ["zoek.txt", "klik.txt"]
    assert found[0].params["q"] == "afwezigheidsbericht" and int(found[0].params["n"]) >= 1
    assert found[1].params == {"tip": slug, "q": "afwezigheidsbericht"}
    assert_anonymous(found)


def test_a_learning_path_chosen_in_the_header_reports_the_search_and_no_click(server, visit):
    page = visit()
    page.goto(server.url + "nieuw/" + FORCE)
    page.locator("#kb-header-q").fill("eerste week")
    page.wait_for_selector("#kb-header-suggestions .kb-suggest__path")
    page.locator("#kb-header-suggestions .kb-suggest__path").click()
    page.wait_for_url("**/leerpaden/je-eerste-week/")
    found = wait_for_beacons(server, 1)
    let_settle(page, server)
    assert [(b.file, b.params["q"]) for b in server.log.beacons()] == [("zoek.txt", "eerste week")]
    assert_anonymous(found)


def test_leaving_the_page_settles_the_search_on_screen(server, visit):
    page = visit()
    page.goto(server.url + "zoeken/" + FORCE)
    search_ready(page)
    page.locator(".kb-search--global input[type=search]").fill("gedeelde mailbox")
    page.wait_for_selector(".kb-result")
    page.wait_for_function("document.querySelector('[data-kb-search]').kbSearch.reporter.outcome !== null")
    page.goto(server.url + "nieuw/")  # within the two seconds
    found = wait_for_beacons(server, 1)
    assert [(b.file, b.params["q"]) for b in found] == [("zoek.txt", "gedeelde mailbox")]


def test_beacons_follow_the_site_under_a_sub_path(sample_site, browser, tmp_path):
    """Intranets often serve the site at /kennisbank/: the beacon files are requested there too."""
    (tmp_path / "kennisbank").symlink_to(sample_site.site, target_is_directory=True)
    context = browser.new_context(locale="nl-BE")
    try:
        with recording_server(tmp_path) as running:
            page = context.new_page()
            page.goto(running.url + f"kennisbank/tips/{TIP}/" + FORCE)
            feedback_section(page).get_by_role("button", name="Ja").click()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and not any("feedback" in t for t, _ in running.log.requests):
                time.sleep(0.05)
            targets = [t for t, _ in running.log.requests if "feedback" in t]
    finally:
        context.close()
    assert targets == [f"/kennisbank/gebruik/feedback.txt?tip={TIP}&antwoord=ja"]
    assert (tmp_path / "kennisbank/gebruik/feedback.txt").is_file()


def feedback_section(page):
    return page.locator("section[data-kb-feedback]")


def test_feedback_yes_is_sent_once(server, visit):
    page = visit()
    page.goto(server.url + f"tips/{TIP}/" + FORCE)
    widget = feedback_section(page)
    assert widget.get_by_role("heading", name="Heeft deze tip je geholpen?").is_visible()
    yes = widget.get_by_role("button", name="Ja")
    yes.dblclick()  # a double click counts once
    # Answered buttons say aria-disabled (they stay in the tab order); a click on one still sends nothing.
    widget.get_by_role("button", name="Nee").click(force=True)
    found = wait_for_beacons(server, 1)
    time.sleep(0.5)
    assert [(b.file, b.fields) for b in server.log.beacons()] == [("feedback.txt", (("tip", TIP), ("antwoord", "ja")))]
    assert yes.get_attribute("aria-pressed") == "true"
    assert widget.locator("[role=status]").inner_text() == "Bedankt voor je antwoord!"
    assert not widget.locator(".kb-feedback__reasons").is_visible()
    # The tab remembers the tip's slug, nothing else; a reload does not ask again.
    stored = page.evaluate("() => ({...sessionStorage})")
    assert stored == {"kennisbank.beantwoord": f'["{TIP}"]'}
    local = page.evaluate("() => ({...localStorage})")  # Material keeps its palette there, nothing of ours
    assert not [key for key, value in local.items() if "kennisbank" in key or TIP in value], local
    page.reload()
    assert "al" in widget.locator("[role=status]").inner_text()
    assert not widget.get_by_role("button", name="Ja").is_visible()
    time.sleep(0.3)
    assert len(server.log.beacons()) == 1
    assert_anonymous(found)


def test_feedback_no_with_a_reason_by_keyboard(server, visit):
    page = visit()
    page.goto(server.url + f"tips/{TIP}/" + FORCE)
    widget = feedback_section(page)
    widget.get_by_role("button", name="Nee").focus()
    page.keyboard.press("Enter")
    reasons = widget.locator(".kb-feedback__reasons")
    reasons.wait_for(state="visible")
    assert "Wat was er mis?" in reasons.inner_text()
    page.keyboard.press("Tab")  # from Nee straight to the first reason
    assert page.evaluate("document.activeElement.dataset.kbReason") == "verouderd"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # Onduidelijk
    widget.get_by_role("button", name="Niet wat ik zocht").click(force=True)  # a second reason is not sent
    found = wait_for_beacons(server, 2)
    time.sleep(0.5)
    assert [b.fields for b in server.log.beacons()] == [
        (("tip", TIP), ("antwoord", "nee")),
        (("tip", TIP), ("antwoord", "nee"), ("reden", "onduidelijk")),
    ]
    assert widget.get_by_role("button", name="Onduidelijk").get_attribute("aria-pressed") == "true"
    assert "Bedankt" in widget.locator("[role=status]").inner_text()
    assert_anonymous(found)


def test_nothing_is_sent_from_this_computer_unless_forced(server, visit):
    page = visit()
    page.goto(server.url + f"tips/{TIP}/")
    feedback_section(page).get_by_role("button", name="Ja").click()
    page.goto(server.url + "zoeken/")
    search_ready(page)
    box = page.locator(".kb-search--global input[type=search]")
    box.fill("wachtwoord")
    box.press("Enter")
    page.wait_for_selector(".kb-result")
    page.locator(".kb-result a").first.click()
    page.wait_for_url("**/tips/**")
    let_settle(page, server)
    assert server.log.beacons() == []


def test_without_javascript_and_on_paper_the_question_is_not_shown(server, visit):
    page = visit(java_script_enabled=False)
    page.goto(server.url + f"tips/{TIP}/")
    assert feedback_section(page).count() == 1
    assert not feedback_section(page).is_visible()
    page = visit()
    page.goto(server.url + f"tips/{TIP}/")
    assert feedback_section(page).is_visible()
    page.emulate_media(media="print")
    assert not feedback_section(page).is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_feedback_is_usable_on_a_phone(server, visit, scheme):
    page = visit(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, color_scheme=scheme)
    page.goto(server.url + f"tips/{TIP}/" + FORCE)
    widget = feedback_section(page)
    widget.scroll_into_view_if_needed()
    no = widget.get_by_role("button", name="Nee")
    no.tap()
    reason = widget.get_by_role("button", name="Niet wat ik zocht")
    reason.wait_for(state="visible")
    for button in (widget.get_by_role("button", name="Ja"), no, reason):
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert box["height"] >= 40, box  # big enough to tap
    reason.tap()
    found = wait_for_beacons(server, 2)
    assert [b.params.get("reden") for b in found] == [None, "niet-gezocht"]
    # The pressed button is readable: its text differs clearly from its background.
    colours = reason.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
    assert colours[0] != colours[1]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
