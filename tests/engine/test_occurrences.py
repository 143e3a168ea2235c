"""Occurrence counts from the substring postings agree with find_spans where marks touch or crowd.

engine/occurrences.py counts a passage from the postings only where its marks stand apart; marks
that touch in the text merge into one span, marks the compacting brought together do not, and a
text whose normalisation makes several characters of one is read. A note written for these cases
(in the layout of a short General Assembly note) is indexed for real and each passage checked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from indexer.config import Config
from indexer.engine import open_backend
from indexer.engine.backend import Backend, date_order, occurrence_of
from indexer.engine.contexts import keyed_order
from indexer.models import SearchRequest
from indexer.search.service import SearchService

NOTE = """大会

秘书长的说明

1. 第一段：区域组织区域组织的合作（两处相接，合为一处）。

2. 第二段：区域组织 区域组织（中间只有空格，分为两处）。

3. 第三段：区域组织㈠区域组织（中间的“㈠”规范化为三个字符，分为两处）。

4. 第四段：区域组织同次区域组织开展合作，又同区域组织协商。

5. 第五段：区域组織与ＡＳＥＡＮ合作（繁体字与全角字母）。
"""
CASES = {"第一段": 1, "第二段": 2, "第三段": 2, "第四段": 3, "第五段": 1}


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    root = tmp_path_factory.mktemp("occurrences")
    (root / "corpus").mkdir()
    (root / "corpus" / "A_78_999.txt").write_text(NOTE, encoding="utf-8")
    made = open_backend(Config(backend="embedded"), root / "index")
    assert made.build(root / "corpus", full=True, workers=1).failed == []
    yield made
    made.close()


def test_marks_that_touch_merge_and_marks_apart_count_apart(backend: Backend) -> None:
    plan = SearchService(backend=backend).plan(SearchRequest(q="区域组织", per_page=100))
    found = backend.occurrences(plan)
    assert found.passages == date_order(tuple(occurrence_of(h) for h in backend.search(plan).hits))
    texts = {p.passage_id: p.text for p in backend.passages([o.passage_id for o in found.passages])}
    counts = {case: o.count for o in found.passages for case in CASES if case in texts[o.passage_id]}
    assert counts == CASES


@pytest.mark.parametrize("q", ["区域组织", "asean", '"区域组织的合作"'])
@pytest.mark.parametrize("side", ["left", "right"])
def test_context_order_where_marks_touch_crowd_or_expand(backend: Backend, q: str, side: str) -> None:
    """Passages the postings cannot place (touching marks, ㈠, traditional and full-width text) are keyed from their text."""
    plan = SearchService(backend=backend).plan(SearchRequest(q=q, per_page=100))
    hits = backend.hits_for(plan, [o.passage_id for o in backend.occurrences(plan).passages])
    for width in (3, 30):
        assert backend.context_order(plan, side, width).lines() == keyed_order(hits, side, width)
    assert len(backend.context_order(plan, side, 5).nth) == sum(o.count for o in backend.occurrences(plan).passages) > 0
