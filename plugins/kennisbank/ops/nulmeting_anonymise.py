"""From a survey export to an anonymised measurement: which column is what, what each answer means, and which
groups are too small to show. Pure functions over a `SurveyTable`; `ops/nulmeting.py` reads and writes files.

Columns: Forms' own columns (ID, times, e-mail, name) are never read beyond the completion time, which gives
the date of the measurement. The department and municipality questions are found by their wording ("Bij
welke dienst werk je?"); which other questions are topics, and how their answers map onto the four levels,
is decided in `nulmeting_questions.py` and `nulmeting_scales.py`: a tool question is imported or stops the
import, never dropped.
Every problem of every column is collected first and reported in one message.

Suppression (see README, "Nulmeting"): a department, a department x tool group or a municipality with fewer
than `MIN_GROUP` answers is written as suppressed. Per tool, the total of all departments minus the shown
departments is the group of every hidden answer together; while that group has 1 to MIN_GROUP - 1 answers,
the smallest shown department is suppressed too, so no small group can be found by subtraction. No figure
over several tools of one department is published, so a department's row cannot be subtracted either.
The same holds for the respondents per department and per municipality: the total minus the shown groups is
0 or at least `MIN_GROUP`, else the smallest shown group is hidden too; fewer than `MIN_GROUP` respondents in
all is no measurement.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from ..content.models import Taxonomy
from ..content.nulmeting import LEVELS, DepartmentResult, Group, Headcount, MeasurementFile, average
from ..content.problems import suggest
from ..content.survey_export import Cell, SurveyTable
from ..content.synonyms import SynonymGroups, term_key
from ..knowledge.topics import ToolMatcher, words
from ..policy import MIN_GROUP
from .nulmeting_questions import ColumnProblem, IgnoredColumn, TopicColumn, echoed, level_of, read_questions
from .nulmeting_scales import NO_ANSWER, ScaleChoice

# Forms' own columns (also in English exports, and a quiz's points): personal data or not a question.
FORMS_COLUMNS = frozenset(
    words(name).strip()
    for name in (
        "ID", "Begintijd", "Start time", "Tijd van voltooien", "Completion time", "E-mail", "Email", "Naam", "Name",
        "Tijd van laatste wijziging", "Last modified time", "Totaal aantal punten", "Total points",
        "Feedback van quiz", "Quiz feedback",
    )
)  # fmt: skip
FORMS_PREFIXES = ("punten ", "points ", "feedback ")
COMPLETION_COLUMNS = (words("Tijd van voltooien").strip(), words("Completion time").strip())
MODIFIED_COLUMNS = (words("Tijd van laatste wijziging").strip(), words("Last modified time").strip())
EMAIL_COLUMNS = (words("E-mail").strip(), words("Email").strip())
NAME_COLUMNS = ("naam", "name")
ANONYMOUS = frozenset({"anonymous", "anoniem"})  # what Forms writes for a respondent who did not sign in
DEPARTMENT_WORDS = ("dienst", "afdeling", "department")
MUNICIPALITY_WORDS = ("gemeente", "stad", "bestuur", "municipality")

# What a service of a Flemish municipality is often called, and the department it usually belongs to (by label):
# used only when the taxonomy has that department and the name is not a department or synonym of its own, and
# every answer read this way is listed in the summary to check. Sport and Cultuur stay unknown: some
# municipalities count them as Vrije tijd, others as departments of their own.
COMMON_DEPARTMENTS = {
    "ruimtelijke ordening": "Omgeving", "stedenbouw": "Omgeving", "milieu": "Omgeving", "milieudienst": "Omgeving",
    "groendienst": "Technische dienst", "werkplaats": "Technische dienst", "openbare werken": "Technische dienst",
    "it": "ICT", "informatica": "ICT", "informaticadienst": "ICT",
    "bko": "Kinderopvang", "buitenschoolse kinderopvang": "Kinderopvang", "kinderdagverblijf": "Kinderopvang",
    "jeugd": "Vrije tijd", "jeugddienst": "Vrije tijd",
    "hr": "Personeel & Organisatie", "personeelsdienst": "Personeel & Organisatie",
    "bib": "Bibliotheek", "bevolking": "Burgerzaken", "burgerlijke stand": "Burgerzaken",
}  # fmt: skip
UNKNOWN = "onbekend"
MIN_RESOLVED = 0.25  # the department column: at least a quarter of its answers name a department
TWO_DEPARTMENTS = "(twee verschillende diensten ingevuld)"  # a row that fills two branches differently
MAX_WITHOUT_DEPARTMENT = 0.25  # more respondents without a department answer: the question is elsewhere too


class SurveyError(Exception):
    """An export that cannot be turned into a measurement; the message is Dutch."""


@dataclass(frozen=True)
class ImportOptions:
    """Choices the person importing can make on the command line."""

    measured_on: date | None = None  # --datum: instead of the last completion time
    scale: int | None = None  # --schaal 4, 5 or 10: instead of detecting it
    department_column: str | tuple[str, ...] | None = None  # --dienstkolom (repeatable): the department question(s)
    municipality_column: str | None = None  # --gemeentekolom
    labels: Mapping[str, str] = field(default_factory=dict)  # --schaal-bestand, --niveau: folded label -> level
    ignore_columns: tuple[str, ...] = ()  # --negeer-kolom: headers left out on purpose
    sheet: str | None = None  # --blad: the sheet of a workbook to read


@dataclass(frozen=True)
class InterpretedAnswer:
    """A free answer read as a taxonomy value by its parts or an abbreviation: shown so it can be checked."""

    value: str
    count: int
    label: str


@dataclass(frozen=True)
class UnknownAnswer:
    """A department or municipality answer that matches nothing in the taxonomy: counted as "onbekend"."""

    value: str
    count: int
    suggestion: str | None  # the label it may have meant


@dataclass(frozen=True)
class Suppressed:
    """A group that is written without its numbers; `tool` None is the department (or all departments
    when `department` is None), `extra` marks a group hidden so that a small one cannot be subtracted.
    `municipality` set: that municipality's headcount (department and tool are then None)."""

    department: str | None
    tool: str | None
    extra: bool = False
    municipality: str | None = None


@dataclass(frozen=True)
class ImportResult:
    """The anonymised measurement and what the summary tells about the import."""

    measurement: MeasurementFile
    source_format: str
    date_from: str  # where the date came from, in Dutch
    department_header: str
    municipality_header: str | None
    topics: tuple[TopicColumn, ...]
    ignored: tuple[IgnoredColumn, ...]
    unknown_departments: tuple[UnknownAnswer, ...]
    unknown_municipalities: tuple[UnknownAnswer, ...]
    suppressed: tuple[Suppressed, ...]
    interpreted: tuple[InterpretedAnswer, ...] = ()  # department and municipality answers read by their parts
    earlier_submissions: int = 0  # rows left out: the same person submitted again later
    department_headers: tuple[str, ...] = ()  # every column of the department question (branching: several)
    department_conflicts: tuple[int, ...] = ()  # rows that name two different departments in those columns
    without_department: int = 0  # respondents who gave no department


@dataclass(frozen=True)
class Resolver:
    """Matches free answers ("Dienst Burgerzaken", "bevolking", "OCMW") to taxonomy ids."""

    keys: Mapping[str, str]  # term key -> id
    labels: Mapping[str, str]  # id -> label
    aliases: Mapping[str, str] = field(default_factory=dict)  # term key -> id, shown in the summary to check
    # Answers already resolved: choosing a column resolves the same answers once per candidate column, and
    # an export repeats the same few departments hundreds of times. The mappings above never change.
    _resolved: dict[str, str | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def build(
        cls, terms: Mapping[str, str], synonyms: SynonymGroups, common: Mapping[str, str] | None = None
    ) -> Resolver:
        """From {id: label}: the id, the label ('&' also as 'en') and the synonyms of either; `common` names
        (name -> label) count for the value with that label, when the taxonomy has one."""
        names: dict[str, set[str]] = {}
        for value_id, label in terms.items():
            for name in (value_id, label, label.replace("&", " en ")):
                names.setdefault(term_key(name), set()).add(value_id)
        for group in synonyms.groups:
            owners = {value_id for term in group for value_id in names.get(term_key(term), ())}
            if len(owners) == 1:
                for term in group:
                    names.setdefault(term_key(term), set()).update(owners)
        keys = {key: next(iter(ids)) for key, ids in names.items() if len(ids) == 1}
        aliases = {
            term_key(name): keys[term_key(label)]
            for name, label in (common or {}).items()
            if term_key(label) in keys and term_key(name) not in names
        }
        return cls(keys, dict(terms), aliases)

    def resolve(self, answer: str) -> str | None:
        """The id an answer names, or None."""
        if answer not in self._resolved:
            self._resolved[answer] = self.direct(answer) or self._common(answer) or self._by_parts(answer)
        return self._resolved[answer]

    def _common(self, answer: str) -> str | None:
        key = term_key(answer.replace("&", " en "))
        for lead in ("", "dienst", "afdeling"):
            if key.startswith(lead) and key[len(lead) :] in self.aliases:
                return self.aliases[key[len(lead) :]]
        return None

    def direct(self, answer: str) -> str | None:
        """The id an answer names as such: a label, id or synonym, or one after "Dienst" or "Stad"."""
        key = term_key(answer.replace("&", " en "))
        found = self.keys.get(key) or self.keys.get(term_key(answer))
        if found:
            return found
        for lead in ("dienst", "afdeling", "gemeente", "stad"):  # "Dienst ICT", "Stad Veurne"
            if key.startswith(lead) and key[len(lead) :] in self.keys:
                return self.keys[key[len(lead) :]]
        return None

    def _by_parts(self, answer: str) -> str | None:
        """The one id that the parts ("OCMW / sociaal huis", "Sociaal Huis (OCMW)") or the words and word pairs
        ("loket burgerzaken") of a free answer name; None when they name none, or two different ones."""
        parts = [p for p in re.split(r"[/()|,;+]", answer) if p.strip()]
        found = {key for p in parts if (key := self.resolve(p)) is not None} if len(parts) > 1 else set()
        if not found:
            tokens = words(answer).split()
            phrases = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
            found = {self.keys[term_key(p)] for p in phrases if term_key(p) in self.keys}
        if not found:
            found = self._by_abbreviation(answer)
        return found.pop() if len(found) == 1 else None

    def _by_abbreviation(self, answer: str) -> set[str]:
        """Labels an abbreviated answer points at: initials ("TD", "P&O") or shortened words ("Techn. dienst",
        "Financiële dienst", "Personeelsdienst": the first six letters of a word of the label)."""
        letters = re.sub(r"[^A-Za-z]", "", answer)
        found = set()
        for value_id, label in self.labels.items():
            label_words = [w for w in words(label.replace("&", " ")).split() if w != "en"]
            if 2 <= len(letters) <= 4 and letters.lower() == "".join(w[0] for w in label_words):
                found.add(value_id)
                continue
            if self._shortened(answer, label_words):
                found.add(value_id)
        return found

    @staticmethod
    def _shortened(answer: str, label_words: list[str]) -> bool:
        """Every own word of the answer starts a word of the label ("Techn. dienst"); next to "dienst", the
        first six letters are enough ("Financiële dienst", "Personeelsdienst"). A typo without such a word
        ("Burgerzakn") is no abbreviation: it stays unknown, with a suggestion."""
        folded = words(answer).split()
        own = [re.sub(r"s?dienst$", "", w) if len(w) > 9 else w for w in folded if w not in _GENERIC_WORDS]
        with_service = len(own) < len(folded) or any(w.endswith("dienst") and len(w) > 9 for w in folded)
        return bool(own) and all(
            len(w) >= 3
            and any(lw.startswith(w) or (with_service and len(w) >= 6 and lw[:6] == w[:6]) for lw in label_words)
            for w in own
        )

    def suggestion(self, answer: str) -> str | None:
        """The label a near miss probably meant ("Burgerzakn" -> "Burgerzaken")."""
        return suggest(answer, list(self.labels.values()))


def _header_has(header: str, keywords: Iterable[str]) -> bool:
    folded = words(header)
    return any(f" {word} " in folded for word in keywords)


@dataclass(frozen=True)
class _Layout:
    departments: tuple[int, ...]  # one column, or one per branch of the form (per municipality)
    municipality: int | None
    completion: int | None
    topics: tuple[TopicColumn, ...]
    ignored: tuple[IgnoredColumn, ...]


_GENERIC_WORDS = frozenset({"dienst", "loket", "afdeling", "team", "cel", "de", "het", "van", "en", "stad", "gemeente"})


def _column_by_name(table: SurveyTable, wanted: str, option: str, matcher: ToolMatcher) -> int:
    key = words(wanted)
    for index, header in enumerate(table.headers):
        if words(header) == key:
            folded = key.strip()
            if folded in FORMS_COLUMNS or folded.startswith(FORMS_PREFIXES):
                raise SurveyError(
                    f"{table.name}: {option} '{echoed(header)}' is een kolom van Forms zelf (persoonsgegevens of "
                    "tijdstippen) en wordt nooit gelezen; geef de titel van de vraag naar de dienst of gemeente."
                )
            if matcher.tools_in(header):
                raise SurveyError(
                    f"{table.name}: {option} '{echoed(header)}' is een vraag over een tool "
                    f"({', '.join(matcher.tools_in(header))}), niet naar de dienst of gemeente."
                )
            return index
    hint = suggest(wanted, [h for h in table.headers if h])
    hint = echoed(hint) if hint else None
    raise SurveyError(
        f"{table.name}: {option} '{echoed(wanted)}' is geen kolom van het bestand. Kolommen: {_list(table.headers)}."
        + (f" Bedoel je '{hint}'?" if hint else "")
    )


def _list(headers: Sequence[str], limit: int = 12) -> str:
    shown = [f"'{echoed(h)}'" if h else "(zonder titel)" for h in headers[:limit]]
    more = f" … (nog {len(headers) - limit})" if len(headers) > limit else ""
    return ", ".join(shown) + more


def _answer_share(table: SurveyTable, index: int, resolver: Resolver) -> float:
    answers = [c for row in table.rows if isinstance(c := row.cells[index], str)]
    return sum(resolver.resolve(a) is not None for a in answers) / len(answers) if answers else 0.0


def _find_column(
    table: SurveyTable, candidates: list[int], keywords: tuple[str, ...], resolver: Resolver
) -> int | None:
    named = [i for i in candidates if _header_has(table.headers[i], keywords)]
    if named:  # several questions mention the word: the one whose answers match best
        return max(named, key=lambda i: (_answer_share(table, i, resolver), -i))
    return None


def _layout(
    table: SurveyTable,
    taxonomy: Taxonomy,
    matcher: ToolMatcher,
    departments: Resolver,
    municipalities: Resolver,
    options: ImportOptions,
) -> _Layout:
    ignored: list[IgnoredColumn] = []
    completion = None
    open_columns = []
    for index, header in enumerate(table.headers):
        folded = words(header).strip()
        if not folded:
            if any(row.cells[index] is not None for row in table.rows):
                ignored.append(IgnoredColumn(f"(kolom {index + 1})", "kolom zonder titel"))
            continue
        if folded in FORMS_COLUMNS or folded.startswith(FORMS_PREFIXES):
            ignored.append(IgnoredColumn(header, "gegevens van Forms of persoonsgegevens"))
            if folded in COMPLETION_COLUMNS and completion is None:
                completion = index
            continue
        open_columns.append(index)

    no_tool = [i for i in open_columns if not matcher.tools_in(table.headers[i])]
    wanted = options.department_column
    named = (wanted,) if isinstance(wanted, str) else tuple(wanted or ())
    branches: list[int] = []
    department: int | None
    if named:
        branches = list(dict.fromkeys(_column_by_name(table, n, "--dienstkolom", matcher) for n in named))
        department = branches[0]
    else:
        department = _find_column(table, no_tool, DEPARTMENT_WORDS, departments)
    best = max(open_columns, key=lambda i: (_answer_share(table, i, departments), -i), default=None)
    hint = (
        f" bedoel je '{table.headers[best]}'? Geef dan --dienstkolom \"{table.headers[best]}\" mee."
        if best is not None and best != department and _answer_share(table, best, departments) >= MIN_RESOLVED
        else ' geef de kolom met de dienst op met --dienstkolom "TITEL VAN DE VRAAG".'
    )
    # Every problem is reported at once: a missing department question does not hide the tool questions'.
    errors: list[str] = []
    if department is None:
        errors.append(
            f"{table.name}: Ik vind geen kolom met de dienst; kolommen in het bestand: {_list(table.headers)};{hint}"
            f" (Gelezen: {table.format}; de eerste rij is de kopregel.)"
        )
    elif (share := _answer_share(table, department, departments)) < MIN_RESOLVED:
        # a free-text question that mentions "dienst", or the wrong column given
        errors.append(
            f"{table.name}: in de kolom '{table.headers[department]}' is maar {round(share * 100)}% van de "
            f"antwoorden een dienst uit tips/taxonomy.yml; dat is niet de vraag naar de dienst. Er is niets "
            f"geschreven;{hint}"
        )
        department = None
    if department is not None and not named:
        branches = _branches(table, department, no_tool, departments)
    if department is not None and not named:
        empty = sum(not any(_text_of(row.cells[i]) for i in branches) for row in table.rows)
        if empty > MAX_WITHOUT_DEPARTMENT * len(table.rows):
            errors.append(_without_department_message(table, branches, empty, no_tool, departments))
    rest = [i for i in open_columns if i not in branches and i != department]
    if options.municipality_column:
        municipality: int | None = _column_by_name(table, options.municipality_column, "--gemeentekolom", matcher)
        if municipality == department and department is not None:
            raise SurveyError(
                f"{table.name}: --gemeentekolom en de dienst zijn dezelfde kolom "
                f"('{echoed(table.headers[department])}'); geef voor de gemeente een andere vraag op."
            )
    else:
        no_tool = [i for i in rest if not matcher.tools_in(table.headers[i])]
        municipality = _find_column(table, no_tool, MUNICIPALITY_WORDS, municipalities)
        if municipality is not None and _answer_share(table, municipality, municipalities) < MIN_RESOLVED:
            ignored.append(IgnoredColumn(table.headers[municipality], "de antwoorden zijn geen gemeenten"))
            rest.remove(municipality)
            municipality = None

    ignore = _ignored_columns(table, options.ignore_columns, {*branches, department, municipality})
    choice = ScaleChoice(options.labels, options.scale)
    tool_labels = {key: term.label for key, term in taxonomy.tools.items()}
    questions = read_questions(table, [i for i in rest if i != municipality], matcher, tool_labels, choice, ignore)
    ignored += questions.ignored
    if questions.problems:
        errors.append(problems_message(table, questions.problems))
    if errors or department is None:
        raise SurveyError("\n\n".join(errors))
    topics = list(questions.topics)
    if not topics:
        raise SurveyError(
            f"{table.name}: geen enkele vraag over een tool gevonden (de titel van een vraag moet een tool noemen, bv. "
            f"'Hoe vaardig ben je in Outlook?'). Kolommen in het bestand: {_list(table.headers)}."
        )
    return _Layout(tuple(branches) or (department,), municipality, completion, tuple(topics), tuple(ignored))


def _text_of(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


def _branches(table: SurveyTable, first: int, candidates: Sequence[int], resolver: Resolver) -> list[int]:
    """The department question and its branches: when Forms asks the department per municipality (a branch
    after "Gemeente"), every branch is a column of its own ("Dienst (De Panne)", "Dienst (Koksijde)") and each
    respondent fills one. A column joins when its title asks about the department, most of its answers name one,
    and it is filled mostly in rows the columns taken so far leave empty."""
    taken = [first]
    filled = {n for n, row in enumerate(table.rows) if _text_of(row.cells[first])}
    for index in candidates:
        if index == first or not _header_has(table.headers[index], DEPARTMENT_WORDS):
            continue
        if _answer_share(table, index, resolver) < MIN_RESOLVED:
            continue
        own = {n for n, row in enumerate(table.rows) if _text_of(row.cells[index])}
        if own - filled and len(own & filled) * 4 < len(own):
            taken.append(index)
            filled |= own
    return sorted(taken)


def _without_department_message(
    table: SurveyTable, taken: Sequence[int], empty: int, candidates: Sequence[int], resolver: Resolver
) -> str:
    """More than a quarter of the respondents without a department: the question is (also) somewhere else."""
    others = [
        i
        for i in candidates
        if i not in taken
        and (_header_has(table.headers[i], DEPARTMENT_WORDS) or _answer_share(table, i, resolver) >= MIN_RESOLVED)
    ]
    where = _list([table.headers[i] for i in taken])
    total = len(table.rows)
    text = (
        f"{table.name}: {empty} van de {total} respondenten ({round(empty * 100 / total)}%) hebben geen antwoord op "
        f"de vraag naar de dienst ({where}); zo telt een groot deel van de meting bij geen enkele dienst. "
        "Er is niets geschreven."
    )
    if others:
        text += (
            f" Kolommen die ook op de vraag naar de dienst lijken: {_list([table.headers[i] for i in others])}. "
            "Vraagt het formulier de dienst in meer kolommen (een vertakking, bv. per gemeente), geef dan elke "
            'kolom mee met --dienstkolom "TITEL" (mag meer dan eens); ze worden samengevoegd.'
        )
    else:
        text += (
            " Geen andere kolom lijkt op de vraag naar de dienst. Was de vraag niet verplicht, geef de kolom dan "
            'bewust mee met --dienstkolom "TITEL"; de samenvatting meldt dan hoeveel respondenten geen dienst gaven.'
        )
    return text


def _department_cells(
    table: SurveyTable, columns: Sequence[int], resolver: Resolver
) -> tuple[list[Cell], tuple[int, ...]]:
    """Per row the one department answer of the department columns (the filled one), and the rows that fill
    two with different departments: those count as unknown."""
    cells: list[Cell] = []
    conflicts: list[int] = []
    for row in table.rows:
        answers = [row.cells[i] for i in columns if _text_of(row.cells[i])]
        named = {resolver.resolve(_text_of(a)) or words(_text_of(a)) for a in answers}
        if len(named) > 1:
            conflicts.append(row.number)
            cells.append(TWO_DEPARTMENTS)
        else:
            cells.append(answers[0] if answers else None)
    return cells, tuple(conflicts)


_DATE_RE = re.compile(
    r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{2,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp][Mm])?)?$"
)


def _date_parts(cell: Cell) -> date | tuple[int, int, int] | None:
    """A date cell as a date, a text date as (a, b, year) when day and month may be either way round."""
    if isinstance(cell, datetime):
        return cell.date()
    found = _DATE_RE.match(str(cell).strip()) if isinstance(cell, str) else None
    if not found:
        return None
    first, second, third = (int(found.group(i)) for i in (1, 2, 3))
    if len(found.group(1)) == 4:  # 2026-10-15
        try:
            return date(first, second, third)
        except ValueError:
            return None
    return first, second, third + 2000 if third < 100 else third


def _measured_on(table: SurveyTable, layout: _Layout, options: ImportOptions) -> tuple[date, str]:
    if options.measured_on is not None:
        return options.measured_on, "--datum"
    if layout.completion is None:
        raise SurveyError(
            f"{table.name}: geen kolom 'Tijd van voltooien' (of 'Completion time'); geef de datum van de meting mee "
            "met --datum JJJJ-MM-DD."
        )
    header = table.headers[layout.completion]
    parsed: list[tuple[int, Cell, date | tuple[int, int, int]]] = []
    for row in table.rows:
        cell = row.cells[layout.completion]
        if cell is None:
            continue
        value = _date_parts(cell)
        if value is None:
            raise SurveyError(
                f"{table.name}: kolom '{header}', rij {row.number}: '{cell}' is geen datum. Geef de datum van de "
                "meting mee met --datum JJJJ-MM-DD."
            )
        parsed.append((row.number, cell, value))
    if not parsed:
        raise SurveyError(f"{table.name}: de kolom '{header}' is leeg; geef de datum mee met --datum JJJJ-MM-DD.")
    # 15/10/2026 or 10/15/2026: one reading must fit every row; an English export writes the month first.
    orders = ("month", "day") if header.lower().startswith("completion") else ("day", "month")
    for order in orders:
        dates = [_as_date(value, order) for _, _, value in parsed]
        if all(dates):
            return max(d for d in dates if d), f"de laatste '{header}'"
    raise SurveyError(
        f"{table.name}: de datums in kolom '{header}' zijn niet te lezen als dag/maand/jaar of maand/dag/jaar "
        f"(rij {parsed[0][0]}: '{parsed[0][1]}'); geef de datum mee met --datum JJJJ-MM-DD."
    )


def _as_date(value: date | tuple[int, int, int], order: str) -> date | None:
    if isinstance(value, date):
        return value
    first, second, year = value
    day, month = (first, second) if order == "day" else (second, first)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _levels_per_row(table: SurveyTable, topics: Sequence[TopicColumn]) -> list[dict[str, str]]:
    """Per row: tool -> level (every label was checked when the questions were read)."""
    result = []
    for row in table.rows:
        levels = {}
        for topic in topics:
            level = level_of(row.cells[topic.index], topic)
            if level != NO_ANSWER:
                levels[topic.tool] = level
        result.append(levels)
    return result


def _ignored_columns(table: SurveyTable, wanted: Sequence[str], taken: set[int | None]) -> list[int]:
    """The columns --negeer-kolom names; a name that is no column (or is the department or municipality
    question) is an error with the closest title."""
    found = []
    problems = []
    folded = {words(h): i for i, h in reversed(list(enumerate(table.headers))) if h}
    for name in wanted:
        index = folded.get(words(name))
        if index is None:
            hint = suggest(name, [h for h in table.headers if h])
            problems.append(
                f"--negeer-kolom '{echoed(name)}' is geen kolom van het bestand"
                + (f". Bedoelde je '{echoed(hint, 80)}'?" if hint else f". Kolommen: {_list(table.headers)}.")
            )
        elif index in taken:
            problems.append(f"--negeer-kolom '{echoed(name)}' is de vraag naar de dienst of de gemeente.")
        else:
            found.append(index)
    if problems:
        raise SurveyError(f"{table.name}: " + "\n".join(problems))
    return found


def problems_message(table: SurveyTable, problems: Sequence[ColumnProblem]) -> str:
    """Every column that stops the import, grouped per column with counts, and a scale file to copy for the
    answers no scale knows. Nothing is written."""
    lines = [
        f"{table.name}: {_count(len(problems), 'probleem', 'problemen')} in "
        f"{_count(len({p.header for p in problems}), 'kolom', 'kolommen')}; er is niets geschreven en het "
        "exportbestand blijft ongewijzigd.",
    ]
    proposal: dict[str, tuple[str, str]] = {}
    for problem in problems:
        lines.append(f"- kolom {problem.letter} '{echoed(problem.header, 100)}': {problem.message}")
        for label in problem.unknown:
            rows = ", ".join(map(str, label.rows)) + (" …" if label.count > len(label.rows) else "")
            hint = f"bedoelde je '{label.why.split(chr(39))[1]}'?" if label.why.startswith("lijkt op") else label.why
            lines.append(
                f"    '{echoed(label.label)}': {label.count}× (rij {rows}); voorstel: {label.proposal} ({hint})"
            )
            proposal.setdefault(label.label, (label.proposal, hint))
    if proposal:
        lines += [
            "",
            "Zo zou de import deze antwoorden lezen. Kopieer dit naar een bestand schaal.yml (buiten de repository), "
            "zet bij elk antwoord het juiste niveau (geen, basis, gevorderd, expert of 'geen antwoord') en lees "
            'opnieuw in met --schaal-bestand schaal.yml (of geef elk antwoord mee met --niveau "antwoord=niveau"):',
            "",
            *(f"{_yaml_key(label)}: {level}   # {hint}" for label, (level, hint) in proposal.items()),
        ]
    lines += [
        "",
        "Bekende schalen: Ik ken de basis niet / Basis / Gevorderd / Expert; Beginner / Gemiddeld / Gevorderd / "
        "Expert (met of zonder Ik ken het niet); Helemaal niet vaardig … Zeer vaardig; Niet vaardig / Eerder niet "
        "vaardig / Eerder vaardig / Vaardig / Zeer vaardig; Ik kan dit niet / met hulp / zelfstandig / aan anderen "
        "uitleggen; Moeilijk / Gaat wel / Goed / Heel goed; "
        "Helemaal niet / Een beetje / Voldoende / Goed / Heel goed; Helemaal oneens … Helemaal "
        "eens; cijfers of sterren van 1 tot 4 of 1 tot 5 (--schaal 4 of --schaal 5 kiest); een cijfer op 10 "
        "(--schaal 10: 1-3 geen, 4-5 basis, 6-8 gevorderd, 9-10 expert). "
        "Leeg, N.v.t., Gebruik ik niet en Weet ik niet tellen als "
        'geen antwoord. Een kolom die geen vraag over een tool is: --negeer-kolom "titel".',
    ]
    return "\n".join(lines)


def _count(number: int, one: str, more: str) -> str:
    return f"{number} {one if number == 1 else more}"


def _yaml_key(label: str) -> str:
    """A label as a YAML key that reads back as the same text."""
    clean = echoed(label, 80).replace("'", "''")
    return f"'{clean}'"


def _answers(
    cells: Sequence[Cell] | None, resolver: Resolver, rows: int
) -> tuple[list[str], tuple[UnknownAnswer, ...], tuple[InterpretedAnswer, ...]]:
    """Per row the id the answer names (or "onbekend"), the unknown answers with their counts, and the answers
    read by their parts or as an abbreviation. `cells` None: the export has no such question."""
    ids: list[str] = []
    unknown: Counter[str] = Counter()
    interpreted: Counter[tuple[str, str]] = Counter()
    for cell in cells if cells is not None else [None] * rows:
        text = "" if cell is None else str(cell).strip()
        found = resolver.resolve(text) if text else None
        ids.append(found or UNKNOWN)
        if cells is not None and found is None:
            unknown[text] += 1
        elif found is not None and resolver.direct(text) is None:
            interpreted[(text, found)] += 1
    answers = tuple(
        UnknownAnswer(echoed(value, 40) or "(leeg)", count, resolver.suggestion(value) if value else None)
        for value, count in sorted(unknown.items(), key=lambda item: (-item[1], item[0]))
    )
    read = tuple(
        InterpretedAnswer(echoed(value, 40), count, resolver.labels[found])
        for (value, found), count in sorted(interpreted.items(), key=lambda item: (-item[1], item[0]))
    )
    return ids, answers, read


def complementary(total: int, shown: Mapping[str, int], minimum: int = MIN_GROUP) -> list[str]:
    """The shown groups (in order, smallest first on a tie by order) to hide as well, so that `total` minus the
    shown groups is 0 or at least `minimum`: otherwise the hidden groups' size would be found by subtraction."""
    visible = dict(shown)
    hidden: list[str] = []
    order = list(shown)
    while visible and 0 < total - sum(visible.values()) < minimum:
        smallest = min(visible, key=lambda key: (visible[key], order.index(key)))
        del visible[smallest]
        hidden.append(smallest)
    return hidden


def _group(levels: Counter[str]) -> Group:
    counts = {level: levels.get(level, 0) for level in LEVELS}
    return Group(respondents=sum(counts.values()), levels=counts, average=round(average(counts), 2))


SUPPRESSED = Group(suppressed=True)


def latest_submissions(table: SurveyTable) -> tuple[SurveyTable, int]:
    """The table with only the latest submission of each person, and how many earlier ones were left out.

    A person is known by Forms' e-mail column (lower case, no spaces around it), else by Forms' name column,
    when it is filled and not "anonymous"; the latest is the one with the latest 'Tijd van laatste wijziging',
    else 'Tijd van voltooien', else the lowest row. Only a count leaves this function: never an address."""

    def column(names: tuple[str, ...]) -> int | None:
        return next((i for i, h in enumerate(table.headers) if words(h).strip() in names), None)

    identities = [i for i in (column(EMAIL_COLUMNS), column(NAME_COLUMNS)) if i is not None]
    times = [i for i in (column(MODIFIED_COLUMNS), column(COMPLETION_COLUMNS)) if i is not None]
    if not identities:
        return table, 0
    latest: dict[str, tuple[tuple[datetime, int], int]] = {}
    keep: list[int] = []
    for position, row in enumerate(table.rows):
        person = None
        for index in identities:
            cell = row.cells[index]
            text = " ".join(str(cell).split()).lower() if cell is not None else ""
            if text and text not in ANONYMOUS:
                person = f"{index}:{text}"
                break
        if person is None:
            keep.append(position)
            continue
        moment = next((m for i in times if (m := _moment(row.cells[i])) is not None), datetime.min)
        order = (moment, row.number)
        if person not in latest or order >= latest[person][0]:
            latest[person] = (order, position)
    keep += [position for _, position in latest.values()]
    if len(keep) == len(table.rows):
        return table, 0
    rows = tuple(table.rows[p] for p in sorted(keep))
    return replace(table, rows=rows), len(table.rows) - len(rows)


def _moment(cell: Cell) -> datetime | None:
    """A time cell as a datetime (a text one read day first, as a Dutch export writes it)."""
    if isinstance(cell, datetime):
        return cell
    found = _DATE_RE.match(cell.strip()) if isinstance(cell, str) else None
    if not found:
        return None
    parts = [int(g) if g and g.isdigit() else 0 for g in found.groups()[:6]]
    year, month, day = (parts[0], parts[1], parts[2]) if len(found.group(1)) == 4 else (parts[2], parts[1], parts[0])
    hour = parts[3] % 12 + (12 if (found.group(7) or "").lower() == "pm" else 0) if found.group(7) else parts[3]
    try:
        return datetime(year + 2000 if year < 100 else year, month, day, hour, parts[4], parts[5])
    except ValueError:
        return None


def aggregate(
    table: SurveyTable, taxonomy: Taxonomy, synonyms: SynonymGroups, options: ImportOptions | None = None
) -> ImportResult:
    """The anonymised measurement of a survey export, with every small group suppressed."""
    options = options or ImportOptions()
    table, earlier = latest_submissions(table)
    matcher = ToolMatcher.build(taxonomy, synonyms)
    departments = Resolver.build({k: t.label for k, t in taxonomy.departments.items()}, synonyms, COMMON_DEPARTMENTS)
    municipalities = Resolver.build({k: t.label for k, t in taxonomy.municipalities.items()}, synonyms)
    layout = _layout(table, taxonomy, matcher, departments, municipalities, options)
    measured_on, date_from = _measured_on(table, layout, options)
    per_row = _levels_per_row(table, layout.topics)
    department_cells, conflicts = _department_cells(table, layout.departments, departments)
    row_departments, unknown_departments, read_departments = _answers(department_cells, departments, len(table.rows))
    municipality_cells = (
        [row.cells[layout.municipality] for row in table.rows] if layout.municipality is not None else None
    )
    row_municipalities, unknown_municipalities, read_municipalities = _answers(
        municipality_cells, municipalities, len(table.rows)
    )

    overall: dict[str, Counter[str]] = {t.tool: Counter() for t in layout.topics}
    cells: dict[str, dict[str, Counter[str]]] = {}
    for department, levels in zip(row_departments, per_row, strict=True):
        for tool, level in levels.items():
            overall[tool][level] += 1
            if department != UNKNOWN:
                cells.setdefault(department, {}).setdefault(tool, Counter())[level] += 1
    headcount = Counter(d for d in row_departments if d != UNKNOWN)
    minimum = MIN_GROUP
    tool_order = [t for t in taxonomy.tools if t in overall]
    department_order = [d for d in taxonomy.departments if headcount[d]]

    if len(table.rows) < minimum:
        raise SurveyError(
            f"{table.name}: maar {len(table.rows)} respondent(en); een meting met minder dan {minimum} antwoorden "
            "wordt niet bewaard, want dan zijn de antwoorden van één collega af te leiden."
        )
    suppressed: list[Suppressed] = []
    shown_departments = {d for d in department_order if headcount[d] >= minimum}
    suppressed += [Suppressed(d, None) for d in department_order if d not in shown_departments]
    # The total minus the shown departments is every hidden respondent together: empty or at least `minimum`.
    for extra in complementary(len(table.rows), {d: headcount[d] for d in department_order if d in shown_departments}):
        shown_departments.discard(extra)
        suppressed.append(Suppressed(extra, None, extra=True))
    shown_cells: dict[str, dict[str, Counter[str]]] = {d: {} for d in shown_departments}
    for department in department_order:
        for tool in tool_order:
            counted = cells.get(department, {}).get(tool)
            if not counted or department not in shown_departments:
                continue
            if sum(counted.values()) >= minimum:
                shown_cells[department][tool] = counted
            else:
                suppressed.append(Suppressed(department, tool))
    shown_tools = {t for t in tool_order if sum(overall[t].values()) >= minimum}
    # A topic nobody answered is written as 0 answers (shown "—"): nobody is not a small group.
    suppressed += [Suppressed(None, t) for t in tool_order if t not in shown_tools and overall[t]]
    for tool in tool_order:
        if tool not in shown_tools:
            for department in shown_cells:
                shown_cells[department].pop(tool, None)
            continue
        while True:  # the hidden rest of this tool must be empty or at least `minimum`
            visible = [d for d in department_order if tool in shown_cells.get(d, {})]
            hidden = sum(overall[tool].values()) - sum(sum(shown_cells[d][tool].values()) for d in visible)
            if not 0 < hidden < minimum or not visible:
                break
            smallest = min(visible, key=lambda d: (sum(shown_cells[d][tool].values()), department_order.index(d)))
            del shown_cells[smallest][tool]
            suppressed.append(Suppressed(smallest, tool, extra=True))

    municipality_count = Counter(m for m in row_municipalities if m != UNKNOWN)
    shown_municipalities = {m for m in taxonomy.municipalities if municipality_count[m] >= minimum}
    suppressed += [
        Suppressed(None, None, municipality=m)
        for m in taxonomy.municipalities
        if municipality_count[m] and m not in shown_municipalities
    ]
    for extra in complementary(
        len(table.rows), {m: municipality_count[m] for m in taxonomy.municipalities if m in shown_municipalities}
    ):
        shown_municipalities.discard(extra)
        suppressed.append(Suppressed(None, None, extra=True, municipality=extra))
    measurement = MeasurementFile(
        date=measured_on,
        respondents=len(table.rows),
        minimum_group=minimum,
        municipalities={
            m: Headcount(respondents=municipality_count[m]) if m in shown_municipalities else Headcount(suppressed=True)
            for m in taxonomy.municipalities
            if municipality_count[m]
        },
        tools={
            t: _group(overall[t]) if t in shown_tools else SUPPRESSED if overall[t] else Group(respondents=0)
            for t in tool_order
        },
        departments={
            d: DepartmentResult(
                respondents=headcount[d],
                tools={
                    t: _group(shown_cells[d][t]) if t in shown_cells[d] else SUPPRESSED
                    for t in tool_order
                    if cells.get(d, {}).get(t)
                },
            )
            if d in shown_departments
            else DepartmentResult(suppressed=True)
            for d in department_order
        },
    )
    return ImportResult(
        measurement=measurement,
        source_format=table.format,
        date_from=date_from,
        department_header=table.headers[layout.departments[0]],
        department_headers=tuple(table.headers[i] for i in layout.departments),
        department_conflicts=conflicts,
        without_department=sum(c is None for c in department_cells),
        municipality_header=table.headers[layout.municipality] if layout.municipality is not None else None,
        topics=layout.topics,
        ignored=layout.ignored,
        unknown_departments=unknown_departments,
        unknown_municipalities=unknown_municipalities if layout.municipality is not None else (),
        interpreted=read_departments + read_municipalities,
        suppressed=tuple(suppressed),
        earlier_submissions=earlier,
    )
