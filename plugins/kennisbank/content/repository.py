"""The validated content of a knowledge base: what every later step (indexes, pages, exports) reads.

Its own module so that those steps name the type without depending on the loader that fills it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .images import ImageFile
from .models import Coach, Meeting, PathDocument, Signal, Taxonomy, Tip
from .nulmeting import Measurement
from .synonyms import SynonymGroups
from .usage import UsageMonth


def newest_first(tips: Iterable[Tip]) -> tuple[Tip, ...]:
    """Tips newest first; the slug breaks ties so every page and feed lists them the same way."""
    return tuple(sorted(tips, key=lambda t: (t.date, t.slug), reverse=True))


def chronological(meetings: Iterable[Meeting]) -> tuple[Meeting, ...]:
    """Meetings oldest first (one meeting per date)."""
    return tuple(sorted(meetings, key=lambda m: m.date))


def newest_signals_first(signals: Iterable[Signal]) -> tuple[Signal, ...]:
    """Signals most recently raised first."""
    return tuple(sorted(signals, key=lambda s: (s.raised_on, s.slug), reverse=True))


@dataclass
class Repository:
    """All content of the knowledge base, validated. The loader keeps tips `newest_first`, meetings
    `chronological`, signals `newest_signals_first`, learning paths by slug, nulmeting measurements and
    usage months oldest first."""

    root: Path
    taxonomy: Taxonomy | None
    coaches: dict[str, Coach] = field(default_factory=dict)
    chair_rotation: list[str] = field(default_factory=list)
    tips: list[Tip] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    paths: list[PathDocument] = field(default_factory=list)
    synonyms: SynonymGroups = field(default_factory=SynonymGroups)
    measurements: list[Measurement] = field(default_factory=list)
    usage: tuple[UsageMonth, ...] = ()  # usage figures per month, oldest first (tips/gebruik/)
    # The image files the tips, learning paths, meetings and signals show or link, by repository path, and
    # each document's images (by its source path).
    images: dict[str, ImageFile] = field(default_factory=dict)
    document_images: dict[str, tuple[str, ...]] = field(default_factory=dict)
