"""The conversation of `kennisbank start`: the questions (in a terminal, or answers piped in line by line), the
options of the non-interactive form, and the Dutch report of what was done and what comes next."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from ..content.hr_list import HrList, HrListError, HrPerson, fold, municipality_label, parse_hr_list
from ..content.problems import suggest
from .site_config import WEEKDAYS
from .start import (
    MeetingPlan,
    StartError,
    StartPlan,
    StartRequest,
    check_meeting,
    check_repo_url,
    check_time,
    check_url,
    check_weekday,
    check_weeks,
)

T = TypeVar("T")
MAX_TRIES = 5  # piped answers: a wrong one is asked again, but never forever


def read_people(path: Path, municipality: str | None, today: date) -> HrList:
    try:
        return parse_hr_list(path, municipality, today)
    except HrListError as exc:
        problems = exc.problems
        count = f"{len(problems)} probleem" if len(problems) == 1 else f"{len(problems)} problemen"
        head = f"de lijst {path.name} kan niet gebruikt worden ({count}); er is niets gewijzigd:"
        raise StartError("\n".join([head, *(f"  - {p}" for p in problems)])) from None


def parse_departments(value: str | None) -> dict[str, tuple[str, ...]]:
    """'Burgerzaken; Kinderopvang: Koksijde, Nieuwpoort' or a file with one department per line."""
    if not value or not value.strip():
        return {}
    path = Path(value)
    if len(value) < 260 and path.suffix and path.is_file():
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    elif ":" in value or ";" in value or "\n" in value:
        lines = value.replace(";", "\n").splitlines()
    else:
        lines = value.split(",")
    result: dict[str, tuple[str, ...]] = {}
    for line in lines:
        line = line.split("#")[0].strip().strip("-").strip()
        if not line:
            continue
        name, _, places = line.partition(":")
        where = tuple(p.strip() for p in places.split(",") if p.strip() and fold(p) != "alle")
        if name.strip():
            result[name.strip()] = where
    return result


def split_list(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").replace(";", ",").split(",") if v.strip())


def request_from_args(args: argparse.Namespace) -> StartRequest:
    """The non-interactive form: everything from options and files."""
    if not args.lijst:
        raise StartError(
            "geef de lijst van digicoaches op met --lijst BESTAND (xlsx of csv), of start zonder opties in een "
            "terminal (of met --interactief) om de vragen te beantwoorden."
        )
    hr = read_people(Path(args.lijst), args.gemeente, args.today)
    meeting = check_meeting(
        MeetingPlan(
            every_weeks=check_weeks(str(args.overleg_weken)),
            day=check_weekday(args.overleg_dag),
            start=check_time(args.overleg_start),
            end=check_time(args.overleg_einde),
            location=args.overleg_plaats.strip(),
        )
    )
    return StartRequest(
        people=hr.people, source=hr.name, municipalities=split_list(args.gemeenten),
        departments=parse_departments(args.diensten), meeting=meeting,
        site_url=check_url(args.site_url, "de site") if args.site_url else None,
        repo_url=check_repo_url(args.repo_url) if args.repo_url else None, branch=args.tak,
        tips_to=args.tips_naar, notes=hr.notes,
    )  # fmt: skip


def _read(prompt: str) -> str:
    answer = input(prompt).strip()
    if not sys.stdin.isatty():
        print(answer)  # piped answers are not echoed by a terminal: keep the transcript readable
    return answer


def ask(question: str, check: Callable[[str], T], default: str | None = None) -> T:
    """One question with its default in brackets; a wrong answer says why and asks again."""
    shown = f" [{default}]" if default not in (None, "") else ""
    for _ in range(MAX_TRIES):
        answer = _read(f"{question}{shown}: ")
        value = answer or (default or "")
        try:
            return check(value)
        except (StartError, ValueError) as exc:
            print(f"  {exc}")
    raise StartError(f"na {MAX_TRIES} pogingen nog geen geldig antwoord op '{question}'; er is niets gewijzigd.")


def _no_answer(what: str) -> str:
    raise StartError(f"{what} is nodig.")


def yes_or_no(text: str) -> bool:
    value = fold(text)
    if value in ("j", "ja", "y", "yes", ""):
        return True
    if value in ("n", "nee", "no"):
        return False
    raise StartError("antwoord met j (ja) of n (nee).")


def _people_by_hand() -> HrList:
    print("Typ de digicoaches één voor één. Laat de naam leeg als je klaar bent.")
    people: list[HrPerson] = []
    while True:
        name = _read(f"  Naam van persoon {len(people) + 1} (leeg = klaar): ")
        if not name:
            if people:
                return HrList("de ingetypte lijst", "ingetypt", tuple(people))
            print("  Geef minstens één digicoach op.")
            continue

        def email(text: str) -> str:
            from ..content.hr_list import EMAIL_RE

            if not EMAIL_RE.match(text.lower()):
                raise StartError(f"'{text}' is geen e-mailadres; schrijf het als naam@gemeente.be.")
            return text.lower()

        def filled(what: str) -> Callable[[str], str]:
            def check(text: str) -> str:
                if not text.strip():
                    raise StartError(f"de {what} is nodig.")
                return text.strip()

            return check

        def role(text: str) -> str:
            value = fold(text)
            if "expert" in value:
                return "digi-expert"
            if "coach" in value:
                return "digicoach"
            raise StartError(f"onbekende rol '{text}': kies digicoach of digi-expert.")

        mail = ask("  E-mailadres", email)
        department = ask("  Dienst", filled("dienst"), people[-1].department if people else None)
        place = ask("  Gemeente", filled("gemeente"), people[-1].municipality if people else None)
        kind = ask("  Rol (digicoach of digi-expert)", role, "digicoach")
        people.append(HrPerson(len(people) + 1, name, mail, department, municipality_label(place), kind))


def request_interactive(args: argparse.Namespace) -> StartRequest:
    """The questions, each with a default and checked on the spot."""
    print("Kennisbank starten: vervang de voorbeeldinhoud door jullie eigen digicoaches en instellingen.")
    print("Druk op Enter om het voorstel tussen [haken] te nemen. Stoppen: Ctrl+C (er wordt dan niets gewijzigd).")
    print()

    def people(text: str) -> HrList:
        if not text or text == "-":
            return _people_by_hand()
        path = Path(text.strip().strip('"')).expanduser()  # a path copied from Explorer comes in quotes
        try:
            return read_people(path, args.gemeente, args.today)
        except StartError as exc:
            if "geen kolom voor de gemeente" not in str(exc):
                raise
        print("  De lijst heeft geen kolom Gemeente.")
        args.gemeente = ask("  Van welke gemeente is iedereen in deze lijst?", lambda t: t or _no_answer("de gemeente"))
        return read_people(path, args.gemeente, args.today)

    hr = ask("Lijst van de digicoaches en digi-experts (xlsx of csv; '-' om ze in te typen)", people, args.lijst)
    departments = sorted({d for p in hr.people for d in (p.department, *p.also)}, key=fold)
    print(f"  {len(hr.people)} personen in {len(departments)} diensten: " + ", ".join(departments))
    for note in hr.notes:
        print(f"  Let op: {note}.")
    found = sorted({p.municipality for p in hr.people}, key=fold)

    def municipalities(text: str) -> tuple[str, ...]:
        given = split_list(text)
        if not given:
            raise StartError("geef minstens één gemeente.")
        known = {fold(municipality_label(g)) for g in given}
        missing = [m for m in found if fold(m) not in known]
        if missing:
            raise StartError(f"in de lijst staan ook: {', '.join(missing)}; neem ze op of verbeter de lijst.")
        return given

    places = ask("Gemeenten (komma-gescheiden)", municipalities, args.gemeenten or ", ".join(found))
    where: dict[str, tuple[str, ...]] = parse_departments(args.diensten)
    if len(places) > 1 and not where and not ask("Bestaan alle diensten in alle gemeenten? (j/n)", yes_or_no, "j"):
        for department in departments:
            coached = sorted({p.municipality for p in hr.people if fold(p.department) == fold(department)}, key=fold)

            def in_places(text: str, coached: list[str] = coached, department: str = department) -> tuple[str, ...]:
                chosen = split_list(text)
                folded = {fold(municipality_label(c)) for c in chosen}
                unknown = [c for c in chosen if fold(municipality_label(c)) not in {fold(p) for p in places}]
                if unknown:
                    raise StartError(f"onbekende gemeente(n): {', '.join(unknown)}; kies uit {', '.join(places)}.")
                missing = [m for m in coached if fold(m) not in folded]
                if missing:
                    raise StartError(
                        f"{department} heeft volgens de lijst een digicoach in {', '.join(missing)}; neem die "
                        "gemeente(n) op."
                    )
                return chosen

            where[department] = ask(f"  In welke gemeenten bestaat {department}?", in_places, ", ".join(places))
    site = ask(
        "Adres van de site op het intranet (leeg = later)",
        lambda t: check_url(t, "de site") if t else None,
        args.site_url,
    )
    repo = ask(
        "Adres van de repository op GitHub, voor de knop 'bewerken' (leeg = geen)",
        lambda t: check_repo_url(t) if t else None,
        args.repo_url,
    )
    weeks = ask("Om de hoeveel weken is er digicoachoverleg?", lambda t: check_weeks(t), str(args.overleg_weken))
    day = ask(f"Op welke dag? ({', '.join(WEEKDAYS[:5])})", check_weekday, args.overleg_dag)
    start = ask("Beginuur", check_time, args.overleg_start)
    end = ask("Einduur", check_time, args.overleg_einde)
    location = ask("Waar?", lambda t: t.strip() or "Te bepalen", args.overleg_plaats)
    meeting = check_meeting(MeetingPlan(weeks, day, start, end, location))
    names = {p.email: p.name for p in hr.people if p.active}

    def keeper(text: str) -> str | None:
        if not text:
            return None
        wanted = text.strip().lower()
        if any(wanted in (email, name.lower()) for email, name in names.items()):
            return text.strip()
        from ..checks.validation import slugify

        if any(slugify(name) == slugify(text) for name in names.values()):
            return text.strip()
        hint = suggest(text.strip(), list(names.values()))
        raise StartError(
            f"'{text}' staat niet in de lijst (van de actieve personen); geef een naam of e-mailadres uit de lijst, "
            "of laat leeg." + (f" Bedoelde je '{hint}'?" if hint else "")
        )

    tips_to = ask(
        "Wie neemt de algemene voorbeeldtips over? (naam of e-mail; leeg = later, ze staan dan als over-te-nemen)",
        keeper,
        args.tips_naar,
    )
    return StartRequest(
        people=hr.people, source=hr.name, municipalities=places, departments=where, meeting=meeting,
        site_url=site, repo_url=repo, branch=args.tak, tips_to=tips_to, notes=hr.notes,
    )  # fmt: skip


ACTIONS = {"nieuw": "Nieuw", "aangepast": "Aangepast", "verplaatst": "Verplaatst", "verwijderd": "Verwijderd"}


def describe_plan(plan: StartPlan, trial: bool) -> str:
    lines = [
        ("Proef: dit zou 'kennisbank start' doen (er wordt niets gewijzigd):" if trial else "Wat er verandert:"),
    ]
    if plan.unclaimed or any(c.path.endswith("coaches.yml") for c in plan.changes):
        lines.append(
            f"  {plan.coaches} personen in {plan.departments} diensten, gemeenten: {', '.join(plan.municipalities)}."
        )
    for action, title in ACTIONS.items():
        changes = plan.by_action(action)
        if not changes:
            continue
        lines.append(f"{title} ({len(changes)}):")
        for change in changes:
            target = f" -> {change.new_path}" if change.new_path else ""
            why = f"  ({change.why})" if change.why else ""
            lines.append(f"  {change.path}{target}{why}")
    for note in plan.notes:
        lines.append(f"Let op: {note}.")
    return "\n".join(lines)


def describe_done(plan: StartPlan, request: StartRequest) -> str:
    removed = len(plan.by_action("verwijderd"))
    lines = [
        "",
        f"Klaar: de kennisbank heeft nu {plan.coaches} eigen digicoaches in {plan.departments} diensten "
        f"({', '.join(plan.municipalities)}); {removed} voorbeeldbestanden zijn verwijderd.",
        "De controle ('kennisbank validate') vond geen nieuwe fouten"
        + (f" en {plan.warnings} waarschuwing(en)." if plan.warnings else "."),
    ]
    if plan.tips_to:
        lines.append(f"De algemene tips en leerpaden staan nu op naam van {plan.tips_to}.")
    if plan.unclaimed:
        lines.append(
            f"{len(plan.unclaimed)} tip(s) en leerpad(en) staan als 'coach: over-te-nemen': kies per tip een "
            "digicoach (of voer dit later uit: zet de id in het veld coach:). Zolang er één staat, weigert de "
            "publicatie. 'kennisbank validate' toont ze."
        )
    lines += [
        "",
        "Wat nu:",
        "  1. Bekijk de wijzigingen (git status, git diff) en commit ze. Wat het publiceren nog zou tegenhouden,",
        "     toont: kennisbank validate --publiceren",
    ]
    step = 2
    if not request.site_url:
        lines.append(
            f"  {step}. Zet het adres van de site: site_url in mkdocs.yml (of de variabele KENNISBANK_SITE_URL)."
        )
        step += 1
    lines += [
        f"  {step}. Publiceren vanuit GitHub: Settings > Secrets and variables > Actions, omgeving 'intranet':",
        "       secrets KENNISBANK_PUBLISH_TARGET (gebruiker@server:/pad), KENNISBANK_SSH_KEY (de private",
        "       deploy-sleutel), KENNISBANK_KNOWN_HOSTS (de regel van de server uit known_hosts), en de variabele",
        f"       KENNISBANK_SITE_URL ({request.site_url or 'het adres van de site'}).",
        f"  {step + 1}. Het eerste overleg: kennisbank new-meeting (elke {request.meeting.every_weeks} weken op "
        f"{request.meeting.day}, {request.meeting.start}-{request.meeting.end}, {request.meeting.location}).",
        f"  {step + 2}. De eerste nulmeting: maak de bevraging in Microsoft Forms met de vragen van "
        + (
            f"{plan.questions_page} (ook op de site)," if plan.questions_page else "README.md ('De nulmeting inlezen'),"
        ),
        "       exporteer de antwoorden en lees ze in met: kennisbank nulmeting import <export.xlsx>",
        f"  {step + 3}. Bekijk de site: kennisbank serve (of make serve).",
    ]
    return "\n".join(lines)
