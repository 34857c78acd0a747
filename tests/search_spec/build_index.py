"""Builds the small fixed search index of tests/search_spec/index.json with the Python side of the search.

    python tests/search_spec/build_index.py OUT_DIR

writes the files under OUT_DIR/search/ as a site would serve them (scripts/run-js-tests.sh does this before
Node's tests read them). tests/test_search_spec.py imports `build` for the Python side's own checks."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from kennisbank.site.search import SynonymMatcher, lexicon_files
from kennisbank.site.search_files import PATH_WORD
from kennisbank.site.search_index import PATH, TIP, SearchDocument, build_search_files

SPEC_DIR = Path(__file__).resolve().parent
INDEX_SPEC = SPEC_DIR / "index.json"


@dataclass(frozen=True)
class SpecIndex:
    """The fixed index: its files by site path, and the slug of every document number."""

    files: dict[str, bytes]
    slugs: tuple[str, ...]


def load_spec() -> dict:
    return json.loads(INDEX_SPEC.read_text(encoding="utf-8"))


def build(spec: dict) -> SpecIndex:
    """The index files of the spec's documents, made as search_files.py makes them for a site."""
    matcher = SynonymMatcher(spec["synonyms"])
    documents = []
    for doc in spec["documents"]:
        kind = doc.get("kind", TIP)
        filters = {name: tuple(values) for name, values in doc["filters"].items()}
        labels = [*filters.get("tool", ()), *filters.get("dienst", ()), doc["coach"]]
        facts = " ".join(([PATH_WORD] if kind == PATH else []) + labels)
        synonyms = matcher.terms_for_text(" ".join([doc["title"], doc["summary"], *doc["tags"]]), doc["body"])
        prefix = "leerpaden" if kind == PATH else "tips"
        documents.append(
            SearchDocument(
                url=f"{prefix}/{doc['slug']}/",
                title=doc["title"],
                summary=doc["summary"],
                coach=doc["coach"],
                tags=tuple(doc["tags"]),
                facts=facts,
                body=doc["body"],
                strong=synonyms.strong,
                weak=synonyms.weak,
                filters=filters,
                kind=kind,
                steps=doc.get("steps", 0),
            )
        )
    files = build_search_files(documents, spec["everyone"], "spec")
    # One word per lexicon file: "we" (week, weken) is split by a third letter, as crowded pairs are on a site.
    files.update(lexicon_files(spec["lexicon"], "tests/search_spec/index.json", shard_words=1))
    return SpecIndex(files, tuple(doc["slug"] for doc in spec["documents"]))


def main(out: Path) -> None:
    for path, data in build(load_spec()).files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("Gebruik: python tests/search_spec/build_index.py UITVOERMAP")
    main(Path(sys.argv[1]))
