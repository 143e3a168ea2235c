"""Query string -> syntax tree, and a clear QueryError for every malformed form."""

from __future__ import annotations

import pytest

from indexer.errors import QueryError
from indexer.search.query import And, DateRange, Field, Not, Or, Phrase, Symbol, Word, has_terms, parse


def test_words_side_by_side_are_all_required() -> None:
    assert parse("安理会 维持和平") == And((Word("安理会"), Word("维持和平")))


def test_or_not_minus_and_parentheses() -> None:
    assert parse("(东盟 OR 非盟) NOT 欧盟 -维和") == And(
        (Or((Word("东盟"), Word("非盟"))), Not(Word("欧盟")), Not(Word("维和")))
    )


@pytest.mark.parametrize("q", ['"区域和次区域组织"', "“区域和次区域组织”", "「区域和次区域组织」", "『区域和次区域组织』"])
def test_quotes_make_a_phrase(q: str) -> None:
    assert parse(q) == Phrase("区域和次区域组织")


@pytest.mark.parametrize(
    ("q", "symbol"),
    [
        ("S/2020/1179", "S/2020/1179"),
        ("s/prst/2021/9", "S/PRST/2021/9"),
        ("第 2532(2020)号决议", "S/RES/2532(2020)"),
        ("2532(2020)号决议", "S/RES/2532(2020)"),
        ("第 58/316 号决议", "A/RES/58/316"),  # a General Assembly resolution, as symbols.find_symbols reads it
        ("第58/316号决议", "A/RES/58/316"),
        ("S/PV.8711", "S/PV.8711"),
        ("ｓ／ｒｅｓ／２５３２ （２０２０）", "S/RES/2532(2020)"),
    ],
)
def test_a_symbol_alone_is_a_symbol_node(q: str, symbol: str) -> None:
    node = parse(q)
    assert isinstance(node, Symbol)
    assert node.symbol == symbol


def test_a_hyphen_between_symbols_is_not_a_not() -> None:
    assert parse("A/73/328-S/2018/592") == And(
        (Symbol("A/73/328", "A/73/328"), Word("-"), Symbol("S/2018/592", "S/2018/592"))
    )


def test_an_undocs_link_is_its_symbol() -> None:
    assert parse("https://undocs.org/zh/S/RES/2532(2020)") == Symbol(
        "S/RES/2532(2020)", "https://undocs.org/zh/S/RES/2532(2020)"
    )


def test_a_symbol_inside_chinese_text_is_split_out() -> None:
    assert parse("安理会第2532(2020)号决议") == And((Word("安理会"), Symbol("S/RES/2532(2020)", "第2532(2020)号决议")))


@pytest.mark.parametrize(
    ("q", "node"),
    [
        ("type:决议", Field("type", "决议")),
        ("类型:presidential-statement", Field("type", "主席声明")),
        ("type:Letter", Field("type", "信函")),
        ("symbol:s/prst/2020", Field("symbol", "S/PRST/2020")),
        ("文号:S/RES/2532 ", Field("symbol", "S/RES/2532")),
        ("ref:第2532(2020)号决议", Field("ref", "S/RES/2532(2020)")),
        ("speaker:秘书长", Field("speaker", "秘书长")),
        ("标题:東盟", Field("title", "东盟")),
        ("发言者:“东盟秘书长”", Field("speaker", "东盟秘书长")),
        ("date:2020-12", DateRange("2020-12", "2020-12")),
        ("日期:2020-12-04", DateRange("2020-12-04", "2020-12-04")),
        ("date:2020年12月4日", DateRange("2020-12-04", "2020-12-04")),
        ("date:[2020-01-01 TO 2020-06-30]", DateRange("2020-01-01", "2020-06-30")),
        ("date:[2020 TO *]", DateRange("2020", None)),
        ("date:>=2021", DateRange("2021", None)),
        ("date:<=2020-06", DateRange(None, "2020-06")),
    ],
)
def test_fields_with_english_and_chinese_names(q: str, node: object) -> None:
    assert parse(q) == node


def test_full_width_colon_and_parentheses_work() -> None:
    assert parse("（东盟 OR 非盟） 类型：决议") == And((Or((Word("东盟"), Word("非盟"))), Field("type", "决议")))


def test_empty_query_is_none() -> None:
    assert parse("   ") is None


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ('"区域组织', "未闭合的引号 / unbalanced quote"),
        ("“区域组织", "未闭合的引号 / unbalanced quote"),
        ("「区域组织", "未闭合的引号 / unbalanced quote"),
        ("区域组织”", "多余的右引号"),
        ('""', "引号里没有内容 / empty quotes"),
        ("(东盟 OR 非盟", "未闭合的括号 / unbalanced parenthesis"),
        ("东盟)", "多余的右括号"),
        ("()", "空的括号 / empty parentheses"),
        ("date:[2020-01-01 TO 2020-06-30", "未闭合的方括号 / unbalanced bracket"),
        ("东盟 ]", "多余的右方括号"),
        ("type:", "字段 type: 后面缺少内容 / empty field type:"),
        ("speaker:", "empty field speaker:"),
        ("date: 2020", "empty field date:"),
        ("type:treaty", "未知的文档类型 treaty"),
        ("date:2020-13-45", "无效的日期：2020-13-45"),
        ("date:2021-02-30", "invalid date '2021-02-30'"),
        ("date:yesterday", "invalid date 'yesterday'"),
        ("date:[2021 TO 2020]", "日期范围颠倒"),
        ("symbol:安理会", "不是有效的文号：安理会"),
        ("titel:东盟", "未知字段 titel:"),
        ("OR 东盟", "OR 两边都需要检索词 / OR needs a term on each side"),
        ("东盟 OR", "OR needs a term on each side"),
        ("东盟 AND", "AND needs a term on each side"),
        ("NOT", "NOT 或 - 后面缺少检索词 / NOT or - needs a term after it"),
        ("东盟 -", None),  # a lone "-" is ignored punctuation, not an error
        ("东" * 10_000, "检索式太长（10000 个字符，最多 500 个）"),
        ("(" * 200 + "东盟" + ")" * 200, "括号或 NOT 嵌套太深（最多 32 层） / nested too deeply (at most 32 levels"),
        ("NOT " * 100 + "东盟", "nested too deeply (at most 32 levels of brackets or NOT)"),
        ("-(" * 100 + "东盟", "nested too deeply"),
    ],
)
def test_malformed_queries_say_what_is_wrong(q: str, message: str | None) -> None:
    if message is None:
        assert parse(q) is not None
        return
    with pytest.raises(QueryError) as err:
        parse(q)
    assert message in str(err.value)


def test_a_word_before_a_general_assembly_reference_stays_a_word() -> None:
    assert parse("大会第 58/316 号决议") == And((Word("大会"), Symbol("A/RES/58/316", "第 58/316 号决议")))


@pytest.mark.parametrize(("q", "expected"), [("*", False), ("NOT *", False), ("(* OR 。)", False), ('"*"', True),
                                             ("东盟 *", True), ("date:2020", True), ("的", True)])
def test_has_terms_tells_punctuation_only_queries(q: str, expected: bool) -> None:
    node = parse(q)
    assert node is not None and has_terms(node) is expected


def test_nesting_up_to_the_limit_is_understood() -> None:
    assert parse("(" * 32 + "东盟" + ")" * 32) == parse("东盟")
