"""Spans: offsets into the original text with the query part that matched; windows; pieces for markup."""

from __future__ import annotations

from indexer.language.spans import find_spans, fragment_windows, pieces
from indexer.models import Span


def test_each_span_names_the_query_part_that_matched() -> None:
    text = "安全理事會與東盟合作，見 S/PRST/2021/9。"
    spans = find_spans(text, ["安全理事会", "东盟"], ["S/PRST/2021/9"])
    assert spans == (Span(0, 5, "安全理事会"), Span(6, 8, "东盟"), Span(13, 26, "S/PRST/2021/9"))
    assert [text[s.start:s.end] for s in spans] == ["安全理事會", "東盟", "S/PRST/2021/9"]


def test_a_part_is_named_when_only_the_parts_of_a_word_occur() -> None:
    spans = find_spans("促进建立信任和对话。", [("建立信任对话", ("建立信任", "对话"))])
    assert spans == (Span(2, 6, "建立信任"), Span(7, 9, "对话"))


def test_windows_are_the_sentences_holding_spans_without_outer_spaces() -> None:
    text = "甲句无关。 乙句东盟。丙句无关。"
    spans = find_spans(text, ["东盟"])
    assert [text[s:e] for s, e in fragment_windows(text, spans)] == ["乙句东盟。"]


def test_pieces_cut_the_text_at_span_edges() -> None:
    text = "甲东盟乙"
    assert list(pieces(text, [Span(1, 3, "东盟")])) == [("甲", False), ("东盟", True), ("乙", False)]
    assert list(pieces(text, [Span(1, 3, "东盟")], 2, 4)) == [("盟", True), ("乙", False)]
