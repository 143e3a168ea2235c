"""Relevance and behaviour of SearchService on the real index built from the seeds in corpus/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.errors import IndexMissingError, NotFoundError, QueryError
from indexer.models import Hit, SearchRequest, SearchResults
from indexer.search.service import SearchService, search
from tests.conftest import CORPUS, SEEDS, highlight, marked


@pytest.fixture(scope="module")
def engine(index_dir: Path) -> Iterator[SearchService]:
    with SearchService(index_dir) as eng:
        yield eng


def run(engine: SearchService, q: str, **kwargs: object) -> SearchResults:
    kwargs.setdefault("per_page", 1000)
    return engine.search(SearchRequest(q=q, **kwargs))  # type: ignore[arg-type]


def ids(results: SearchResults) -> list[str]:
    return [h.passage_id for h in results.hits]


def texts(results: SearchResults) -> list[str]:
    return [h.text for h in results.hits]


# --- words, phrases, operators ----------------------------------------------------------------


def test_plain_words_must_all_match(engine: SearchService) -> None:
    results = run(engine, "调解 斡旋")
    assert results.total >= 2
    assert all("调解" in t and "斡旋" in t for t in texts(results))
    assert any("通过对话、和解、协商、谈判、斡旋、调解和司法解决争端" in t for t in texts(results))


def test_words_standing_together_rank_first(engine: SearchService) -> None:
    results = run(engine, "建立信任 对话")
    assert any("必须持续促进建立信任和对话" in t for t in texts(results)[:3])


def test_quoted_phrase_is_an_exact_substring(engine: SearchService) -> None:
    results = run(engine, '"促进建立信任和对话"')
    assert results.total >= 2
    assert all("促进建立信任和对话" in t for t in texts(results))
    assert any("必须持续促进建立信任和对话，这是预防和解决冲突的一个重要组成部分" in t for t in texts(results))


@pytest.mark.parametrize("q", ["“促进建立信任和对话”", "「促进建立信任和对话」"])
def test_chinese_quotes_work_like_ascii_quotes(engine: SearchService, q: str) -> None:
    assert ids(run(engine, q)) == ids(run(engine, '"促进建立信任和对话"'))


def test_or_is_the_union(engine: SearchService) -> None:
    either = set(ids(run(engine, "斡旋 OR 难民署")))
    assert either == set(ids(run(engine, "斡旋"))) | set(ids(run(engine, "难民署")))
    assert len(either) >= 5


@pytest.mark.parametrize("q", ["东盟 NOT 灾害", "东盟 -灾害"])
def test_not_and_minus_exclude(engine: SearchService, q: str) -> None:
    results = run(engine, q)
    assert results.total >= 5
    assert not any("灾害" in t for t in texts(results))
    assert results.total < run(engine, "东盟").total


def test_parentheses_group(engine: SearchService) -> None:
    results = run(engine, "(东盟 OR 非盟) 灾害")
    assert results.total >= 1
    for t in texts(results):
        assert "灾害" in t
        assert any(w in t for w in ("东盟", "东南亚国家联盟", "非盟", "非洲联盟"))
    assert any("执行《东盟灾害管理与应急响应协议》" in t for t in texts(results))


def test_wildcard_stars_are_ignored(engine: SearchService) -> None:
    assert ids(run(engine, "东南亚国*")) == ids(run(engine, "东南亚国"))
    assert run(engine, "东南亚国").total >= 5


def test_unmatched_word_is_reported_and_left_out(engine: SearchService) -> None:
    results = run(engine, "xyzzy 东盟")
    assert results.unmatched == ["xyzzy"]
    assert ids(results) == ids(run(engine, "东盟"))


def test_unknown_symbol_is_reported(engine: SearchService) -> None:
    assert run(engine, "S/2020/9999").total == 0
    results = run(engine, "S/2020/9999 东盟")
    assert results.unmatched == ["S/2020/9999"]
    assert ids(results) == ids(run(engine, "东盟"))


def test_speaker_filter_is_exact_when_the_name_exists(engine: SearchService) -> None:
    results = run(engine, "", speaker="秘书长")
    assert results.total == results.facets["speaker"]["秘书长"] >= 1
    assert all("秘书长" in h.speakers for h in results.hits)
    assert run(engine, "speaker:秘书").total > results.total  # not a name: substring of names


def test_nothing_matches_gives_zero_hits(engine: SearchService) -> None:
    results = run(engine, '"月球基地"')
    assert results.total == 0
    assert results.unmatched == ["月球基地"]


# --- fields and filters -------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["type:主席声明 调解", "类型:presidential-statement 调解"])
def test_type_field(engine: SearchService, q: str) -> None:
    results = run(engine, q)
    assert results.total == 2
    assert {h.doc_type for h in results.hits} == {"主席声明"}
    assert all("调解" in t for t in texts(results))


def test_type_filter_in_the_request(engine: SearchService) -> None:
    results = run(engine, "研讨会", doc_type="letter")
    assert results.total >= 3
    assert {h.doc_id for h in results.hits} == {"S_2021_130"}
    assert results.facets["type"] == {"信函": results.total}


def test_symbol_field_prefix_finds_the_whole_series(engine: SearchService) -> None:
    results = run(engine, "symbol:S/2020 东盟")
    assert results.total >= 5
    assert {h.doc_id for h in results.hits} == {"A_75_345-S_2020_901"}
    assert run(engine, "symbol:s/prst/2021 信任").total == run(engine, "文号:S/PRST/2021/9 信任").total >= 3


def test_symbol_filter_in_the_request(engine: SearchService) -> None:
    results = run(engine, "信任", symbol="S/PRST/2021/9")
    assert {h.doc_id for h in results.hits} == {"S_PRST_2021_9"}


def test_ref_field_finds_citing_passages(engine: SearchService) -> None:
    results = run(engine, "ref:S/2020/372")
    assert ids(results) == ["S_PRST_2021_9-p1"]
    assert "<mark>S/2020/372</mark>" in highlight(results.hits[0])


def test_speaker_field(engine: SearchService) -> None:
    results = run(engine, "speaker:东盟秘书长")
    assert results.total >= 1
    assert all(any("东盟秘书长" in s for s in h.speakers) for h in results.hits)
    assert results.facets["speaker"]["东盟秘书长"] >= 1


def test_date_field_month(engine: SearchService) -> None:
    results = run(engine, "研讨会 date:2020-11")
    assert results.total >= 2
    for hit in results.hits:
        assert any(d.startswith("2020-11") for d in [*hit.dates, hit.doc_date or ""])
    assert any("于 2020 年 11" in t or "2020 年 11 月 12 日和 13 日" in t for t in texts(results))


def test_date_range_filter_matches_event_or_document_dates(engine: SearchService) -> None:
    results = run(engine, "合作", date_from="2020-01-01", date_to="2020-06-30")
    assert results.total >= 3
    for hit in results.hits:
        dates = [*hit.dates, hit.doc_date or ""]
        assert any("2020-01-01" <= d[:10] <= "2020-06-30" or d in ("2020-01", "2020-02", "2020-03", "2020-04",
                                                                  "2020-05", "2020-06") for d in dates)


def test_date_from_year(engine: SearchService) -> None:
    results = run(engine, "安全理事会 date:>=2021")
    assert results.total >= 5
    for hit in results.hits:
        assert any(d >= "2021" for d in [*hit.dates, hit.doc_date or ""])
    assert results.facets["year"]["2021"] >= 5


def test_title_field_matches_document_title_or_heading(engine: SearchService) -> None:
    results = run(engine, "title:东南亚国家联盟")
    assert results.total >= 5
    assert all("东南亚国家联盟" in h.title or "东南亚国家联盟" in h.heading for h in results.hits)
    assert {h.doc_id for h in run(engine, "标题:芬兰常驻联合国代表 研讨会").hits} == {"S_2021_130"}


def test_filters_alone_list_passages(engine: SearchService) -> None:
    results = run(engine, "", doc_type="主席声明")
    assert results.total == len([h for h in run(engine, "type:主席声明").hits])
    assert results.total >= 10


# --- symbols and references ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("S/PRST/2021/9", "S_PRST_2021_9-p0"),
        ("s/prst/2021/9", "S_PRST_2021_9-p0"),
        ("S/2021/130", "S_2021_130-p0"),
        ("A/75/345", "A_75_345-S_2020_901-p0"),
        ("s/2020/901", "A_75_345-S_2020_901-p0"),
    ],
)
def test_symbol_query_returns_document_first(engine: SearchService, q: str, first: str) -> None:
    assert ids(run(engine, q))[0] == first


@pytest.mark.parametrize("q", ["第 2532(2020)号决议", "2532(2020)号决议", "S/RES/2532(2020)", "s/res/2532 (2020)"])
def test_resolution_reference_finds_citing_passages(engine: SearchService, q: str) -> None:
    results = run(engine, q)
    assert any("第 2532(2020)号决议中强化了我的停火呼吁" in t for t in texts(results))
    assert set(ids(results)) == set(ids(run(engine, "S/RES/2532(2020)")))
    assert all("2532(2020)" in t for t in texts(results))


# --- abbreviations, traditional characters, line breaks ------------------------------------------


def test_abbreviation_finds_full_name(engine: SearchService) -> None:
    results = run(engine, "东盟")
    assert results.expansions == {"东盟": ["东南亚国家联盟"]}
    expanded_only = [h for h in results.hits if "东盟" not in h.text and "东南亚国家联盟" in h.text]
    assert expanded_only
    assert all("<mark>东南亚国家联盟</mark>" in highlight(h) for h in expanded_only)


def test_full_name_finds_abbreviation(engine: SearchService) -> None:
    results = run(engine, "东南亚国家联盟")
    assert "东盟" in results.expansions["东南亚国家联盟"]
    assert any("联合国减少灾害风险办公室一直在与东盟密切合作" in t for t in texts(results))


def test_mined_abbreviation_both_ways(engine: SearchService) -> None:
    short = set(ids(run(engine, "中非稳定团")))
    full = set(ids(run(engine, "联合国中非共和国多层次综合稳定团")))
    assert short == full
    assert any("国际刑警组织和中非稳定团合作" in t for t in texts(run(engine, "联合国中非共和国多层次综合稳定团")))


@pytest.mark.parametrize(("q", "typed"), [("东盟", "东盟"), ("维和", "维和"), ("安理会", "安理会"), ("东南亚国家联盟", "东南亚国家联盟")])
def test_typed_form_ranks_above_its_expansion(engine: SearchService, q: str, typed: str) -> None:
    results = run(engine, q)
    has_typed = [typed in h.text or typed in h.heading for h in results.hits]
    assert True in has_typed and False in has_typed
    assert has_typed == sorted(has_typed, reverse=True)


def test_traditional_characters_find_simplified_text(engine: SearchService) -> None:
    results = run(engine, "安全理事會主席聲明")
    assert results.hits[0].passage_id == "S_PRST_2021_9-p0"
    assert ids(run(engine, "東南亞國家聯盟")) == ids(run(engine, "东南亚国家联盟"))


def test_word_split_across_a_line_break_in_the_source(engine: SearchService) -> None:
    # S_PRST_2021_9.txt breaks "区域" over two lines: "联合国与区" / "域和次区域组织根据"
    assert "联合国与区\n" in (CORPUS / SEEDS["prst"]).read_text(encoding="utf-8")
    results = run(engine, "联合国与区域和次区域组织根据")
    assert results.hits[0].doc_id == "S_PRST_2021_9"
    assert "<mark>联合国与区域和次区域组织根据</mark>" in highlight(results.hits[0])


# --- ranking order, paging, facets -----------------------------------------------------------


def _sort_date(hit: Hit) -> str:
    return hit.doc_date or min(hit.dates, default="")


def test_sort_by_date_ascending_and_descending(engine: SearchService) -> None:
    asc = [_sort_date(h) for h in run(engine, "合作", sort="date").hits if _sort_date(h)]
    desc = [_sort_date(h) for h in run(engine, "合作", sort="-date").hits if _sort_date(h)]
    assert asc == sorted(asc) and len(set(asc)) >= 3
    assert desc == sorted(desc, reverse=True)


def test_pages(engine: SearchService) -> None:
    all_ids = ids(run(engine, "合作", per_page=10))
    second = engine.search(SearchRequest(q="合作", page=2, per_page=5))
    assert ids(second) == all_ids[5:10]
    assert second.page == 2 and second.per_page == 5


def test_facets_count_the_whole_result_set(engine: SearchService) -> None:
    results = run(engine, "东盟")
    assert sum(results.facets["type"].values()) == results.total
    expected: dict[str, int] = {}
    for hit in results.hits:
        expected[hit.doc_type] = expected.get(hit.doc_type, 0) + 1
    assert results.facets["type"] == expected
    assert set(results.facets) == {"type", "year", "speaker", "charter"}


@pytest.mark.parametrize("q", ["合作", "安全理事会", "东盟"])
def test_facet_counts_equal_what_a_click_on_them_returns(engine: SearchService, q: str) -> None:
    results = run(engine, q)
    for year, count in results.facets["year"].items():
        assert run(engine, q, date_from=year, date_to=year).total == count
    for doc_type, count in results.facets["type"].items():
        assert run(engine, q, doc_type=doc_type).total == count
    for speaker, count in list(results.facets["speaker"].items())[:5]:
        assert run(engine, q, speaker=speaker).total == count


def test_hit_carries_everything_to_render(engine: SearchService) -> None:
    hit = run(engine, "ref:S/2020/372").hits[0]
    assert hit.symbols == ["S/PRST/2021/9"]
    assert hit.doc_type == "主席声明"
    assert hit.doc_date == "2021-04-19"
    assert hit.url == "/doc/S_PRST_2021_9#p1"
    assert hit.text.startswith("2021 年 4 月 19 日，依照因 2019 冠状病毒病大流行")


# --- documents, citations, errors ------------------------------------------------------------


def test_get_document_rebuilds_the_document_from_the_index(engine: SearchService, seed_docs: dict) -> None:
    doc = engine.get_document("S_PRST_2021_9")
    seed = seed_docs["prst"]
    assert doc.symbols == ("S/PRST/2021/9",)
    assert doc.doc_type == "主席声明"
    assert doc.title == seed.title
    assert [p.text for p in doc.passages] == [p.text for p in seed.passages]
    assert [p.ordinal for p in doc.passages] == list(range(len(seed.passages)))
    assert doc.passages[1].references == ("S/2020/372",)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_get_document_keeps_every_passage_field(engine: SearchService, seed_docs: dict, name: str) -> None:
    seed = seed_docs[name]
    doc = engine.get_document(seed.doc_id)
    assert (doc.symbols, doc.title, doc.doc_type, doc.doc_date, doc.abbreviations) == (
        seed.symbols, seed.title, seed.doc_type, seed.doc_date, seed.abbreviations
    )
    assert doc.passages == seed.passages


def test_footnotes_come_back_with_their_passage(engine: SearchService) -> None:
    doc = engine.get_document("repertoire-2020-part1-sec36-regional-cooperation")
    notes = {f.marker: f.text for p in doc.passages for f in p.footnotes}
    assert notes["957"] == "关于会议形式的更多信息，见第二部分，第二节。"


def test_concurrent_searches_agree_with_serial_ones(engine: SearchService) -> None:
    from concurrent.futures import ThreadPoolExecutor

    queries = ["东盟", '"区域和次区域组织"', "S/PRST/2021/9", "安理会 维持和平", "type:letter 研讨会", "合作"] * 4
    serial = [ids(run(engine, q)) for q in queries]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(lambda q: ids(run(engine, q)), queries))
    assert parallel == serial


def test_unknown_document_is_not_found(engine: SearchService) -> None:
    with pytest.raises(NotFoundError):
        engine.get_document("no-such-doc")


def test_symbol_map_links_symbols_to_documents(engine: SearchService) -> None:
    mapping = engine.symbol_map()
    assert mapping["S/PRST/2021/9"] == "S_PRST_2021_9"
    assert mapping["A/75/345"] == mapping["S/2020/901"] == "A_75_345-S_2020_901"


def test_highlight_passage_marks_the_whole_text(engine: SearchService) -> None:
    html = marked(engine, "安全理事会<script>强调东盟的作用。", '东南亚国家联盟 "作用"')
    assert html == "安全理事会&lt;script&gt;强调<mark>东盟</mark>的<mark>作用</mark>。"


@pytest.mark.parametrize("q", ["", "   "])
def test_empty_query_without_filters_is_an_error(engine: SearchService, q: str) -> None:
    with pytest.raises(QueryError, match="empty query"):
        engine.search(SearchRequest(q=q))


def test_missing_index_says_run_build(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="undocs build"):
        search(tmp_path, SearchRequest(q="东盟"))


# --- a small corpus of our own: citations, escaping, reopening -------------------------------------


CITING = """联合国

安全理事会

2021 年 5 月 3 日某国常驻联合国代表给安全理事会主席的信

安全理事会在 S/PRST/2021/9 号主席声明中强调区域和次区域组织的作用。

附件中的<script>alert(1)</script>一段文字。
"""


@pytest.fixture
def small_index(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / SEEDS["prst"], corpus / SEEDS["prst"])
    (corpus / "citing.txt").write_text(CITING, encoding="utf-8")
    from indexer.engine.build import build_index

    index = tmp_path / "index"
    assert build_index(corpus, index, progress=False).failed == []
    return corpus, index


def test_cited_by_lists_passages_of_other_documents(small_index: tuple[Path, Path]) -> None:
    _corpus, index = small_index
    with SearchService(index) as engine:
        cited = engine.cited_by("S_PRST_2021_9")
        results = engine.search(SearchRequest(q="S/PRST/2021/9"))
    assert [h.doc_id for h in cited] == ["citing"]
    assert "<mark>S/PRST/2021/9</mark>" in highlight(cited[0])
    assert [h.passage_id for h in results.hits][:2] == ["S_PRST_2021_9-p0", cited[0].passage_id]


def test_script_in_a_passage_comes_back_escaped(small_index: tuple[Path, Path]) -> None:
    _corpus, index = small_index
    with SearchService(index) as engine:
        hit = engine.search(SearchRequest(q="alert")).hits[0]
    assert "<script>" not in highlight(hit)
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in highlight(hit)
    assert "<script>alert(1)</script>" in hit.text


def test_engine_reopens_when_a_new_generation_goes_live(small_index: tuple[Path, Path]) -> None:
    corpus, index = small_index
    from indexer.engine.build import build_index

    with SearchService(index) as engine:
        assert engine.search(SearchRequest(q="火星基地")).total == 0
        (corpus / "later.txt").write_text("联合国\n\n关于火星基地的说明\n\n火星基地的合作。\n", encoding="utf-8")
        build_index(corpus, index, progress=False)
        assert engine.search(SearchRequest(q="火星基地")).total >= 1
        # the incremental build adds a segment: substring hits must map to the right one
        assert [h.doc_id for h in engine.search(SearchRequest(q='"火星基地的合作"')).hits] == ["later"]
        assert {h.doc_id for h in engine.search(SearchRequest(q='"促进建立信任和对话"')).hits} == {"S_PRST_2021_9"}


# --- QA regressions: own event dates rank first, GA resolution references, nothing to search for ------


REP36 = "repertoire-2020-part1-sec36-regional-cooperation"
REP35 = "repertoire-2020-part1-sec35-maintenance-of-peace"


def test_date_filter_ranks_passages_dated_in_the_range_before_document_date_matches(engine: SearchService) -> None:
    results = run(engine, "date:2020-12")
    assert results.total == 94  # the filter still matches by the document's date too (Repertoire: 2020-12-31)
    own = [h for h in results.hits if any(d.startswith("2020-12") for d in h.dates)]
    assert ids(results)[: len(own)] == [h.passage_id for h in own]  # every own-dated hit before the rest
    assert f"{REP36}-p0" in ids(results)  # the table header "视频会议日期 | 视频会议记录 | …" has no date of its own
    assert ids(results).index(f"{REP36}-p0") >= len(own)
    # equal scores (a filter alone) rank in (document, paragraph) order, whatever the build's worker timing
    assert ids(results)[:3] == ["A_75_345-S_2020_901-p77", f"{REP35}-p2", f"{REP35}-p28"]
    own_texts = [h.text for h in own]
    assert any(t.startswith("12 月 4 日，安理会成员就此项目举行高级别公开视频会议") for t in own_texts)


def test_own_dates_break_ties_under_a_date_filter(engine: SearchService) -> None:
    results = run(engine, "安理会 date:2020-12")
    by_score: dict[float, list[Hit]] = {}
    for hit in results.hits:
        by_score.setdefault(hit.score, []).append(hit)
    for hits in by_score.values():
        own = [any(d.startswith("2020-12") for d in h.dates) for h in hits]
        assert own == sorted(own, reverse=True)


@pytest.mark.parametrize(("q", "marked"), [
    ("第 58/316 号决议", "本合并报告根据大会<mark>第 58/316 号决议</mark>附件第 4(l)段编写"),
    ("A/RES/58/316", "本合并报告根据大会<mark>第 58/316 号决议</mark>附件第 4(l)段编写"),
    ("大会第58/316号决议", "本合并报告根据<mark>大会第 58/316 号决议</mark>附件第 4(l)段编写，是对<mark>大会</mark>关于"),
])
def test_general_assembly_resolution_reference_is_a_symbol(engine: SearchService, q: str, marked: str) -> None:
    results = run(engine, q)
    assert results.unmatched == []
    assert ids(results) == ["A_75_345-S_2020_901-p7", "A_75_345-S_2020_901-p14"]
    assert texts(results)[0].startswith("本合并报告根据大会第 58/316 号决议附件第 4(l)段编写")
    assert texts(results)[1].startswith("4. 本合并报告根据大会第 58/316 号决议附件第 4(I)段编写")
    assert highlight(results.hits[0]).startswith(marked)  # not the 第 of "附件第 4(l)段"
    assert "附件<mark>" not in highlight(results.hits[1])


def test_general_assembly_reference_marks_the_document_page(engine: SearchService) -> None:
    text = run(engine, "第 58/316 号决议").hits[0].text
    html = marked(engine, text, "第 58/316 号决议")
    assert html.count("<mark>") == 1
    assert "大会<mark>第 58/316 号决议</mark>附件第 4(l)段" in html


@pytest.mark.parametrize("q", ["ref:xyz", "symbol:xyz", "引用:abc 东盟"])
def test_a_field_value_that_cannot_be_a_symbol_says_what_a_symbol_looks_like(engine: SearchService, q: str) -> None:
    with pytest.raises(QueryError) as err:
        run(engine, q)
    assert "需要文号，如 S/2020/1179" in str(err.value)
    assert "needs a document symbol such as S/2020/1179" in str(err.value)


def test_a_symbol_prefix_is_still_a_valid_field_value(engine: SearchService) -> None:
    results = run(engine, "ref:S/PV")
    assert results.total == 9
    assert any("会议记录和日期：S/PV.8711 2020 年 1 月 30 日" in t for t in texts(results))


@pytest.mark.parametrize("q", ["*", "NOT *", "* ?", "。", "(*)"])
def test_only_punctuation_or_wildcards_is_nothing_to_search_for(engine: SearchService, q: str) -> None:
    with pytest.raises(QueryError) as err:
        run(engine, q)
    assert str(err.value).startswith("没有可检索的词")
    assert "nothing to search for" in str(err.value)


def test_a_lone_wildcard_with_a_filter_means_everything_the_filter_passes(engine: SearchService) -> None:
    assert ids(run(engine, "* date:2020-12")) == ids(run(engine, "date:2020-12"))
    assert ids(run(engine, "*", doc_type="主席声明")) == ids(run(engine, "", doc_type="主席声明"))
    assert ids(run(engine, "东盟 *")) == ids(run(engine, "东盟"))
