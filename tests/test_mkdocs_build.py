"""`mkdocs build` with the kennisbank plugin, on the sample and on broken content."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import mkdocs_build, write_tip
from lxml import html as lxml_html


@pytest.mark.build
def test_broken_tip_fails_the_build_with_the_validate_message(repo):
    write_tip(repo, replace={"tools: [outlook]": "tools: [outlok]"})
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 1
    output = proc.stdout + proc.stderr
    assert "tips/burgerzaken/testtip.md:4:9: tools[0]: onbekende waarde 'outlok' voor tool. Toegestaan:" in output
    assert "Bedoelde je 'outlook'?" in output
    assert "Traceback" not in output
    assert not (repo / "site" / "index.html").exists()


def test_sample_site_builds_strict_without_warnings(sample_site):
    assert "WARNING" not in sample_site.log, sample_site.log
    assert (sample_site.site / "index.html").is_file()


@pytest.mark.build
def test_a_build_for_publishing_refuses_the_local_site_url(repo: Path, tmp_path: Path, sample_site) -> None:
    # An ordinary build says it in its log; the publish workflow sets KENNISBANK_REQUIRE_SITE_URL and stops.
    assert "Let op: het site-adres is http://127.0.0.1:8000/" in sample_site.log
    env = {"KENNISBANK_REQUIRE_SITE_URL": "1", "KENNISBANK_SITE_URL": "http://localhost:8000/"}
    proc = mkdocs_build(repo, tmp_path / "site", **env)
    assert proc.returncode != 0
    assert "Publiceren kan niet: het site-adres is http://localhost:8000/" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr and not (tmp_path / "site" / "index.html").exists()
    # With the intranet's address, the sample is still refused: its people and figures are invented
    # (tests/test_examples.py: every kind of example file, and a repository without them publishes).
    env["KENNISBANK_SITE_URL"] = "https://intranet.example/kennisbank/"
    proc = mkdocs_build(repo, tmp_path / "site", **env)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in output
    assert "Publiceren kan niet: er staat nog voorbeeldinhoud in de kennisbank" in output
    assert "tips/coaches.yml:7:5: example: voorbeeldpersoon 'An Peeters'" in output
    assert "tips/nulmeting/2026-11.yml:8:1: example: deze meting heeft verzonnen cijfers" in output
    assert not (tmp_path / "site" / ".kennisbank-build.json").exists()


def _nav_links(html: str, xpath: str) -> list[str]:
    tree = lxml_html.fromstring(html)
    return [str(href) for href in tree.xpath(xpath)]


def test_pages_outside_the_navigation_link_from_their_own_folder(sample_site) -> None:
    """Material's navigation and tabs are rendered once per folder for pages outside the navigation (engines:
    navigation_once); each page's links still start from its own folder, as MkDocs writes them."""
    coach = sample_site.page("digicoaches/sofie-claeys/")
    tip = sample_site.page("tips/gedeelde-mailbox-toevoegen/")
    tabs = '//*[contains(@class, "md-tabs")]//a[contains(@class, "md-tabs__link")]/@href'
    nav = '//nav[contains(@class, "md-nav--primary")]//a[contains(@class, "md-nav__link")]/@href'
    for selector in (tabs, nav):
        from_coach, from_tip = _nav_links(coach, selector), _nav_links(tip, selector)
        assert from_coach and len(from_coach) == len(from_tip)
        assert [urljoin("http://x/digicoaches/sofie-claeys/", h) for h in from_coach] == [
            urljoin("http://x/tips/gedeelde-mailbox-toevoegen/", h) for h in from_tip
        ]
        assert "../" in from_coach and "../" not in from_tip  # "digicoaches/" seen from a coach and from a tip
    # Every coach page says the same, however many there are: shared, not copied wrongly between folders.
    other = sample_site.page("digicoaches/an-peeters/")
    assert _nav_links(other, nav) == _nav_links(coach, nav)
