"""Search language: folding and tokens, stop words, synonyms per tip, the Dutch lexicon, the help data.

What the browser does with them (assets/kennisbank-search.js): drop stop words, strip word endings, join
split compounds and split joined ones, correct a typo only when a word is neither on the site nor in
the Dutch lexicon, and rank tips by how many of the meaningful words they match. The index itself is
built by search_index.py.
- synonyms (`tips/synoniemen.yml`) are indexed with each tip that contains a member of a group
  (weighted by where the member occurs), which makes every member find the tip, in both directions;
- `search/nl/<prefix>.txt` is a Dutch lexicon (wordfreq's list), split by the first two letters (three
  for a crowded pair) so a query fetches one small file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..content.models import Tip

# The query rules live with folding in content/ (the usage figures read queries as the page does); re-exported
# for the index and the search specification's tests (tests/test_search_spec.py).
from ..content.synonyms import MAX_QUERY_WORDS as MAX_QUERY_WORDS
from ..content.synonyms import STOP_WORDS as STOP_WORDS
from ..content.synonyms import fold as fold
from ..content.synonyms import meaningful_words as meaningful_words
from ..content.synonyms import tokens as tokens

HELP_PATH = "search/hulp.json"
LEXICON_DIR = "search/nl/"
LEXICON_SHARD_WORDS = 1500  # about 15 KB
_LEXICON_FILE = re.compile(r"search/nl/(?:[a-z]{2,3}\.txt|index\.json)")
# Endings a Dutch word takes without changing what a colleague looks for (plural, diminutive, inflected
# or compared adjective, verb forms).
INFLECTIONS = ("s", "en", "e", "n", "je", "jes", "tje", "tjes", "ken", "ke", "er", "ere", "ste", "t", "te", "de")
# The order in which both sides try them: longest first (the index manifest hands this order to the browser).
ENDINGS_LONGEST_FIRST = tuple(sorted(INFLECTIONS, key=len, reverse=True))
MIN_BASE = 3  # an ending is only taken off when at least this much of the word remains
# A term this long also matches as the head of a compound ("wachtwoord" in "wachtwoordmanager").
COMPOUND_HEAD = 6


@dataclass(frozen=True)
class SynonymTerms:
    """Synonyms to index with a tip: `strong` ones match its title/summary/tags, `weak` ones its body."""

    strong: tuple[str, ...]
    weak: tuple[str, ...]


@dataclass(frozen=True)
class FoldedWords:
    """A text's folded words in order (`tokens`), each distinct word one shared string. Folding a body is
    the indexer's largest cost per document, so it is done once and read by both the synonym matcher and
    the index weights."""

    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> FoldedWords:
        """The folded words of `text`, interned: at 10,000 tips one string per distinct word, not per use."""
        return cls(tuple(map(sys.intern, tokens(text))))


def ending_bases(word: str) -> list[str]:
    """What a word may stand for without a usual ending, longest ending first; after the ending a doubled
    last letter is undone too ("mappen" -> "mapp", "map"). The browser's stemmer (assets/search/text.js
    `endingBases`) takes the first of these that is a term; the synonym matcher accepts any of them."""
    bases: list[str] = []
    for ending in ENDINGS_LONGEST_FIRST:
        if len(word) - len(ending) < MIN_BASE or not word.endswith(ending):
            continue
        base = word[: -len(ending)]
        bases.append(base)
        if base[-1] == base[-2]:
            bases.append(base[:-1])
    return bases


def stem(word: str, is_term: Callable[[str], bool]) -> str | None:
    """The word without its ending when that is a term ("paswoorden" -> "paswoord"), else None."""
    return next((base for base in ending_bases(word) if is_term(base)), None)


class SynonymMatcher:
    """Finds, for a tip, the synonyms to index with it. Built once per build, looked up per word of a tip.

    A one-word term matches a word that equals it, that is it plus a usual ending ("paswoorden"), or
    that starts with it when the term is long enough to be the head of a compound ("wachtwoordbeleid").
    In a term of several words, the last word may take an ending."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self.groups = [tuple(group) for group in groups]
        self.single: dict[str, list[tuple[int, str]]] = {}
        self._by_word: dict[str, list[tuple[int, str]]] = {}  # words repeat across tips: look each up once
        self._bases: dict[str, tuple[str, ...]] = {}  # likewise `ending_bases` of a word after a term's first words
        self.multi: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
        for index, group in enumerate(self.groups):
            for term in group:
                words = tokens(term)
                if len(words) == 1:
                    self.single.setdefault(words[0], []).append((index, term))
                elif words:
                    self.multi.setdefault(words[0], []).append((index, term, tuple(words)))

    def _found(self, sequence: tuple[str, ...]) -> dict[int, set[str]]:
        """Per group index, the terms of the group that occur in the folded words of a text."""
        found: dict[int, set[str]] = {}
        for word in set(sequence):
            matches = self._by_word.get(word)
            if matches is None:
                matches = [m for head in _heads(word) for m in self.single.get(head, ())]
                self._by_word[word] = matches
            for index, term in matches:
                found.setdefault(index, set()).add(term)
        multi = self.multi
        for position in [i for i, word in enumerate(sequence) if word in multi]:  # a comprehension: fast
            for index, term, words in multi[sequence[position]]:
                window = sequence[position : position + len(words)]
                if len(window) == len(words) and window[:-1] == words[:-1] and self._head_of(words[-1], window[-1]):
                    found.setdefault(index, set()).add(term)
        return found

    def _head_of(self, term_word: str, word: str) -> bool:
        """`_head_of`, with each word's endings taken off once per build rather than once per occurrence."""
        if word == term_word:
            return True
        bases = self._bases.get(word)
        if bases is None:
            bases = self._bases[word] = tuple(ending_bases(word))
        return _head_of(term_word, word, bases)

    def terms_for(self, tip: Tip, body: FoldedWords | None = None) -> SynonymTerms:
        """The members of each group that the tip does not contain, for every group it matches. `body`: the
        tip's body already folded (`FoldedWords.of(tip.body)`), when the caller needs those words too."""
        heading = " ".join([tip.title, tip.summary, *tip.tags])
        return self.terms_for_words(FoldedWords.of(heading), body if body is not None else FoldedWords.of(tip.body))

    def terms_for_text(self, heading: str, body: str) -> SynonymTerms:
        """The same for any document: `heading` is its title, summary and tags, `body` the rest."""
        return self.terms_for_words(FoldedWords.of(heading), FoldedWords.of(body))

    def terms_for_words(self, heading: FoldedWords, body: FoldedWords) -> SynonymTerms:
        """The same for words already folded: `heading` those of the title, summary and tags."""
        in_strong = self._found(heading.words)
        in_body = self._found(body.words)
        strong: list[str] = []
        weak: list[str] = []
        for index in sorted(in_strong.keys() | in_body.keys()):  # in file order, only the groups that matched
            group = self.groups[index]
            if index in in_strong:
                strong += [t for t in group if t not in in_strong[index]]
            else:
                weak += [t for t in group if t not in in_body[index]]
        return SynonymTerms(tuple(dict.fromkeys(strong)), tuple(dict.fromkeys(weak)))


def _heads(word: str) -> Iterable[str]:
    """The one-word terms a word of a tip can stand for: itself, without an ending, a compound's head."""
    yield word
    yield from ending_bases(word)
    for length in range(COMPOUND_HEAD, len(word)):
        yield word[:length]


def _head_of(term_word: str, word: str, bases: Sequence[str] | None = None) -> bool:
    """Whether `word` stands for a term's last word: equal, with an ending, or as a compound's head.
    `bases`: `ending_bases(word)` when the caller has them already."""
    if word == term_word:
        return True
    if bases is None:
        bases = ending_bases(word)
    return term_word in bases or (len(term_word) >= COMPOUND_HEAD and word.startswith(term_word))


@functools.cache
def lexicon_shards(cache_dir: Path | None = None) -> dict[str, bytes]:
    """The Dutch lexicon as `search/nl/<prefix>.txt` files (one folded word per line), by site path.

    From wordfreq's large Dutch list (about 300,000 words from subtitles, Wikipedia, news and the web).
    Words under four letters are left out: the browser never corrects those. A file holds the words of
    two first letters; a crowded pair ("st", "ve") is split by the third letter, listed in
    `search/nl/index.json`, so a query fetches a few kilobytes and a build writes about a thousand files.

    The files depend only on wordfreq's list and this code: with a `cache_dir` (the build's cache folder,
    outside the repository) they are made once per wordfreq version and read back by later builds (making
    them took half a second, a tenth of a build of 1,000 tips)."""
    cached = cache_dir / f"lexicon-nl-{_lexicon_key()}.json" if cache_dir is not None else None
    if cached is not None:
        with contextlib.suppress(OSError, ValueError):
            stored = json.loads(cached.read_text(encoding="ascii"))
            # Published as it is read: only lexicon files, only ASCII (anything else is made again).
            if isinstance(stored, dict) and all(
                isinstance(v, str) and isinstance(k, str) and _LEXICON_FILE.fullmatch(k) for k, v in stored.items()
            ):
                return {path: text.encode("ascii") for path, text in stored.items()}
    files = _make_lexicon_shards()
    if cached is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs the next build time
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
            partial.write_text(json.dumps({path: data.decode("ascii") for path, data in files.items()}), "ascii")
            os.replace(partial, cached)
    return files


def _lexicon_key() -> str:
    """Changes with wordfreq's version and with the code that makes the shards from its list."""
    from importlib.metadata import version

    code = inspect.getsource(_make_lexicon_shards) + inspect.getsource(fold)
    made = f"{version('wordfreq')}|{LEXICON_DIR}|{LEXICON_SHARD_WORDS}|{code}"
    return hashlib.sha256(made.encode("utf-8")).hexdigest()[:16]


def _make_lexicon_shards() -> dict[str, bytes]:
    import wordfreq  # imported here: loading its data takes a moment and only the build needs it

    source = "wordfreq (Robyn Speer), word list under CC BY-SA 4.0: https://github.com/rspeer/wordfreq"
    return lexicon_files(wordfreq.top_n_list("nl", 1_000_000, wordlist="large"), source)


def lexicon_files(words: Iterable[str], source: str, shard_words: int = LEXICON_SHARD_WORDS) -> dict[str, bytes]:
    """The lexicon files for any word list (the search specification uses a small one)."""
    pairs: dict[str, set[str]] = {}
    for word in words:
        folded = fold(word)
        if len(folded) >= 4 and folded.isascii() and folded.isalpha():
            pairs.setdefault(folded[:2], set()).add(folded)
    files: dict[str, bytes] = {}
    split: list[str] = []
    for pair, members in sorted(pairs.items()):
        if len(members) <= shard_words:
            files[f"{LEXICON_DIR}{pair}.txt"] = "\n".join(sorted(members)).encode("ascii")
            continue
        split.append(pair)
        thirds: dict[str, list[str]] = {}
        for word in sorted(members):
            thirds.setdefault(word[:3], []).append(word)
        files.update({f"{LEXICON_DIR}{key}.txt": "\n".join(ws).encode("ascii") for key, ws in thirds.items()})
    files[f"{LEXICON_DIR}index.json"] = json.dumps({"split": split, "source": source}).encode("ascii")
    return files


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
