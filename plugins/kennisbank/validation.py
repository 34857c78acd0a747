"""Rules that span files or look beyond one field: folders, slugs, dates, bodies and links."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .models import ALL_DEPARTMENTS, CoachList, Meeting, Signal, Taxonomy, Tip
from .problems import Problem, Severity, suggest, unknown_value_message
from .sourcefile import Positions

if TYPE_CHECKING:
    from .loader import ContentLayout, Repository

STALE_AFTER = timedelta(days=365)
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Raw HTML that could run code in a colleague's browser. Markdown renders everything else inert.
_UNSAFE_HTML = [
    (
        re.compile(r"<\s*(script|iframe|object|embed|form|style|base|meta|link)\b", re.I),
        "ruwe HTML-tag <{0}> is niet toegestaan in een tip",
    ),
    (re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.I), "HTML-attribuut '{0}=' (JavaScript) is niet toegestaan"),
    (re.compile(r"(javascript|vbscript|data)\s*:", re.I), None),
]
_LINK_RE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN_RE = re.compile(r"`+[^`]*`+")


def slugify(text: str) -> str:
    """A file-name slug from a title: 'Gedeelde mailbox (Outlook)' -> 'gedeelde-mailbox-outlook'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def stray_markdown(paths: list[str], layout: ContentLayout) -> list[Problem]:
    """Tips outside a department folder would silently never be published."""
    message = f"een tip hoort in {layout.tips_dir}/<dienst>/<slug>.md; dit bestand wordt niet gepubliceerd."
    return [Problem(path, 1, 1, "bestand", message) for path in paths]


def check_coaches(
    coach_list: CoachList, taxonomy: Taxonomy | None, rel_path: str, positions: Positions
) -> list[Problem]:
    """Unique coach ids, and a coach's department must exist in the coach's municipality."""
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
    return problems


def check_repository(
    repository: Repository, positions: dict[str, Positions], targets: set[str], today: date
) -> list[Problem]:
    """All rules that need more than one field or more than one file; `targets` are the linkable files."""
    problems: list[Problem] = []
    for tip in repository.tips:
        problems += _check_tip(tip, repository, positions[tip.source_path], today)
    problems += _duplicate_slugs(repository.tips, positions)
    for meeting in repository.meetings:
        problems += _check_meeting(meeting, positions[meeting.source_path])
    problems += _duplicate_action_ids(repository.meetings, positions)
    for signal in repository.signals:
        problems += _check_signal(signal, positions[signal.source_path], today)
    for doc in [*repository.tips, *repository.meetings, *repository.signals]:
        # A meeting file exists before the meeting: its minutes are written afterwards.
        problems += check_body(
            doc.source_path, doc.body, doc.body_line, targets, repository.root, require_text=doc.kind != "meeting"
        )
    return problems


def _at(
    doc: Tip | Meeting | Signal, positions: Positions, field: str, message: str, severity: Severity = Severity.ERROR
) -> Problem:
    return Problem(doc.source_path, *positions.of((field,)), field, message, severity)


def _check_tip(tip: Tip, repository: Repository, positions: Positions, today: date) -> list[Problem]:
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
    if today - tip.last_reviewed > STALE_AFTER:
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


def check_tip_folder(
    rel_path: str, departments: list[str], taxonomy: Taxonomy | None, positions: Positions
) -> list[Problem]:
    """The folder must be a department, and one of the tip's departments (also checked on broken tips)."""
    folder = PurePosixPath(rel_path).parent.name
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
    if signal.status == "opgelost" and not signal.resolved_on:
        problems.append(_at(signal, positions, "status", "status 'opgelost' vraagt ook resolved_on (de datum)."))
    if signal.resolved_on and signal.status != "opgelost":
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


def _mask_code(body: str) -> str:
    """The body with fenced code and code spans blanked (same length and lines): code is shown, never run."""
    if "`" not in body and "~~~" not in body:
        return body
    masked, in_fence = [], False
    for line in body.split("\n"):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            masked.append(" " * len(line))
        elif in_fence:
            masked.append(" " * len(line))
        else:
            masked.append(_CODE_SPAN_RE.sub(lambda m: " " * len(m.group()), line) if "`" in line else line)
    return "\n".join(masked)


def check_body(
    rel_path: str, body: str, body_line: int, targets: set[str], root: Path, require_text: bool = True
) -> list[Problem]:
    """Empty bodies, unsafe raw HTML and links to content files that do not exist."""
    problems = []
    if require_text and not body.strip():
        problems.append(
            Problem(rel_path, body_line, 1, "inhoud", "de tekst onder de front matter is leeg; beschrijf de stappen.")
        )
    text = _mask_code(body)
    if "<" not in text and "](" not in text and not _has_script_scheme(text):
        return problems  # nothing that could be HTML, a script URL or a link: the common case

    def at(index: int) -> tuple[int, int]:  # only computed for matches: most bodies have none
        return body_line + text.count("\n", 0, index), index - text.rfind("\n", 0, index)

    for pattern, template in _UNSAFE_HTML:
        for match in pattern.finditer(text):
            if template is None:
                if not _is_link_target(text, match.start()):
                    continue
                message = f"link met '{match.group(1)}:' is niet toegestaan (kan code uitvoeren)."
            else:
                message = template.format(match.group(1).lower()) + "."
            problems.append(Problem(rel_path, *at(match.start()), "inhoud", message))
    for match in _LINK_RE.finditer(text):
        problem = _check_link(rel_path, match.group(1), targets, root)
        if problem:
            problems.append(Problem(rel_path, *at(match.start(1)), "inhoud", problem))
    return problems


def _has_script_scheme(text: str) -> bool:
    """Cheap pre-check (str.find, no regex): is any ':' preceded by javascript, vbscript or data?"""
    index = text.find(":")
    while index != -1:
        if text[max(0, index - 14) : index].rstrip().lower().endswith(("javascript", "vbscript", "data")):
            return True
        index = text.find(":", index + 1)
    return False


def _is_link_target(line: str, index: int) -> bool:
    before = line[:index].rstrip()
    return before.endswith(("(", "<", "=", '"', "'")) or before.endswith("](")


def _check_link(rel_path: str, target: str, targets: set[str], root: Path) -> str | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/")):
        return None
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path.endswith(".md"):
        return None
    resolved = _normalise(PurePosixPath(rel_path).parent / path)
    if resolved in targets or (root / resolved).is_file():
        return None
    stem = PurePosixPath(path).stem
    by_stem = {PurePosixPath(t).stem: t for t in targets}
    hint = suggest(stem, by_stem)
    message = f"de link naar '{target}' verwijst naar een bestand dat niet bestaat."
    if hint:
        relative = _relative(by_stem[hint], PurePosixPath(rel_path).parent)
        message += f" Bedoelde je '{relative}'?"
    return message


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _relative(target: str, from_dir: PurePosixPath) -> str:
    up = len(from_dir.parts)
    common = 0
    target_parts = PurePosixPath(target).parts
    while common < min(up, len(target_parts)) and from_dir.parts[common] == target_parts[common]:
        common += 1
    return "/".join([".."] * (up - common) + list(target_parts[common:]))
