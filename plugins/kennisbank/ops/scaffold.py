"""New content files from the command line: never overwrites, always valid front matter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..checks.validation import slugify
from ..content.kinds import ContentLayout
from ..content.messages import translate
from ..content.models import TipFrontMatter
from ..content.problems import unknown_value_message
from ..content.repository import Repository, chronological
from ..content.sourcefile import Positions
from ..content.vocabulary import Vocabularies
from .site_config import MeetingDefaults


class ScaffoldError(ValueError):
    """A file cannot be created (it exists, or there is nothing to base it on); the message is Dutch."""


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str


def front_matter(data: dict[str, object], body: str = "") -> str:
    """A Markdown file with YAML front matter in the style of the content files."""
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
    return f"---\n{dumped}---\n{body}"


def _next_in_rotation(rotation: list[str], current: str | None, active: set[str]) -> str | None:
    """The chair after `current` in the rotation, skipping whoever no longer takes part (validation refuses
    them in the rotation; this keeps new-meeting from ever picking one)."""
    if not rotation:
        return current if current in active else None
    start = rotation.index(current) + 1 if current in rotation else 0
    ordered = rotation[start:] + rotation[:start]
    return next((coach for coach in ordered if coach in active), None)


def new_meeting(
    repository: Repository,
    today: date,
    on: date | None = None,
    layout: ContentLayout | None = None,
    defaults: MeetingDefaults | None = None,
) -> NewFile:
    """The next meeting: the configured rhythm (default three weeks) after the last one, or the first configured
    weekday after today; the next chair in the rotation; the configured place and hours, else the last ones."""
    layout = layout or ContentLayout()
    defaults = defaults or MeetingDefaults()
    meetings = chronological(repository.meetings)
    if not meetings and on is None and defaults.day is None:
        raise ScaffoldError("er is nog geen overleg; geef de datum op met --date JJJJ-MM-DD.")
    last = meetings[-1] if meetings else None
    day = on or (last.date + defaults.interval if last else defaults.first_date(today))
    path = repository.root / layout.meetings_dir / f"{day.isoformat()}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(repository.root)} bestaat al; er wordt niets overschreven.")
    active = {c.id for c in repository.coaches.values() if c.active}
    chair = _next_in_rotation(repository.chair_rotation, last.chair if last else None, active)
    if chair is None:
        raise ScaffoldError("geen voorzitter: vul chair_rotation in tips/coaches.yml in met actieve digicoaches.")
    data: dict[str, object] = {
        "date": day,
        "start": defaults.start or (last.start if last else "13:30"),
        "end": defaults.end or (last.end if last else "15:00"),
        "location": defaults.location or (last.location if last else "Te bepalen"),
        "chair": chair,
    }
    if last and last.chair != chair:
        data["minute_taker"] = last.chair
    data["items"] = []
    return NewFile(path, front_matter(data))


def write_new(file: NewFile) -> None:
    """Create the file; refuses to overwrite even if it appeared after planning (exclusive create)."""
    file.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with file.path.open("x", encoding="utf-8") as handle:
            handle.write(file.text)
    except FileExistsError:
        raise ScaffoldError(f"{file.path} bestaat al; er wordt niets overschreven.") from None


@dataclass(frozen=True)
class TipRequest:
    """What a coach tells `kennisbank new-tip`; ids are checked against the vocabulary."""

    title: str
    tools: tuple[str, ...]
    department: str
    difficulty: str
    source: str
    coach: str
    summary: str = ""
    municipalities: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


TIP_BODY = """Waarom dit handig is: beschrijf in één of twee zinnen wat een collega ermee wint.

1. Eerste stap: begin met een werkwoord, zet knoppen in **vet**.
2. Tweede stap.
3. Derde stap.

!!! tip "Goed om te weten"
    Een extra weetje, of wat je doet als het niet lukt.
"""


def check_tip_request(request: TipRequest, vocabularies: Vocabularies) -> list[str]:
    """Dutch problems with the requested values (allowed values and 'bedoelde je' included)."""
    problems = []
    checks = (
        [("tools", "tool", v) for v in request.tools]
        + [
            ("departments+alle", "dienst", request.department),
            ("difficulties", "niveau", request.difficulty),
            ("sources", "bron", request.source),
            ("coaches", "digicoach", request.coach),
        ]
        + [("municipalities", "gemeente", v) for v in request.municipalities]
    )
    for vocabulary, noun, value in checks:
        allowed = vocabularies.values.get(vocabulary, ())
        if value not in allowed:
            problems.append(unknown_value_message(noun, value, allowed))
    if not request.tools:
        problems.append("geef minstens één tool op.")
    return problems


def _free_slug(base: str, taken: dict[str, str]) -> str:
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


def new_tip(repository: Repository, request: TipRequest, today: date, layout: ContentLayout | None = None) -> NewFile:
    """A valid tip file in tips/<department>/<slug>.md, slug from the title, dated today."""
    layout = layout or ContentLayout()
    vocabularies = Vocabularies.build(
        repository.taxonomy, tuple(repository.coaches), tuple(t.slug for t in repository.tips)
    )
    problems = check_tip_request(request, vocabularies)
    data: dict[str, object] = {
        "title": request.title.strip(),
        "summary": request.summary.strip(),
        "tools": list(request.tools),
        "difficulty": request.difficulty,
        "source": request.source,
        "departments": [request.department],
    }
    if request.municipalities:
        data["municipalities"] = list(request.municipalities)
    data.update({"coach": request.coach, "date": today, "tags": [t.lower() for t in request.tags]})
    coach = repository.coaches.get(request.coach)
    if coach is not None and not coach.active:
        active = ", ".join(c.id for c in repository.coaches.values() if c.active)
        problems.append(f"digicoach '{request.coach}' is niet meer actief; kies een actieve digicoach ({active}).")
    try:
        TipFrontMatter.model_validate(data)
    except ValidationError as exc:  # in Dutch, as validate says it
        problems += [
            f"{p.field}: {p.message}"
            for p in translate(exc, TipFrontMatter, "", Positions((1, 1)))
            if "ontbreekt" not in p.message
        ]
    existing = {t.slug: t.source_path for t in repository.tips}
    slug = slugify(request.title)
    if not slug:  # a title without Latin letters (Arabic, say): the file still needs a name
        slug = _free_slug(f"tip-{today.isoformat()}", existing)
    if slug in existing:
        problems.append(f"er bestaat al een tip met de slug '{slug}' ({existing[slug]}); kies een andere titel.")
    if problems:
        raise ScaffoldError("\n".join(problems))
    if not data["summary"]:
        del data["summary"]
    path = repository.root / layout.tips_dir / request.department / f"{slug}.md"
    return NewFile(path, front_matter(data, "\n" + TIP_BODY))
