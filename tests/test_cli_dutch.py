"""The command line as a colleague meets it: Dutch help and errors, from any folder of the repository."""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

import pytest
from conftest import KENNISBANK, bare_env, kennisbank
from kennisbank.content.schema import SCHEMAS
from kennisbank.content.schema_names import SCHEMA_NAMES
from kennisbank.ops.cli import build_parser


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real console script as a colleague starts it: outside the virtualenv, in a bare environment. For the
    few tests where the process is the point (help and argument text, non-ASCII arguments); the rest run the
    same `main()` in this process through `kennisbank()`."""
    return subprocess.run(
        [KENNISBANK, *args], cwd=cwd, capture_output=True, text=True, input=stdin, timeout=120,
        env=bare_env(KENNISBANK_TODAY="2026-11-29"),
    )  # fmt: skip


def _all_actions(parser: argparse.ArgumentParser, name: str = "kennisbank"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _all_actions(sub, f"{name} {sub_name}")
        elif action.dest != "help":
            yield name, action


def test_every_option_is_explained_in_dutch() -> None:
    missing = [f"{name} {action.option_strings or action.dest}" for name, action in _all_actions(build_parser())
               if not action.help]  # fmt: skip
    assert not missing


def test_help_and_errors_are_dutch(repo: Path) -> None:
    help_text = run("agenda", "--help", cwd=repo).stdout
    assert help_text.startswith("gebruik: kennisbank agenda") and "toon deze hulp en stop" in help_text
    assert "usage" not in help_text and "show this help" not in help_text and "options:" not in help_text
    assert "--today DATUM" in help_text and "-o BESTAND" in help_text
    assert not re.search(r"\b(TODAY|OUTPUT|SITE_URL|SERIES_UNTIL|SERIES_COUNT)\b", help_text)
    wrong = kennisbank("agenda", "--format", "pdf", cwd=repo)
    assert wrong.returncode == 2
    assert "fout: --format: onbekende keuze 'pdf' (kies uit 'md', 'html', 'docx', 'ics')" in wrong.stderr
    assert "error" not in wrong.stderr and "invalid choice" not in wrong.stderr
    missing = kennisbank("report", cwd=repo)
    assert "dit ontbreekt nog: RAPPORT" in missing.stderr
    number = kennisbank("agenda", "--series-count", "twaalf", cwd=repo)
    assert "geen geheel getal: 'twaalf'" in number.stderr


# What each command must not load on start-up: the Excel, Word and calendar libraries belong to the imports and
# exports only, and the help text needs no models or templates either.
EXPORT_LIBRARIES = {"openpyxl", "docx", "icalendar"}


@pytest.mark.parametrize(
    ("command", "not_loaded"),
    [(("--help",), EXPORT_LIBRARIES | {"pydantic", "jinja2", "PIL"}), (("validate",), EXPORT_LIBRARIES)],
)
def test_help_and_validate_start_without_the_export_libraries(
    repo: Path, command: tuple[str, ...], not_loaded: set[str]
) -> None:
    # Python's own import profile (-X importtime) of the real console script names every module it loaded.
    proc = subprocess.run(
        [KENNISBANK, *command], cwd=repo, capture_output=True, text=True, timeout=120,
        env=bare_env(KENNISBANK_TODAY="2026-11-29", PYTHONPROFILEIMPORTTIME="1"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    loaded = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "kennisbank.ops.cli" in loaded  # the profile is there, so an empty intersection means something
    assert not {name.split(".")[0] for name in loaded} & not_loaded


def test_schema_offers_exactly_the_schemas_there_are() -> None:
    # The parser names them without loading the models (`content.schema_names`); both lists must agree.
    assert tuple(SCHEMAS) == SCHEMA_NAMES


def test_commands_work_from_a_subfolder(repo: Path) -> None:
    proc = kennisbank("validate", cwd=repo / "tips" / "burgerzaken")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 fout(en)" in proc.stdout + proc.stderr


def test_a_command_outside_the_repository_says_so(repo: Path, tmp_path: Path) -> None:
    outside = kennisbank("validate", cwd=tmp_path)
    assert outside.returncode == 1 and "tips/taxonomy.yml:1:1: bestand: dit bestand ontbreekt" in outside.stdout
    assert f"in {tmp_path} staat geen kennisbank" in outside.stderr and "--root MAP" in outside.stderr
    missing = kennisbank("--root", str(tmp_path / "typfout"), "agenda", cwd=repo)
    assert (
        missing.returncode == 2
        and missing.stderr == f"kennisbank: de map {tmp_path / 'typfout'} bestaat niet (--root).\n"
    )
    served = kennisbank("serve", cwd=tmp_path)  # before it tells the colleague to open a browser
    assert served.returncode == 1 and served.stdout == ""
    assert served.stderr.startswith(f"kennisbank: de site kan niet starten: in {tmp_path} staat geen mkdocs.yml.\n")
    assert "staat geen kennisbank" in served.stderr
    (repo / "tips/alle/kapot.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    broken = kennisbank("validate", cwd=repo)  # a broken tip in a repository: its own message, no hint
    assert broken.returncode == 1 and "staat geen kennisbank" not in broken.stdout + broken.stderr


def test_end_of_input_stops_new_tip_cleanly(repo: Path) -> None:
    before = sorted(p.name for p in (repo / "tips").rglob("*.md"))
    proc = kennisbank("new-tip", "--interactive", cwd=repo, stdin="")
    assert proc.returncode == 130
    assert "afgebroken; er is niets geschreven" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in (repo / "tips").rglob("*.md")) == before


NEW_TIP = ["new-tip", "--tools", "outlook", "--department", "burgerzaken", "--difficulty", "basis", "--source", "oase"]


def test_new_tip_accepts_any_script_and_explains_in_dutch(repo: Path) -> None:
    arabic = run(*NEW_TIP, "--coach", "an-peeters", "--title", "كيفية تغيير كلمة المرور", cwd=repo)
    assert arabic.returncode == 0, arabic.stderr
    assert (repo / "tips/burgerzaken/tip-2026-11-29.md").read_text(encoding="utf-8").count("كيفية") == 1
    long = kennisbank(*NEW_TIP, "--coach", "an-peeters", "--title", "Lang " * 30, cwd=repo)
    assert long.returncode == 1 and "title: is te lang" in long.stderr and "String should" not in long.stderr


def test_new_tip_refuses_an_inactive_coach_but_not_another_coachs_broken_tip(repo: Path) -> None:
    (repo / "tips/burgerzaken/kapot.md").write_text("---\ntitle: kapot\n---\n", encoding="utf-8")
    inactive = kennisbank(*NEW_TIP, "--coach", "marie-lambrecht", "--title", "Een tip van Marie", cwd=repo)
    assert inactive.returncode == 1 and "niet meer actief" in inactive.stderr
    ok = kennisbank(*NEW_TIP, "--coach", "an-peeters", "--title", "Een nieuwe tip ondanks een kapotte", cwd=repo)
    assert ok.returncode == 0, ok.stderr
    assert "Let op:" in ok.stderr and (repo / "tips/burgerzaken/een-nieuwe-tip-ondanks-een-kapotte.md").is_file()


def test_the_web_template_is_reported_as_still_to_fill_in(repo: Path) -> None:
    template = (repo / "docs/sjablonen/nieuwe-tip.md").read_text(encoding="utf-8")
    (repo / "tips/burgerzaken/mijn-tip.md").write_text(template, encoding="utf-8")
    out = kennisbank("validate", cwd=repo).stdout
    assert "mijn-tip.md:8:1: coach: nog in te vullen" in out
    assert "mijn-tip.md:9:1: date: nog in te vullen" in out
    assert "nog in te vullen: vervang de voorbeeldtekst 'Eerste stap: begin met een werkwoord'" in out
    # In the same run, although the date placeholder keeps the front matter from loading:
    assert "mijn-tip.md:2:1: title: nog in te vullen" in out and "mijn-tip.md:3:1: summary: nog in te vullen" in out
    assert "mijn-tip.md:10:1: tags: nog in te vullen" in out


@pytest.mark.build
@pytest.mark.linux
def test_serve_takes_the_next_free_port_and_serves_the_site(repo: Path) -> None:
    import os
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        server = subprocess.Popen(
            [KENNISBANK, "serve", "--port", str(taken)], cwd=repo / "tips", stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
            env={**os.environ, "KENNISBANK_TODAY": "2026-11-29"},
        )  # fmt: skip
        try:
            assert server.stdout is not None
            first = server.stdout.readline()
            assert first.startswith(f"Poort {taken} is bezet; de kennisbank gebruikt poort ")
            port = int(first.rsplit(" ", 1)[1].rstrip(".\n"))
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                        if "Kennisbank" in response.read().decode("utf-8"):
                            break
                except OSError:
                    time.sleep(0.5)
            else:
                raise AssertionError("de site kwam niet op de vrije poort")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def test_the_python_only_commands_run_without_make() -> None:
    import sys

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "scripts/dev.py", "validate"], cwd=root, capture_output=True, text=True, timeout=300,
        env=bare_env(KENNISBANK_TODAY="2026-11-29"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 fout(en)" in proc.stdout + proc.stderr
    wrong = subprocess.run([sys.executable, "scripts/dev.py", "bouw"], cwd=root, capture_output=True, text=True)
    assert wrong.returncode == 2 and "Kies uit: serve, validate, build, test" in wrong.stderr


def test_format_follows_the_output_file_and_odd_input_is_refused_in_dutch(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "rapport.xlsx"
    assert kennisbank("report", "stale", "-o", str(out), cwd=repo).returncode == 0
    assert out.read_bytes()[:2] == b"PK"  # a real workbook, not Markdown under an .xlsx name
    mismatch = kennisbank("report", "stale", "--format", "md", "-o", str(tmp_path / "r.xlsx"), cwd=repo)
    assert mismatch.returncode == 1 and "--format md past niet bij" in mismatch.stderr
    assert "onbekende argumenten: --bogus" in kennisbank("validate", "--bogus", cwd=repo).stderr
    assert "is geen poort" in kennisbank("serve", "--port", "70000", cwd=repo).stderr
    count = kennisbank("agenda", "--format", "ics", "--series", "--series-count", "100000", cwd=repo)
    assert count.returncode == 2 and "een reeks telt 1 tot 40 overleggen" in count.stderr


def test_local_site_addresses_are_recognised() -> None:
    from kennisbank.knowledge.urls import is_local_url

    local = [
        "http://127.0.0.1:8000/",
        "http://LOCALHOST/",
        "http://127.0.0.2/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://localhost./",
        "http://wiki.localhost/",
        "http://[::ffff:127.0.0.1]/",
        "",
        "http://[::1/",
    ]
    assert [u for u in local if not is_local_url(u)] == []
    assert not is_local_url("https://intranet.koksijde.be/kennisbank/")
    assert not is_local_url("http://10.0.0.5/kennisbank/")  # an intranet address is not this machine
