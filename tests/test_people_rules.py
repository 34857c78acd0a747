"""People data that must hold together across files, as `kennisbank validate` and `new-meeting` report it:
inactive coaches, departments that do not exist in a municipality, a signal's history against its status."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import edit, write_tip
from conftest import kennisbank as run_in_process

SIGNAL = "meetings/signals/verlofsysteem-halve-dagen.md"


def kennisbank(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`kennisbank --root <repo> <args>` in this process (conftest.kennisbank: a traceback fails the test)."""
    return run_in_process("--root", str(repo), *args, cwd=repo)


def lines_for(proc: subprocess.CompletedProcess[str], rel_path: str) -> list[str]:
    return [line for line in proc.stdout.splitlines() if line.startswith(rel_path + ":")]


def line_of(path: Path, text: str, after: int = 0) -> int:
    """The number of the first line (after line `after`) of a content file that starts with `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if n > after and line.startswith(text))


def test_an_inactive_chair_in_the_rotation_is_an_error_and_new_meeting_refuses(repo: Path) -> None:
    coaches = repo / "tips/coaches.yml"
    edit(
        coaches,
        "    email: katrien.goethals@nieuwpoort.be\n",
        "    email: katrien.goethals@nieuwpoort.be\n    active: false\n",
    )
    proc = kennisbank(repo, "validate")
    assert proc.returncode == 1
    [line] = [line for line in lines_for(proc, "tips/coaches.yml") if "chair_rotation" in line]
    row = (
        coaches.read_text(encoding="utf-8")
        .splitlines()
        .index("chair_rotation: [an-peeters, sofie-claeys, jonas-declercq, katrien-goethals]")
    )
    assert line.startswith(f"tips/coaches.yml:{row + 1}:"), line
    assert ": chair_rotation[3]: 'katrien-goethals' (Katrien Goethals) is niet meer actief (active: false)" in line
    assert "Actieve digicoaches: an-peeters," in line and "waarschuwing" not in line
    # The sample's last meeting was chaired by An Peeters; after Sofie and Jonas it would be Katrien's turn.
    before = sorted(p.name for p in (repo / "meetings").glob("*.md"))
    for _ in range(3):
        made = kennisbank(repo, "new-meeting")
        assert made.returncode == 1 and "chair_rotation[3]" in made.stdout + made.stderr
    assert sorted(p.name for p in (repo / "meetings").glob("*.md")) == before


def test_new_meeting_passes_over_a_coach_who_left_the_rotation(repo: Path) -> None:
    coaches = repo / "tips/coaches.yml"
    edit(coaches, "    email: sofie.claeys@koksijde.be\n", "    email: sofie.claeys@koksijde.be\n    active: false\n")
    edit(coaches, "[an-peeters, sofie-claeys, jonas-declercq", "[an-peeters, jonas-declercq")
    proc = kennisbank(repo, "new-meeting")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [new] = [p for p in (repo / "meetings").glob("*.md") if p.name == "2026-12-22.md"]
    assert "chair: jonas-declercq" in new.read_text(encoding="utf-8")


def test_a_tip_of_an_inactive_coach_gets_a_warning_with_the_active_coaches(repo: Path) -> None:
    rel = write_tip(repo, replace={"coach: sofie-claeys": "coach: marie-lambrecht"})
    proc = kennisbank(repo, "validate")
    assert proc.returncode == 0, proc.stdout  # history, not a broken build
    [line] = [line for line in lines_for(proc, rel) if ": coach: " in line]
    assert line.startswith(f"{rel}:8:1: coach: waarschuwing: 'marie-lambrecht' (Marie Lambrecht) is niet meer actief")
    assert "geef de tip aan een actieve digicoach" in line and "Toegestaan: an-peeters" in line
    assert "marie-lambrecht" not in line.split("Toegestaan:")[1]
    assert kennisbank(repo, "validate", "--strict").returncode == 1


def test_a_tip_for_a_department_a_municipality_does_not_have_is_an_error(repo: Path) -> None:
    rel = write_tip(
        repo,
        "tips/onderwijs/testtip.md",
        replace={
            "departments: [burgerzaken]": "departments: [onderwijs]",
            "coach: sofie-claeys": "municipalities: [veurne, de-panne]\ncoach: sofie-claeys",
        },
    )
    proc = kennisbank(repo, "validate")
    assert proc.returncode == 1
    [line] = lines_for(proc, rel)
    assert line.startswith(f"{rel}:8:26: municipalities[1]: de dienst 'onderwijs' bestaat niet in gemeente 'de-panne'")
    assert "Toegestaan: koksijde, veurne." in line and "taxonomy.yml" in line


def test_a_municipality_typo_next_to_an_existing_department_gets_a_suggestion(repo: Path) -> None:
    rel = write_tip(
        repo,
        "tips/kinderopvang/testtip.md",
        replace={
            "departments: [burgerzaken]": "departments: [kinderopvang, onderwijs]",
            "coach: sofie-claeys": "municipalities: [koksijde, de-panne]\ncoach: sofie-claeys",
        },
    )
    proc = kennisbank(repo, "validate")
    [line] = lines_for(proc, rel)
    assert ": municipalities[1]: geen van de diensten kinderopvang, onderwijs bestaat in gemeente 'de-panne'" in line
    assert "Toegestaan: koksijde, nieuwpoort, veurne." in line


def test_a_second_department_that_exists_in_none_of_the_tip_s_municipalities_is_an_error(repo: Path) -> None:
    """Kinderopvang does not exist in De Panne: listed with ICT for De Panne only, it reaches nobody."""
    rel = write_tip(
        repo,
        "tips/ict/testtip.md",
        replace={
            "departments: [burgerzaken]": "departments: [kinderopvang, ict]",
            "coach: sofie-claeys": "municipalities: [de-panne]\ncoach: sofie-claeys",
        },
    )
    proc = kennisbank(repo, "validate")
    assert proc.returncode == 1
    [line] = lines_for(proc, rel)
    assert line.startswith(
        f"{rel}:7:15: departments[0]: de dienst 'kinderopvang' bestaat in geen van de gemeenten van deze tip "
        "(de-panne) volgens taxonomy.yml; ze bestaat in: koksijde, nieuwpoort, veurne."
    ), line
    # Not every pair has to exist: with Koksijde listed too, Kinderopvang reaches its colleagues there.
    write_tip(
        repo,
        "tips/ict/testtip.md",
        replace={
            "departments: [burgerzaken]": "departments: [kinderopvang, ict]",
            "coach: sofie-claeys": "municipalities: [de-panne, koksijde]\ncoach: sofie-claeys",
        },
    )
    proc = kennisbank(repo, "validate")
    assert lines_for(proc, rel) == [] and proc.returncode == 0, proc.stdout


def test_a_signal_whose_history_ends_elsewhere_than_its_status(repo: Path) -> None:
    edit(repo / SIGNAL, "status: in-behandeling\n", "status: doorgegeven\n", count=1)
    proc = kennisbank(repo, "validate")
    assert proc.returncode == 1
    [line] = lines_for(proc, SIGNAL)
    status, last = line_of(repo / SIGNAL, "status:"), line_of(repo / SIGNAL, "    status: in-behandeling")
    assert line.startswith(f"{SIGNAL}:{status}:1: status: de status is 'doorgegeven', maar de laatste wijziging in")
    assert f"(regel {last}, 2026-11-05) is 'in-behandeling'" in line and "Bedoelde je 'in-behandeling'?" in line
    assert "Toegestaan: doorgegeven, in-behandeling, nieuw, opgelost." in line


def test_a_signal_history_that_runs_backwards_or_before_the_signal(repo: Path) -> None:
    edit(repo / SIGNAL, "  - date: 2026-10-22\n", "  - date: 2026-11-22\n")
    edit(repo / SIGNAL, "  - date: 2026-10-20\n", "  - date: 2026-10-02\n")
    proc = kennisbank(repo, "validate")
    assert proc.returncode == 1
    found = lines_for(proc, SIGNAL)
    first, second = line_of(repo / SIGNAL, "  - date: 2026-10-02"), line_of(repo / SIGNAL, "  - date: 2026-11-22")
    third = line_of(repo / SIGNAL, "  - date: 2026-11-05")
    assert any(
        line.startswith(f"{SIGNAL}:{first}:5: history[0].date: 2026-10-02 ligt vóór de melding van het signaal")
        for line in found
    ), found
    assert any(
        line.startswith(f"{SIGNAL}:{third}:5: history[2].date: de geschiedenis loopt terug in de tijd: 2026-11-05")
        and f"komt na 2026-11-22 (regel {second})" in line
        and "de oudste eerst" in line
        for line in found
    ), found


def test_a_solved_signal_whose_history_solves_it_on_another_day(repo: Path) -> None:
    path = "meetings/signals/printer-bibliotheek-scannen.md"
    edit(repo / path, "resolved_on: 2026-10-08", "resolved_on: 2026-10-09")
    proc = kennisbank(repo, "validate")
    [line] = lines_for(proc, path)
    assert ": resolved_on: resolved_on is 2026-10-09, maar history zegt 'opgelost' op 2026-10-08." in line
    assert "Bedoelde je 2026-10-08?" in line


def test_the_sample_history_holds_together(repo: Path) -> None:
    proc = kennisbank(repo, "validate")
    assert proc.returncode == 0, proc.stdout
    assert not [line for line in proc.stdout.splitlines() if "history" in line or "chair_rotation" in line]


def test_a_learning_path_kept_by_an_inactive_coach_gets_a_warning(repo: Path) -> None:
    path = "tips/leerpaden/je-eerste-week.md"
    edit(repo / path, "coach: katrien-goethals", "coach: marie-lambrecht")
    proc = kennisbank(repo, "validate")
    assert proc.returncode == 0, proc.stdout
    [line] = lines_for(proc, path)
    row = line_of(repo / path, "coach:")
    assert line.startswith(f"{path}:{row}:1: coach: waarschuwing: 'marie-lambrecht' (Marie Lambrecht) is niet meer")
    assert "Het leerpad blijft staan" in line


def test_a_signal_for_a_department_a_municipality_does_not_have_is_an_error(repo: Path) -> None:
    edit(repo / SIGNAL, "departments: [technische-dienst, vrije-tijd]", "departments: [onderwijs]")
    edit(repo / SIGNAL, "municipalities: [nieuwpoort, koksijde]", "municipalities: [nieuwpoort, koksijd]")
    proc = kennisbank(repo, "validate")
    found = lines_for(proc, SIGNAL)
    assert any(
        ": municipalities[0]: de dienst 'onderwijs' bestaat niet in gemeente 'nieuwpoort'" in line
        and "Toegestaan: koksijde, veurne." in line
        for line in found
    ), found
    # A typo is reported once, as an unknown municipality with its suggestion.
    [typo] = [line for line in found if "'koksijd'" in line]
    assert ": municipalities[1]: onbekende waarde 'koksijd'" in typo and "Bedoelde je 'koksijde'?" in typo


def test_a_meeting_still_to_come_with_an_inactive_chair_gets_a_warning(repo: Path) -> None:
    coaches = repo / "tips/coaches.yml"
    edit(coaches, "    email: an.peeters@veurne.be\n", "    email: an.peeters@veurne.be\n    active: false\n")
    edit(coaches, "chair_rotation: [an-peeters, ", "chair_rotation: [")
    proc = kennisbank(repo, "validate")
    assert proc.returncode == 0, proc.stdout
    [line] = lines_for(proc, "meetings/2026-12-01.md")
    row = line_of(repo / "meetings/2026-12-01.md", "chair:")
    assert line.startswith(f"meetings/2026-12-01.md:{row}:1: chair: waarschuwing: 'an-peeters' (An Peeters) is niet")
    assert "geen voorzitter zijn" in line and "Kies een actieve digicoach: bram-vermeulen," in line
    assert not lines_for(proc, "meetings/2026-11-10.md")  # a held meeting is history
