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
from typing import TYPE_CHECKING

from ..content.lexicon import common_dutch_words
from ..content.messages import field_label
from ..content.models import Taxonomy
from ..content.names import (
    AMBIGUOUS_SURNAMES,
    GLUED_SURNAMES,
    HONORIFIC_PAIRS,
    HONORIFICS,
    PARTICLES,
    SURNAME_PAIRS,
    SURNAMES,
    WORD_SURNAMES,
    first_names,
)
from ..content.problems import Problem, Severity
from ..content.sourcefile import FieldPath, Positions
from ..content.synonyms import SynonymGroups, fold
from ..content.usage import FEEDBACK_REASONS, UsageMonthFile
from ..policy import USAGE_LONG_NUMBER_DIGITS, USAGE_MIN_SEARCHES

if TYPE_CHECKING:
    from ..content.repository import Repository

_WORD = re.compile(r"[^\W_]+")
# Apostrophes and hyphens split a word: every part must pass ("o'brien" is "o" and "brien", never "obrien").
_SPLIT = re.compile("['\u2019\u2018`\u00b4\u02bc\u2032-]")
# A name with an apostrophe after a particle: "d'hondt", "o'brien", "l'hoest", "mc'bride" (not "m'n", "'s").
_APOSTROPHE_NAME = re.compile(r"(?<![^\W_])(?:d|l|o|mc)\s?['\u2019\u2018`\u00b4\u02bc]\s?[^\W\d_]{2,}")
# An initial before a word: "j. maas", "m.peeters" (a dot after one letter; "e-mail" has none).
_INITIAL = re.compile(r"(?<![^\W_])[^\W\d_]\.\s?[^\W\d_]{2,}")
# A capitalised word as typed, once its first letter is known to be a capital ("Bakker", not "MFA", "OneDrive").
_CAPITALISED = re.compile(r"[^\W\d_][^\W\d_A-Z]+")
# N digits with at most a few non-letters between them (any: "85.07.30-033.28", "058 33 55 12",
# "85,07,30,033,28", "85_07_30_033_28", "(0470)[123]"); full-width digits are ASCII after NFKC.
_LONG_NUMBER = re.compile(r"\d(?:[\W_]{0,3}\d){" + str(USAGE_LONG_NUMBER_DIGITS - 1) + ",}")
_EMAIL = re.compile(r"@|\[at\]|\(at\)", re.IGNORECASE)
# Mail providers: a phrase naming one is about someone's mailbox ("jan peeters gmail com").
_PROVIDERS = frozenset(
    [
        "gmail",
        "hotmail",
        "telenet",
        "skynet",
        "proximus",
        "yahoo",
        "icloud",
        "msn",
        "scarlet",
        "pandora",
        "googlemail",
        "protonmail",
    ]
)
# Words that are also the site's own ("outlook", "live") or ordinary ("be", "net") are refused only
# next to a spelled-out '@' or '.' ("outlook punt com", "jan at live dot be").
_SPELLED = frozenset({"at", "punt", "dot", "apenstaart", "apestaartje", "apenstaartje"})
# Not "de" or "info": "de punt op de i" and "info punt" are ordinary Dutch.
_DOMAIN_WORDS = frozenset({"outlook", "live", "hotmail", "com", "be", "net", "org", "eu", "nl", "fr"})
_SPELLED_ADDRESS = re.compile(r"\b\w+ (?:at|apenstaart) \w+ (?:punt|dot) (?:com|be|net|org|eu|nl|fr|de|info)\b")
# A street with a house number ("kerkstraat 12", "12 a kerkstraat") and Belgian number plates
# ("1-abc-123", "1 abc 123", "abc-123", "abc 123").
_STREET = re.compile(r"(?:straat|laan|dijk|steenweg|plein|weg|lei|dreef|kaai|baan)$")
_HOUSE_NUMBER = re.compile(r"^\d{1,4}[a-z]?$")
_PLATE = re.compile(r"(?<![^\W_])(?:\d[\s-]?[a-z]{3}[\s-]?\d{3}|[a-z]{3}[\s-]?\d{3})(?![^\W_])")
# Words between a street and its number: "kerkstraat nr 12", "kerkstraat nummer 12", "kerkstraat no 12".
_NUMBER_WORDS = frozenset({"nr", "nummer", "no", "num", "huisnummer", "n"})
# Characters of markup and code, never of a colleague's question: "<script>", "{{7*7}}", "teams\\ achtergrond".
_MARKUP = re.compile(r"[<>{}\[\]\\|$^~=*`]")
_COMPOUND_PART = 4  # both halves of a compound at least this long: "des" + "met" is a surname, not a compound
_LINKERS = ("", "s", "e", "en")  # Dutch linking sounds: afwezigheid-s-bericht, pannen-koek


def normalise_phrase(query: str) -> str:
    """A query as the file keeps it: NFC, lower case, single spaces, no surrounding blanks."""
    return " ".join(unicodedata.normalize("NFC", query).lower().split())


def _mail_like(words: list[str], spaced: str) -> bool:
    """A provider's name, a domain word next to a spelled-out '@' or '.', or 'jan at voorbeeld punt be'."""
    if any(word in _PROVIDERS for word in words) or _SPELLED_ADDRESS.search(spaced):
        return True
    for index, word in enumerate(words):
        if word in _DOMAIN_WORDS:
            near = words[max(0, index - 1) : index] + words[index + 1 : index + 2]
            if any(other in _SPELLED for other in near):
                return True
    return False


def _address_or_plate(words: list[str], spaced: str) -> bool:
    """A street name next to a house number ("kerkstraat 12", "12 kerkstraat", "kerkstraat nr 12",
    "kerkstraat nummer 12a"), or a Belgian number plate."""
    plain = [word for word in words if word not in _NUMBER_WORDS]  # "nr", "nummer": the number still follows
    for index, word in enumerate(plain):
        if _STREET.search(word) and len(word) > 4:
            near = plain[max(0, index - 1) : index] + plain[index + 1 : index + 2]
            if any(_HOUSE_NUMBER.match(other) for other in near):
                return True
    return _PLATE.search(spaced) is not None


@dataclass(frozen=True)
class PhraseRules:
    """Decides whether a search phrase may be kept (apart from how often it was searched)."""

    site_words: frozenset[str]  # never people's names: see `build`
    given_lexicon: Collection[str] | None = None  # None: wordfreq's common Dutch words, loaded when first needed
    people_words: frozenset[str] = frozenset()  # the coaches' names: a phrase holding one is never kept

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
        people: Iterable[str] = (),
    ) -> PhraseRules:
        """The rules for one repository: its own words (tip and path titles and tags, taxonomy ids and labels,
        synonyms) and the common Dutch words. The words of `people` (coaches' names, ids and the part of their
        e-mail address before the @) are taken out of the site's words and refuse a phrase wherever they stand:
        a coach's name on the site must neither let a citizen with that name through nor be kept itself."""
        texts: list[str] = list(titles) + synonyms.all_terms()
        if taxonomy is not None:
            for vocabulary in (taxonomy.tools, taxonomy.departments, taxonomy.themes, taxonomy.sources):
                for key, entry in vocabulary.items():
                    texts += [key, getattr(entry, "label", "") or ""]
        names = {word for text in people for word in _words(text.partition("@")[0])}
        words = frozenset(word for text in texts for word in _words(text) if word not in names)
        # Particles and two-letter words of a name ("van", "de", "an") stay ordinary words: "an" is a first
        # name anyway, and refusing every phrase with "de" would keep nothing.
        people_words = frozenset(word for word in names if len(word) > 2 and word not in PARTICLES)
        return cls(words, lexicon, people_words)

    def known(self, word: str) -> bool:
        """A folded word that is Dutch enough or the site's own: itself, or a compound of two such words.
        A single letter (the "s" of "foto's", the "e" of "e-mail") names nobody."""
        if word.isdigit() or len(word) == 1 or word in self.site_words or word in self.lexicon:
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
        """A part of a compound: a word of the site or the lexicon, but never a surname ("janssensdossier",
        "peetersmaes": a name glued to a word is still a name, even when the lexicon lists the surname)."""
        if word in SURNAMES or word in WORD_SURNAMES:
            return False
        return word in self.site_words or word in self.lexicon

    def names_a_person(self, words: list[str]) -> bool:
        """The words (folded) read as someone's name: a coach's name, a form of address, a first name, a
        surname, a surname that is also a word alone or after a particle, or a particle with one word.
        The site's own words (a tool, a tip title) are not names, except the coaches'."""
        site = self.site_words
        people = self.people_words
        firsts = first_names()
        for index, word in enumerate(words):
            before = words[index - 1] if index else ""
            if (
                word in people
                or word in HONORIFICS
                or (before, word) in HONORIFIC_PAIRS
                or (before, word) in SURNAME_PAIRS
                or word in SURNAMES
                or word in GLUED_SURNAMES
                or (before in PARTICLES and (word in WORD_SURNAMES or word in AMBIGUOUS_SURNAMES))
            ):
                return True
            if word in site:
                continue
            if word in firsts or word in WORD_SURNAMES or (word in AMBIGUOUS_SURNAMES and len(words) == 1):
                return True
        # "van damme", "de meyer", "van der veken": particles and one word that is not the site's own.
        rest = [word for word in words if word not in PARTICLES]
        return len(words) > 1 and len(rest) == 1 and words[-1] == rest[0] and rest[0] not in site

    def names_by_capitals(self, typed: str) -> bool:
        """The query as typed has a capitalised word after its first one that is not the site's own
        ("dossier Bakker", "Jan Smit"): Dutch writes only names so. Known only while importing: the file
        keeps the phrase in lower case."""
        if typed == typed.lower():
            return False
        tokens = re.findall(r"[^\W\d_]+", _SPLIT.sub(" ", unicodedata.normalize("NFKC", typed)))
        return any(
            token[0].isupper() and _CAPITALISED.fullmatch(token) and fold(token) not in self.site_words
            for token in tokens[1:]
        )

    def refusal(self, phrase: str) -> str | None:
        """Why a phrase may not be kept (Dutch, without repeating the phrase), or None when it may."""
        if any(unicodedata.category(c) in ("Cc", "Cf") for c in phrase):
            return "de zoekterm bevat onzichtbare tekens."
        phrase = unicodedata.normalize("NFKC", phrase)  # full-width ＠ and digits, ligatures: plain ones
        if _EMAIL.search(phrase):
            return "de zoekterm bevat een e-mailadres."
        if _LONG_NUMBER.search(phrase):
            return (
                f"de zoekterm bevat een getal van {USAGE_LONG_NUMBER_DIGITS} of meer cijfers "
                "(rijksregister-, telefoon- of dossiernummer)."
            )
        if _MARKUP.search(phrase):
            return "de zoekterm bevat tekens van code of opmaak (zoals < > { } [ ] \\ = *), geen vraag."
        words = _words(phrase)
        if not any(len(word) > 1 and not word.isdigit() for word in words):
            return "de zoekterm bevat geen woord."
        spaced = " ".join(words)
        if _mail_like(words, spaced):
            return "de zoekterm lijkt op een e-mailadres (een mailprovider of een uitgeschreven adres)."
        if _address_or_plate(words, spaced):
            return "de zoekterm bevat een adres met huisnummer of een nummerplaat."
        lowered = phrase.lower()
        if _APOSTROPHE_NAME.search(lowered) or _INITIAL.search(lowered) or self.names_a_person(words):
            return (
                "de zoekterm lijkt een persoon te noemen (een voornaam, een familienaam, een aanspreking als "
                "mevrouw of familie, of de naam van een digicoach)."
            )
        unknown = sum(1 for word in words if not self.known(word))
        if unknown:
            return (
                f"de zoekterm bevat {unknown} woord(en) dat geen gewoon Nederlands woord is en niet op de site "
                "staat (misschien een naam)."
            )
        return None


def _words(text: str) -> list[str]:
    """The folded words of a text; an apostrophe or hyphen splits a word into parts that each must pass."""
    return _WORD.findall(fold(_SPLIT.sub(" ", text)))


def rules_for(repository: Repository) -> PhraseRules:
    """The phrase rules of one repository: its tips', paths' and vocabulary's words, without its coaches'."""
    titles = [t.title for t in repository.tips] + [p.title for p in repository.paths]
    titles += [tag for t in repository.tips for tag in t.tags]
    people = [text for c in repository.coaches.values() for text in (c.id, c.name, c.email)]
    return PhraseRules.build(repository.taxonomy, repository.synonyms, titles, people=people)


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
    if searches.ended_on_tip > searches.total:
        at(
            ("searches", "ended_on_tip"),
            f"{searches.ended_on_tip} zoekopdrachten eindigden op een tip, maar er waren er {searches.total} in "
            "totaal; een zoekopdracht eindigt hoogstens één keer op een tip.",
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
