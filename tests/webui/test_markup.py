"""Highlighting: spans -> escaped HTML, marks that never drift, fragments cut at Chinese sentence ends."""

from __future__ import annotations

from collections.abc import Sequence

from indexer.language.spans import Needle, find_spans, fragment_windows, merge, sentences
from indexer.models import Span
from webui.markup import fragments_html, mark_html


def highlight_whole(text: str, needles: Sequence[Needle], symbols: Sequence[str] = ()) -> str:
    return mark_html(text, find_spans(text, needles, symbols))


def fragments(text: str, spans: Sequence[Span]) -> str:
    return fragments_html(text, spans, fragment_windows(text, spans))


def offsets(spans: Sequence[Span]) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in spans]

PRST_P4 = (
    "“安全理事会认识到，区域和次区域组织熟悉本区域的情况，因此能够很好地了解武装冲突的根源，"
    "这有助于它们努力对预防或解决这些冲突发挥影响力。安理会强调，有必要利用区域和次区域组织在这方面的现有和潜在能力，"
    "包括鼓励区域各国通过对话、和解、协商、谈判、斡旋、调解和司法解决争端，和平解决分歧。"
)


def test_every_occurrence_is_marked() -> None:
    html = highlight_whole(PRST_P4, ["区域和次区域组织"])
    assert html.count("<mark>区域和次区域组织</mark>") == 2


def test_text_and_query_are_escaped() -> None:
    html = highlight_whole("附件<script>alert(1)</script>与 a&b", ["<script>", "a&b"])
    assert html == "附件<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;与 <mark>a&amp;b</mark>"


def test_marks_map_back_through_full_width_and_traditional_text() -> None:
    text = "ＣＯＶＩＤ－１９大流行期間，安全理事會繼續工作。"
    html = highlight_whole(text, ["covid-19", "安全理事会"])
    assert html == "<mark>ＣＯＶＩＤ－１９</mark>大流行期間，<mark>安全理事會</mark>繼續工作。"


def test_marks_survive_ellipsis_and_expanding_characters() -> None:
    text = "见㈠和……之后，东盟秘书长发言。"
    assert highlight_whole(text, ["东盟"]) == "见㈠和……之后，<mark>东盟</mark>秘书长发言。"


def test_a_word_split_by_a_line_break_is_marked_whole() -> None:
    assert highlight_whole("联合国与区\n域和次区域组织", ["区域"]) == "联合国与<mark>区\n域</mark>和次<mark>区域</mark>组织"


def test_latin_needles_match_whole_words_only() -> None:
    assert offsets(find_spans("the united nations fund", ["un"])) == []
    assert offsets(find_spans("UN fund", ["un"])) == [(0, 2)]


def test_parts_are_marked_only_where_the_whole_word_is_missing() -> None:
    needle = ("建立信任对话", ("建立信任", "对话"))
    assert highlight_whole("促进建立信任和对话。", [needle]) == "促进<mark>建立信任</mark>和<mark>对话</mark>。"
    assert highlight_whole("建立信任对话与对话。", [needle]) == "<mark>建立信任对话</mark>与对话。"


def test_symbols_and_symbol_prefixes_are_marked() -> None:
    text = "见 S/2020/1 和 S/2020/11，以及第 2532(2020)号决议。"
    assert highlight_whole(text, [], ["S/2020/1"]) == "见 <mark>S/2020/1</mark> 和 S/2020/11，以及第 2532(2020)号决议。"
    assert "<mark>第 2532(2020)号决议</mark>" in highlight_whole(text, [], ["S/RES/2532(2020)"])


def test_sentences_end_at_chinese_sentence_marks() -> None:
    text = "第一句。第二句！第三句？第四句；结尾"
    assert [text[s:e] for s, e in sentences(text)] == ["第一句。", "第二句！", "第三句？", "第四句；", "结尾"]


def test_fragments_are_whole_sentences_holding_a_mark() -> None:
    spans = find_spans(PRST_P4, ["斡旋"])
    html = fragments(PRST_P4, spans)
    assert html == "…安理会强调，有必要利用区域和次区域组织在这方面的现有和潜在能力，包括鼓励区域各国通过对话、和解、协商、谈判、<mark>斡旋</mark>、调解和司法解决争端，和平解决分歧。"


def test_touching_fragments_merge() -> None:
    text = "甲句东盟。乙句东盟。丙句无关。丁句东盟。"
    html = fragments(text, find_spans(text, ["东盟"]))
    assert html == "甲句<mark>东盟</mark>。乙句<mark>东盟</mark>。 … 丁句<mark>东盟</mark>。"


def test_no_mark_gives_the_lead_sentence() -> None:
    assert fragments("第一句。第二句。", []) == "第一句。…"


def test_a_long_lead_sentence_stops_at_a_comma() -> None:
    text = "甲" * 150 + "，" + "乙" * 300 + "。"
    assert fragments(text, []) == "甲" * 150 + "，…"


def test_merge_overlapping_spans() -> None:
    spans = [Span(5, 8, "b"), Span(0, 3, "a"), Span(2, 4, "c"), Span(8, 9, "d")]
    assert merge(spans) == (Span(0, 4, "a c"), Span(5, 9, "b d"))
