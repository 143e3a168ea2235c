"""FastScorer gives every query the matches and scores Whoosh's own collector gives it.

Checked on the seed index and on an incrementally rebuilt copy (several segments, deletions), both
with the generation's weighting (livestats.LiveBM25F: live statistics, equal to Whoosh's stock
BM25F on a full build; test_livestats.py compares the rebuilt copy with a full build).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq

from indexer.engine import store
from indexer.engine.compile import Compiler, filter_query
from indexer.engine.fastscore import FastScorer, Match, field_lengths, ranked, top
from indexer.language.normalize import compact_text, normalize
from indexer.search.query import parse
from indexer.search.service import SearchService, split_filters
from tests.conftest import CORPUS, SEEDS, marked

QUERIES = [
    "安全理事会", "维持和平", "区域组织", "非洲联盟", '"区域和次区域组织"', "集体安全", "人道主义 援助",
    "妇女 和平 安全", "S/2021/130", "S/PRST/2021/9", "第2532(2020)号决议", "COVID-19", "秘书长 报告",
    "东南亚国家联盟 OR 欧洲联盟", "和平 NOT 冲突", "安理会", "阿拉伯国家联盟", "title:安全理事会", "NOT 和平",
    "安全 OR 冲突 OR 调解", "(和平 OR 安全) NOT (冲突 OR 选举)", "非盟", "安全 OR ref:S/PRST", "和平 OR type:主席声明",
]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds indexed, then one file changed and rebuilt incrementally."""
    from indexer.engine.build import build_index

    root = tmp_path_factory.mktemp("rebuilt")
    corpus, index = root / "corpus", root / "index"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, index, progress=False)
    letter = corpus / SEEDS["letter"]
    letter.write_text(letter.read_text(encoding="utf-8") + "\n\n安全理事会区域组织合作的新段落。\n", encoding="utf-8")
    build_index(corpus, index, progress=False)
    return index


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """As `rebuilt`, with every term's postings kept in the segments' arrays (postings.py), not
    only the long lists: scores read from the arrays, with deletions, against Whoosh's."""
    from indexer.engine import postings
    from indexer.engine.build import build_index

    root = tmp_path_factory.mktemp("kept")
    corpus, index = root / "corpus", root / "index"
    shutil.copytree(CORPUS, corpus)
    least, postings.MIN_POSTINGS = postings.MIN_POSTINGS, 1
    try:
        build_index(corpus, index, progress=False)
        letter = corpus / SEEDS["letter"]
        letter.write_text(letter.read_text(encoding="utf-8") + "\n\n安全理事会区域组织合作的新段落。\n", encoding="utf-8")
        build_index(corpus, index, progress=False)
    finally:
        postings.MIN_POSTINGS = least
    return index


@pytest.fixture(scope="module", params=["seed", "rebuilt", "kept"])
def engine(request: pytest.FixtureRequest, index_dir: Path, rebuilt: Path, kept: Path) -> Iterator[SearchService]:
    with SearchService({"seed": index_dir, "rebuilt": rebuilt, "kept": kept}[request.param]) as eng:
        yield eng


def test_every_term_is_kept_in_arrays_when_asked(kept: Path) -> None:
    """The `kept` index serves its terms from the arrays (the tests below then compare them)."""
    with SearchService(kept) as eng:
        gen = eng.backend._current()
        sizes = [len(p.terms) for p in gen.postings.values()]
        assert len(sizes) >= 2 and min(sizes) > 100
        assert all(("text", "安全") in p.terms for p in gen.postings.values())


def whoosh_scores(searcher: object, q: wq.Query, allow: set[int] | None = None) -> list[tuple[int, float]]:
    results = searcher.search(q, limit=None, filter=allow)  # type: ignore[attr-defined]
    return [(r.docnum, r.score) for r in results]


def compiled(engine: SearchService, text: str) -> wq.Query:
    gen = engine.backend._current()
    node, _ = split_filters(parse(text, 1000))
    q = Compiler(gen.expansions, gen.searcher, gen.substrings).compile(node).query
    assert q is not None, text
    return q


def same(fast: list[tuple[int, float]], slow: list[tuple[int, float]]) -> None:
    assert [d for d, _ in fast] == [d for d, _ in slow]
    assert all(abs(a - b) <= 1e-9 * max(1.0, abs(b)) for (_, a), (_, b) in zip(fast, slow, strict=True))


@pytest.mark.parametrize("text", QUERIES)
def test_matches_and_scores_equal_whoosh(engine: SearchService, text: str) -> None:
    gen = engine.backend._current()
    q = compiled(engine, text)
    found = FastScorer(gen.searcher, gen.postings).scores(q)
    slow = whoosh_scores(gen.searcher, q)
    assert slow, text  # every query here matches something in the seeds
    same(ranked(found, len(found)), slow)


def test_restricted_to_a_filter(engine: SearchService) -> None:
    gen = engine.backend._current()
    q = compiled(engine, "安全理事会")
    allow = set(gen.searcher.docs_for_query(filter_query(parse("type:主席声明", 100), gen.searcher)))
    found = FastScorer(gen.searcher, gen.postings).scores(q, allow)
    fast = ranked({d: s for d, s in found.items() if d in allow}, len(found))
    slow = whoosh_scores(gen.searcher, q, allow)
    assert 0 < len(slow) < len(FastScorer(gen.searcher, gen.postings).scores(q))  # the filter leaves some out
    same(fast, slow)


def test_a_page_of_the_ranking_is_a_slice_of_the_whole() -> None:
    found = {7: 1.0, 3: 2.0, 5: 1.0, 9: 0.5, 1: 2.0, 2: 0.1, 4: 0.2, 6: 0.3, 8: 0.4, 10: 0.05}
    assert ranked(found, 2) == [(1, 2.0), (3, 2.0)]
    assert ranked(found, 4) == [(1, 2.0), (3, 2.0), (5, 1.0), (7, 1.0)]
    assert [d for d, _ in ranked(found, 100)] == [1, 3, 5, 7, 9, 8, 6, 4, 2, 10]


def test_field_length_table_equals_whoosh(rebuilt: Path) -> None:
    ix = store.open_index(rebuilt)
    with ix.searcher() as searcher:
        readers = [sub.reader() for sub, _ in searcher.leaf_searchers()]
        assert len(readers) > 1  # the rebuilt copy has several segments
        for reader in readers:
            for name in ("text", "title", "heading"):
                table = field_lengths(reader, name)
                assert table == [reader.doc_field_length(d, name, 1) for d in range(reader.doc_count_all())]
                assert max(n or 0 for n in table) > 1


def test_substring_matches_are_remembered(engine: SearchService) -> None:
    substrings = engine.backend._current().substrings
    first = substrings.matches("区域组织")
    assert first == substrings.weights(substrings.find("区域组织"))
    assert len(first) > 5
    docnums, weights = substrings.match_arrays("区域组织")
    assert substrings.match_arrays("区域组织")[0] is docnums
    assert dict(zip(docnums.tolist(), weights.tolist(), strict=True)) == first
    assert docnums.tolist() == sorted(first)
    assert substrings.matches("区域和次区域组织") != first


def test_document_page_query_is_compiled_once(engine: SearchService) -> None:
    q = '东南亚国家联盟 "作用" NOT 冲突'
    first = marked(engine, "安全理事会强调东盟的作用。", q)
    compiled = engine.backend._current().marks[parse(q)]
    second = marked(engine, "东盟的作用与冲突", q)
    assert engine.backend._current().marks[parse(q)] is compiled
    assert first.count("<mark") == 2 and "东盟" in first
    assert "<mark" in second and "冲突" in second
    assert marked(engine, "作用", "((") == "作用"  # a bad query marks nothing


FILTERS = ["type:主席声明", "type:报告", "date:[2020 TO 2021]", "date:2020-09", "date:[2021-02 TO *]",
           "symbol:S/PRST", "ref:S/RES", "symbol:S/2021/130", "speaker:秘书长", "speaker:代表"]


@pytest.mark.parametrize("text", FILTERS)
def test_filter_docs_equal_whoosh(engine: SearchService, text: str) -> None:
    gen = engine.backend._current()
    node, filters = split_filters(parse(text, 1000))
    assert node is None and len(filters) == 1
    q = filter_query(filters[0], gen.searcher)
    expected = set(gen.searcher.docs_for_query(q))
    assert expected, text
    assert FastScorer(gen.searcher, gen.postings).matching_docs(q) == expected


def scanned(engine: SearchService, needle: str) -> dict[int, int]:
    """docnum -> occurrences by scanning every live passage's text (the previous design, as a reference):
    Latin letters/digits at an edge must not continue a word (overlapping matches count), else str.count."""
    searcher = engine.backend._current().searcher
    latin = re.compile(r"[0-9A-Za-z]")
    out = {}
    for sub, offset in searcher.leaf_searchers():
        for docnum, stored in sub.reader().iter_docs():
            text = compact_text(normalize(stored["text"]))
            if latin.match(needle[0]) or latin.match(needle[-1]):
                head = "(?<![0-9A-Za-z])" if latin.match(needle[0]) else ""
                tail = "(?![0-9A-Za-z])" if latin.match(needle[-1]) else ""
                count = len(re.findall(f"(?={head}{re.escape(needle)}{tail})", text))
            else:
                count = text.count(needle)
            if count:
                out[docnum + offset] = count
    return out


@pytest.mark.parametrize("needle", ["covid-19", "covid", "19", "2020", "2532(2020)", "1", "11", "e", "2019冠状病毒病",
                                    "区域和次区域组织", "安", "安全理事会", ",", "。", "宪章》第八章", "联合国宪章"])
def test_postings_find_what_a_scan_of_every_passage_finds(engine: SearchService, needle: str) -> None:
    substrings = engine.backend._current().substrings
    expected = scanned(engine, needle)
    assert expected, needle
    assert substrings.find(needle) == expected


def test_ranked_puts_preferred_docnums_first_among_equal_scores() -> None:
    found = {1: 2.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 0.5}
    assert ranked(found, 10) == [(1, 2.0), (2, 1.0), (3, 1.0), (4, 1.0), (5, 0.5)]
    assert ranked(found, 10, {4, 5}) == [(1, 2.0), (4, 1.0), (2, 1.0), (3, 1.0), (5, 0.5)]
    assert ranked(found, 1, {4, 5}) == [(1, 2.0)]  # a better score still wins
    assert ranked({d: 1.0 for d in range(100)}, 2, {50, 7}) == [(7, 1.0), (50, 1.0)]


def test_equal_scores_follow_the_passage_order_not_the_docnums() -> None:
    found = {10: 1.0, 11: 1.0, 12: 2.0, 13: 1.0}
    order = {10: 3, 11: 1, 12: 2, 13: 0}  # docnum -> place in (doc_id, ordinal) order
    assert ranked(found, 10, (), order) == [(12, 2.0), (13, 1.0), (11, 1.0), (10, 1.0)]
    assert ranked(found, 10, {10}, order) == [(12, 2.0), (10, 1.0), (13, 1.0), (11, 1.0)]


def test_top_ranks_as_ranked_does() -> None:
    """fastscore.top (numpy) gives what ranked (dicts) gives: scores, then preferred, then passage order."""
    rng = np.random.default_rng(7)
    scores = rng.choice([0.5, 1.0, 1.5, 2.0], size=200)
    found = rng.random(200) < 0.6
    match = Match(found, np.where(found, scores, 0.0))
    tie = rng.permutation(200).astype(np.int64)
    prefer = rng.random(200) < 0.3
    as_dict = match.as_dict()
    preferred = set(np.flatnonzero(prefer).tolist())
    for stop in (0, 1, 10, 57, 500):
        assert top(match, stop, tie) == ranked(as_dict, stop, (), dict(enumerate(tie.tolist())))
        assert top(match, stop, tie, prefer) == ranked(as_dict, stop, preferred, dict(enumerate(tie.tolist())))


def test_length_array_equals_the_length_table(rebuilt: Path) -> None:
    """The numpy decoding of the field-length bytes gives the table's lengths (0.0 for none)."""
    from indexer.engine.termscore import length_array

    ix = store.open_index(rebuilt)
    with ix.reader() as top_reader:
        for reader in getattr(top_reader, "readers", [top_reader]):
            for name in ("text", "title", "heading"):
                expected = [float(v or 0) for v in field_lengths(reader, name)]
                assert length_array(reader, name).tolist() == expected
    ix.close()


@pytest.mark.parametrize(("start", "end", "startexcl", "endexcl"), [
    ("2020", "2021~", False, False), ("2021-03", None, False, False), (None, "2020-12-31", False, True),
    ("2020-01-01", "2020-06-30", True, False), ("2030", None, False, False),
])
def test_date_ranges_expand_as_whoosh_expands_them(engine: SearchService, start: str | None, end: str | None,
                                                  startexcl: bool, endexcl: bool) -> None:
    """A range over the dates field is expanded from the kept term lists (postings.KEEP_ALL)."""
    gen = engine.backend._current()
    q = wq.TermRange("dates", start, end, startexcl=startexcl, endexcl=endexcl)
    expected = sorted(t.decode("utf-8") for _, t in q.expanded_terms(gen.searcher.reader()))
    assert gen.scorer.expanded(q) == expected
    assert gen.scorer.matching_docs(q) == set(gen.searcher.docs_for_query(q))
