"""Validation problems: one typed record per finding, and their Dutch text and GitHub formats."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding in one file, positioned at the offending key or body line."""

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def format_text(self) -> str:
        """`path:line:col: field: message` — the format editors and CI logs can jump to."""
        prefix = "waarschuwing: " if self.severity is Severity.WARNING else ""
        # Quoted input may hold control characters (a YAML escape in a key): never send them to a terminal.
        return _visible(f"{self.path}:{self.line}:{self.col}: {self.field}: {prefix}{self.message}")

    def format_github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the pull request's diff."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        # Workflow commands end at a newline; '%' must be escaped first.
        text = _visible(f"{self.field}: {self.message}").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::{kind} file={path},line={self.line},col={self.col}::{text}"


# Also the direction controls and marks: quoted in a message, they would turn the rest of the line around.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def suggest(value: str, allowed: Iterable[str]) -> str | None:
    """The closest allowed value to a near miss (e.g. 'outlok' -> 'outlook'), or None."""
    candidates = list(allowed)
    lowered = {c.lower(): c for c in candidates}
    if value.lower() in lowered and lowered[value.lower()] != value:
        return lowered[value.lower()]
    matches = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    if matches:
        return lowered[matches[0]]
    # A shortened id ('sofie' for 'sofie-claeys') is a near miss too, when it points at one value only.
    starts = [c for c in lowered if len(value) >= 3 and c.startswith(value.lower())]
    return lowered[starts[0]] if len(starts) == 1 else None


def allowed_text(allowed: Iterable[str], limit: int = 25) -> str:
    """A readable list of allowed values, shortened when the vocabulary is long."""
    values = sorted(allowed)
    if len(values) > limit:
        return ", ".join(values[:limit]) + f", … ({len(values)} in totaal)"
    return ", ".join(values)


def unknown_value_message(kind: str, value: object, allowed: Iterable[str]) -> str:
    """Dutch message for an id that is not in a vocabulary, with allowed values and a suggestion."""
    allowed = list(allowed)
    message = f"onbekende waarde '{value}' voor {kind}. Toegestaan: {allowed_text(allowed)}."
    hint = suggest(str(value), allowed)
    if hint:
        message += f" Bedoelde je '{hint}'?"
    return message


def summary_line(problems: list[Problem], files_checked: int) -> str:
    """The one-line closing summary of a validation run."""
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    # Counted per severity: "0 fout(en) en 4 waarschuwing(en) in 0 bestand(en)" read as if nothing was found.
    files_with_errors = len({p.path for p in problems if p.severity is Severity.ERROR})
    files_with_warnings = len({p.path for p in problems if p.severity is not Severity.ERROR})
    if not problems:
        return f"OK: {files_checked} bestanden gecontroleerd, geen fouten."
    return (
        f"{errors} fout(en) in {files_with_errors} bestand(en) en {warnings} waarschuwing(en) in "
        f"{files_with_warnings} bestand(en); {files_checked} bestanden gecontroleerd."
    )
