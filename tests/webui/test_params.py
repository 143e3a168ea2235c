"""URL parameters -> SearchRequest: every bad form refused with a message naming the value."""

from __future__ import annotations

import pytest

from indexer.config import Config
from indexer.errors import QueryError
from indexer.models import SearchRequest
from webui.params import parse_search_args, url_with

CONFIG = Config(max_per_page=100, max_query_chars=500, per_page=10)


def test_all_parameters_map_to_the_request() -> None:
    args = {"q": " 区域组织 ", "type": "presidential-statement", "from": "2021", "to": "2021-04-30",
            "speaker": "秘书长", "symbol": "S/PRST/2021", "sort": "-date", "page": "2", "per_page": "20"}
    assert parse_search_args(args, CONFIG) == SearchRequest(
        q="区域组织", doc_type="主席声明", date_from="2021", date_to="2021-04-30", speaker="秘书长",
        symbol="S/PRST/2021", sort="-date", page=2, per_page=20)


def test_empty_parameters_are_defaults() -> None:
    assert parse_search_args({"q": "", "type": "", "page": "", "sort": ""}, CONFIG) == SearchRequest()


def test_per_page_above_the_maximum_is_capped() -> None:
    assert parse_search_args({"per_page": "1000000"}, CONFIG).per_page == 100


@pytest.mark.parametrize(("args", "message"), [
    ({"page": "abc"}, "page 必须是正整数（收到“abc”）"),
    ({"page": "-1"}, "page 必须是正整数（收到“-1”）"),
    ({"page": "0"}, "page 必须是正整数（收到“0”）"),
    ({"page": "١"}, "page 必须是正整数（收到“١”）"),
    ({"page": "99999"}, "page 太大（99999，最多 10000）"),
    ({"per_page": "0"}, "per_page 必须是正整数（收到“0”）"),
    ({"per_page": "1e3"}, "per_page 必须是正整数（收到“1e3”）"),
    ({"sort": "newest"}, "未知的排序方式“newest”：可用 relevance、-date、date"),
    ({"from": "2020-13-01"}, "起始日期“2020-13-01”不是有效日期"),
    ({"to": "2021-02-30"}, "结束日期“2021-02-30”不是有效日期"),
    ({"from": "yesterday"}, "起始日期“yesterday”格式不对：请写 YYYY、YYYY-MM 或 YYYY-MM-DD，例如 2020-12-04"),
    ({"to": "2020/12/04"}, "结束日期“2020/12/04”格式不对：请写 YYYY、YYYY-MM 或 YYYY-MM-DD，例如 2020-12-04"),
    ({"from": "2021-05", "to": "2021-04-30"}, "起始日期 2021-05 晚于结束日期 2021-04-30"),
    ({"type": "memo"}, "未知的文件类型“memo”：可用 决议、决定、主席声明、会议记录、简要记录、信函、报告、说明、工作文件、议程、汇编、其他"),
    ({"q": "字" * 501}, "查询太长（501 个字符，最多 500 个）"),
    ({"speaker": "秘" * 501}, "发言者太长（501 个字符，最多 500 个）"),
])
def test_bad_parameter_is_refused_with_a_message(args: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_search_args(args, CONFIG)
    assert str(info.value) == message


def test_same_year_range_is_accepted() -> None:
    request = parse_search_args({"from": "2020", "to": "2020"}, CONFIG)
    assert (request.date_from, request.date_to) == ("2020", "2020")


def test_url_with_adds_a_filter_and_resets_the_page() -> None:
    args = {"q": "东盟", "page": "3", "sort": "date"}
    assert url_with(args, type="报告") == "/?q=%E4%B8%9C%E7%9B%9F&type=%E6%8A%A5%E5%91%8A&sort=date"


def test_url_with_drops_a_filter_and_keeps_the_rest() -> None:
    args = {"q": "东盟", "from": "2020", "to": "2020", "unknown": "x"}
    assert url_with(args, drop=("from",)) == "/?q=%E4%B8%9C%E7%9B%9F&to=2020"


def test_url_with_year_facet_sets_both_ends() -> None:
    assert url_with({"q": "a"}, from_="2021", to="2021") == "/?q=a&from=2021&to=2021"


def test_url_with_page_keeps_the_filters() -> None:
    assert url_with({"q": "a", "type": "报告"}, page=2) == "/?q=a&type=%E6%8A%A5%E5%91%8A&page=2"
