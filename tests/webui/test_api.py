"""JSON API: /api/search is exactly webui.markup.results_json(SearchResults); /api/doc is Document.to_json(); errors are JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer.models import SearchRequest
from webui import create_app, get_engine
from webui.markup import results_json


def _without_time(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "took_ms"}


def test_search_json_is_exactly_the_engines_results(client: FlaskClient, app: Flask) -> None:
    response = client.get("/api/search", query_string={"q": "区域组织", "type": "主席声明", "per_page": "5"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    with app.app_context():
        expected = json.loads(json.dumps(results_json(get_engine().search(SearchRequest(q="区域组织", doc_type="主席声明", per_page=5)))))
    assert _without_time(data) == _without_time(expected)
    assert list(data) == ["query", "total", "page", "per_page", "expansions", "facets", "unmatched", "warnings", "took_ms", "partial", "hits"]
    assert data["hits"] and {h["doc_type"] for h in data["hits"]} == {"主席声明"}


def test_search_json_hit_fields(client: FlaskClient) -> None:
    hit = client.get("/api/search", query_string={"q": '"有效伙伴关系" 文号:S/PRST/2021/9'}).get_json()["hits"][0]
    assert set(hit) == {"passage_id", "doc_id", "symbols", "title", "doc_type", "doc_date", "dates", "speakers",
                        "heading", "paragraph", "text", "spans", "fragments", "url", "score", "highlight", "charter"}
    assert hit["doc_id"] == "S_PRST_2021_9"
    assert hit["symbols"] == ["S/PRST/2021/9"]
    assert "<mark>有效伙伴关系</mark>" in hit["highlight"]


def test_search_json_all_parameters(client: FlaskClient) -> None:
    response = client.get("/api/search", query_string={
        "q": "区域", "from": "2020", "to": "2021", "sort": "date", "page": "1", "per_page": "3", "symbol": "S/PRST"})
    data = response.get_json()
    assert response.status_code == 200
    assert (data["page"], data["per_page"]) == (1, 3)
    assert all(h["symbols"][0].startswith("S/PRST/") for h in data["hits"])


def test_search_json_caps_per_page(client: FlaskClient) -> None:
    data = client.get("/api/search", query_string={"q": "安全理事会", "per_page": "1000000"}).get_json()
    assert data["per_page"] == 100


def test_document_json_is_the_documents_to_json(client: FlaskClient, app: Flask) -> None:
    response = client.get("/api/doc/S_PRST_2021_9")
    assert response.status_code == 200
    with app.app_context():
        expected = json.loads(json.dumps(get_engine().get_document("S_PRST_2021_9").to_json()))
    data = response.get_json()
    assert data == expected
    assert data["symbols"] == ["S/PRST/2021/9"]
    assert data["doc_type"] == "主席声明"
    assert data["passages"][0]["passage_id"] == "S_PRST_2021_9-p0"


@pytest.mark.parametrize(("path", "status", "fragment"), [
    ("/api/search?q=%E5%8C%BA%E5%9F%9F&page=abc", 400, "page 必须是正整数"),
    ("/api/search?q=%E5%8C%BA%E5%9F%9F&sort=up", 400, "未知的排序方式“up”"),
    ("/api/search?q=%E5%8C%BA%E5%9F%9F&from=2020-02-30", 400, "不是有效日期"),
    ("/api/search?q=%22%E5%8C%BA%E5%9F%9F", 400, "引号"),
    ("/api/doc/no_such_document", 404, "no_such_document"),
    ("/api/doc/..%2F..%2Fetc%2Fpasswd", 404, "找不到"),
    ("/api/nothing", 404, "找不到"),
])
def test_api_errors_are_json_with_status(client: FlaskClient, path: str, status: int, fragment: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert fragment in response.get_json()["error"]


def test_missing_index_is_503_json_and_page(tmp_path: Path) -> None:
    app = create_app({"index_dir": tmp_path / "none", "TESTING": True})
    client = app.test_client()
    response = client.get("/api/search", query_string={"q": "区域"})
    assert response.status_code == 503
    assert "undocs build" in response.get_json()["error"]
    page = client.get("/", query_string={"q": "区域"})
    assert page.status_code == 503
    assert "暂时无法检索" in page.get_data(as_text=True)


def test_every_answer_names_the_generation_it_comes_from(client: FlaskClient, webui_index: Path) -> None:
    from indexer.engine.store import current_generation

    live = current_generation(webui_index).name
    for path in ("/api/search?q=%E4%B8%9C%E7%9B%9F", "/api/doc/S_PRST_2021_9", "/doc/S_PRST_2021_9", "/?q=x"):
        assert client.get(path).headers["X-Undocs-Generation"] == live, path
    assert "X-Undocs-Generation" not in client.get("/").headers  # the home page asks the index nothing
