"""Rules for a usage file (`tips/gebruik/*.yml`) beyond its shape, and the privacy rules of a search phrase.

The importer applies `PhraseRules` before it writes a phrase; the loader applies them again to every phrase
of every file, so a phrase added by hand (a citizen's name, a phone number) is an error with file and line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date

from ..content.lexicon import common_dutch_words
from ..content.models import Taxonomy
from ..content.sourcefile import FieldPath, Positions
from ..content.synonyms import SynonymGroups, fold
from ..content.usage import FEEDBACK_REASONS, UsageMonthFile
from ..policy import USAGE_LONG_NUMBER_DIGITS, USAGE_MIN_SEARCHES
from .messages import field_label
from .problems import Problem, Severity

_WORD = re.compile(r"[^\W_]+")
# N digits with at most a few separators between them: "85.07.30-033.28", "058 33 55 12", "0475/12.34.56".
_LONG_NUMBER = re.compile(r"\d(?:[\s./\-]{0,3}\d){" + str(USAGE_LONG_NUMBER_DIGITS - 1) + ",}")
_EMAIL = re.compile(r"@|\[at\]|\(at\)", re.IGNORECASE)
_COMPOUND_PART = 4  # both halves of a compound at least this long: "des" + "met" is a surname, not a compound
_LINKERS = ("", "s", "e", "en")  # Dutch linking sounds: afwezigheid-s-bericht, pannen-koek


def normalise_phrase(query: str) -> str:
    """A query as the file keeps it: NFC, lower case, single spaces, no surrounding blanks."""
    return " ".join(unicodedata.normalize("NFC", query).lower().split())


@dataclass(frozen=True)
class PhraseRules:
    """Decides whether a search phrase may be kept (apart from how often it was searched)."""

    site_words: frozenset[str]
    given_lexicon: Collection[str] | None = None  # None: wordfreq's common Dutch words, loaded when first needed

    @property
    def lexicon(self) -> Collection[str]:
        """The Dutch words (loading them takes a moment: only when a word is not the site's own)."""
        return common_dutch_words() if self.given_lexicon is None else self.given_lexicon

    @classmethod
    def build(
        cls,
        taxonomy: Taxonomy | None,
        synonyms: SynonymGroups,
        titles: Iterable[str],
        lexicon: Collection[str] | None = None,
    ) -> PhraseRules:
        """The rules for one repository: its own words (tip and path titles and tags, taxonomy ids and labels,
        synonyms) and the common Dutch words."""
        texts: list[str] = list(titles) + synonyms.all_terms()
        if taxonomy is not None:
            for vocabulary in (taxonomy.tools, taxonomy.departments, taxonomy.themes, taxonomy.sources):
                for key, entry in vocabulary.items():
                    texts += [key, getattr(entry, "label", "") or ""]
        words = frozenset(word for text in texts for word in _WORD.findall(fold(text)))
        return cls(words, lexicon)

    def known(self, word: str) -> bool:
        """A folded word that is Dutch enough or the site's own: itself, or a compound of two such words."""
        if word.isdigit() or word in self.site_words or word in self.lexicon:
            return True
        for cut in range(_COMPOUND_PART, len(word) - _COMPOUND_PART + 1):
            head, tail = word[:cut], word[cut:]
            if not self._simple(tail):
                continue
            for linker in _LINKERS:
                base = head[: len(head) - len(linker)] if linker and head.endswith(linker) else head
                if (not linker or head.endswith(linker)) and len(base) >= _COMPOUND_PART and self._simple(base):
                    return True
        return False

    def _simple(self, word: str) -> bool:
        return word in self.site_words or word in self.lexicon

    def refusal(self, phrase: str) -> str | None:
        """Why a phrase may not be kept (Dutch, without repeating the phrase), or None when it may."""
        if any(unicodedata.category(c) in ("Cc", "Cf") for c in phrase):
            return "de zoekterm bevat onzichtbare tekens."
        if _EMAIL.search(phrase):
            return "de zoekterm bevat een e-mailadres."
        if _LONG_NUMBER.search(phrase):
            return (
                f"de zoekterm bevat een getal van {USAGE_LONG_NUMBER_DIGITS} of meer cijfers "
                "(rijksregister-, telefoon- of dossiernummer)."
            )
        words = _WORD.findall(fold(phrase))
        if not words:
            return "de zoekterm bevat geen woord."
        unknown = sum(1 for word in words if not self.known(word))
        if unknown:
            return (
                f"de zoekterm bevat {unknown} woord(en) dat geen gewoon Nederlands woord is en niet op de site "
                "staat (misschien een naam)."
            )
        return None


def check_usage(
    usage: UsageMonthFile,
    rel_path: str,
    positions: Positions,
    today: date,
    tip_slugs: Collection[str],
    path_slugs: Collection[str],
    rules: Callable[[], PhraseRules],
) -> list[Problem]:
    """Every problem of one validated usage file, positioned at the offending key. Unknown slugs are warnings
    (tips get renamed); figures that cannot be and phrases that break the privacy rules are errors."""
    problems: list[Problem] = []

    def at(path: FieldPath, message: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(rel_path, *positions.of(path), field_label(path), message, severity))

    stem = rel_path.rpartition("/")[2].removesuffix(".yml")
    if stem != usage.month:
        at(("month",), f"month is {usage.month}, maar het bestand heet {stem}.yml; die twee moeten gelijk zijn.")
    if usage.month > f"{today:%Y-%m}":
        at(("month",), f"de maand {usage.month} ligt in de toekomst (vandaag is {today}).")
    lines = usage.lines
    if lines.counted + lines.bots + lines.broken > lines.read:
        at(
            ("lines", "read"),
            f"counted + bots + broken ({lines.counted + lines.bots + lines.broken}) is meer "
            f"dan het aantal gelezen regels ({lines.read}).",
        )
    for key, known, noun in (
        ("views", tip_slugs, "tip"),
        ("path_views", path_slugs, "leerpad"),
        ("feedback", tip_slugs, "tip"),
    ):
        for slug in getattr(usage, key):
            if slug not in known:
                at(
                    (key, slug),
                    f"er is geen {noun} '{slug}' (hernoemd of verwijderd?); dit cijfer komt niet op de site.",
                    Severity.WARNING,
                )
    for slug, answers in usage.feedback.items():
        reasons = sum(answers.reason(name) for name in FEEDBACK_REASONS)
        if reasons > answers.nee:
            at(("feedback", slug), f"{reasons} redenen bij {answers.nee} keer 'nee': elke reden hoort bij een 'nee'.")
    _check_searches(at, usage, rules)
    return problems


def _check_searches(
    at: Callable[[FieldPath, str], None], usage: UsageMonthFile, rules: Callable[[], PhraseRules]
) -> None:
    searches = usage.searches
    if searches.without_result > searches.total:
        at(
            ("searches", "without_result"),
            f"{searches.without_result} zoekopdrachten zonder resultaat, maar {searches.total} in totaal.",
        )
    if sum(p.count for p in searches.phrases) > searches.total:
        at(("searches", "phrases"), "de zoektermen samen zijn vaker gezocht dan het totaal aantal zoekopdrachten.")
    seen: set[str] = set()
    for index, phrase in enumerate(searches.phrases):
        path: FieldPath = ("searches", "phrases", index)
        if phrase.count < USAGE_MIN_SEARCHES:
            at(
                (*path, "count"),
                f"een zoekterm staat er pas als ze minstens {USAGE_MIN_SEARCHES} keer gezocht werd; verwijder deze.",
            )
        if phrase.query != normalise_phrase(phrase.query):
            at((*path, "query"), "schrijf de zoekterm in kleine letters met enkele spaties.")
        if phrase.query in seen:
            at((*path, "query"), "deze zoekterm staat er twee keer; tel ze samen.")
        seen.add(phrase.query)
        reason = rules().refusal(phrase.query)
        if reason:
            at((*path, "query"), f"{reason} Zo'n zoekterm mag niet bewaard worden; verwijder ze.")
