"""Synonyms for search (`tips/synoniemen.yml`): groups of words colleagues use for the same thing.

Coaches maintain the file like any other content, so it is validated the same way: every problem names
the file, line and group. A term may belong to one group only (compared folded: lower case, without
diacritics, spaces or hyphens), because the search treats a group as one meaning in both directions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .problems import Problem
from .sourcefile import Positions

MAX_GROUPS = 5000
MAX_TERMS = 12
MAX_TERM_LENGTH = 60
# Lower-case letters (any script), digits, and single spaces, hyphens or apostrophes between them.
_TERM = re.compile(r"^[^\W_A-Z](?:[^\W_]|[ '’-](?=[^\W_]))*$")
_KEY_NOISE = re.compile(r"[\s'’-]+")


# The combining diacritics the browser strips too (kennisbank-search.js `fold`): the two must agree.
_DIACRITICS = re.compile("[\u0300-\u036f]")
_APOSTROPHES = re.compile("['\u2019`\u00b4]")


def fold(text: str) -> str:
    """Lower case without diacritics or apostrophes: how both the index and the browser compare words."""
    if text.isascii():
        return _APOSTROPHES.sub("", text.lower())
    return _APOSTROPHES.sub("", _DIACRITICS.sub("", unicodedata.normalize("NFD", text)).lower())


def term_key(term: str) -> str:
    """The form in which two terms count as the same ("E-mail", "email" and "e mail" are one term)."""
    return _KEY_NOISE.sub("", fold(term))


@dataclass(frozen=True)
class SynonymGroups:
    """The valid groups, in file order, each with its distinct terms."""

    groups: tuple[tuple[str, ...], ...] = ()

    def all_terms(self) -> list[str]:
        """Every term of every group."""
        return [term for group in self.groups for term in group]


def check_synonyms(data: object, rel_path: str, positions: Positions) -> tuple[SynonymGroups, list[Problem]]:
    """Validate the parsed YAML of the synonyms file; returns the usable groups and every problem."""
    if not isinstance(data, dict) or set(data) != {"synonyms"} or not isinstance(data["synonyms"], list):
        found = ", ".join(sorted(map(str, data))) if isinstance(data, dict) else type(data).__name__
        return SynonymGroups(), [
            Problem(
                rel_path,
                *positions.of(()),
                "synonyms",
                "het bestand moet één lijst 'synonyms:' bevatten met per regel een groep, "
                f"bv. '  - [wachtwoord, paswoord, password]' (gevonden: {found or 'niets'}).",
            )
        ]
    raw_groups = data["synonyms"]
    problems: list[Problem] = []
    if len(raw_groups) > MAX_GROUPS:
        problems.append(Problem(rel_path, *positions.of(("synonyms",)), "synonyms", f"meer dan {MAX_GROUPS} groepen."))
        raw_groups = raw_groups[:MAX_GROUPS]
    owner: dict[str, int] = {}  # term key -> index of the group that has it
    groups: list[tuple[str, ...]] = []
    for index, raw in enumerate(raw_groups):
        # Positions only for a problem: looking one up builds the file's position table (Positions is lazy).
        field = f"synonyms[{index}]"
        if not isinstance(raw, list):
            problems.append(
                Problem(
                    rel_path,
                    *positions.of(("synonyms", index)),
                    field,
                    "een groep is een lijst tussen haken, bv. [map, folder].",
                )
            )
            continue
        terms: list[str] = []
        for position, term in enumerate(raw[:MAX_TERMS]):
            problem = _term_problem(term)
            if problem:
                term_where = positions.of(("synonyms", index, position))
                problems.append(Problem(rel_path, *term_where, f"{field}[{position}]", problem))
                continue
            key = term_key(term)
            if key in owner and owner[key] != index:
                other = owner[key]
                line = positions.of(("synonyms", other))[0]
                problems.append(
                    Problem(
                        rel_path,
                        *positions.of(("synonyms", index, position)),
                        f"{field}[{position}]",
                        f"'{term}' staat al in groep {other + 1} (regel {line}). Een woord hoort bij één groep: "
                        "voeg de twee groepen samen of schrap het woord hier.",
                    )
                )
                continue
            if key not in owner:
                owner[key] = index
                terms.append(term)
        if len(raw) > MAX_TERMS:
            where = positions.of(("synonyms", index))
            problems.append(Problem(rel_path, *where, field, f"meer dan {MAX_TERMS} woorden in één groep."))
        if len(terms) < 2 and not any(p.field.startswith(field) for p in problems):
            where = positions.of(("synonyms", index))
            problems.append(
                Problem(rel_path, *where, field, "een groep heeft minstens twee verschillende woorden nodig.")
            )
        if len(terms) >= 2:
            groups.append(tuple(terms))
    return SynonymGroups(tuple(groups)), problems


def _term_problem(term: object) -> str | None:
    if not isinstance(term, str):
        return f"'{term}' is geen woord; zet getallen of ja/nee tussen aanhalingstekens."
    if len(term) > MAX_TERM_LENGTH:
        return f"een term van {len(term)} tekens is te lang (hoogstens {MAX_TERM_LENGTH})."
    if term != term.lower():
        return f"schrijf synoniemen in kleine letters. Bedoelde je '{term.lower()}'?"
    if not _TERM.match(term):
        cleaned = " ".join(re.sub(r"[^\w' -]+", " ", term).replace("_", " ").split())
        hint = f" Bedoelde je '{cleaned}'?" if cleaned and cleaned != term else ""
        return (
            f"'{term}' mag alleen letters, cijfers en losse spaties, koppeltekens of apostrofs tussen "
            f"woorden bevatten.{hint}"
        )
    return None


# Words that carry no meaning in a question: Dutch function words (Snowball's list), question words and
# the fillers of a help request ("hoe kan ik ... want het lukt niet"). Only applied to queries (the search page) and to
# the searched phrases of the usage figures, which must read a query as the page did.
STOP_WORDS = frozenset(
    """
    aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doe doen door dus
    een eens en er ge geen geweest graag haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik
    in is ja je jij jouw kan kon kun kunnen kunt lukt lukken maar me men met mij mijn mn moet moeten mag
    mogen na naar niet niets nog nu of om omdat ons onze ook op over reeds te tegen toch toen tot u uit
    uw van veel voor waar waarom wanneer want waren was wat we weet welk welke werd wezen wie wij wil
    willen wordt worden zal ze zelf zich zij zijn zo zonder zou zoals eigenlijk even ergens meer onder
    tijdens via vanaf sinds tussen per
    the a an to how do does can i my is of in on for what why
    """.split()  # noqa: SIM905 - a word list reads better as prose
)

MAX_QUERY_WORDS = 12  # meaningful words of a query the browser looks up: a pasted paragraph is not a question
_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """The folded words of a text, in order (assets/search/text.js `tokenize`)."""
    return _TOKEN.findall(fold(text))


def meaningful_words(query: str) -> list[str]:
    """The words of a query the search looks up (assets/search/text.js `meaningfulWords`): stop words
    dropped (all words kept when every one is a stop word), each word once, at most MAX_QUERY_WORDS. One
    rule for the index, the search specification's tests and the usage figures' failed searches."""
    every = tokens(query)
    words = list(dict.fromkeys(w for w in every if w not in STOP_WORDS)) or list(dict.fromkeys(every))
    return words[:MAX_QUERY_WORDS]
