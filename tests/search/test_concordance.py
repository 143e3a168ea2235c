"""Concordance over the real seed index: every occurrence, aligned, sorted, paged, counted per year/type."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.errors import QueryError
from indexer.language.normalize import compact_text, normalize
from indexer.models import Document, SearchRequest
from indexer.search.concordance import Concordancer, concordance, csv_text
from indexer.search.service import SearchService

PHRASE = "区域和次区域组织"


@pytest.fixture(scope="module")
def service(index_dir: Path) -> Iterator[SearchService]:
    with SearchService(index_dir) as engine:
        yield engine


def occurrences(docs: dict[str, Document], needle: str) -> dict[str, int]:
    """Occurrences per document, counted in the ingested passage texts (not through the index)."""
    counts = {d.doc_id: sum(p.text.count(needle) for p in d.passages) for d in docs.values()}
    return {k: v for k, v in counts.items() if v}


def test_every_occurrence_of_a_phrase_is_a_line(service: SearchService, seed_docs: dict[str, Document]) -> None:
    found = concordance(service, SearchRequest(q=f'"{PHRASE}"', per_page=1000))
    expected = occurrences(seed_docs, PHRASE)
    assert found.total == sum(expected.values()) == len(found.lines)
    per_doc: dict[str, int] = {}
    for line in found.lines:
        per_doc[line.doc_id] = per_doc.get(line.doc_id, 0) + 1
    assert per_doc == expected
    assert {line.match for line in found.lines} == {PHRASE}


def test_lines_hold_the_context_either_side_of_the_match(service: SearchService, seed_docs: dict[str, Document]) -> None:
    found = concordance(service, SearchRequest(q=f'"{PHRASE}"', per_page=1000), width=8)
    texts = {p.passage_id: p.text for d in seed_docs.values() for p in d.passages}
    for line in found.lines:
        text = texts[line.passage_id]
        assert text[line.start : line.start + len(PHRASE)] == PHRASE
        assert len(line.left) <= 8 and len(line.right) <= 8
        assert " ".join(text[max(0, line.start - 8) : line.start].split()) in (line.left, line.left.strip())
        assert line.url == f"/doc/{line.doc_id}#p{line.passage_id.rsplit('-p', 1)[1]}"


def test_the_report_paragraph_108_line_names_document_paragraph_and_date(service: SearchService) -> None:
    found = concordance(service, SearchRequest(q='"联合国宪章》第八章"', per_page=100), width=10)
    line = next(ln for ln in found.lines if ln.doc_id == "A_75_345-S_2020_901")
    assert (line.paragraph, line.date, line.symbols) == ("108", "2020-09-11", ("A/75/345", "S/2020/901"))
    assert line.left == "时刻，在联合国庆祝成立七十五周年之际，根据《"[-10:]
    assert line.match == "联合国宪章》第八章"
    assert line.right.startswith("扩大联合国与区域组织")


@pytest.mark.parametrize("sort", ["left", "right", "date", "doc"])
def test_sorts(service: SearchService, sort: str) -> None:
    """Context sorts compare the comparison form (normalised, compacted: ，and , alike), as search matches."""
    lines = concordance(service, SearchRequest(q=f'"{PHRASE}"', per_page=1000), sort=sort).lines
    keys = {
        "left": [compact_text(normalize(ln.left))[::-1][:3] for ln in lines],
        "right": [compact_text(normalize(ln.right))[:3] for ln in lines],
        "date": [ln.date or "9999" for ln in lines],
        "doc": [ln.doc_id for ln in lines],
    }[sort]
    assert keys == sorted(keys)
    assert len(set(keys)) > 1


@pytest.mark.parametrize("q", ["区域组织", '"区域和次区域组织"', "安理会", "宪章 OR 和平", "COVID"])
@pytest.mark.parametrize("sort", ["left", "right"])
def test_context_pages_follow_the_keys_of_every_line(service: SearchService, q: str, sort: str) -> None:
    """The slow way (every passage read, every line keyed and sorted) and the pages of the concordance
    (Backend.context_order, one page's passages read) give the same lines in the same order."""
    from indexer.engine.contexts import keyed_order
    from indexer.search.concordance import plan_for

    plan = plan_for(service, SearchRequest(q=q))
    hits = service.backend.hits_for(plan, [o.passage_id for o in service.backend.occurrences(plan).passages])
    expected = keyed_order(hits, sort, 20)
    kwic = Concordancer(service)
    pages = [kwic.concordance(SearchRequest(q=q, page=n, per_page=9), sort=sort, width=20).lines
             for n in range(1, len(expected) // 9 + 3)]
    got = [line for page in pages for line in page]
    by_id = {h.passage_id: h for h in hits}
    assert [(ln.passage_id, ln.start) for ln in got] == [
        (pid, [s for s in by_id[pid].spans if s.end > s.start][n].start) for pid, n in expected]
    assert len(got) > 9 and pages[-1] == ()


def test_pages_cut_the_sorted_lines(service: SearchService) -> None:
    kwic = Concordancer(service)
    everything = kwic.concordance(SearchRequest(q=f'"{PHRASE}"', per_page=1000), sort="right").lines
    second = kwic.concordance(SearchRequest(q=f'"{PHRASE}"', page=2, per_page=7), sort="right")
    assert second.lines == everything[7:14]
    assert (second.page, second.per_page, second.total) == (2, 7, len(everything))


def test_usage_per_year_and_type_counts_occurrences_and_documents(service: SearchService) -> None:
    found = concordance(service, SearchRequest(q=f'"{PHRASE}"', per_page=1))
    years: dict[str, int] = {}
    for line in concordance(service, SearchRequest(q=f'"{PHRASE}"', per_page=1000)).lines:
        years[line.date[:4]] = years.get(line.date[:4], 0) + 1  # type: ignore[index]
    assert found.usage.by_year == years
    assert sum(found.usage.by_type.values()) == found.total
    assert found.usage.docs_by_type["主席声明"] == 1
    assert sum(found.usage.docs_by_year.values()) >= found.documents


def test_filters_apply(service: SearchService) -> None:
    found = concordance(service, SearchRequest(q=f'"{PHRASE}"', doc_type="主席声明", per_page=1000))
    assert found.total > 0
    assert {ln.doc_id for ln in found.lines} == {"S_PRST_2021_9"}


def test_charter_field_narrows_a_concordance(service: SearchService) -> None:
    found = concordance(service, SearchRequest(q="宪章 charter:VIII", per_page=1000))
    assert found.total > 0
    assert all(ln.match == "宪章" for ln in found.lines)
    assert {ln.passage_id for ln in found.lines} <= {
        h.passage_id for h in service.search(SearchRequest(q="charter:VIII", per_page=100)).hits}


@pytest.mark.parametrize(("q", "kwargs", "message"), [
    ("type:决议", {}, "a concordance needs a word"),
    ("charter:VII", {}, "a concordance needs a word"),
    ("-安理会", {}, "a query of only NOT"),
    ("安理会", {"sort": "relevance"}, "unknown sort"),
    ("安理会", {"width": 2}, "width must be 5–200"),
    ("安理会", {"width": 500}, "width must be 5–200"),
    ('"安理会', {}, "unbalanced quote"),
])
def test_bad_requests_say_what_to_change(service: SearchService, q: str, kwargs: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        concordance(service, SearchRequest(q=q), **kwargs)


def test_csv_has_a_bom_and_one_row_per_occurrence(service: SearchService) -> None:
    found = concordance(service, SearchRequest(q=f'"{PHRASE}"', per_page=1000))
    text = csv_text(found, "http://127.0.0.1:5000")
    rows = text.split("\r\n")
    assert text.startswith("\ufeffdoc_id,symbols,paragraph,date,doc_type,left,match,right,url\r\n")
    assert len([r for r in rows[1:] if r]) == found.total
    assert f",{PHRASE},".replace(",", "") in rows[1] and "http://127.0.0.1:5000/doc/" in rows[1]


def test_charter_search_and_facet(service: SearchService) -> None:
    chapter = service.search(SearchRequest(q="charter:VIII", per_page=100))
    assert chapter.total == service.search(SearchRequest(q="宪章:第八章", per_page=100)).total >= 3
    assert all("VIII" in h.charter for h in chapter.hits)
    assert {"A_75_345-S_2020_901", "S_PRST_2021_9"} <= {h.doc_id for h in chapter.hits}
    facets = service.search(SearchRequest(q="宪章", per_page=1)).facets["charter"]
    assert list(facets) == ["VI", "VII", "VIII", "99"]
    assert facets["VIII"] == chapter.total


def test_a_bad_charter_value_is_a_query_error(service: SearchService) -> None:
    with pytest.raises(QueryError, match="not a UN Charter chapter or article"):
        service.search(SearchRequest(q="charter:XXV"))


@pytest.mark.parametrize(("q", "value"), [
    ("charter:2(7)", "2(7)"), ("宪章:第2条第7款", "2(7)"), ("宪章：第三十九条", "39"), ("charter:viii", "VIII"),
])
def test_charter_field_in_the_query_language(q: str, value: str) -> None:
    from indexer.engine.querytree import Field
    from indexer.search.query import parse

    assert parse(q) == Field("charter", value)


def test_a_cited_symbol_alone_lines_up_its_citations(service: SearchService, seed_docs: dict[str, Document]) -> None:
    found = concordance(service, SearchRequest(q="ref:S/RES/2532(2020)", per_page=100))
    citing = {d.doc_id for d in seed_docs.values() for p in d.passages if "S/RES/2532(2020)" in p.references}
    assert {ln.match for ln in found.lines} == {"第 2532(2020)号决议"}
    assert {ln.doc_id for ln in found.lines} == citing
    assert found.total == sum(p.text.count("2532(2020)") for d in seed_docs.values() for p in d.passages)


@pytest.mark.parametrize("sort", ["date", "doc", "left"])
def test_small_pages_are_slices_of_the_whole_concordance(service: SearchService, sort: str) -> None:
    """A page is cut from the passages its lines fall in: pages of 7 join up to the one-page list."""
    whole = concordance(service, SearchRequest(q="区域组织", per_page=1000), sort=sort)
    kwic = Concordancer(service)
    pages = [kwic.concordance(SearchRequest(q="区域组织", page=n, per_page=7), sort=sort)
             for n in range(1, whole.total // 7 + 3)]
    assert whole.total > 20 and len(whole.lines) == whole.total
    assert [line for page in pages for line in page.lines] == list(whole.lines)
    assert pages[-1].lines == () and {p.total for p in pages} == {whole.total}
    assert sum(whole.usage.by_year.values()) + whole.usage.undated == whole.total == sum(whole.usage.by_type.values())


REBUILD_NOTE = """大会

秘书长的说明

1. 秘书长谨转递关于加强联合国与区域和次区域组织合作的报告。

2. 各会员国欢迎区域和次区域组织在预防冲突方面的作用。
"""


def test_a_rebuild_is_never_answered_from_the_old_lines(tmp_path: Path) -> None:
    """The concordancer keeps lines per state of the index: after a real rebuild the same instance
    (well within its two minutes) lines up the new document, in every sort."""
    import shutil

    from indexer.config import Config
    from indexer.engine import open_backend
    from indexer.engine.contexts import keyed_order
    from indexer.search.concordance import DEFAULT_WIDTH, plan_for
    from tests.conftest import CORPUS

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    backend = open_backend(Config(backend="embedded"), tmp_path / "index")
    assert backend.build(corpus, full=True, workers=1).failed == []
    kwic = Concordancer(SearchService(backend=backend))
    request = SearchRequest(q=f'"{PHRASE}"', per_page=1000)
    before = {sort: kwic.concordance(request, sort=sort) for sort in ("date", "left", "right")}
    before_letter = sum(1 for ln in before["date"].lines if ln.doc_id == "S_2021_130")
    assert before_letter > 0
    (corpus / "A_78_998.txt").write_text(REBUILD_NOTE, encoding="utf-8")
    assert backend.build(corpus, workers=1).failed == []
    for sort, old in before.items():
        new = kwic.concordance(request, sort=sort)
        assert new.total == len(new.lines) == old.total + 2
        assert [ln.left[-6:] for ln in new.lines if ln.doc_id == "A_78_998"] in (["加强联合国与", "各会员国欢迎"],
                                                                                  ["各会员国欢迎", "加强联合国与"])
        assert {ln.passage_id for ln in old.lines} < {ln.passage_id for ln in new.lines}
    letter = corpus / "S_2021_130.txt"  # changed: its old passages stay in their segment, deleted
    letter.write_text(letter.read_text(encoding="utf-8").replace("次区域", "其他区域"), encoding="utf-8")
    assert backend.build(corpus, workers=1).failed == []
    plan = plan_for(kwic.service, request)
    hits = backend.hits_for(plan, [o.passage_id for o in backend.occurrences(plan).passages])
    for sort in ("left", "right"):
        lines = kwic.concordance(request, sort=sort).lines
        assert [(ln.passage_id, ln.start) for ln in lines] == [
            (pid, [s for s in by.spans if s.end > s.start][n].start)
            for pid, n in keyed_order(hits, sort, DEFAULT_WIDTH) for by in hits if by.passage_id == pid]
        assert "S_2021_130" not in {ln.doc_id for ln in lines} and len(lines) == old.total + 2 - before_letter
    backend.close()
