"""Which questions of a survey export are tool questions, and how each one's answers are read.

Nothing is dropped silently. A column is a tool question when its title names one tool (or a synonym) and its
answers are a scale; then it is imported, or the import stops naming it. A column whose answers look like a
skill scale but whose title names no tool, or several, also stops the import. Only free text, multiple-choice
answers (Forms writes "A;B;"), yes / no questions and numbers that are no skills question are left out, and
the summary lists each with its reason. `--negeer-kolom` leaves out any column explicitly.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..content.survey_export import Cell, SurveyTable
from ..knowledge.topics import ToolMatcher
from .nulmeting_scales import (
    AGREEMENT,
    CAN_DO,
    EASE,
    LIKERT,
    LIKERT_RATHER,
    MASTERY,
    NO_ANSWER,
    NUMBER_SCALES,
    PRODUCT,
    SKILLED4,
    YES_NO_TEXTS,
    ColumnScale,
    Scale,
    ScaleChoice,
    beginner_scale,
    conflicting,
    fitting_scales,
    fold,
    guess_level,
    is_no_answer,
    number_of,
    number_scale,
    out_of_ten,
)

MAX_SCALE_LABELS = 12  # more distinct answers than this is free text, not a choice question
MAX_LABEL_LENGTH = 60
MAX_ROWS_SHOWN = 5
MAX_RATING = 10  # a rating question goes up to 10 at most; a larger number answers "how many"
SKILL_WORDS = ("vaardig", "niveau", "kennis", "ken je", "kan je", "beheers", "hoe goed", "ervaring", "skill")
SKILL_QUESTION_WORDS = ("vaardig", "niveau", "hoe goed", "in welke mate beheers")


@dataclass(frozen=True)
class TopicColumn:
    """A question about one tool, and how its answers are read."""

    header: str
    tool: str
    index: int
    scale: ColumnScale | None = None


@dataclass(frozen=True)
class IgnoredColumn:
    """A column that is not read, and why (in Dutch)."""

    header: str
    reason: str


@dataclass(frozen=True)
class LabelCount:
    """One answer no scale knows, in one column: how often, in which rows, and what the import proposes."""

    label: str  # as the export writes it (first occurrence)
    count: int
    rows: tuple[int, ...]
    proposal: str  # a level or "geen antwoord"
    why: str


@dataclass(frozen=True)
class ColumnProblem:
    """A column that stops the import: its title, its letter, what is wrong (Dutch) and its unknown answers."""

    header: str
    letter: str
    message: str
    unknown: tuple[LabelCount, ...] = ()
    answers: int = 0


@dataclass(frozen=True)
class Questions:
    """The tool questions of an export, the columns left out, and every problem found."""

    topics: tuple[TopicColumn, ...]
    ignored: tuple[IgnoredColumn, ...]
    problems: tuple[ColumnProblem, ...]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def echoed(value: object, limit: int = 60) -> str:
    """Text from the export as a message may show it: no control characters (a terminal escape sequence
    would run), an e-mail address masked, at most `limit` characters."""
    text = _EMAIL.sub("(e-mailadres)", _CONTROL.sub("", str(value))).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    from openpyxl.utils import get_column_letter  # openpyxl loads only for a spreadsheet's messages

    return get_column_letter(index + 1)


@dataclass
class _Column:
    """What one column's answers look like."""

    index: int
    header: str
    tools: tuple[str, ...]
    answers: int = 0
    labels: Counter[str] = field(default_factory=Counter)  # folded text label -> count
    written: dict[str, str] = field(default_factory=dict)  # folded -> first as written
    rows: dict[str, list[int]] = field(default_factory=dict)
    numbers: Counter[int] = field(default_factory=Counter)
    multi: int = 0
    longest: int = 0
    tool_answers: dict[str, bool] = field(default_factory=dict)  # folded label -> it names a tool

    @property
    def kind(self) -> str:
        """empty, multi (multiple choice), free (free text), number (an amount), yesno, or scale."""
        if not self.answers:
            return "empty"
        if self.multi * 5 >= self.answers:
            return "multi"
        if len(self.labels) > MAX_SCALE_LABELS or self.longest > MAX_LABEL_LENGTH:
            return "free"
        if self.numbers and not self.labels and (max(self.numbers) > MAX_RATING or min(self.numbers) < 0):
            return "number"  # hours, years, an amount: no rating
        if self.labels and set(self.labels) <= YES_NO_TEXTS and not self.numbers:
            return "yesno"
        return "scale"


def _tools_of(header: str, matcher: ToolMatcher) -> tuple[str, ...]:
    """The tools a title names. A Likert question is exported as "Question.Statement" per statement: when the
    question names tools of its own ("Hoe vaardig ben je in Microsoft 365 en Teams?.Word"), the statement decides."""
    tools = matcher.tools_in(header)
    if len(tools) > 1 and "." in header:
        statement = matcher.tools_in(header.rsplit(".", 1)[1])
        if len(statement) == 1:
            return statement
    return tools


def _survey(table: SurveyTable, index: int, matcher: ToolMatcher, choice: ScaleChoice) -> _Column:
    header = table.headers[index]
    column = _Column(index, header or f"(kolom {column_letter(index)})", _tools_of(header, matcher))
    for row in table.rows:
        cell = row.cells[index]
        if is_no_answer(cell) and not (isinstance(cell, str) and fold(cell) in choice.labels):
            continue
        column.answers += 1
        text = str(cell).strip() if not isinstance(cell, float) or not cell.is_integer() else str(int(cell))
        number = number_of(cell)
        if number is not None and fold(text) not in choice.labels:
            column.numbers[number] += 1
            key = str(number)
        else:
            key = fold(text)
            if key not in column.labels:
                column.tool_answers[key] = bool(matcher.tools_in(text))
            column.labels[key] += 1
            if isinstance(cell, str) and cell.rstrip().endswith(";") and cell.count(";") >= 1:
                column.multi += 1
            column.longest = max(column.longest, len(text))
        column.written.setdefault(key, text)
        rows = column.rows.setdefault(key, [])
        if len(rows) < MAX_ROWS_SHOWN:
            rows.append(row.number)
    return column


def _reading(
    column: _Column,
    scales: Sequence[Scale],
    numbers: int,
    choice: ScaleChoice,
    question_labels: set[str],
    export_labels: Sequence[set[str]] = (),
) -> tuple[ColumnScale, dict[str, int], dict[str, dict[str, str]]]:
    """How the column's answers map to levels, the labels that stay unknown (folded -> count), and the labels
    that two known scales read differently (folded -> {scale name: level}).

    The label set decides: the labels of this column together with those of the export's other columns of the
    same question (`question_labels`) must all be on one scale; failing that, the column's own labels. When two
    scales still read them differently, the label sets of the export's other skill columns that fit one of those
    scales (`export_labels`, a question worded differently) may settle it: only when together they fit one
    reading. A label
    is never looked up on its own in a scale that holds only some of the column's labels."""
    levels: dict[str, str] = {}
    unknown: dict[str, int] = {}
    chosen = {label for label in column.labels if label in choice.labels}
    text_labels = set(column.labels) - chosen
    fitting: list[Scale] = []
    explained = text_labels
    if text_labels:
        fitting = fitting_scales((question_labels | text_labels) - set(choice.labels), scales) or fitting_scales(
            text_labels, scales
        )
        if not fitting:  # a typo or an own label next to a known scale: only the labels off the scale are asked
            fitting, explained = _mostly_on(text_labels, scales)
    ambiguous = conflicting(explained, fitting) if len(fitting) > 1 else {}
    if ambiguous:
        own = {*explained}
        family = {
            label
            for labels in export_labels
            for label in labels - set(choice.labels)
            if _fits_any(labels - set(choice.labels), fitting)
        }
        settled = fitting_scales(family | own, fitting)
        if settled and not conflicting(own, settled):
            fitting, ambiguous = settled, {}
    scale = fitting[0] if fitting else None
    for label, count in column.labels.items():
        if label in choice.labels:
            levels[label] = choice.labels[label]
        elif scale is not None and label in explained and label not in ambiguous:
            levels[label] = scale.levels[label]
        elif label not in ambiguous:
            unknown[label] = count
    if column.numbers:
        ten = out_of_ten(column.header, column.numbers, choice)
        numbers = 10 if ten else (numbers if numbers in (4, 5) else 5)
    for number, count in column.numbers.items():
        key = str(number)
        if key in choice.labels:
            levels[key] = choice.labels[key]
        elif number in NUMBER_SCALES[numbers]:
            levels[key] = NUMBER_SCALES[numbers][number]
        else:
            unknown[key] = count
    if column.numbers and not column.labels:
        name = "cijfers op 10" if numbers == 10 else f"cijfers op een schaal van 1 tot {numbers} (of sterren)"
    elif scale is not None and not column.numbers:
        name = scale.name
    elif chosen and not text_labels and not column.numbers:
        name = "eigen schaal (--schaal-bestand / --niveau)"
    else:
        name = "gemengd"
    shown = {label: column.written.get(label, label) for label in levels}
    ranks = dict(scale.ranks) if scale is not None else {}
    if column.numbers:  # the whole number scale in its order, also for ratings nobody gave
        numbered = {str(n): level for n, level in NUMBER_SCALES[numbers].items()}
        levels = {**numbered, **levels}
        shown = {**shown, **{key: key for key in numbered}}  # "3", however it was written ("★★★", "3 sterren")
        ranks = {**ranks, **{key: n for n, key in enumerate(numbered, start=1)}}
    return ColumnScale(name, levels, shown, ranks), unknown, ambiguous


def _fits_any(labels: set[str], scales: Sequence[Scale]) -> bool:
    return bool(labels) and any(scale.explains(labels) for scale in scales)


def _mostly_on(labels: set[str], scales: Sequence[Scale]) -> tuple[list[Scale], set[str]]:
    """The scales that explain most of a column's labels that no scale explains all of, and those labels: only
    when at least two labels and more than half of them are on it (Basis, Gevorderd, Expert and one typo).
    Otherwise none: one known label among unknown ones ("Goed" among "Nooit" and "Soms") is not read by a scale
    the column does not use."""
    best: set[str] = set()
    for scale in scales:
        on = labels & set(scale.levels)
        if len(on) > len(best) and scale.explains(on):
            best = on
    if len(best) < 2 or len(best) * 2 <= len(labels):
        return [], set()
    return fitting_scales(best, scales), best


def _skill_like(column: _Column, skills: dict[str, str]) -> bool:
    """Answers that look like a skill scale: most are labels of a skills scale, or a choice (or a rating up to
    10) under a title that asks about skill ("Hoe vaardig ben je in Planner?")."""
    known = sum(count for label, count in column.labels.items() if label in skills)
    if column.labels and known * 2 >= column.answers:
        return True
    header = f" {fold(column.header)} "
    if column.numbers and not column.labels:
        return set(column.numbers) <= set(range(1, MAX_RATING + 1)) and any(f" {w} " in header for w in SKILL_WORDS)
    # Own answers ("Nooit gebruikt", "Vlot") under a title that plainly asks how skilled, and that are not
    # themselves the names of tools ("Welke toepassing beheers je het best?": Excel, Teams).
    tools_named = sum(count for label, count in column.labels.items() if column.tool_answers.get(label))
    return (
        bool(column.answers)
        and tools_named * 2 < column.answers
        and any(f" {word} " in header for word in SKILL_QUESTION_WORDS)
    )


def _tool_hint(header: str, matcher: ToolMatcher, labels: dict[str, str]) -> str | None:
    """The tool a title probably meant ("Outlok" -> Outlook), by its words."""
    names = {name: tool for tool, names in matcher.names for name in names if len(name) >= 3}
    for word in fold(header).split():
        if len(word) < 4:
            continue
        close = difflib.get_close_matches(word, list(names), n=1, cutoff=0.75)
        if close:
            return labels.get(names[close[0]], names[close[0]])
    return None


def read_questions(
    table: SurveyTable,
    columns: Iterable[int],
    matcher: ToolMatcher,
    tool_labels: dict[str, str],
    choice: ScaleChoice,
    ignore: Iterable[int] = (),
) -> Questions:
    """Every candidate column classified: a topic, left out with a reason, or a problem that stops the import."""
    ignored_by_option = set(ignore)
    surveyed = [_survey(table, i, matcher, choice) for i in columns if i not in ignored_by_option]
    ignored = [IgnoredColumn(table.headers[i], "genegeerd met --negeer-kolom") for i in sorted(ignored_by_option)]
    all_labels = {label for column in surveyed if column.kind == "scale" for label in column.labels}
    scales = (PRODUCT, beginner_scale(all_labels), LIKERT, LIKERT_RATHER, SKILLED4, CAN_DO, EASE, MASTERY, AGREEMENT)
    # Labels the person importing called levels count as a skill scale too: such a column must name a tool.
    skills = {**{k: v for s in scales if s.skills for k, v in s.levels.items()}, **choice.labels}
    candidates = [c for c in surveyed if c.kind == "scale" and (c.tools or _skill_like(c, skills))]
    # One number scale per export, as --schaal: 1 to 5 as soon as a question that counts holds a 5.
    # A mark out of 10 is a scale of its own and does not count.
    numbers = number_scale(
        [n for c in candidates if not out_of_ten(c.header, c.numbers, choice) for n in c.numbers], choice
    )
    # The labels of every column of one question ("Hoe vaardig ben je in …?" for each tool): they decide together
    # which scale a column is on, so that a column nobody answered "Helemaal niet vaardig" in reads the same.
    export_labels = [set(c.labels) for c in candidates if c.labels]
    question_labels: dict[str, set[str]] = {}
    for column in surveyed:
        if column.kind == "scale" and len(column.tools) == 1:
            question_labels.setdefault(_question_of(column, matcher), set()).update(column.labels)
    topics: list[TopicColumn] = []
    problems: list[ColumnProblem] = []
    first_of: dict[str, str] = {}
    for column in surveyed:
        header, letter, kind = column.header, column_letter(column.index), column.kind
        if len(column.tools) == 1 and kind == "empty":
            topics.append(TopicColumn(header, column.tools[0], column.index, None))
            continue
        if kind != "scale":
            reason = {
                "empty": "geen antwoorden",
                "multi": "meerkeuzevraag met meerdere antwoorden (geen niveau)",
                "free": "vrije tekst (te veel verschillende of te lange antwoorden voor een schaal)",
                "yesno": "ja/nee-vraag (geen niveau)",
                "number": "een aantal als antwoord (getallen boven 10), geen schaal",
            }[kind]
            ignored.append(IgnoredColumn(header, reason))
            continue
        reading, unknown, ambiguous = _reading(
            column, scales, numbers, choice, question_labels.get(_question_of(column, matcher), set()), export_labels
        )
        skill_like = _skill_like(column, skills)
        if not column.tools:
            if not skill_like:
                why = "cijfers, maar de titel vraagt niet naar vaardigheid" if column.numbers else "geen niveaus"
                ignored.append(IgnoredColumn(header, f"geen tool uit de woordenlijst herkend ({why})"))
                continue
            hint = _tool_hint(header, matcher, tool_labels)
            problems.append(
                ColumnProblem(
                    header, letter,
                    ("de antwoorden zijn niveaus" if not unknown else "de vraag gaat over vaardigheid")
                    + ", maar de titel noemt geen tool uit tips/taxonomy.yml"
                    + (f". Bedoelde je '{hint}'? Zet die naam dan in de titel" if hint else "")
                    + ". Voeg de tool (of een synoniem in tips/synoniemen.yml) toe, of laat de vraag weg met "
                    f'--negeer-kolom "{echoed(header, 500)}".',
                    answers=column.answers,
                )
            )  # fmt: skip
            continue
        if len(column.tools) > 1:
            labels = ", ".join(tool_labels.get(t, t) for t in column.tools)
            if skill_like or not unknown:
                problems.append(
                    ColumnProblem(
                        header, letter,
                        f"de titel noemt meer dan één tool ({labels}); een vraag telt voor één tool. Noem er één "
                        f'in de titel, of laat de vraag weg met --negeer-kolom "{echoed(header, 500)}".',
                        answers=column.answers,
                    )
                )  # fmt: skip
            else:
                ignored.append(IgnoredColumn(header, f"keuzevraag over meer dan één tool ({labels}), geen niveaus"))
            continue
        tool = column.tools[0]
        if unknown:
            problems.append(_unknown_problem(column, letter, unknown))
        if ambiguous:
            problems.append(_ambiguous_problem(column, letter, ambiguous))
        if tool in first_of:
            problems.append(
                ColumnProblem(
                    header, letter,
                    f"tweede vraag over {tool_labels.get(tool, tool)} (de eerste: '{echoed(first_of[tool], 100)}'); "
                    f'één vraag per tool telt. Laat er een weg met --negeer-kolom "{echoed(header, 500)}".',
                    answers=column.answers,
                )
            )  # fmt: skip
            continue
        first_of[tool] = header
        if not unknown and not ambiguous:
            topics.append(TopicColumn(header, tool, column.index, reading))
    return Questions(tuple(topics), tuple(ignored), tuple(problems))


def _question_of(column: _Column, matcher: ToolMatcher) -> str:
    """The question a column asks, without the tool it is about: "hoe vaardig ben je in ?" for Word and Excel
    alike; a Likert statement ("Hoe vaardig ben je?.Word") is the part before the statement."""
    if "." in column.header.rstrip(".") and len(matcher.tools_in(column.header.rsplit(".", 1)[1])) == 1:
        return fold(column.header.rsplit(".", 1)[0])
    question = f" {fold(column.header)} "
    for tool, names in matcher.names:
        if tool in column.tools:
            for name in sorted(names, key=len, reverse=True):
                question = question.replace(f" {name} ", " ")
    return " ".join(question.split())


def _ambiguous_problem(column: _Column, letter: str, ambiguous: dict[str, dict[str, str]]) -> ColumnProblem:
    """Labels two known scales read differently ("Niet vaardig": the lowest answer of one, the second of
    another): the import does not guess."""
    labels = []
    for label, readings in ambiguous.items():
        written = column.written.get(label, label)
        options = "; ".join(f"{level} op de schaal {name}" for name, level in readings.items())
        first = next(iter(readings.values()))
        count = column.labels.get(label, 0)
        why = f"twee schalen lezen het anders: {options}"
        labels.append(LabelCount(written, count, tuple(column.rows.get(label, ())), first, why))
    return ColumnProblem(
        column.header, letter,
        "de antwoorden passen op meer dan één bekende schaal, en die lezen "
        + ", ".join(f"'{echoed(column.written.get(label, label))}'" for label in ambiguous)
        + " als een ander niveau. Kies het niveau met --schaal-bestand of --niveau",
        tuple(labels), column.answers,
    )  # fmt: skip


def _unknown_problem(column: _Column, letter: str, unknown: dict[str, int]) -> ColumnProblem:
    labels = []
    for label, count in sorted(unknown.items(), key=lambda item: (-item[1], item[0])):
        written = column.written.get(label, label)
        proposal, why = guess_level(written)
        labels.append(LabelCount(written, count, tuple(column.rows.get(label, ())), proposal, why))
    total = sum(unknown.values())
    return ColumnProblem(
        column.header, letter,
        f"{total} van de {column.answers} antwoorden zijn geen niveau dat de import kent "
        f"({len(unknown)} verschillende)",
        tuple(labels), column.answers,
    )  # fmt: skip


def level_of(cell: Cell, topic: TopicColumn) -> str:
    """The level of one answer to a topic, or NO_ANSWER; every label was checked by `read_questions`."""
    if topic.scale is None or is_no_answer(cell) and not (isinstance(cell, str) and fold(cell) in topic.scale.levels):
        return NO_ANSWER
    number = number_of(cell)
    if isinstance(cell, str) and fold(cell) in topic.scale.levels:
        return topic.scale.levels[fold(cell)]
    key = str(number) if number is not None else fold(str(cell))
    return topic.scale.levels.get(key, NO_ANSWER)
