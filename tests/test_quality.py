"""Quality gates as a colleague meets the site in Chromium: journeys, accessibility, offline, XSS, links."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import TODAY, copy_content, edit, mkdocs_build, pdf_pages, serve, write_tip
from kennisbank.checks.loader import load_repository
from lxml import html as lxml_html
from playwright.sync_api import expect

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def page_kinds(repo: Path) -> dict[str, str]:
    """One URL for every kind of page the site has."""
    repository = load_repository(repo, today=TODAY).repository
    upcoming = next(m for m in repository.meetings if m.date >= TODAY)
    past = next(m for m in repository.meetings if m.date < TODAY)
    return {
        "home": "",
        "department": "diensten/burgerzaken/",
        "tip": "tips/gedeelde-mailbox-toevoegen/",
        "stale tip": "tips/outlook-afwezigheidsbericht/",
        "tool": "tools/outlook/",
        "coach": "digicoaches/sofie-claeys/",
        "coach directory": "digicoaches/",
        "new": "nieuw/",
        "start here": "start-hier/",
        "learning paths": "leerpaden/",
        "learning path": f"leerpaden/{repository.paths[0].slug}/",
        "search": "zoeken/?q=mailbox",
        "upcoming meeting": f"overleg/{upcoming.date}/",
        "past meeting": f"overleg/{past.date}/",
        "meetings": "overleg/",
        "signals": "signalen/",
        "signal": f"signalen/{repository.signals[0].slug}/",
        "follow-up": "opvolging/",
        "about": "over/",
        "write a tip": "tip-schrijven/",
    }


def settle(page) -> None:
    """Wait for the search UI (if any) to have rendered its results."""
    if page.locator("[data-kb-search]").count():
        page.wait_for_function("""() => [...document.querySelectorAll('[data-kb-search]')]
            .every(e => e.kbSearch && e.kbSearch.engine.language !== undefined)""")
        if "q=" in page.url:
            page.wait_for_selector(".kb-result")


def test_colleague_journey_from_home_to_tip_via_badges(site_url, page):
    page.goto(site_url)
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("link", name="Burgerzaken", exact=True).first.click()
    expect(page.locator("article h1")).to_have_text("Dienst Burgerzaken")
    expect(page.get_by_role("heading", name="Wie is mijn digicoach?")).to_be_visible()
    page.locator(".kb-card__title", has_text="Een gedeelde mailbox toevoegen in Outlook").click()
    expect(page).to_have_url(re.compile(r"/tips/gedeelde-mailbox-toevoegen/$"))
    page.locator(".kb-tip-header a.kb-badge", has_text="Outlook").click()
    expect(page).to_have_url(re.compile(r"/tools/outlook/$"))
    expect(page.locator("article h1")).to_have_text("Outlook")
    page.goto(site_url + "tips/gedeelde-mailbox-toevoegen/")
    page.locator(".kb-tip-header a.kb-coach-link").click()
    expect(page).to_have_url(re.compile(r"/digicoaches/sofie-claeys/$"))
    expect(page.locator("article")).to_contain_text("sofie.claeys@koksijde.be")


def test_chair_journey_to_meeting_and_signals(site_url, page, sample_site):
    kinds = page_kinds(sample_site.repo)
    page.goto(site_url + "overleg/")
    page.locator("article a", has_text=" december ").first.click()
    expect(page).to_have_url(re.compile(re.escape(kinds["upcoming meeting"]) + "$"))
    expect(page.get_by_role("heading", name="2. Openstaande acties (10 min)")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Word", exact=True).click()
    assert download.value.suggested_filename == "agenda.docx"
    page.goto(site_url + "signalen/")
    page.locator("li[data-kb-signal] a").first.click()
    expect(page).to_have_url(re.compile(r"/signalen/[a-z0-9-]+/$"))
    expect(page.locator("article h1")).to_be_visible()


@pytest.mark.parametrize("kind", ["upcoming meeting", "past meeting", "tip"])
def test_skip_link_lands_on_the_page_title_before_the_agenda(site_url, page, sample_site, kind):
    page.goto(site_url + page_kinds(sample_site.repo)[kind])
    page.keyboard.press("Tab")  # the first stop on every page is Material's skip link
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash.length > 1", timeout=5000)  # the jump is a navigation: wait for it
    target = urlsplit(page.url).fragment
    title = page.locator("article h1")
    assert target and title.get_attribute("id") == target, f"de sprong gaat naar #{target}, niet naar de titel"
    expect(title).to_be_in_viewport()
    if kind.endswith("meeting"):
        # The agenda comes after where the jump lands, not before it (it used to land on "Verslag").
        assert page.evaluate(
            """t => document.getElementById(t).compareDocumentPosition(document.getElementById('agenda'))
                   & Node.DOCUMENT_POSITION_FOLLOWING""",
            target,
        )


def test_agenda_prints_on_a4_without_navigation(site_url, page, sample_site):
    page.goto(site_url + page_kinds(sample_site.repo)["upcoming meeting"])
    page.emulate_media(media="print")
    assert not page.locator(".kb-downloads").is_visible() and not page.locator(".md-header").is_visible()
    assert pdf_pages(page.pdf(format="A4")) <= 3
    page.goto(site_url + page_kinds(sample_site.repo)["upcoming meeting"] + "agenda.html")
    assert pdf_pages(page.pdf(format="A4")) <= 3


def load_side_by_side(context, urls: list[str]) -> list:
    """Open every URL in a tab of its own, all loading at once, and return the pages once each has settled and
    made no request for half a second (Playwright's "networkidle"): the half-second waits overlap instead of
    adding up."""
    pages = []
    for url in urls:
        pages.append(context.new_page())
        pages[-1].goto(url, wait_until="commit")
    for page in pages:
        page.wait_for_load_state("load")
        settle(page)
    for page in pages:
        page.wait_for_load_state("networkidle")
    return pages


# The dark scheme changes Material's colour variables, not the page: only the rules about colour can differ.
COLOUR_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}
SCHEME = {"light": "default", "dark": "slate"}  # Material's name for each


def switch_scheme(page, scheme: str) -> None:
    """Click Material's own palette button to `scheme` and wait until every colour transition has ended:
    axe measures the colours on screen, and halfway through a transition they are neither scheme's."""
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme === '{SCHEME[scheme]}'")
    page.evaluate("""() => Promise.all(document.getAnimations()
        .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
        .map(a => a.finished.catch(() => null)))""")


@dataclass
class Sweep:
    """What one visit of every kind of page in Chromium found."""

    violations: list[str]  # serious or critical axe violations, "kind (scheme): rule (impact) [targets]"
    outside: list[str]  # requests to any host but this machine (all stopped on the way out)


@pytest.fixture(scope="module")
def sweep(site_url, browser, sample_site) -> Iterator[Sweep]:
    """Every kind of page, loaded once, in both colour schemes, with every request watched.

    axe runs all WCAG A/AA rules in light and the colour rules in dark. The scheme a page opens in is the last
    choice (Material keeps it); the other one is reached through the palette button, so the pages alternate
    between opening light and opening dark. Requests are recorded by a listener (whatever their scheme or
    host, also one the route lets pass) and the route stops those that leave the machine; the site's own
    requests do not pass through Python."""
    axe = Axe()
    found = Sweep([], [])
    context = browser.new_context(locale="nl-BE", color_scheme="light")

    def seen(request):
        if urlsplit(request.url).hostname not in ("127.0.0.1", "localhost"):
            found.outside.append(request.url)

    context.on("request", seen)
    context.route(re.compile(r"^(?!http://(127\.0\.0\.1|localhost)[:/])"), lambda route: route.abort())
    page = context.new_page()
    order = ("light", "dark")
    try:
        for kind, url in page_kinds(sample_site.repo).items():
            page.goto(site_url + url)
            settle(page)
            # Material sizes its sidebars from script after load; on a busy machine axe saw one half-sized and
            # scrollable. Two animation frames: the layout the colleague sees.
            page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            for step, scheme in enumerate(order):
                if step:
                    switch_scheme(page, scheme)
                assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEME[scheme], (kind, scheme)
                result = axe.run(page, options=AXE_OPTIONS if scheme == "light" else {**AXE_OPTIONS, **COLOUR_RULES})
                for violation in result.response["violations"]:
                    if violation["impact"] in ("serious", "critical"):
                        targets = [n["target"] for n in violation["nodes"][:3]]
                        found.violations.append(
                            f"{kind} ({scheme}): {violation['id']} ({violation['impact']}) {targets}"
                        )
            order = order[::-1]
            page.wait_for_load_state("networkidle")  # a late request too (mostly over while axe ran)
        page.goto(site_url + "zoeken/?q=wachtwoord")
        settle(page)
        page.locator(".kb-facet input").first.check()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    yield found


def test_no_serious_accessibility_violations(sweep):
    assert sweep.violations == []


def test_no_request_leaves_the_machine(sweep):
    assert sweep.outside == []


def tab_until(page, selector: str, limit: int) -> bool:
    """Press Tab until the focused element matches `selector`; False if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return True
    return False


def test_keyboard_reaches_search_and_filters(site_url, page):
    page.goto(site_url + "zoeken/")
    settle(page)
    assert tab_until(page, ".kb-search__form input[type=search]", 60), "de zoekbox is niet met Tab bereikbaar"
    page.keyboard.type("mail")
    page.wait_for_selector(".kb-result")
    before = page.locator(".kb-result").count()
    assert tab_until(page, ".kb-facet input[type=checkbox]", 10), "de filters zijn niet met Tab bereikbaar"
    page.keyboard.press("Space")
    page.wait_for_function(
        f"document.querySelectorAll('.kb-result').length !== {before}"
        " || document.querySelector('.kb-facet input:checked') !== null"
    )
    assert page.locator(".kb-facet input:checked").count() == 1
    page.goto(site_url + "diensten/burgerzaken/")
    settle(page)
    assert tab_until(page, ".kb-search input[type=search]", 80), "de zoekbox van de dienst is niet met Tab bereikbaar"


def test_internal_links_all_resolve(sample_site):
    site = sample_site.site
    ids: dict[Path, set[str]] = {}
    broken = []
    pages = list(site.rglob("*.html"))
    trees = {p: lxml_html.fromstring(p.read_bytes()) for p in pages}
    for page, tree in trees.items():
        ids[page] = set(tree.xpath("//@id"))
    for page, tree in trees.items():
        for element, attribute in [(e, a) for a in ("href", "src") for e in tree.xpath(f"//*[@{a}]")]:
            value = element.get(attribute)
            parts = urlsplit(value)
            if parts.scheme or value.startswith(("//", "mailto:", "tel:")) or not value:
                continue
            if parts.path.startswith("/"):  # root-relative (404.html): the sample site_url is the server root
                target = site / unquote(parts.path).lstrip("/")
            else:
                target = page if not parts.path else (page.parent / unquote(parts.path))
            if parts.path.endswith("/") or (target.is_dir()):
                target = target / "index.html"
            target = Path(posixpath.normpath(target))
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {value}")
            elif parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
                broken.append(f"{page.relative_to(site)}: {value} (anker ontbreekt)")
    assert broken == []


# --- security probes ------------------------------------------------------------------------------------

REJECTED = {
    "tip title": ("title: Een testtip over Outlook", 'title: "\\"><img src=x onerror=alert(1)>"', "title"),
    "tip summary": ("summary: Een korte samenvatting.", "summary: <script>alert(1)</script>", "summary"),
    "tip body script": ("2. Klik op **Nieuw**.", "<script>alert(1)</script>", "inhoud"),
    "tip body handler": ("2. Klik op **Nieuw**.", '<a href="#" onclick="alert(1)">x</a>', "inhoud"),
    "tip body javascript link": ("2. Klik op **Nieuw**.", "[klik](javascript:alert(1))", "inhoud"),
    "tip body data link": ("2. Klik op **Nieuw**.", "[klik](data:text/html,<script>alert(1)</script>)", "inhoud"),
    "tip body link title": ("2. Klik op **Nieuw**.", '[x](https://x.test "\\"><script>alert(1)</script>")', "inhoud"),
    "tip source_url": ("tags: [test]", "source_url: javascript:alert(1)\ntags: [test]", "source_url"),
}


@pytest.mark.parametrize("case", list(REJECTED), ids=list(REJECTED))
def test_hostile_input_that_validation_rejects(repo, case):
    old, new, field = REJECTED[case]
    rel = write_tip(repo, replace={old: new})
    errors = [p for p in load_repository(repo, today=TODAY).errors if p.path == rel]
    assert any(p.field == field for p in errors), errors


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A site whose free-text fields (accepted by validation) carry XSS payloads in every form."""
    repo = copy_content(tmp_path_factory.mktemp("hostile") / "repo")
    payload = "\"><img src=x onerror=alert('xss')><script>alert('xss')</script>"
    taxonomy = repo / "tips/taxonomy.yml"
    edit(taxonomy, 'description: "Kennis of vaardigheden ontbreken"', f"description: {json.dumps(payload)}")
    coaches = repo / "tips/coaches.yml"
    edit(coaches, '"058 53 30 21"', json.dumps(payload))
    write_tip(
        repo,
        "tips/burgerzaken/vijandig.md",
        replace={
            "title: Een testtip over Outlook": "title: \"Tom & 'Jerry' <3 {{ 7*7 }} javascript:alert(1)\"",
            "summary: Een korte samenvatting.": "summary: \"'; alert('xss'); // {% raw %}\"",
            "tags: [test]": "tags: [test]\nsource_note: \"javascript:alert('xss')\"",
            "2. Klik op **Nieuw**.": "2. Klik op **Nieuw**.\n\n```html\n<script>alert('xss')</script>\n```\n\n"
            "`<img src=x onerror=alert('xss')>` en &lt;script&gt;",
        },
    )
    meeting = repo / "meetings/2026-12-01.md"
    edit(meeting, "    minutes: 10\n", f"    minutes: 10\n    notes: {json.dumps(payload)}\n", 1)
    signal = repo / "meetings/signals/verlofsysteem-halve-dagen.md"
    edit(signal, "note: Doorgestuurd naar P&O Nieuwpoort", f"note: {json.dumps(payload)}")
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo


@pytest.mark.build
def test_hostile_content_is_inert_in_the_browser(hostile_site, browser):
    context = browser.new_context(locale="nl-BE")
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    context.on("dialog", on_dialog)  # a dialog of any tab
    urls = [
        "tips/vijandig/",
        "diensten/burgerzaken/",
        "overleg/2026-12-01/",
        "signalen/verlofsysteem-halve-dagen/",
        "signalen/",
        "opvolging/",
        "digicoaches/",
        "overleg/2026-12-01/agenda.html",
        "zoeken/?q=jerry",
    ]
    try:
        with serve(hostile_site / "site") as base:
            for url, page in zip(urls, load_side_by_side(context, [base + url for url in urls]), strict=True):
                assert page.locator("img[src='x']").count() == 0, url
                inline = page.eval_on_selector_all("script:not([src])", "els => els.map(e => e.textContent)")
                assert not any("alert('xss')" in text for text in inline), url
    finally:
        context.close()
    tip_html = (hostile_site / "site/tips/vijandig/index.html").read_text(encoding="utf-8").replace("&#39;", "'")
    assert "Tom &amp; 'Jerry' &lt;3 {{ 7*7 }}" in tip_html
    assert dialogs == []


def test_site_works_under_a_sub_path_of_the_intranet(sample_site, browser, tmp_path):
    """Intranets often serve the site at /kennisbank/: links, the search index and the header search must follow."""
    (tmp_path / "kennisbank").symlink_to(sample_site.site, target_is_directory=True)
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        with serve(tmp_path) as root:
            base = root + "kennisbank/"
            page.goto(base + "diensten/ict/")
            page.fill(".kb-search input[type=search]", "wachtwoord")
            page.wait_for_selector(".kb-result")
            assert page.locator(".kb-result a").first.get_attribute("href").startswith("/kennisbank/tips/")
            page.get_by_label("Zoek een tip").fill("paswoord")
            page.keyboard.press("Enter")
            page.wait_for_selector(".kb-result")
            page.locator(".kb-result a").first.click()
            expect(page).to_have_url(re.compile("^" + re.escape(base + "tips/")))
            expect(page.locator(".kb-tip-header h1")).to_be_visible()
    finally:
        context.close()
    assert failed == []
