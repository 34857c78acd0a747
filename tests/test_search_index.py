"""The search index files (search_index.py) over the sample content, read back as the browser reads them."""

from __future__ import annotations

import base64
import dataclasses
import json

import pytest
from conftest import ROOT, TODAY
from kennisbank.checks.loader import load_repository
from kennisbank.knowledge.derive import derive
from kennisbank.site.search_files import search_documents
from kennisbank.site.search_index import (
    MANIFEST_PATH,
    SEARCH_FILTERS,
    SearchDocument,
    build_search_files,
    shard_key,
    shard_prefix,
)


@pytest.fixture(scope="module")
def indexed():
    repository = load_repository(ROOT, today=TODAY).repository
    files = build_search_files(search_documents(derive(repository, TODAY)), "Alle diensten")
    return repository, files, json.loads(files[MANIFEST_PATH])


def shard_of(files: dict[str, bytes], term: str) -> dict:
    split = json.loads(files[MANIFEST_PATH])["split"]
    return json.loads(files[f"search/index/{shard_key(shard_prefix(term, split))}.json"])


def postings(files: dict[str, bytes], term: str) -> dict[int, int]:
    """Tip number -> weight for one term, decoded as kennisbank-search.js does."""
    shard = shard_of(files, term)
    flat = shard["postings"][shard["terms"].index(term)]
    result, n = {}, 0
    for delta, weight in zip(flat[::2], flat[1::2], strict=True):
        n += delta
        result[n] = weight
    return result


def tip_number(files: dict[str, bytes], slug: str) -> int:
    return next(
        int(path.rsplit("/", 1)[1].removesuffix(".json"))
        for path, data in files.items()
        if path.startswith("search/tip/") and json.loads(data)["url"] == f"tips/{slug}/"
    )


def members(bitset: str) -> set[int]:
    bits = base64.b64decode(bitset)
    return {i for i in range(len(bits) * 8) if bits[i >> 3] & (1 << (i & 7))}


def test_every_tip_has_a_record_newest_first_then_the_learning_paths(indexed):
    repository, files, manifest = indexed
    tips, paths = len(repository.tips), len(repository.paths)
    assert paths and manifest["count"] == tips + paths
    records = [json.loads(files[f"search/tip/{n}.json"]) for n in range(manifest["count"])]
    assert [r["url"] for r in records[:tips]] == [f"tips/{t.slug}/" for t in repository.tips]
    assert records[0]["title"] == repository.tips[0].title
    assert {r["url"] for r in records[tips:]} == {f"leerpaden/{p.slug}/" for p in repository.paths}
    assert all(r["kind"] == "leerpad" and r["steps"] >= 1 for r in records[tips:])
    assert members(manifest["kinds"]["leerpad"]) == set(range(tips, tips + paths))


def test_filter_names_and_titles_come_from_one_definition(indexed):
    _, _, manifest = indexed
    assert manifest["facets"] == [{"name": f.name, "title": f.title} for f in SEARCH_FILTERS]
    assert manifest["scope"] in manifest["filters"]
    assert {b["filter"] for b in manifest["badges"]} <= set(manifest["filters"])
    assert set(manifest["filters"]) == {f.name for f in SEARCH_FILTERS}
    assert manifest["everyone"] in manifest["filters"]["dienst"]


def test_department_filter_holds_exactly_its_tips(indexed):
    repository, files, manifest = indexed
    label = repository.taxonomy.departments["burgerzaken"].label
    expected = {n for n, tip in enumerate(repository.tips) if "burgerzaken" in tip.departments}
    assert expected and members(manifest["filters"]["dienst"][label]) == expected


def test_title_words_weigh_more_than_body_words(indexed):
    _, files, _ = indexed
    tip = tip_number(files, "draaitabel-maken")
    others = postings(files, "draaitabel")
    assert others[tip] == max(others.values())  # the tip with the word in its title beats mentions in a body


def test_synonyms_are_indexed_with_the_tip_that_has_a_member(indexed):
    _, files, _ = indexed
    # The tip says "wachtwoord"; tips/synoniemen.yml makes it findable as "password" too.
    assert tip_number(files, "wachtwoord-vergeten") in postings(files, "password")


def test_terms_are_folded_and_sharded_by_their_first_letters(indexed):
    _, files, _ = indexed
    words = json.loads(files["search/woorden.json"])
    assert "financien" in words and "financiën" not in words
    for word in words:
        assert word in shard_of(files, word)["terms"], word
    for term in ("financien", "afwezigheidsbericht"):
        assert postings(files, term)


def test_a_crowded_prefix_is_split_and_every_term_stays_findable():
    docs = [
        SearchDocument(url=f"tips/t{n}/", title=f"Tip {n}", summary="", coach="", tags=(), facts="",
                       body="verlof versie vergadering ver")
        for n in range(2500)
    ]  # fmt: skip
    files = build_search_files(docs, "Alle diensten")
    split = json.loads(files[MANIFEST_PATH])["split"]
    assert "ve" in split and "ver" in split
    for term in ("verlof", "versie", "vergadering", "ver"):
        shard = json.loads(files[f"search/index/{shard_key(shard_prefix(term, split))}.json"])
        assert term in shard["terms"]
        assert all(len(p) <= 12_000 for p in shard["postings"])


def test_learning_paths_come_after_the_tips():
    def doc(n: int, kind: str) -> SearchDocument:
        return SearchDocument(url=f"x/{n}/", title="t", summary="", coach="", tags=(), facts="", body="", kind=kind)

    build_search_files([doc(0, "tip"), doc(1, "leerpad")], "Alle diensten")
    with pytest.raises(ValueError, match="before the learning paths"):
        build_search_files([doc(0, "leerpad"), doc(1, "tip")], "Alle diensten")


def test_words_folded_once_for_synonyms_and_index_give_the_same_index_as_the_body_itself(indexed):
    """search_files.py folds a body once and hands those words to the index; a document that only has its body
    text (the search specification's) must be indexed exactly alike, or the site's search would differ from
    the specification's."""
    repository, files, _ = indexed
    documents = search_documents(derive(repository, TODAY))
    assert all(d.body_words is not None for d in documents)
    from_text = [dataclasses.replace(d, body_words=None) for d in documents]
    assert build_search_files(from_text, "Alle diensten") == files
