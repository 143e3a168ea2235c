"""Charter tags: Chinese numerals, query values -> tags, labels and order."""

from __future__ import annotations

import pytest

from indexer.language.charter import chinese_number, index_terms, parse_tag, tag_label, tag_order


@pytest.mark.parametrize(("text", "number"), [
    ("七", 7), ("十", 10), ("十一", 11), ("二十", 20), ("三十九", 39), ("五十一", 51), ("一百", 100),
    ("一百零三", 103), ("一百一十一", 111), ("39", 39), ("３９", 39), ("两", 2),
])
def test_chinese_and_arabic_numerals(text: str, number: int) -> None:
    assert chinese_number(text) == number


@pytest.mark.parametrize("text", ["", "三九", "第七", "VII", "七a"])
def test_not_numbers(text: str) -> None:
    assert chinese_number(text) is None


@pytest.mark.parametrize(("value", "tag"), [
    ("VIII", "VIII"), ("viii", "VIII"), ("第八章", "VIII"), ("八章", "VIII"), ("第 8 章", "VIII"), ("XIX", "XIX"),
    ("39", "39"), ("第三十九条", "39"), ("第39条", "39"), ("2(7)", "2(7)"), ("2（7）", "2(7)"),
    ("第2条第7款", "2(7)"), ("第二条第七款", "2(7)"), ("第一百零三条", "103"),
])
def test_query_values_become_tags(value: str, tag: str) -> None:
    assert parse_tag(value) == tag


@pytest.mark.parametrize("value", ["XX", "IIII", "0", "112", "第二十章", "第一百一十二条", "宪章", "2(0)", "第七款", "chapter"])
def test_values_outside_the_charter_are_refused(value: str) -> None:
    assert parse_tag(value) is None


def test_labels_and_order() -> None:
    assert [tag_label(t) for t in ("VIII", "XIX", "39", "2(7)")] == ["第八章", "第十九章", "第39条", "第2条第7款"]
    assert sorted(["39", "2(7)", "VIII", "VII", "2"], key=tag_order) == ["VII", "VIII", "2", "2(7)", "39"]


def test_an_articles_paragraph_is_also_indexed_as_the_article() -> None:
    assert index_terms(("VII", "2(7)", "2(4)", "39")) == ["VII", "2(7)", "2(4)", "39", "2"]
