"""Search language: folding and tokens, stop words, synonyms per tip, the Dutch lexicon, the help data.

What the browser does with them (assets/kennisbank-search.js): drop stop words, strip word endings, join
split compounds and split joined ones, correct a typo only when a word is neither on the site nor in
the Dutch lexicon, and rank tips by how many of the meaningful words they match. The index itself is
built by search_index.py.
- synonyms (`tips/synoniemen.yml`) are indexed with each tip that contains a member of a group
  (weighted by where the member occurs), which makes every member find the tip, in both directions;
- `search/nl/<xy>.txt` is a Dutch lexicon (wordfreq's list), split by the first two letters so a query
  fetches one small file.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .models import Tip
from .synonyms import fold

HELP_PATH = "search/hulp.json"
LEXICON_DIR = "search/nl/"
_TOKEN = re.compile(r"[^\W_]+")
# Endings a Dutch word takes without changing what a colleague looks for (plural, diminutive, inflected
# or compared adjective, verb forms).
INFLECTIONS = ("s", "en", "e", "n", "je", "jes", "tje", "tjes", "ken", "ke", "er", "ere", "ste", "t", "te", "de")
# A term this long also matches as the head of a compound ("wachtwoord" in "wachtwoordmanager").
COMPOUND_HEAD = 6

# Words that carry no meaning in a question: Dutch function words (Snowball's list), question words and
# the fillers of a help request ("hoe kan ik ... want het lukt niet"). Only applied to queries.
STOP_WORDS = frozenset(
    """
    aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doe doen door dus
    een eens en er ge geen geweest graag haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik
    in is ja je jij jouw kan kon kun kunnen kunt lukt lukken maar me men met mij mijn mn moet moeten mag
    mogen na naar niet niets nog nu of om omdat ons onze ook op over reeds te tegen toch toen tot u uit
    uw van veel voor waar waarom wanneer want waren was wat we weet welk welke werd wezen wie wij wil
    willen wordt worden zal ze zelf zich zij zijn zo zonder zou zoals eigenlijk even iemand ergens
    the a an to how do does can i my is of in on for what why
    """.split()  # noqa: SIM905 - a word list reads better as prose
)


@dataclass(frozen=True)
class SynonymTerms:
    """Synonyms to index with a tip: `strong` ones match its title/summary/tags, `weak` ones its body."""

    strong: tuple[str, ...]
    weak: tuple[str, ...]


def tokens(text: str) -> list[str]:
    """Folded words of a text, as the browser splits a query."""
    return _TOKEN.findall(fold(text))


def _word_matches(term_word: str, word: str, last: bool) -> bool:
    if word == term_word:
        return True
    if not last or not word.startswith(term_word):
        return False
    rest = word[len(term_word) :]
    return rest in INFLECTIONS or len(term_word) >= COMPOUND_HEAD


@dataclass(frozen=True)
class _Words:
    """A text's folded words, indexed for term lookups: by position (phrases) and sorted (prefixes)."""

    sequence: list[str]
    starts: dict[str, list[int]]
    ordered: list[str]

    @classmethod
    def of(cls, text: str) -> _Words:
        sequence = tokens(text)
        starts: dict[str, list[int]] = {}
        for i, word in enumerate(sequence):
            starts.setdefault(word, []).append(i)
        return cls(sequence, starts, sorted(starts))

    def contains(self, term: list[str]) -> bool:
        """Does the text contain the term (its last word possibly inflected or the head of a compound)?"""
        if len(term) == 1:
            head = term[0]
            index = bisect.bisect_left(self.ordered, head)
            while index < len(self.ordered) and self.ordered[index].startswith(head):
                if _word_matches(head, self.ordered[index], True):
                    return True
                index += 1
            return False
        for i in self.starts.get(term[0], []):
            window = self.sequence[i : i + len(term)]
            if len(window) == len(term) and all(
                _word_matches(t, w, k == len(term) - 1) for k, (t, w) in enumerate(zip(term, window, strict=True))
            ):
                return True
        return False


def synonym_terms(tip: Tip, groups: Sequence[Sequence[str]]) -> SynonymTerms:
    """The members of each synonym group that the tip does not contain, for every group it matches."""
    strong_words = _Words.of(" ".join([tip.title, tip.summary, *tip.tags]))
    body_words = _Words.of(tip.body)
    strong: list[str] = []
    weak: list[str] = []
    for group in groups:
        split = [tokens(term) for term in group]
        in_strong = [t for t, s in zip(group, split, strict=True) if s and strong_words.contains(s)]
        if in_strong:
            strong += [t for t in group if t not in in_strong]
            continue
        in_body = [t for t, s in zip(group, split, strict=True) if s and body_words.contains(s)]
        if in_body:
            weak += [t for t in group if t not in in_body]
    return SynonymTerms(tuple(dict.fromkeys(strong)), tuple(dict.fromkeys(weak)))


@functools.cache
def lexicon_shards() -> dict[str, bytes]:
    """The Dutch lexicon as `search/nl/<first two letters>.txt` files (one folded word per line).

    From wordfreq's large Dutch list (about 300,000 words from subtitles, Wikipedia, news and the web).
    Words under four letters are left out: the browser never corrects those."""
    import wordfreq  # imported here: loading its data takes a moment and only the build needs it

    shards: dict[str, set[str]] = {}
    for word in wordfreq.top_n_list("nl", 1_000_000, wordlist="large"):
        folded = fold(word)
        if len(folded) >= 4 and folded.isascii() and folded.isalpha():
            shards.setdefault(folded[:2], set()).add(folded)
    return {key: "\n".join(sorted(words)).encode("ascii") for key, words in sorted(shards.items())}


@dataclass(frozen=True)
class HelpCoach:
    name: str
    email: str
    municipality: str
    role: str


@dataclass(frozen=True)
class HelpDepartment:
    label: str
    coaches: tuple[HelpCoach, ...]


@dataclass(frozen=True)
class HelpTool:
    label: str
    url: str
    terms: tuple[str, ...]


def help_data(
    departments: Sequence[HelpDepartment], tools: Sequence[HelpTool], propose_url: str, coaches_url: str
) -> bytes:
    """`search/hulp.json`: what the search page offers when it finds little (coaches, tool pages, how to
    propose a tip). URLs are relative to the site root."""
    data = {
        "departments": [{"label": d.label, "coaches": [asdict(c) for c in d.coaches]} for d in departments],
        "tools": [{"label": t.label, "url": t.url, "terms": sorted(set(t.terms))} for t in tools],
        "propose": propose_url,
        "coaches": coaches_url,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
