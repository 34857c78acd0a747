"""One test per validation rule: break one file in a copy of the repo and read `kennisbank validate`."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY, VALID_TIP, edit, write_tip
from kennisbank.ops.cli import main


def validate(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    code = main(["--root", str(repo), "validate", "--today", TODAY.isoformat(), *extra])
    return code, capsys.readouterr().out.strip().splitlines()


def errors_for(lines: list[str], rel_path: str) -> list[str]:
    return [line for line in lines if line.startswith(rel_path + ":") and "waarschuwing" not in line]


# (description, replacements on VALID_TIP, expected "line:col: field" prefix, expected message parts)
TIP_CASES = [
    (
        "yaml syntax",
        {"summary: Een korte samenvatting.": "summary: Let op: dit breekt"},
        "3:",
        "yaml",
        ["YAML-syntaxfout"],
    ),
    ("missing title", {"title: Een testtip over Outlook\n": ""}, "1:1", "title", ["verplicht veld ontbreekt"]),
    ("empty title", {"title: Een testtip over Outlook": 'title: ""'}, "2:1", "title", ["mag niet leeg zijn"]),
    ("null title", {"title: Een testtip over Outlook": "title:"}, "2:1", "title", ["is leeg"]),
    (
        "unknown tool",
        {"tools: [outlook]": "tools: [outlok]"},
        "4:9",
        "tools[0]",
        ["onbekende waarde 'outlok'", "Toegestaan:", "teams", "Bedoelde je 'outlook'?"],
    ),
    (
        "unknown department",
        {"departments: [burgerzaken]": "departments: [burgerzaken, finacien]"},
        "7:28",
        "departments[1]",
        ["'finacien'", "Bedoelde je 'financien'?"],
    ),
    (
        "unknown difficulty",
        {"difficulty: basis": "difficulty: gevorderdd"},
        "5:1",
        "difficulty",
        ["basis, expert, gevorderd", "Bedoelde je 'gevorderd'?"],
    ),
    ("unknown source", {"source: oase": "source: OASE"}, "6:1", "source", ["Bedoelde je 'oase'?"]),
    ("unknown coach", {"coach: sofie-claeys": "coach: sofie-claes"}, "8:1", "coach", ["Bedoelde je 'sofie-claeys'?"]),
    (
        "unknown municipality",
        {"coach: sofie-claeys": "municipalities: [koksijd]\ncoach: sofie-claeys"},
        "8:18",
        "municipalities[0]",
        ["Bedoelde je 'koksijde'?", "de-panne"],
    ),
    ("wrong type list", {"tools: [outlook]": "tools: outlook"}, "4:1", "tools", ["moet een lijst zijn, bv. [outlook]"]),
    ("wrong type text", {"title: Een testtip over Outlook": "title: [a, b]"}, "2:1", "title", ["moet tekst zijn"]),
    ("impossible date", {"date: 2026-10-14": "date: 2026-02-30"}, "9:1", "date", ["bestaat niet"]),
    ("date format", {"date: 2026-10-14": "date: 14/10/2026"}, "9:1", "date", ["JJJJ-MM-DD"]),
    ("future date", {"date: 2026-10-14": "date: 2027-01-05"}, "9:1", "date", ["ligt in de toekomst"]),
    (
        "reviewed before date",
        {"tags: [test]": "reviewed: 2026-01-01\ntags: [test]"},
        "10:1",
        "reviewed",
        ["vóór de publicatiedatum"],
    ),
    (
        "unknown key",
        {"difficulty: basis": "dificulty: basis"},
        "5:1",
        "dificulty",
        ["onbekend veld 'dificulty'", "Bedoelde je 'difficulty'?"],
    ),
    (
        "html in title",
        {"title: Een testtip over Outlook": "title: <img src=x onerror=alert(1)>"},
        "2:1",
        "title",
        ["mag geen HTML bevatten"],
    ),
    ("empty body", {"1. Open Outlook.\n2. Klik op **Nieuw**.\n": "\n"}, "12:1", "inhoud", ["is leeg"]),
    ("script in body", {"2. Klik op **Nieuw**.": "2. Klik <script>alert(1)</script>"}, "13:9", "inhoud", ["<script>"]),
    ("iframe in body", {"2. Klik op **Nieuw**.": '<iframe src="x"></iframe>'}, "13:1", "inhoud", ["<iframe>"]),
    (
        "event handler in body",
        {"2. Klik op **Nieuw**.": '<img src="a.png" onerror="alert(1)">'},
        "13:18",
        "inhoud",
        ["onerror="],
    ),
    ("javascript link", {"2. Klik op **Nieuw**.": "[klik](javascript:alert(1))"}, "13:", "inhoud", ["javascript:"]),
    (
        "broken link",
        {"2. Klik op **Nieuw**.": "Zie [mailbox](gedeelde-mailbox-toevoegn.md)."},
        "13:15",
        "inhoud",
        ["niet bestaat", "Bedoelde je 'gedeelde-mailbox-toevoegen.md'?"],
    ),
    (
        "folder not in departments",
        {"departments: [burgerzaken]": "departments: [financien]"},
        "7:1",
        "departments",
        ["staat in de map 'burgerzaken'", "tips/financien/"],
    ),
    ("tag not lower-case", {"tags: [test]": "tags: [Test]"}, "10:8", "tags[0]", ["kleine letters"]),
    ("duplicate key", {"tags: [test]": "tags: [test]\ntags: [twee]"}, "11:1", "tags", ["twee keer"]),
]


@pytest.mark.parametrize(
    ("replace", "position", "field", "parts"), [case[1:] for case in TIP_CASES], ids=[case[0] for case in TIP_CASES]
)
def test_tip_rule_names_file_line_and_field(repo, capsys, replace, position, field, parts):
    rel = write_tip(repo, replace=replace)
    code, lines = validate(repo, capsys)
    assert code == 1
    mine = errors_for(lines, rel)
    assert mine, lines
    line = next((m for m in mine if f": {field}: " in m and all(part in m for part in parts)), None)
    assert line is not None, mine
    assert line.startswith(f"{rel}:{position}"), line


def test_code_blocks_may_show_html(repo, capsys):
    write_tip(repo, replace={"2. Klik op **Nieuw**.": "```html\n<script>alert(1)</script>\n```\nOf `<iframe>`."})
    code, lines = validate(repo, capsys)
    assert code == 0, lines


def test_non_utf8_file_names_line_of_bad_byte(repo, capsys):
    path = repo / "tips/burgerzaken/latin1.md"
    path.write_bytes(VALID_TIP.replace("Outlook.", "Outlook café.").encode("latin-1"))
    code, lines = validate(repo, capsys)
    assert code == 1
    [line] = errors_for(lines, "tips/burgerzaken/latin1.md")
    assert line.startswith("tips/burgerzaken/latin1.md:12:"), line
    assert "UTF-8" in line


def test_missing_front_matter(repo, capsys):
    (repo / "tips/burgerzaken/zonder.md").write_text("# Alleen tekst\n", encoding="utf-8")
    code, lines = validate(repo, capsys)
    assert code == 1
    assert any(line.startswith("tips/burgerzaken/zonder.md:1:1: front matter:") for line in lines)


def test_duplicate_slug_across_departments(repo, capsys):
    write_tip(repo, "tips/burgerzaken/dubbel.md")
    write_tip(repo, "tips/financien/dubbel.md", replace={"departments: [burgerzaken]": "departments: [financien]"})
    code, lines = validate(repo, capsys)
    assert code == 1
    first = errors_for(lines, "tips/burgerzaken/dubbel.md")
    second = errors_for(lines, "tips/financien/dubbel.md")
    assert "bestaat ook in tips/financien/dubbel.md" in first[0]
    assert "bestaat ook in tips/burgerzaken/dubbel.md" in second[0]


def test_unknown_department_folder(repo, capsys):
    write_tip(repo, "tips/burgerzaak/x.md")
    code, lines = validate(repo, capsys)
    [line] = errors_for(lines, "tips/burgerzaak/x.md")
    assert ": map: " in line and "Bedoelde je 'burgerzaken'?" in line


def test_tip_outside_department_folder(repo, capsys):
    write_tip(repo, "tips/los.md")
    code, lines = validate(repo, capsys)
    assert code == 1
    assert any(line.startswith("tips/los.md:1:1: bestand:") for line in lines)


def test_signal_rules(repo, capsys):
    path = repo / "meetings/signals/printer-bibliotheek-scannen.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("theme: infrastructuur", "theme: infrastructuu").replace("resolved_on: 2026-10-08\n", ""),
        encoding="utf-8",
    )
    code, lines = validate(repo, capsys)
    mine = errors_for(lines, "meetings/signals/printer-bibliotheek-scannen.md")
    assert any(": theme: " in m and "Bedoelde je 'infrastructuur'?" in m for m in mine), mine
    assert any(": status: " in m and "resolved_on" in m for m in mine), mine


def test_meeting_rules(repo, capsys):
    path = repo / "meetings/2026-11-10.md"
    text = path.read_text(encoding="utf-8")
    (repo / "meetings/2026-11-11.md").write_text(text.replace("who: sofie-claeys", "who: sofie"), encoding="utf-8")
    path.unlink()
    code, lines = validate(repo, capsys)
    mine = errors_for(lines, "meetings/2026-11-11.md")
    assert any(m.startswith("meetings/2026-11-11.md:3:1: date:") and "2026-11-10.md" in m for m in mine), mine
    assert any("actions[2].who" in m and "Bedoelde je 'sofie-claeys'?" in m for m in mine), mine


def test_coaches_file_rules(repo, capsys):
    path = repo / "tips/coaches.yml"
    edit(path, "department: bibliotheek", "department: biblioteek")
    code, lines = validate(repo, capsys)
    assert code == 1
    assert any(line.startswith("tips/coaches.yml:") and "Bedoelde je 'bibliotheek'?" in line for line in lines)


SYNONYMS = """# test
synonyms:
  - [wachtwoord, paswoord, password]
  - [map, folder]
  - [Bijlage, attachment]
  - [meeting, vergadering, pas woord]
  - [gsm]
  - [printer, "<b>afdrukken</b>"]
"""


def test_synonyms_file_rules(repo, capsys):
    (repo / "tips/synoniemen.yml").write_text(SYNONYMS, encoding="utf-8")
    code, lines = validate(repo, capsys)
    mine = errors_for(lines, "tips/synoniemen.yml")
    assert code == 1
    assert any(m.startswith("tips/synoniemen.yml:5:6: synonyms[2][0]:") and "Bedoelde je 'bijlage'?" in m for m in mine)
    # One word, one group: the message names the other group and its line.
    assert any("synonyms[3][2]" in m and "'pas woord' staat al in groep 1 (regel 3)" in m for m in mine), mine
    assert any(m.startswith("tips/synoniemen.yml:7:") and "minstens twee" in m for m in mine), mine
    assert any("synonyms[5][1]" in m and "Bedoelde je 'b afdrukken b'?" in m for m in mine), mine


def test_synonyms_file_is_optional_and_accepted_when_valid(repo, capsys):
    (repo / "tips/synoniemen.yml").unlink()
    assert validate(repo, capsys)[0] == 0
    (repo / "tips/synoniemen.yml").write_text("synonyms:\n  - [out of office, afwezigheidsbericht]\n", encoding="utf-8")
    assert validate(repo, capsys)[0] == 0
    (repo / "tips/synoniemen.yml").write_text("synoniemen: []\n", encoding="utf-8")
    code, lines = validate(repo, capsys)
    assert code == 1 and any("één lijst 'synonyms:'" in line for line in lines)


def test_all_errors_reported_sorted_with_summary(repo, capsys):
    write_tip(
        repo,
        "tips/financien/b.md",
        replace={"departments: [burgerzaken]": "departments: [financien]", "tools: [outlook]": "tools: [exel]"},
    )
    write_tip(
        repo,
        "tips/burgerzaken/a.md",
        replace={"difficulty: basis": "difficulty: makkelijk", "coach: sofie-claeys": "coach: niemand"},
    )
    code, lines = validate(repo, capsys)
    errors = [line for line in lines[:-1] if "waarschuwing" not in line]
    assert [e.split(":")[0] for e in errors] == ["tips/burgerzaken/a.md"] * 2 + ["tips/financien/b.md"]
    assert lines[-1].startswith("3 fout(en)") and "in 2 bestand(en)" in lines[-1]


def test_warnings_fail_only_with_strict(repo, capsys):
    code, lines = validate(repo, capsys)
    assert code == 0
    assert any("waarschuwing: te herzien" in line for line in lines)
    # Files with warnings are counted too (the summary used to say "… in 0 bestand(en)").
    warned = {line.split(":")[0] for line in lines[:-1] if ": waarschuwing:" in line}
    assert warned
    count = sum(1 for line in lines[:-1] if ": waarschuwing:" in line)
    assert lines[-1].startswith(
        f"0 fout(en) in 0 bestand(en) en {count} waarschuwing(en) in {len(warned)} bestand(en);"
    )
    code, _ = validate(repo, capsys, "--strict")
    assert code == 1


def test_github_annotations(repo, capsys):
    rel = write_tip(repo, replace={"tools: [outlook]": "tools: [outlok]"})
    code, lines = validate(repo, capsys, "--format", "github")
    assert code == 1
    assert f"::error file={rel},line=4,col=9::tools[0]: onbekende waarde 'outlok'" in "\n".join(lines)
    assert any(line.startswith("::warning file=") for line in lines)


def test_validation_never_writes(repo, capsys):
    write_tip(repo, replace={"tools: [outlook]": "tools: [outlok]"})
    (repo / "tips/burgerzaken/latin1.md").write_bytes("---\ntitle: café\n---\n".encode("latin-1"))

    def snapshot() -> dict[str, str]:
        return {
            p.relative_to(repo).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(repo.rglob("*"))
            if p.is_file()
        }

    before = snapshot()
    validate(repo, capsys)
    assert snapshot() == before


def test_console_script_runs_without_traceback(repo):
    write_tip(repo, replace={"date: 2026-10-14": "date: 2026-13-01"})
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("kennisbank")), "--root", str(repo), "validate"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "tips/burgerzaken/testtip.md:9:1: date: de datum '2026-13-01' bestaat niet." in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_a_file_with_a_shape_error_still_gets_every_other_problem(repo, capsys):
    (repo / "tips/burgerzaken/kapot.md").write_text(
        "---\ntitle: Test\ntools: [outlok]\ndificulty: basis\nsource: oase\ndepartments: [financien]\n"
        "coach: sofie\ndate: 2026-02-30\n---\n<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    code, lines = validate(repo, capsys)
    assert code == 1
    mine = [
        line.split(": ", 2)[0].split(":", 1)[1] + " " + line.split(": ")[1]
        for line in errors_for(lines, "tips/burgerzaken/kapot.md")
    ]
    assert mine == [
        "1:1 difficulty",
        "3:9 tools[0]",
        "4:1 dificulty",
        "6:1 departments",
        "7:1 coach",
        "8:1 date",
        "10:1 inhoud",
    ]
