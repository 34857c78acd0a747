"""The built sample site, as a colleague would see it: index pages, tip pages, feeds, offline, escaping."""

from __future__ import annotations

import posixpath
import re

import feedparser
import pytest
from conftest import ROOT, TODAY, copy_content, edit, mkdocs_build, write_tip
from kennisbank.checks.loader import load_repository
from kennisbank.knowledge.indexes import FACET_KINDS, build_facets
from kennisbank.knowledge.urls import facet_url, tip_url
from kennisbank.policy import is_stale
from lxml import html as lxml_html

OWN_SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default site_url


@pytest.fixture(scope="module")
def repository():
    return load_repository(ROOT, today=TODAY).repository


def doc(site, url):
    return lxml_html.fromstring(site.page(url))


def tip_slugs_linked(tree) -> set[str]:
    """Slugs of the tips linked from the page's main content (cards), navigation excluded."""
    hrefs = tree.xpath('//article//a[contains(@class, "kb-card__title")]/@href')
    return {h.rstrip("/").split("/")[-1] for h in hrefs}


def resolve(page_url: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(page_url, href)) + "/"


@pytest.mark.parametrize("kind", FACET_KINDS)
def test_every_index_page_lists_exactly_its_tips(sample_site, repository, kind):
    facets = build_facets(repository)
    for value in facets[kind].values:
        tree = doc(sample_site, facet_url(kind, value.id))
        expected = {t.slug for t in repository.tips if _belongs(t, kind, value.id, repository)}
        assert tip_slugs_linked(tree) == expected, (kind, value.id)
        if not expected:
            assert tree.xpath('//*[contains(@class, "kb-empty")]'), (kind, value.id)


def _belongs(tip, kind, value_id, repository) -> bool:
    if kind == "departments":
        return value_id in tip.departments
    if kind == "municipalities":
        return value_id in tip.municipalities or not tip.municipalities
    if kind == "tools":
        return value_id in tip.tools
    return {"sources": tip.source, "difficulties": tip.difficulty, "coaches": tip.coach}[kind] == value_id


def test_overview_pages_link_every_value(sample_site, repository):
    for kind in FACET_KINDS:
        tree = doc(sample_site, facet_url(kind))
        linked = {resolve(facet_url(kind), h) for h in tree.xpath("//article//a/@href") if not h.startswith("mailto")}
        for value in build_facets(repository)[kind].values:
            assert facet_url(kind, value.id) in linked, (kind, value.id)


def test_department_page_groups_by_tool_and_orders_by_difficulty(sample_site, repository):
    taxonomy = repository.taxonomy
    rank = {d: i for i, d in enumerate(taxonomy.difficulties)}
    tool_labels = [t.label for t in taxonomy.tools.values()]
    by_title = {t.title: t for t in repository.tips}
    for department in taxonomy.departments:
        tree = doc(sample_site, facet_url("departments", department))
        headings = [h.text_content() for h in tree.xpath('//article//h2[starts-with(@id, "tool-")]')]
        assert headings == [label for label in tool_labels if label in headings], department
        for group in tree.xpath('//article//h2[starts-with(@id, "tool-")]'):
            cards = group.getnext().xpath('.//a[contains(@class, "kb-card__title")]')
            levels = [rank[by_title[c.text_content()].difficulty] for c in cards]
            assert levels == sorted(levels), (department, group.text_content())


def test_department_page_shows_who_is_my_coach(sample_site, repository):
    tree = doc(sample_site, facet_url("departments", "burgerzaken"))
    section = tree.xpath('//section[contains(@class, "kb-whois")]')[0]
    text = section.text_content()
    assert "Wie is mijn digicoach?" in text
    sofie = repository.coaches["sofie-claeys"]
    assert sofie.name in text and sofie.phone in text
    assert f"mailto:{sofie.email}" in section.xpath(".//a/@href")
    # Burgerzaken De Panne has no coach: a friendly pointer to the digi-experts instead.
    assert "nog geen digicoach" in text and "digi-expert" in text


def test_inactive_coach_is_not_listed_as_contact(sample_site, repository):
    inactive = [c for c in repository.coaches.values() if not c.active]
    assert inactive
    for coach in inactive:
        tree = doc(sample_site, facet_url("departments", coach.department))
        whois = tree.xpath('//section[contains(@class, "kb-whois")]')[0].text_content()
        assert coach.name not in whois


def test_tip_page_badges_link_to_their_index_pages(sample_site, repository):
    for tip in repository.tips:
        page_url = tip_url(tip.slug)
        tree = doc(sample_site, page_url)
        badges = tree.xpath('//div[contains(@class, "kb-tip-header")]//a[contains(@class, "kb-badge")]')
        expected = len(tip.tools) + len(tip.departments) + len(tip.municipalities) + 2
        assert len(badges) == expected, tip.slug
        for badge in badges:
            target = resolve(page_url, badge.get("href"))
            target_tree = doc(sample_site, target)
            assert badge.text_content() in target_tree.xpath("//article//h1")[0].text_content(), (tip.slug, target)


def test_tip_page_header_and_related(sample_site, repository):
    tip = next(t for t in repository.tips if t.slug == "gedeelde-mailbox-toevoegen")
    tree = doc(sample_site, tip_url(tip.slug))
    header = tree.xpath('//div[contains(@class, "kb-tip-header")]')[0].text_content()
    assert tip.title in header and tip.summary in header
    assert "Sofie Claeys" in header and "maandag 2 november 2026" in header
    related = tip_slugs_linked(tree)
    assert related and tip.slug not in related
    assert all(
        set(t.tools) & set(tip.tools) or set(t.tags) & set(tip.tags) for t in repository.tips if t.slug in related
    )
    assert tree.xpath("//button[@data-kb-print]")


def test_stale_notice_only_on_stale_tips(sample_site, repository):
    stale = [t for t in repository.tips if is_stale(t, TODAY)]
    fresh = [t for t in repository.tips if not is_stale(t, TODAY)]
    assert stale and fresh
    for tip in stale:
        assert (
            "Te herzien"
            in doc(sample_site, tip_url(tip.slug)).xpath('//*[contains(@class, "kb-stale")]')[0].text_content()
        )
    for tip in fresh:
        assert not doc(sample_site, tip_url(tip.slug)).xpath('//*[contains(@class, "kb-stale")]')


def test_tips_keep_relative_links_working(sample_site):
    tree = doc(sample_site, "tips/wachtwoordmanager-gebruiken/")
    hrefs = tree.xpath('//div[@class="kb-tip-body"]//a/@href')
    assert "../wachtwoord-vergeten/" in hrefs


def test_home_page_newest_next_meeting_and_counts(sample_site, repository):
    tree = doc(sample_site, "")
    text = tree.text_content()
    newest = sorted(repository.tips, key=lambda t: (t.date, t.slug), reverse=True)[:6]
    assert [*tip_slugs_linked(tree)] and {t.slug for t in newest} == tip_slugs_linked(tree)
    upcoming = [m for m in repository.meetings if m.date >= TODAY]
    if upcoming:
        assert "Volgend digicoachoverleg" in text and upcoming[0].location in text
    counts = tree.xpath('//section[contains(@class, "kb-home__departments")]//li')
    assert len(counts) == len(repository.taxonomy.departments) + 1


def test_new_and_start_here_pages(sample_site, repository):
    new = doc(sample_site, "nieuw/")
    recent = {t.slug for t in repository.tips if 0 <= (TODAY - t.date).days < 60}
    assert tip_slugs_linked(new) == recent
    start = doc(sample_site, "start-hier/")
    headings = [h.text_content() for h in start.xpath("//article//h2")]
    assert headings == ["Leerpaden voor nieuwe collega's", "Basis", "Gevorderd", "Expert"]


def test_coach_directory_lists_active_coaches_with_contact(sample_site, repository):
    tree = doc(sample_site, "digicoaches/")
    contacts = " ".join(li.text_content() for li in tree.xpath('//li[contains(@class, "kb-coach")]'))
    former = " ".join(li.text_content() for li in tree.xpath('//li[contains(@class, "kb-former")]'))
    for coach in repository.coaches.values():
        assert (coach.name in contacts) == coach.active
        assert (coach.email in contacts) == coach.active
        assert (coach.name in former) != coach.active


def test_every_page_is_dutch_and_offline(sample_site):
    pages = list(sample_site.site.rglob("*.html"))
    assert len(pages) > 100
    external = re.compile(r"^(https?:)?//", re.I)
    for page in pages:
        tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
        assert tree.get("lang") == "nl", page
        for element in tree.iter():
            for attribute in ("src", "href", "action", "poster", "data"):
                value = element.get(attribute)
                if value and value.startswith(OWN_SITE_URL):  # canonical links to the site itself
                    continue
                assert not (value and external.match(value)), f"{page}: <{element.tag} {attribute}={value}>"
    for css in sample_site.site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


def test_site_wide_feed_is_valid_atom(sample_site, repository):
    parsed = feedparser.parse(sample_site.site.joinpath("feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    titles = [e.title for e in parsed.entries]
    newest = sorted(repository.tips, key=lambda t: (t.date, t.slug), reverse=True)
    assert titles == [t.title for t in newest[: len(titles)]]
    assert parsed.entries[0].link.endswith(tip_url(newest[0].slug))


def test_department_feeds_only_hold_their_tips(sample_site, repository):
    for department in repository.taxonomy.departments:
        parsed = feedparser.parse(sample_site.site.joinpath(f"diensten/{department}/feed.xml").read_bytes())
        assert not parsed.bozo
        expected = {t.title for t in repository.tips if department in t.departments}
        assert {e.title for e in parsed.entries} == expected


def test_hostile_values_are_escaped(tmp_path):
    """Values that validation lets through (free text) must still render as text, never as markup."""
    repo = copy_content(tmp_path / "repo")
    taxonomy = repo / "tips/taxonomy.yml"
    edit(taxonomy, "label: Burgerzaken\n", 'label: Burgerzaken\n    description: "<img src=x onerror=alert(1)>"\n')
    coaches = repo / "tips/coaches.yml"
    edit(coaches, '"058 53 30 21"', "\"<script>alert('tel')</script>\"")
    write_tip(repo, replace={"title: Een testtip over Outlook": 'title: "Excel < Word & \\"quotes\\" > 3"'})
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    department = (repo / "site/diensten/burgerzaken/index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in department and "&lt;img src=x onerror=alert(1)&gt;" in department
    assert "<script>alert('tel')" not in department and "&lt;script&gt;" in department
    tip = (repo / "site/tips/testtip/index.html").read_text(encoding="utf-8")
    assert (
        "Excel &lt; Word &amp; &#34;quotes&#34; &gt; 3" in tip
        or "Excel &lt; Word &amp; &quot;quotes&quot; &gt; 3" in tip
    )
    title = lxml_html.fromstring(tip).xpath("//title")[0].text_content()
    assert title.startswith('Excel < Word & "quotes" > 3')


def test_html_title_is_rejected_before_publishing(tmp_path):
    repo = copy_content(tmp_path / "repo")
    write_tip(repo, replace={"title: Een testtip over Outlook": "title: <img src=x onerror=alert(1)>"})
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 1
    assert "tips/burgerzaken/testtip.md:2:1: title: mag geen HTML bevatten" in proc.stdout + proc.stderr


def test_renderer_escapes_even_unvalidated_values(repository):
    """Defence in depth: the templates escape whatever reaches them."""
    from kennisbank.knowledge.derive import derive
    from kennisbank.site.pages import tip_header_footer
    from kennisbank.site.render import Renderer

    tip = repository.tips[0].model_copy(
        update={"title": "<img src=x onerror=alert(1)>", "summary": '"><script>alert(1)</script>'}
    )
    knowledge = derive(repository, TODAY)
    header, _ = tip_header_footer(Renderer.create(knowledge.labels, TODAY), knowledge, tip, None)
    assert "<img src=x" not in header and "<script>" not in header
    assert "&lt;img src=x onerror=alert(1)&gt;" in header


def test_empty_index_pages_are_friendly(tmp_path):
    repo = copy_content(tmp_path / "repo")
    taxonomy = repo / "tips/taxonomy.yml"
    edit(taxonomy, "\ntools:\n", "\n  archief:\n    label: Archief\n\ntools:\n  teletekst: Teletekst\n")
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for url in ("diensten/archief/", "tools/teletekst/"):
        page = (repo / "site" / url / "index.html").read_text(encoding="utf-8")
        assert "nog geen tips" in page
