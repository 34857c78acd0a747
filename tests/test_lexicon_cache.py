"""The Dutch lexicon of the search is kept between builds, outside the repository: same files, nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from kennisbank.site.search import lexicon_shards

make = lexicon_shards.__wrapped__  # without the per-process memo: every call reads or makes the files


def test_a_later_build_reads_the_same_lexicon_from_the_cache(tmp_path: Path) -> None:
    fresh = make(None)
    assert make(tmp_path) == fresh  # made and stored
    (stored,) = tmp_path.glob("lexicon-nl-*.json")
    stored.write_text(json.dumps({"search/nl/ab.txt": "abcd"}), encoding="ascii")
    assert make(tmp_path) == {"search/nl/ab.txt": b"abcd"}  # read back, not made again


def test_a_cache_file_that_would_publish_other_files_is_not_used(tmp_path: Path) -> None:
    fresh = make(tmp_path)
    (stored,) = tmp_path.glob("lexicon-nl-*.json")
    stored.write_text(json.dumps({"index.html": "<script>alert(1)</script>"}), encoding="ascii")
    assert make(tmp_path) == fresh
    stored.write_text("{not json", encoding="ascii")
    assert make(tmp_path) == fresh
