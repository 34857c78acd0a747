"""The validated content of a knowledge base: what every later step (indexes, pages, exports) reads.

Its own module so that those steps name the type without depending on the loader that fills it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .models import Coach, Meeting, Signal, Taxonomy, Tip
from .synonyms import SynonymGroups


@dataclass
class Repository:
    """All content of the knowledge base, validated. Lists are sorted for stable output."""

    root: Path
    taxonomy: Taxonomy | None
    coaches: dict[str, Coach] = field(default_factory=dict)
    chair_rotation: list[str] = field(default_factory=list)
    tips: list[Tip] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    synonyms: SynonymGroups = field(default_factory=SynonymGroups)
