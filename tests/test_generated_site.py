"""A generated site of a few hundred tips (not the sample): indexes hold exactly the right tips."""

from __future__ import annotations

import sys

from conftest import ROOT, TODAY, mkdocs_build
from lxml import html as lxml_html

sys.path.insert(0, str(ROOT / "scripts"))
from generate_content import generate  # noqa: E402
from kennisbank.checks.loader import load_repository  # noqa: E402


def test_generated_site_indexes(tmp_path):
    repo = generate(tmp_path / "gen", 240, seed=3, today=TODAY)
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    repository = load_repository(repo, today=TODAY).repository
    assert len(repository.tips) == 240
    for department in repository.taxonomy.departments:
        tree = lxml_html.fromstring((repo / "site/diensten" / department / "index.html").read_text(encoding="utf-8"))
        linked = {h.rstrip("/").split("/")[-1] for h in tree.xpath('//a[contains(@class, "kb-card__title")]/@href')}
        assert linked == {t.slug for t in repository.tips if department in t.departments}
    pages = list((repo / "site/tips").glob("*/index.html"))
    assert len(pages) == 240
    # Tips are kept out of the navigation: pages stay small however many tips there are.
    biggest = max(p.stat().st_size for p in pages)
    assert biggest < 120_000, biggest


def test_edit_links_point_at_the_source_file(tmp_path):
    repo = generate(tmp_path / "gen", 3, seed=1, today=TODAY)
    proc = mkdocs_build(repo, repo / "site", KENNISBANK_EDIT_BASE="https://git.example.org/kb/edit/main/")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tree = lxml_html.fromstring((repo / "site/tips/gegenereerde-tip-00001/index.html").read_text(encoding="utf-8"))
    department = next((repo / "tips").glob("*/gegenereerde-tip-00001.md")).parent.name
    expected = f"https://git.example.org/kb/edit/main/tips/{department}/gegenereerde-tip-00001.md"
    assert expected in tree.xpath("//a/@href")
    assert "Deze tip aanpassen" in tree.text_content()
