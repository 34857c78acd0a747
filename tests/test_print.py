"""Print layout in headless Chromium: a tip prints on one A4 page, without navigation."""

from __future__ import annotations

from conftest import ROOT, TODAY, pdf_pages
from kennisbank.checks.loader import load_repository
from kennisbank.knowledge.urls import tip_url


def test_longest_tips_print_on_one_a4_page(site_url, page):
    tips = sorted(load_repository(ROOT, today=TODAY).repository.tips, key=lambda t: len(t.body), reverse=True)[:4]
    for tip in tips:
        page.goto(site_url + tip_url(tip.slug))
        assert pdf_pages(page.pdf(format="A4")) == 1, tip.slug


def test_print_hides_navigation_and_buttons(site_url, page):
    page.goto(site_url + tip_url("gedeelde-mailbox-toevoegen"))
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".kb-tip-footer", ".md-footer"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("h1").first.is_visible()
    assert page.locator(".kb-facts").is_visible()
