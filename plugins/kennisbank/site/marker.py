"""The build marker: written as the very last file of a build, so a publish can tell a complete build."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

BUILD_MARKER = ".kennisbank-build.json"


def write_build_marker(
    site: Path, stamp: datetime, tips: int, meetings: int, signals: int, example_content: bool
) -> None:
    """Write the marker. `stamp` comes from the build date (not the clock): a rebuild of the same content is
    byte-identical. `example_content` tells publishing that the site shows invented people or figures."""
    info = {
        "built_at": stamp.isoformat(timespec="seconds"),
        "tips": tips,
        "meetings": meetings,
        "signals": signals,
        "example_content": example_content,
    }
    (site / BUILD_MARKER).write_text(json.dumps(info) + "\n", encoding="utf-8")
