"""How dates and titles are written in Dutch (Flemish usage), the same on every page and in every export."""

from __future__ import annotations

import functools
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from ..content.models import Meeting, Signal


@functools.lru_cache(maxsize=4096)  # Babel's formatting is slow; pages show the same dates often
def nl_date(value: date) -> str:
    """'dinsdag 2 december 2026' — Flemish long date."""
    return format_date(value, "EEEE d MMMM y", locale="nl_BE")


@functools.lru_cache(maxsize=4096)
def nl_date_short(value: date | str) -> str:
    """'2 december 2026'."""
    value = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(value, "d MMMM y", locale="nl_BE")


@functools.lru_cache(maxsize=4096)
def nl_month(value: date) -> str:
    """'november 2026'."""
    return format_date(value, "MMMM y", locale="nl_BE")


def nl_number(value: float | Decimal, digits: int = 1) -> str:
    """'2,4': a decimal number with a comma, as a Flemish reader writes it; rounded half up (2,25 is 2,3) from
    its decimal text, never by float rounding."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    shown = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return format_decimal(shown, format="0." + "0" * digits, locale="nl_BE")


def nl_signed(value: float | Decimal, digits: int = 1) -> str:
    """'+0,3' or '−0,2' (a real minus sign): a change, always with its sign."""
    text = nl_number(abs(value) if isinstance(value, Decimal) else abs(value), digits)  # one type per abs()
    return ("+" if value >= 0 else "−") + text


def meeting_title(meeting: Meeting) -> str:
    """'Digicoachoverleg dinsdag 1 december 2026': page title, heading, Word title and calendar subject."""
    return f"Digicoachoverleg {nl_date(meeting.date)}"


def signal_title(signal: Signal) -> str:
    """The page title of a signal."""
    return f"Signaal: {signal.title}"
