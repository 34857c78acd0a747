"""The follow-up reports, by name: the command line offers them without loading the reports and Excel."""

from __future__ import annotations

REPORTS = ("signals", "stale", "coverage")
