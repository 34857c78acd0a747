"""Search: Pagefind indexes the built tip pages (Dutch stemming, filters, chunked index).

Pagefind has no synonyms and no typo tolerance. Synonyms from the vocabulary are therefore added to each
tip at build time (hidden, weighted); typos are corrected in the browser against a word list of titles,
summaries, tags and bodies (`search/woorden.json`): a query word that occurs nowhere is replaced by
the closest known word before searching, and the page says so ("Bedoelde je ...?").
"""

from __future__ import annotations

import bisect
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .models import Tip

PAGEFIND_DIR = "pagefind"
WORDS_PATH = "search/woorden.json"
# Filter names as they appear in the URL of the search page and in Pagefind.
FILTERS = {
    "dienst": "departments",
    "gemeente": "municipalities",
    "tool": "tools",
    "niveau": "difficulties",
    "bron": "sources",
}
_WORD = re.compile(r"[a-zà-ÿ0-9]+(?:-[a-zà-ÿ0-9]+)*")


@dataclass(frozen=True)
class SynonymTerms:
    """Synonyms to index with a tip: `strong` ones match its title/summary/tags, `weak` ones its body."""

    strong: tuple[str, ...]
    weak: tuple[str, ...]


def _matches(term: str, words: list[str]) -> bool:
    """Does a word start with the term? `words` is sorted, so a binary search finds the candidate."""
    # Word forms: 'wachtwoord' also matches 'wachtwoorden'; multi-word terms match on their first word.
    head = term.split()[0]
    index = bisect.bisect_left(words, head)
    return index < len(words) and words[index].startswith(head)


def synonym_terms(tip: Tip, groups: list[list[str]]) -> SynonymTerms:
    """The members of each synonym group that the tip does not contain, for every group it matches."""
    strong_words = sorted(set(_WORD.findall(" ".join([tip.title, tip.summary, *tip.tags]).lower())))
    body_words = sorted(set(_WORD.findall(tip.body.lower())))
    strong: list[str] = []
    weak: list[str] = []
    for group in groups:
        in_strong = [t for t in group if _matches(t.lower(), strong_words)]
        in_body = [t for t in group if _matches(t.lower(), body_words)]
        if in_strong:
            strong += [t for t in group if t not in in_strong]
        elif in_body:
            weak += [t for t in group if t not in in_body]
    return SynonymTerms(tuple(dict.fromkeys(strong)), tuple(dict.fromkeys(weak)))


def word_list(tips: list[Tip], extra: list[str]) -> bytes:
    """Distinct words (4+ letters) of all tips and vocabulary labels, for typo correction in the browser."""
    words: set[str] = set()
    for text in [*(f"{t.title} {t.summary} {' '.join(t.tags)} {t.body}" for t in tips), *extra]:
        words.update(w for w in _WORD.findall(text.lower()) if len(w) >= 4)
    return json.dumps(sorted(words), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message holds its output."""


def build_search_index(site_dir: Path) -> str:
    """Run Pagefind (the binary shipped on PyPI) over the built tip pages; returns its summary line."""
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(site_dir),
        "--output-subdir", PAGEFIND_DIR,
        "--glob", "tips/**/*.html",
        "--force-language", "nl",
        "--quiet",
    ]  # fmt: skip
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0 or not (site_dir / PAGEFIND_DIR / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind kon de zoekindex niet maken:\n{proc.stdout}\n{proc.stderr}")
    fragments = len(list((site_dir / PAGEFIND_DIR / "fragment").glob("*")))
    return f"zoekindex: {fragments} tips geïndexeerd"
