"""Live BM25 statistics: after an incremental build that deleted, changed and added files, the
statistics and scores of a full build of the final corpus; on a full build, Whoosh's own."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh import query as wq
from whoosh.scoring import BM25F

from indexer.engine import store
from indexer.engine.build import build_index
from indexer.engine.fastscore import FastScorer
from indexer.engine.livestats import LiveBM25F, LiveStats
from indexer.search.service import SearchService
from tests.conftest import CORPUS, FIXTURES, SEEDS
from tests.engine.test_fastscore import QUERIES, compiled, whoosh_scores

FIELDS = ("text", "title", "heading")


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(incremental, full): the seeds and a verbatim record indexed, then a file deleted, one
    changed and one added and built again incrementally; beside it a full build of that corpus."""
    root = tmp_path_factory.mktemp("livestats")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(FIXTURES / "S_PV_9999.txt", corpus)
    build_index(corpus, root / "incremental", progress=False, workers=1)
    (corpus / SEEDS["letter"]).unlink()
    prst = corpus / SEEDS["prst"]
    prst.write_text(prst.read_text(encoding="utf-8") + "\n\n安全理事会欢迎区域组织在维持和平方面的合作。\n", encoding="utf-8")
    (corpus / "later.txt").write_text("联合国\n\n区域合作的说明\n\n秘书长报告安全理事会与非洲联盟的区域合作。\n",
                                      encoding="utf-8")
    report = build_index(corpus, root / "incremental", progress=False, workers=1)
    assert not report.full and report.removed == [SEEDS["letter"]]
    build_index(corpus, root / "full", full=True, progress=False, workers=1)
    return root / "incremental", root / "full"


def live_stats(index: Path) -> LiveStats:
    return LiveStats.of_manifest(store.read_json(store.current_generation(index), store.MANIFEST_FILE, {}))


@pytest.fixture(scope="module")
def searchers(pair: tuple[Path, Path]) -> Iterator[tuple[Any, Any]]:
    """Whoosh searchers on both indexes, each with fresh live statistics (no cache shared with a backend)."""
    opened = [store.open_index(index) for index in pair]
    found = [ix.searcher(weighting=LiveBM25F(live_stats(index))) for ix, index in zip(opened, pair, strict=True)]
    yield found[0], found[1]
    for searcher, ix in zip(found, opened, strict=True):
        searcher.close()
        ix.close()


def test_the_manifest_totals_are_a_full_builds_field_lengths(pair: tuple[Path, Path], searchers: tuple[Any, Any]) -> None:
    stats, full = live_stats(pair[1]), searchers[1]
    assert stats.passages == full.doc_count() == full.doc_count_all()
    for name in FIELDS:
        assert stats.totals is not None and stats.totals[name] == full.reader().field_length(name) > 0


def test_an_incremental_build_has_a_full_builds_statistics(searchers: tuple[Any, Any]) -> None:
    growing, full = searchers
    stats = growing.weighting.stats
    assert growing.doc_count_all() > growing.doc_count()  # the deleted passages are still there
    assert stats.doc_count(growing) == full.doc_count() == growing.doc_count()
    for name in FIELDS:
        assert stats.avg_length(growing, name) == full.avg_field_length(name)
        assert growing.avg_field_length(name) != full.avg_field_length(name)  # Whoosh's own would differ


def test_live_document_frequencies_are_a_full_builds(searchers: tuple[Any, Any]) -> None:
    growing, full = searchers
    stats, differ = growing.weighting.stats, 0
    for name in FIELDS:
        for text in set(growing.lexicon(name)) | set(full.lexicon(name)):
            assert stats.doc_frequency(growing, name, text) == full.doc_frequency(name, text), (name, text)
            differ += growing.doc_frequency(name, text) != full.doc_frequency(name, text)
    assert differ > 100  # Whoosh's counts include the deleted passages


def test_on_a_full_build_the_live_weighting_is_whooshs_bm25f(pair: tuple[Path, Path], searchers: tuple[Any, Any]) -> None:
    live = searchers[1]
    ix = store.open_index(pair[1])
    try:
        with ix.searcher(weighting=BM25F()) as stock:
            for q in (wq.Term("text", "安全"), wq.Or([wq.Term("text", "区域"), wq.Term("title", "安全理事会", boost=2.0)]),
                      wq.Prefix("heading", "区域"), wq.And([wq.Term("text", "合作"), wq.Term("text", "和平")])):
                ours, theirs = whoosh_scores(live, q), whoosh_scores(stock, q)
                assert ours and ours == theirs, q
    finally:
        ix.close()


def by_passage(engine: SearchService, scores: dict[int, float] | list[tuple[int, float]]) -> dict[str, float]:
    searcher = engine.backend._current().searcher
    items = scores.items() if isinstance(scores, dict) else scores
    return {searcher.stored_fields(d)["passage_id"]: s for d, s in items}


@pytest.mark.parametrize("text", QUERIES)
def test_incremental_scores_are_a_full_builds(pair: tuple[Path, Path], text: str) -> None:
    with SearchService(pair[0]) as growing, SearchService(pair[1]) as full:
        got = []
        for engine in (growing, full):
            gen = engine.backend._current()
            q = compiled(engine, text)
            fast = by_passage(engine, FastScorer(gen.searcher).scores(q))
            assert _close(fast, by_passage(engine, whoosh_scores(gen.searcher, q)))  # the same live weighting
            got.append(fast)
    assert _close(got[0], got[1]), text


def _close(a: dict[str, float], b: dict[str, float]) -> bool:
    return a.keys() == b.keys() and all(abs(a[k] - b[k]) <= 1e-9 * max(1.0, abs(b[k])) for k in a)


def test_the_manifest_totals_count_indexed_files_only() -> None:
    files = {
        "a.txt": {"doc_id": "a", "passages": 3, "lengths": {"text": 40, "title": 6}},
        "b.txt": {"doc_id": "b", "passages": 2, "lengths": {"text": 10, "heading": 4}},
        "c.txt": {"doc_id": "c", "failed": "unreadable"},  # never indexed
        "d.txt": {"doc_id": "d", "passages": 1, "lengths": {"text": 5}, "failed": "unreadable", "stale": True},
    }
    stats = LiveStats.of_manifest({"files": files})
    assert (stats.passages, stats.totals) == (6, {"text": 55, "title": 6, "heading": 4})
    older = LiveStats.of_manifest({"files": {**files, "e.txt": {"doc_id": "e", "passages": 1}}})
    assert older.totals is None  # an entry without totals: Whoosh's own field lengths are used


def test_a_manifest_that_disagrees_with_the_index_is_not_trusted(searchers: tuple[Any, Any]) -> None:
    growing = searchers[0]
    stats = LiveStats(growing.doc_count() + 1, {"text": 1})
    assert stats.avg_length(growing, "text") == growing.avg_field_length("text")
    assert stats.doc_count(growing) == growing.doc_count()
