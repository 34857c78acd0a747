"""Real Microsoft Forms exports: everyday answer scales, nothing dropped silently, every problem reported at
once, and the guards around the import (zip bombs, exports committed by mistake, small differences between
published measurements).

The exports in tests/data/forms/ were written by someone who had not read the importer, from the Forms
documentation and the way coaches build their forms."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml
from conftest import KENNISBANK, ROOT, TODAY, bare_env
from openpyxl import Workbook, load_workbook

DATA = ROOT / "tests/data"
FORMS = DATA / "forms"
MAY = DATA / "nulmeting-2026-05.xlsx"
EXAMPLE_MARKING = re.compile(r"^# VOORBEELD.*\nexample: true\n", re.MULTILINE)


def sample_may() -> str:
    """The sample measurement of May as the import writes it: without its example marking."""
    return EXAMPLE_MARKING.sub("", (ROOT / "tips/nulmeting/2026-05.yml").read_text(encoding="utf-8"))


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KENNISBANK, *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env=bare_env(KENNISBANK_TODAY=TODAY.isoformat()),
    )  # fmt: skip


def grid_of(path: Path) -> list[list[object]]:
    """The first sheet of an xlsx, or the rows of a CSV, as lists of cells (strings for a CSV)."""
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        rows: list[list[object]] = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
        return rows
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
    import csv

    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=";")]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def people(path: Path) -> list[str]:
    """Every name and e-mail address in an export."""
    rows = grid_of(path)
    wanted = [i for i, h in enumerate(rows[0]) if str(h).strip().lower() in ("naam", "name", "e-mail", "email")]
    return sorted({str(row[i]) for row in rows[1:] for i in wanted if row[i]})


# --- the exports of tests/data/forms import as they are ----------------------------------------------------

# file: (topics, the scale the summary names)
EXPORTS = {
    "Nulmeting Veurne (sterren)(1-58).xlsx": (10, "cijfers op een schaal van 1 tot 5 (of sterren)"),
    "enquete_digitale_vaardigheden_veurne_ansi.csv": (8, "Helemaal niet / Een beetje / Voldoende / Goed / Heel goed"),
    "nulmeting_depanne_likert.xlsx": (
        9, "Helemaal niet vaardig / Niet vaardig / Een beetje vaardig / Vaardig / Zeer vaardig"
    ),
    "nulmeting_digitale_vaardigheden_koksijde.xlsx": (
        8, "Ik ken het niet / Beginner / Gemiddeld / Gevorderd / Expert"
    ),
    "nulmeting_nieuwpoort.csv": (7, "Ik ken de basis niet / Basis / Gevorderd / Expert"),
    "nulmeting_westkust_4_gemeenten.xlsx": (12, "Beginner / Gemiddeld / Gevorderd / Expert"),
}  # fmt: skip

# The respondents per department that the author of each export counted (tests/data/forms, README of the
# inputs), by taxonomy label. Sport and Cultuur are no department of the taxonomy: they count as unknown.
# Nieuwpoort's 'OCMW' is a synonym of Sociaal Huis in tips/synoniemen.yml.
DEPARTMENTS = {
    "Nulmeting Veurne (sterren)(1-58).xlsx": {
        "Technische dienst": 12, "Sociaal Huis": 8, "Burgerzaken": 7, "Omgeving": 6, "Financiën": 5,
        "Secretariaat": 4, "Toerisme": 4, "Bibliotheek": 3, "Personeel & Organisatie": 3,
    },
    "enquete_digitale_vaardigheden_veurne_ansi.csv": {
        "Sociaal Huis": 9, "Vrije tijd": 7, "Financiën": 6, "Omgeving": 5, "Personeel & Organisatie": 5,
        "Kinderopvang": 4, "Communicatie": 3, "ICT": 2,
    },
    "nulmeting_depanne_likert.xlsx": {
        "Technische dienst": 13, "Burgerzaken": 9, "Toerisme": 9, "Omgeving": 7, "Financiën": 6, "Sociaal Huis": 6,
        "Vrije tijd": 6, "Kinderopvang": 4, "Personeel & Organisatie": 4, "Secretariaat": 3, "ICT": 2,
    },
    "nulmeting_digitale_vaardigheden_koksijde.xlsx": {
        "Technische dienst": 19, "Burgerzaken": 15, "Omgeving": 12, "Financiën": 9, "Vrije tijd": 8, "Toerisme": 7,
        "Personeel & Organisatie": 6, "Secretariaat": 5, "Bibliotheek": 4, "ICT": 3, "Kinderopvang": 3,
        "Communicatie": 2, "Sociaal Huis": 2,
    },
    "nulmeting_nieuwpoort.csv": {
        "Technische dienst": 9, "Burgerzaken": 6, "Omgeving": 5, "Toerisme": 5, "Financiën": 4, "Sociaal Huis": 4,
        "Vrije tijd": 4, "Bibliotheek": 3, "Onderwijs": 3, "Communicatie": 2, "ICT": 2,
    },
    "nulmeting_westkust_4_gemeenten.xlsx": {
        "Technische dienst": 24, "Burgerzaken": 19, "Omgeving": 14, "Financiën": 13, "Toerisme": 12,
        "Sociaal Huis": 11, "Personeel & Organisatie": 9, "Vrije tijd": 9, "Bibliotheek": 6, "Secretariaat": 6,
        "ICT": 4, "Communicatie": 3, "Kinderopvang": 3,
    },
}  # fmt: skip


@pytest.mark.parametrize("name", EXPORTS)
def test_a_real_forms_export_imports_as_it_is_with_every_tool_question(repo: Path, tmp_path: Path, name: str) -> None:
    source = FORMS / name
    before = source.read_bytes()
    topics, scale = EXPORTS[name]
    target = tmp_path / "meting.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"Onderwerpen ({topics})," in out, out
    assert f"  {scale} ({topics} vragen: " in out, out
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert len(data["tools"]) == topics
    assert source.read_bytes() == before
    # Every department as the author counted it: shown with that count, or suppressed when it is small.
    labels = {
        k: v["label"] for k, v in yaml.safe_load((ROOT / "tips/taxonomy.yml").read_text("utf-8"))["departments"].items()
    }
    found = {labels[key]: group for key, group in data["departments"].items()}
    assert set(found) == set(DEPARTMENTS[name]), set(found) ^ set(DEPARTMENTS[name])
    for label, count in DEPARTMENTS[name].items():
        if count < 5:
            assert found[label] == {"suppressed": True}, label
        elif not found[label].get("suppressed"):
            assert found[label]["respondents"] == count, label
    # Every column is accounted for: a topic, the department or municipality, or left out with a reason.
    headers = [h for h in grid_of(source)[0] if h]
    listed = out.split("Genegeerde kolommen")[1] if "Genegeerde kolommen" in out else ""
    for header in headers:
        shown = str(header)[:40]
        assert shown in out, f"{header!r} is not in the summary"
    assert "geen niveaus (vrije tekst?)" not in listed
    written = target.read_text(encoding="utf-8") + out
    for person in people(source):
        assert person not in written, person


def _beginner_export(tmp_path: Path) -> Path:
    """The sample export as a coach builds the Form: Beginner / Gemiddeld / Gevorderd / Expert in every question."""
    rows = grid_of(MAY)
    labels: dict[object, object] = {"Ik ken de basis niet": "Beginner", "Basis": "Gemiddeld"}
    return write_xlsx(tmp_path / "beginner.xlsx", [[labels.get(c, c) for c in row] for row in rows])


def test_beginner_to_expert_imports_every_tool_question(repo: Path, tmp_path: Path) -> None:
    """The reported failure: 121 bad answers listed in 2 of 8 columns, and 6 questions dropped silently."""
    source = _beginner_export(tmp_path)
    target = tmp_path / "meting.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "Onderwerpen (11)," in proc.stdout
    assert "Beginner / Gemiddeld / Gevorderd / Expert (11 vragen:" in proc.stdout
    assert "Beginner → geen, Gemiddeld → basis, Gevorderd → gevorderd, Expert → expert" in proc.stdout
    # Beginner on a four-answer scale is the lowest level: the same measurement as the product's own labels.
    assert target.read_text(encoding="utf-8") == sample_may()


def test_ik_ken_het_niet_makes_beginner_a_five_answer_scale_in_every_question(repo: Path, tmp_path: Path) -> None:
    rows = grid_of(_beginner_export(tmp_path))
    excel = rows[0].index("Hoe vaardig ben je in Excel?")
    for row in rows[1:4]:
        row[excel] = "Ik ken het niet"  # only in the Excel question: Beginner must still mean basis everywhere
    source = write_xlsx(tmp_path / "vijf.xlsx", rows)
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "Ik ken het niet / Beginner / Gemiddeld / Gevorderd / Expert (11 vragen:" in proc.stdout
    assert "Ik ken het niet → geen, Beginner → basis, Gemiddeld → basis" in proc.stdout


def _unknown_everywhere(tmp_path: Path) -> tuple[Path, int]:
    """Every tool question answered on a frequency scale the import does not know."""
    rows = grid_of(MAY)
    header = rows[0]
    topics = [i for i, h in enumerate(header) if str(h).startswith("Hoe vaardig")]
    labels: dict[object, str] = {
        "Ik ken de basis niet": "Nooit",
        "Basis": "Soms",
        "Gevorderd": "Vaak",
        "Expert": "Altijd",
    }
    count = 0
    for row in rows[1:]:
        for i in topics:
            if row[i] in labels:
                row[i] = labels[row[i]]
                count += 1
    return write_xlsx(tmp_path / "vaak.xlsx", rows), count


def test_every_unknown_answer_is_reported_grouped_per_column_with_counts(repo: Path, tmp_path: Path) -> None:
    source, count = _unknown_everywhere(tmp_path)
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 1 and not (tmp_path / "m.yml").exists()
    err = proc.stderr
    assert "Traceback" not in err and "11 problemen in 11 kolommen; er is niets geschreven" in err, err
    columns = re.findall(r"^- kolom [A-Z]+ '(Hoe vaardig[^']*)': (\d+) van de (\d+) antwoorden", err, re.M)
    assert len(columns) == 11
    per_label = [int(n) for n in re.findall(r"^    '(?:Nooit|Soms|Vaak|Altijd)': (\d+)×", err, re.M)]
    assert sum(per_label) == count == sum(int(n) for _, n, _ in columns)
    # The proposal: every label once, as a scale file to copy.
    proposal = err.split("Kopieer dit naar een bestand schaal.yml")[1]
    for label in ("Nooit", "Soms", "Vaak", "Altijd"):
        assert re.search(rf"^'{label}': (geen|basis|gevorderd|expert)", proposal, re.M), proposal


def test_a_scale_file_or_option_makes_the_choice_explicit_and_repeatable(repo: Path, tmp_path: Path) -> None:
    source, _ = _unknown_everywhere(tmp_path)
    scale = tmp_path / "schaal.yml"
    scale.write_text("Nooit: geen\nSoms: basis\n'Vaak': gevorderd\nAltijd: expert\n", encoding="utf-8")
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), "--schaal-bestand", str(scale), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "Nooit → geen, Soms → basis, Vaak → gevorderd, Altijd → expert" in proc.stdout
    assert target.read_text(encoding="utf-8") == sample_may()
    options = [
        a for pair in ("Nooit=geen", "Soms=basis", "Vaak=gevorderd", "Altijd=expert") for a in ("--niveau", pair)
    ]
    again = run("nulmeting", "import", str(source), "-o", str(tmp_path / "n.yml"), *options, cwd=repo)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "n.yml").read_bytes() == target.read_bytes()

    scale.write_text("Nooit: geen\nSoms: basiss\nVaak: 7\n", encoding="utf-8")
    wrong = run(
        "nulmeting", "import", str(source), "-o", str(tmp_path / "o.yml"), "--schaal-bestand", str(scale), cwd=repo
    )
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert f"{scale}:2: 'basiss' is geen niveau voor 'Soms'. Toegestaan: geen, basis, gevorderd, expert" in wrong.stderr
    assert "Bedoelde je 'basis'?" in wrong.stderr and f"{scale}:3: '7' is geen niveau voor 'Vaak'" in wrong.stderr


def test_a_scale_file_names_the_line_of_an_answer_that_yaml_reads_as_a_number(tmp_path: Path) -> None:
    from kennisbank.ops.nulmeting import NulmetingImportError, read_scale_labels

    scale = tmp_path / "schaal.yml"
    scale.write_text("Gemiddeld: basis\n3: veel\n", encoding="utf-8")
    with pytest.raises(NulmetingImportError) as error:
        read_scale_labels(scale)
    assert f"{scale}:2: 'veel' is geen niveau voor '3'" in str(error.value)


def _with_column(tmp_path: Path, header: str, values: list[object], name: str = "extra.xlsx") -> Path:
    rows = grid_of(MAY)
    rows[0].append(header)
    for number, row in enumerate(rows[1:]):
        row.append(values[number % len(values)])
    return write_xlsx(tmp_path / name, rows)


def test_a_skill_question_without_a_known_tool_stops_the_import_with_a_suggestion(repo: Path, tmp_path: Path) -> None:
    question = "Hoe vaardig ben je in Outlok?"
    source = _with_column(tmp_path, question, ["Basis", "Gevorderd", "Expert", None])
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 1, proc.stdout
    assert (
        f"'{question}': de antwoorden zijn niveaus, maar de titel noemt geen tool uit tips/taxonomy.yml. "
        in proc.stderr
    )
    assert "Bedoelde je 'Outlook'?" in proc.stderr and f'--negeer-kolom "{question}"' in proc.stderr
    ignored = run(
        "nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), "--negeer-kolom", question, cwd=repo
    )
    assert ignored.returncode == 0, ignored.stderr
    assert f"'{question}': genegeerd met --negeer-kolom" in ignored.stdout
    typo = run("nulmeting", "import", str(source), "--negeer-kolom", "Hoe vaardig ben je in Outlk?", cwd=repo)
    assert typo.returncode == 1 and f"Bedoelde je '{question}'?" in typo.stderr, typo.stderr


@pytest.mark.parametrize(
    ("header", "values", "reason"),
    [
        ("Wat wil je nog leren over Excel?", [f"Iets over draaitabel nummer {n}" for n in range(20)], "vrije tekst"),
        ("Welke Teams-functies gebruik je?", ["Chat;Vergaderen;", "Chat;", "Bestanden;Chat;"], "meerkeuzevraag"),
        ("Gebruik je OneDrive thuis?", ["Ja", "Nee"], "ja/nee-vraag"),
        ("Hoeveel jaar werk je al bij de gemeente?", [1, 2, 3, 4, 5], "cijfers, maar de titel vraagt niet"),
        ("Hoeveel uur per week werk je in Excel?", [0, 4, 12, 38, 20], "een aantal als antwoord"),
        ("Welke toepassing beheers je het best?", ["Excel", "Teams", "Word"], "geen tool uit de woordenlijst"),
        ("Welke kennis mis je nog?", ["Formules", "Niets", "Vergaderen"], "geen tool uit de woordenlijst"),
    ],
    ids=["free-text", "multi-select", "yes-no", "numbers", "hours", "tools-as-answers", "wishes"],
)
def test_questions_that_are_no_skill_scale_are_left_out_with_their_reason(
    repo: Path, tmp_path: Path, header: str, values: list[object], reason: str
) -> None:
    source = _with_column(tmp_path, header, values)
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    ignored = proc.stdout.split("Genegeerde kolommen")[1]
    assert f"'{header}': " in ignored and reason in ignored.split(f"'{header}': ")[1].splitlines()[0], ignored


def test_two_tools_in_one_skill_question_or_two_questions_about_one_tool_stop_the_import(
    repo: Path, tmp_path: Path
) -> None:
    source = _with_column(tmp_path, "Hoe vaardig ben je in Word en Excel?", ["Basis", "Expert"])
    rows = grid_of(source)
    rows[0].append("Hoe goed ken je Teams eigenlijk?")
    for row in rows[1:]:
        row.append("Gevorderd")
    source = write_xlsx(tmp_path / "twee.xlsx", rows)
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 1
    assert "2 problemen in 2 kolommen" in proc.stderr
    assert "'Hoe vaardig ben je in Word en Excel?': de titel noemt meer dan één tool (Word, Excel)" in proc.stderr
    assert (
        "'Hoe goed ken je Teams eigenlijk?': tweede vraag over Teams (de eerste: 'Hoe vaardig ben je in Teams?')"
        in (proc.stderr)
    )


def test_the_summary_names_every_suppressed_group_and_why(repo: Path, tmp_path: Path) -> None:
    lines = ["ID;Tijd van voltooien;Bij welke dienst werk je?;In welke gemeente werk je?;Hoe vaardig ben je in Excel?"]
    people = [("Burgerzaken", "De Panne")] * 10 + [("Financiën", "Koksijde")] * 11 + [("Bibliotheek", "Veurne")] * 2
    for number, (department, municipality) in enumerate(people, start=1):
        lines.append(f"{number};2/10/2026 10:00:00;{department};{municipality};Basis")
    source = tmp_path / "klein.csv"
    source.write_bytes("\r\n".join(lines).encode("cp1252"))
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    small, extra = proc.stdout.split("Onderdrukt (minder dan 5 antwoorden")[1].split("Ook onderdrukt")
    assert "hele dienst: Bibliotheek" in small and "gemeente: Veurne" in small
    assert "af te leiden is door de getoonde groepen af te trekken van het totaal" in extra
    assert "hele dienst: Burgerzaken" in extra and "gemeente: De Panne" in extra


# --- a workbook that unpacks to gigabytes is refused before it is parsed -----------------------------------


def _bomb(path: Path, cells: bytes, repeat: int) -> Path:
    """A real workbook whose first sheet's only row holds `cells` * `repeat`: a few hundred KB packed."""
    book = Workbook()
    book.active.append(["Bij welke dienst werk je?", "Hoe vaardig ben je in Excel?"])
    packed = io.BytesIO()
    book.save(packed)
    out = io.BytesIO()
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start, end = data.index(b"<sheetData>") + len(b"<sheetData>"), data.index(b"</sheetData>")
                data = data[:start] + b'<row r="1">' + cells * repeat + b"</row>" + data[end:]
            target.writestr(item.filename, data, compresslevel=9)
    path.write_bytes(out.getvalue())
    return path


BOMBS = {
    "ratio": (b"<c/>", 5_000_000, "keer samengeperst"),
    "size": (b"<c><v>1</v></c>", 5_000_000, "uitgepakt is het 71 MB"),
    "row": (b"".join(b'<c r="A1"><v>%d</v></c>' % n for n in range(40_000)), 1, "meer dan 16.384 cellen"),
}


@pytest.mark.linux  # resource.setrlimit
@pytest.mark.parametrize("case", BOMBS)
def test_a_zip_bomb_is_refused_before_openpyxl_parses_it(tmp_path: Path, case: str) -> None:
    cells, repeat, expected = BOMBS[case]
    bomb = _bomb(tmp_path / "bom.xlsx", cells, repeat)
    assert bomb.stat().st_size < 600_000
    script = (
        "import resource, sys, time; from pathlib import Path\n"
        "resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, 400 * 2**20))\n"
        "from kennisbank.content.survey_export import SurveyFileError, read_survey\n"
        "start = time.perf_counter()\n"
        "try:\n"
        "    read_survey(Path(sys.argv[1]))\n"
        "except SurveyFileError as exc:\n"
        "    print(exc)\n"
        "print('openpyxl' in sys.modules, round(time.perf_counter() - start, 2))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(bomb)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    message, facts = proc.stdout.strip().rsplit("\n", 1)
    loaded, seconds = facts.split()
    assert message.startswith("bom.xlsx: dit is geen gewone Excel-werkmap van Forms: ") and expected in message
    assert "Exporteer de antwoorden opnieuw in Forms" in message
    assert loaded == "False", "openpyxl was never imported, let alone run"
    print(f"{case}: refused in {seconds} s")  # measured, not asserted tightly: a shared CI runner varies
    assert float(seconds) < 30


# --- an export saved in the repository is refused: validate, the build and the pull request ------------------


@pytest.mark.parametrize(
    "rel_path",
    ["tips/burgerzaken/nulmeting.xlsx", "meetings/antwoorden.csv", "tips/nulmeting/export.ods", "tips/alle/.oud.CSV"],
)
def test_a_forms_export_in_the_repository_is_an_error_in_validate_and_the_build(repo: Path, rel_path: str) -> None:
    path = repo / rel_path
    path.write_bytes(MAY.read_bytes())
    proc = run("validate", cwd=repo)
    assert proc.returncode == 1, proc.stdout
    line = next(line for line in proc.stdout.splitlines() if line.startswith(f"{rel_path}:1:1: "))
    assert "waarschuwing" not in line
    assert "hoort niet in de repository" in line and "namen, e-mailadressen en antwoorden" in line
    assert "Verwijder het bestand (commit een export nooit)" in line and "'kennisbank nulmeting import'" in line
    assert "buiten de repository" in line
    from conftest import mkdocs_build

    build = mkdocs_build(repo, repo / "site")
    assert build.returncode != 0 and "Traceback" not in build.stderr
    assert rel_path in build.stdout + build.stderr


def _workflow_step(name_start: str) -> str:
    workflow = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["controle"]["steps"]
    return next(step["run"] for step in steps if step.get("name", "").startswith(name_start))


@pytest.mark.linux  # bash and git
def test_the_pull_request_workflow_refuses_an_export_anywhere_but_the_test_data(tmp_path: Path) -> None:
    script = _workflow_step("Geen exports of werkbladen")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "tests/data").mkdir(parents=True)
    (tmp_path / "tests/data/voorbeeld.xlsx").write_bytes(b"PK")
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)

    def step() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)

    clean = step()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    for rel_path in ("tips/burgerzaken/Antwoorden.XLSX", "docs/lijst.csv"):
        (tmp_path / rel_path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel_path).write_bytes(b"ID;Naam")
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    refused = step()
    assert refused.returncode == 1
    assert "::error file=tips/burgerzaken/Antwoorden.XLSX::" in refused.stdout
    assert "::error file=docs/lijst.csv::" in refused.stdout and "voorbeeld.xlsx" not in refused.stdout


# --- a corrected export is no new measurement: its difference would show a colleague's answers ------------------


def _corrected_export(tmp_path: Path, extra: int = 1) -> Path:
    """The sample export of May, "corrected": `extra` colleagues who had forgotten to fill it in."""
    rows = grid_of(MAY)
    email, name = rows[0].index("E-mail"), rows[0].index("Naam")
    for number in range(extra):  # other people than the one whose answers are copied: no second submission
        rows.append(list(rows[1]))
        rows[-1][email], rows[-1][name] = f"vergeten{number}@koksijde.be", f"Vergeten Nummer{number}"
    return write_xlsx(tmp_path / "verbeterd.xlsx", rows)


def test_a_corrected_export_as_a_new_measurement_is_refused_against_every_measurement(
    repo: Path, tmp_path: Path
) -> None:
    (repo / "tips/nulmeting/2026-05.yml").unlink()  # the sample's invented May: replaced by a real import
    assert run("nulmeting", "import", str(MAY), cwd=repo).returncode == 0
    corrected = _corrected_export(tmp_path)
    target = repo / "tips/nulmeting/2026-06.yml"
    args = ["nulmeting", "import", str(corrected), "--datum", "2026-06-15", "-o", str(target)]
    proc = run(*args, cwd=repo)
    assert proc.returncode == 1 and not target.exists(), proc.stdout
    assert "niet geschreven: deze meting lijkt een versie van dezelfde export als " in proc.stderr
    assert "tips/nulmeting/2026-05.yml" in proc.stderr and "respondents, municipalities." in proc.stderr
    # Months later, or written outside the site's folder: still the same export, still refused.
    elsewhere = run(
        "nulmeting", "import", str(corrected), "--datum", "2026-11-25", "-o", str(tmp_path / "m.yml"), cwd=repo
    )
    assert elsewhere.returncode == 1 and "2026-05.yml" in elsewhere.stderr

    # Forced through: validate (and so the build) still refuses to publish both.
    forced = run(*args, "--nooit-gepubliceerd", cwd=repo)
    assert forced.returncode == 0, forced.stderr
    validate = run("validate", cwd=repo)
    assert validate.returncode == 1
    assert re.search(
        r"^tips/nulmeting/2026-06\.yml:\d+:1: date: verschilt van tips/nulmeting/2026-05\.yml "
        r"met 1 tot 4 antwoorden in: respondents, ",
        validate.stdout,
        re.M,
    ), validate.stdout


def test_a_hand_edited_copy_of_a_measurement_is_caught_by_validate(repo: Path) -> None:
    """Someone copies a measurement and moves one colleague between groups by hand."""
    text = (repo / "tips/nulmeting/2026-11.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["date"] = "2026-12-01"
    data["respondents"] += 1
    (repo / "tips/nulmeting/2026-12.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    proc = run("validate", cwd=repo)
    assert "tips/nulmeting/2026-12.yml:" in proc.stdout and "verschilt van tips/nulmeting/2026-11.yml" in proc.stdout


def test_independent_measurements_are_not_compared(repo: Path, tmp_path: Path) -> None:
    """Two municipalities' own surveys eleven days apart, and the sample's May and November: other colleagues, or
    everyone answering anew, so a difference of a few is nobody's answers."""
    for name, output in (
        ("nulmeting_depanne_likert.xlsx", "2026-02.yml"),
        ("nulmeting_digitale_vaardigheden_koksijde.xlsx", "2026-02-koksijde.yml"),
    ):
        proc = run("nulmeting", "import", str(FORMS / name), "-o", str(repo / "tips/nulmeting" / output), cwd=repo)
        assert proc.returncode == 0, proc.stderr
    validate = run("validate", cwd=repo)
    assert validate.returncode == 0, validate.stdout
    assert "verschilt van" not in validate.stdout


# --- the questions for the next measurement, and the site after an import --------------------------------------


def test_the_docs_page_holds_the_questions_of_the_current_taxonomy(repo: Path) -> None:
    proc = run("nulmeting", "vragen", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    page = (ROOT / "docs/nulmeting-vragen.md").read_text(encoding="utf-8")
    section = page.split("<!-- vragen: begin -->\n")[1].split("<!-- vragen: einde -->")[0]
    assert section == proc.stdout, "run 'kennisbank nulmeting vragen' and paste its output between the markers"
    taxonomy = yaml.safe_load((ROOT / "tips/taxonomy.yml").read_text(encoding="utf-8"))
    for department in taxonomy["departments"].values():
        assert f"\n{department['label']}\n" in section
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/nulmeting-vragen.md" in readme


def test_a_form_built_from_the_docs_page_imports_every_tool(repo: Path, tmp_path: Path) -> None:
    text = run("nulmeting", "vragen", cwd=repo).stdout
    blocks = [block.split("\n", 1)[1].strip().splitlines() for block in text.split("```text")[1:]]
    departments, municipalities, questions, levels = (block[: block.index("```")] if "```" in block else block
                                                       for block in blocks)  # fmt: skip
    header: list[object] = ["ID", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Bij welke dienst werk je?",
              "In welke gemeente werk je?", *questions]  # fmt: skip
    rows: list[list[object]] = [header]
    for n in range(60):
        answers = [levels[(n + i) % len(levels)] for i in range(len(questions))]
        person = [n + 1, "20/11/2026 10:00", "20/11/2026 10:05", f"p{n}@example.org", f"Persoon {n}"]
        rows.append([*person, departments[n % 4], municipalities[n % 4], *answers])
    source = write_xlsx(tmp_path / "formulier.xlsx", rows)
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert f"Onderwerpen ({len(questions)})," in proc.stdout and "onbekend" not in proc.stdout
    assert "Dienst niet herkend" not in proc.stdout and "Gemeente niet herkend" not in proc.stdout


def test_the_built_site_never_holds_a_name_or_address_from_an_imported_export(repo: Path) -> None:
    from conftest import mkdocs_build

    names = []
    for export, output in (
        ("nulmeting_westkust_4_gemeenten.xlsx", "2026-05-westkust.yml"),
        ("nulmeting_depanne_likert.xlsx", "2026-02.yml"),
    ):
        proc = run("nulmeting", "import", str(FORMS / export), "-o", str(repo / "tips/nulmeting" / output), cwd=repo)
        assert proc.returncode == 0, proc.stderr
        names += people(FORMS / export)
    assert len(names) > 200 and any("@" in name for name in names)
    (repo / "tips/nulmeting/2026-05.yml").unlink()  # the westkust import is the measurement of May now
    site = repo / "site"
    build = mkdocs_build(repo, site)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert (site / "nulmeting-vragen/index.html").exists()
    texts = []
    for path in site.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            if raw.startswith(b"PK"):
                with zipfile.ZipFile(path) as archive:
                    texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
            else:
                texts.append(raw.decode("utf-8", "replace"))
    everything = "\n".join(texts).lower()
    for name in names:
        assert name.lower() not in everything, name


def test_free_department_answers_are_matched_by_their_parts_and_words(repo: Path, tmp_path: Path) -> None:
    source = _with_column(tmp_path, "x", ["x"])  # a copy of the sample, the department answers replaced below
    rows = grid_of(source)
    column = rows[0].index("Bij welke dienst werk je?")
    answers = ["OCMW / sociaal huis", "Sociaal Huis (OCMW)", "loket burgerzaken", "Dienst ICT en communicatie", "TD",
               "Techn. dienst", "Financiële dienst", "Burgerzakn"]  # fmt: skip
    for number, row in enumerate(rows[1:]):
        row[column] = answers[number % len(answers)]
    proc = run(
        "nulmeting", "import", str(write_xlsx(tmp_path / "vrij.xlsx", rows)), "-o", str(tmp_path / "m.yml"), cwd=repo
    )
    assert proc.returncode == 0, proc.stderr
    unknown, read = proc.stdout.split("Dienst niet herkend")[1].split("Herkend uit een vrij of afgekort antwoord")
    assert "'Dienst ICT en communicatie'" in unknown  # two departments: never guessed
    assert "'Burgerzakn' (15×) — bedoel je 'Burgerzaken'?" in unknown  # a typo is no abbreviation
    assert "sociaal huis" not in unknown.lower() and "loket" not in unknown
    assert "zet het dan als synoniem in tips/synoniemen.yml" in unknown
    for answer, label in (("OCMW / sociaal huis", "Sociaal Huis"), ("loket burgerzaken", "Burgerzaken"),
                          ("TD", "Technische dienst"), ("Techn. dienst", "Technische dienst")):  # fmt: skip
        assert re.search(rf"'{re.escape(answer)}' \(\d+×\) → {label}\n", read), read


def test_an_opendocument_sheet_gets_a_dutch_way_out(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "antwoorden.ods"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    proc = run("nulmeting", "import", str(source), cwd=repo)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "antwoorden.ods: dit is een OpenDocument-werkblad (.ods)" in proc.stderr and ".xlsx" in proc.stderr


def test_a_missing_department_question_does_not_hide_the_tool_questions_problems(repo: Path, tmp_path: Path) -> None:
    source, _ = _unknown_everywhere(tmp_path)
    rows = grid_of(source)
    rows[0][rows[0].index("Bij welke dienst werk je?")] = "Team"
    proc = run("nulmeting", "import", str(write_xlsx(tmp_path / "team.xlsx", rows)), cwd=repo)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "Ik vind geen kolom met de dienst" in proc.stderr and '--dienstkolom "Team"' in proc.stderr
    assert "11 problemen in 11 kolommen" in proc.stderr, proc.stderr


def test_an_english_forms_export_with_quiz_columns_and_star_text_imports(repo: Path, tmp_path: Path) -> None:
    """Forms in English: its own columns in English, a quiz's points and feedback per question, and ratings
    that someone retyped as stars or "4 sterren"."""
    header: list[object] = ["Id", "Start time", "Completion time", "Email", "Name", "Last modified time",
              "Total points", "Quiz feedback", "Department", "Points - Department", "Feedback - Department",
              "Rate yourself: Outlook", "Rate yourself: Excel"]  # fmt: skip
    ratings = ["★", "★★", "★★★", "4 sterren", "5", 3, 4.0, "2/5"]
    rows: list[list[object]] = [header]
    for n in range(40):
        person = [n + 1, "11/3/2026 9:00:00 AM", "11/3/2026 9:05:00 AM", f"p{n}@example.org", f"Person {n}", None]
        rows.append([*person, 0, None, ["ICT", "Financiën"][n % 2], 0, None, ratings[n % 8], ratings[(n + 3) % 8]])
    source = write_xlsx(tmp_path / "english.xlsx", rows)
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert (
        "Onderwerpen (2)," in proc.stdout and "cijfers op een schaal van 1 tot 5 (of sterren) (2 vragen" in proc.stdout
    )
    for column in ("Total points", "Quiz feedback", "Points - Department", "Feedback - Department", "Email", "Name"):
        assert f"'{column}': gegevens van Forms of persoonsgegevens" in proc.stdout, column
    data = yaml.safe_load((tmp_path / "m.yml").read_text(encoding="utf-8"))
    assert data["date"].isoformat() == "2026-11-03" and data["tools"]["outlook"]["respondents"] == 40


def test_a_likert_statement_decides_the_tool_when_the_question_names_tools_too(repo: Path, tmp_path: Path) -> None:
    question = "Hoe vaardig ben je in Teams en de andere toepassingen?"
    rows: list[list[object]] = [
        ["ID", "Tijd van voltooien", "Bij welke dienst werk je?", f"{question}.Outlook", f"{question}.Excel"]
    ]
    levels = ["Helemaal niet vaardig", "Niet vaardig", "Neutraal", "Vaardig", "Zeer vaardig"]
    for n in range(12):
        rows.append([n + 1, "2/10/2026 10:00", "ICT", levels[n % 5], levels[(n + 2) % 5]])
    proc = run(
        "nulmeting", "import", str(write_xlsx(tmp_path / "likert.xlsx", rows)), "-o", str(tmp_path / "m.yml"), cwd=repo
    )
    assert proc.returncode == 0, proc.stderr
    assert "Onderwerpen (2)," in proc.stdout and "Outlook" in proc.stdout and "Excel" in proc.stdout


def test_a_skill_question_about_an_unknown_tool_with_its_own_answers_is_not_dropped(repo: Path, tmp_path: Path) -> None:
    source = _with_column(tmp_path, "Hoe vaardig ben je in Planner?", ["Nooit gebruikt", "Lukt wel", "Vlot"])
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 1 and not (tmp_path / "m.yml").exists()
    assert (
        "'Hoe vaardig ben je in Planner?': de vraag gaat over vaardigheid, maar de titel noemt geen tool" in proc.stderr
    )


def test_the_four_municipalities_export_counts_each_municipality_and_ik_ken_het_niet_as_a_level(
    repo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "westkust.yml"
    proc = run("nulmeting", "import", str(FORMS / "nulmeting_westkust_4_gemeenten.xlsx"), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["municipalities"] == {"de-panne": {"respondents": 34}, "koksijde": {"respondents": 39},
                                      "nieuwpoort": {"respondents": 32}, "veurne": {"respondents": 38}}  # fmt: skip
    assert "'Groendienst' (4×) → Technische dienst" in proc.stdout  # read by a common name: listed to check
    assert "'Welke toepassingen gebruik je dagelijks?': meerkeuzevraag" in proc.stdout

    koksijde = tmp_path / "koksijde.yml"
    proc = run("nulmeting", "import", str(FORMS / "nulmeting_digitale_vaardigheden_koksijde.xlsx"), "-o", str(koksijde),
               cwd=repo)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    # 'Ik ken het niet' is the lowest level, not a missing answer.
    rows = grid_of(FORMS / "nulmeting_digitale_vaardigheden_koksijde.xlsx")
    copilot = next(i for i, h in enumerate(rows[0]) if "Copilot" in str(h))
    unknown = sum(row[copilot] == "Ik ken het niet" for row in rows[1:])
    assert (
        unknown
        and yaml.safe_load(koksijde.read_text(encoding="utf-8"))["tools"]["copilot"]["levels"]["geen"] >= unknown
    )


# --- exports built as a coach builds them: own scales, several sheets, branching, duplicates -------------------

FORMS_HEAD = ["ID", "Begintijd", "Tijd van voltooien", "E-mail", "Naam"]
DEPARTMENT_CYCLE = ["Burgerzaken", "Technische dienst", "Financiën", "Omgeving"]


def _forms_rows(
    questions: Mapping[str, Sequence[object]], count: int = 24, department: bool = True
) -> list[list[object]]:
    """A Forms export: Forms' own columns, the department question and one column per question; answers cycle."""
    from datetime import datetime

    header: list[object] = [*FORMS_HEAD, *(["Bij welke dienst werk je?"] if department else []), *questions]
    rows: list[list[object]] = [header]
    for i in range(count):
        own = [i + 1, datetime(2026, 11, 3, 9, i), datetime(2026, 11, 3, 10, i), f"collega{i}@veurne.be",
               f"Collega Nummer{i}"]  # fmt: skip
        answers = [values[i % len(values)] for values in questions.values()]
        rows.append([*own, *([DEPARTMENT_CYCLE[i % 4]] if department else []), *answers])
    return rows


def _levels(target: Path, tool: str) -> dict[str, int]:
    return yaml.safe_load(target.read_text(encoding="utf-8"))["tools"][tool]["levels"]


RATHER = ["Niet vaardig", "Eerder niet vaardig", "Eerder vaardig", "Vaardig", "Zeer vaardig"]


def test_a_likert_scale_of_its_own_is_read_by_the_scale_that_holds_all_its_labels(repo: Path, tmp_path: Path) -> None:
    """Niet vaardig is the lowest answer when the column also holds Eerder niet vaardig: geen, never basis. A
    question whose column lacks the telling labels reads the same as the other columns of that question."""
    source = write_xlsx(
        tmp_path / "eerder.xlsx",
        _forms_rows(
            {"Hoe vaardig ben je in Word?": RATHER, "Hoe vaardig ben je in Excel?": ["Niet vaardig", "Vaardig"]}
        ),
    )
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert _levels(target, "word") == {"geen": 5, "basis": 10, "gevorderd": 5, "expert": 4}
    assert _levels(target, "excel") == {"geen": 12, "basis": 0, "gevorderd": 12, "expert": 0}
    # The summary shows the file's own labels with the level each counted as.
    assert "Niet vaardig / Eerder niet vaardig / Eerder vaardig / Vaardig / Zeer vaardig (2 vragen: " in proc.stdout
    rule = "Niet vaardig → geen, Eerder niet vaardig → basis, Eerder vaardig → basis, Vaardig → gevorderd, "
    assert rule + "Zeer vaardig → expert" in proc.stdout, proc.stdout


def test_labels_two_known_scales_read_differently_stop_the_import_with_a_proposal(repo: Path, tmp_path: Path) -> None:
    source = write_xlsx(
        tmp_path / "twijfel.xlsx",
        _forms_rows({"Hoe vaardig ben je in Word?": ["Niet vaardig", "Vaardig", "Zeer vaardig"]}),
    )
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 1 and not target.exists() and "Traceback" not in proc.stderr
    assert "passen op meer dan één bekende schaal" in proc.stderr, proc.stderr
    assert re.search(r"^'Niet vaardig': (geen|basis)", proc.stderr, re.M), proc.stderr
    again = run("nulmeting", "import", str(source), "-o", str(target), "--niveau", "Niet vaardig=geen", cwd=repo)
    assert again.returncode == 0, again.stderr
    assert _levels(target, "word")["geen"] == 8


def test_four_skill_labels_that_two_scales_read_differently_are_not_guessed(repo: Path, tmp_path: Path) -> None:
    """Niet vaardig / Een beetje vaardig / Vaardig / Zeer vaardig: a scale of four (Niet vaardig = geen), or the
    five-answer Likert scale without its lowest answer (Niet vaardig = basis). The export cannot tell: ask."""
    four = ["Niet vaardig", "Een beetje vaardig", "Vaardig", "Zeer vaardig"]
    source = write_xlsx(tmp_path / "vier.xlsx", _forms_rows({"Hoe vaardig ben je in Teams?": four}))
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 1 and "passen op meer dan één bekende schaal" in proc.stderr, proc.stderr
    assert "geen op de schaal Niet vaardig / Een beetje vaardig / Vaardig / Zeer vaardig" in proc.stderr
    # With the lowest Likert answer anywhere in the same question, the five-answer scale is certain.
    rows = _forms_rows(
        {"Hoe vaardig ben je in Teams?": four, "Hoe vaardig ben je in Excel?": ["Helemaal niet vaardig"]}
    )
    source = write_xlsx(tmp_path / "vijf.xlsx", rows)
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert _levels(target, "teams") == {"geen": 0, "basis": 12, "gevorderd": 6, "expert": 6}


def test_another_question_on_the_same_scale_settles_a_partial_label_set(repo: Path, tmp_path: Path) -> None:
    """Word's answers alone fit two scales; Excel's question, worded otherwise, holds the whole scale of its own."""
    source = write_xlsx(
        tmp_path / "samen.xlsx",
        _forms_rows(
            {
                "Hoe vaardig ben je in Word?": ["Niet vaardig", "Vaardig", "Zeer vaardig"],
                "Hoe goed ken je Excel?": RATHER,
            }
        ),
    )
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert _levels(target, "word") == {"geen": 8, "basis": 0, "gevorderd": 8, "expert": 8}


def test_a_known_label_in_a_column_of_unknown_labels_is_not_read_on_its_own(repo: Path, tmp_path: Path) -> None:
    """'Goed' is on several scales, but 'Nooit' and 'Soms' are on none: every label waits for the coach's choice
    of scale rather than one of them being read against a scale the column does not use."""
    source = write_xlsx(
        tmp_path / "gemengd.xlsx", _forms_rows({"Hoe vaardig ben je in Word?": ["Nooit", "Soms", "Goed"]})
    )
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), cwd=repo)
    assert proc.returncode == 1, proc.stdout
    proposal = proc.stderr.split("Kopieer dit naar een bestand schaal.yml")[1]
    for label in ("Nooit", "Soms", "Goed"):
        assert re.search(rf"^'{label}': ", proposal, re.M), proposal


def test_everyday_scales_can_do_emoji_and_a_mark_out_of_ten_are_known(repo: Path, tmp_path: Path) -> None:
    can_do = ["Ik kan dit niet", "Ik kan dit met hulp", "Ik kan dit zelfstandig", "Ik kan dit aan anderen uitleggen"]
    ease = ["😟 Moeilijk", "😐 Gaat wel", "🙂 Goed", "😀 Heel goed"]
    source = write_xlsx(
        tmp_path / "alledaags.xlsx",
        _forms_rows(
            {
                "Wat kan je in Outlook?": can_do,
                "Hoe gaat het met Teams?": ease,
                "Geef jezelf een cijfer op 10 voor Excel": list(range(1, 11)),
                "PowerPoint: jouw score (1-10)": [f"{n}/10" for n in range(1, 11)],
                "Hoe vaardig ben je in Word? (1 tot 5 sterren)": [1, 2, 3, 4, 5],
            },
            count=40,
        ),
    )
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert _levels(target, "outlook") == {"geen": 10, "basis": 10, "gevorderd": 10, "expert": 10}
    assert _levels(target, "teams") == {"geen": 10, "basis": 10, "gevorderd": 10, "expert": 10}
    assert _levels(target, "excel") == {"geen": 12, "basis": 8, "gevorderd": 12, "expert": 8}
    assert _levels(target, "word") == {"geen": 8, "basis": 16, "gevorderd": 8, "expert": 8}  # the marks leave 1-5
    assert _levels(target, "powerpoint") == {"geen": 12, "basis": 8, "gevorderd": 12, "expert": 8}
    out = proc.stdout
    assert "Ik kan dit niet → geen, Ik kan dit met hulp → basis, Ik kan dit zelfstandig → gevorderd, " in out, out
    assert "😟 Moeilijk → geen, 😐 Gaat wel → basis, 🙂 Goed → gevorderd, 😀 Heel goed → expert" in out, out
    assert (
        "cijfers op 10 (2 vragen: Excel, PowerPoint)" in out and "3 → geen, 4 → basis" in out and "9 → expert" in out
    ), out


def test_marks_up_to_ten_without_a_title_that_says_so_stop_until_schaal_10(repo: Path, tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "tien.xlsx", _forms_rows({"Hoe vaardig ben je in Excel?": list(range(1, 11))}))
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 1 and "--schaal 10" in proc.stderr, proc.stderr
    again = run("nulmeting", "import", str(source), "-o", str(target), "--schaal", "10", cwd=repo)
    assert again.returncode == 0, again.stderr
    assert _levels(target, "excel") == {"geen": 9, "basis": 5, "gevorderd": 6, "expert": 4}


def _write_sheets(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


OVERVIEW: list[list[object]] = [
    ["Overzicht nulmeting november (bijgehouden door de digicoach)"],
    [],
    ["Dienst", "Aantal"],
    ["Burgerzaken", 6],
    ["Technische dienst", 6],
    ["Financiën", "=SUM(B4:B5)"],
]


def test_the_forms_sheet_of_a_workbook_is_read_and_the_summary_says_which(repo: Path, tmp_path: Path) -> None:
    """A coach's own overview sheet in front of the export: the export's sheet is read, not the first one."""
    export = _forms_rows({"Hoe vaardig ben je in Word?": ["Basis", "Gevorderd", "Expert", "Ik ken de basis niet"]})
    source = _write_sheets(tmp_path / "twee bladen.xlsx", {"Overzicht": OVERVIEW, "Form1": export})
    before = source.read_bytes()
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "blad 'Form1' (het blad dat op een export van Forms lijkt; niet gelezen: 'Overzicht')" in proc.stdout
    assert _levels(target, "word") == {"geen": 6, "basis": 6, "gevorderd": 6, "expert": 6}
    assert source.read_bytes() == before

    # --blad chooses; a wrong name gets the closest sheet and every name.
    chosen = run("nulmeting", "import", str(source), "-o", str(tmp_path / "n.yml"), "--blad", "form1", cwd=repo)
    assert chosen.returncode == 0 and "gekozen met --blad; niet gelezen: 'Overzicht'" in chosen.stdout, chosen.stderr
    wrong = run("nulmeting", "import", str(source), "-o", str(tmp_path / "o.yml"), "--blad", "Form 2", cwd=repo)
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert "er is geen blad 'Form 2'. Bedoelde je 'Form1'? Bladen in de werkmap: 'Overzicht', 'Form1'." in wrong.stderr


def test_without_forms_columns_the_sheet_with_a_department_question_and_most_rows_is_read(
    repo: Path, tmp_path: Path
) -> None:
    rows = _forms_rows({"Hoe vaardig ben je in Excel?": ["Basis", "Gevorderd"]})
    bare = [row[len(FORMS_HEAD) :] for row in rows]  # a copy pasted without Forms' own columns
    source = _write_sheets(tmp_path / "kopie.xlsx", {"Grafiek": [["Dienst"], ["Burgerzaken"]], "Sheet1": bare})
    proc = run("nulmeting", "import", str(source), "-o", str(tmp_path / "m.yml"), "--datum", "2026-11-03", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "blad 'Sheet1'" in proc.stdout


def test_a_person_who_submitted_twice_counts_once_with_the_latest_answer(repo: Path, tmp_path: Path) -> None:
    from datetime import datetime

    rows = _forms_rows({"Hoe vaardig ben je in Word?": ["Basis"]})
    rows[0].insert(5, "Tijd van laatste wijziging")
    for row in rows[1:]:
        row.insert(5, None)
    # Collega 0 answered again later (capitals and spaces in the address), and Collega 1 changed the answer.
    rows.append([25, datetime(2026, 11, 4, 9), datetime(2026, 11, 4, 10), "  Collega0@Veurne.be ", "Collega Nummer0",
                 None, "Burgerzaken", "Expert"])  # fmt: skip
    rows[2][5] = datetime(2026, 11, 5, 8)  # Collega 1's own row, modified last
    rows[2][7] = "Gevorderd"
    rows.insert(2, [26, datetime(2026, 11, 2, 9), datetime(2026, 11, 2, 10), "collega1@veurne.be", "Collega Nummer1",
                    None, "Technische dienst", "Ik ken de basis niet"])  # fmt: skip
    # Two people who did not sign in are two respondents, not one.
    for number in (27, 28):
        rows.append([number, datetime(2026, 11, 3, 11), datetime(2026, 11, 3, 12), "anonymous", None, None,
                     "Financiën", "Basis"])  # fmt: skip
    source = write_xlsx(tmp_path / "dubbel.xlsx", rows)
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["respondents"] == 26
    assert _levels(target, "word") == {"geen": 0, "basis": 24, "gevorderd": 1, "expert": 1}
    assert "Dubbel ingezonden: 2 eerdere inzendingen" in proc.stdout, proc.stdout
    written = target.read_text(encoding="utf-8") + proc.stdout
    assert "@" not in written and "collega0" not in written.lower() and "Nummer" not in written


BRANCHES = ["De Panne", "Koksijde", "Nieuwpoort", "Veurne"]


def _branched(count: int = 32) -> list[list[object]]:
    """Forms' branching: after 'Gemeente', the department question of that municipality (one column each)."""
    rows = _forms_rows({"Hoe vaardig ben je in Word?": ["Basis", "Gevorderd"]}, count=count, department=False)
    rows[0][5:5] = ["In welke gemeente werk je?", *(f"Dienst ({m})" for m in BRANCHES)]
    for i, row in enumerate(rows[1:]):
        branch: list[str | None] = [None] * len(BRANCHES)
        branch[i % 4] = DEPARTMENT_CYCLE[(i // 4) % 4]
        row[5:5] = [BRANCHES[i % 4], *branch]
    return rows


def test_department_questions_per_municipality_are_combined_into_one_answer(repo: Path, tmp_path: Path) -> None:
    rows = _branched()
    rows[1][6 + 1] = "Omgeving"  # row 2 fills a second branch with another department: reported, not guessed
    rows[2][6 + 2] = "Burgerzaken"  # row 3 fills a second branch with the same department: one answer
    source = write_xlsx(tmp_path / "vertakking.xlsx", rows)
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    counts = {key: group.get("respondents") for key, group in data["departments"].items()}
    # Burgerzaken has 7: the one 'onbekend' row would be found by subtraction, so Burgerzaken is hidden too.
    assert counts == {"burgerzaken": None, "financien": 8, "omgeving": 8, "technische-dienst": 8}, counts
    assert "Dienst uit 4 kolommen samen (een vertakking in Forms" in proc.stdout
    assert "'Dienst (De Panne)', 'Dienst (Koksijde)', 'Dienst (Nieuwpoort)', 'Dienst (Veurne)'" in proc.stdout
    assert "1 rij vult twee kolommen van de dienst met een verschillende dienst in (rij 2)" in proc.stdout
    assert data["municipalities"]["veurne"] == {"respondents": 8}


def test_most_respondents_without_a_department_stop_the_import_naming_the_other_columns(
    repo: Path, tmp_path: Path
) -> None:
    """A branch column that does not look like the first (another title) is not joined silently: the import
    stops and names it; --dienstkolom given more than once combines the columns."""
    rows = _branched()
    rows[0][6:10] = ["Dienst (De Panne)", "Koksijde: waar werk je?", "Nieuwpoort: waar werk je?", "Veurne: waar?"]
    source = write_xlsx(tmp_path / "leeg.xlsx", rows)
    target = tmp_path / "m.yml"
    proc = run("nulmeting", "import", str(source), "-o", str(target), cwd=repo)
    assert proc.returncode == 1 and not target.exists() and "Traceback" not in proc.stderr
    assert "24 van de 32 respondenten (75%) hebben geen antwoord op de vraag naar de dienst" in proc.stderr
    assert "'Koksijde: waar werk je?', 'Nieuwpoort: waar werk je?', 'Veurne: waar?'" in proc.stderr, proc.stderr
    options = [a for h in rows[0][6:10] for a in ("--dienstkolom", str(h))]
    again = run("nulmeting", "import", str(source), "-o", str(target), *options, cwd=repo)
    assert again.returncode == 0, again.stderr
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["departments"]["omgeving"]["respondents"] == 8
