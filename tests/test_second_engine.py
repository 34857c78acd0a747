"""The second engine: the same repository built with ProperDocs + MaterialX gives the same site as MkDocs + Material.

The theme's chrome (stylesheets, header, sidebars, footer) may differ between the two; what the core makes must
not: the same pages at the same URLs, each with the same title and the same main content area, and the same
files beside them (search index, feeds, exports, images). ProperDocs lives in its own venv (`make properdocs`;
`scripts/ensure-test-deps.sh` makes it for `make test`): without it this test is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, BuiltSite, copy_content

PROPERDOCS_VENV = Path(os.environ.get("KENNISBANK_PROPERDOCS_VENV", ROOT / ".venv-properdocs"))
PROPERDOCS = PROPERDOCS_VENV / ("Scripts/properdocs.exe" if os.name == "nt" else "bin/properdocs")
# Files the engine or its theme writes: their names or contents differ between MkDocs and ProperDocs, or
# between Material and MaterialX (hashed bundles, MkDocs' sitemap with its lastmod, Material's lunr search).
THEME_FILES = ("assets/javascripts/", "assets/stylesheets/", "sitemap.xml")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

_NO_SECOND_ENGINE = pytest.mark.skipif(
    not PROPERDOCS.exists(), reason=f"geen tweede motor: {PROPERDOCS} ontbreekt (maak hem met 'make properdocs')"
)


class _ModelPart(HTMLParser):
    """A page's title and its main content area (Material's and MaterialX's `<article class="md-content__inner">`),
    as a list of tags with sorted attributes and texts with collapsed white space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.content: list[str] = []
        self._in_title = False
        self._depth = 0  # open elements inside the article; 0: outside it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_title = tag == "title"
        if not self._depth:
            if tag == "article" and "md-content__inner" in (dict(attrs).get("class") or ""):
                self._depth = 1
            return
        self._depth += tag not in VOID
        self.content.append(f"<{tag} {sorted(attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        if self._depth and tag not in VOID:
            self._depth -= 1
            if self._depth:
                self.content.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if self._in_title:
            self.title += text
        elif self._depth and text:
            self.content.append(text)


def model_part(page: Path) -> tuple[str, list[str]]:
    """The title and main content of a built page."""
    parser = _ModelPart()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.title, parser.content


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def _is_page(path: str) -> bool:
    """A page the engine renders with its theme (the agenda's standalone HTML is a file of the core)."""
    return path.rsplit("/", 1)[-1] in ("index.html", "404.html")


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_content(tmp_path_factory.mktemp("properdocs") / "repo")
    shutil.copy2(ROOT / "properdocs.yml", repo)  # ProperDocs' configuration: mkdocs.yml with MaterialX
    site = repo / "site"
    proc = subprocess.run(
        [str(PROPERDOCS), "build", "--strict", "-d", str(site)], cwd=repo, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "mkdocs-ProperDocs" in (site / "index.html").read_text(encoding="utf-8")  # really the other engine
    return site


@_NO_SECOND_ENGINE
def test_properdocs_builds_the_same_pages_titles_and_content(sample_site: BuiltSite, properdocs_site: Path) -> None:
    mkdocs_pages = {f for f in _files(sample_site.site) if _is_page(f)}
    properdocs_pages = {f for f in _files(properdocs_site) if _is_page(f)}
    assert mkdocs_pages == properdocs_pages
    assert len(mkdocs_pages) > 100 and "tips/gedeelde-mailbox-toevoegen/index.html" in mkdocs_pages
    different = []
    for page in sorted(mkdocs_pages):
        title, content = model_part(sample_site.site / page)
        assert title and content, f"{page}: geen titel of inhoud gevonden"
        if (title, content) != model_part(properdocs_site / page):
            different.append(page)
    assert different == []


@_NO_SECOND_ENGINE
def test_properdocs_writes_the_same_files_beside_the_pages(sample_site: BuiltSite, properdocs_site: Path) -> None:
    def core_files(site: Path) -> set[str]:
        return {f for f in _files(site) if not _is_page(f) and not f.startswith(THEME_FILES)}

    files = core_files(sample_site.site)
    assert files == core_files(properdocs_site)
    assert {"search/tips.json", "feed.xml", "overleg/reeks.ics", "assets/kennisbank/kennisbank-search.js"} <= files
    assert "overleg/2026-09-08/agenda.html" in files
    assert [f for f in sorted(files) if (sample_site.site / f).read_bytes() != (properdocs_site / f).read_bytes()] == []


def test_the_second_engine_lock_pins_every_runtime_dependency_at_the_same_version() -> None:
    """The kennisbank goes into the second venv with --no-deps: a dependency missing from its lock breaks that
    build only (it happened with gender-guesser), so the two locks must agree on every runtime dependency."""
    import tomllib

    def pins(path: Path) -> dict[str, str]:
        found = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if "==" in line and not line.startswith("#"):
                name, version = line.split("#")[0].strip().split("==")
                found[name.lower().replace("_", "-")] = version
        return found

    second = pins(ROOT / "requirements-properdocs.lock")
    runtime = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    wanted = dict(
        pin.lower().replace("_", "-").split("==") for pin in runtime if pin.split("==")[0] != "mkdocs-material"
    )
    missing = {name: version for name, version in wanted.items() if second.get(name) != version}
    assert not missing, f"requirements-properdocs.lock mist of wijkt af voor: {missing}"
