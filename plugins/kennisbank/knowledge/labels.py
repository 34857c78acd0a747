"""Dutch labels of vocabulary ids and coach ids: what a colleague reads instead of `burgerzaken`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..content.models import ALL_DEPARTMENTS, UNCLAIMED, Coach, Taxonomy

ALL_DEPARTMENTS_LABEL = "Alle diensten"
UNCLAIMED_LABEL = "nog geen digicoach"  # `coach: over-te-nemen`: a generic tip nobody has taken over yet


@dataclass(frozen=True)
class Labels:
    """Looks up labels; the id itself comes back when it is unknown (nothing breaks on a stray id)."""

    taxonomy: Taxonomy
    coaches: Mapping[str, Coach]

    def __call__(self, kind: str, value_id: str) -> str:
        """Label of `value_id` in the vocabulary `kind` ('departments', 'tools', ..., or 'coaches')."""
        if kind == "coaches":
            if value_id == UNCLAIMED:
                return UNCLAIMED_LABEL
            coach = self.coaches.get(value_id)
            return coach.name if coach else value_id
        if kind == "departments" and value_id == ALL_DEPARTMENTS:
            return ALL_DEPARTMENTS_LABEL
        term = getattr(self.taxonomy, kind, {}).get(value_id)
        return term.label if term else value_id

    def name(self, coach_id: str | None) -> str:
        """A coach's name, or a dash when nobody is named."""
        return self("coaches", coach_id) if coach_id else "—"
