"""The exact-substring scan: counts per passage, normalisation, Latin word edges, BM25 weights."""

from __future__ import annotations

from indexer.engine.substring import SubstringIndex

PASSAGES = [
    (0, "安全理事会强调，区域和次区域组织……区域和次区域组织"),
    (1, "安全理 事会(安理会)"),  # a PDF line join left a space inside the word
    (2, "The UN fund; COVID-19 大流行"),
    (3, "united nations; covid-190"),
    (7, "安全理事會"),  # traditional, docnums need not be dense
]


def test_counts_every_occurrence_per_passage() -> None:
    index = SubstringIndex(PASSAGES)
    assert index.find(index.needle("区域和次区域组织")) == {0: 2}


def test_spaces_inside_chinese_and_traditional_forms_are_ignored() -> None:
    index = SubstringIndex(PASSAGES)
    assert index.find(index.needle("安全理事会")) == {0: 1, 1: 1, 7: 1}
    assert index.find(index.needle("安全理事會")) == {0: 1, 1: 1, 7: 1}


def test_latin_needles_match_whole_words() -> None:
    index = SubstringIndex(PASSAGES)
    assert index.find(index.needle("UN")) == {2: 1}
    assert index.find(index.needle("COVID-19")) == {2: 1}
    assert index.find(index.needle("ＣＯＶＩＤ－１９ 大流行")) == {2: 1}


def test_a_match_never_spans_two_passages() -> None:
    index = SubstringIndex(PASSAGES)
    assert index.find(index.needle("区域和次区域组织安全")) == {}


def test_weights_favour_more_occurrences_in_shorter_passages() -> None:
    index = SubstringIndex(PASSAGES)
    weights = index.weights(index.find(index.needle("安全理事会")))
    assert set(weights) == {0, 1, 7}
    assert weights[7] > weights[0]
