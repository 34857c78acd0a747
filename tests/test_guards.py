"""Typos and hostile content cannot hurt anyone: publish guards, Dutch OS errors and formula-free CSV."""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import TODAY, kennisbank
from kennisbank.content.oserrors import REASONS, describe_os_error
from kennisbank.ops.cli import main
from kennisbank.ops.reports import Table, to_csv
from kennisbank.site.marker import BUILD_MARKER

KENNISBANK = str(Path(sys.executable).with_name("kennisbank"))


# --- publish guards ----------------------------------------------------------------------------------------


@pytest.fixture
def loose_site(sample_site, tmp_path_factory) -> Path:
    """A copy of the built site in a folder of its own, outside any repository."""
    return sample_site.copy_to(tmp_path_factory.mktemp("build") / "site", word_list=False)


@pytest.fixture
def repo_site(sample_site, repo) -> Path:
    """A copy of the built site where `make build` puts it: inside the content repository (repo/site)."""
    return sample_site.copy_to(repo / "site", word_list=False)


def listing(*roots: Path) -> list[str]:
    """Every path under the roots (symlinks listed, not followed): compared before and after a refused publish."""
    return sorted(str(p) for root in roots for p in root.rglob("*"))


def publish(capsys, site: Path, target: Path, *extra: str) -> tuple[int, str]:
    """Run `kennisbank publish` in this process; returns the exit code and everything printed. The sample site
    shows example content, so it is published as to a test server."""
    code = main(["publish", "--site", str(site), "--target", str(target), "--voorbeeldinhoud", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# Each case: (site fixture, a function (site, repo) -> target, the relation the message names).
Target = Callable[[Path, Path], Path]
REFUSED: dict[str, tuple[str, Target, str]] = {
    "target-is-site": ("loose_site", lambda site, repo: site, "is de gebouwde site"),
    "target-inside-site": ("loose_site", lambda site, repo: site / "sub", "ligt binnen de gebouwde site"),
    "target-contains-site": ("loose_site", lambda site, repo: site.parent, "bevat de gebouwde site"),
    "target-inside-repository": ("repo_site", lambda site, repo: repo / "www", "ligt binnen de repository"),
    "target-is-repository": ("repo_site", lambda site, repo: repo, "bevat de gebouwde site"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_publish_refuses_a_target_in_or_around_the_site_or_repository(case, request, repo, tmp_path, capsys):
    fixture, make_target, relation = REFUSED[case]
    site = request.getfixturevalue(fixture)
    target = make_target(site, repo)
    existed = target.exists()
    before = listing(site.parent, tmp_path)
    code, output = publish(capsys, site, target)
    assert code == 1
    assert f"kennisbank: de doelmap {target} {relation}" in output and "kies een map buiten de site" in output
    assert str(site) in output or str(repo) in output
    assert listing(site.parent, tmp_path) == before
    assert target.exists() == existed and not (target / "releases").exists()


def test_publish_refuses_a_symlink_that_points_into_the_site(loose_site, tmp_path, capsys):
    link = tmp_path / "www"
    link.symlink_to(loose_site / "sub")  # does not exist yet: resolved through its nearest existing parent
    before = listing(loose_site.parent, tmp_path)
    code, output = publish(capsys, loose_site, link)
    assert code == 1
    assert f"de doelmap {link} (verwijst naar {loose_site / 'sub'}) ligt binnen de gebouwde site {loose_site}" in output
    assert listing(loose_site.parent, tmp_path) == before and not (loose_site / "sub").exists()


def test_publish_refuses_the_repository_of_the_working_directory(loose_site, repo, tmp_path, capsys, monkeypatch):
    """The site may live elsewhere; the repository someone works in is found from the current folder too."""
    monkeypatch.chdir(repo / "tips")
    before = listing(repo)
    for target, relation in ((repo / "tips/www", "ligt binnen"), (tmp_path, "bevat")):
        code, output = publish(capsys, loose_site, target)
        assert code == 1 and f"de doelmap {target} {relation} de repository {repo}" in output
    assert listing(repo) == before and not (repo / "tips/www").exists()


def test_the_typo_from_the_issue_is_refused_without_traceback(repo_site, repo):
    """`kennisbank publish --site site --target site/sub` used to copy the build into itself until the disk was full.
    Through the real console script, as the issue ran it; the other publish tests run in this process."""
    before = listing(repo_site)
    proc = subprocess.run(
        [KENNISBANK, "publish", "--site", "site", "--target", "site/sub"], cwd=repo, capture_output=True, text=True
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(
        f"kennisbank: de doelmap {repo_site / 'sub'} ligt binnen de gebouwde site {repo_site};"
    )
    assert listing(repo_site) == before and not (repo_site / "sub").exists()


def test_publish_outside_site_and_repository_still_works(loose_site, tmp_path, capsys):
    target = tmp_path / "www"
    code, output = publish(capsys, loose_site, target)
    assert code == 0 and "Gepubliceerd" in output
    assert (target / "current/index.html").read_bytes() == (loose_site / "index.html").read_bytes()


def read_only_target(tmp_path: Path) -> Path | None:
    """A folder nobody may create: under a chmod 0o555 folder, or (as root, where chmod does not stop writes)
    under /sys or /proc, which refuse new folders even for root. None if there is no such place."""
    locked = tmp_path / "alleen-lezen"
    locked.mkdir(mode=0o555)
    locked.chmod(0o555)
    try:
        (locked / "probe").mkdir()
    except PermissionError:
        return locked / "www"
    (locked / "probe").rmdir()
    for candidate in (Path("/sys/kennisbank-test"), Path("/proc/kennisbank-test")):
        try:
            candidate.mkdir()
        except OSError:
            return candidate
        candidate.rmdir()
    return None


def test_read_only_target_gives_a_dutch_message_with_the_path(loose_site, tmp_path):
    target = read_only_target(tmp_path)
    if target is None:
        pytest.skip("geen map gevonden waar zelfs root niets mag aanmaken")
    proc = kennisbank("publish", "--site", str(loose_site), "--target", str(target), "--voorbeeldinhoud", cwd=tmp_path)
    (tmp_path / "alleen-lezen").chmod(0o755)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "Errno" not in proc.stderr
    assert proc.stderr.startswith(f"kennisbank: publiceren naar {target} mislukte: ")
    assert any(reason in proc.stderr for reason in REASONS.values())
    assert "De live site is niet gewijzigd." in proc.stderr and not target.exists()


def test_a_build_of_the_sample_is_not_published_without_saying_it_is_for_a_test_server(loose_site, tmp_path):
    # A plain `make build` of the sample is complete, but its people are invented: publish refuses it too.
    target = tmp_path / "www"
    proc = kennisbank("publish", "--site", str(loose_site), "--target", str(target), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{loose_site} toont voorbeeldinhoud" in proc.stderr
    assert "kennisbank start" in proc.stderr and "--voorbeeldinhoud" in proc.stderr
    assert not target.exists()


def test_a_damaged_build_marker_is_named(loose_site, tmp_path, capsys):
    (loose_site / BUILD_MARKER).write_bytes(b"\xff{ half")
    code, output = publish(capsys, loose_site, tmp_path / "www")
    assert code == 1 and f"{loose_site / BUILD_MARKER} is beschadigd" in output
    assert not (tmp_path / "www").exists()


def test_rollback_without_releases_names_the_target(tmp_path, capsys):
    assert main(["publish", "--rollback", "--target", str(tmp_path / "leeg")]) == 1
    assert f"er is geen vorige release in {tmp_path / 'leeg'}" in capsys.readouterr().err


# --- Dutch OS errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [errno.EACCES, errno.EPERM, errno.ENOENT, errno.EROFS, errno.ENOSPC, errno.EEXIST, errno.ENOTDIR, errno.EISDIR]
    + [errno.ENOTEMPTY, errno.ELOOP, errno.ENAMETOOLONG],
    ids=errno.errorcode.get,
)
def test_os_errors_are_described_in_dutch_with_both_paths(code):
    text = describe_os_error(OSError(code, os.strerror(code), "/srv/kennisbank", None, "/srv/kennisbank/current"))
    assert text == f"/srv/kennisbank → /srv/kennisbank/current: {REASONS[code]}"


def test_unknown_os_errors_keep_the_system_reason_after_a_dutch_lead_in():
    text = describe_os_error(OSError(errno.EBUSY, os.strerror(errno.EBUSY), "/mnt/intranet"))
    assert text == f"/mnt/intranet: fout van het besturingssysteem ({os.strerror(errno.EBUSY)})"


def test_copy_errors_name_the_file_in_dutch():
    failures = [("site/a", "/srv/releases/a", "[Errno 28] No space left on device: '/srv/releases/a'")] * 3
    assert describe_os_error(shutil.Error(failures)) == "/srv/releases/a: schijf vol (en nog 2 andere bestanden)"


def test_cli_os_error_is_dutch_and_exits_2(repo, tmp_path, capsys):
    occupied = tmp_path / "schemas"
    occupied.write_text("een bestand, geen map")
    assert main(["--root", str(repo), "schema", "-o", str(occupied)]) == 2
    err = capsys.readouterr().err
    assert err == f"kennisbank: {occupied}: bestaat al\n"


# --- CSV formula injection ---------------------------------------------------------------------------------

FORMULAS = {
    "formule": '=HYPERLINK("http://x","klik")',
    "plus": "+32 58 00 00 00 bellen",
    "min": "-2+3 dagen vertraging",
    "apenstaart": "@SUM(A1:A9) in de begroting",
}


def write_signal(repo: Path, slug: str, title: str) -> None:
    """A valid signal; the title single-quoted in YAML, as a coach would write a title with quotes or '@'."""
    text = (
        f"---\ntitle: '{title}'\ntheme: proces\ndepartments: [ict]\nraised_by: an-peeters\n"
        "raised_on: 2026-11-01\nstatus: nieuw\n---\nWat we zien.\n"
    )
    (repo / "meetings/signals" / f"{slug}.md").write_text(text, encoding="utf-8")


def signals_report(repo: Path, capsys, *extra: str) -> str:
    assert main(["--root", str(repo), "report", "signals", "--today", TODAY.isoformat(), *extra]) == 0
    return capsys.readouterr().out


def test_csv_cells_cannot_start_a_formula(repo, capsys):
    for slug, title in FORMULAS.items():
        write_signal(repo, slug, title)
    output = signals_report(repo, capsys, "--format", "csv").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(output, newline=""), delimiter=";"))
    assert rows[0] == ["Voorbeeldinhoud: deze personen en cijfers zijn verzonnen."]  # the sample's notice
    titles = {row[0] for row in rows[2:]}
    for title in FORMULAS.values():
        assert "'" + title in titles and title not in titles
    assert rows[1][0] == "signaal" and output.count("\r\n") == len(rows)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_markdown_report_keeps_the_titles_as_written(repo, capsys):
    for slug, title in FORMULAS.items():
        write_signal(repo, slug, title)
    text = signals_report(repo, capsys)
    assert "| =HYPERLINK(" in text and "| +32 58" in text and "| -2+3" in text and "| @SUM(" in text
    assert "'=" not in text and "'+" not in text and "'@" not in text


def test_csv_neutralises_header_tab_and_carriage_return():
    table = Table("t", ("=kop", "gewoon"), (("\tcmd", "\r=1"), ("2026-11-29", "a-b")))
    rows = list(csv.reader(io.StringIO(to_csv(table), newline=""), delimiter=";"))
    assert rows == [["'=kop", "gewoon"], ["'\tcmd", "'\r=1"], ["2026-11-29", "a-b"]]
