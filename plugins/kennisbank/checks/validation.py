"""Rules that span files or look beyond one field: folders, slugs, dates, bodies and links."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from ..content.kinds import DOCUMENT_KINDS, ContentLayout
from ..content.models import (
    ALL_DEPARTMENTS,
    PLACEHOLDER_TAG,
    PLACEHOLDER_TEXTS,
    RESOLVED,
    CoachList,
    Meeting,
    PathDocument,
    Signal,
    Taxonomy,
    Tip,
)
from ..content.problems import Problem, Severity, unknown_value_message
from ..content.sourcefile import Positions
from ..policy import MAX_PATH_STEPS, MIN_GROUP, is_stale
from .bodycheck import LinkTargets, check_body
from .nulmeting import revealing_differences, shown_paths
from .people import check_active_coach, check_chair_rotation, check_departments_exist, check_meeting_people
from .signal_history import check_signal_history

if TYPE_CHECKING:
    from ..content.nulmeting import Measurement
    from ..content.repository import Repository
    from ..content.vocabulary import Vocabularies

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """A file-name slug from a title: 'Gedeelde mailbox (Outlook)' -> 'gedeelde-mailbox-outlook'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def stray_markdown(paths: list[str], layout: ContentLayout) -> list[Problem]:
    """Markdown outside the expected folders would silently never be published."""
    tip = f"een tip hoort in {layout.tips_dir}/<dienst>/<slug>.md; dit bestand wordt niet gepubliceerd."
    learning_path = f"een leerpad hoort in {layout.paths_dir}/<naam>.md; dit bestand wordt niet gepubliceerd."
    other = (
        f"een overleg hoort in {layout.meetings_dir}/<jjjj-mm-dd>.md en een signaal in "
        f"{layout.signals_dir}/<naam>.md; dit bestand wordt niet gepubliceerd."
    )

    def message(path: str) -> str:
        if path.startswith(layout.paths_dir + "/"):
            return learning_path
        return tip if path.startswith(layout.tips_dir + "/") else other

    return [Problem(path, 1, 1, "bestand", message(path)) for path in paths]


TAXONOMY_KINDS = ("municipalities", "departments", "tools", "sources", "difficulties", "themes")


def check_taxonomy_ids(taxonomy: Taxonomy, rel_path: str, positions: Positions) -> list[Problem]:
    """Vocabulary ids become folder names and URLs (diensten/<id>/): lower-case slugs only, so no id can
    point outside the site ('../../tmp') or break a page."""
    problems = []
    for kind in TAXONOMY_KINDS:
        for value in getattr(taxonomy, kind):
            if not SLUG_RE.match(value):
                problems.append(
                    Problem(
                        rel_path,
                        *positions.of((kind, value)),
                        f"{kind}.{value}",
                        f"'{value}' is geen geldige id: gebruik kleine letters, cijfers en koppeltekens. "
                        f"Bedoelde je '{slugify(value) or 'nieuwe-id'}'?",
                    )
                )
    return problems


def check_reserved_folder(taxonomy: Taxonomy, layout: ContentLayout, positions: Positions) -> list[Problem]:
    """The learning paths' folder sits beside the department folders: no department may carry its name."""
    reserved = posixpath.basename(layout.paths_dir)
    if reserved not in taxonomy.departments:
        return []
    message = (
        f"'{reserved}' is de map met de leerpaden ({layout.paths_dir}/) en kan geen dienst zijn; kies een andere id."
    )
    return [Problem(layout.taxonomy_file, *positions.of(("departments", reserved)), f"departments.{reserved}", message)]


def check_coaches(
    coach_list: CoachList, taxonomy: Taxonomy | None, rel_path: str, positions: Positions
) -> list[Problem]:
    """Unique coach ids, a coach's department must exist in the coach's municipality, and only coaches who
    still take part in the chair rotation."""
    problems = []
    seen: set[str] = set()
    for index, coach in enumerate(coach_list.coaches):
        if coach.id in seen:
            problems.append(
                Problem(
                    rel_path,
                    *positions.of(("coaches", index, "id")),
                    f"coaches[{index}].id",
                    f"de id '{coach.id}' komt meer dan één keer voor.",
                )
            )
        seen.add(coach.id)
        department = taxonomy.departments.get(coach.department) if taxonomy else None
        if department and department.municipalities and coach.municipality not in department.municipalities:
            problems.append(
                Problem(
                    rel_path,
                    *positions.of(("coaches", index, "municipality")),
                    f"coaches[{index}].municipality",
                    f"de dienst '{coach.department}' bestaat niet in gemeente '{coach.municipality}' "
                    f"volgens taxonomy.yml (wel in: {', '.join(department.municipalities)}).",
                )
            )
    problems += check_chair_rotation(coach_list, rel_path, positions)
    return problems


def check_repository(
    repository: Repository,
    positions: dict[str, Positions],
    targets: LinkTargets,
    today: date,
    body_check: Callable[..., list[Problem]] = check_body,
    tip_check: Callable[[Tip, Repository, Positions, date], list[Problem]] | None = None,
) -> list[Problem]:
    """All rules that need more than one field or more than one file; `targets` are the linkable files.

    `body_check` and `tip_check` are `check_body` and `check_tip` or memos of them (the dev server reloads
    the content on every save)."""
    problems: list[Problem] = []
    tip_check = tip_check or check_tip
    for tip in repository.tips:
        problems += tip_check(tip, repository, positions[tip.source_path], today)
    problems += _duplicate_slugs(repository.tips, positions)
    for meeting in repository.meetings:
        problems += _check_meeting(meeting, positions[meeting.source_path])
    problems += _duplicate_action_ids(repository.meetings, positions)
    for signal in repository.signals:
        problems += _check_signal(signal, positions[signal.source_path], today)
        problems += check_signal_history(signal, positions[signal.source_path], today)
    for path in repository.paths:
        problems += _check_path(path, positions[path.source_path])
    # Outside the per-tip memo: these depend on coaches.yml and taxonomy.yml, not only on the tip's file.
    coached: list[Tip | PathDocument] = [*repository.tips, *repository.paths]
    for doc in coached:
        problems += check_active_coach(doc, repository.coaches, positions[doc.source_path])
    addressed: list[Tip | Signal] = [*repository.tips, *repository.signals]
    for addressed_doc in addressed:
        problems += check_departments_exist(addressed_doc, repository.taxonomy, positions[addressed_doc.source_path])
    for meeting in repository.meetings:
        problems += check_meeting_people(meeting, repository.coaches, positions[meeting.source_path], today)
    for kind in DOCUMENT_KINDS:
        for document in kind.documents(repository):
            problems += body_check(
                document.source_path,
                document.body,
                document.body_line,
                targets,
                require_text=kind.requires_text,  # a meeting's minutes come afterwards; a path's intro is optional
                images_checked=True,  # every kind publishes the images next to it: checks.images
            )
    return problems


def _at(
    doc: Tip | PathDocument | Meeting | Signal,
    positions: Positions,
    field: str,
    message: str,
    severity: Severity = Severity.ERROR,
) -> Problem:
    return Problem(doc.source_path, *positions.of((field,)), field, message, severity)


def check_tip(tip: Tip, repository: Repository, positions: Positions, today: date) -> list[Problem]:
    """The rules of one tip that need more than its front matter's shape: folder, dates, template leftovers."""
    problems = []
    if not SLUG_RE.match(tip.slug):
        problems.append(
            Problem(
                tip.source_path,
                1,
                1,
                "bestandsnaam",
                f"'{tip.slug}.md' is geen geldige slug: gebruik kleine letters, cijfers en koppeltekens. "
                f"Bedoelde je '{slugify(tip.slug)}.md'?",
            )
        )
    problems += check_tip_folder(tip.source_path, list(tip.departments), repository.taxonomy, positions)
    if tip.for_everyone and len(tip.departments) > 1:
        problems.append(
            _at(
                tip,
                positions,
                "departments",
                f"'{ALL_DEPARTMENTS}' betekent al 'voor iedereen'; vermeld dan geen andere diensten.",
            )
        )
    if tip.date > today:
        problems.append(_at(tip, positions, "date", f"de datum {tip.date} ligt in de toekomst (vandaag is {today})."))
    if tip.reviewed and tip.reviewed > today:
        problems.append(
            _at(tip, positions, "reviewed", f"de datum {tip.reviewed} ligt in de toekomst (vandaag is {today}).")
        )
    if tip.reviewed and tip.reviewed < tip.date:
        problems.append(
            _at(tip, positions, "reviewed", f"herzien op {tip.reviewed} ligt vóór de publicatiedatum {tip.date}.")
        )
    if tip.source_url and not re.match(r"^https?://[^\s<>\"']+$", tip.source_url):
        problems.append(_at(tip, positions, "source_url", "moet een webadres zijn dat begint met https://."))
    problems += check_template_leftovers(tip.source_path, dict(vars(tip)), positions)
    if not tip.summary:
        problems.append(
            _at(
                tip,
                positions,
                "title",
                "er is geen summary: één zin onder de titel helpt collega's in de zoekresultaten.",
                Severity.WARNING,
            )
        )
    if is_stale(tip, today):
        problems.append(
            _at(
                tip,
                positions,
                "reviewed" if tip.reviewed else "date",
                f"te herzien: de tip is sinds {tip.last_reviewed} niet meer nagekeken. "
                "Controleer de stappen en zet reviewed op de datum van vandaag.",
                Severity.WARNING,
            )
        )
    return problems


def check_template_leftovers(rel_path: str, data: dict[str, object], positions: Positions) -> list[Problem]:
    """The web template's example title, summary and tag, still in a tip's front matter (also checked when
    the rest of the front matter has errors, so the coach sees everything that is left to do at once)."""
    problems = []
    tags = data.get("tags")
    if isinstance(tags, list) and PLACEHOLDER_TAG in tags:
        message = f"nog in te vullen: vervang '{PLACEHOLDER_TAG}' door echte trefwoorden."
        problems.append(Problem(rel_path, *positions.of(("tags",)), "tags", message))
    for field in ("title", "summary"):
        value = data.get(field)
        if isinstance(value, str) and any(text.strip(".") in value for text in PLACEHOLDER_TEXTS):
            message = "nog in te vullen: vervang de voorbeeldtekst van het sjabloon."
            problems.append(Problem(rel_path, *positions.of((field,)), field, message))
    return problems


def check_tip_folder(
    rel_path: str, departments: list[str], taxonomy: Taxonomy | None, positions: Positions
) -> list[Problem]:
    """The folder must be a department, and one of the tip's departments (also checked on broken tips)."""
    folder = posixpath.basename(posixpath.dirname(rel_path))  # PurePosixPath: a tenth of a 10,000-tip reload
    allowed_folders = [*(taxonomy.departments if taxonomy else ()), ALL_DEPARTMENTS]
    if taxonomy and folder not in allowed_folders:
        return [Problem(rel_path, 1, 1, "map", unknown_value_message("dienstmap", folder, allowed_folders))]
    if departments and folder not in departments:
        message = (
            f"de tip staat in de map '{folder}', maar '{folder}' staat niet in departments "
            f"({', '.join(departments)}). Voeg '{folder}' toe of verplaats het bestand naar tips/{departments[0]}/."
        )
        return [Problem(rel_path, *positions.of(("departments",)), "departments", message)]
    return []


def _duplicate_slugs(tips: list[Tip], positions: dict[str, Positions]) -> list[Problem]:
    by_slug: dict[str, list[Tip]] = defaultdict(list)
    for tip in tips:
        by_slug[tip.slug].append(tip)
    problems = []
    for slug, same in by_slug.items():
        if len(same) > 1:
            for tip in same:
                others = ", ".join(t.source_path for t in same if t is not tip)
                problems.append(
                    Problem(
                        tip.source_path,
                        1,
                        1,
                        "bestandsnaam",
                        f"de slug '{slug}' bestaat ook in {others}; een slug moet uniek zijn over alle "
                        f"diensten. Geef één van de bestanden een andere naam.",
                    )
                )
    return problems


def _check_path(path: PathDocument, positions: Positions) -> list[Problem]:
    """A learning path's own rules: a valid file name, 'alle' alone, each tip once, and no more steps than
    fit on one printed page. Unknown tips are reported with the other vocabulary references."""
    problems = []
    if not SLUG_RE.match(path.slug):
        problems.append(
            Problem(
                path.source_path,
                1,
                1,
                "bestandsnaam",
                f"'{path.slug}.md' is geen geldige naam: gebruik kleine letters, cijfers en koppeltekens. "
                f"Bedoelde je '{slugify(path.slug)}.md'?",
            )
        )
    if path.for_everyone and len(path.departments) > 1:
        problems.append(
            _at(
                path,
                positions,
                "departments",
                f"'{ALL_DEPARTMENTS}' betekent al 'voor iedereen'; vermeld dan geen andere diensten.",
            )
        )
    if len(path.steps) > MAX_PATH_STEPS:
        problems.append(
            Problem(
                path.source_path,
                *positions.of(("steps", MAX_PATH_STEPS)),
                f"steps[{MAX_PATH_STEPS}]",
                f"een leerpad telt hoogstens {MAX_PATH_STEPS} stappen (zo past de checklist op één A4); dit pad "
                f"telt er {len(path.steps)}. Splits het in twee leerpaden.",
            )
        )
    problems += _duplicate_steps(path.source_path, [step.tip for step in path.steps], positions)
    return problems


def _duplicate_steps(rel_path: str, slugs: list[object], positions: Positions) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for index, slug in enumerate(slugs):
        if not isinstance(slug, str):
            continue
        if slug in first:
            earlier = first[slug]
            line = positions.of(("steps", earlier, "tip"))[0]
            problems.append(
                Problem(
                    rel_path,
                    *positions.of(("steps", index, "tip")),
                    f"steps[{index}].tip",
                    f"de tip '{slug}' staat al in stap {earlier + 1} (regel {line}); een tip komt één keer in een "
                    "leerpad voor. Verwijder deze stap of kies een andere tip.",
                )
            )
        else:
            first[slug] = index
    return problems


def check_raw_steps(
    rel_path: str, data: dict[str, object], vocabularies: Vocabularies, positions: Positions
) -> list[Problem]:
    """For a learning path whose front matter has other errors: still report unknown and repeated tips in
    its steps, so that one run shows everything (the vocabulary check of a broken file only sees the top)."""
    steps = data.get("steps")
    if steps is None and {"date", "tags"} & set(data):
        # A tip saved in the paths' folder: say where it belongs, besides the unknown fields.
        message = "dit lijkt een tip: een tip hoort in tips/<dienst>/<naam>.md; hier staan alleen leerpaden."
        return [Problem(rel_path, 1, 1, "bestand", message)]
    if not isinstance(steps, list):
        return []
    slugs = [step.get("tip") if isinstance(step, dict) else None for step in steps]
    problems = _duplicate_steps(rel_path, slugs, positions)
    known = vocabularies.members.get("tips")
    for index, slug in enumerate(slugs):
        if known is not None and isinstance(slug, str) and slug not in known:
            message = unknown_value_message("tip", slug, vocabularies.values["tips"])
            problems.append(Problem(rel_path, *positions.of(("steps", index, "tip")), f"steps[{index}].tip", message))
    return problems


def _check_meeting(meeting: Meeting, positions: Positions) -> list[Problem]:
    problems = []
    if meeting.slug != meeting.date.isoformat():
        problems.append(
            _at(
                meeting,
                positions,
                "date",
                f"de bestandsnaam moet de datum zijn: hernoem naar meetings/{meeting.date}.md of pas de datum aan.",
            )
        )
    if meeting.end <= meeting.start:
        problems.append(
            _at(meeting, positions, "end", f"het einde ({meeting.end}) ligt niet na het begin ({meeting.start}).")
        )
    both = sorted(set(meeting.attendees) & set(meeting.excused))
    if both:
        problems.append(_at(meeting, positions, "excused", f"zowel aanwezig als verontschuldigd: {', '.join(both)}."))
    for index, action in enumerate(meeting.actions):
        if action.done_on and not action.done:
            problems.append(
                Problem(
                    meeting.source_path,
                    *positions.of(("actions", index, "done_on")),
                    f"actions[{index}].done_on",
                    "done_on is ingevuld maar done is niet true.",
                )
            )
    return problems


def _duplicate_action_ids(meetings: list[Meeting], positions: dict[str, Positions]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for meeting in meetings:
        for index, action in enumerate(meeting.actions):
            if action.id in seen:
                problems.append(
                    Problem(
                        meeting.source_path,
                        *positions[meeting.source_path].of(("actions", index, "id")),
                        f"actions[{index}].id",
                        f"de actie-id '{action.id}' bestaat al in {seen[action.id]}.",
                    )
                )
            seen.setdefault(action.id, meeting.source_path)
    return problems


def _check_signal(signal: Signal, positions: Positions, today: date) -> list[Problem]:
    problems = []
    if not SLUG_RE.match(signal.slug):
        problems.append(
            Problem(
                signal.source_path,
                1,
                1,
                "bestandsnaam",
                f"'{signal.slug}.md' is geen geldige slug. Bedoelde je '{slugify(signal.slug)}.md'?",
            )
        )
    if signal.raised_on > today:
        problems.append(_at(signal, positions, "raised_on", f"de datum {signal.raised_on} ligt in de toekomst."))
    if signal.status == RESOLVED and not signal.resolved_on:
        problems.append(_at(signal, positions, "status", "status 'opgelost' vraagt ook resolved_on (de datum)."))
    if signal.resolved_on and signal.status != RESOLVED:
        problems.append(
            _at(
                signal,
                positions,
                "resolved_on",
                f"resolved_on is ingevuld maar de status is '{signal.status}'; zet status: opgelost.",
            )
        )
    if signal.resolved_on and (signal.resolved_on < signal.raised_on or signal.resolved_on > today):
        problems.append(
            _at(
                signal,
                positions,
                "resolved_on",
                f"{signal.resolved_on} ligt niet tussen {signal.raised_on} en vandaag.",
            )
        )
    return problems


def duplicate_measurement_dates(measurements: list[Measurement], positions: dict[str, Positions]) -> list[Problem]:
    """Two nulmeting files for the same date: the site could not tell which one is the measurement."""
    first: dict[date, str] = {}
    problems = []
    for measurement in sorted(measurements, key=lambda m: m.source_path):
        if measurement.date in first:
            problems.append(
                Problem(
                    measurement.source_path,
                    *positions[measurement.source_path].of(("date",)),
                    "date",
                    f"{first[measurement.date]} is een meting van dezelfde datum ({measurement.date}); "
                    "verwijder een van de twee bestanden.",
                )
            )
        first.setdefault(measurement.date, measurement.source_path)
    problems += _identical_measurements(measurements, positions)
    problems += _revealing_measurements(measurements, positions)
    return problems


def _revealing_measurements(measurements: list[Measurement], positions: dict[str, Positions]) -> list[Problem]:
    """Two versions of one export (see `checks.nulmeting.look_alike`) whose groups differ by 1 to 4 colleagues: a
    reader who compares the two published files sees those colleagues' answers. Also catches a hand edit."""
    ordered = sorted(measurements, key=lambda m: (m.date, m.source_path))
    problems = []
    for index, later in enumerate(ordered):
        for earlier in ordered[:index]:
            changed = revealing_differences(earlier, later)
            if not changed:
                continue
            message = (
                f"verschilt van {earlier.source_path} met 1 tot {MIN_GROUP - 1} antwoorden in: {shown_paths(changed)}. "
                "Wie beide gepubliceerde bestanden vergelijkt, ziet de antwoorden van die paar collega's (is dit een "
                "verbeterde export van dezelfde bevraging?). Publiceer ze niet samen: verwijder dit bestand, of, als "
                f"{earlier.source_path} zeker nooit op de site stond, vervang dat met 'kennisbank nulmeting import "
                f"… -o {earlier.source_path} --force --nooit-gepubliceerd' en verwijder dit bestand."
            )
            where = positions[later.source_path].of(("date",))
            problems.append(Problem(later.source_path, *where, "date", message))
            break  # one problem per file is enough to act on
    return problems


def _identical_measurements(measurements: list[Measurement], positions: dict[str, Positions]) -> list[Problem]:
    """Two measurements with exactly the same results: most likely one export imported twice, which would show
    every topic as unchanged."""
    seen: dict[str, str] = {}
    problems = []
    for measurement in sorted(measurements, key=lambda m: m.source_path):
        results = repr(measurement.model_dump(exclude={"date", "slug", "source_path"}))
        if results in seen:
            message = (
                f"dezelfde resultaten als {seen[results]}: is dezelfde export twee keer ingelezen? Dan toont "
                "Opvolging elke tool als 'gelijk gebleven'; verwijder een van de twee bestanden."
            )
            where = positions[measurement.source_path].of(("date",))
            problems.append(Problem(measurement.source_path, *where, "date", message, Severity.WARNING))
        seen.setdefault(results, measurement.source_path)
    return problems
