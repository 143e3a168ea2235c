"""Property: whatever the URL parameters, no 5xx and nothing from the input reaches a page unescaped."""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# A sentinel tag: if "<zq" ever appears in a page, input reached the HTML unescaped.
SENTINEL = "<zq"
PIECES = st.sampled_from([
    "区域", "组织", "东盟", "安全理事会", '"', "“", "”", "(", ")", "OR", "NOT", "-", ":", "：", "文号:", "symbol:",
    "类型:", "type:", "发言者:", "日期:", "date:", "[2020 TO 2021]", ">=2021", "S/PRST/2021/9", "*", "?", "&",
    "<", ">", SENTINEL, SENTINEL + ">", "</mark>", "<mark>", "'", "\\", "%", " ", "\t", "\u3000", "\x00", "😀",
])
QUERY = st.one_of(st.lists(PIECES, max_size=8).map("".join), st.text(max_size=30))
BAD = st.one_of(QUERY, st.sampled_from(["0", "-1", "abc", "1e3", "99999999999999999999", "2020-02-30", "memo"]))


def _param(*good: str) -> st.SearchStrategy[str | None]:
    """Mostly absent or valid, sometimes anything: so most examples reach the search engine."""
    return st.one_of(st.none(), st.none(), st.none(), st.sampled_from(good), st.sampled_from(good), BAD)


PARAMS = {
    "type": _param("主席声明", "report", "汇编", "信函", "决议"),
    "from": _param("2020", "2021-04", "2020-12-04"),
    "to": _param("2021", "2021-12", "2021-04-30"),
    "speaker": _param("秘书长", "越南", "主席"),
    "symbol": _param("S/PRST", "S/2021/130", "A/75"),
    "sort": _param("relevance", "-date", "date"),
    "page": _param("1", "2", "3"),
    "per_page": _param("1", "5", "100", "1000000"),
}


def _clean(value: str) -> str:
    return value.replace("\x00", "")  # werkzeug's test client cannot send NUL in a URL either way


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(q=QUERY, values=st.fixed_dictionaries(PARAMS))
def test_search_page_never_fails_and_never_echoes_markup(app: Flask, q: str, values: dict[str, str | None]) -> None:
    params = {"q": _clean(q), **{k: _clean(v) for k, v in values.items() if v is not None}}
    client = app.test_client()
    page = client.get("/", query_string=params)
    assert page.status_code in (200, 400), page.status_code
    assert SENTINEL not in page.get_data(as_text=True)
    api = client.get("/api/search", query_string=params)
    assert api.status_code in (200, 400), api.status_code
    assert api.mimetype == "application/json"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERY)
def test_document_page_never_fails_and_never_echoes_markup(app: Flask, q: str) -> None:
    page = app.test_client().get("/doc/webui-citing-note", query_string={"q": _clean(q)})
    assert page.status_code == 200
    assert SENTINEL not in page.get_data(as_text=True)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc_id=st.one_of(st.text(min_size=1, max_size=40), st.sampled_from(["S_PRST_2021_9", "..", ".", "~", "-"])))
def test_any_document_address_is_a_page_or_a_404(app: Flask, doc_id: str) -> None:
    client = app.test_client()
    for prefix in ("/doc/", "/api/doc/"):
        response = client.get(prefix + quote(_clean(doc_id), safe=""))
        assert response.status_code in (200, 404), (doc_id, response.status_code)
        assert SENTINEL not in response.get_data(as_text=True)
