"""The anonymised result of a nulmeting (a skills survey): one file `tips/nulmeting/<jjjj-mm>.yml` per measurement.

`kennisbank nulmeting import` writes these files from a Microsoft Forms export (`ops/nulmeting_anonymise.py`).
Coaches may edit them by hand, so they are content: the loader reads them and `checks/nulmeting.py` checks
them like tips, with file and line. They hold only counts, levels and averages of groups of at least
`policy.MIN_GROUP` colleagues; a smaller group is written as `{suppressed: true}`, never with its numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import Field

from ..policy import MIN_GROUP
from .models import ExampleFlag, IsoDate, SourceData, Strict

# The self-assessed levels, lowest first; the score of a level is its place (1-4), averages use the scores.
# "geen" is "Ik ken de basis niet"; the other three are the taxonomy's difficulties.
LEVELS = ("geen", "basis", "gevorderd", "expert")
LEVEL_LABELS = {"geen": "geen basis", "basis": "basis", "gevorderd": "gevorderd", "expert": "expert"}
SCORES = {level: score for score, level in enumerate(LEVELS, start=1)}
TOP_SCORE = len(LEVELS)

Count = Annotated[int, Field(ge=0)]
Average = Annotated[float, Field(ge=1, le=TOP_SCORE, allow_inf_nan=False)]


class Headcount(Strict):
    """How many colleagues of a group answered; or only that the group is too small to show."""

    suppressed: bool = False
    respondents: Count | None = None

    @property
    def shown(self) -> bool:
        """The group's numbers may be shown (they are there and it is not suppressed)."""
        return not self.suppressed and self.respondents is not None


class Group(Headcount):
    """The answers of one group to one topic: how many per level and the average level (1 = geen basis,
    4 = expert); or `suppressed: true` and nothing else."""

    levels: dict[str, Count] | None = None
    average: Average | None = None

    @property
    def shown(self) -> bool:
        return super().shown and self.levels is not None and self.average is not None

    @property
    def shown_average(self) -> Decimal | None:
        """The average as the site shows it: one decimal, rounded half up once from the exact fraction of the
        levels (the file's two decimals are already rounded: 2.051 is written 2.05 and must show 2,1)."""
        return rounded_average(self.levels) if self.shown and self.levels else None


class DepartmentResult(Headcount):
    """One department: its number of respondents and its groups per topic (tool id)."""

    tools: dict[str, Group] = Field(default_factory=dict)


class MeasurementFile(Strict):
    """What a measurement file holds. Keys of `municipalities`, `tools` and `departments` are taxonomy ids."""

    date: IsoDate
    respondents: Count
    minimum_group: int = MIN_GROUP
    municipalities: dict[str, Headcount] = Field(default_factory=dict)
    tools: dict[str, Group]
    departments: dict[str, DepartmentResult] = Field(default_factory=dict)
    example: ExampleFlag = False  # invented sample figures: never the "vorige meting" of a real measurement


class Measurement(SourceData, MeasurementFile):
    """A validated measurement with its place in the repository."""

    kind: ClassVar[str] = "nulmeting"


def average(levels: Mapping[str, int]) -> float:
    """The average score of a level distribution (0.0 for nobody)."""
    total = sum(levels.values())
    return sum(SCORES[level] * count for level, count in levels.items()) / total if total else 0.0


def rounded_average(levels: Mapping[str, int], digits: int = 1) -> Decimal | None:
    """The average score of a level distribution rounded half up to `digits` decimals, in integer arithmetic
    (no float, no banker's rounding); None for nobody."""
    total = sum(n for level, n in levels.items() if level in SCORES)
    if not total:
        return None
    points = sum(SCORES[level] * n for level, n in levels.items() if level in SCORES)
    scale = 10**digits
    return Decimal((2 * scale * points + total) // (2 * total)).scaleb(-digits)


FILE_HEADER = """\
# Nulmeting digitale vaardigheden: het geanonimiseerde resultaat van een bevraging (Microsoft Forms).
# Gemaakt met 'kennisbank nulmeting import'; je mag het met de hand aanpassen, 'kennisbank validate' controleert het.
# Er staan geen namen, e-mailadressen, tijdstippen of vrije antwoorden in, alleen aantallen per groep.
# Niveaus: geen (= "Ik ken de basis niet", 1), basis (2), gevorderd (3), expert (4); average is het gemiddelde.
# Een groep met minder dan {minimum} antwoorden staat er als 'suppressed: true' (onderdrukt), zonder cijfers; soms
# ook een iets grotere groep, zodat niemand een kleine groep kan afleiden door de diensten af te trekken van het totaal.
"""


def _flow(group: Headcount) -> str:
    if not group.suppressed and group.respondents == 0:
        return "{respondents: 0}"  # nobody answered
    if not group.shown:
        return "{suppressed: true}"
    parts = [f"respondents: {group.respondents}"]
    if isinstance(group, Group) and group.levels is not None and group.average is not None:
        levels = ", ".join(f"{level}: {group.levels.get(level, 0)}" for level in LEVELS)
        parts += [f"levels: {{{levels}}}", f"average: {group.average:.2f}"]
    return "{" + ", ".join(parts) + "}"


def dump_measurement(measurement: MeasurementFile) -> str:
    """The YAML text of a measurement file: one line per group, in the given (taxonomy) order."""
    lines = [
        FILE_HEADER.format(minimum=measurement.minimum_group).rstrip("\n"),
        *(["example: true"] if measurement.example else []),
        f"date: {measurement.date.isoformat()}",
        f"respondents: {measurement.respondents}",
        f"minimum_group: {measurement.minimum_group}",
        "municipalities:" + ("" if measurement.municipalities else " {}"),
        *(f"  {key}: {_flow(count)}" for key, count in measurement.municipalities.items()),
        "tools:" + ("" if measurement.tools else " {}"),
        *(f"  {key}: {_flow(group)}" for key, group in measurement.tools.items()),
        "departments:" + ("" if measurement.departments else " {}"),
    ]
    for key, department in measurement.departments.items():
        if not department.shown:
            lines.append(f"  {key}: {{suppressed: true}}")
            continue
        lines += [
            f"  {key}:",
            f"    respondents: {department.respondents}",
            "    tools:" + ("" if department.tools else " {}"),
        ]
        lines += [f"      {tool}: {_flow(group)}" for tool, group in department.tools.items()]
    return "\n".join(lines) + "\n"
