"""Normalisation and the Chinese tokenizer, to Whoosh's tokenizer contract."""

from __future__ import annotations

import pytest

from indexer.language.normalize import compact, normalize, normalize_with_offsets, segment


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("安全理事會", "安全理事会"),  # traditional -> simplified
        ("ＣＯＶＩＤ－１９", "covid-19"),  # full-width -> half-width, Latin lower-cased
        ("第２５３２（２０２０）号决议", "第2532(2020)号决议"),
        ("聯合國難民事務高級專員公署", "联合国难民事务高级专员公署"),
        ("a\x00b\u200bc", "a b c"),  # control and format characters become spaces
        ("……", "……"),  # kept: NFKC would make it six dots and move every offset after it
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_offsets_map_back_when_nfkc_changes_the_length() -> None:
    text = "见㈠安理會"  # ㈠ -> "(一)": three characters from one
    norm, starts, ends = normalize_with_offsets(text)
    assert norm == "见(一)安理会"
    at = norm.index("安理会")
    assert text[starts[at] : ends[at + 2]] == "安理會"


def test_compact_drops_spaces_inside_chinese_but_not_between_latin_words() -> None:
    text, keep = compact("安全理 事会  united  nations")
    assert text == "安全理事会united nations"
    assert keep[3] == 4  # "事" came from index 4 of the original


def test_symbols_and_latin_runs_stay_whole() -> None:
    words = [w for w, _, _ in segment(normalize("安全理事会回顾S/2020/751和COVID-19疫情"))]
    assert "s/2020/751" in words
    assert "covid-19" in words
    assert words[0] == "安全理事会"


def test_resolution_reference_becomes_its_symbol() -> None:
    words = [w for w, _, _ in segment(normalize("第 2532(2020)号决议"))]
    assert "s/res/2532(2020)" in words


@pytest.mark.parametrize("term", ["安全理事会", "东南亚国家联盟", "维持和平", "联合国难民事务高级专员公署", "区域和次区域组织"])
def test_user_dictionary_keeps_un_terms_whole(term: str) -> None:
    words = [w for w, _, _ in segment(normalize(f"我们支持{term}的工作"))]
    assert term in words


