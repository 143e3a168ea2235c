"""Symbols: found in running text, links and resolution references, in one canonical spelling."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.language.symbols import find_symbols, normalize_symbol, scan_symbols, symbol_from_url, unique_symbols


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        ("A/73/328–S/2018/592", ["A/73/328", "S/2018/592"]),
        ("上一次报告(A/73/328-S/2018/592)以来", ["A/73/328", "S/2018/592"]),
        ("通过了关于 COVID-19 的第 2532(2020)号决议", ["S/RES/2532(2020)"]),
        ("972 S/PRST/2020/11，第六、十五段。", ["S/PRST/2020/11"]),
        ("https://undocs.org/ch/S/RES/2553(2020)", ["S/RES/2553(2020)"]),
        ("960 见 S/PV.8711。", ["S/PV.8711"]),
        ("加快执行第 2250(2015)和 2419(2018)号决议", ["S/RES/2250(2015)", "S/RES/2419(2018)"]),
        ("第 2250(2015)号和第 2419(2018)号决议的执行情况", ["S/RES/2250(2015)", "S/RES/2419(2018)"]),
        ("根据大会第 58/316 号决议附件", ["A/RES/58/316"]),
        ("安全理事会第 [1809\\(2008\\)](#)号决议", ["S/RES/1809(2008)"]),
        ("A/C.1/75/L.1 and S/2020/1/Add.1", ["A/C.1/75/L.1", "S/2020/1/Add.1"]),
        ("s/res/2532 (2020)", ["S/RES/2532(2020)"]),
        ("2019 冠状病毒病(COVID-19)大流行", []),
        ("s/he said S/PRST", []),
        ("S/PV.8699 (Resumption 1) 2020 年 1 月 10 日", ["S/PV.8699(Resumption1)"]),  # a symbol has a numbered part
        ("E/CN.6/2020/1 和 ST/SGB/2019/8", ["E/CN.6/2020/1", "ST/SGB/2019/8"]),
        ("东盟与联合国全面伙伴合作的下一个行动计划(2021-2025 年)", []),
    ],
)
def test_find_symbols_normalises_each_citation(text: str, symbols: list[str]) -> None:
    assert [s for _, _, s in find_symbols(text)] == symbols


def test_find_symbols_reports_spans_into_the_text() -> None:
    text = "见 S/PV.8711。"
    assert find_symbols(text) == [(2, 11, "S/PV.8711")]
    assert text[2:11] == "S/PV.8711"


def test_resolution_spans_cover_the_number_only() -> None:
    text = "大会第 58/316 号决议和安理会第 2532(2020)号决议"
    assert [text[s:e] for s, e, _ in find_symbols(text)] == ["58/316", "2532(2020)"]


def test_link_to_a_resumed_meeting_keeps_its_resumption() -> None:
    assert symbol_from_url("https://undocs.org/ch/S/PV.8699(Resumption1)") == "S/PV.8699(Resumption1)"
    assert symbol_from_url("https://example.org/S/2020/1") is None


def test_unique_symbols_keeps_first_mention_order() -> None:
    assert unique_symbols("S/2020/30，S/PV.8711，S/2020/30") == ["S/2020/30", "S/PV.8711"]


def test_rep36_footnote_citation_is_a_reference(seed_docs) -> None:
    doc = seed_docs["rep36"]
    assert "S/PV.8711" in doc.references
    assert "S/RES/2553(2020)" in doc.references


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["S/RES/2532(2020)", "s/res/2532 (2020)", "A/75/345", "S/PV.8711", "S/2020/1/add.1"]),
       st.sampled_from(["", " ", "　"]))
def test_normalize_symbol_is_idempotent(symbol: str, pad: str) -> None:
    once = normalize_symbol(pad + symbol + pad)
    assert normalize_symbol(once) == once
    assert " " not in once


PIECES = ["S/", "A/", "RES/", "PV.", "s/res/", "ſ/", "K.", "E.", "2532", "(2020)", "75/1", " ", "第", "号", "决议", "决",
          "和", "、", "https://undocs.org/", "undocſ.org/", "安理会", ".", "/", "1", "CRC/C/"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_the_quick_check_never_drops_a_symbol(pieces: list[str]) -> None:
    """find_symbols skips the four patterns where no letter stands before "/" or "." and 决议 is absent."""
    text = "".join(pieces)
    assert find_symbols(text) == scan_symbols(text)


def test_the_quick_check_on_real_shapes() -> None:
    assert find_symbols("安理会第2532(2020)号决议") == [(4, 14, "S/RES/2532(2020)")]
    assert [s for _, _, s in find_symbols("见 https://undocs.org/ch/S/2021/130。")] == ["S/2021/130"]
    assert find_symbols("安全理事会重申其承诺。2021 年 2 月 8 日") == []
    assert [s for _, _, s in find_symbols("见E.2532号文件")] == ["E.2532"]  # a letter before ".", no "/"
