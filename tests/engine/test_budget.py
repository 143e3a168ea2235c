"""A query's work is bounded: too many terms is a clear message; past the deadline a flagged subset."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.config import Config
from indexer.engine.budget import MAX_TERMS
from indexer.errors import QueryError
from indexer.models import SearchRequest
from indexer.search.service import SearchService
from webui import close_engine, create_app

WORDS = ["区域", "和平", "安全", "合作", "冲突", "调解", "选举", "援助"]


def test_more_terms_than_the_bound_is_a_message_not_a_stall(index_dir: Path) -> None:
    q = " OR ".join("安全理事会和平区域组织合作"[i % 13] for i in range(MAX_TERMS + 1))
    with SearchService(index_dir) as engine, pytest.raises(QueryError) as info:
        engine.search(SearchRequest(q=q))
    assert str(info.value) == (f"检索词过多（{MAX_TERMS + 1} 个，最多 {MAX_TERMS} 个），请缩小查询 / "
                               f"too many search terms ({MAX_TERMS + 1}; at most {MAX_TERMS}): narrow the query")


def test_a_query_past_its_deadline_returns_a_flagged_subset(index_dir: Path) -> None:
    request = SearchRequest(q=" OR ".join(WORDS), per_page=5000)
    with SearchService(index_dir, Config(index_dir=index_dir, query_deadline_ms=60_000)) as engine:
        whole = engine.search(request)
    with SearchService(index_dir, Config(index_dir=index_dir, query_deadline_ms=0)) as engine:
        cut = engine.search(request)
    assert not whole.partial
    assert cut.partial and 0 < cut.total < whole.total
    assert {h.passage_id for h in cut.hits} < {h.passage_id for h in whole.hits}  # what it found does match


def test_the_api_and_the_page_say_the_result_is_partial(index_dir: Path) -> None:
    app = create_app({"index_dir": index_dir, "query_deadline_ms": 0, "TESTING": True})
    try:
        client = app.test_client()
        data = client.get("/api/search", query_string={"q": " OR ".join(WORDS)}).get_json()
        page = client.get("/", query_string={"q": " OR ".join(WORDS)}).get_data(as_text=True)
    finally:
        close_engine(app)
    assert data["partial"] is True and data["total"] > 0
    assert "查询超出时限，结果不完整" in page
