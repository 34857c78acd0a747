"""The build session decides a build for any engine: it runs, and refuses, without MkDocs or Material."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import kennisbank
import pytest
from conftest import NO_ENGINE_PRELUDE, TODAY, copy_content, edit

# Runs in a fresh interpreter where importing mkdocs or material fails, as on an engine without them: it
# plays the engine's part (Python-Markdown for the pages) and reports what the session did.
SCRIPT = NO_ENGINE_PRELUDE + textwrap.dedent(
    """
    import json, logging
    from pathlib import Path

    import markdown
    from kennisbank.site.build import BuildError, BuildOptions, BuildSession

    root, site, environ = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    warnings = int(sys.argv[4])
    session = BuildSession(logging.getLogger("test"), serving=False, dirty=False, environ=environ)
    report = {"error": None, "pages": 0}
    try:
        session.configure(BuildOptions(root, site, environ.get("SITE_URL"), "Kennisbank", "docs"))
        model = session.build()
        for page in model.pages.values():
            if page.markdown is not None:
                html = session.html(page, markdown.markdown(page.markdown))
                target = site / page.url / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(html, encoding="utf-8")
                report["pages"] += 1
        session.finish(strict_warnings=warnings)
    except BuildError as exc:
        report["error"] = str(exc)
    session.stop()
    report["engine_modules"] = sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "material"))
    report["marker"] = (site / ".kennisbank-build.json").exists()
    report["search"] = (site / "search" / "tips.json").exists()
    print(json.dumps(report))
    """
)


def run_session(root: Path, site: Path, warnings: int = 0, **environ: str) -> dict:
    environ = {"KENNISBANK_TODAY": TODAY.isoformat(), **environ}
    command = [sys.executable, "-c", SCRIPT, str(root), str(site), json.dumps(environ), str(warnings)]
    proc = subprocess.run(command, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_content(tmp_path_factory.mktemp("session") / "repo")


@pytest.mark.build  # a whole site, written by the session in another interpreter
def test_a_build_without_mkdocs_writes_pages_files_and_the_marker(sample: Path, tmp_path: Path) -> None:
    report = run_session(sample, tmp_path / "site", SITE_URL="https://intranet.example/kb/")
    assert report["engine_modules"] == [] and report["error"] is None
    assert report["pages"] > 100 and report["search"] and report["marker"]


@pytest.mark.build  # a whole site, written by the session in another interpreter
def test_a_strict_build_with_warnings_gets_no_marker(sample: Path, tmp_path: Path) -> None:
    report = run_session(sample, tmp_path / "site", warnings=2, SITE_URL="https://intranet.example/kb/")
    assert report["error"] is None and report["search"] and not report["marker"]


def test_publishing_refuses_a_local_site_url_before_any_page(sample: Path, tmp_path: Path) -> None:
    report = run_session(sample, tmp_path / "site", KENNISBANK_REQUIRE_SITE_URL="1")
    assert report["error"].startswith("Publiceren kan niet: het site-adres is (leeg)")
    assert report["pages"] == 0 and not report["marker"]


def test_content_with_errors_stops_a_build_with_the_file_and_line(tmp_path: Path) -> None:
    repo = copy_content(tmp_path / "repo")
    edit(repo / "tips/kinderopvang/aanwezigheden-in-excel.md", "tools: [", "tools: [onbestaand, ")
    report = run_session(repo, tmp_path / "site", SITE_URL="https://intranet.example/kb/")
    assert report["error"].startswith("De inhoud bevat fouten:\ntips/kinderopvang/aanwezigheden-in-excel.md:")
    assert "onbestaand" in report["error"] and report["pages"] == 0 and not report["marker"]


def test_the_mkdocs_adapter_stays_within_200_lines() -> None:
    """Issue 26: the adapter only hands pages to MkDocs; a decision that grows there belongs in the core's
    BuildSession, and what leans on MkDocs internals in mkdocs_internals.py."""
    adapter = Path(kennisbank.__file__).parent / "engines/mkdocs_plugin.py"
    lines = adapter.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"{adapter.name} telt {len(lines)} regels (hoogstens 200)"
