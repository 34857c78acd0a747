"""The kinds of file that have a JSON Schema (`content.schema.SCHEMAS`), by name: the command line offers them
without loading the models. A test checks that both say the same."""

from __future__ import annotations

SCHEMA_NAMES = ("tip", "path", "meeting", "signal", "coaches", "taxonomy")
