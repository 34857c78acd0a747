"""Answer scales of a skills survey: which everyday labels mean which of the four levels.

A coach builds the Forms question the way she would ask it, so the answers come in several everyday scales.
Each is mapped onto the product's four levels (geen, basis, gevorderd, expert) by one rule, by the place of an
answer on its scale:

- a scale of four answers maps one to one: 1 = geen, 2 = basis, 3 = gevorderd, 4 = expert;
- a scale of five answers maps 1 = geen, 2 and 3 = basis, 4 = gevorderd, 5 = expert (a five-star rating, a
  Likert question with a middle answer).

The known scales:

- the product's own: Ik ken de basis niet / Basis / Gevorderd / Expert (four);
- Beginner / Gemiddeld / Gevorderd / Expert (four: Beginner = geen); with "Ik ken het niet" below it, five
  (Ik ken het niet = geen, Beginner and Gemiddeld = basis). Whether "Ik ken het niet" is part of it is decided
  once per export, so that "Beginner" means the same in every question of one export;
- Helemaal niet vaardig / Niet vaardig / Een beetje vaardig (or Neutraal) / Vaardig / Zeer vaardig (five);
- Niet vaardig / Eerder niet vaardig / Eerder vaardig / Vaardig / Zeer vaardig (five: here Niet vaardig is the
  lowest answer, geen);
- Niet vaardig / Een beetje vaardig / Vaardig / Zeer vaardig (four: Niet vaardig is geen);
- Ik kan dit niet / Ik kan dit met hulp / Ik kan dit zelfstandig / Ik kan dit aan anderen uitleggen (four);
- Moeilijk / Gaat wel / Goed / Heel goed (four; a leading emoji, "🙂 Goed", is no part of the label);
- Helemaal niet / Een beetje / Voldoende / Goed / Heel goed (five; Onvoldoende counts as Helemaal niet, so the
  school scale Onvoldoende / Voldoende / Goed / Zeer goed reads as four);
- Helemaal oneens / Oneens / Neutraal / Eens / Helemaal eens (five);
- numbers (or stars): 1-4, or 1-5 as soon as a 5 occurs anywhere (`--schaal` decides otherwise);
- a mark out of 10 (a title with "op 10" or "/10" and a 6 to 10 among the answers, or `--schaal 10`): 1-3 geen,
  4-5 basis (below the pass mark), 6-8 gevorderd, 9-10 expert.

A column is read by the scale that holds every one of its labels, each on a place of its own (the labels of
the export's other columns of the same question count too): never label by label against a scale that only
holds some of them. "Niet vaardig" is the second answer of one Likert scale and the first of another; a column
with Niet vaardig and Eerder niet vaardig can only be the second. When two known scales hold all labels and
read them differently, the import stops with a proposal instead of guessing.

Answers are compared folded (no case, accents, punctuation or extra spaces). A label no scale knows is never
guessed silently: the import stops with a proposal, and a scale file (`--schaal-bestand`, `label: niveau`)
or `--niveau "label=niveau"` makes the choice explicit.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..content.nulmeting import LEVELS
from ..content.survey_export import Cell
from ..knowledge.topics import words

NO_ANSWER = "-"  # an answer that counts for no level
NO_ANSWER_WORDS = ("geen antwoord", "leeg", "niet meetellen")  # what a scale file may say for it

NO_ANSWER_TEXTS = frozenset(
    {"niet van toepassing", "n v t", "nvt", "gebruik ik niet", "ik gebruik dit niet", "weet ik niet", "geen idee",
     "not applicable", "n a"}
)  # fmt: skip
# Answers of a question that is no skills question at all (yes / no): such a column is not a topic.
YES_NO_TEXTS = frozenset({"ja", "nee", "misschien", "yes", "no", "maybe"})


def fold(text: str) -> str:
    """An answer as it is compared: folded words, single spaces."""
    return words(text).strip()


@dataclass(frozen=True)
class Scale:
    """A known answer scale: its labels lowest first (as Forms shows them) and the level of each folded label."""

    key: str
    name: str  # in Dutch, for the summary: "Beginner / Gemiddeld / Gevorderd / Expert"
    levels: Mapping[str, str]  # folded label -> level
    shown: Mapping[str, str]  # folded label -> the label as written in the rule
    skills: bool = True  # a scale of skill: a column with these answers is a skills question, tool named or not
    ranks: Mapping[str, int] = field(default_factory=dict)  # folded label -> its place on the scale, from 1

    def explains(self, labels: set[str]) -> bool:
        """Every label is on this scale, each on a place of its own (two synonyms in one column mean that the
        column's scale is another one)."""
        return labels <= set(self.levels) and len({self.ranks[label] for label in labels}) == len(labels)


def _scale(key: str, name: str, entries: Iterable[tuple[Iterable[str], str]], skills: bool = True) -> Scale:
    levels: dict[str, str] = {}
    shown: dict[str, str] = {}
    ranks: dict[str, int] = {}
    for rank, (labels, level) in enumerate(entries, start=1):
        labels = list(labels)
        for label in labels:
            levels[fold(label)] = level
            shown[fold(label)] = labels[0]
            ranks[fold(label)] = rank
    return Scale(key, name, levels, shown, skills, ranks)


PRODUCT = _scale(
    "product",
    "Ik ken de basis niet / Basis / Gevorderd / Expert",
    [
        (("Ik ken de basis niet", "Ken de basis niet", "Geen basis", "Geen"), "geen"),
        (("Basis", "Ik ken de basis"), "basis"),
        (("Gevorderd", "Ik ben gevorderd"), "gevorderd"),
        (("Expert", "Ik ben expert", "Ik ben een expert"), "expert"),
    ],
)
BEGINNER4 = _scale(
    "beginner",
    "Beginner / Gemiddeld / Gevorderd / Expert",
    [
        (("Beginner", "Beginnend", "Starter"), "geen"),
        (("Gemiddeld", "Middelmatig", "Intermediate"), "basis"),
        (("Gevorderd", "Advanced"), "gevorderd"),
        (("Expert",), "expert"),
    ],
)
BEGINNER5 = _scale(
    "beginner5",
    "Ik ken het niet / Beginner / Gemiddeld / Gevorderd / Expert",
    [
        (("Ik ken het niet", "Ken ik niet", "Ik ken dit niet", "Ik ken het programma niet", "Onbekend"), "geen"),
        (("Beginner", "Beginnend", "Starter"), "basis"),
        (("Gemiddeld", "Middelmatig", "Intermediate"), "basis"),
        (("Gevorderd", "Advanced"), "gevorderd"),
        (("Expert",), "expert"),
    ],
)
LIKERT = _scale(
    "vaardig",
    "Helemaal niet vaardig / Niet vaardig / Een beetje vaardig / Vaardig / Zeer vaardig",
    [
        (("Helemaal niet vaardig", "Helemaal niet", "Totaal niet vaardig"), "geen"),
        (("Niet vaardig", "Weinig vaardig", "Eerder niet vaardig", "Niet zo vaardig"), "basis"),
        (("Een beetje vaardig", "Een beetje", "Neutraal", "Redelijk vaardig", "Enigszins vaardig"), "basis"),
        (("Vaardig", "Eerder vaardig", "Behoorlijk vaardig", "Goed"), "gevorderd"),
        (("Zeer vaardig", "Heel vaardig", "Erg vaardig", "Zeer goed", "Heel goed"), "expert"),
    ],
)
LIKERT_RATHER = _scale(
    "eerder",
    "Niet vaardig / Eerder niet vaardig / Eerder vaardig / Vaardig / Zeer vaardig",
    [
        (("Niet vaardig",), "geen"),
        (("Eerder niet vaardig",), "basis"),
        (("Eerder vaardig",), "basis"),
        (("Vaardig",), "gevorderd"),
        (("Zeer vaardig", "Heel vaardig"), "expert"),
    ],
)
SKILLED4 = _scale(
    "vaardig4",
    "Niet vaardig / Een beetje vaardig / Vaardig / Zeer vaardig",
    [
        (("Niet vaardig",), "geen"),
        (("Een beetje vaardig", "Beetje vaardig"), "basis"),
        (("Vaardig",), "gevorderd"),
        (("Zeer vaardig", "Heel vaardig"), "expert"),
    ],
)
CAN_DO = _scale(
    "kan",
    "Ik kan dit niet / Ik kan dit met hulp / Ik kan dit zelfstandig / Ik kan dit aan anderen uitleggen",
    [
        (("Ik kan dit niet", "Ik kan het niet", "Kan ik niet"), "geen"),
        (("Ik kan dit met hulp", "Ik kan het met hulp", "Met hulp"), "basis"),
        (("Ik kan dit zelfstandig", "Ik kan het zelfstandig", "Zelfstandig", "Ik kan dit alleen"), "gevorderd"),
        (("Ik kan dit aan anderen uitleggen", "Ik kan het aan anderen uitleggen", "Ik kan dit anderen uitleggen",
          "Ik kan het anderen uitleggen", "Ik kan het uitleggen aan anderen"), "expert"),
    ],
)  # fmt: skip
EASE = _scale(
    "moeilijk",
    "Moeilijk / Gaat wel / Goed / Heel goed",
    [
        (("Moeilijk", "Lastig"), "geen"),
        (("Gaat wel", "Gaat"), "basis"),
        (("Goed",), "gevorderd"),
        (("Heel goed", "Zeer goed"), "expert"),
    ],
)
MASTERY = _scale(
    "beheersing",
    "Helemaal niet / Een beetje / Voldoende / Goed / Heel goed",
    [
        (("Helemaal niet", "Niet", "Onvoldoende", "Slecht"), "geen"),
        (("Een beetje", "Beetje", "Matig", "Weinig"), "basis"),
        (("Voldoende", "Redelijk", "Gaat wel"), "basis"),
        (("Goed", "Vlot"), "gevorderd"),
        (("Heel goed", "Zeer goed", "Uitstekend", "Erg goed"), "expert"),
    ],
)
AGREEMENT = _scale(
    "eens",
    "Helemaal oneens / Oneens / Neutraal / Eens / Helemaal eens",
    [
        (("Helemaal oneens", "Helemaal niet akkoord", "Zeer oneens"), "geen"),
        (("Oneens", "Niet akkoord"), "basis"),
        (("Neutraal", "Noch eens noch oneens"), "basis"),
        (("Eens", "Akkoord"), "gevorderd"),
        (("Helemaal eens", "Helemaal akkoord", "Zeer eens"), "expert"),
    ],
    skills=False,  # "Ik vind de digicoach nuttig": agreement alone does not make a skills question
)
KNOWN_SCALES = (PRODUCT, BEGINNER4, LIKERT, LIKERT_RATHER, SKILLED4, CAN_DO, EASE, MASTERY, AGREEMENT)
NUMBER_SCALES = {
    4: {1: "geen", 2: "basis", 3: "gevorderd", 4: "expert"},
    5: {1: "geen", 2: "basis", 3: "basis", 4: "gevorderd", 5: "expert"},
    # A mark out of 10 as a Flemish school gives it: below 4 nothing yet, 4-5 below the pass mark (the basics,
    # not yet on one's own), 6-8 a pass to a good mark, 9-10 excellent.
    10: {1: "geen", 2: "geen", 3: "geen", 4: "basis", 5: "basis", 6: "gevorderd", 7: "gevorderd", 8: "gevorderd",
         9: "expert", 10: "expert"},
}  # fmt: skip
_STARS = re.compile(
    r"^(?:(\d{1,2})\s*(?:sterren|ster|stars?|punten|punt)?|(\d{1,2})\s*(?:/|van|op)\s*(?:4|5|10)|(★+))$"
)
OUT_OF_TEN = re.compile(
    r"(?:\bop\s*(?:10|tien)\b|/\s*10\b|\bvan\s*(?:10|tien)\b|\bout of 10\b|\b[01]\s*(?:-|–|tot|t/m)\s*10\b)"
)


def number_of(cell: Cell) -> int | None:
    """The whole number an answer gives (3, 3.0, "3", "3 sterren", "3/5", "★★★"); -1 for a fraction, None for
    no number."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else -1
    if not isinstance(cell, str):
        return None
    found = _STARS.match(cell.strip().lower())
    if not found:
        return None
    if found.group(3):
        return len(found.group(3))
    return int(found.group(1) or found.group(2))


def is_no_answer(cell: Cell) -> bool:
    """An empty answer, or one that means "not for me" (N.v.t., Gebruik ik niet, Weet ik niet)."""
    if cell is None or not isinstance(cell, str) or number_of(cell) is not None:  # "★★★" folds to nothing
        return cell is None
    return not fold(cell) or fold(cell) in NO_ANSWER_TEXTS


@dataclass(frozen=True)
class ColumnScale:
    """How the answers of one column are read: a scale's name and the level of every label seen in it."""

    name: str
    levels: Mapping[str, str]  # folded label -> level or NO_ANSWER
    shown: Mapping[str, str] = field(default_factory=dict)  # folded label -> the label as the export writes it
    ranks: Mapping[str, int] = field(default_factory=dict)  # folded label -> its place on the scale

    def entries(self) -> list[tuple[str, str, str]]:
        """(folded label, label as written, level) in the scale's order: by place, else by level."""
        order = {level: i for i, level in enumerate((*LEVELS, NO_ANSWER))}
        keys = sorted(
            enumerate(self.levels),
            key=lambda item: (self.ranks.get(item[1], 99), order.get(self.levels[item[1]], 9), item[0]),
        )
        return [(key, self.shown.get(key, key), self.levels[key]) for _, key in keys]

    def rule(self) -> str:
        """The mapping as the summary shows it, with the labels as the export writes them: "Beginner → geen, …"."""
        return rule_of(self.entries())


def rule_of(entries: Iterable[tuple[str, str, str]]) -> str:
    """The rule "label → level, …" of (folded, written, level) entries, each written label once."""
    seen: dict[str, str] = {}
    for _, name, level in entries:
        seen.setdefault(name, "geen antwoord" if level == NO_ANSWER else level)
    return ", ".join(f"{name} → {level}" for name, level in seen.items())


@dataclass(frozen=True)
class ScaleChoice:
    """What the person importing decided: labels with their level (from --schaal-bestand and --niveau), and
    the number scale (--schaal)."""

    labels: Mapping[str, str] = field(default_factory=dict)  # folded label -> level or NO_ANSWER
    numbers: int | None = None


def number_scale(cells: Iterable[Cell], choice: ScaleChoice) -> int:
    """4 or 5: 5 as soon as a number 5 occurs, unless --schaal says otherwise (10: see `out_of_ten`)."""
    if choice.numbers is not None:
        return choice.numbers
    return 5 if any(number_of(c) == 5 for c in cells if not isinstance(c, str) or fold(c) not in choice.labels) else 4


def beginner_scale(labels: Iterable[str]) -> Scale:
    """The Beginner scale of this export: five answers when "Ik ken het niet" occurs in any of its questions."""
    low = {fold(x) for x in ("Ik ken het niet", "Ken ik niet", "Ik ken dit niet", "Ik ken het programma niet")}
    return BEGINNER5 if low & set(labels) else BEGINNER4


def out_of_ten(title: str, numbers: Iterable[int], choice: ScaleChoice) -> bool:
    """A mark out of 10: --schaal 10, or a title that says "op 10" or "/10" and a 6 to 10 among the answers."""
    if choice.numbers is not None:
        return choice.numbers == 10
    return bool(OUT_OF_TEN.search(title.lower())) and any(6 <= n <= 10 for n in numbers)


def fitting_scales(labels: set[str], scales: Iterable[Scale]) -> list[Scale]:
    """Every known scale that explains the whole label set (see `Scale.explains`), in order of preference."""
    return [scale for scale in scales if labels and scale.explains(labels)]


def conflicting(labels: set[str], fitting: Sequence[Scale]) -> dict[str, dict[str, str]]:
    """The labels that the fitting scales read as different levels: label -> {scale name: level}."""
    return {
        label: {scale.name: scale.levels[label] for scale in fitting}
        for label in sorted(labels)
        if len({scale.levels[label] for scale in fitting}) > 1
    }


def guess_level(label: str) -> tuple[str, str]:
    """A proposal for a label no scale knows: (level, why in Dutch). Only ever shown, never used silently."""
    folded = fold(label)
    if folded.isdigit() and int(folded) <= 10:  # a rating of 0 to 10: in four equal steps
        level = ("geen", "geen", "geen", "basis", "basis", "basis", "gevorderd", "gevorderd", "gevorderd", "expert",
                 "expert")[int(folded)]  # fmt: skip
        return level, "als cijfer op 10"
    known = {k: (v, s.shown[k]) for s in (*KNOWN_SCALES, BEGINNER5) for k, v in s.levels.items()}
    close = difflib.get_close_matches(folded, list(known), n=1, cutoff=0.75)
    if close:
        level, shown = known[close[0]]
        return level, f"lijkt op '{shown}'"
    if folded in NO_ANSWER_TEXTS or any(w in folded for w in ("niet van toepassing", "weet niet", "n v t")):
        return "geen antwoord", "lijkt op 'niet van toepassing'"
    hints = (
        (("nooit", "geen idee", "helemaal niet", "ken ik niet", "ken het niet", "onvoldoende", "slecht"), "geen"),
        (("zeer", "heel goed", "uitstekend", "perfect", "dagelijks", "expert", "specialist", "uitmuntend"), "expert"),
        (("goed", "vlot", "vaak", "regelmatig", "zelfstandig", "gevorderd"), "gevorderd"),
        (("beetje", "basis", "soms", "af en toe", "redelijk", "matig", "voldoende", "gemiddeld", "weinig"), "basis"),
    )
    for keys, level in hints:
        if any(f" {key} " in f" {folded} " for key in keys):
            return level, "gok op een woord in het label"
    return "basis", "geen idee: controleer"


def parse_level(value: str) -> str | None:
    """A level as a scale file or --niveau writes it ("Gevorderd", "geen antwoord"), or None."""
    folded = fold(value)
    if folded in LEVELS:
        return folded
    if folded in ("geen basis", "ik ken de basis niet"):
        return "geen"
    if folded in {fold(w) for w in NO_ANSWER_WORDS}:
        return NO_ANSWER
    return None
