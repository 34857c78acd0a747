"""Rules for a nulmeting file (`tips/nulmeting/*.yml`) beyond its shape: known ids, consistent numbers, and
no group of fewer than `minimum_group` colleagues shown, directly or by subtraction from the totals.

Someone may edit the file by hand; these rules keep a hand edit from publishing a small group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from ..content.messages import field_label
from ..content.models import Taxonomy
from ..content.nulmeting import LEVELS, Group, Headcount, MeasurementFile, average
from ..content.problems import Problem, unknown_value_message
from ..content.sourcefile import FieldPath, Positions
from ..policy import MIN_GROUP

AVERAGE_TOLERANCE = 0.006  # the file rounds averages to two decimals
At = Callable[[FieldPath, str], None]  # reports a problem at a field path


def check_measurement(
    measurement: MeasurementFile, rel_path: str, positions: Positions, taxonomy: Taxonomy | None, today: date
) -> list[Problem]:
    """Every problem of one validated measurement file, positioned at the offending key."""
    problems: list[Problem] = []

    def at(path: FieldPath, message: str) -> None:
        problems.append(Problem(rel_path, *positions.of(path), field_label(path), message))

    if measurement.date > today:
        at(("date",), f"de datum {measurement.date} ligt in de toekomst (vandaag is {today}).")
    if measurement.minimum_group < MIN_GROUP:
        at(
            ("minimum_group",),
            f"minimum_group moet minstens {MIN_GROUP} zijn: kleinere groepen mogen nooit getoond worden.",
        )
    minimum = max(measurement.minimum_group, MIN_GROUP)
    if taxonomy is not None:
        _unknown_keys(at, ("municipalities",), measurement.municipalities, taxonomy.municipalities, "gemeente")
        _unknown_keys(at, ("tools",), measurement.tools, taxonomy.tools, "tool")
        _unknown_keys(at, ("departments",), measurement.departments, taxonomy.departments, "dienst")
        for key, department in measurement.departments.items():
            _unknown_keys(at, ("departments", key, "tools"), department.tools, taxonomy.tools, "tool")

    for key, count in measurement.municipalities.items():
        _check_headcount(at, ("municipalities", key), count, minimum)
    for key, group in measurement.tools.items():
        _check_group(at, ("tools", key), group, minimum)
    for key, department in measurement.departments.items():
        path: FieldPath = ("departments", key)
        _check_headcount(at, path, department, minimum)
        if department.suppressed and department.tools:
            at((*path, "tools"), "een onderdrukte dienst toont ook per tool niets; verwijder 'tools'.")
        for tool, group in department.tools.items():
            _check_group(at, (*path, "tools", tool), group, minimum)
            if tool not in measurement.tools and (taxonomy is None or tool in taxonomy.tools):
                at((*path, "tools", tool), f"'{tool}' staat niet bij tools (alle diensten samen); voeg het daar toe.")
            if group.shown and department.shown and (group.respondents or 0) > (department.respondents or 0):
                at(
                    (*path, "tools", tool, "respondents"),
                    f"{group.respondents} antwoorden voor deze tool, maar de dienst telt maar "
                    f"{department.respondents} respondenten.",
                )
    if not measurement.tools:
        at(("tools",), "een meting zonder tools toont niets; lees de export opnieuw in of verwijder het bestand.")
    if measurement.respondents < minimum:
        at(
            ("respondents",),
            f"een meting met {measurement.respondents} respondent(en) is te klein om te tonen (minstens {minimum}).",
        )
    _check_totals(at, measurement)
    _check_subtraction(at, measurement, minimum)
    _check_headcount_subtraction(at, measurement, "municipalities", measurement.municipalities, minimum)
    _check_headcount_subtraction(at, measurement, "departments", measurement.departments, minimum)
    return problems


def _check_totals(at: At, measurement: MeasurementFile) -> None:
    """No group counts more colleagues than took part."""
    total = measurement.respondents
    for kind, groups in (("municipalities", measurement.municipalities), ("departments", measurement.departments)):
        counted = sum(group.respondents or 0 for group in groups.values() if group.shown)
        if counted > total:
            at((kind,), f"samen {counted} respondenten, meer dan de {total} van de hele meting (respondents).")
    for tool, group in measurement.tools.items():
        if group.shown and (group.respondents or 0) > total:
            at(("tools", tool, "respondents"), f"{group.respondents} antwoorden, meer dan de {total} respondenten.")


def _unknown_keys(at: At, path: FieldPath, found: Iterable[str], allowed: Mapping[str, object], noun: str) -> None:
    for key in found:
        if key not in allowed:
            at((*path, key), unknown_value_message(noun, key, list(allowed)))


def _check_headcount(at: At, path: FieldPath, count: Headcount, minimum: int) -> None:
    if count.suppressed:
        if count.respondents is not None or (isinstance(count, Group) and (count.levels or count.average)):
            at(
                path,
                "een onderdrukte groep toont geen cijfers: laat alleen 'suppressed: true' staan "
                "(of zet suppressed op false als de groep groot genoeg is).",
            )
        return
    if count.respondents is None:
        at(path, "verplicht: 'respondents' (het aantal antwoorden), of 'suppressed: true' voor een kleine groep.")
    elif 0 < count.respondents < minimum:  # 0: nobody answered, which reveals no one
        at(
            (*path, "respondents"),
            f"een groep van {count.respondents} antwoorden is te klein om te tonen (minstens {minimum}); "
            "vervang de cijfers door 'suppressed: true'.",
        )


def _check_group(at: At, path: FieldPath, group: Group, minimum: int) -> None:
    _check_headcount(at, path, group, minimum)
    if group.suppressed or group.respondents is None:
        return
    if group.respondents == 0 and group.levels is None and group.average is None:
        return
    if group.levels is None or group.average is None:
        at(path, "verplicht: 'levels' (aantal per niveau) en 'average' (het gemiddelde niveau).")
        return
    for level in group.levels:
        if level not in LEVELS:
            at((*path, "levels", level), unknown_value_message("niveau", level, LEVELS))
    levels = {level: n for level, n in group.levels.items() if level in LEVELS}
    total = sum(levels.values())
    if total != group.respondents:
        at((*path, "levels"), f"de niveaus tellen op tot {total}, maar respondents is {group.respondents}.")
    elif abs(average(levels) - group.average) > AVERAGE_TOLERANCE:
        at((*path, "average"), f"het gemiddelde van deze niveaus is {average(levels):.2f}, niet {group.average}.")


def _check_subtraction(at: At, measurement: MeasurementFile, minimum: int) -> None:
    """The total of a tool minus its shown departments is the group of all hidden answers together (small
    departments, suppressed cells, colleagues without a known department): it must be empty or large enough."""
    for tool, overall in measurement.tools.items():
        shown = {
            key: department.tools[tool]
            for key, department in measurement.departments.items()
            if department.shown and tool in department.tools and department.tools[tool].shown
        }
        if not overall.shown:
            for key in shown:
                at(
                    ("departments", key, "tools", tool),
                    f"de tool '{tool}' is voor alle diensten samen onderdrukt; dan kan geen enkele dienst hem tonen.",
                )
            continue
        hidden = (overall.respondents or 0) - sum(group.respondents or 0 for group in shown.values())
        if hidden < 0:
            at(("tools", tool, "respondents"), "de diensten samen tellen meer antwoorden dan het totaal.")
        elif 0 < hidden < minimum:
            smallest = min(shown, key=lambda key: (shown[key].respondents or 0, key), default=None)
            advice = f" Onderdruk ook departments.{smallest}.tools.{tool}." if smallest else ""
            at(
                ("tools", tool),
                f"het totaal min de getoonde diensten laat {hidden} antwoord(en) over: zo is een groep van minder "
                f"dan {minimum} af te leiden.{advice}",
            )


def _check_headcount_subtraction(
    at: At, measurement: MeasurementFile, kind: str, groups: Mapping[str, Headcount], minimum: int
) -> None:
    """The total respondents minus the shown groups is every hidden respondent together (suppressed groups and
    colleagues without a known group): it must be empty or large enough."""
    shown = {key: group.respondents or 0 for key, group in groups.items() if group.shown}
    hidden = measurement.respondents - sum(shown.values())
    if shown and 0 < hidden < minimum:
        smallest = min(shown, key=lambda key: (shown[key], key))
        at(
            (kind,),
            f"het totaal (respondents: {measurement.respondents}) min de getoonde groepen laat {hidden} "
            f"respondent(en) over: zo is een groep van minder dan {minimum} af te leiden. Onderdruk ook "
            f"{kind}.{smallest} (suppressed: true).",
        )


# --- two measurements side by side ---------------------------------------------------------------------------
#
# Two published measurements that count the same colleagues but for a few show those few colleagues' answers:
# "ICT x Excel: 7 answers, 2 gevorderd" in one file and "8 answers, 3 gevorderd" in the other says that the one
# extra colleague is gevorderd in Excel, and so on for every tool. That is what a corrected export read in as a
# new measurement does, whatever date it is given. Two independent measurements (months apart, or of two
# municipalities) also differ by 1 to 4 in some groups, but there the colleagues are others or answered anew,
# so the difference is not one person's answers; a rule that refused those would block every second
# measurement. So a pair is compared only when it looks like two versions of one export: in at least half of
# the tool groups shown in both, one version holds the other's answers per level plus at most MIN_GROUP - 1
# more (or exactly the same). Independent measurements practically never do: their level counts move up and
# down, or differ by many.
# Residual risk: a version that also changed many answers (not only added or removed colleagues) is not
# recognised, nor is a second real measurement in which only a few colleagues took part anew; and a real
# second measurement that happens to match the first in most groups is refused (an error to resolve by hand,
# never a leak).


def _counts(measurement: MeasurementFile) -> dict[tuple[str, ...], int]:
    """Every shown count of a measurement, keyed by (kind, id[, tool]); the total is ("respondents",)."""
    counts: dict[tuple[str, ...], int] = {("respondents",): measurement.respondents}
    for key, municipality in measurement.municipalities.items():
        if municipality.shown and municipality.respondents is not None:
            counts[("municipalities", key)] = municipality.respondents
    for key, group in measurement.tools.items():
        if group.shown and group.respondents is not None:
            counts[("tools", key)] = group.respondents
    for key, department in measurement.departments.items():
        if department.shown and department.respondents is not None:
            counts[("departments", key)] = department.respondents
            for tool, group in department.tools.items():
                if group.shown and group.respondents is not None:
                    counts[("departments", key, tool)] = group.respondents
    return counts


def _level_groups(measurement: MeasurementFile) -> dict[tuple[str, ...], tuple[int, ...]]:
    """The answers per level of every shown tool group (all departments and per department)."""
    groups: dict[tuple[str, ...], Group] = {("tools", key): group for key, group in measurement.tools.items()}
    for key, department in measurement.departments.items():
        if department.shown:
            groups.update({("departments", key, tool): group for tool, group in department.tools.items()})
    return {
        key: tuple((group.levels or {}).get(level, 0) for level in LEVELS)
        for key, group in groups.items()
        if group.shown and group.respondents
    }


def _nested(first: tuple[int, ...], second: tuple[int, ...], minimum: int) -> bool:
    """One group's answers per level hold the other's, plus fewer than `minimum` more (or none)."""
    low, high = sorted((first, second), key=sum)
    return all(h >= lo for h, lo in zip(high, low, strict=True)) and sum(high) - sum(low) < minimum


def look_alike(first: MeasurementFile, second: MeasurementFile, minimum: int = MIN_GROUP) -> bool:
    """Versions of one export: in at least half of the tool groups shown in both, one holds the other's
    answers plus a few (see the comment above)."""
    a, b = _level_groups(first), _level_groups(second)
    common = a.keys() & b.keys()
    return bool(common) and 2 * sum(_nested(a[key], b[key], minimum) for key in common) >= len(common)


def small_differences(old: MeasurementFile, new: MeasurementFile, minimum: int = MIN_GROUP) -> tuple[str, ...]:
    """The groups shown in both measurements whose count differs by 1 to `minimum` - 1, as dotted field
    paths ("departments.ict.excel"): publishing both would reveal the few colleagues that differ."""
    before, after = _counts(old), _counts(new)
    return tuple(
        ".".join(key) for key, count in after.items() if key in before and 0 < abs(count - before[key]) < minimum
    )


def revealing_differences(first: MeasurementFile, second: MeasurementFile) -> tuple[str, ...]:
    """The small differences of two versions of one export (none for independent measurements, or when one of
    the two is example content)."""
    minimum = max(first.minimum_group, second.minimum_group, MIN_GROUP)
    if getattr(first, "example", False) != getattr(second, "example", False) or not look_alike(first, second, minimum):
        return ()
    return small_differences(first, second, minimum)


def shown_paths(paths: tuple[str, ...], limit: int = 8) -> str:
    """A list of field paths as a message shows it."""
    return ", ".join(paths[:limit]) + (f" … (nog {len(paths) - limit})" if len(paths) > limit else "")
