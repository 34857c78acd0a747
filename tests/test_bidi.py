"""Invisible direction controls ("Trojan Source"): U+202E shows 'gpj.exe' as 'exe.jpg'. `kennisbank validate`
refuses them in titles, `why` lines and other one-line fields, and the embeddings, overrides and isolates in
bodies too; the messages that quote such a value never send the control itself to the terminal."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import KENNISBANK, edit, write_tip

PATH = "tips/leerpaden/je-eerste-week.md"
WHY = "    why: Vijf toetsen die je vanaf dag één tijd besparen.\n"
CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
MARKS = ["\u200e", "\u200f", "\u061c"]


def validate(repo: Path) -> tuple[int, list[str]]:
    proc = subprocess.run([KENNISBANK, "--root", str(repo), "validate"], capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output
    assert not any(c in output for c in CONTROLS + MARKS), "a direction control reached the terminal"
    return proc.returncode, [line for line in proc.stdout.splitlines() if "waarschuwing" not in line]


def test_an_override_typed_into_a_title_is_refused_where_it_stands(repo: Path) -> None:
    rel = write_tip(repo, replace={"title: Een testtip over Outlook": "title: Open factuur\u202egpj.exe"})
    code, lines = validate(repo)
    assert code == 1
    [line] = [line for line in lines if line.startswith(rel)]
    assert line.startswith(f"{rel}:2:20: bestand: onzichtbaar teken voor de schrijfrichting (U+202E) gevonden")
    assert "verwijder het" in line


@pytest.mark.parametrize("character", CONTROLS + MARKS, ids=[f"U+{ord(c):04X}" for c in CONTROLS + MARKS])
def test_every_direction_control_written_as_an_escape_is_refused_in_a_title(repo: Path, character: str) -> None:
    escape = f"\\u{ord(character):04X}"
    rel = write_tip(repo, replace={"title: Een testtip over Outlook": f'title: "Een {escape}testtip"'})
    code, lines = validate(repo)
    assert code == 1
    [line] = [line for line in lines if line.startswith(rel)]
    assert line.startswith(f"{rel}:2:1: title: onzichtbaar teken voor de schrijfrichting (U+{ord(character):04X})")
    assert "schrijf gewone tekst op één regel" in line


@pytest.mark.parametrize("why", ['"Vijf toetsen \\u2067die tijd besparen."', "Vijf toetsen \u200fdie tijd besparen."])
def test_a_direction_control_in_a_why_line_of_a_learning_path(repo: Path, why: str) -> None:
    edit(repo / PATH, WHY, f"    why: {why}\n")
    code, lines = validate(repo)
    assert code == 1
    [line] = [line for line in lines if line.startswith(PATH)]
    row = (repo / PATH).read_text(encoding="utf-8").splitlines().index(f"    why: {why}") + 1
    assert line.startswith(f"{PATH}:{row}:5: steps[1].why: onzichtbaar teken voor de schrijfrichting"), line


def test_a_direction_control_in_other_one_line_fields(repo: Path) -> None:
    edit(repo / "tips/coaches.yml", "name: An Peeters", 'name: "An \\u202ePeeters"')
    signal = repo / "meetings/signals/verlofsysteem-halve-dagen.md"
    edit(signal, "title: Veel collega's", "title: \u2066Veel collega's")
    code, lines = validate(repo)
    assert code == 1
    assert any(line.startswith("tips/coaches.yml:") and ": coaches[0].name: onzichtbaar teken voor de schrijf" in line
               for line in lines), lines  # fmt: skip
    row = (
        signal.read_text(encoding="utf-8")
        .splitlines()
        .index("title: \u2066Veel collega's raken de weg kwijt in het nieuwe verlofsysteem")
        + 1
    )
    assert any(line.startswith(f"meetings/signals/verlofsysteem-halve-dagen.md:{row}:8: bestand: onzichtbaar teken")
               for line in lines), lines  # fmt: skip


def test_an_isolate_in_a_body_is_refused_but_a_direction_mark_is_not(repo: Path) -> None:
    rel = write_tip(repo, replace={"2. Klik op **Nieuw**.": "2. Klik op **Nieuw** (\u2067niet Verzenden\u2069)."})
    code, lines = validate(repo)
    assert code == 1
    assert [line for line in lines if line.startswith(rel)] == [
        f"{rel}:13:23: bestand: onzichtbaar teken voor de schrijfrichting (U+2067) gevonden: het kan tekst "
        "omgekeerd tonen zonder dat je het ziet; verwijder het (het komt vaak mee bij kopiëren)."
    ]
    # A left-to-right mark pasted with a date from Outlook reorders no Dutch words: the body keeps it.
    write_tip(repo, replace={"2. Klik op **Nieuw**.": "2. Klik op **Nieuw** vóór \u200e14/10/2026."})
    code, lines = validate(repo)
    assert code == 0, lines


def test_a_quoted_unknown_value_shows_the_control_as_an_escape(repo: Path) -> None:
    rel = write_tip(repo, replace={"tools: [outlook]": 'tools: ["outl\\u202eook"]'})
    code, lines = validate(repo)
    assert code == 1
    assert any(line.startswith(f"{rel}:4:9: tools[0]: onbekende waarde 'outl\\u202eook'") for line in lines), lines


def test_a_direction_control_in_a_coach_s_e_mail_address_or_phone_number(repo: Path) -> None:
    coaches = repo / "tips/coaches.yml"
    edit(coaches, "email: an.peeters@veurne.be", 'email: "an.peeters@veurne\\u202e.be"')
    edit(coaches, 'phone: "058 33 55 12"', 'phone: "058 \\u202e33 55 12"')
    code, lines = validate(repo)
    assert code == 1
    mine = [line for line in lines if line.startswith("tips/coaches.yml:")]
    assert any(": coaches[0].email: 'an.peeters@veurne\\u202e.be' is geen geldig e-mailadres" in line for line in mine)
    assert any(": coaches[0].phone: onzichtbaar teken voor de schrijfrichting (U+202E)" in line for line in mine), mine


IMAGE_LINE = "![Het scherm &#x202E;omgekeerd](automatische-antwoorden.png)"
REFERENCES_LINE = "2. Klik op &#x202E;exe.pdf en &#8238;gnp.txt en &rlm;x&lrm; en &#x2066;y&#x2069; en &#x61C;z."


def test_direction_controls_written_as_character_references_in_a_body_are_refused(repo: Path) -> None:
    """'&#x202E;' becomes U+202E in the page: the body check decodes references as the browser will."""
    rel = write_tip(
        repo,
        "tips/secretariaat/testtip.md",
        replace={
            "2. Klik op **Nieuw**.": f"{REFERENCES_LINE}\n\n{IMAGE_LINE}",
            "departments: [burgerzaken]": "departments: [secretariaat]",
        },
    )
    code, lines = validate(repo)
    assert code == 1
    mine = [line for line in lines if line.startswith(rel)]
    expected = {
        (13, REFERENCES_LINE.index(ref) + 1, ref, code_point)
        for ref, code_point in [
            ("&#x202E;", "202E"),
            ("&#8238;", "202E"),
            ("&rlm;", "200F"),
            ("&lrm;", "200E"),
            ("&#x2066;", "2066"),
            ("&#x2069;", "2069"),
            ("&#x61C;", "061C"),
        ]
    } | {(15, len("![Het scherm ") + 1, "&#x202E;", "202E")}
    assert len(mine) == len(expected), mine
    for row, col, ref, code_point in expected:
        assert (
            f"{rel}:{row}:{col}: inhoud: '{ref}' schrijft een onzichtbaar teken voor de schrijfrichting "
            f"(U+{code_point}): het kan tekst omgekeerd tonen zonder dat je het ziet; verwijder het." in mine
        ), mine


def test_a_reference_inside_code_is_shown_as_written_and_accepted(repo: Path) -> None:
    write_tip(repo, replace={"2. Klik op **Nieuw**.": "2. Typ `&#x202E;` niet over."})
    code, lines = validate(repo)
    assert code == 0, lines


def test_the_sanitiser_removes_direction_controls_from_text_and_attributes() -> None:
    """Defence in depth: whatever the Markdown makes of references or raw characters, no control reaches a page."""
    import markdown
    from conftest import ROOT
    from kennisbank.checks.sanitize import clean_html
    from kennisbank.site.markdown_ext import site_extensions
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    extensions: list[str | markdown.Extension] = [*config.markdown_extensions, *site_extensions()]
    raw_controls = "Rauw: a\u202eb \u200fc <span title='\u2067x'>y</span>"
    source = f"{REFERENCES_LINE}\n\n{IMAGE_LINE}\n\n{raw_controls}\n"
    raw = markdown.Markdown(extensions=extensions, extension_configs=config.mdx_configs).convert(source)
    assert "&#x202E;" in raw or "\u202e" in raw  # the Markdown alone would publish the control
    clean = clean_html(raw)
    assert not any(c in clean for c in CONTROLS + MARKS), repr(clean)
    assert 'alt="Het scherm omgekeerd"' in clean
    assert "exe.pdf en gnp.txt" in clean


@pytest.mark.parametrize("character", ["\u200b", "\u2060", "\ufeff"], ids=["U+200B", "U+2060", "U+FEFF"])
def test_a_zero_width_character_in_a_coach_s_name_is_refused(repo: Path, character: str) -> None:
    edit(repo / "tips/coaches.yml", "name: An Peeters", f"name: An{character} Peeters")
    code, lines = validate(repo)
    assert code == 1
    assert any(
        line.startswith("tips/coaches.yml:")
        and f": coaches[0].name: onzichtbaar teken zonder breedte (U+{ord(character):04X}) gevonden" in line
        for line in lines
    ), lines


@pytest.mark.parametrize("escape", ["\\u200B", "\\u2060", "\\uFEFF"])
def test_a_zero_width_character_in_a_title_or_why_line_is_refused(repo: Path, escape: str) -> None:
    rel = write_tip(repo, replace={"title: Een testtip over Outlook": f'title: "Een{escape} testtip"'})
    edit(repo / PATH, WHY, f'    why: "Vijf{escape} toetsen."\n')
    code, lines = validate(repo)
    assert code == 1
    assert any(line.startswith(f"{rel}:2:1: title: onzichtbaar teken zonder breedte") for line in lines), lines
    assert any(line.startswith(PATH) and ".why: onzichtbaar teken zonder breedte" in line for line in lines), lines


def test_joiners_that_some_scripts_need_stay_allowed_and_a_leading_bom_is_fine(repo: Path) -> None:
    edit(repo / "tips/coaches.yml", "name: An Peeters", "name: An Pee\u200cters\u200d")
    path = repo / "tips/coaches.yml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, lines = validate(repo)
    assert code == 0, lines
