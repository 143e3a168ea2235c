"""The per-generation search cache: written by the builder, used only if it matches its index."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from indexer import opencache, store
from indexer.models import SearchRequest
from indexer.search import SearchEngine


def opened(index_dir: Path) -> tuple[Path, object]:
    generation = store.current_generation(index_dir)
    return generation, store.open_index(index_dir)


def test_builder_writes_the_cache_and_it_equals_the_stored_fields(index_dir: Path) -> None:
    generation, ix = opened(index_dir)
    assert (generation / opencache.CACHE_FILE).is_file()
    with ix.reader() as reader:  # type: ignore[attr-defined]
        cached = opencache.load(generation, ix, reader)
        fresh = opencache.compute(reader)
    ix.close()  # type: ignore[attr-defined]
    assert cached.facets == fresh.facets
    assert cached.docs == fresh.docs
    assert cached.substrings.state() == fresh.substrings.state()
    assert cached.docs["S_PRST_2021_9"]["symbols"] == ["S/PRST/2021/9"]
    assert "主席声明" in {doc_type for doc_type, _, _ in cached.facets.values()}
    assert cached.substrings.find("区域和次区域组织")  # the scan text is there


def test_a_cache_from_another_index_is_ignored(index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    generation = store.current_generation(copy)
    with open(generation / opencache.CACHE_FILE, "rb") as f:
        payload = pickle.load(f)
    payload["toc"] = "0" * 40
    payload["facets"] = {}
    payload["substrings"]["text"] = ""
    with open(generation / opencache.CACHE_FILE, "wb") as f:
        pickle.dump(payload, f)
    with SearchEngine(copy) as engine:
        results = engine.search(SearchRequest(q='"区域和次区域组织"'))
    assert results.total > 0 and results.facets["type"]


def test_a_damaged_cache_is_only_a_slower_start(index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    (store.current_generation(copy) / opencache.CACHE_FILE).write_bytes(b"not a pickle")
    with SearchEngine(copy) as engine:
        results = engine.search(SearchRequest(q="非洲联盟"))
    with SearchEngine(index_dir) as engine:
        expected = engine.search(SearchRequest(q="非洲联盟"))
    assert results.total == expected.total > 0
    assert [h.passage_id for h in results.hits] == [h.passage_id for h in expected.hits]
