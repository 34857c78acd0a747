"""The build date as an input.

Everything that depends on "today" (stale tips, new tips, overdue actions, the next meeting, agendas)
takes a `date` argument. Only the edges (the CLI, the MkDocs adapter) call `resolve_today`, so a build
can be repeated for any date and the tests do not depend on the day they run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, time

ENV_VAR = "KENNISBANK_TODAY"
EPOCH_VAR = "SOURCE_DATE_EPOCH"  # https://reproducible-builds.org/specs/source-date-epoch/


class TodayError(ValueError):
    """A build date that is not a valid JJJJ-MM-DD date. The message is Dutch."""


def parse_day(value: date | str, origin: str) -> date:
    """A date from a date object or a JJJJ-MM-DD text; `origin` names where it came from in the message."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise TodayError(f"{origin}: '{value}' is geen datum; schrijf JJJJ-MM-DD, bv. 2026-11-29.") from None


def resolve_today(
    explicit: date | str | None = None,
    configured: date | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> date:
    """The date a run works with: an explicit value (--today), then $KENNISBANK_TODAY, then the
    configured value (plugin option `today`), then the real date."""
    environ = os.environ if environ is None else environ
    if explicit is not None:
        return parse_day(explicit, "--today")
    if environ.get(ENV_VAR, "").strip():
        return parse_day(environ[ENV_VAR], ENV_VAR)
    if configured is not None:
        return parse_day(configured, "today (in mkdocs.yml)")
    return date.today()


def resolve_stamp(today: date, environ: Mapping[str, str] | None = None) -> datetime:
    """The moment written into generated files (calendar stamps, Word metadata, the build marker).

    $SOURCE_DATE_EPOCH when set, else midnight UTC of the build date: the same content on the same date
    gives byte-identical files, so a publish can skip an unchanged site."""
    environ = os.environ if environ is None else environ
    raw = environ.get(EPOCH_VAR, "").strip()
    if raw:
        try:
            return datetime.fromtimestamp(int(raw), UTC)
        except (ValueError, OverflowError, OSError):
            raise TodayError(f"{EPOCH_VAR}: '{raw}' is geen aantal seconden sinds 1970-01-01.") from None
    return datetime.combine(today, time(0), tzinfo=UTC)
