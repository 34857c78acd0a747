"""The site model is the core's: it is built without MkDocs, and the MkDocs build delivers exactly it."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import textwrap

import pytest
from conftest import NO_ENGINE_PRELUDE, ROOT, TODAY, BuiltSite

# Runs in a fresh interpreter where importing mkdocs or material fails, as on an engine without them.
SCRIPT = NO_ENGINE_PRELUDE + textwrap.dedent(
    """
    import json
    from datetime import UTC, date, datetime
    from pathlib import Path

    import markdown
    from kennisbank.checks.loader import load_repository
    from kennisbank.site.model import SiteSettings, build_site_model

    root, today, out = Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), Path(sys.argv[3])
    repository = load_repository(root, today=today).repository
    settings = SiteSettings("https://intranet.example/kb/", "Kennisbank", datetime(2026, 11, 29, tzinfo=UTC))
    model = build_site_model(repository, today, settings)
    tip = repository.tips[0]
    composed = model.page(tip.source_path).compose(markdown.markdown(tip.body) + "<script>alert(1)</script>")
    model.finish(out)

    def nav(items):
        return [[item.title, item.src_uri, nav(item.children)] for item in items]

    print(json.dumps({
        "engine_modules": sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "material")),
        "pages": {uri: [p.url, p.title, p.markdown is None, p.edit_url] for uri, p in model.pages.items()},
        "nav": nav(model.navigation(["index.md", "over.md"])),
        "tip": [tip.source_path, tip.slug, tip.title],
        "composed": composed,
        "written": sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and "/nl/" not in str(p)),
    }))
    """
)


@pytest.fixture(scope="module")
def engine_free(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("model-site")
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT), TODAY.isoformat(), str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_model_is_built_and_written_without_mkdocs_or_material(engine_free: dict) -> None:
    assert engine_free["engine_modules"] == []
    written = set(engine_free["written"])
    for path in ("feed.xml", "search/tips.json", "search/hulp.json", "overleg/reeks.ics", ".kennisbank-build.json"):
        assert path in written
    assert "assets/kennisbank/kennisbank.css" in written and "assets/kennisbank/kennisbank-search.js" in written
    assert {f"overleg/2026-12-01/agenda.{ext}" for ext in ("md", "html", "docx", "ics")} <= written


def test_model_decides_urls_titles_and_navigation(engine_free: dict) -> None:
    pages = engine_free["pages"]
    source, slug, title = engine_free["tip"]
    assert pages[source][:3] == [f"tips/{slug}/", title, False]
    assert pages["meetings/2026-12-01.md"][:2] == ["overleg/2026-12-01/", "Digicoachoverleg dinsdag 1 december 2026"]
    assert pages["diensten/burgerzaken/index.md"][:2] == ["diensten/burgerzaken/", "Burgerzaken"]
    assert pages["index.md"][1:3] == [None, True]  # the hand-written home keeps its own title and Markdown
    top = [entry[0] for entry in engine_free["nav"]]
    assert top == ["Start", "Zoeken", "Diensten", "Ontdekken", "Digicoaches", "Overleg", "Opvolging", "Over"]
    assert engine_free["nav"][-1][2] == [[None, "over.md", []]]  # the model's own pages are not repeated


def test_model_composes_a_tip_around_the_engines_html_and_sanitises_it(engine_free: dict) -> None:
    composed = engine_free["composed"]
    assert composed.startswith('<article class="kb-tip">')
    assert 'class="kb-tip-body"' in composed and "<script" not in composed


def test_mkdocs_build_delivers_every_page_of_the_model(engine_free: dict, sample_site: BuiltSite) -> None:
    for uri, (url, title, _keeps_own, _edit) in engine_free["pages"].items():
        page = (sample_site.site / url / "index.html").read_text(encoding="utf-8")
        shown = re.search(r"<title>(.*?) - Kennisbank digicoaches</title>", page)
        if title is not None:
            assert shown and html.unescape(shown.group(1)) == title, uri
    built = {str(p.relative_to(sample_site.site)) for p in sample_site.site.rglob("*") if p.is_file()}
    assert {p for p in engine_free["written"] if p != ".kennisbank-build.json"} <= built
