"""The build marker: written as the very last file of a build, so a publish can tell a complete build."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

BUILD_MARKER = ".kennisbank-build.json"


def clear_build_marker(site: Path) -> None:
    """Remove the marker of an earlier build when a new one starts: a build that stops half-way must not
    leave new pages beside an old marker that vouches for them."""
    (site / BUILD_MARKER).unlink(missing_ok=True)


def write_build_marker(
    site: Path,
    stamp: datetime,
    tips: int,
    meetings: int,
    signals: int,
    example_content: bool,
    publish_problems: int,
) -> None:
    """Write the marker. `stamp` comes from the build date (not the clock): a rebuild of the same content is
    byte-identical. `example_content` (invented people or figures) and `publish_problems` (what the publish
    build refuses, e.g. tips without a real coach) tell publishing not to put this site on the intranet."""
    info = {
        "built_at": stamp.isoformat(timespec="seconds"),
        "tips": tips,
        "meetings": meetings,
        "signals": signals,
        "example_content": example_content,
        "publish_problems": publish_problems,
    }
    (site / BUILD_MARKER).write_text(json.dumps(info) + "\n", encoding="utf-8")
