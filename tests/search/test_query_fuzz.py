"""Property: any string of query syntax, Chinese, symbols and control characters gives results or a
QueryError, never another exception (and highlighting with it never fails)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.errors import QueryError
from indexer.models import SearchRequest, SearchResults
from indexer.search.service import SearchService
from tests.conftest import highlight, marked

PIECES = [
    " ", "  ", "OR", "AND", "NOT", "-", "(", ")", '"', "“", "”", "「", "」", "『", "』", "[", "]", "{", "}",
    ":", "：", "*", "?", "~", "^", "\\", "/", "|", "&&", "TO", ">=", "<", "<=", ">",
    "symbol:", "文号:", "ref:", "type:", "类型:", "speaker:", "发言者:", "date:", "日期:", "title:",
    "决议", "letter", "主席声明", "2020", "2020-12", "2020-12-04", "2020-13-45", "[2020-01-01 TO 2020-06-30]",
    "S/2020/1179", "s/prst/2021/9", "S/PV.8711", "第 2532(2020)号决议", "2532(2020)号决议", "S/RES/2532 (2020)",
    "安理会", "安全理事會", "东盟", "东南亚国家联盟", "维和", "区域和次区域组织", "的", "。", "，", "……",
    "COVID-19", "ＣＯＶＩＤ", "<script>", "&amp;", "\x00", "\x1b", "\u200b", "\ufeff", "\n", "\t", "\ud7ff", "𠀀",
]
QUERIES = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.text(alphabet=st.sampled_from("".join(p for p in PIECES if len(p) == 1) + "东盟安理会abcS/1"), max_size=40),
    st.text(max_size=30),
)


@pytest.fixture(scope="module")
def engine(index_dir: Path) -> Iterator[SearchService]:
    with SearchService(index_dir) as eng:
        yield eng


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERIES, sort=st.sampled_from(["relevance", "date", "-date"]))
def test_any_query_gives_results_or_a_query_error(engine: SearchService, q: str, sort: str) -> None:
    try:
        results = engine.search(SearchRequest(q=q, sort=sort, per_page=5))
    except QueryError as exc:
        assert " / " in str(exc)  # "中文 / English"
    else:
        assert isinstance(results, SearchResults)
        assert results.total >= len(results.hits)
        for hit in results.hits:
            assert "<script>" not in highlight(hit)
    html = marked(engine, "安全理事会<script>强调东盟的作用。", q)
    assert "<script>" not in html


FILTER_VALUES = st.one_of(
    st.none(),
    st.sampled_from(["", "决议", "letter", "主席声明", "report", "treaty", "2020", "2020-12", "2020-13-45", "*",
                     "S/PRST", "s/prst/2021/9", "安理会", "秘书长", "东盟秘书长", "<script>", "\x00"]),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.sampled_from(["", "东盟", '"区域和次区域组织"', "NOT 安理会"]), doc_type=FILTER_VALUES,
       date_from=FILTER_VALUES, date_to=FILTER_VALUES, speaker=FILTER_VALUES, symbol=FILTER_VALUES,
       page=st.integers(-3, 5), per_page=st.integers(-3, 50))
def test_any_filters_give_results_or_a_query_error(engine: SearchService, q: str, page: int, per_page: int,
                                                     **filters: str | None) -> None:
    try:
        results = engine.search(SearchRequest(q=q, page=page, per_page=per_page, **filters))  # type: ignore[arg-type]
    except QueryError as exc:
        assert " / " in str(exc)
    else:
        assert results.total >= len(results.hits)
        assert results.page >= 1 and results.per_page >= 1
