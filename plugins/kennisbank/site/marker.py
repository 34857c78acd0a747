"""The build marker: written as the very last file of a build, so a publish can tell a complete build."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

BUILD_MARKER = ".kennisbank-build.json"


def write_build_marker(site: Path, stamp: datetime, tips: int, meetings: int, signals: int) -> None:
    """Write the marker. `stamp` comes from the build date (not the clock): a rebuild of the same content is
    byte-identical."""
    info = {"built_at": stamp.isoformat(timespec="seconds"), "tips": tips, "meetings": meetings, "signals": signals}
    (site / BUILD_MARKER).write_text(json.dumps(info) + "\n", encoding="utf-8")
