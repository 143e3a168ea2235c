"""SearchService.pinned(): one request, one generation, even when a build switches CURRENT meanwhile."""

from __future__ import annotations

import threading
from pathlib import Path

from indexer.engine.build import build_index
from indexer.engine.store import current_generation
from indexer.models import SearchRequest
from indexer.search.service import SearchService


def _note(corpus: Path, version: str) -> None:
    (corpus / "note.txt").write_text(f"{version}关于雪豹保护区的说明。\n", encoding="utf-8")


def _text(engine: SearchService) -> str:
    return engine.search(SearchRequest(q="雪豹保护区")).hits[0].text


def test_a_pinned_request_keeps_its_generation_while_others_see_the_new_one(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    _note(corpus, "第一版")
    build_index(corpus, index, progress=False)
    first = current_generation(index).name
    with SearchService(index) as engine:
        with engine.pinned() as name:
            _note(corpus, "第二版")
            build_index(corpus, index, progress=False)
            seen_elsewhere: list[str] = []
            other = threading.Thread(target=lambda: seen_elsewhere.append(_text(engine)))
            other.start()
            other.join()
            assert (name, _text(engine)) == (first, "第一版关于雪豹保护区的说明。")
            assert engine.get_document("note").passages[0].text == "第一版关于雪豹保护区的说明。"
            assert seen_elsewhere == ["第二版关于雪豹保护区的说明。"]
        assert _text(engine) == "第二版关于雪豹保护区的说明。"
        with engine.pinned() as name:
            assert name == current_generation(index).name != first
