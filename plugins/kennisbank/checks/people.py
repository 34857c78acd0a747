"""People data that must hold together across files: who still takes part, and which department exists in
which municipality.

An inactive coach (`active: false` in coaches.yml) is history: as the author of an existing tip or path that is
worth a warning (colleagues see the name as the one to ask), in `chair_rotation` it is an error, because
`kennisbank new-meeting` would make that person chair, and so it is a warning for a meeting still to come."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ..content.kinds import KINDS_BY_NAME
from ..content.models import ALL_DEPARTMENTS, Coach, CoachList, Meeting, PathDocument, Signal, Taxonomy, Tip
from ..content.problems import Problem, Severity, allowed_text, suggest
from ..content.sourcefile import Positions


def active_ids(coaches: Sequence[Coach] | Mapping[str, Coach]) -> list[str]:
    """The ids of the coaches who still take part, in file order."""
    values = coaches.values() if isinstance(coaches, Mapping) else coaches
    return [coach.id for coach in values if coach.active]


def check_chair_rotation(coach_list: CoachList, rel_path: str, positions: Positions) -> list[Problem]:
    """Every chair in the rotation takes part (`new-meeting` picks the next one)."""
    by_id = {coach.id: coach for coach in coach_list.coaches}
    active = active_ids(coach_list.coaches)
    problems = []
    for index, coach_id in enumerate(coach_list.chair_rotation):
        coach = by_id.get(coach_id)
        if coach is None or coach.active:
            continue  # an unknown id is reported with the other references
        candidates = [c for c in active if c not in coach_list.chair_rotation]
        hint = f" Bedoelde je '{candidates[0]}'?" if len(candidates) == 1 else ""
        problems.append(
            Problem(
                rel_path,
                *positions.of(("chair_rotation", index)),
                f"chair_rotation[{index}]",
                f"'{coach_id}' ({coach.name}) is niet meer actief (active: false) en kan geen voorzitter zijn; "
                f"'kennisbank new-meeting' zou die persoon kiezen. Haal '{coach_id}' uit chair_rotation, of zet "
                f"active: true als die weer meedoet. Actieve digicoaches: {allowed_text(active)}.{hint}",
            )
        )
    return problems


def check_active_coach(doc: Tip | PathDocument, coaches: Mapping[str, Coach], positions: Positions) -> list[Problem]:
    """A warning when the coach colleagues are sent to for a tip or a path no longer takes part."""
    coach = coaches.get(doc.coach)
    if coach is None or coach.active:
        return []
    same_department = [c.id for c in coaches.values() if c.active and c.department == coach.department]
    active = active_ids(coaches)
    hint = suggest(doc.coach, same_department) or (same_department[0] if len(same_department) == 1 else None)
    what = KINDS_BY_NAME[doc.kind].noun
    among = "van dezelfde dienst" if same_department else ""
    message = (
        f"'{doc.coach}' ({coach.name}) is niet meer actief (active: false in coaches.yml). {what.capitalize()} "
        f"blijft staan, maar collega's zien die naam als aanspreekpunt: geef {what} aan een actieve digicoach "
        f"{among} (coach: …). Toegestaan: {allowed_text(same_department or active)}."
    ).replace("  ", " ")
    if hint:
        message += f" Bedoelde je '{hint}'?"
    return [Problem(doc.source_path, *positions.of(("coach",)), "coach", message, Severity.WARNING)]


def check_meeting_people(
    meeting: Meeting, coaches: Mapping[str, Coach], positions: Positions, today: date
) -> list[Problem]:
    """A warning when a meeting still to come is chaired or minuted by someone who no longer takes part (a held
    meeting is history)."""
    if meeting.date < today:
        return []
    problems = []
    for key, role in (("chair", "voorzitter"), ("minute_taker", "verslaggever")):
        coach = coaches.get(getattr(meeting, key) or "")
        if coach is None or coach.active:
            continue
        message = (
            f"'{coach.id}' ({coach.name}) is niet meer actief (active: false in coaches.yml) en kan op "
            f"{meeting.date} geen {role} zijn. Kies een actieve digicoach: {allowed_text(active_ids(coaches))}."
        )
        problems.append(Problem(meeting.source_path, *positions.of((key,)), key, message, Severity.WARNING))
    return problems


def check_departments_exist(doc: Tip | Signal, taxonomy: Taxonomy | None, positions: Positions) -> list[Problem]:
    """Each municipality of a tip or signal has at least one of its departments (taxonomy.yml says where a
    department exists); otherwise the tip is listed for a service that municipality does not have."""
    if taxonomy is None or ALL_DEPARTMENTS in doc.departments:
        return []
    terms = [taxonomy.departments.get(d) for d in doc.departments]
    if any(term is None or not term.municipalities for term in terms):
        return []  # an unknown department is reported elsewhere; one without a list exists everywhere
    where = [m for m in taxonomy.municipalities if any(m in term.municipalities for term in terms if term)]
    problems = []
    for index, municipality in enumerate(doc.municipalities):
        if municipality in where or municipality not in taxonomy.municipalities:
            continue
        names = ", ".join(doc.departments)
        message = (
            f"de dienst '{names}' bestaat niet in gemeente '{municipality}' volgens taxonomy.yml"
            if len(doc.departments) == 1
            else f"geen van de diensten {names} bestaat in gemeente '{municipality}' volgens taxonomy.yml"
        )
        message += f". Toegestaan: {allowed_text(where)}."
        hint = suggest(municipality, where)
        if hint:
            message += f" Bedoelde je '{hint}'?"
        message += " Of voeg de gemeente toe aan de dienst in taxonomy.yml (municipalities:)."
        problems.append(
            Problem(doc.source_path, *positions.of(("municipalities", index)), f"municipalities[{index}]", message)
        )
    if problems or len(doc.departments) < 2:
        return problems  # one department: the loop above already said where it does not exist
    # The other direction, with more than one department: each department must exist in at least one of the
    # listed municipalities. Not every (department, municipality) pair: a tip for Kinderopvang and ICT in De Panne
    # and Koksijde is right when Kinderopvang exists only in Koksijde. But a department that exists in none of
    # them reaches nobody (the tip shows on its page for a municipality without it): almost always a department
    # or municipality forgotten or picked from the wrong line, so an error like the one-department case.
    listed = [m for m in doc.municipalities if m in taxonomy.municipalities]
    for index, (department, term) in enumerate(zip(doc.departments, terms, strict=True)):
        if not listed or term is None or any(m in term.municipalities for m in listed):
            continue
        places = ", ".join(listed)
        message = (
            f"de dienst '{department}' bestaat in geen van de gemeenten van deze tip ({places}) volgens "
            f"taxonomy.yml; ze bestaat in: {allowed_text(list(term.municipalities))}. Voeg zo'n gemeente toe aan "
            "municipalities, haal de dienst weg, of voeg de gemeente toe aan de dienst in taxonomy.yml."
        )
        problems.append(
            Problem(doc.source_path, *positions.of(("departments", index)), f"departments[{index}]", message)
        )
    return problems
