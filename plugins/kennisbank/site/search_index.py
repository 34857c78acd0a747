"""The site's search index: static files the browser's search engine (assets/kennisbank-search.js) reads.

Why our own index and not Pagefind: colleagues' questions need one search per meaningful word, merged
and ranked by how many words a tip has. Pagefind answers every search with all matching pages through a
worker; at 10,000 tips that took 250-750 ms per common word and 0.6 s to start (scripts/bench_search.py).
Here a word costs one small file and a loop over integers.

Files, all under `search/`:
- `tips.json`: the manifest: number of documents (tips, then learning paths), which are paths, stop
  words, word endings, the filters (name, title, which one scopes a department's search, which show as
  badges) and per filter value (dienst, gemeente, tool, niveau, bron) a bitset of the documents that have
  it (base64), so filters and their counts need no further request;
- `index/<prefix>.json`: the terms that start with the same two letters, sorted, each with its postings
  (tip number and weight, delta-coded). A query word fetches only its own file; a crowded prefix is
  split by one more letter (the manifest lists the split prefixes);
- `tip/<n>.json`: what a result shows of document n (title, URL, summary, coach, badges; a path's steps);
- `woorden.json`: every term, fetched only to correct a typo.

Tips are numbered newest first, so browsing without a query lists the newest tips first; learning paths
follow them. Weights are BM25 per field, summed with field weights (title over summary, synonyms and tags
over body), scaled to 1..255; the browser multiplies them by the term's rarity among documents of the
same kind.
"""

from __future__ import annotations

import base64
import json
import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .search import ENDINGS_LONGEST_FIRST, MAX_QUERY_WORDS, STOP_WORDS, FoldedWords, tokens

MANIFEST_PATH = "search/tips.json"
SHARD_DIR = "search/index/"
TIP_DIR = "search/tip/"
WORDS_PATH = "search/woorden.json"


@dataclass(frozen=True)
class SearchFilter:
    """One filter of the search: its name in URLs and the index, the vocabulary it takes labels from, and
    its title on the search page. The one definition templates and the browser (through the manifest)
    are fed from."""

    name: str
    kind: str
    title: str


SEARCH_FILTERS = (
    SearchFilter("dienst", "departments", "Dienst"),
    SearchFilter("gemeente", "municipalities", "Gemeente"),
    SearchFilter("tool", "tools", "Tool"),
    SearchFilter("niveau", "difficulties", "Niveau"),
    SearchFilter("bron", "sources", "Bron"),
)
SCOPE_FILTER = "dienst"  # a department's own search keeps the documents with its value (or everyone's)


@dataclass(frozen=True)
class ResultBadge:
    """A filter whose values a result shows as badges, in this order, with their CSS classes."""

    filter: str
    css: str


RESULT_BADGES = (
    ResultBadge("niveau", "kb-chip kb-level"),
    ResultBadge("tool", "kb-chip"),
    ResultBadge("dienst", "kb-chip kb-chip--department"),
)
TIP = "tip"
PATH = "leerpad"

# How much one occurrence in a field counts, before saturation.
FIELD_WEIGHTS = {"title": 10.0, "summary": 6.0, "strong": 5.0, "tags": 4.0, "facts": 2.0, "body": 1.0, "weak": 1.0}
K1 = 1.2  # term-frequency saturation
B = 0.75  # body-length normalisation (the other fields are short)
SCALE = 8.0  # a title + summary + tags hit reaches about 255
MAX_SHARD_POSTINGS = 12_000  # integers per shard file (about 50 KB) before it is split by one more letter
MAX_DEPTH = 8
_SAFE = frozenset(string.ascii_lowercase + string.digits)  # a shard file name keeps these as they are


@dataclass(frozen=True)
class SearchDocument:
    """One tip as the search sees it: the text per field, what a result shows, and its filter values."""

    url: str
    title: str
    summary: str
    coach: str
    tags: tuple[str, ...]
    facts: str  # labels of tools, departments, source, coach: found, but weighed lightly
    body: str
    strong: tuple[str, ...] = ()  # synonyms of words in title, summary or tags
    weak: tuple[str, ...] = ()  # synonyms of words in the body
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    kind: str = TIP  # or PATH: a learning path, whose `steps` counts its tips
    steps: int = 0
    # The body's folded words when the caller already made them (search_files.py gives the same words to
    # the synonym matcher); made from `body` when not given.
    body_words: FoldedWords | None = field(default=None, repr=False, compare=False)

    def folded_body(self) -> tuple[str, ...]:
        """The body's folded words (`FoldedWords`), made at most once per document by the whole indexer."""
        return (self.body_words if self.body_words is not None else FoldedWords.of(self.body)).words

    def field_texts(self) -> dict[str, str]:
        return {
            "title": self.title,
            "summary": self.summary,
            "tags": " ".join(self.tags),
            "facts": self.facts,
            "body": self.body,
            "strong": " ".join(self.strong),
            "weak": " ".join(self.weak),
        }


def shard_key(prefix: str) -> str:
    """A shard's file name: its prefix, spelled safely (the browser spells it the same way)."""
    return "".join(c if c in _SAFE else f"_{ord(c):x}" for c in prefix)


def shard_prefix(term: str, split: Iterable[str]) -> str:
    """The prefix of the shard a term lives in: two characters, one more for every split prefix."""
    split = set(split)
    depth = 2
    while depth < len(term) and term[:depth] in split:
        depth += 1
    return term[:depth]


def _place(terms: list[str], depth: int, sizes: dict[str, int], shards: dict[str, list[str]], split: list[str]) -> None:
    """Group sorted terms into shards by their first `depth` characters; a shard that would exceed
    MAX_SHARD_POSTINGS is split by one more character (its terms of exactly that length stay), so a
    query never downloads the postings of a whole crowded prefix such as "ver"."""
    groups: dict[str, list[str]] = {}
    for term in terms:
        groups.setdefault(term[:depth], []).append(term)
    for prefix, members in groups.items():
        if len(prefix) < depth or sum(sizes[t] for t in members) <= MAX_SHARD_POSTINGS or depth >= MAX_DEPTH:
            shards[prefix] = members
            continue
        split.append(prefix)
        shards[prefix] = [t for t in members if len(t) <= depth]
        _place([t for t in members if len(t) > depth], depth + 1, sizes, shards, split)


def _weights(doc: SearchDocument, body: Sequence[str], average_body: float) -> dict[str, float]:
    weights: defaultdict[str, float] = defaultdict(float)
    for name, text in doc.field_texts().items():
        # Counted whole and one-letter words skipped below: cheaper than filtering every occurrence. The order
        # of a document's terms does not matter (postings are appended per document, terms sorted later).
        counts = Counter(body if name == "body" else tokens(text))
        norm = 1.0
        if name == "body":
            norm = 1 - B + B * (len(body) / average_body if average_body else 1.0)
        field_weight = FIELD_WEIGHTS[name]
        for term, tf in counts.items():
            if len(term) >= 2:
                weights[term] += field_weight * tf * (K1 + 1) / (tf + K1 * norm)
    return weights


def bitset(members: Iterable[int], size: int) -> str:
    """Documents as a base64 bitset: bit n of byte n // 8, least significant first (assets/search/bitset.js)."""
    bits = bytearray((size + 7) // 8)
    for n in members:
        bits[n >> 3] |= 1 << (n & 7)
    return base64.b64encode(bytes(bits)).decode("ascii")


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def build_search_files(docs: Sequence[SearchDocument], everyone: str, version: str = "") -> dict[str, bytes]:
    """Every search file for the tips in `docs` (in result order: newest first), by site path.

    `everyone` is the department label of tips for all departments: a department's search includes them.
    Tips come first, newest first, then learning paths (`kind`).
    `version` identifies the content the index was built from (see Knowledge.search_version)."""
    # Memory, at 10,000 tips: the body tokens are interned (one string per distinct word, not one per
    # occurrence), and postings are delta-encoded as they are made rather than kept as (doc, weight) tuples
    # first. Together that was 250 MB of the indexer's peak.
    kinds = [d.kind for d in docs]
    if kinds != sorted(kinds, key=lambda kind: kind != TIP):
        raise ValueError("build_search_files: every tip must come before the learning paths")
    bodies: list[Sequence[str]] = [d.folded_body() for d in docs]
    # Body length is normalised among documents of the same kind: a path's short introduction must not
    # change how a tip's body weighs.
    lengths: dict[str, list[int]] = {}
    for doc, body in zip(docs, bodies, strict=True):
        lengths.setdefault(doc.kind, []).append(len(body))
    average = {kind: sum(values) / len(values) for kind, values in lengths.items()}
    encoded: dict[str, list[int]] = {}  # term -> [doc delta, weight, doc delta, weight, ...]
    last: dict[str, int] = {}
    for n, doc in enumerate(docs):
        # The innermost loop of the indexer (1.7 million postings at 10,000 tips): comparisons rather than
        # min()/max() calls, and a term's first posting made with its list.
        for term, weight in _weights(doc, bodies[n], average[doc.kind]).items():
            scaled = round(weight * SCALE)
            scaled = 1 if scaled < 1 else 255 if scaled > 255 else scaled
            flat = encoded.get(term)
            if flat is None:
                encoded[term] = [n, scaled]  # the first delta counts from document 0
            else:
                flat += (n - last[term], scaled)
            last[term] = n
        bodies[n] = ()  # no longer needed (unless the document keeps its words)
    del bodies, last
    shards: dict[str, list[str]] = {}
    split: list[str] = []
    _place(sorted(encoded), 2, {t: len(v) for t, v in encoded.items()}, shards, split)
    files: dict[str, bytes] = {}
    for prefix, terms in shards.items():
        files[f"{SHARD_DIR}{shard_key(prefix)}.json"] = _json({"terms": terms, "postings": [encoded[t] for t in terms]})

    filters: dict[str, dict[str, list[int]]] = {}
    for n, doc in enumerate(docs):
        record: dict[str, object] = {
            "url": doc.url,
            "title": doc.title,
            "summary": doc.summary,
            "coach": doc.coach,
            "filters": doc.filters,
        }
        if doc.kind != TIP:
            record.update(kind=doc.kind, steps=doc.steps)
        files[f"{TIP_DIR}{n}.json"] = _json(record)
        for name, values in doc.filters.items():
            for value in values:
                filters.setdefault(name, {}).setdefault(value, []).append(n)
    files[MANIFEST_PATH] = _json(
        {
            "count": len(docs),
            "version": version,
            "stop": sorted(STOP_WORDS),
            "inflections": list(ENDINGS_LONGEST_FIRST),
            "max_words": MAX_QUERY_WORDS,
            "split": split,
            "facets": [{"name": f.name, "title": f.title} for f in SEARCH_FILTERS],
            "badges": [{"filter": b.filter, "class": b.css} for b in RESULT_BADGES],
            "scope": SCOPE_FILTER,
            "everyone": everyone,
            "kinds": {
                kind: bitset([n for n, d in enumerate(docs) if d.kind == kind], len(docs))
                for kind in sorted({d.kind for d in docs} - {TIP})
            },
            "filters": {
                name: {value: bitset(members, len(docs)) for value, members in sorted(values.items())}
                for name, values in sorted(filters.items())
            },
        }
    )
    files[WORDS_PATH] = _json(sorted(encoded))
    return files
