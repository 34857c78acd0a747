"""The Python side of the search specification (tests/search_spec/*.json): the same table of cases that
Node's test runner checks against the browser's modules (tests/search_spec/spec.test.mjs)."""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from kennisbank.site.search import _head_of, ending_bases, fold, meaningful_words, stem, tokens
from kennisbank.site.search_index import MANIFEST_PATH, bitset, shard_key, shard_prefix

SPEC = ROOT / "tests/search_spec"
sys.path.insert(0, str(SPEC))
from build_index import SpecIndex, build, load_spec  # noqa: E402 - the builder lives beside the spec

LANGUAGE = json.loads((SPEC / "language.json").read_text(encoding="utf-8"))
INDEX = load_spec()
SIDE = "python"


def sections(spec: dict) -> list[str]:
    return [name for name, sides in spec["sides"].items() if SIDE in sides]


def check_fold(cases: list) -> None:
    for text, expected in cases:
        assert fold(text) == expected, text


def check_tokens(cases: list) -> None:
    for text, expected in cases:
        assert tokens(text) == expected, text


def check_meaningful_words(cases: list) -> None:
    for query, expected in cases:
        assert meaningful_words(query) == expected, query


def check_shard_key(cases: list) -> None:
    for prefix, expected in cases:
        assert shard_key(prefix) == expected, prefix


def check_shard_prefix(cases: list) -> None:
    for term, split, expected in cases:
        assert shard_prefix(term, split) == expected, term


def check_bitset(cases: list) -> None:
    for case in cases:
        assert bitset(case["members"], case["size"]) == case["base64"], case


def check_ending_bases(cases: list) -> None:
    for word, expected in cases:
        assert ending_bases(word) == expected, word


def check_stem(cases: list) -> None:
    for case in cases:
        assert stem(case["word"], set(case["terms"]).__contains__) == case["expect"], case["word"]


def check_compound_head(cases: list) -> None:
    for case in cases:
        assert _head_of(case["term"], case["word"]) is case["expect"], case


@pytest.fixture(scope="module")
def spec_index() -> SpecIndex:
    return build(INDEX)


def documents_with(index: SpecIndex, term: str) -> list[str]:
    """The slugs of the documents whose postings hold exactly this term, decoded as the browser does."""
    manifest = json.loads(index.files[MANIFEST_PATH])
    path = f"search/index/{shard_key(shard_prefix(term, manifest['split']))}.json"
    if path not in index.files:
        return []
    shard = json.loads(index.files[path])
    if term not in shard["terms"]:
        return []
    flat = shard["postings"][shard["terms"].index(term)]
    numbers, n = [], 0
    for delta in flat[::2]:
        n += delta
        numbers.append(n)
    return [index.slugs[n] for n in numbers]


def check_postings(cases: list, index: SpecIndex) -> None:
    for case in cases:
        assert sorted(documents_with(index, case["term"])) == sorted(case["docs"]), case["term"]


def check_filters(cases: list, index: SpecIndex) -> None:
    manifest = json.loads(index.files[MANIFEST_PATH])
    for case in cases:
        encoded = manifest["filters"].get(case["filter"], {}).get(case["value"])
        bits = base64.b64decode(encoded) if encoded else b""
        found = [slug for n, slug in enumerate(index.slugs) if n < len(bits) * 8 and bits[n >> 3] & (1 << (n & 7))]
        assert sorted(found) == sorted(case["docs"]), case


LANGUAGE_CHECKS: dict[str, Callable[[list], None]] = {
    "fold": check_fold,
    "tokens": check_tokens,
    "meaningful_words": check_meaningful_words,
    "shard_key": check_shard_key,
    "shard_prefix": check_shard_prefix,
    "bitset": check_bitset,
    "ending_bases": check_ending_bases,
    "stem": check_stem,
    "compound_head": check_compound_head,
}
INDEX_CHECKS: dict[str, Callable[[list, SpecIndex], None]] = {"postings": check_postings, "filters": check_filters}


def test_every_section_for_python_has_a_check_and_every_section_a_side():
    assert sorted(LANGUAGE_CHECKS) == sorted(sections(LANGUAGE))
    assert sorted(INDEX_CHECKS) == sorted(sections(INDEX))
    for spec in (LANGUAGE, INDEX):
        for name, sides in spec["sides"].items():
            assert name in spec and sides, name
            assert len(sides) == 2 or name in spec["why_one_side"], f"{name}: say why only {sides} has it"


@pytest.mark.parametrize("name", sections(LANGUAGE))
def test_language_rules(name: str):
    LANGUAGE_CHECKS[name](LANGUAGE[name])


@pytest.mark.parametrize("name", sections(INDEX))
def test_fixed_index(name: str, spec_index: SpecIndex):
    INDEX_CHECKS[name](INDEX[name], spec_index)


def test_the_manifest_hands_the_browser_the_rules_python_uses(spec_index: SpecIndex):
    from kennisbank.site.search import ENDINGS_LONGEST_FIRST, MAX_QUERY_WORDS, STOP_WORDS

    manifest = json.loads(spec_index.files[MANIFEST_PATH])
    assert manifest["stop"] == sorted(STOP_WORDS)
    assert manifest["inflections"] == list(ENDINGS_LONGEST_FIRST)
    assert manifest["max_words"] == MAX_QUERY_WORDS
    assert [f["name"] for f in manifest["facets"]] == ["dienst", "gemeente", "tool", "niveau", "bron"]
    paths = {n for n, doc in enumerate(INDEX["documents"]) if doc.get("kind") == "leerpad"}
    bits = base64.b64decode(manifest["kinds"]["leerpad"])
    assert paths and {n for n in range(len(bits) * 8) if bits[n >> 3] & (1 << (n & 7))} == paths


def test_the_builder_writes_the_files_node_reads(tmp_path: Path):
    """scripts/run-js-tests.sh runs the builder as a script: it must write the same files as `build`."""
    import subprocess

    subprocess.run([sys.executable, str(SPEC / "build_index.py"), str(tmp_path)], check=True, cwd=ROOT)
    written = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert written == build(INDEX).files


def test_the_browser_takes_filter_names_from_the_manifest():
    """No module of the browser's search names a filter: names, titles, badges and the department scope come
    from search_index.SEARCH_FILTERS through the manifest (a renamed filter needs no JavaScript change)."""
    from kennisbank.site.search_index import SEARCH_FILTERS

    folder = ROOT / "plugins/kennisbank/site/assets/search"
    sources = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.js")}
    assert len(sources) >= 5
    for name, text in sources.items():
        for search_filter in SEARCH_FILTERS:
            for quoted in (f'"{search_filter.name}"', f"'{search_filter.name}'", f".{search_filter.name}["):
                assert quoted not in text, f"{name} noemt de filter {quoted}"


def test_the_modules_join_into_one_script_or_say_what_breaks_the_rules():
    from kennisbank.site.js_bundle import BundleError, Module, bundle, search_modules

    script = bundle(search_modules())
    assert "import " not in script and "\nexport " not in script and "  export " not in script
    assert script.count("// --- ") == len(search_modules())
    later = [Module("a.js", 'import { b } from "./b.js";'), Module("b.js", "export function b() {}")]
    with pytest.raises(BundleError, match=r"a\.js:1: imports b\.js, which is not listed before it"):
        bundle(later)
    twice = [Module("a.js", "export function f() {}"), Module("b.js", "function f() {}")]
    with pytest.raises(BundleError, match=r"b\.js:1: 'f' is also declared in a\.js"):
        bundle(twice)
    unknown = [Module("a.js", "export function f() {}"), Module("b.js", 'import { g } from "./a.js";')]
    with pytest.raises(BundleError, match=r"a\.js does not export g"):
        bundle(unknown)
    with pytest.raises(BundleError, match="only 'export function' and 'export var'"):
        bundle([Module("a.js", "export default 1;")])
