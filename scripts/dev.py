"""The README's commands without make or bash, for a PC with only Python (Windows, say).

Usage: python scripts/dev.py serve      # install what is needed, then show the site at http://127.0.0.1:8000
       python scripts/dev.py validate   # check every tip
       python scripts/dev.py build      # build the site into site/
       python scripts/dev.py test [pytest options]
       python scripts/dev.py start      # from the sample to your own kennisbank (asks its questions)

Like `make`, it creates .venv on first use and installs the pinned versions (requirements.lock) again only when
pyproject.toml or requirements.lock changed. The browser tests need Chromium: on Linux `make test` installs it,
elsewhere set KENNISBANK_CHROMIUM to a Chromium or Chrome program.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-stamp"  # the same stamp as the Makefile's
INPUTS = (ROOT / "pyproject.toml", ROOT / "requirements.lock")
COMMANDS = ("serve", "validate", "build", "test", "start")


def _run(*command: str | Path) -> int:
    return subprocess.call([str(part) for part in command], cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def ensure_venv() -> None:
    """Create .venv and install the pinned dependencies when they are missing or out of date."""
    if sys.version_info < (3, 11):  # noqa: UP036 -- this script runs on whatever Python the PC has
        raise SystemExit(f"Python 3.11 of nieuwer is nodig; dit is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Eenmalig: een eigen Python-omgeving maken in .venv …", flush=True)
        STAMP.unlink(missing_ok=True)  # a .venv copied from another system (WSL, OneDrive) is not installed here
        venv.create(VENV, with_pip=True)
    newest = max(path.stat().st_mtime for path in INPUTS)
    if STAMP.exists() and STAMP.stat().st_mtime >= newest:
        return
    print("De benodigde pakketten installeren (de eerste keer duurt dat enkele minuten) …", flush=True)
    for command in (
        ("-m", "pip", "install", "--quiet", "--upgrade", "pip"),
        ("-m", "pip", "install", "--quiet", "-c", "requirements.lock", "-e", ".[dev]"),
    ):
        if _run(PYTHON, *command) != 0:
            raise SystemExit("Installeren is mislukt; zie de melding hierboven.")
    STAMP.touch()


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("serve", [])
    if command not in COMMANDS:
        print(f"Onbekend commando '{command}'. Kies uit: {', '.join(COMMANDS)}.", file=sys.stderr)
        return 2
    ensure_venv()
    if command == "serve":
        return _run(PYTHON, "-m", "kennisbank.ops.cli", "serve", *rest)
    if command in ("validate", "start"):
        return _run(PYTHON, "-m", "kennisbank.ops.cli", command, *rest)
    if command == "build":
        return _run(PYTHON, "-m", "mkdocs", "build", "--strict", *rest)
    code = _run(PYTHON, "-m", "pytest", *rest)
    return 1 if code == 5 else code  # 5: no tests collected, a broken suite rather than a pass


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
