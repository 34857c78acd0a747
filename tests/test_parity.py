"""Parity: what `validate` accepts, the build accepts. Generated and mutated tips, meetings and signals get
either a positioned Dutch problem or a successful render, never a traceback or a hang.

Hypothesis generates the documents (derandomized, so a failure reproduces on every run). Each accepted
example is rendered in-process through the core (Markdown with the site's configuration, the page, the
feeds, the agenda exports); at the end all accepted examples are built together by the real
`mkdocs build --strict`, which also runs its own link checks.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import markdown
import pytest
from conftest import ROOT, TODAY, mkdocs_build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kennisbank.checks.loader import load_repository
from kennisbank.ops.reports import REPORTS, build_report, to_csv
from kennisbank.site.markdown_ext import site_extensions
from kennisbank.site.model import SiteSettings, build_site_model
from mkdocs.config import load_config

# CI runs a fixed, derandomized set; a longer random hunt: KENNISBANK_PARITY_EXAMPLES=2000 pytest tests/test_parity.py
STAMP = datetime(2026, 11, 29, tzinfo=UTC)
EXAMPLES = int(os.environ.get("KENNISBANK_PARITY_EXAMPLES", "120"))
RANDOM_HUNT = "KENNISBANK_PARITY_EXAMPLES" in os.environ
TIP, MEETING, SIGNAL = "tips/burgerzaken/gegenereerd.md", "meetings/2026-12-01.md", "meetings/signals/gegenereerd.md"

TIP_FIELDS = {
    "title": "Een tip over Outlook",
    "summary": "Korte samenvatting.",
    "tools": "[outlook]",
    "difficulty": "basis",
    "source": "oase",
    "departments": "[burgerzaken]",
    "coach": "sofie-claeys",
    "date": "2026-10-14",
    "tags": "[mail]",
}
MEETING_FIELDS = {
    "date": "2026-12-01",
    "start": '"13:30"',
    "end": '"15:00"',
    "location": "Stadhuis Veurne",
    "chair": "an-peeters",
    "items": "\n  - title: Ervaringen\n    minutes: 20",
}
SIGNAL_FIELDS = {
    "title": "Printer scant niet",
    "theme": "toegang-beveiliging",
    "departments": "[bibliotheek]",
    "raised_by": "jonas-declercq",
    "raised_on": "2026-10-20",
    "status": "nieuw",
}
# Values a careless or hostile contributor writes; many are valid somewhere, most are wrong somewhere.
ODD_VALUES = [
    "", "~", "[]", "{}", "[outlook, outlok]", "alle", "[alle, ict]", "2026-02-30", "2026-1-5", "2030-01-01",
    "'<b>vet</b>'", '"a\\ab"', "&a x", "*a", "!!binary aGk=", "!!python/object:os.system [ls]", ".inf",
    ".nan", "-1", "9" * 40, "true", "null", "'13:30'", "25:00", "[[[x]]]", "{a: {b: {c: d}}}", "'x: y'",
    "Tom & Jerry <3", "'=HYPERLINK(\"x\")'", "'\u202eevil'", "é🙂", "' '", "[mail, Mail]", "opgelost",
    "sofie", "ict", "bibliotheek", "2026-10-19", "|", ">\n  gevouwen", "'{{ 7*7 }}'",
]  # fmt: skip
BODY_PIECES = [
    "Druk op <Enter> en daarna op <Ctrl>+<C>.", "<Del>", "a < b > c", "~~~", "```", "```python", "    code",
    "[tip](../alle/wachtwoord-vergeten.md)", "[weg](bestaat-niet.md)", "![beeld](scherm.png)",
    "[site](www.koksijde.be)", "[ok](https://www.koksijde.be)", "[r][1]", "[1]: ../alle/wachtwoord-vergeten.md",
    "[1]: javascript:alert(1)", "[x](&#106;avascript:alert(1))", "{: onclick=\"alert(1)\" }", "{: .md-dialog }",
    "{: style=\"position:fixed\" }", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<div>",
    "</div>", "<details><summary>x</summary>", "!!! note \"Let op\"", "??? tip", "++ctrl+c++", "- [x] klaar",
    "| a | b |\n|:-|-:|\n| 1 | 2 |", "> citaat", "- lijst", "1. stap", "# Kop", "## Kop {#id}", "**vet**",
    "_schuin_", "<!-- opmerking -->", "--8<-- \"over.md\"", "&amp; &lt; &#0; &#x110000;", "\t", "é 🙂 \u200b",
    "\u202e", "<https://intranet.test>", "<mail@koksijde.be>", "\\", "*", "[", "]", "(", ")", "`",
]  # fmt: skip

# "keep" and the benign pieces are listed often, so that enough examples pass validation to reach the build.
ACTIONS = ["keep"] * 6 + ["drop", "odd", "odd", "unknown", "twice"]
BENIGN = [p for p in BODY_PIECES if not re.search(r"script|onerror|onclick|style=|bestaat-niet|scherm|www\.|8<", p)]
fields_strategy = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(0, 20), st.sampled_from(ODD_VALUES)),
    max_size=2,
)
body_strategy = st.lists(
    st.tuples(
        st.sampled_from(BENIGN * 4 + BODY_PIECES),
        st.sampled_from(["\n", " ", "\n\n", "", "\n    ", "\n> "]),
    ),
    max_size=14,
)


def front_matter(fields: dict[str, str], mutations: list[tuple[str, int, str]]) -> str:
    lines = [(key, value) for key, value in fields.items()]
    for action, index, value in mutations:
        if not lines:
            break
        at = index % len(lines)
        if action == "keep":
            continue
        if action == "drop":
            del lines[at]
        elif action == "odd":
            lines[at] = (lines[at][0], value)
        elif action == "unknown":
            lines.append(("extra" if index % 2 else "dificulty", value))
        else:
            lines.append(lines[at])
    return "---\n" + "".join(f"{key}: {value}\n" for key, value in lines) + "---\n"


def body(pieces: list[tuple[str, str]]) -> str:
    return "".join(piece + glue for piece, glue in pieces) + "\n"


@pytest.fixture(scope="module")
def small_repo(tmp_path_factory) -> Path:
    """The vocabulary, one tip to link to and docs/: small, so each example loads and renders quickly."""
    repo = tmp_path_factory.mktemp("parity") / "repo"
    (repo / "tips/alle").mkdir(parents=True)
    (repo / "tips/burgerzaken").mkdir()
    (repo / "meetings/signals").mkdir(parents=True)
    for name in ("tips/taxonomy.yml", "tips/coaches.yml", "tips/alle/wachtwoord-vergeten.md", "mkdocs.yml"):
        shutil.copy2(ROOT / name, repo / name)
    shutil.copytree(ROOT / "docs", repo / "docs")
    return repo


@pytest.fixture(scope="module")
def render_markdown():
    config = load_config(str(ROOT / "mkdocs.yml"))
    extensions: list[str | markdown.Extension] = [*config.markdown_extensions, *site_extensions()]
    return lambda text: markdown.Markdown(extensions=extensions, extension_configs=config.mdx_configs).convert(text)


ENGLISH = re.compile(r"Traceback|Input should|Field required|\bError\b|[Ee]xception")


def check_example(repo: Path, render_markdown, files: dict[str, str]) -> bool:
    """Write the files, validate, and render what validation accepted; True if the example was accepted."""
    for rel, text in files.items():
        (repo / rel).write_text(text, encoding="utf-8")
    try:
        result = load_repository(repo, today=TODAY)
    finally:
        for rel in files:
            (repo / rel).unlink()
    for problem in result.problems:
        assert problem.line >= 1 and problem.col >= 1 and problem.path, problem
        assert not ENGLISH.search(problem.message), problem
    if result.errors:
        return False
    repository = result.repository
    model = build_site_model(repository, TODAY, SiteSettings("http://127.0.0.1:8000/", "Kennisbank", STAMP))
    # Index pages, feeds and agenda exports (docx, ics, md, html) are made with the model; every contributed
    # page is composed from its Markdown rendered as the engine does.
    for page in model.pages.values():
        if page.markdown is not None:
            page.compose(render_markdown(page.markdown))
    for kind in REPORTS:
        to_csv(build_report(kind, model.knowledge))
    return True


def test_generated_content_gets_a_problem_or_renders_and_builds(small_repo, render_markdown, tmp_path):
    accepted: list[dict[str, str]] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not RANDOM_HUNT,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        tip_fields=fields_strategy,
        tip_body=body_strategy,
        meeting_fields=fields_strategy,
        meeting_body=body_strategy,
        signal_fields=fields_strategy,
        signal_body=body_strategy,
        which=st.sampled_from(["tip", "meeting", "signal", "all"]),
    )
    def example(tip_fields, tip_body, meeting_fields, meeting_body, signal_fields, signal_body, which):
        files = {
            TIP: front_matter(TIP_FIELDS, tip_fields) + body(tip_body),
            MEETING: front_matter(MEETING_FIELDS, meeting_fields) + body(meeting_body),
            SIGNAL: front_matter(SIGNAL_FIELDS, signal_fields) + body(signal_body),
        }
        if which != "all":
            files = {k: v for k, v in files.items() if k == {"tip": TIP, "meeting": MEETING, "signal": SIGNAL}[which]}
        if check_example(small_repo, render_markdown, files):
            accepted.append(files)

    example()
    print(f"\nparity: {EXAMPLES} generated examples, {len(accepted)} accepted by validate and built")
    assert len(accepted) >= 10, f"only {len(accepted)} accepted examples: the generator no longer reaches the build"

    # Every accepted example, side by side in one repository, through the real strict build.
    repo = tmp_path / "repo"
    shutil.copytree(small_repo, repo)
    for number, files in enumerate(accepted):
        for rel, text in files.items():
            if rel == TIP:
                (repo / f"tips/burgerzaken/gegenereerd-{number}.md").write_text(text, encoding="utf-8")
            elif rel == SIGNAL:
                (repo / f"meetings/signals/gegenereerd-{number}.md").write_text(text, encoding="utf-8")
            elif not (repo / MEETING).exists():
                (repo / MEETING).write_text(text, encoding="utf-8")
    assert load_repository(repo, today=TODAY).errors == []
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
