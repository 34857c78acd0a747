"""From a coach's idea to the intranet: new-tip, templates, workflows, and publish/rollback on a local target."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, TODAY, kennisbank, mkdocs_build, write_tip
from kennisbank.checks.loader import load_repository
from kennisbank.site.marker import BUILD_MARKER

BIN = Path(sys.executable).parent
KENNISBANK = str(BIN / "kennisbank")


def kb(repo: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`kennisbank --root <repo> <args>` in this process (see conftest.kennisbank)."""
    return kennisbank("--root", str(repo), *args, cwd=repo, stdin=stdin)


def kb_script(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The same through the real console script, for the one test where the installed command is the point."""
    return subprocess.run([KENNISBANK, "--root", str(repo), *args], capture_output=True, text=True)


def errors_in(repo: Path, rel: str) -> list[str]:
    return [p.format_text() for p in load_repository(repo, today=TODAY).errors if p.path == rel]


def unfinished_only(repo: Path, rel: str) -> bool:
    """A new tip is valid but for the example text it still has to replace ('nog in te vullen')."""
    errors = errors_in(repo, rel)
    return bool(errors) and all("nog in te vullen" in e for e in errors)


NEW_TIP = [
    "new-tip",
    "--title",
    "Een Teams-vergadering opnemen en delen",
    "--tools",
    "teams,onedrive",
    "--department",
    "burgerzaken",
    "--difficulty",
    "gevorderd",
    "--source",
    "oase",
    "--coach",
    "sofie-claeys",
    "--summary",
    "Neem de vergadering op en deel de opname met wie er niet bij was.",
]


def test_new_tip_writes_a_valid_file_in_the_right_folder(repo):
    proc = kb_script(repo, *NEW_TIP)
    assert proc.returncode == 0, proc.stderr
    rel = "tips/burgerzaken/een-teams-vergadering-opnemen-en-delen.md"
    assert f"Nieuwe tip: {rel}" in proc.stdout and "Volgende stappen" in proc.stdout
    text = (repo / rel).read_text(encoding="utf-8")
    assert f"date: {TODAY.isoformat()}\n" in text and "tools: [teams, onedrive]" in text
    assert unfinished_only(repo, rel)


def test_new_tip_refuses_to_overwrite(repo):
    assert kb(repo, *NEW_TIP).returncode == 0
    path = repo / "tips/burgerzaken/een-teams-vergadering-opnemen-en-delen.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMijn eigen stappen.\n", encoding="utf-8")
    before = path.read_bytes()
    proc = kb(repo, *NEW_TIP)
    assert proc.returncode == 1 and "bestaat al" in proc.stderr
    assert path.read_bytes() == before


def test_new_tip_rejects_unknown_values_with_a_suggestion(repo):
    args = [a if a != "teams,onedrive" else "teams,onedrvie" for a in NEW_TIP]
    proc = kb(repo, *args)
    assert proc.returncode == 1
    assert "onbekende waarde 'onedrvie' voor tool" in proc.stderr and "Bedoelde je 'onedrive'?" in proc.stderr
    assert not list((repo / "tips/burgerzaken").glob("een-teams-*"))
    assert "Traceback" not in proc.stderr


def test_new_tip_asks_for_what_is_missing(repo):
    answers = (
        "Scherm opnemen met Clipchamp\n14,1\nbibliotheek\n1\noase\neline-verhaeghe\nOpnemen zonder extra software.\n"
    )
    proc = kb(repo, "new-tip", "--interactive", stdin=answers)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rel = "tips/bibliotheek/scherm-opnemen-met-clipchamp.md"
    front = yaml.safe_load((repo / rel).read_text(encoding="utf-8").split("---")[1])
    assert front["tools"] == ["printen", "outlook"] and front["difficulty"] == "basis"
    assert front["summary"] == "Opnemen zonder extra software."
    assert unfinished_only(repo, rel)


def test_new_tip_without_terminal_names_missing_flags(repo):
    proc = kb(repo, "new-tip", "--title", "Iets", stdin="")
    assert proc.returncode == 1 and "--tools" in proc.stderr and "--coach" in proc.stderr


def test_docs_template_is_valid_once_filled_in(repo):
    template = (ROOT / "docs/sjablonen/nieuwe-tip.md").read_text(encoding="utf-8")
    rel = write_tip(repo, "tips/burgerzaken/uit-sjabloon.md", text=template)
    assert unfinished_only(repo, rel)  # no real coach or date in it: the coach fills them in
    filled = template.replace("coach: nog-in-te-vullen", "coach: sofie-claeys")
    filled = filled.replace("date: nog-in-te-vullen", f"date: {TODAY.isoformat()}")
    parts = filled.split("---\n", 2)
    front = parts[1].replace("Wat je kunt doen, in gewone woorden", "Een gedeelde agenda openen")
    front = front.replace("Eén zin die zegt wat deze tip een collega oplevert.", "Zie de agenda van je dienst.")
    front = front.replace("tags: [trefwoord]", "tags: [agenda]")
    write_tip(repo, rel, text=f"---\n{front}---\nOpen Outlook en kies **Agenda**.\n")
    assert errors_in(repo, rel) == []


def test_contributing_and_pr_template_share_the_checklist():
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    template = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    for phrase in ("summary", "werkwoord", "persoonsgegevens", "kennisbank validate"):
        assert phrase in contributing and phrase in template
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [h["entry"] for repo in hooks["repos"] for h in repo["hooks"]]
    assert ".venv/bin/kennisbank validate" in entries and any("ruff" in e for e in entries)


WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))


def test_workflows_match_the_github_actions_schema():
    proc = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflow_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    stepz: []\n", encoding="utf-8")
    proc = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1


def test_actions_are_pinned_and_steps_are_complete():
    for workflow in WORKFLOWS:
        for ref in re.findall(r"uses:\s*(\S+)", workflow.read_text(encoding="utf-8")):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"{workflow.name}: {ref} is not pinned"
    pr = (ROOT / ".github/workflows/pull-request.yml").read_text(encoding="utf-8")
    assert "kennisbank validate --format github" in pr and "make build" in pr and "make test" in pr
    assert "actions/upload-artifact@" in pr
    windows = yaml.safe_load(pr)["jobs"]["windows"]
    assert windows["runs-on"].startswith("windows")
    commands = [str(step.get("run", "")) for step in windows["steps"]]
    assert 'python scripts/dev.py test -m "not browser and not linux"' in commands, commands
    publish = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    assert publish[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key 'on' as True
    steps = " ".join(str(s.get("run", "")) for s in publish["jobs"]["publiceren"]["steps"])
    assert 'kennisbank publish --target "$TARGET"' in steps and "--rollback" in steps
    assert steps.index("make build") < steps.index('kennisbank publish --target "$TARGET" --site site')


# --- publish ---------------------------------------------------------------------------------------------


@pytest.fixture
def built(sample_site, tmp_path) -> Path:
    """A private copy of the built sample site (tests may alter it), without the search's word list (each of
    these tests copies the site several times)."""
    return sample_site.copy_to(tmp_path / "site", word_list=False)


def publish(site: Path, dest: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`kennisbank publish` of the sample build, which shows example content: as to a test server. In this
    process (conftest.kennisbank); the interrupted publish and the one over SSH start the real command."""
    return kennisbank(
        "publish", "--site", str(site), "--target", str(dest), "--voorbeeldinhoud", *extra, cwd=site.parent
    )


def live(dest: Path) -> Path:
    return (dest / "current").resolve()


@pytest.mark.linux
def test_publish_switches_atomically_and_rolls_back(built, tmp_path):
    dest = tmp_path / "www"
    assert publish(built, dest).returncode == 0
    first = live(dest)
    assert (dest / "current/index.html").is_file() and (dest / "current/search/tips.json").is_file()
    (built / "index.html").write_text(
        (built / "index.html").read_text(encoding="utf-8") + "<!-- v2 -->", encoding="utf-8"
    )
    proc = publish(built, dest)
    assert proc.returncode == 0 and "Vorige release" in proc.stdout
    assert live(dest) != first and "<!-- v2 -->" in (dest / "current/index.html").read_text(encoding="utf-8")
    proc = kennisbank("publish", "--rollback", "--target", str(dest), cwd=tmp_path)
    assert proc.returncode == 0 and live(dest) == first
    assert "<!-- v2 -->" not in (dest / "current/index.html").read_text(encoding="utf-8")


@pytest.mark.linux
def test_publish_keeps_the_last_n_releases(built, tmp_path):
    dest = tmp_path / "www"
    for _ in range(4):
        assert publish(built, dest, "--keep", "2", "--force").returncode == 0
    releases = sorted(p.name for p in (dest / "releases").iterdir())
    assert len(releases) == 2 and live(dest).name == releases[-1]


@pytest.mark.linux
def test_an_unchanged_build_is_not_published_again(built, tmp_path):
    dest = tmp_path / "www"
    assert publish(built, dest).returncode == 0
    first = live(dest)
    proc = publish(built, dest)
    assert proc.returncode == 0 and "Niets gepubliceerd" in proc.stdout and first.name in proc.stdout
    assert live(dest) == first and len(list((dest / "releases").iterdir())) == 1
    (built / "zoeken/index.html").write_bytes((built / "zoeken/index.html").read_bytes() + b"\n")
    proc = publish(built, dest)
    assert proc.returncode == 0 and "Gepubliceerd" in proc.stdout and live(dest) != first


@pytest.mark.linux
def test_bad_build_is_never_published(built, tmp_path):
    dest = tmp_path / "www"
    assert publish(built, dest).returncode == 0
    before = live(dest)
    (built / BUILD_MARKER).unlink()
    proc = publish(built, dest)
    assert proc.returncode == 1 and "geen volledige build" in proc.stderr
    assert live(dest) == before and len(list((dest / "releases").iterdir())) == 1


@pytest.mark.build
def test_failed_site_build_leaves_nothing_to_publish(repo, tmp_path):
    write_tip(repo, replace={"tools: [outlook]": "tools: [outlok]"})
    site = repo / "site"
    assert mkdocs_build(repo, site).returncode == 1
    dest = tmp_path / "www"
    proc = publish(site, dest)
    assert proc.returncode == 1 and not (dest / "current").exists()


@pytest.mark.linux
def test_interrupted_publish_leaves_the_live_site_untouched(built, tmp_path):
    dest = tmp_path / "www"
    assert publish(built, dest).returncode == 0
    old = live(dest)
    old_files = sorted(p.relative_to(old) for p in old.rglob("*"))
    bulk = built / "bulk"  # enough files that the copy takes a while
    bulk.mkdir()
    for index in range(4000):
        (bulk / f"f{index}.txt").write_text("x" * 200)
    proc = subprocess.Popen([KENNISBANK, "publish", "--site", str(built), "--target", str(dest), "--voorbeeldinhoud"])
    deadline = time.monotonic() + 30
    while not list((dest / "releases").glob(".tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list((dest / "releases").glob(".tmp-*")), "publish ended before it could be interrupted"
    assert live(dest) == old
    assert sorted(p.relative_to(old) for p in old.rglob("*")) == old_files
    assert (dest / "current/index.html").is_file()
    # The next publish completes and clears the leftover.
    assert publish(built, dest).returncode == 0
    assert live(dest) != old and not list((dest / "releases").glob(".tmp-*"))


@pytest.mark.linux
def test_remote_publish_commands_switch_with_a_rename():
    from kennisbank.ops.publish import RemoteTarget, remote_commands

    target = RemoteTarget.parse("web@intranet:/srv/kennisbank")
    assert target == RemoteTarget("web@intranet", "/srv/kennisbank")
    commands = remote_commands(Path("site"), target, "20261129-120000-000000", keep=3)
    assert commands[1][:3] == ["rsync", "-a", "--delete"]
    assert commands[1][-1] == "web@intranet:/srv/kennisbank/releases/.tmp-20261129-120000-000000/"
    assert "mv -T current.tmp-new current" in commands[2][2] and "head -n -3" in commands[2][2]
    assert RemoteTarget.parse("/var/www/kennisbank") is None


@pytest.fixture(scope="module")
def ssh_server(tmp_path_factory):
    """A real OpenSSH server on 127.0.0.1 with a throw-away key, for publishing with rsync over SSH."""
    import getpass
    import socket

    if os.geteuid() != 0:
        pytest.skip("sshd needs root to switch users; CI runs as root")
    keys = tmp_path_factory.mktemp("ssh")
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True)
    (keys / "authorized_keys").write_text((keys / "client_key.pub").read_text())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = keys / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys}/host_key\nAuthorizedKeysFile {keys}/authorized_keys\n"
        f"PidFile {keys}/sshd.pid\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "StrictModes no\nPermitRootLogin prohibit-password\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    server = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    command = (
        f"ssh -p {port} -i {keys}/client_key -o BatchMode=yes -o StrictHostKeyChecking=no "
        "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
    )
    yield {"user": getpass.getuser(), "env": {**os.environ, "KENNISBANK_SSH_COMMAND": command}}
    server.terminate()
    server.wait()


@pytest.mark.linux
def test_publish_over_ssh_with_rsync_and_rollback(ssh_server, built, tmp_path, monkeypatch):
    remote = tmp_path / "remote"
    target = f"{ssh_server['user']}@127.0.0.1:{remote}"
    monkeypatch.setenv("KENNISBANK_SSH_COMMAND", ssh_server["env"]["KENNISBANK_SSH_COMMAND"])

    def run(*args: str) -> subprocess.CompletedProcess[str]:  # in this process; ssh and rsync are real
        return kennisbank("publish", "--voorbeeldinhoud", *args, cwd=tmp_path)

    first = run("--site", str(built), "--target", target, "--keep", "2")
    assert first.returncode == 0, first.stdout + first.stderr
    live_first = live(remote)
    assert (remote / "current/index.html").read_bytes() == (built / "index.html").read_bytes()
    (built / "index.html").write_text("<!doctype html><title>v2</title>", encoding="utf-8")
    for _ in range(2):
        assert run("--site", str(built), "--target", target, "--keep", "2").returncode == 0
    assert "v2" in (remote / "current/index.html").read_text(encoding="utf-8")
    assert len([p for p in (remote / "releases").iterdir()]) == 2 and not live_first.exists()
    newest = live(remote)
    rolled = run("--rollback", "--target", target)
    assert rolled.returncode == 0, rolled.stderr
    assert live(remote) != newest and live(remote).parent == newest.parent
    (built / BUILD_MARKER).unlink()
    refused = run("--site", str(built), "--target", target)
    assert refused.returncode == 1 and "geen volledige build" in refused.stderr
