"""The per-segment search cache: written by the builder, reused by incremental builds, checked at open."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer.engine import cachefiles, opencache, store
from indexer.engine.build import build_index
from indexer.models import SearchRequest
from indexer.search.service import SearchService
from tests.conftest import CORPUS, SEEDS


def cache_files(index_dir: Path) -> dict[str, int]:
    """Cache header file name -> inode, in the live generation."""
    generation = store.current_generation(index_dir)
    return {p.name: p.stat().st_ino for p in generation.glob(f"{opencache.CACHE_PREFIX}*.json")}


def same_data(a: opencache.OpenData, b: opencache.OpenData) -> bool:
    """Two loads of one searcher agree on every passage's data and on substring matches."""
    return (a.facets == b.facets and a.docs == b.docs and a.substrings.lengths == b.substrings.lengths
            and a.order == b.order and np.array_equal(a.keys.desc, b.keys.desc)
            and all(a.substrings.find(n) == b.substrings.find(n) for n in ("区域和次区域组织", "安", "covid-19")))


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
    assert same_data(cached, fresh)
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
    assert same_data(cached, fresh)  # the old passages of the letter are gone from both
    with SearchService(index) as engine:
        assert engine.search(SearchRequest(q="关于区域组织合作的补充段落")).total == 1


def test_a_damaged_or_foreign_cache_is_only_a_slower_start(index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    names = sorted(cache_files(copy))
    generation = store.current_generation(copy)
    (generation / names[0]).write_bytes(b"not json")
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
    gone = generation / f"{opencache.CACHE_PREFIX}MAIN_gone-3.json"
    gone.write_bytes(b"a merged segment's file")
    gone.with_name(f"{opencache.CACHE_PREFIX}MAIN_gone-3.positions.npy").write_bytes(b"and its array")
    listed = opencache.write(generation, workers=2)
    assert sorted(cache_files(copy)) == sorted(listed) == names
    assert not list(generation.glob(f"{opencache.CACHE_PREFIX}MAIN_gone*"))
    for name in names:
        body, arrays = cachefiles.read(generation / name, listed[name])
        assert body["format"] == opencache.FORMAT
        assert len(arrays["rows"]) <= body["doc_count"] == int(name.rsplit("-", 1)[1].split(".")[0])
        assert len(arrays["positions"]) == int(arrays["lengths"].sum()) + len(arrays["rows"]) - 1
    cached, fresh = loaded_and_fresh(copy)
    assert same_data(cached, fresh)


def test_the_manifest_lists_every_cache_header_with_its_digest(index_dir: Path) -> None:
    generation = store.current_generation(index_dir)
    listed = store.read_json(generation, store.MANIFEST_FILE, {})["caches"]
    assert sorted(listed) == sorted(cache_files(index_dir))
    assert all(cachefiles.digest((generation / name).read_bytes()) == d for name, d in listed.items())
    assert not list(generation.glob("*.pickle"))


class Payload:
    """Unpickling this creates a file: what a tampered pickle cache could do."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[str, int]]:
        return (os.open, (str(self.target), os.O_CREAT | os.O_WRONLY))


def tamper_header_body(path: Path) -> None:
    """Rename a document type in the header's vocabulary, leaving its checksum line as it was."""
    head, text = path.read_text(encoding="utf-8").split("\n", 1)
    body = json.loads(text)
    body["vocab"]["type"][0] = "X"
    path.write_text(head + "\n" + json.dumps(body, ensure_ascii=False), encoding="utf-8")


TAMPERINGS = {
    "header replaced by a pickle": lambda path, ran: path.write_bytes(pickle.dumps(Payload(ran))),
    "array replaced by a pickle": lambda path, ran: cachefiles.array_path(path, "positions").write_bytes(
        pickle.dumps(Payload(ran))),
    "array holding pickled objects": lambda path, ran: np.save(
        cachefiles.array_path(path, "keys"), np.array([Payload(ran)], dtype=object), allow_pickle=True),
    "array edited": lambda path, ran: cachefiles.array_path(path, "positions").write_bytes(
        cachefiles.array_path(path, "positions").read_bytes()[:-4] + b"\0\0\0\0"),
    "array truncated": lambda path, ran: cachefiles.array_path(path, "starts").write_bytes(
        cachefiles.array_path(path, "starts").read_bytes()[:-8]),
    "header body edited": lambda path, ran: tamper_header_body(path),
}


@pytest.mark.parametrize("how", sorted(TAMPERINGS))
def test_a_tampered_cache_runs_no_code_and_changes_no_result(index_dir: Path, tmp_path: Path, how: str) -> None:
    copy, ran = tmp_path / "index", tmp_path / "code-ran"
    shutil.copytree(index_dir, copy)
    for name in cache_files(copy):
        TAMPERINGS[how](store.current_generation(copy) / name, ran)
    requests = [SearchRequest(q="安全理事会"), SearchRequest(q="非洲联盟", sort="-date"), SearchRequest(q="covid-19")]
    with SearchService(copy) as engine:
        tampered = [engine.search(r) for r in requests]
    with SearchService(index_dir) as engine:
        expected = [engine.search(r) for r in requests]
    assert not ran.exists()
    for got, want in zip(tampered, expected, strict=True):
        assert got.total == want.total > 0
        assert [h.passage_id for h in got.hits] == [h.passage_id for h in want.hits]
        assert got.facets == want.facets
