"""Who colleagues can turn to: the active coaches per department and municipality, the digi-experts and the
former coaches. Built once; the department pages, the coach directory, the search help and the coverage
figures all read it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..content.models import Coach
from ..content.repository import Repository


@dataclass(frozen=True)
class CoachDirectory:
    """Active coaches, each list by name."""

    # Per department: its municipalities (vocabulary order) with their coaches; an empty tuple is a gap.
    departments: Mapping[str, Mapping[str, tuple[Coach, ...]]]
    # Per municipality (vocabulary order): its active coaches in department order, for the directory page.
    by_municipality: tuple[tuple[str, tuple[Coach, ...]], ...]
    experts: tuple[Coach, ...]  # active digi-experts: the contact where a department has no coach
    former: tuple[Coach, ...]

    def of_department(self, department: str) -> Mapping[str, tuple[Coach, ...]]:
        """The department's municipalities with their coaches (empty mapping for an unknown department)."""
        return self.departments.get(department, {})

    def contacts(self, department: str) -> tuple[Coach, ...]:
        """Everyone to ask in a department: its coaches, or the digi-experts when it has none."""
        found = tuple(c for coaches in self.of_department(department).values() for c in coaches)
        return found or self.experts


def coach_directory(repository: Repository) -> CoachDirectory:
    """The directory of the repository's coaches."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    by_name = sorted(repository.coaches.values(), key=lambda c: c.name)
    active = [c for c in by_name if c.active]
    cells: dict[tuple[str, str], tuple[Coach, ...]] = {}
    for coach in active:
        key = (coach.department, coach.municipality)
        cells[key] = (*cells.get(key, ()), coach)
    departments = {
        department: {m: cells.get((department, m), ()) for m in term.municipalities or taxonomy.municipalities}
        for department, term in taxonomy.departments.items()
    }
    order = {d: i for i, d in enumerate(taxonomy.departments)}
    in_department_order = sorted(active, key=lambda c: (order.get(c.department, 99), c.name))
    by_municipality = tuple(
        (m, tuple(c for c in in_department_order if c.municipality == m)) for m in taxonomy.municipalities
    )
    return CoachDirectory(
        departments=departments,
        by_municipality=by_municipality,
        experts=tuple(c for c in active if c.role == "digi-expert"),
        former=tuple(c for c in by_name if not c.active),
    )
