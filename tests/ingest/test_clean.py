"""clean: each rule on its own (lines, Markdown, furniture, footnotes, reflow) and on the seeds."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.ingest import readers
from indexer.ingest.clean import clean
from indexer.ingest.clean.footnotes import Note, mark_refs, split_notes
from indexer.ingest.clean.furniture import strip_furniture
from indexer.ingest.clean.lines import SENTINEL_BASE, display_width, join_text, split_lines, tidy, unspace_han
from indexer.ingest.clean.unmarkdown import markdown_syntax, strip_markdown
from indexer.models import RawText
from tests.conftest import CORPUS, SEEDS


def raw(text: str, fmt: str = "text", footnotes: tuple[tuple[str, str], ...] = ()) -> RawText:
    return RawText(source=CORPUS / "x.txt", text=text, encoding="utf-8", format=fmt, footnotes=footnotes)


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("东南亚国家联盟和联合国全面伙伴关系联合宣言》以来，两个组织今天都在关", "注如何加强合作", "东南亚国家联盟和联合国全面伙伴关系联合宣言》以来，两个组织今天都在关注如何加强合作"),
        ("他指出", "COVID-19 危机的负面后果", "他指出 COVID-19 危机的负面后果"),
        ("也坚决拥护安理会第", "2532(2020)号决议。", "也坚决拥护安理会第 2532(2020)号决议。"),
        ("在 2020 年 6", "月 18 日", "在 2020 年 6 月 18 日"),
        ("不仅将成员国，而且将外部伙伴(包", "括地区主要角色", "不仅将成员国，而且将外部伙伴(包括地区主要角色"),
        ("联合国同东南亚国家联盟(东盟)", "的合作", "联合国同东南亚国家联盟(东盟)的合作"),
        ("增强妇女权能方", "面所做的工作。", "增强妇女权能方面所做的工作。"),
    ],
)
def test_join_text_spaces_only_between_latin_digits_and_han(left: str, right: str, joined: str) -> None:
    assert join_text(left, right) == joined


def test_markdown_links_and_escapes_unwrapped_with_exact_accounting() -> None:
    line = "安全理事会第 [1809\\(2008\\)](#)号决议和主席声明([S/PRST/2013/12](#))"
    assert strip_markdown(line) == "安全理事会第 1809(2008)号决议和主席声明(S/PRST/2013/12)"
    assert sorted(markdown_syntax(line)) == sorted("[](#)[](#)\\\\")


def test_letter_spaced_han_is_closed_up() -> None:
    assert unspace_han("秘 书 长 的 信") == "秘书长的信"
    assert unspace_han("联 合 国   S/PRST/2021/9") == "联合国   S/PRST/2021/9"
    assert unspace_han("东盟秘书长 秘书长、13 个安理会") == "东盟秘书长 秘书长、13 个安理会"


def test_furniture_and_link_runs_are_set_aside_and_mark_a_page_break() -> None:
    text = "\n".join([
        "理会成员应该确保透明。", "https://undocs.org/ch/S/RES/2532(2020)", "https://undocs.org/ch/S/2020/489",
        "", "S/2021/130  ", "", "21-01922 6/14 ", "", " 动，也包括本国的外交努力", "*2105177*",
    ])
    body, furniture, links = strip_furniture(split_lines(text))
    assert [x.text for x in body] == ["理会成员应该确保透明。", "动，也包括本国的外交努力"]
    assert furniture == ["S/2021/130", "21-01922 6/14", "*2105177*"]
    assert links == ["https://undocs.org/ch/S/RES/2532(2020)", "https://undocs.org/ch/S/2020/489"]
    assert body[1].page_break


def test_a_lone_symbol_in_a_table_is_not_furniture() -> None:
    body, furniture, _ = strip_furniture(split_lines("第 2553(2020)号决议 \n\n15-0-0 \n\nS/2020/1167 \n"))
    assert [x.text for x in body] == ["第 2553(2020)号决议", "15-0-0", "S/2020/1167"]
    assert furniture == []


def test_footnote_block_with_wrapped_entries() -> None:
    text = (
        "的 959 越南|\n\n __________________ \n\n 958 关于 COVID-19 大流行期间制定的程序和工作方法的更\n\n"
        "多信息，见第二部分。 \n\n 959 安理会面前有 2020 年 1 月 9 日的信(S/2020/30)所附的概\n\n念说明。 \n\n"
        " 960 见 S/PV.8711。 \n\n合作存在多个潜在领域。\n"
    )
    body, notes = split_notes(split_lines(text))
    assert [(n.marker, n.text) for n in notes] == [
        ("958", "关于 COVID-19 大流行期间制定的程序和工作方法的更多信息，见第二部分。"),
        ("959", "安理会面前有 2020 年 1 月 9 日的信(S/2020/30)所附的概念说明。"),
        ("960", "见 S/PV.8711。"),
    ]
    assert [x.text for x in body] == ["的 959 越南|", "合作存在多个潜在领域。"]


@pytest.mark.parametrize(
    ("line", "marker", "expected"),
    [
        ("调一致等问题。961 安理会几个成员", "961", "调一致等问题。@安理会几个成员"),
        ("尔倡议下 966 就该项目举行视频会议，967 重点讨论法", "966", "尔倡议下@就该项目举行视频会议，967 重点讨论法"),
        ("举行了 3 次会议，形式为情况通报会。3 ", "3", "举行了 3 次会议，形式为情况通报会。@"),
        ("通过了第 2 段和 2 项主席声明", "2", None),
        ("2020 年 9 月 2 日", "2", None),
        ("见 S/PV.8711。", "8711", None),
    ],
)
def test_marker_found_only_where_it_is_a_marker(line: str, marker: str, expected: str | None) -> None:
    body = split_lines(line)
    note = Note(marker=marker, text="注", page=0, anchor=0)
    marked = mark_refs(body, [note])[0].text.replace(chr(SENTINEL_BASE), "@")
    assert marked == (expected if expected is not None else line)
    assert note.found is (expected is not None)


def test_markers_are_searched_in_order() -> None:
    body = split_lines("会议。957 安理会成员还就该项目举行了 958 次")
    notes = [Note("958", "b", 0, 0), Note("957", "a", 0, 0)]
    mark_refs(body, notes)
    assert [n.found for n in notes] == [False, True]  # "958 次" is a count, not a marker


def test_clean_joins_across_blank_lines_but_not_across_paragraphs() -> None:
    text = (
        " 在本文件所述期间，安理会就题为“联合国与区\n\n域和次区域组织在维护国际和平与安全方面的合\n\n"
        "作”的项目举行了 1 次会议，形式为情况通报会。\n\n 1 月 30 日，安理会在担任该月份主席的越南\n\n"
        "倡议下举行了一次会议。\n"
    )
    paragraphs = [p.text for p in clean(raw(text)).paragraphs]
    assert paragraphs == [
        "在本文件所述期间，安理会就题为“联合国与区域和次区域组织在维护国际和平与安全方面的合作”的项目举行了 1 次会议，形式为情况通报会。",
        "1 月 30 日，安理会在担任该月份主席的越南倡议下举行了一次会议。",
    ]


def test_reader_footnotes_are_honoured() -> None:
    text = " 安理会举行了会议。7 安理会通过了决议。\n\n 另一段。\n"
    cleaned = clean(raw(text, fmt="docx", footnotes=(("7", "见 S/PV.8711。"),)))
    assert cleaned.footnotes == {"7": "见 S/PV.8711。"}
    first = cleaned.paragraphs[0]
    assert first.text == "安理会举行了会议。安理会通过了决议。"
    assert [(r.marker, r.offset) for r in first.refs] == [("7", 9)]


def test_prst_masthead_is_furniture() -> None:
    cleaned = clean(readers.read(CORPUS / SEEDS["prst"]))
    assert cleaned.furniture[:2] == ("联合国   S/PRST/2021/9", "安全理事会")
    assert "21-05177 (C)    200421    210421" in cleaned.furniture
    assert "*2105177*" in cleaned.furniture
    assert "Original: English" in cleaned.furniture
    assert cleaned.paragraphs[0].text == "安全理事会主席声明"


def test_rep36_links_kept_in_order() -> None:
    cleaned = clean(readers.read(CORPUS / SEEDS["rep36"]))
    assert cleaned.links[:3] == (
        "https://undocs.org/ch/S/2020/751", "https://undocs.org/ch/S/2020/897", "https://undocs.org/ch/S/2020/929"
    )
    assert len(cleaned.links) == 20
    assert sorted(cleaned.footnotes, key=int) == [str(n) for n in range(957, 979)]


def test_letter_running_header_is_furniture() -> None:
    cleaned = clean(readers.read(CORPUS / SEEDS["letter"]))
    assert cleaned.furniture == ("S/2021/130", "21-01922 6/14")


def test_reader_shaped_text_keeps_one_paragraph_per_line() -> None:
    """The shape PDF/DOCX/HTML readers hand over: headings indented two, paragraphs one, notes after a rule."""
    text = (
        "  “立即进入角色”：2020 年 11 月 12 日和 13 日在纽约为安全理事会新当选成员举行的第十八次年度研讨会\n\n"
        " 安理会成员就该项目举行了视频会议。964 安理会一些成员还对国际合作抗击 COVID-19 大流行重申了承诺\n\n"
        " 另一段。\n\n会议记录和日期 | 分项 | 发言者\n\nS/PV.8711 | 联合国同东南亚国家联盟(东盟)的合作 | 秘书长\n\n"
        "__________________\n\n 964 比利时、法国、尼日尔。\n"
    )
    cleaned = clean(raw(text, fmt="docx", footnotes=(("964", "比利时、法国、尼日尔。"),)))
    assert [(p.kind, p.text[:12]) for p in cleaned.paragraphs] == [
        ("heading", "“立即进入角色”：202"),
        ("text", "安理会成员就该项目举行了"),
        ("text", "另一段。"),
        ("table_row", "会议记录和日期 | 分项"),
        ("table_row", "S/PV.8711 | "),
    ]
    assert cleaned.paragraphs[1].refs[0].marker == "964"
    assert cleaned.footnotes == {"964": "比利时、法国、尼日尔。"}


def test_unknown_table_layout_rows_are_kept_whole() -> None:
    text = "表 3\n\n某项统计\n\n视频会议日期 参加者 \n\n    \n\n2020 年 5 月 28 日 S/2020/489 15 个国家 \n\n \n\n2020 年 9 月 8 日 S/2020/893 12 个国家 \n"
    paragraphs = clean(raw(text)).paragraphs
    assert [(p.kind, p.text) for p in paragraphs] == [
        ("heading", "表 3 某项统计"),
        ("table_row", "视频会议日期 参加者"),
        ("table_row", "2020 年 5 月 28 日 S/2020/489 15 个国家"),
        ("table_row", "2020 年 9 月 8 日 S/2020/893 12 个国家"),
    ]


def test_a_table_of_unknown_layout_ends_where_prose_resumes() -> None:
    text = (
        "表 1\n\n各区域合作情况\n\n区域 项目数 \n\n非洲 12 \n\n亚洲 8 \n\n"
        " 安理会在本报告所述期间继续加强与各区域组织的合作。\n\n 另一段落。\n"
    )
    paragraphs = clean(raw(text)).paragraphs
    assert [(p.kind, p.text) for p in paragraphs] == [
        ("heading", "表 1 各区域合作情况"),
        ("table_row", "区域 项目数"),
        ("table_row", "非洲 12"),
        ("table_row", "亚洲 8"),
        ("text", "安理会在本报告所述期间继续加强与各区域组织的合作。"),
        ("text", "另一段落。"),
    ]


def test_short_paragraphs_one_per_line_are_not_joined() -> None:
    text = "安理会举行了一次会议，讨论了区域合作问题。\n\n安理会成员听取了秘书长的通报。\n\n会议通过了一项主席声明。\n"
    assert [p.text for p in clean(raw(text)).paragraphs] == [
        "安理会举行了一次会议，讨论了区域合作问题。", "安理会成员听取了秘书长的通报。", "会议通过了一项主席声明。"
    ]


def test_a_wrapped_line_ending_in_a_letter_title_is_not_a_heading() -> None:
    text = (
        " 1 月 30 日，安理会在担任该月份主席的越南倡议\n\n下举行了一次会议，重点讨论联合国同东南亚国\n\n"
        "家联盟的合作。安理会面前有越南常驻联合国代\n\n表于 2020 年 1 月 9 日致秘书长和安理会主席的信\n\n"
        "(S/2020/30)所附的概念说明，安理会成员在会上\n\n听取了通报。\n\n 另一段。\n"
    )
    assert [p.text for p in clean(raw(text)).paragraphs] == [
        "1 月 30 日，安理会在担任该月份主席的越南倡议下举行了一次会议，重点讨论联合国同东南亚国家联盟的合作。"
        "安理会面前有越南常驻联合国代表于 2020 年 1 月 9 日致秘书长和安理会主席的信(S/2020/30)所附的概念说明，安理会成员在会上听取了通报。",
        "另一段。",
    ]


def test_prose_starting_with_a_column_name_is_not_a_table() -> None:
    text = " 视频会议日期由安理会主席与成员协商确定，并提前一周通知所有会员国。\n\n 另一段。\n"
    assert [(p.kind, p.text) for p in clean(raw(text)).paragraphs] == [
        ("text", "视频会议日期由安理会主席与成员协商确定，并提前一周通知所有会员国。"),
        ("text", "另一段。"),
    ]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_display_width_counts_wide_characters_twice(text: str) -> None:
    """lines.display_width: East Asian wide and full-width characters take two columns, footnote
    sentinels none, everything else one (its per-character table against unicodedata itself)."""
    expected = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text if not 0xF0000 <= ord(c) <= 0xFFFFF)
    assert display_width(text) == expected


def test_display_width_of_real_lines() -> None:
    assert display_width("安全理事会") == 10
    assert display_width("S/2021/130 ＡＢ") == 15
    assert display_width("第 1 段\U000f0001") == 7


@given(st.text(alphabet=" \t\u00a0\u3000ab安", max_size=12))
def test_tidy_collapses_every_run_of_spaces(text: str) -> None:
    """lines.tidy skips its regex only where the regex would change nothing."""
    assert tidy(text) == re.sub(r"[ \t\u00a0\u3000]+", " ", text).strip()
