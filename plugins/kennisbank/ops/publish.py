"""Publishing the built site to the intranet without ever taking the live site down.

Layout on the target (a mounted web root, or a path on a server reached over SSH):

    DEST/releases/20261129-101500-123456/   one complete build per release (UTC, sortable)
    DEST/current -> releases/...     the web server serves this symlink

A release is uploaded under a temporary name next to the live one, renamed when complete, and only then
`current` is switched with an atomic rename of a new symlink over the old one. An interrupted publish
leaves at most a `.tmp-*` folder behind (removed by the next publish); the live site never changes.
"""

from __future__ import annotations

import filecmp
import json
import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..content.oserrors import describe_os_error
from ..site.marker import BUILD_MARKER

RELEASES = "releases"
CURRENT = "current"
TMP_PREFIX = ".tmp-"
# A folder holding one of these is the content repository a site is built from.
REPOSITORY_MARKERS = (".git", "mkdocs.yml")
UNCHANGED = "De live site is niet gewijzigd."


class PublishError(RuntimeError):
    """Publishing was refused or failed; the live site is unchanged. The message is Dutch."""


@dataclass(frozen=True)
class PublishResult:
    release: str
    previous: str | None
    removed: tuple[str, ...]
    unchanged: bool = False  # the build equals the live release: nothing was copied or switched


EXAMPLE_REFUSED = (
    "{site} toont voorbeeldinhoud (verzonnen digicoaches, overleggen, signalen of cijfers met 'example: true') "
    "of tips zonder echte digicoach ('over-te-nemen'); dat hoort niet op het intranet. Vervang de voorbeeldinhoud "
    "met 'kennisbank start' en bouw opnieuw ('kennisbank validate --publiceren' noemt elk bestand), of publiceer "
    "bewust naar een testserver met --voorbeeldinhoud."
)


def check_build(site: Path, allow_examples: bool = False) -> dict[str, object]:
    """Refuse anything but a complete build: the plugin writes its marker as the very last step. A build that
    shows example content is refused too unless `allow_examples` (a demo server): a plain `make build` of the
    sample is complete, but its people are invented."""
    marker = site / BUILD_MARKER
    if not marker.is_file():
        raise PublishError(
            f"{site} is geen volledige build (het bestand {BUILD_MARKER} ontbreekt). "
            "Bouw eerst met 'mkdocs build --strict'."
        )
    with _os_errors("de build-markering kon niet gelezen worden"):
        data = marker.read_bytes()
    try:
        info = json.loads(data)
    except ValueError:  # invalid JSON or UTF-8
        info = None
    if not isinstance(info, dict):
        raise PublishError(f"{marker} is beschadigd (geen geldige JSON); bouw de site opnieuw.")
    for required in ("index.html", "search/tips.json"):
        if not (site / required).is_file():
            raise PublishError(f"{site} is onvolledig: {required} ontbreekt.")
    # A marker without the keys predates the example marking: its site cannot be told apart, so it is refused.
    unfit = info.get("example_content", True) is not False or info.get("publish_problems", 1) != 0
    if unfit and not allow_examples:
        raise PublishError(EXAMPLE_REFUSED.format(site=site))
    return info


@contextmanager
def _os_errors(failed: str, consequence: str = "") -> Iterator[None]:
    """Turn an OS error into a Dutch PublishError that names the path and says what it means for the site."""
    try:
        yield
    except OSError as exc:
        raise PublishError(f"{failed}: {describe_os_error(exc)}. {consequence}".rstrip()) from exc


def _shown(given: Path, real: Path) -> str:
    """The absolute path, plus where it really points when a symlink leads elsewhere."""
    absolute = Path(os.path.abspath(given))
    return str(absolute) if absolute == real else f"{absolute} (verwijst naar {real})"


def _overlap(target: Path, other: Path) -> str | None:
    """How a target folder collides with another folder: 'is', 'ligt binnen' or 'bevat'; None if apart."""
    if target == other:
        return "is"
    if target.is_relative_to(other):
        return "ligt binnen"
    if other.is_relative_to(target):
        return "bevat"
    return None


def _repository_of(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds a .git folder or mkdocs.yml."""
    for folder in (start, *start.parents):
        if any(os.path.lexists(folder / marker) for marker in REPOSITORY_MARKERS):
            return folder
    return None


def _content_repositories(site: Path) -> list[Path]:
    """The repository the site was built from, found from the site and from the working directory."""
    try:
        starts = [site, Path.cwd().resolve()]
    except OSError:  # the working directory was removed
        starts = [site]
    found = [_repository_of(start) for start in starts]
    return list(dict.fromkeys(r for r in found if r is not None))


def refuse_unsafe_target(site: Path, dest: Path) -> None:
    """Refuse a target in or around the site (it would copy itself until the disk is full) or the repository.

    Paths are compared after resolving symlinks; for a target that does not exist yet, Path.resolve()
    resolves its nearest existing parent and appends the rest.
    """
    real_site, real_dest = site.resolve(), dest.resolve()
    folders = [("de gebouwde site", site, real_site)]
    folders += [("de repository", repo, repo) for repo in _content_repositories(real_site)]
    for what, given, real in folders:
        relation = _overlap(real_dest, real)
        if relation:
            raise PublishError(
                f"de doelmap {_shown(dest, real_dest)} {relation} {what} {_shown(given, real)}; "
                "kies een map buiten de site en buiten de repository (bv. /srv/kennisbank)."
            )


def release_name(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S-%f")


def _releases(dest: Path) -> list[str]:
    folder = dest / RELEASES
    return (
        sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(TMP_PREFIX))
        if folder.is_dir()
        else []
    )


def current_release(dest: Path) -> str | None:
    link = dest / CURRENT
    return Path(os.readlink(link)).name if link.is_symlink() else None


def _switch(dest: Path, release: str) -> None:
    """Point `current` at a release atomically: a new symlink renamed over the old one."""
    temporary = dest / f"{CURRENT}{TMP_PREFIX}{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(Path(RELEASES) / release)
    os.replace(temporary, dest / CURRENT)


def _prune(dest: Path, keep: int) -> tuple[str, ...]:
    live = current_release(dest)
    releases = _releases(dest)
    doomed = [r for r in releases[: max(0, len(releases) - keep)] if r != live]
    for name in doomed:
        shutil.rmtree(dest / RELEASES / name)
    for leftover in (dest / RELEASES).glob(TMP_PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return tuple(doomed)


def publish_local(
    site: Path,
    dest: Path,
    keep: int = 5,
    now: datetime | None = None,
    force: bool = False,
    allow_examples: bool = False,
) -> PublishResult:
    """Copy a complete build to DEST/releases/<name> and switch DEST/current to it.

    A build identical to the live release is not published again (unless `force`): builds are reproducible,
    so an unchanged site would only push a real rollback point out of the kept releases."""
    if keep < 1:
        raise PublishError("--keep moet minstens 1 zijn.")
    refuse_unsafe_target(site, dest)  # before anything is created
    check_build(site, allow_examples)
    live = current_release(dest) if (dest / CURRENT).is_symlink() else None
    if live and not force:
        with _os_errors(f"de live release in {dest} kon niet vergeleken worden", UNCHANGED):
            if same_files(site, dest / RELEASES / live):
                return PublishResult(live, None, (), unchanged=True)
    name = release_name(now)
    with _os_errors(f"publiceren naar {dest} mislukte", UNCHANGED):
        _prepare(dest)
        _upload(site, dest, name)
        previous = current_release(dest)
        _switch(dest, name)
    with _os_errors(f"release {name} staat live op {dest}, maar oude releases opruimen mislukte"):
        removed = _prune(dest, keep)
    return PublishResult(name, previous, removed)


def same_files(first: Path, second: Path) -> bool:
    """True when both folders hold the same files with the same bytes."""
    if not second.is_dir():
        return False

    def listing(root: Path) -> list[str]:
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink())

    names = listing(first)
    if names != listing(second):
        return False
    return all(filecmp.cmp(first / name, second / name, shallow=False) for name in names)


def _prepare(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    (dest / RELEASES).mkdir(exist_ok=True)
    if (dest / CURRENT).exists() and not (dest / CURRENT).is_symlink():
        raise PublishError(f"{dest / CURRENT} bestaat maar is geen symbolische link; los dit eerst op.")


def _upload(site: Path, dest: Path, name: str) -> None:
    """Copy the build under a temporary name and rename it when complete."""
    final = dest / RELEASES / name
    if final.exists():
        raise PublishError(f"release {final} bestaat al; probeer opnieuw.")
    temporary = dest / RELEASES / f"{TMP_PREFIX}{name}"
    try:
        shutil.copytree(site, temporary)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)  # a full disk gets its space back
        raise
    os.replace(temporary, final)


def rollback_local(dest: Path) -> PublishResult:
    """Switch `current` back to the release before the live one."""
    with _os_errors(f"terugdraaien in {dest} mislukte", UNCHANGED):
        live = current_release(dest)
        releases = _releases(dest)
        if live is None or live not in releases or releases.index(live) == 0:
            raise PublishError(f"er is geen vorige release in {dest} om naar terug te keren.")
        previous = releases[releases.index(live) - 1]
        _switch(dest, previous)
    return PublishResult(previous, live, ())


@dataclass(frozen=True)
class RemoteTarget:
    """`user@host:/path`: uploaded with rsync over SSH, switched with the same symlink rename remotely."""

    host: str
    path: str

    @classmethod
    def parse(cls, target: str) -> RemoteTarget | None:
        if ":" not in target or target.startswith("/") or Path(target).exists():
            return None
        host, path = target.split(":", 1)
        return cls(host, path.rstrip("/") or "/")


def ssh_command() -> list[str]:
    """`ssh`, or $KENNISBANK_SSH_COMMAND (e.g. 'ssh -p 2222 -i ~/.ssh/kennisbank') for another port or key."""
    return shlex.split(os.environ.get("KENNISBANK_SSH_COMMAND", "ssh"))


def remote_commands(site: Path, target: RemoteTarget, name: str, keep: int) -> list[list[str]]:
    """The rsync and ssh commands of a remote publish (rsync reuses unchanged files of the live release)."""
    ssh = ssh_command()
    base = shlex.quote(target.path)
    tmp = f"{target.path}/{RELEASES}/{TMP_PREFIX}{name}"
    release = shlex.quote(f"{RELEASES}/{name}")
    switch = (
        f"set -e; cd {base}; mv {shlex.quote(f'{RELEASES}/{TMP_PREFIX}{name}')} {release}; "
        f"ln -sfn {release} {CURRENT}{TMP_PREFIX}new; mv -T {CURRENT}{TMP_PREFIX}new {CURRENT}; "
        f'ls -1d {RELEASES}/2* | head -n -{keep} | grep -v "$(readlink {CURRENT})" | xargs -r rm -rf; '
        f"rm -rf {RELEASES}/{TMP_PREFIX}*"
    )
    return [
        [*ssh, target.host, f"mkdir -p {base}/{RELEASES}"],
        [
            "rsync",
            "-a",
            "--delete",
            "-e",
            shlex.join(ssh),
            f"--link-dest={target.path}/{CURRENT}/",
            f"{site}/",
            f"{target.host}:{tmp}/",
        ],
        [*ssh, target.host, switch],
    ]


def publish_remote(site: Path, target: RemoteTarget, keep: int = 5, allow_examples: bool = False) -> PublishResult:
    check_build(site, allow_examples)
    name = release_name()
    for command in remote_commands(site, target, name, keep):
        with _os_errors(f"'{command[0]}' kon niet starten", UNCHANGED):  # e.g. rsync is not installed
            proc = subprocess.run(command, capture_output=True, text=True)
        if proc.returncode != 0:
            raise PublishError(f"'{command[0]} …' mislukte; de live site is niet gewijzigd:\n{proc.stderr}")
    return PublishResult(name, None, ())


def rollback_remote(target: RemoteTarget) -> PublishResult:
    base = shlex.quote(target.path)
    script = (
        f'set -e; cd {base}; live=$(basename "$(readlink {CURRENT})"); '
        f"prev=$(ls -1 {RELEASES} | grep -v '^\\.' | sort | grep -B1 -x \"$live\" | head -n 1); "
        f'[ -n "$prev" ] && [ "$prev" != "$live" ] || {{ echo \'geen vorige release\' >&2; exit 1; }}; '
        f"ln -sfn {RELEASES}/$prev {CURRENT}{TMP_PREFIX}new; mv -T {CURRENT}{TMP_PREFIX}new {CURRENT}; echo $prev"
    )
    with _os_errors(f"'{ssh_command()[0]}' kon niet starten", UNCHANGED):
        proc = subprocess.run([*ssh_command(), target.host, script], capture_output=True, text=True)
    if proc.returncode != 0:
        raise PublishError(f"terugdraaien mislukte: {proc.stderr.strip()}")
    return PublishResult(proc.stdout.strip(), None, ())
