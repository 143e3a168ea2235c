"""The concordance page /kwic and GET /api/kwic over the real seed index; citations on hits and paragraphs."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from webui.security import CSP

PHRASE = '"区域和次区域组织"'


def test_api_kwic_shape(client: FlaskClient) -> None:
    response = client.get("/api/kwic", query_string={"q": PHRASE, "per_page": "5", "width": "10"})
    data = response.get_json()
    assert response.status_code == 200
    assert {"query", "total", "lines", "by_year", "by_type"} <= set(data)
    assert data["query"] == PHRASE and len(data["lines"]) == 5 and data["total"] >= 30
    line = data["lines"][0]
    assert set(line) >= {"left", "match", "right", "doc_id", "symbols", "paragraph", "date", "url"}
    assert line["match"] == "区域和次区域组织" and len(line["left"]) <= 10
    assert line["url"].startswith(f"/doc/{line['doc_id']}#p")
    assert sum(data["by_year"].values()) == data["total"]
    assert sum(data["by_type"].values()) == data["total"]


def test_api_kwic_pages_and_vs(client: FlaskClient) -> None:
    first = client.get("/api/kwic", query_string={"q": PHRASE, "per_page": "4", "sort": "left"}).get_json()
    second = client.get("/api/kwic", query_string={"q": PHRASE, "per_page": "4", "sort": "left", "page": "2"}).get_json()
    assert first["lines"] != second["lines"] and second["page"] == 2
    both = client.get("/api/kwic", query_string={"q": "宪章", "vs": "联合国宪章"}).get_json()
    assert both["vs"]["query"] == "联合国宪章"
    assert 0 < sum(both["vs"]["by_year"].values()) < both["total"]


@pytest.mark.parametrize(("params", "message"), [
    ({}, "empty query"),
    ({"q": "安理会", "sort": "relevance"}, "unknown sort"),
    ({"q": "安理会", "width": "1"}, "width must be 5–200"),
    ({"q": "安理会", "width": "abc"}, "width 必须是正整数"),
    ({"q": "安理会", "page": "0"}, "page 必须是正整数"),
    ({"q": "type:决议"}, "a concordance needs a word"),
    ({"q": "charter:XXV"}, "not a UN Charter chapter or article"),
    ({"q": "安理会", "from": "2021-13"}, "不是有效日期"),
    ({"q": "安理会", "vs": "x" * 600}, "对比检索式太长"),
])
def test_bad_parameters_are_400_with_a_message(client: FlaskClient, params: dict[str, str], message: str) -> None:
    response = client.get("/api/kwic", query_string=params)
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    page = client.get("/kwic", query_string=params)
    assert page.status_code == (200 if not params else 400)


def test_kwic_page_lines_chart_and_table(client: FlaskClient) -> None:
    response = client.get("/kwic", query_string={"q": PHRASE, "vs": "区域组织", "sort": "right"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CSP
    total = client.get("/api/kwic", query_string={"q": PHRASE}).get_json()["total"]
    assert html.count('<td class="km">') == total
    assert '<svg class="usage-chart"' in html and 'class="bar s1"' in html and 'class="bar s2"' in html
    assert "style=" not in html and "<script>" not in html and "onclick" not in html
    assert re.search(r'<a href="/doc/S_PRST_2021_9\?q=[^"]+#p\d+"><mark>区域和次区域组织</mark></a>', html)
    assert '<th scope="row">2021</th>' in html
    assert "<strong aria-current=\"true\">右侧上下文</strong>" in html


def test_search_page_links_to_the_concordance_and_shows_charter_tags(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "charter:VIII"}).get_data(as_text=True)
    assert '<a href="/?q=charter%3AVIII">第八章</a>' in html
    assert "<h2>《宪章》</h2>" in html
    html = client.get("/", query_string={"q": "区域组织"}).get_data(as_text=True)
    assert 'href="/kwic?q=%E5%8C%BA%E5%9F%9F%E7%BB%84%E7%BB%87"' in html


def test_hits_carry_a_citation_to_copy(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": '"根据《联合国宪章》第八章扩大"'}).get_data(as_text=True)
    assert ('<span class="cite-text" id="cite-1">A/75/345，第 108 段，'
            'http://localhost/doc/A_75_345-S_2020_901#p145</span>') in html
    assert '<button type="button" class="copy" data-copy="cite-1" hidden>复制</button>' in html


def test_document_page_cites_every_paragraph_and_the_document(client: FlaskClient) -> None:
    html = client.get("/doc/A_75_345-S_2020_901").get_data(as_text=True)
    assert "A/75/345，第 108 段，http://localhost/doc/A_75_345-S_2020_901#p145" in html
    assert html.count('class="cite-text" id="cite-p') == html.count('<section class="passage')
    reference = re.search(r'id="cite-doc">([^<]+)<', html)
    assert reference is not None
    assert reference.group(1).startswith("联合国大会. ")
    assert "A/75/345 / S/2020/901[R/OL]. (2020-09-11)[" in reference.group(1)
    assert reference.group(1).endswith("]. https://undocs.org/ch/A/75/345.")


def test_charter_facet_adds_the_field_to_the_query(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "宪章"}).get_data(as_text=True)
    facet = re.search(r"<h2>《宪章》</h2>\s*<ul>(.*?)</ul>", html, re.S)
    assert facet is not None
    assert '<a href="/?q=%E5%AE%AA%E7%AB%A0+charter%3AVIII">第八章</a>' in facet.group(1)
    assert [m for m in re.findall(r">(第[^<]+)</a>", facet.group(1))] == ["第六章", "第七章", "第八章", "第99条"]


def test_csv_download_holds_every_line_with_a_bom(client: FlaskClient) -> None:
    response = client.get("/api/kwic.csv", query_string={"q": PHRASE, "per_page": "3", "sort": "doc"})
    body = response.get_data()
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename=kwic.csv"
    assert body.startswith(b"\xef\xbb\xbfdoc_id,symbols,paragraph,date,doc_type,left,match,right,url\r\n")
    total = client.get("/api/kwic", query_string={"q": PHRASE}).get_json()["total"]
    rows = body.decode("utf-8-sig").strip().split("\r\n")
    assert len(rows) == total + 1
    assert rows[1].startswith("A_75_345-S_2020_901,A/75/345 S/2020/901,3,2020-09-11,报告,")
    assert rows[1].endswith(",http://localhost/doc/A_75_345-S_2020_901#p13")
    assert client.get("/api/kwic.csv", query_string={"q": "安理会", "sort": "x"}).status_code == 400


def test_page_links_the_csv_of_the_same_query(client: FlaskClient) -> None:
    html = client.get("/kwic", query_string={"q": "东盟", "sort": "left"}).get_data(as_text=True)
    assert 'href="/api/kwic.csv?q=%E4%B8%9C%E7%9B%9F&amp;sort=left"' in html


def test_document_page_shows_the_charter_tags_of_each_paragraph(client: FlaskClient) -> None:
    html = client.get("/doc/S_PRST_2021_9").get_data(as_text=True)
    tags = re.findall(r'<section class="passage[^"]*" id="(p\d+)">.*?(?:<p class="charter-tags">(.*?)</p>|</section>)',
                      html, re.S)
    tagged = {anchor: re.findall(r">(第[^<]+)</a>", found) for anchor, found in tags if found}
    assert sorted(tagged.values()) == [["第八章"], ["第六章"]]
