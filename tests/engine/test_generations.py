"""Generations are shared by every thread and swapped by one reference; an index built by other
code is refused with how to rebuild it."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from indexer.engine import store
from indexer.engine.build import build_index
from indexer.errors import IndexOutdatedError
from indexer.models import SearchRequest
from indexer.search.service import SearchService
from tests.conftest import CORPUS, SEEDS

ADDED = "关于区域组织合作的补充段落，由秘书处于会后分发。"


@pytest.fixture()
def corpus_and_index(tmp_path: Path) -> tuple[Path, Path]:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, index, progress=False, workers=1)
    return corpus, index


def answer(engine: SearchService) -> tuple[int, tuple[str, ...], int]:
    """A search's total and page, and whether the added passage is found (a second search)."""
    got = engine.search(SearchRequest(q="非洲联盟"))
    return got.total, tuple(h.passage_id for h in got.hits), engine.search(SearchRequest(q=f'"{ADDED}"')).total


def test_searches_in_threads_stay_correct_while_the_generation_is_swapped(corpus_and_index: tuple[Path, Path]) -> None:
    corpus, index = corpus_and_index
    with SearchService(index) as engine:
        before = answer(engine)
        old = engine.backend._current()  # type: ignore[attr-defined]
        errors: list[BaseException] = []
        seen: list[tuple[int, tuple[str, ...], int]] = []
        stop = threading.Event()

        def searching() -> None:
            try:
                while not stop.is_set():
                    seen.append(answer(engine))
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=searching) for _ in range(4)]
        for t in threads:
            t.start()
        letter = corpus / SEEDS["letter"]
        letter.write_text(letter.read_text(encoding="utf-8") + f"\n\n{ADDED}\n", encoding="utf-8")
        build_index(corpus, index, progress=False, workers=1)
        for _ in range(1200):  # until some thread has searched the new generation (a minute at most)
            if errors or (seen and seen[-1][2] == 1):
                break
            stop.wait(0.05)
        stop.set()
        for t in threads:
            t.join()
        new = engine.backend._current()  # type: ignore[attr-defined]
        assert new is not old and old.closed and not new.closed  # the old one closed once unused
    with SearchService(index) as fresh:
        after = answer(fresh)
    assert errors == []
    assert before[2] == 0 and after[2] == 1
    pages = {result[:2] for result in seen}  # (the added passage is asked in a second search)
    assert pages <= {before[:2], after[:2]}  # each search saw one generation whole
    assert seen[-1] == after


def test_an_index_built_by_other_code_says_rebuild_with_full(corpus_and_index: tuple[Path, Path]) -> None:
    _, index = corpus_and_index
    manifest_path = store.current_generation(index) / store.MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["code"] = "0" * 32
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with SearchService(index) as engine, pytest.raises(IndexOutdatedError) as info:
        engine.search(SearchRequest(q="安全理事会"))
    assert str(info.value) == (f"the index at {index} was built by another version of undocs, jieba, OpenCC or Whoosh, "
                               "or with other dictionaries; rebuild it with `undocs build --full`")
