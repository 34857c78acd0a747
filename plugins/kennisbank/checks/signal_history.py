"""A signal's history must tell the same story as its status: in order of date, from the day it was raised up to
today, ending in the status the signal has now (and, once solved, on the day it was solved).

The agendas read the history to show each signal as it stood on the meeting day (knowledge.agenda), so a
history that runs backwards or ends elsewhere shows a wrong status on old agendas."""

from __future__ import annotations

from datetime import date

from ..content.models import RESOLVED, SIGNAL_STATUSES, Signal
from ..content.problems import Problem, allowed_text
from ..content.sourcefile import Positions


def check_signal_history(signal: Signal, positions: Positions, today: date) -> list[Problem]:
    """Dates in order and within [raised_on, today]; the last entry's status is `status`, its date
    `resolved_on` when solved."""
    problems = []

    def at(index: int, key: str, message: str) -> None:
        where = positions.of(("history", index, key))
        problems.append(Problem(signal.source_path, *where, f"history[{index}].{key}", message))

    for index, change in enumerate(signal.history):
        if change.date < signal.raised_on:
            at(index, "date", f"{change.date} ligt vóór de melding van het signaal (raised_on: {signal.raised_on}).")
        elif change.date > today:
            at(index, "date", f"{change.date} ligt in de toekomst (vandaag is {today}).")
        if index and change.date < (previous := signal.history[index - 1]).date:
            line = positions.of(("history", index - 1, "date"))[0]
            at(
                index,
                "date",
                f"de geschiedenis loopt terug in de tijd: {change.date} komt na {previous.date} (regel {line}). "
                "Zet de wijzigingen in volgorde van datum, de oudste eerst.",
            )
    if not signal.history:
        return problems
    last_index = len(signal.history) - 1
    last = signal.history[last_index]
    if last.status != signal.status and last.status in SIGNAL_STATUSES:
        line = positions.of(("history", last_index, "status"))[0]
        problems.append(
            Problem(
                signal.source_path,
                *positions.of(("status",)),
                "status",
                f"de status is '{signal.status}', maar de laatste wijziging in history (regel {line}, {last.date}) "
                f"is '{last.status}'. Toegestaan: {allowed_text(SIGNAL_STATUSES, limit=len(SIGNAL_STATUSES))}. "
                f"Bedoelde je '{last.status}'? Of voeg de wijziging naar '{signal.status}' toe aan history.",
            )
        )
    if signal.status == RESOLVED == last.status and signal.resolved_on and last.date != signal.resolved_on:
        problems.append(
            Problem(
                signal.source_path,
                *positions.of(("resolved_on",)),
                "resolved_on",
                f"resolved_on is {signal.resolved_on}, maar history zegt 'opgelost' op {last.date}. "
                f"Bedoelde je {last.date}?",
            )
        )
    return problems
