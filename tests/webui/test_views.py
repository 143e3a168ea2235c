"""HTML pages over the real seed index: the search page, filters, facets, the document page."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask.testing import FlaskClient
from html_helpers import hrefs, page_text


def test_home_page_has_one_autofocused_search_box_and_the_syntax_help(client: FlaskClient) -> None:
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<input id="q" name="q" type="search" value="" autofocus' in html
    assert '<details class="help">' in html
    for example in ("文号:S/PRST/2021/9", "类型:主席声明", "发言者:秘书长", "日期:2021-04", "NOT", "OR", "-伊拉克"):
        assert example in html
    assert '<form class="search-form" action="/" method="get"' in html


def test_phrase_search_finds_the_presidential_statement(client: FlaskClient) -> None:
    response = client.get("/", query_string={"q": '"有效伙伴关系"'})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "S/PRST/2021/9" in html
    assert "<mark>有效伙伴关系</mark>" in html
    assert re.search(r"共 <strong>\d+</strong> 条结果", html)
    assert "用时" in html


def test_hit_links_to_its_passage_carrying_the_query(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": '"有效伙伴关系"'}).get_data(as_text=True)
    links = [h for h in hrefs(html) if h.startswith("/doc/S_PRST_2021_9?")]
    assert links, "no hit links to the presidential statement"
    parts = urlsplit(links[0])
    assert parse_qs(parts.query) == {"q": ['"有效伙伴关系"']}
    assert re.fullmatch(r"p\d+", parts.fragment)


def test_abbreviation_expansion_is_shown(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "东盟"}).get_data(as_text=True)
    assert "也搜索了：东南亚国家联盟" in html


def test_type_filter_keeps_only_that_type_and_shows_a_removable_chip(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "区域组织", "type": "主席声明"}).get_data(as_text=True)
    types = re.findall(r'<span class="type">([^<]+)</span>', html)
    assert types and set(types) == {"主席声明"}
    chip = re.search(r'<a class="chip" href="([^"]+)" title="去掉这个条件">类型：主席声明', html)
    assert chip and unescape(chip.group(1)) == "/?q=" + quote("区域组织")


def test_english_type_alias_selects_the_canonical_type(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "区域组织", "type": "presidential-statement"}).get_data(as_text=True)
    assert set(re.findall(r'<span class="type">([^<]+)</span>', html)) == {"主席声明"}


def test_facets_count_types_and_link_to_the_narrowed_search(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "区域组织"}).get_data(as_text=True)
    facet = re.search(r'<a href="([^"]+)">主席声明</a> <span class="count">(\d+)</span>', html)
    assert facet, "no 主席声明 facet"
    assert int(facet.group(2)) >= 1
    assert unescape(facet.group(1)) == "/?q=" + quote("区域组织") + "&type=" + quote("主席声明")


def test_year_facet_narrows_to_that_year(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "区域组织"}).get_data(as_text=True)
    year = re.search(r'<a href="([^"]+)">2021</a>', html)
    assert year and unescape(year.group(1)).endswith("&from=2021&to=2021")


def test_date_range_keeps_hits_inside_it(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "区域组织", "from": "2021-01-01", "to": "2021-12-31"}).get_data(as_text=True)
    dates = re.findall(r'<time datetime="([^"]+)">', html)
    assert dates and all(d.startswith("2021") for d in dates)
    assert "起始日期：2021-01-01" in html and "结束日期：2021-12-31" in html


def test_sort_links_offer_relevance_newest_oldest(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "区域组织", "sort": "-date"}).get_data(as_text=True)
    assert '<strong aria-current="true">最新</strong>' in html
    links = {text: unescape(url) for url, text in re.findall(r'<a href="([^"]+)">(相关度|最早)</a>', html)}
    assert links == {"相关度": "/?q=" + quote("区域组织"), "最早": "/?q=" + quote("区域组织") + "&sort=date"}


def test_newest_first_orders_hits_by_date_descending(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "安全理事会", "sort": "-date", "per_page": "50"}).get_data(as_text=True)
    dates = [d for d in re.findall(r'<li class="hit">.*?<time datetime="([^"]+)">', html, re.S)]
    assert dates == sorted(dates, reverse=True)


def test_pagination_links_move_between_pages(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "安全理事会"}).get_data(as_text=True)
    nxt = re.search(r'<a rel="next" href="([^"]+)">', html)
    assert nxt and unescape(nxt.group(1)) == "/?q=" + quote("安全理事会") + "&page=2"
    second = client.get(unescape(nxt.group(1))).get_data(as_text=True)
    assert '<strong aria-current="page">2</strong>' in second
    assert '<ol class="hits" start="11">' in second


def test_no_results_suggest_dropping_the_filter(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "有效伙伴关系", "type": "决议"}).get_data(as_text=True)
    assert "共 <strong>0</strong> 条结果" in html
    assert "没有找到匹配“有效伙伴关系”的段落" in html
    assert "去掉筛选条件“类型：决议”" in html


def test_no_results_for_a_quoted_phrase_suggest_the_unquoted_form(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": '"伙伴关系区域"'}).get_data(as_text=True)
    assert "不加引号搜索：伙伴关系区域" in html


def test_bad_query_shows_the_engine_message_next_to_the_box_with_400(client: FlaskClient) -> None:
    response = client.get("/", query_string={"q": '"区域组织'})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in html
    message = re.search(r'<p id="query-error" class="query-error" role="alert">([^<]+)</p>', html)
    assert message and "引号" in unescape(message.group(1))


def test_search_state_is_refilled_into_the_form(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "东盟", "type": "报告", "from": "2020", "speaker": "秘书长"}).get_data(
        as_text=True)
    assert 'value="东盟"' in html
    assert '<option value="报告" selected>' in html
    assert 'name="from" value="2020"' in html
    assert 'name="speaker" value="秘书长"' in html


def test_document_page_shows_metadata_and_official_pdf_link(client: FlaskClient) -> None:
    response = client.get("/doc/S_PRST_2021_9")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    text = page_text(html)
    assert "类型 主席声明" in text
    assert "日期 2021-04-19" in text
    assert '<a class="official" href="https://undocs.org/ch/S/PRST/2021/9" rel="noopener">S/PRST/2021/9（PDF）</a>' in html
    assert "安全理事会重申其根据《宪章》负有维护国际和平与安全的首要责任" in text


def test_every_passage_has_an_anchor(client: FlaskClient) -> None:
    from webui import get_engine

    with client.application.app_context():
        doc = get_engine().get_document("S_PRST_2021_9")
    html = client.get("/doc/S_PRST_2021_9").get_data(as_text=True)
    anchors = re.findall(r'<section class="passage[^"]*" id="(p\d+)">', html)
    assert anchors == [p.anchor for p in doc.passages]


def test_document_page_marks_the_query_terms(client: FlaskClient) -> None:
    html = client.get("/doc/S_PRST_2021_9", query_string={"q": '"有效伙伴关系"'}).get_data(as_text=True)
    assert "<mark>有效伙伴关系</mark>" in html
    assert re.search(r'<section class="passage kind-\w+ matched" id="p\d+">', html)
    assert '← 返回检索“&#34;有效伙伴关系&#34;”' in html


def test_symbols_link_inside_the_corpus_or_to_undocs_org(client: FlaskClient) -> None:
    html = client.get("/doc/webui-citing-note").get_data(as_text=True)
    assert '<a class="sym" href="/doc/S_PRST_2021_9">S/PRST/2021/9</a>' in html
    assert '<a class="sym" href="/doc/S_2021_130">S/2021/130</a>' in html
    prst = client.get("/doc/S_PRST_2021_9").get_data(as_text=True)
    assert '<a class="sym" href="https://undocs.org/ch/S/2020/372">S/2020/372</a>' in prst


def test_cited_by_lists_the_citing_passage(client: FlaskClient) -> None:
    html = client.get("/doc/S_PRST_2021_9").get_data(as_text=True)
    section = html[html.index('id="cited-by-h"'):]
    link = re.search(r'<li><a href="(/doc/webui-citing-note#p\d+)">', section)
    assert link, "the citing note is not listed under 引用本文件的段落"


def test_document_without_citations_says_so(client: FlaskClient) -> None:
    html = client.get("/doc/webui-citing-note").get_data(as_text=True)
    assert "语料库中没有其他文件引用本文件。" in html


def test_unknown_document_is_404_with_a_page(client: FlaskClient) -> None:
    response = client.get("/doc/no_such_document")
    assert response.status_code == 404
    assert "找不到" in response.get_data(as_text=True)


def test_footnotes_sit_under_their_passage_linked_both_ways(client: FlaskClient) -> None:
    html = client.get("/doc/repertoire-2020-part1-sec35-maintenance-of-peace").get_data(as_text=True)
    marker = re.search(r'<sup class="fnref"><a id="fnref-(p\d+)-908" href="#fn-(p\d+)-908" aria-label="脚注 908">908</a></sup>',
                       html)
    assert marker and marker.group(1) == marker.group(2)
    anchor = marker.group(1)
    note = re.search(rf'<li id="fn-{anchor}-908">(.*?)</li>', html, re.S)
    assert note, "footnote 908 is not listed under its passage"
    assert f'<a href="#fnref-{anchor}-908" title="返回正文">908 ↩</a>' in note.group(1)
    assert "安理会面前有 2019年 12月 31日的信" in note.group(1)
    assert '<a class="sym" href="https://undocs.org/ch/S/2020/1">S/2020/1</a>' in note.group(1)
    section = html[html.index(f'id="{anchor}"'):html.index(f'<li id="fn-{anchor}-908">')]
    assert "根据当月轮值主席越南的倡议" in section


def test_original_language_is_named(client: FlaskClient) -> None:
    assert "原文 英文" in page_text(client.get("/doc/S_PRST_2021_9").get_data(as_text=True))


def test_page_past_the_end_offers_only_the_way_back(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "安全理事会", "page": "99"}).get_data(as_text=True)
    assert "这一页没有结果。" in html
    suggestions = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', html[html.index("可以试试"):])
    assert [(unescape(u), t) for u, t in suggestions] == [("/?q=" + quote("安全理事会"), "回到第 1 页")]


def test_unmatched_word_suggestion_never_leaves_empty_quotes(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": '区域组织 "东盟合作伙伴"', "type": "决议"}).get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">去掉没有匹配的词“东盟合作伙伴”（不限筛选条件）</a>', html)
    assert link and unescape(link.group(1)) == "/?q=" + quote("区域组织")  # with type=决议 it finds nothing


def _suggestions(html: str) -> list[tuple[str, str]]:
    return [(unescape(u), t) for u, t in re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', html[html.index("可以试试"):])]


def test_expansion_suggestion_drops_the_filter_that_emptied_the_search(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "东盟", "type": "决议"}).get_data(as_text=True)
    assert "共 <strong>0</strong> 条结果" in html
    assert ("/?q=" + quote("东南亚国家联盟"), "只搜索：东南亚国家联盟（不限筛选条件）") in _suggestions(html)


@pytest.mark.parametrize("params", [
    {"q": "东盟", "type": "决议"},
    {"q": "东盟", "type": "主席声明", "from": "2019"},
    {"q": '"伙伴关系区域"'},
    {"q": '区域组织 "东盟合作伙伴"', "type": "决议"},
])
def test_every_zero_result_suggestion_finds_something(client: FlaskClient, params: dict[str, str]) -> None:
    html = client.get("/", query_string=params).get_data(as_text=True)
    assert "共 <strong>0</strong> 条结果" in html
    links = _suggestions(html)
    assert links
    for url, label in links:
        followed = client.get(url).get_data(as_text=True)
        assert "共 <strong>0</strong> 条结果" not in followed, label


def test_document_reached_by_its_symbol_says_so_instead_of_zero_matches(client: FlaskClient) -> None:
    hit = client.get("/api/search", query_string={"q": "S/PRST/2021/9"}).get_json()["hits"][0]
    html = client.get(hit["url"].split("#")[0], query_string={"q": "S/PRST/2021/9"}).get_data(as_text=True)
    note = re.search(r'<p class="match-count">([^<]+)</p>', html)
    assert note and unescape(note.group(1)) == "“S/PRST/2021/9”是本文件的文号"
    assert "0 个段落有匹配" not in html


def test_document_page_counts_the_passages_it_marks(client: FlaskClient) -> None:
    hit = client.get("/api/search", query_string={"q": "有效伙伴关系"}).get_json()["hits"][0]
    html = client.get(hit["url"].split("#")[0], query_string={"q": "有效伙伴关系"}).get_data(as_text=True)
    marked = len(re.findall(r'<section class="passage [^"]*matched"', html))
    note = re.search(r'<p class="match-count">([^<]+)</p>', html)
    assert marked > 0
    assert note and unescape(note.group(1)) == f"“有效伙伴关系”：{marked} 个段落有匹配（已标出）"


def test_every_example_in_the_syntax_help_is_a_valid_query(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    help_html = html[html.index('<details class="help">'):html.index("</details>")]
    examples = [unescape(code) for code in re.findall(r"<dt>(.*?)</dt>", help_html) for code in
                re.findall(r"<code>([^<]+)</code>", code)]
    assert len(examples) == 21  # 17 + four charter:/宪章: examples
    for example in examples:
        response = client.get("/", query_string={"q": example})
        assert response.status_code == 200, (example, response.status_code)
        assert '<p id="query-error"' not in response.get_data(as_text=True)


def test_query_is_marked_in_footnotes_too(client: FlaskClient) -> None:
    # rep36 "12 月 4 日，安理会成员就此项目举行高级别公开视频会议，969 …" is a hit for S/2020/1179 through
    # its footnote "969 见 S/2020/1179。" only: the page it links to must show why.
    html = client.get("/doc/repertoire-2020-part1-sec36-regional-cooperation?q=S/2020/1179").get_data(as_text=True)
    note = re.search(r'<li id="fn-(p\d+)-969">(.*?)</li>', html, re.S)
    assert note, "footnote 969 is not listed"
    assert "<mark>S/2020/1179</mark>" in note.group(2)
    section = re.search(rf'<section class="passage ([^"]*)" id="{note.group(1)}">', html)
    assert section and "matched" in section.group(1).split()
