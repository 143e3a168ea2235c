"""The per-segment search cache: written by the builder, reused by incremental builds, checked at open."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from indexer.engine import opencache, store
from indexer.engine.build import build_index
from indexer.models import SearchRequest
from indexer.search.service import SearchService
from tests.conftest import CORPUS, SEEDS


def cache_files(index_dir: Path) -> dict[str, int]:
    """Cache file name -> inode of the live generation."""
    generation = store.current_generation(index_dir)
    return {p.name: p.stat().st_ino for p in generation.glob(f"{opencache.CACHE_PREFIX}*")}


def loaded_and_fresh(index_dir: Path) -> tuple[opencache.OpenData, opencache.OpenData]:
    ix = store.open_index(index_dir)
    with ix.searcher() as searcher:
        cached = opencache.load(Path(ix.storage.folder), searcher)
        fresh = opencache.load(Path("/nonexistent"), searcher)  # no files: computed from stored fields
    ix.close()
    return cached, fresh


def test_builder_writes_a_file_per_segment_equal_to_the_stored_fields(index_dir: Path) -> None:
    files = cache_files(index_dir)
    ix = store.open_index(index_dir)
    with ix.reader() as reader:
        segments = len(list(reader.readers)) if hasattr(reader, "readers") else 1
    ix.close()
    assert len(files) == segments >= 1
    cached, fresh = loaded_and_fresh(index_dir)
    assert cached.facets == fresh.facets
    assert cached.docs == fresh.docs
    assert cached.substrings.state() == fresh.substrings.state()
    assert cached.docs["S_PRST_2021_9"]["symbols"] == ["S/PRST/2021/9"]
    assert "主席声明" in {doc_type for doc_type, _, _ in cached.facets.values()}
    assert cached.substrings.find("区域和次区域组织")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], dict[str, int]]:
    """The seeds indexed, then one file changed and rebuilt: (index, files before, files after)."""
    root = tmp_path_factory.mktemp("cache")
    corpus, index = root / "corpus", root / "index"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, index, progress=False, workers=1)
    before = cache_files(index)
    letter = corpus / SEEDS["letter"]
    letter.write_text(letter.read_text(encoding="utf-8") + "\n\n关于区域组织合作的补充段落。\n", encoding="utf-8")
    build_index(corpus, index, progress=False, workers=1)
    return index, before, cache_files(index)


def test_incremental_build_reuses_the_files_of_kept_segments(rebuilt: tuple[Path, dict[str, int], dict[str, int]]) -> None:
    index, before, after = rebuilt
    kept = set(before) & set(after)
    assert kept and set(after) - set(before)  # old segments kept, one new
    assert all(before[name] == after[name] for name in kept)  # hard links, not recomputed
    cached, fresh = loaded_and_fresh(index)
    assert cached.facets == fresh.facets and cached.docs == fresh.docs
    assert cached.substrings.state() == fresh.substrings.state()  # the old passages of the letter are gone
    with SearchService(index) as engine:
        assert engine.search(SearchRequest(q="关于区域组织合作的补充段落")).total == 1


def test_a_damaged_or_foreign_cache_is_only_a_slower_start(index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    names = sorted(cache_files(copy))
    generation = store.current_generation(copy)
    (generation / names[0]).write_bytes(b"not a pickle")
    with SearchService(copy) as engine:
        results = engine.search(SearchRequest(q="非洲联盟"))
    with SearchService(index_dir) as engine:
        expected = engine.search(SearchRequest(q="非洲联盟"))
    assert results.total == expected.total > 0
    assert [h.passage_id for h in results.hits] == [h.passage_id for h in expected.hits]
    assert results.facets == expected.facets


def test_missing_files_are_written_by_several_processes(rebuilt: tuple[Path, dict[str, int], dict[str, int]],
                                                         tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(rebuilt[0], copy)
    generation = store.current_generation(copy)
    names = sorted(cache_files(copy))
    assert len(names) > 1
    for name in names:
        (generation / name).unlink()
    (generation / f"{opencache.CACHE_PREFIX}MAIN_gone-3.pickle").write_bytes(b"a merged segment's file")
    opencache.write(generation, workers=2)
    assert sorted(cache_files(copy)) == names
    for name in names:
        payload = pickle.loads((generation / name).read_bytes())
        assert payload["format"] == opencache.FORMAT
        assert len(payload["entries"]) <= payload["doc_count"] == int(name.rsplit("-", 1)[1].split(".")[0])
    cached, fresh = loaded_and_fresh(copy)
    assert cached.facets == fresh.facets and cached.docs == fresh.docs
    assert cached.substrings.state() == fresh.substrings.state()
