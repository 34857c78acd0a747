"""The content model: vocabulary, coaches, tips, learning paths, meetings and signals as pydantic models.

Fields that hold an id from a vocabulary carry `Vocab` metadata. Pydantic only checks the shape;
`vocabulary.check_references` checks the ids against the loaded taxonomy (with "did you mean"), and
`schema.build_json_schema` turns the same metadata into `enum`s for editor completion.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from ..policy import MAX_PATH_STEPS

ALL_DEPARTMENTS = "alle"
# What the web template (docs/sjablonen/nieuwe-tip.md) writes where only the coach knows the answer (who, when):
# validation says "nog in te vullen" instead of "unknown coach" or "not a date".
PLACEHOLDER = "nog-in-te-vullen"
# A tip's or learning path's `coach:` when it is a generic tip nobody has taken over yet (`kennisbank start` writes
# it): validation warns, the site shows the tip without a coach, and the publish build refuses it.
UNCLAIMED = "over-te-nemen"
# The template's example texts; a tip that still contains one is not finished.
PLACEHOLDER_TAG = "trefwoord"
PLACEHOLDER_TEXTS = (
    "Wat je kunt doen, in gewone woorden",
    "Eén zin die zegt wat deze tip een collega oplevert.",
    "beschrijf in één of twee zinnen wat een collega ermee wint",
    "Eerste stap: begin met een werkwoord",
    "2. Tweede stap.",
    "3. Derde stap.",
    "Een extra weetje, of wat je doet als het niet lukt.",
)
RESOLVED = "opgelost"  # the last status: a signal with it is closed
SIGNAL_STATUSES = ("nieuw", "doorgegeven", "in-behandeling", RESOLVED)
STATUS_LABELS = {
    "nieuw": "nieuw",
    "doorgegeven": "doorgegeven",
    "in-behandeling": "in behandeling",
    "opgelost": "opgelost",
}
COACH_ROLES = ("digicoach", "digi-expert")


@dataclass(frozen=True)
class Vocab:
    """Marks a field whose value must be an id from the named vocabulary."""

    name: str
    noun: str  # Dutch noun used in messages ("dienst", "tool", ...)

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["x-vocabulary"] = self.name
        return schema


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise PydanticCustomError(
            "kb_date_format", "'{value}' is geen datum; schrijf JJJJ-MM-DD, bv. 2026-10-14.", {"value": value}
        )
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError("kb_date_impossible", "de datum '{value}' bestaat niet.", {"value": value}) from None


def _clock(value: Any) -> Any:
    text = str(value).strip() if isinstance(value, str | int) else value
    if not isinstance(text, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text):
        raise PydanticCustomError(
            "kb_time_format",
            "'{value}' is geen uur; schrijf UU:MM tussen aanhalingstekens, bv. \"13:30\".",
            {"value": value},
        )
    return text


# C0 and C1 control characters other than tab, newline and carriage return, the noncharacters U+FFFE/U+FFFF
# and lone surrogates: invisible in an editor and fatal in XML (the feeds) and Word.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff"
# Bidirectional embeddings, overrides and isolates reorder the text after them without being seen (U+202E
# shows "gpj.exe" as "exe.jpg"; "Trojan Source"): refused everywhere, bodies included. The direction marks only
# in one-line text: alone they cannot reorder Dutch words, and Windows and Outlook paste them into dates.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
BIDI_MARKS = "\u200e\u200f\u061c"
MULTILINE_CONTROL_RE = re.compile(f"[{CONTROL_CHARACTERS}{BIDI_CONTROLS}]")
# Invisible characters without width: a zero width space (U+200B), a word joiner (U+2060) and a byte order
# mark inside the text (U+FEFF; one at the very start of a file is dropped on reading). In a name, title or
# label they make two values that look the same differ (a search, a mailto:, "An Peeters" twice). Refused in
# one-line text only. U+200C and U+200D (zero width non-joiner and joiner) stay allowed: they are part of
# correct spelling in some scripts (Persian, Indic languages) and of emoji sequences.
ZERO_WIDTH = "\u200b\u2060\ufeff"
# One-line text: no line breaks, tabs, direction marks or zero-width characters either.
_CONTROL_RE = re.compile(f"[\t\n\r{CONTROL_CHARACTERS}{BIDI_CONTROLS}{BIDI_MARKS}{ZERO_WIDTH}]")
_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}{BIDI_MARKS}]")
_ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")
# The same, as escapes in a schema's pattern.
_BIDI_ESCAPED = r"\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\u2060\ufeff"


def control_message(character: str) -> str:
    """What an invisible character is, in Dutch: a direction control is named as one."""
    if _BIDI_RE.match(character):
        return (
            f"onzichtbaar teken voor de schrijfrichting (U+{ord(character):04X}) gevonden: het kan tekst omgekeerd "
            "tonen zonder dat je het ziet; verwijder het (het komt vaak mee bij kopiëren)"
        )
    if _ZERO_WIDTH_RE.match(character):
        return (
            f"onzichtbaar teken zonder breedte (U+{ord(character):04X}) gevonden: twee waarden die er hetzelfde "
            "uitzien, verschillen dan; verwijder het (het komt vaak mee bij kopiëren uit een webpagina of Word)"
        )
    return (
        f"onzichtbaar stuurteken U+{ord(character):04X} gevonden; verwijder het (het komt vaak mee bij kopiëren "
        "uit een ander programma)"
    )


def _one_line(value: Any) -> Any:
    # A YAML escape ("\a", "\u202E") can put a control character into a title without one in the file.
    if isinstance(value, str) and (control := _CONTROL_RE.search(value)):
        if control.group() in "\t\n\r":
            raise PydanticCustomError("kb_control", "bevat een tab of regeleinde; schrijf gewone tekst op één regel.")
        raise PydanticCustomError(
            "kb_control", "{message}; schrijf gewone tekst op één regel.", {"message": control_message(control.group())}
        )
    return value


def _no_html(value: Any) -> Any:
    value = _one_line(value)
    # Browsers only start a tag when a letter, / or ! follows "<" directly; "Excel < Word" stays text.
    if isinstance(value, str) and re.search(r"<[/!?]?[a-zA-Z]|&[#a-zA-Z0-9]+;", value):
        raise PydanticCustomError(
            "kb_html", "mag geen HTML bevatten (gevonden: '{value}'). Schrijf gewone tekst.", {"value": value}
        )
    return value


def _no_control(value: Any) -> Any:
    if isinstance(value, str) and (control := MULTILINE_CONTROL_RE.search(value)):
        raise PydanticCustomError("kb_control", "{message}.", {"message": control_message(control.group())})
    return value


def _yaml_bool(value: Any) -> Any:
    # Pydantic's lax bool reads "false", "no", "0" and 0 as False: `example: "false"` would quietly publish an
    # invented person. Only a YAML boolean counts (true/false; PyYAML also reads YAML 1.1's unquoted yes/no,
    # on/off as booleans, so those arrive here as bool already).
    if isinstance(value, bool):
        return value
    raise PydanticCustomError(
        "kb_bool",
        "'{value}' is geen geldige waarde. Toegestaan: true of false (zonder aanhalingstekens).",
        {"value": value},
    )


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
# `example: true` marks invented sample content (see README "Voorbeeldinhoud").
ExampleFlag = Annotated[bool, BeforeValidator(_yaml_bool)]
FreeText = Annotated[str, BeforeValidator(_no_control)]  # multi-line notes: newlines and tabs are fine
Clock = Annotated[str, BeforeValidator(_clock), Field(json_schema_extra={"pattern": r"^\d{2}:\d{2}$"})]
PlainText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), BeforeValidator(_no_html)]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), BeforeValidator(_no_html)
]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[a-z0-9à-ÿ][a-z0-9à-ÿ -]*$")]

MunicipalityId = Annotated[str, Vocab("municipalities", "gemeente")]
DepartmentId = Annotated[str, Vocab("departments", "dienst")]
DepartmentOrAll = Annotated[str, Vocab("departments+alle", "dienst")]
ToolId = Annotated[str, Vocab("tools", "tool")]
SourceId = Annotated[str, Vocab("sources", "bron")]
DifficultyId = Annotated[str, Vocab("difficulties", "niveau")]
ThemeId = Annotated[str, Vocab("themes", "thema")]
CoachId = Annotated[str, Vocab("coaches", "digicoach")]
TipSlug = Annotated[str, Vocab("tips", "tip")]
StatusId = Annotated[str, Vocab("statuses", "status")]
RoleId = Annotated[str, Vocab("roles", "rol")]


class Strict(BaseModel):
    """Base for everything read from files: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- What every source document has -------------------------------------------------------------


class SourceData(Strict):
    """A file of one kind with its place in the repository: what every kind shares (content/kinds.py), the
    YAML data files (measurements, usage months) as well as the Markdown documents.

    A kind's class puts this after its file's own model, `class Measurement(SourceData, MeasurementFile)`:
    the file's fields come first, then these. The loader fills them (`model_construct`, no second validation)."""

    kind: ClassVar[str]  # the kind's name in the registry: "tip", "path", "meeting", "signal", "nulmeting", "gebruik"
    slug: str  # the file name without its extension: the tip's URL, the meeting's date, the month
    source_path: str  # repository path, with forward slashes: where problems and edit links point
    if TYPE_CHECKING:  # every kind's file model declares it, at its own place in the schema
        example: bool


class SourceDocument(SourceData):
    """A Markdown document: front matter (the kind's own model) and a body."""

    body: str  # the Markdown below the front matter
    body_line: int  # the line of the file the body starts on, for positioned problems


# --- Vocabulary (taxonomy.yml) ----------------------------------------------------------------


def _term_shorthand(value: Any) -> Any:
    return {"label": value} if isinstance(value, str) else value


class Term(Strict):
    """One vocabulary entry: a Dutch label and an optional description."""

    label: PlainText
    description: FreeText | None = None


TermEntry = Annotated[Term, BeforeValidator(_term_shorthand)]


class DepartmentTerm(Term):
    """A department (dienst) and the municipalities in which it exists."""

    municipalities: list[MunicipalityId] = Field(default_factory=list)


class Taxonomy(Strict):
    """Single source of truth for every allowed id. Dict order is display order (difficulties!)."""

    municipalities: dict[str, TermEntry]
    departments: dict[str, Annotated[DepartmentTerm, BeforeValidator(_term_shorthand)]]
    tools: dict[str, TermEntry]
    sources: dict[str, TermEntry]
    difficulties: dict[str, TermEntry]
    themes: dict[str, TermEntry]


# --- Coaches (coaches.yml) ----------------------------------------------------------------------


class Coach(Strict):
    """A digicoach or digi-expert: the person colleagues of a department can turn to."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    name: PlainText
    department: DepartmentId
    municipality: MunicipalityId
    # No direction controls either (a YAML escape gets them past the file check): a mailto: that reads differently.
    email: Annotated[
        str, StringConstraints(pattern=rf"^[^@\s<>\"{_BIDI_ESCAPED}]+@[^@\s<>\"{_BIDI_ESCAPED}]+\.[a-z]{{2,}}$")
    ]
    # One line, but not refused for markup: the site escapes it (tests/test_site.py puts a script there on purpose).
    phone: Annotated[str, BeforeValidator(_one_line)] | None = None
    since: IsoDate | None = None
    role: RoleId = "digicoach"
    active: bool = True
    photo: str | None = None
    example: ExampleFlag = False  # invented sample person: shown with a notice, refused by the publish build


class CoachList(Strict):
    coaches: list[Coach]
    chair_rotation: list[CoachId] = Field(default_factory=list)


# --- Tips (tips/<department>/<slug>.md) --------------------------------------------------------


class TipFrontMatter(Strict):
    """The front matter a coach writes above a tip."""

    title: Title
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), BeforeValidator(_no_html)] = ""
    tools: Annotated[list[ToolId], Field(min_length=1)]
    difficulty: DifficultyId
    source: SourceId
    source_url: FreeText | None = None
    source_note: PlainText | None = None
    departments: Annotated[list[DepartmentOrAll], Field(min_length=1)]
    municipalities: list[MunicipalityId] = Field(default_factory=list)
    coach: CoachId
    date: IsoDate
    reviewed: IsoDate | None = None
    tags: list[Tag] = Field(default_factory=list)
    example: ExampleFlag = False  # invented sample content (see README "Voorbeeldinhoud")


class Tip(SourceDocument, TipFrontMatter):
    """A validated tip with its place in the repository."""

    kind: ClassVar[str] = "tip"

    @property
    def for_everyone(self) -> bool:
        return ALL_DEPARTMENTS in self.departments

    @property
    def last_reviewed(self) -> datetime.date:  # `date` in this class is also the tip's field
        return self.reviewed or self.date


# --- Learning paths (tips/leerpaden/<slug>.md) ----------------------------------------------------


class PathStep(Strict):
    """One step of a learning path: a tip, and optionally one line on why it comes at this point."""

    tip: TipSlug
    why: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), BeforeValidator(_no_html)
        ]
        | None
    ) = None


class PathFrontMatter(Strict):
    """The front matter of a learning path: for whom it is, and its tips in the order to follow them.

    The keys are those of a tip where they mean the same (title, summary, departments, difficulty, tools,
    source, coach); the Markdown body below is the path's introduction (why follow it)."""

    title: Title
    summary: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), BeforeValidator(_no_html)
    ]
    departments: Annotated[list[DepartmentOrAll], Field(min_length=1)]
    difficulty: DifficultyId
    new_colleagues: bool = False  # meant for onboarding: shown on "Start hier"
    tools: list[ToolId] = Field(default_factory=list)  # the topics it covers; empty: the tools of its tips
    source: SourceId | None = None
    coach: CoachId  # who keeps the path up to date
    # More than MAX_PATH_STEPS is a validation error with its own message (validation._check_path).
    steps: Annotated[list[PathStep], Field(min_length=1, json_schema_extra={"maxItems": MAX_PATH_STEPS})]
    example: ExampleFlag = False  # invented sample content (see README "Voorbeeldinhoud")


class PathDocument(SourceDocument, PathFrontMatter):
    """A validated learning path with its place in the repository (the knowledge layer resolves its tips)."""

    kind: ClassVar[str] = "path"

    @property
    def for_everyone(self) -> bool:
        return ALL_DEPARTMENTS in self.departments


# --- Meetings (meetings/<yyyy-mm-dd>.md) -------------------------------------------------------


class AgendaItem(Strict):
    """An agenda item proposed by a coach, besides the generated ones."""

    title: Title
    owner: CoachId | None = None
    minutes: Annotated[int, Field(gt=0, le=240)] = 10
    notes: FreeText | None = None


class Action(Strict):
    """A follow-up action decided in a meeting; open ones return on later agendas."""

    id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), BeforeValidator(_no_control)]
    what: PlainText
    who: CoachId
    due: IsoDate | None = None
    done: bool = False
    done_on: IsoDate | None = None


class MeetingFrontMatter(Strict):
    """Front matter of a coach meeting; minutes, decisions and actions are added afterwards."""

    date: IsoDate
    start: Clock = "13:30"
    end: Clock = "15:00"
    location: PlainText
    chair: CoachId
    minute_taker: CoachId | None = None
    attendees: list[CoachId] = Field(default_factory=list)
    excused: list[CoachId] = Field(default_factory=list)
    items: list[AgendaItem] = Field(default_factory=list)
    decisions: list[PlainText] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    example: ExampleFlag = False  # invented sample content (see README "Voorbeeldinhoud")


class Meeting(SourceDocument, MeetingFrontMatter):
    kind: ClassVar[str] = "meeting"


# --- Signals (meetings/signals/<id>.md) --------------------------------------------------------


class StatusChange(Strict):
    date: IsoDate
    status: StatusId
    note: FreeText | None = None


class SignalFrontMatter(Strict):
    """A bottleneck or learning need that a coach signals to ICT or HR."""

    title: Title
    theme: ThemeId
    departments: Annotated[list[DepartmentOrAll], Field(min_length=1)]
    municipalities: list[MunicipalityId] = Field(default_factory=list)
    raised_by: CoachId
    raised_on: IsoDate
    status: StatusId = "nieuw"
    forwarded_to: DepartmentId | None = None
    resolved_on: IsoDate | None = None
    related_tips: list[TipSlug] = Field(default_factory=list)
    history: list[StatusChange] = Field(default_factory=list)
    example: ExampleFlag = False  # invented sample content (see README "Voorbeeldinhoud")


class Signal(SourceDocument, SignalFrontMatter):
    kind: ClassVar[str] = "signal"

    @property
    def is_open(self) -> bool:
        return self.status != RESOLVED
