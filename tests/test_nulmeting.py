"""The nulmeting: importing a Forms export (xlsx and CSV as Excel saves it), anonymity of everything that comes
out, suppression of small groups, validation of hand edits, and what the Opvolging and department pages show."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from conftest import KENNISBANK, ROOT, TODAY, BuiltSite, bare_env, kennisbank, mkdocs_build
from kennisbank.checks.loader import load_repository
from kennisbank.content.nulmeting import LEVELS, SCORES, Measurement
from kennisbank.knowledge.derive import derive
from kennisbank.knowledge.maturity import weakest_topic
from kennisbank.knowledge.wording import nl_number, nl_signed
from lxml import html as lxml_html
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

DATA = ROOT / "tests/data"
MAY, NOVEMBER = DATA / "nulmeting-2026-05.xlsx", DATA / "nulmeting-2026-11.xlsx"
SAMPLE_YAML = {MAY: ROOT / "tips/nulmeting/2026-05.yml", NOVEMBER: ROOT / "tips/nulmeting/2026-11.yml"}
EXAMPLE_MARKING = re.compile(r"^# VOORBEELD.*\nexample: true\n", re.MULTILINE)


def as_imported(sample: Path) -> str:
    """A sample measurement as the import writes it: the file without its example marking (`example: true`)."""
    return EXAMPLE_MARKING.sub("", sample.read_text(encoding="utf-8"))


EXCEL_QUESTION = "Hoe vaardig ben je in Excel?"
DEPARTMENT_QUESTION = "Bij welke dienst werk je?"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`kennisbank <args>` in this process (see conftest.kennisbank); `run_script` starts the console script."""
    return kennisbank(*args, cwd=cwd)


def run_script(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`kennisbank <args>` as a coach runs it: the console script, without the virtualenv on PATH."""
    return subprocess.run(
        [KENNISBANK, *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env=bare_env(KENNISBANK_TODAY=TODAY.isoformat()),
    )  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Export:
    """The header and rows of a sample export, as openpyxl reads them."""

    headers: list[str]
    rows: list[list[object]]

    def column(self, header: str) -> int:
        return self.headers.index(header)

    def people(self) -> list[tuple[str, str]]:
        """(name, e-mail address) of every respondent."""
        name, email = self.column("Naam"), self.column("E-mail")
        return [(str(row[name]), str(row[email])) for row in self.rows]


def read_export(path: Path) -> Export:
    workbook = load_workbook(path, read_only=True)
    grid: list[list[object]] = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return Export([str(h) for h in grid[0]], grid[1:])


def write_xlsx(path: Path, export: Export) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(export.headers)
    for row in export.rows:
        sheet.append(row)
    workbook.save(path)
    return path


# --- importing the sample exports ---------------------------------------------------------------


@pytest.mark.parametrize("export", [MAY, NOVEMBER], ids=["mei", "november"])
def test_import_of_the_sample_export_gives_the_sample_content(repo: Path, tmp_path: Path, export: Path) -> None:
    before = digest(export)
    target = tmp_path / "meting.yml"
    proc = run("nulmeting", "import", str(export), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text(encoding="utf-8") == as_imported(SAMPLE_YAML[export])
    assert digest(export) == before, "the export itself is never changed"
    again = run("nulmeting", "import", str(export), "-o", str(target), cwd=repo)
    assert again.returncode == 1 and "bestaat al" in again.stderr and "--force" in again.stderr
    assert run("nulmeting", "import", str(export), "-o", str(target), "--force", cwd=repo).returncode == 0


def test_import_summary_in_dutch(repo: Path) -> None:
    (repo / "tips/nulmeting/2026-05.yml").unlink()
    proc = run_script("nulmeting", "import", str(MAY), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Gelezen: Excel-werkmap, blad 'Form1', 123 respondenten." in out
    assert "Datum van de meting: 22 mei 2026 (de laatste 'Tijd van voltooien')." in out
    assert re.search(r"Burgerzaken +14\n", out) and re.search(r"Toerisme +minder dan 5 \(onderdrukt\)", out)
    assert re.search(r"onbekend +3\n", out)
    assert "'Burgerzakn' (1×) — bedoel je 'Burgerzaken'?" in out and "'Andere' (2×)" in out
    assert "hele dienst: Toerisme, Kinderopvang" in out and "Bibliotheek × Excel" in out
    assert "Wachtwoorden & MFA  ← 'Hoe vaardig ben je met wachtwoorden en MFA?'" in out
    assert "'Naam': gegevens van Forms of persoonsgegevens" in out
    assert "'Wat wil je graag nog leren? (vrij antwoord)': geen tool uit de woordenlijst herkend" in out
    assert (repo / "tips/nulmeting/2026-05.yml").read_text(encoding="utf-8") == as_imported(SAMPLE_YAML[MAY])
    validate = run("validate", cwd=repo)
    assert "0 fout(en)" in validate.stdout, validate.stdout


def _csv_variant(export: Export, kind: str) -> tuple[bytes, str]:
    """The export as Excel saves it as CSV: Flemish (';', cp1252 or UTF-8 with BOM, day first) or English
    (',', UTF-8 with BOM, English Forms columns, month first with AM/PM)."""
    headers = list(export.headers)
    if kind == "english":
        english = {"Begintijd": "Start time", "Tijd van voltooien": "Completion time", "E-mail": "Email",
                   "Naam": "Name", "Tijd van laatste wijziging": "Last modified time"}  # fmt: skip
        headers = [english.get(h, h) for h in headers]

    def cell(value: object) -> str:
        if isinstance(value, datetime):
            if kind == "english":
                return value.strftime("%m/%d/%Y %I:%M:%S %p").lstrip("0").replace("/0", "/")
            return f"{value.day}/{value.month}/{value.year} {value:%H:%M:%S}"
        return "" if value is None else str(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if kind == "english" else ";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([cell(v) for v in row] for row in export.rows)
    text = buffer.getvalue()
    if kind == "cp1252":
        return text.encode("cp1252"), "export.csv"
    return "\ufeff".encode() + text.encode("utf-8"), "export.csv"


@pytest.mark.parametrize("kind", ["cp1252", "utf8-bom", "english"])
def test_csv_as_excel_saves_it_gives_the_same_measurement(repo: Path, tmp_path: Path, kind: str) -> None:
    content, name = _csv_variant(read_export(MAY), kind)
    assert (b";" in content[:200]) == (kind != "english")
    source = tmp_path / name
    source.write_bytes(content)
    target = tmp_path / "meting.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "CSV, " in proc.stdout and ("Windows-1252" in proc.stdout) == (kind == "cp1252")
    assert target.read_text(encoding="utf-8") == as_imported(SAMPLE_YAML[MAY])
    assert source.read_bytes() == content


def test_a_semicolon_file_whose_questions_hold_commas_is_read_by_semicolons(repo: Path, tmp_path: Path) -> None:
    export = read_export(MAY)
    # Question titles with more commas than the header has semicolons: the header alone would say ','.
    headers = [h.replace("?", " (thuis, op kantoor, onderweg, op het werk)?") if "vaardig" in h else h
               for h in export.headers]  # fmt: skip
    content, name = _csv_variant(Export(headers, export.rows), "utf8-bom")
    assert content.split(b"\r\n", 1)[0].count(b",") > content.split(b"\r\n", 1)[0].count(b";")
    source = tmp_path / name
    source.write_bytes(content)
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "meting.yml"), cwd=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "gescheiden door ';'" in proc.stdout


# --- anonymity -------------------------------------------------------------------------------------


def _texts_of(path: Path) -> list[str]:
    """A file's text; for zipped files (Word, Excel exports) the text of every member."""
    raw = path.read_bytes()
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(path) as archive:
            return [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    return [raw.decode("utf-8", "replace")]


def test_no_name_or_email_in_any_output(repo: Path, tmp_path: Path, sample_site: BuiltSite) -> None:
    people = read_export(MAY).people() + read_export(NOVEMBER).people()
    assert len(people) == 234 and all("@" in email for _, email in people)
    outputs = {}
    for export in (MAY, NOVEMBER):
        target = tmp_path / f"{export.stem}.yml"
        proc = run("nulmeting", "import", str(export), "-o", str(target), cwd=repo)
        assert proc.returncode == 0, proc.stderr
        outputs[f"cli {export.name}"] = proc.stdout + proc.stderr
        outputs[str(target)] = target.read_text(encoding="utf-8")
    files = [p for p in sample_site.site.rglob("*") if p.is_file()]
    assert len(files) > 100
    for path in files:
        outputs[str(path.relative_to(sample_site.site))] = "\n".join(_texts_of(path))
    # Every output in one text, so each name and address is one search (per file and person took seconds);
    # NUL, in no name or address, keeps a match from spanning two outputs.
    origins, texts = list(outputs), [text.lower() for text in outputs.values()]
    everything = "\0".join(texts)
    for name, email in people:
        for secret in (name, email):
            if secret.lower() in everything:
                origin = next(o for o, t in zip(origins, texts, strict=True) if secret.lower() in t)
                raise AssertionError(f"{secret} in {origin}")


def test_measurement_file_holds_no_times_ids_or_free_text() -> None:
    export = read_export(MAY)
    text = as_imported(SAMPLE_YAML[MAY])
    assert re.findall(r"\d{4}-\d{2}-\d{2}", text) == ["2026-05-22"]  # the measurement date, nothing else
    assert not re.search(r"\d{1,2}:\d{2}", text)
    wishes = {row[export.column("Wat wil je graag nog leren? (vrij antwoord)")] for row in export.rows} - {None}
    assert wishes and not any(str(w) in text for w in wishes)
    data = yaml.safe_load(text)
    assert set(data) == {"date", "respondents", "minimum_group", "municipalities", "tools", "departments"}


def _shown(group: dict) -> bool:
    return not group.get("suppressed")


@pytest.mark.parametrize("sample", sorted(SAMPLE_YAML.values()), ids=lambda p: p.stem)
def test_sample_measurements_show_no_small_group(sample: Path) -> None:
    data = yaml.safe_load(sample.read_text(encoding="utf-8"))
    assert data["departments"]["toerisme"] == {"suppressed": True}
    assert data["departments"]["kinderopvang"] == {"suppressed": True}
    for key, department in data["departments"].items():
        if not _shown(department):
            assert department == {"suppressed": True}, key
            continue
        assert department["respondents"] >= 5
        for tool, group in department["tools"].items():
            assert group == {"suppressed": True} or group["respondents"] >= 5, (key, tool)
    for tool, overall in data["tools"].items():
        shown = [d["tools"][tool] for d in data["departments"].values() if _shown(d) and tool in d.get("tools", {})]
        hidden = overall["respondents"] - sum(g["respondents"] for g in shown if _shown(g))
        assert hidden == 0 or hidden >= 5, tool


ANSWERS = {"geen": "Ik ken de basis niet", "basis": "Basis", "gevorderd": "Gevorderd", "expert": "Expert"}


def _small_export(path: Path) -> Path:
    """Burgerzaken 6, Financiën 7, ICT 2, 3 unknown (cp1252, ';'): ICT is suppressed, and so must be one more
    department's tool groups."""
    lines = [f"ID;Tijd van voltooien;Naam;E-mail;{DEPARTMENT_QUESTION};{EXCEL_QUESTION};Hoe vaardig ben je in Teams?"]
    departments = ["Burgerzaken"] * 6 + ["Financiën"] * 7 + ["ICT"] * 2
    for number, department in enumerate(departments, start=1):
        excel, teams = ANSWERS[LEVELS[number % 4]], ANSWERS[LEVELS[(number + 1) % 4]]
        person = f"Persoon{number} Testnaam;p{number}@koksijde.be"
        lines.append(f"{number};2/10/2026 10:{number:02d}:00;{person};{department};{excel};{teams}")
    # Three colleagues of no known department who answered neither question: the headcount's hidden rest
    # (ICT's 2 and these 3) is large enough, the rest of each tool (ICT's 2) is not.
    lines += [f"{n};2/10/2026 11:00:00;Persoon{n} Testnaam;p{n}@koksijde.be;Andere;;" for n in range(16, 19)]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return path


def test_a_department_that_subtraction_would_reveal_is_suppressed_too(repo: Path, tmp_path: Path) -> None:
    source = _small_export(tmp_path / "klein.csv")
    proc = run("nulmeting", "import", str(source), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    written = repo / "tips/nulmeting/2026-10.yml"
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert data["departments"]["ict"] == {"suppressed": True}
    assert data["departments"]["burgerzaken"]["tools"] == {"excel": {"suppressed": True}, "teams": {"suppressed": True}}
    assert data["departments"]["financien"]["tools"]["excel"]["respondents"] == 7
    assert "hele dienst: ICT" in proc.stdout
    assert "Ook onderdrukt, zodat geen kleine groep af te leiden is" in proc.stdout
    assert "Burgerzaken × Excel" in proc.stdout.split("Ook onderdrukt")[1]
    assert run("validate", cwd=repo).returncode == 0

    # Someone puts Burgerzaken's Excel figures back by hand: validate finds the group of two by subtraction.
    levels = {level: 0 for level in LEVELS}
    for number in range(1, 7):
        levels[LEVELS[number % 4]] += 1
    average = sum(SCORES[k] * n for k, n in levels.items()) / 6
    flow = ", ".join(f"{k}: {n}" for k, n in levels.items())
    edited = written.read_text(encoding="utf-8").replace(
        "      excel: {suppressed: true}",
        f"      excel: {{respondents: 6, levels: {{{flow}}}, average: {average:.2f}}}",
        1,
    )
    written.write_text(edited, encoding="utf-8")
    proc = run("validate", cwd=repo)
    assert proc.returncode == 1
    line = next(i for i, text in enumerate(edited.splitlines(), start=1) if text.startswith("  excel:"))
    assert (
        f"tips/nulmeting/2026-10.yml:{line}:3: tools.excel: het totaal min de getoonde diensten laat 2 antwoord(en) "
        "over: zo is een groep van minder dan 5 af te leiden." in proc.stdout
    ), proc.stdout


# --- validation of hand edits ------------------------------------------------------------------------


def _line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(start))


# (text in the file, its replacement, the start of the line the problem points at, its column or None, message)
HAND_EDITS = {
    "small group shown": (
        "  kinderopvang: {suppressed: true}",
        "  kinderopvang:\n    respondents: 3\n    tools: {}",
        "    respondents: 3",
        5,
        "departments.kinderopvang.respondents: een groep van 3 antwoorden is te klein om te tonen (minstens 5); "
        "vervang de cijfers door 'suppressed: true'.",
    ),
    "unknown department": (
        "  burgerzaken:",
        "  burgerzakn:",
        "  burgerzakn:",
        3,
        "departments.burgerzakn: onbekende waarde 'burgerzakn' voor dienst. Toegestaan: bibliotheek, burgerzaken",
    ),
    "unknown tool": (
        "      outlook: {",
        "      outlok: {",
        "      outlok:",
        7,
        "departments.burgerzaken.tools.outlok: onbekende waarde 'outlok' voor tool.",
    ),
    "lower threshold": ("minimum_group: 5", "minimum_group: 3", "minimum_group:", 1, "moet minstens 5 zijn"),
    "future": ("date: 2026-11-20", "date: 2026-12-20", "date:", 1, "date: de datum 2026-12-20 ligt in de toekomst"),
    "sum": (
        "  outlook: {respondents: 103,",
        "  outlook: {respondents: 113,",
        "  outlook:",
        None,
        "tools.outlook.levels: de niveaus tellen op tot 103, maar respondents is 113.",
    ),
    "nan": (
        "average: 2.81}",
        "average: .nan}",
        "  outlook:",
        None,
        "tools.outlook.average: moet een gewoon getal zijn",
    ),
    "total": ("respondents: 111", "respondents: 100", "municipalities:", 1, "municipalities: samen 111 respondenten"),
}


@pytest.mark.parametrize("case", HAND_EDITS)
def test_validate_reports_hand_edits_with_file_and_line(repo: Path, case: str) -> None:
    old, new, at, column, expected = HAND_EDITS[case]
    path = repo / "tips/nulmeting/2026-11.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    edited = text.replace(old, new, 1)
    path.write_text(edited, encoding="utf-8")
    proc = run("validate", cwd=repo)
    assert proc.returncode == 1, proc.stdout
    prefix = f"tips/nulmeting/2026-11.yml:{_line_of(edited, at)}:" + (f"{column}:" if column else "")
    assert any(line.startswith(prefix) and expected in line for line in proc.stdout.splitlines()), proc.stdout


# --- errors on files it cannot read --------------------------------------------------------------------


def _protected(path: Path) -> Path:
    # An encrypted Office file is a Compound File with an 'EncryptionInfo' stream (what Excel writes when you
    # set a password); this is its header and directory entry name, enough for the reader to recognise it.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + bytes(1024))
    return path


def _word(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def _with_answer(path: Path, header: str, row: int, value: str) -> Path:
    export = read_export(MAY)
    export.rows[row - 2][export.column(header)] = value
    return write_xlsx(path, export)


def _renamed_department(path: Path) -> Path:
    export = read_export(MAY)
    export.headers[export.column(DEPARTMENT_QUESTION)] = "Team"
    return write_xlsx(path, export)


ERRORS = {
    "not found": (lambda tmp: tmp / "bestaat-niet.xlsx", "bestaat-niet.xlsx: het bestand bestaat niet"),
    "pdf": (
        lambda tmp: (tmp / "verslag.pdf", (tmp / "verslag.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\n"))[0],
        "verslag.pdf: dit is geen Excel-werkmap (.xlsx) of CSV-bestand (.csv)",
    ),
    "word": (lambda tmp: _word(tmp / "antwoorden.xlsx"), "antwoorden.xlsx: dit is geen Excel-werkmap"),
    "password": (
        lambda tmp: _protected(tmp / "beveiligd.xlsx"),
        "beveiligd.xlsx: de werkmap is beveiligd met een wachtwoord",
    ),
    "corrupt": (
        lambda tmp: (tmp / "kapot.xlsx", (tmp / "kapot.xlsx").write_bytes(MAY.read_bytes()[:6000]))[0],
        "kapot.xlsx: het bestand is beschadigd",
    ),
    "empty": (lambda tmp: (tmp / "leeg.csv", (tmp / "leeg.csv").write_bytes(b""))[0], "leeg.csv: het bestand is leeg."),
    "header only": (
        lambda tmp: (tmp / "kop.csv", (tmp / "kop.csv").write_bytes(f"ID;{DEPARTMENT_QUESTION}\r\n".encode()))[0],
        "kop.csv: het bestand bevat geen antwoorden, alleen de kopregel (rij 1).",
    ),
    "no department": (
        lambda tmp: _renamed_department(tmp / "team.xlsx"),
        "team.xlsx: Ik vind geen kolom met de dienst; kolommen in het bestand: 'ID', 'Begintijd', "
        "'Tijd van voltooien', 'E-mail', 'Naam', 'Tijd van laatste wijziging', 'Team', 'In welke gemeente werk je?'",
    ),
    "unknown level": (
        lambda tmp: _with_answer(tmp / "soms.xlsx", EXCEL_QUESTION, 5, "Soms"),
        "- kolom L 'Hoe vaardig ben je in Excel?': 1 van de 117 antwoorden zijn geen niveau dat de import kent "
        "(1 verschillende)\n    'Soms': 1× (rij 5); voorstel: basis",
    ),
    "typo in level": (
        lambda tmp: _with_answer(tmp / "typo.xlsx", EXCEL_QUESTION, 9, "Gevorderrd"),
        "'Gevorderrd': 1× (rij 9); voorstel: gevorderd (bedoelde je 'Gevorderd'?)",
    ),
}


@pytest.mark.parametrize("case", ERRORS)
def test_unreadable_exports_get_a_dutch_error(repo: Path, tmp_path: Path, case: str) -> None:
    make, expected = ERRORS[case]
    source = make(tmp_path)
    before = source.read_bytes() if source.exists() else None
    listing = sorted(p.name for p in (repo / "tips/nulmeting").iterdir())
    proc = run("nulmeting", "import", str(source), cwd=repo)
    assert proc.returncode == 1, proc.stdout
    assert proc.stderr.startswith("kennisbank: ") and expected in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert sorted(p.name for p in (repo / "tips/nulmeting").iterdir()) == listing
    assert (source.read_bytes() if source.exists() else None) == before


def test_error_messages_name_the_way_out(repo: Path, tmp_path: Path) -> None:
    team = _renamed_department(tmp_path / "team.xlsx")
    proc = run("nulmeting", "import", str(team), cwd=repo)
    assert "bedoel je 'Team'? Geef dan --dienstkolom \"Team\" mee." in proc.stderr
    fixed = run("nulmeting", "import", str(team), "--dienstkolom", "Team", "-o", str(tmp_path / "t.yml"), cwd=repo)
    assert fixed.returncode == 0, fixed.stderr
    assert (tmp_path / "t.yml").read_text(encoding="utf-8") == as_imported(SAMPLE_YAML[MAY])
    level = run("nulmeting", "import", str(_with_answer(tmp_path / "s.xlsx", EXCEL_QUESTION, 5, "Soms")), cwd=repo)
    assert "Bekende schalen: Ik ken de basis niet / Basis / Gevorderd / Expert; Beginner" in level.stderr
    assert "'Soms': basis   # gok op een woord in het label" in level.stderr
    assert "lees opnieuw in met --schaal-bestand schaal.yml" in level.stderr


def test_sample_exports_come_from_the_generator(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts/make_sample_nulmeting.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for export in (MAY, NOVEMBER):
        assert (tmp_path / export.name).read_bytes() == export.read_bytes(), export.name


# --- the site -------------------------------------------------------------------------------------------


def _measurements(site: BuiltSite) -> list[Measurement]:
    measurements = load_repository(site.repo, today=TODAY).repository.measurements
    assert [m.date.isoformat() for m in measurements] == ["2026-05-22", "2026-11-20"]
    return measurements


def _page(site: BuiltSite, url: str):
    return lxml_html.fromstring(site.page(url))


def test_opvolging_shows_heat_map_and_table_of_the_latest_measurement(sample_site: BuiltSite) -> None:
    _, latest = _measurements(sample_site)
    tree = _page(sample_site, "opvolging/")
    svg = tree.xpath('//svg[contains(@class, "kb-heatmap")]')
    assert len(svg) == 1 and svg[0].get("aria-hidden") == "true"
    svg_texts = [t.text_content() for t in svg[0].iter("text")]
    assert "Technische dienst" in svg_texts and "Alle diensten" in svg_texts and "Wachtwoorden & MFA" in svg_texts
    table = tree.xpath('//table[contains(@class, "kb-maturity") and not(contains(@class, "tools"))]')[0]
    suppressed_cells = 0
    for key, department in latest.departments.items():
        row = table.xpath(f'.//tr[@data-department="{key}"]')[0]
        cells = {td.get("data-tool"): td.text_content().strip() for td in row.xpath("./td")}
        assert list(cells) == list(latest.tools)
        for tool, text in cells.items():
            group = department.tools.get(tool) if department.shown else None
            if not department.shown or (group is not None and not group.shown):
                assert text == "< 5", (key, tool)
                suppressed_cells += 1
            elif group is None:
                assert text == "—"
            else:
                assert group.shown_average is not None, (key, tool)
                assert text == f"{nl_number(group.shown_average)} ({group.respondents})", (key, tool)
    assert svg_texts.count("< 5") == suppressed_cells > 0
    everyone = table.xpath('.//tr[@data-department="alle"]')[0]
    assert everyone.xpath("./td")[3].text_content() == "2,6 (105)"


def test_opvolging_shows_change_tips_and_signals_per_tool(sample_site: BuiltSite) -> None:
    before, latest = _measurements(sample_site)
    repository = load_repository(sample_site.repo, today=TODAY).repository
    tools = _page(sample_site, "opvolging/").xpath('//table[contains(@class, "kb-maturity-tools")]')[0]
    header = [th.text_content() for th in tools.xpath(".//thead/tr/th")]
    assert header[:3] == ["Tool", "Gemiddeld", "Sinds mei 2026"] and "Tips basis" in header
    # Rounded once, half up, from the exact levels: Excel in May is 240/117 = 2.051 (the file says 2.05) and
    # shows 2,1; Wachtwoorden in November is 223/109 = 2.046 (the file says 2.05) and shows 2,0.
    expected = {"excel": "▲ gestegen van 2,1 naar 2,6 (+0,5)", "wachtwoorden": "▼ gedaald van 2,3 naar 2,0 (−0,3)"}
    for tool, text in expected.items():
        change = tools.xpath(f'.//tr[@data-tool="{tool}"]/td[contains(@class, "kb-change")]')[0].text_content()
        assert change.strip() == text
    assert tools.xpath('.//tr[@data-tool="excel"]/td')[0].text_content() == "2,6"
    excel = tools.xpath('.//tr[@data-tool="excel"]')[0]
    counts = [td.text_content() for td in excel.xpath("./td")][2:5]
    expected_counts = [
        str(sum(1 for t in repository.tips if "excel" in t.tools and t.difficulty == d)) for d in LEVELS[1:]
    ]
    assert counts == expected_counts
    assert "Leernood Excel-basis bij de nieuwe collega's van Financiën" in excel.text_content()
    assert tools.xpath('.//tr[@data-tool="outlook"]/td')[-1].text_content() == "—"


def test_department_page_names_its_weakest_topic(sample_site: BuiltSite) -> None:
    _, latest = _measurements(sample_site)
    weak = weakest_topic(latest, "burgerzaken")
    assert weak is not None
    lowest = min(
        g.average for g in latest.departments["burgerzaken"].tools.values() if g.shown and g.average is not None
    )
    assert round(float(weak.average), 1) == round(lowest, 1)
    tree = _page(sample_site, "diensten/burgerzaken/")
    paragraph = tree.xpath('//p[contains(@class, "kb-weakest")]')[0]
    assert paragraph.get("data-tool") == weak.tool
    text = " ".join(paragraph.text_content().split())
    assert (
        f"Zwakste onderwerp in de nulmeting van 20 november 2026: Copilot (gemiddeld {nl_number(weak.average)} op 4"
        in text
    )
    assert paragraph.xpath(".//a/@href") == [f"../../tools/{weak.tool}/#niveau-basis"]
    toerisme = " ".join(_page(sample_site, "diensten/toerisme/").text_content().split())
    assert "antwoordden minder dan 5 collega's van deze dienst" in toerisme
    assert not _page(sample_site, "diensten/onderwijs/").xpath('//*[@id="digitale-vaardigheden"]')


def test_department_page_suggests_the_learning_paths_of_its_weakest_topic(sample_site: BuiltSite) -> None:
    _, latest = _measurements(sample_site)
    knowledge = derive(load_repository(sample_site.repo, today=TODAY).repository, TODAY)
    suggested_somewhere = without_suggestion = 0
    for department in latest.departments:
        weak = weakest_topic(latest, department)
        fitting = {p.slug for p in knowledge.paths if weak and p.covers(weak.tool) and p.is_for(department)}
        links = _page(sample_site, f"diensten/{department}/").xpath('//p[@class="kb-weakest-path"]/a/@href')
        assert {href.split("/")[-2] for href in links} == fitting, department
        suggested_somewhere += bool(fitting)
        without_suggestion += weak is not None and not fitting
    # The sample covers both cases: a path that fits (Burgerzaken: Copilot, "AI in je werk") and none.
    assert suggested_somewhere and without_suggestion
    burgerzaken = _page(sample_site, "diensten/burgerzaken/").xpath('//p[@class="kb-weakest-path"]')[0]
    assert "Een leerpad dat daarbij past: AI in je werk." in " ".join(burgerzaken.text_content().split())


def test_ratings_of_one_to_five_map_onto_the_four_levels(repo: Path, tmp_path: Path) -> None:
    """A Forms rating question exports numbers; on a 1-5 scale, 2 and 3 both count as basis."""
    ratings = [1, 2, 3, 3, 4, 5, 5, 2, 4, 1]
    lines = [f"ID,Completion time,Name,Email,{DEPARTMENT_QUESTION},{EXCEL_QUESTION}"]
    lines += [
        f"{n},10/{n + 1}/2026 9:00:00 AM,Persoon{n} Testnaam,p{n}@veurne.be,Financiën,{rating}"
        for n, rating in enumerate(ratings, start=1)
    ]
    source = tmp_path / "sterren.csv"
    source.write_bytes("\r\n".join(lines).encode("utf-8"))
    target = tmp_path / "sterren.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "op een schaal van 1 tot 5" in proc.stdout
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["date"] == datetime(2026, 10, 11).date()  # month first in an English export
    excel = data["departments"]["financien"]["tools"]["excel"]
    assert excel["levels"] == {"geen": 2, "basis": 4, "gevorderd": 2, "expert": 2}
    assert excel["average"] == 2.4
    four = run("nulmeting", "import", str(source), "-o", str(tmp_path / "vier.yml"), "--schaal", "4", cwd=repo)
    assert four.returncode == 1
    assert "'5': 2× (rij 7, 8); voorstel:" in four.stderr, four.stderr
    assert "cijfers of sterren van 1 tot 4 of 1 tot 5 (--schaal 4 of --schaal 5 kiest)" in four.stderr


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_heat_map_colours_keep_their_order_in_grayscale_and_their_text_readable() -> None:
    from kennisbank.site.heatmap import COLOURS, LIGHT_TEXT_FROM

    lightness = [_luminance(c) for c in COLOURS]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == len(lightness)
    for index, background in enumerate(lightness):
        text = 1.0 if index >= LIGHT_TEXT_FROM else 0.0
        contrast = (max(text, background) + 0.05) / (min(text, background) + 0.05)
        assert contrast >= 4.5, (COLOURS[index], contrast)


# --- review fixes ----------------------------------------------------------------------------------


def test_replacing_a_measurement_refuses_a_difference_of_a_few_colleagues(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "2026-05.yml"
    assert run("nulmeting", "import", str(MAY), "-o", str(target), cwd=repo).returncode == 0
    before = target.read_bytes()
    export = read_export(MAY)
    export.rows.append(list(export.rows[0]))  # the corrected export has one colleague more (another person)
    export.rows[-1][export.column("E-mail")], export.rows[-1][export.column("Naam")] = (
        "laat@koksijde.be",
        "Laat Ingevuld",
    )
    corrected = write_xlsx(tmp_path / "verbeterd.xlsx", export)
    proc = run("nulmeting", "import", str(corrected), "-o", str(target), "--force", cwd=repo)
    assert proc.returncode == 1 and target.read_bytes() == before
    assert "niet vervangen: in deze groepen verschilt het aantal antwoorden met 1 tot 4" in proc.stderr
    assert "respondents, municipalities." in proc.stderr and "als een nieuwe meting" in proc.stderr
    assert "--force --nooit-gepubliceerd" in proc.stderr
    ok = run("nulmeting", "import", str(corrected), "-o", str(target), "--force", "--nooit-gepubliceerd", cwd=repo)
    assert ok.returncode == 0, ok.stderr
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["respondents"] == 124


def _headcount_export(path: Path, departments: list[str], municipalities: list[str]) -> Path:
    lines = [f"ID;Tijd van voltooien;{DEPARTMENT_QUESTION};In welke gemeente werk je?;{EXCEL_QUESTION}"]
    for number, (department, municipality) in enumerate(zip(departments, municipalities, strict=True), start=1):
        lines.append(f"{number};2/10/2026 10:00:00;{department};{municipality};{ANSWERS[LEVELS[number % 4]]}")
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return path


def test_a_hidden_headcount_cannot_be_found_by_subtraction_from_the_total(repo: Path, tmp_path: Path) -> None:
    departments = ["Burgerzaken"] * 10 + ["Financiën"] * 10 + ["Bibliotheek"] * 3
    municipalities = ["De Panne"] * 10 + ["Koksijde"] * 11 + ["Veurne"] * 2
    source = _headcount_export(tmp_path / "drie.csv", departments, municipalities)
    proc = run("nulmeting", "import", str(source), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    written = repo / "tips/nulmeting/2026-10.yml"
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert data["respondents"] == 23
    assert data["departments"]["bibliotheek"] == {"suppressed": True}
    assert data["departments"]["burgerzaken"] == {"suppressed": True}  # 23 - 10 - 10 would be Bibliotheek's 3
    assert data["departments"]["financien"]["respondents"] == 10
    assert data["municipalities"] == {
        "de-panne": {"suppressed": True}, "koksijde": {"respondents": 11}, "veurne": {"suppressed": True}
    }  # fmt: skip
    assert "hele dienst: Burgerzaken" in proc.stdout.split("Ook onderdrukt")[1]
    assert run("validate", cwd=repo).returncode == 0

    edited = written.read_text(encoding="utf-8")
    edited = edited.replace("  burgerzaken: {suppressed: true}", "  burgerzaken:\n    respondents: 10\n    tools: {}")
    edited = edited.replace("  de-panne: {suppressed: true}", "  de-panne: {respondents: 10}")
    written.write_text(edited, encoding="utf-8")
    out = run("validate", cwd=repo).stdout
    assert "departments: het totaal (respondents: 23) min de getoonde groepen laat 3 respondent(en) over" in out, out
    assert "municipalities: het totaal (respondents: 23) min de getoonde groepen laat 2 respondent(en) over" in out


def test_a_measurement_of_fewer_than_five_colleagues_is_refused(repo: Path, tmp_path: Path) -> None:
    source = _headcount_export(tmp_path / "vier.csv", ["Burgerzaken"] * 4, ["Veurne"] * 4)
    proc = run("nulmeting", "import", str(source), cwd=repo)
    assert proc.returncode == 1 and "maar 4 respondent(en); een meting met minder dan 5" in proc.stderr
    assert not (repo / "tips/nulmeting/2026-10.yml").exists()


@pytest.mark.build
def test_validate_refuses_an_empty_measurement_that_the_build_could_not_show(repo: Path) -> None:
    (repo / "tips/nulmeting/2026-11.yml").write_text("date: 2026-11-20\nrespondents: 0\ntools: {}\n", encoding="utf-8")
    proc = run("validate", cwd=repo)
    assert proc.returncode == 1
    assert "tips/nulmeting/2026-11.yml:3:1: tools: een meting zonder tools toont niets" in proc.stdout, proc.stdout
    assert "tips/nulmeting/2026-11.yml:2:1: respondents: een meting met 0 respondent(en) is te klein" in proc.stdout
    build = mkdocs_build(repo, repo / "site")
    assert build.returncode != 0 and "Traceback" not in build.stderr, build.stderr[-2000:]
    assert "een meting zonder tools toont niets" in build.stderr + build.stdout


def test_shown_averages_are_rounded_once_half_up_from_the_exact_levels() -> None:
    from decimal import Decimal

    from kennisbank.content.nulmeting import rounded_average

    assert rounded_average({"geen": 37, "basis": 45, "gevorderd": 27, "expert": 8}) == Decimal("2.1")  # 2.051
    assert rounded_average({"geen": 1, "basis": 2, "gevorderd": 1, "expert": 0}) == Decimal("2.0")  # 2.0 exactly
    assert rounded_average({"geen": 0, "basis": 3, "gevorderd": 1, "expert": 0}) == Decimal("2.3")  # 2.25
    assert rounded_average({}) is None
    assert nl_number(2.25) == "2,3" and nl_number(Decimal("2.05")) == "2,1" and nl_signed(Decimal("-0.3")) == "−0,3"


def test_an_unclosed_quote_in_a_csv_is_an_error_not_lost_rows(repo: Path, tmp_path: Path) -> None:
    source = _small_export(tmp_path / "quote.csv")
    lines = source.read_bytes().decode("cp1252").split("\r\n")
    lines[3] = lines[3].replace(";Burgerzaken;", ';"Burgerzaken;', 1)  # the quote never closes
    source.write_bytes("\r\n".join(lines).encode("cp1252"))
    proc = run("nulmeting", "import", str(source), cwd=repo)
    assert proc.returncode == 1, proc.stdout
    assert "quote.csv: op regel 4 begint een veld met een aanhalingsteken" in proc.stderr, proc.stderr
    lines[3] = lines[3].replace(';"Burgerzaken;', ';"Burger"zaken;', 1)  # text after a closing quote
    source.write_bytes("\r\n".join(lines).encode("cp1252"))
    stray = run("nulmeting", "import", str(source), cwd=repo)
    assert 'quote.csv: regel 4: een aanhalingsteken (") midden in een veld' in stray.stderr, stray.stderr
    csv_limit = tmp_path / "lang.csv"
    csv_limit.write_text(f"ID;{DEPARTMENT_QUESTION}\n1;{'x' * 200_000}\n", encoding="utf-8")
    long = run("nulmeting", "import", str(csv_limit), cwd=repo)
    assert "lang.csv: vanaf regel 2 is een veld langer dan 131072 tekens" in long.stderr, long.stderr
    assert not (repo / "tips/nulmeting/2026-10.yml").exists()


def test_a_free_text_question_about_the_department_is_not_taken_for_the_department(repo: Path, tmp_path: Path) -> None:
    export = read_export(MAY)
    free = "Wat mis je nog in je dienst? (vrij antwoord)"
    export.headers[export.column(DEPARTMENT_QUESTION)] = "Waar werk je?"
    export.headers.append(free)
    for row in export.rows:
        row.append("Meer opleiding")
    source = write_xlsx(tmp_path / "vrij.xlsx", export)
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 1 and not (tmp_path / "m.yml").exists()
    assert f"in de kolom '{free}' is maar 0% van de antwoorden een dienst" in proc.stderr, proc.stderr
    assert "bedoel je 'Waar werk je?'? Geef dan --dienstkolom \"Waar werk je?\" mee." in proc.stderr


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--dienstkolom", "E-mail"], "--dienstkolom 'E-mail' is een kolom van Forms zelf (persoonsgegevens"),
        (["--gemeentekolom", "Naam"], "--gemeentekolom 'Naam' is een kolom van Forms zelf"),
        (["--dienstkolom", EXCEL_QUESTION], f"--dienstkolom '{EXCEL_QUESTION}' is een vraag over een tool (excel)"),
        (["--gemeentekolom", DEPARTMENT_QUESTION], "--gemeentekolom en de dienst zijn dezelfde kolom"),
    ],
    ids=["email", "naam", "topic", "same"],
)
def test_personal_data_or_topic_columns_are_refused_as_department_or_municipality(
    repo: Path, tmp_path: Path, options: list[str], expected: str
) -> None:
    proc = run("nulmeting", "import", str(MAY), "-o", str(tmp_path / "m.yml"), *options, cwd=repo)
    assert proc.returncode == 1 and expected in proc.stderr, proc.stderr
    assert "@" not in proc.stderr + proc.stdout and not (tmp_path / "m.yml").exists()


def test_the_summary_echoes_no_control_characters_or_addresses(repo: Path, tmp_path: Path) -> None:
    source = _small_export(tmp_path / "raar.csv")
    lines = source.read_bytes().decode("cp1252").split("\r\n")
    odd = ["an.person@koksijde.be"] * 2 + ['"\x1b]0;PWNED\x07Burgerzakn"', "<script>x</script>"]
    odd += [f"Dienst nummer {n}" for n in range(12)]
    for number, answer in enumerate(odd, start=16):
        lines.append(f"{number};2/10/2026 12:00:00;X{number};x{number}@y.be;{answer};;")  # 16 different people
    source.write_bytes("\r\n".join(lines).encode("cp1252"))
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "\x1b" not in out and "\x07" not in out and "@" not in out
    assert "'(e-mailadres)' (2×)" in out and "']0;PWNEDBurgerzakn' (1×)" in out
    assert "… en nog 6 andere antwoorden (6×)" in out, out


def test_the_output_is_only_ever_a_measurement_file(repo: Path, tmp_path: Path) -> None:
    tip = next((repo / "tips").glob("*/*.md"))
    before = {path: path.read_bytes() for path in (tip, repo / "mkdocs.yml")}
    link = tmp_path / "link.yml"
    source = tmp_path / "bron.csv"
    source.write_bytes(_small_export(tmp_path / "klein.csv").read_bytes())
    link.hardlink_to(source)
    cases = {
        str(tip): "is een .yml-bestand; kies met -o een naam op .yml",
        str(repo / "mkdocs.yml"): "bestaat al en is geen meting",
        str(tmp_path / "meting.yaml"): "een meting is een .yml-bestand",
        str(link): "is het bestand dat je inleest",
    }
    for target, expected in cases.items():
        proc = run("nulmeting", "import", str(source), "-o", target, "--force", cwd=repo)
        assert proc.returncode == 1 and expected in proc.stderr, (target, proc.stderr)
    assert all(path.read_bytes() == content for path, content in before.items())
    assert link.read_bytes() == source.read_bytes()

    elsewhere = run("nulmeting", "import", str(source), "-o", str(tmp_path / "ergens.yml"), cwd=repo)
    assert elsewhere.returncode == 0 and "staat niet in tips/nulmeting/: de site toont het niet" in elsewhere.stdout
    assert "de pagina Opvolging" not in elsewhere.stdout

    same_day = run("nulmeting", "import", str(MAY), "-o", str(repo / "tips/nulmeting/mei-bis.yml"), cwd=repo)
    assert same_day.returncode == 1 and "er is al een meting van 2026-05-22" in same_day.stderr, same_day.stderr
    assert not (repo / "tips/nulmeting/mei-bis.yml").exists()


def test_a_formula_without_stored_value_is_refused_naming_its_column(repo: Path, tmp_path: Path) -> None:
    export = read_export(MAY)
    column = export.column(EXCEL_QUESTION)
    for row in export.rows:
        row[column] = '="Basis"'  # written by a script: openpyxl stores the formula, never its result
    source = write_xlsx(tmp_path / "formules.xlsx", export)
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 1 and not (tmp_path / "m.yml").exists()
    letter = get_column_letter(column + 1)
    assert f"formules.xlsx: kolom {letter} ('{EXCEL_QUESTION}'), rij 2: formule zonder waarde" in proc.stderr
    assert "open en bewaar het bestand in Excel" in proc.stderr and "Traceback" not in proc.stderr


def test_a_topic_nobody_answered_is_zero_answers_not_a_small_group(repo: Path, tmp_path: Path) -> None:
    export = read_export(MAY)
    column = export.column(EXCEL_QUESTION)
    for row in export.rows:
        row[column] = None
    source = write_xlsx(tmp_path / "leeg.xlsx", export)
    (repo / "tips/nulmeting/2026-05.yml").unlink()
    proc = run("nulmeting", "import", str(source), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    written = yaml.safe_load((repo / "tips/nulmeting/2026-05.yml").read_text(encoding="utf-8"))
    assert written["tools"]["excel"] == {"respondents": 0}
    assert run("validate", cwd=repo).returncode == 0


def _inflated_export(path: Path, rows: int) -> Path:
    """A small workbook whose first sheet claims 16,384 columns, with a second sheet behind it."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Samenvatting"
    book.active.append(["Bij welke dienst werk je?", "Hoe vaardig ben je in Outlook?"])
    for _ in range(rows):
        book.active.append(["Burgerzaken", "Basis"])
    book.create_sheet("Form1").append(["ID"])
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
            target.writestr(item, data)
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.linux  # resource.setrlimit
def test_a_sheet_that_claims_every_column_is_read_in_little_memory(tmp_path: Path) -> None:
    export = _inflated_export(tmp_path / "opgeblazen.xlsx", 5000)
    # openpyxl pads every row to the sheet's claimed size: 16,384 cells x 5,000 rows did not fit in 600 MB.
    script = (
        "import resource, sys; from pathlib import Path\n"
        "resource.setrlimit(resource.RLIMIT_AS, (600 * 2**20, 600 * 2**20))\n"
        "from kennisbank.content.survey_export import read_survey\n"
        "table = read_survey(Path(sys.argv[1]))\n"
        "print(len(table.headers), len(table.rows), table.format)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(export)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("2 5000 Excel-werkmap, blad 'Samenvatting'")
    assert "niet gelezen: 'Form1'" in proc.stdout  # a sheet with a header only is no export


def test_heat_map_labels_stay_inside_the_picture_however_long(page) -> None:
    """A taxonomy label may be long: Chromium lays the SVG out, and every label must lie inside its viewBox."""
    from kennisbank.site.heatmap import HeatCell, heat_map

    columns = ["Outlook", "Printen, scannen & multifunctionele toestellen", "Excel"]
    rows = [
        ("Personeel, Organisatie, Welzijn op het werk & Preventie", [HeatCell(2.5, "2,5")] * 3),
        ("ICT", [HeatCell(None, "—"), HeatCell(None, "< 5", suppressed=True), HeatCell(3.1, "3,1")]),
    ]
    svg = heat_map(rows, columns, (1, 4), ("geen", "basis", "gevorderd", "expert"), "< 5: te weinig", "—: geen")
    page.set_content(f'<div style="width: 900px; font-size: 12px">{svg}</div>')
    outside = page.evaluate(
        """() => {
            const svg = document.querySelector('svg');
            const [x0, y0, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
            return [...svg.querySelectorAll('text')].map(t => {
                // The label's box in the SVG's own coordinates: its own rotation applied, nothing else.
                const own = t.transform.baseVal.consolidate(), m = own ? own.matrix : new DOMMatrix();
                const box = t.getBBox();
                const corners = [[box.x, box.y], [box.x + box.width, box.y + box.height],
                                 [box.x + box.width, box.y], [box.x, box.y + box.height]]
                    .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
                const fits = p => p.x >= x0 - 1 && p.y >= y0 - 1 && p.x <= x0 + w + 1 && p.y <= y0 + h + 1;
                return corners.every(fits) ? null : t.textContent;
            }).filter(Boolean);
        }"""
    )
    assert outside == []


def test_the_same_export_imported_twice_is_pointed_out(repo: Path) -> None:
    source = repo / "tips/nulmeting/2026-11.yml"
    text = source.read_text(encoding="utf-8")
    (repo / "tips/nulmeting/2026-10.yml").write_text(text.replace("date: 2026-11-20", "date: 2026-10-20"), "utf-8")
    proc = run("validate", cwd=repo)
    assert "Traceback" not in proc.stderr
    output = proc.stdout + proc.stderr
    assert re.search(
        r"tips/nulmeting/2026-11\.yml:\d+:\d+: date: waarschuwing: dezelfde resultaten als tips/nulmeting/2026-10\.yml",
        output,
    ), output
