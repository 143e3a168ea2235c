"""What the distributed backend sends to Sphinx, checked without a node: tokens, substrings, routing.

The `chars` field must find exactly what the embedded backend's substring scan finds (a phrase of
units inside a passage's units), symbols must survive as single tokens, dates compare as the
embedded backend's text ranges do, and a document's shard must never change between processes.
"""

from __future__ import annotations

import pymysql
import pytest

from indexer.engine.querytree import DateRange, Field
from indexer.engine.sphinx.catalog import Live
from indexer.engine.sphinx.compile import date_bounds, phrase, phrase_cover, same_weight, split
from indexer.engine.sphinx.nodes import escape, parse_nodes, shard_of
from indexer.engine.sphinx.tokens import date_cover, date_low, date_tokens, encode, pairs, symbol_prefixes, units, words
from indexer.engine.substring import SubstringIndex
from indexer.errors import ConfigError
from indexer.models import Document
from tests.conftest import ROOT

REALDOCS = ROOT.parent / "shared" / "realdocs"


def holds(haystack: list[str], needle: list[str]) -> bool:
    """A phrase query: the needle's tokens side by side somewhere in the passage's tokens (`*`: any token)."""
    n = len(needle)
    return any(all(w in ("*", h) for w, h in zip(needle, haystack[i : i + n], strict=True))
               for i in range(len(haystack) - n + 1))


def phrase_finds(text: str, needle: str) -> bool:
    """What compile.phrase asks: the pairs of the needle's units in the `pairs` field, every other
    one left as `*` (one unit: `chars`)."""
    want = units(needle)
    return holds(units(text), want) if len(want) == 1 else holds(pairs(units(text)), phrase_cover(pairs(want)))


@pytest.mark.parametrize("needle", ["有效伙伴关系", "区域和次区域组织", "安理", "covid-19", "19", "2020",
                                    "S/2020/751", "(2020)", "第2532(2020)号决议", "会。", "秘书长的报告", "会", "a"])
def test_a_phrase_of_characters_finds_what_the_substring_scan_finds(seed_docs: dict[str, Document],
                                                                    needle: str) -> None:
    passages = [p for d in seed_docs.values() for p in d.passages]
    scan = SubstringIndex(enumerate(p.text for p in passages))
    want = set(scan.find(scan.needle(needle)))
    got = {i for i, p in enumerate(passages) if phrase_finds(p.text, needle)}
    assert got == want


@pytest.mark.parametrize(("needle", "sent"), [
    ("安全理事会", '(@pairs "安全 * 理事 事会")'), ("区域和次区域组织", '(@pairs "区域 * 和次 * 区域 * 组织")'),
    ("维持和平", '(@pairs "维持 * 和平")'), ("安理会", '(@pairs "安理 理会")'), ("安全", '(@pairs "安全")'),
    ("会", "(@chars 会)"),
])
def test_a_phrase_reads_every_other_pair_and_the_last(needle: str, sent: str) -> None:
    """Pairs 0, 2, 4, … and the last cover every unit at its place: fewer posting lists, same matches."""
    assert phrase(needle) == sent


def test_a_latin_needle_is_not_found_inside_a_longer_word() -> None:
    assert units("COVID-19 疫情") == ["covid", "_2d_", "19", "疫", "情"]
    assert not phrase_finds("2019年", "19") and phrase_finds("第 19 段", "19")
    assert pairs(units("covid 19 疫情")) == ["covid_x_19", "19疫", "疫情"]


def test_symbols_and_latin_runs_are_single_tokens() -> None:
    assert words("安理会S/PRST/2021/9号") == ["安理会", "s_2f_prst_2f_2021_2f_9", "号"]
    assert encode("S/PRST/2021/9") == "_53__2f__50__52__53__54__2f_2021_2f_9"
    assert symbol_prefixes("S/PRST/2021/9") == ["S", "S/PRST", "S/PRST/2021"]


@pytest.mark.parametrize(("node", "inside", "outside"), [
    (DateRange("2021", "2021"), ["2021", "2021-03", "2021-12-31"], ["2020-12-31", "2022"]),
    (DateRange("2021-03", "2021-04"), ["2021-03", "2021-04-30"], ["2021", "2021-02-28", "2021-05"]),
    (DateRange("2020~", None), ["2021", "2030-01-01"], ["2020", "2020-12-31"]),
    (DateRange(None, "2021!"), ["2020-12-31", "1999"], ["2021", "2021-01-01"]),
])
def test_date_ranges_hold_what_the_text_ranges_hold(node: DateRange, inside: list[str], outside: list[str]) -> None:
    low, high = date_bounds(node)
    assert all(low <= date_low(d) <= high for d in inside)
    assert not any(low <= date_low(d) <= high for d in outside)
    cover = set(date_cover(low, high))  # the same range as date tokens (date: inside OR and NOT)
    assert all(cover & set(date_tokens(date_low(d))) for d in inside)
    assert not any(cover & set(date_tokens(date_low(d))) for d in outside)


DATE_KEYS = [date_low(f"{y}-{m:02d}-{d:02d}"[: 4 if not m else 7 if not d else 10]) for y in (1999, 2000, 2020, 2021)
             for m in range(13) for d in (range(32) if m else [0])]


@pytest.mark.parametrize(("low", "high"), [(0, 20201203), (20200131, 20211201), (20201200, 20201299),
                                           (19991231, 99999999), (20000000, 20009999), (20210301, 20210301)])
def test_date_tokens_cover_exactly_the_keys_in_a_range(low: int, high: int) -> None:
    cover = set(date_cover(low, high))
    assert len(cover) <= 100
    assert [k for k in DATE_KEYS if cover & set(date_tokens(k))] == [k for k in DATE_KEYS if low <= k <= high]


def test_documents_stay_on_their_shard() -> None:
    """crc32 of the id: the same node in every process, Python version and machine."""
    assert [shard_of(d, 2) for d in ("S_PRST_2021_9", "A_75_345-S_2020_901", "S_2021_130")] == [0, 1, 1]
    assert [shard_of(d, 3) for d in ("S_PRST_2021_9", "A_75_345-S_2020_901", "S_2021_130")] == [1, 1, 1]
    assert shard_of("S_PRST_2021_9", 7) == 2324964094 % 7  # crc32, the value any implementation computes


@pytest.mark.parametrize(("value", "message"), [
    ("127.0.0.1", "'127.0.0.1' is not host:port"),
    ("127.0.0.1:9306,", "'' is not host:port"),
    ("localhost:http", "'localhost:http' is not host:port"),
    ("10.0.0.1:99999", "'10.0.0.1:99999' is not host:port"),
])
def test_a_bad_node_list_is_one_clear_message(value: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_nodes(value)
    assert message in str(info.value) and "UNDOCS_SPHINX_NODES" in str(info.value)


def test_symbols_cited_in_the_real_documents_are_whole_tokens_of_their_passages() -> None:
    from indexer.ingest.pipeline import ingest
    from indexer.language.normalize import normalize

    cited = [(p, ref) for path in sorted(REALDOCS.glob("zh_*.txt")) for p in ingest(path, REALDOCS).passages
             for ref in p.references]
    assert len(cited) >= 6
    assert [ref for p, ref in cited if encode(normalize(ref)) not in words(p.text)] == []


def test_filters_become_match_tokens_only_where_the_tokens_are_exact() -> None:
    """The facets' filters are MATCH() tokens (the page's only type:, whose token weighs the same in every
    passage); a token Sphinx would cut at 42 characters, or a speaker no passage names, stays a condition."""
    long_symbol = "A/HRC/RES/46/1"  # 45 characters encoded: Sphinx keeps 42, A/HRC/RES/46/12 would match too
    filters = [Field("type", "主席声明"), DateRange("2021", "2021"), Field("symbol", "S/PRST"),
               Field("symbol", long_symbol), Field("speaker", "秘书长")]
    def speakers(value: str) -> list[str]:
        return ["秘书长", "副秘书长"] if value == "秘书长" else []

    facets, page = split(filters, speakers, lambda n: True), split(filters, speakers, same_weight)
    assert facets is not None and page is not None
    assert facets.match == ["(@doctype 主席声明)", "(@each _zy2021_)", "(@(symbols,symprefixes) _53__2f__50__52__53__54_)",
                            "(@speakers (秘书长 | 副秘书长))"]
    assert facets.where == "symkeys = %s" and len(encode(long_symbol)) > 42
    assert page.match == ["(@doctype 主席声明)"] and page.where.startswith("datekeys BETWEEN %s AND %s AND symkeys = %s")
    assert split([Field("speaker", "无名氏")], speakers, lambda n: True) is None


def test_live_rows_are_plain_attribute_filters_where_the_retired_generations_are_known() -> None:
    """rows.live as filters: born by the generation, not retired by one of the generations ≤ it that
    retired rows still stored; unknown (too many): the expression."""
    assert Live.of(5, [4, 5]) == Live("", "born <= 5 AND dead NOT IN (4, 5)")
    assert Live.of(1, []) == Live("", "born <= 1")
    assert Live.of(3, None) == Live(", IF(born <= 3 AND (dead = 0 OR dead > 3), 1, 0) AS live", "live = 1")


@pytest.mark.parametrize("value", ["安全 全理 理事 事会", "it's", 'say "no"', "a\\b", "line\nbreak", "cr\rlf", "nul\0", "sub\x1a",
                                   "", "S/PRST/2021/9", 7, 2.5, None, (3, 1, 2)])
def test_row_values_are_escaped_as_pymysql_escapes_them(value: object) -> None:
    """The shortcut for strings with nothing to escape writes what pymysql writes."""
    want = "(3,1,2)" if isinstance(value, tuple) else str(pymysql.converters.escape_item(value, "utf8"))
    assert escape(value) == want
