"""New content files from the command line: never overwrites, always valid front matter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from .agenda import MEETING_INTERVAL
from .loader import ContentLayout, Repository


class ScaffoldError(ValueError):
    """A file cannot be created (it exists, or there is nothing to base it on); the message is Dutch."""


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str


def front_matter(data: dict[str, object], body: str = "") -> str:
    """A Markdown file with YAML front matter in the style of the content files."""
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
    return f"---\n{dumped}---\n{body}"


def _next_in_rotation(rotation: list[str], current: str | None) -> str | None:
    if not rotation:
        return current
    if current not in rotation:
        return rotation[0]
    return rotation[(rotation.index(current) + 1) % len(rotation)]


def new_meeting(repository: Repository, on: date | None = None, layout: ContentLayout | None = None) -> NewFile:
    """The next meeting: three weeks after the last one, the next chair in the rotation, same place and hours."""
    layout = layout or ContentLayout()
    meetings = sorted(repository.meetings, key=lambda m: m.date)
    if not meetings and on is None:
        raise ScaffoldError("er is nog geen overleg; geef de datum op met --date JJJJ-MM-DD.")
    last = meetings[-1] if meetings else None
    day = on or (last.date + MEETING_INTERVAL if last else date.today())
    path = repository.root / layout.meetings_dir / f"{day.isoformat()}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(repository.root)} bestaat al; er wordt niets overschreven.")
    chair = _next_in_rotation(repository.chair_rotation, last.chair if last else None)
    if chair is None:
        raise ScaffoldError("geen voorzitter: vul chair_rotation in tips/coaches.yml in.")
    data: dict[str, object] = {
        "date": day.isoformat(),
        "start": last.start if last else "13:30",
        "end": last.end if last else "15:00",
        "location": last.location if last else "Te bepalen",
        "chair": chair,
    }
    if last and last.chair != chair:
        data["minute_taker"] = last.chair
    data["items"] = []
    return NewFile(path, front_matter(data))


def write_new(file: NewFile) -> None:
    """Create the file; refuses to overwrite even if it appeared after planning (exclusive create)."""
    file.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with file.path.open("x", encoding="utf-8") as handle:
            handle.write(file.text)
    except FileExistsError:
        raise ScaffoldError(f"{file.path} bestaat al; er wordt niets overschreven.") from None
