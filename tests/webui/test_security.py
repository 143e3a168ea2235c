"""Read-only, escaped, locked-down: headers, methods, escaping, bad parameters, plain 500 pages."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webui import create_app

ROUTES = ["/", "/?q=%E5%8C%BA%E5%9F%9F", "/doc/S_PRST_2021_9", "/api/search?q=%E5%8C%BA%E5%9F%9F",
          "/api/doc/S_PRST_2021_9", "/doc/nope", "/static/style.css", "/static/app.js"]


@pytest.mark.parametrize("path", ROUTES)
def test_security_headers_on_every_route(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    headers = response.headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    response.close()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/doc/S_PRST_2021_9", "/api/search", "/nowhere"])
def test_only_get_and_head_are_allowed(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


def test_head_is_allowed(client: FlaskClient) -> None:
    response = client.head("/doc/S_PRST_2021_9")
    assert response.status_code == 200
    assert response.get_data() == b""


def test_pages_have_no_inline_script_or_style(client: FlaskClient) -> None:
    for path in ("/", "/?q=%E5%8C%BA%E5%9F%9F", "/doc/S_PRST_2021_9", "/doc/nope", "/kwic?q=%E5%AE%AA%E7%AB%A0&vs=x"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "<style" not in html and " style=" not in html and " on" + "click" not in html
        assert '<script src="/static/app.js" defer></script>' in html
        assert '<script src="/static/copy.js" defer></script>' in html
        text = re.sub(r'<span class="cite-text"[^>]*>[^<]*</span>', "", html)  # citations are text to copy
        assert "http://" not in text.replace('href="http', "")  # no external resources


def test_script_in_the_query_is_shown_literally(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_script_in_a_filter_is_shown_literally(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "区域", "speaker": '"><img src=x>'}).get_data(as_text=True)
    assert "<img src=x>" not in html
    assert "&#34;&gt;&lt;img src=x&gt;" in html


def test_markup_inside_a_document_is_shown_literally(client: FlaskClient) -> None:
    html = client.get("/doc/webui-citing-note").get_data(as_text=True)
    assert "<b>这不是粗体</b>" not in html and "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;这不是粗体&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markup_inside_a_hit_is_shown_literally(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "这不是粗体"}).get_data(as_text=True)
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


@pytest.mark.parametrize(("query", "message"), [
    ({"q": "区域", "page": "abc"}, "page 必须是正整数（收到“abc”）"),
    ({"q": "区域", "page": "-1"}, "page 必须是正整数（收到“-1”）"),
    ({"q": "区域", "per_page": "0"}, "per_page 必须是正整数（收到“0”）"),
    ({"q": "区域", "sort": "random"}, "未知的排序方式“random”：可用 relevance、-date、date"),
    ({"q": "区域", "from": "2020-13"}, "起始日期“2020-13”不是有效日期"),
    ({"q": "区域", "to": "tomorrow"}, "结束日期“tomorrow”格式不对：请写 YYYY、YYYY-MM 或 YYYY-MM-DD，例如 2020-12-04"),
    ({"q": "区域", "from": "2021", "to": "2020"}, "起始日期 2021 晚于结束日期 2020"),
    ({"q": "区域", "type": "memo"}, "未知的文件类型“memo”：可用 决议、决定、主席声明、会议记录、简要记录、信函、报告、说明、工作文件、议程、汇编、其他"),
    ({"q": "区" * 501}, "查询太长（501 个字符，最多 500 个）"),
])
def test_bad_parameters_are_400_with_the_message(client: FlaskClient, query: dict[str, str], message: str) -> None:
    page = client.get("/", query_string=query)
    assert page.status_code == 400
    assert message.replace("“", "&#8220;") in page.get_data(as_text=True) or message in page.get_data(as_text=True)
    api = client.get("/api/search", query_string=query)
    assert api.status_code == 400
    assert api.get_json() == {"error": message}


def test_per_page_is_capped_not_refused(client: FlaskClient) -> None:
    response = client.get("/", query_string={"q": "安全理事会", "per_page": "1000000"})
    assert response.status_code == 200


@pytest.mark.parametrize("doc_id", ["../etc/passwd", "a b", "S/PRST/2021/9", "%00", "x" * 201, "<script>"])
def test_documents_are_addressed_by_safe_ids_only(client: FlaskClient, doc_id: str) -> None:
    assert client.get(f"/doc/{doc_id}").status_code == 404
    assert client.get(f"/api/doc/{doc_id}").status_code == 404


def test_overlong_query_on_the_document_page_marks_nothing(client: FlaskClient) -> None:
    response = client.get("/doc/S_PRST_2021_9", query_string={"q": "区" * 600})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<mark>" not in html[html.index('<div class="passages">'):html.index('id="cited-by-h"')]


def test_unexpected_error_is_a_plain_500_sentence_and_logged(
    webui_index: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app({"index_dir": webui_index})

    def boom() -> str:
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/boom", "api_boom", boom)
    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="webui.security"):
        page = client.get("/boom")
        api = client.get("/api/boom")
    assert page.status_code == 500 and api.status_code == 500
    assert "服务器内部出错了" in page.get_data(as_text=True)
    assert "secret internal detail" not in page.get_data(as_text=True)
    assert api.get_json() == {"error": "服务器内部出错了，请稍后再试。错误已记录。"}
    assert "secret internal detail" in caplog.text


def test_debug_is_off_unless_asked(app: Flask, monkeypatch: pytest.MonkeyPatch, webui_index: Path) -> None:
    assert app.debug is False
    monkeypatch.setenv("UNDOCS_DEBUG", "1")
    from indexer.config import Config

    assert create_app(Config(index_dir=webui_index)).debug is True
