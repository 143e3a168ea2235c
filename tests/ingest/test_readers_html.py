"""The HTML reader: page chrome dropped, paragraphs, headings, lists, tables and footnotes kept."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from fixtures.make_fixtures import (
    REP36_NOTES,
    Block,
    Model,
    random_text_strategy,
    rep36_notes_model,
    report_numbered_model,
    write_html,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.errors import ReadError
from indexer.ingest import readers
from indexer.ingest.readers.blocks import FOOTNOTE_RULE


def paragraphs(path: Path) -> list[str]:
    return readers.read(path).text.split("\n\n")


def write(tmp_path: Path, body: str, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>", "utf-8")
    return path


def test_navigation_scripts_and_styles_are_dropped(tmp_path: Path) -> None:
    text = readers.read(write_html(report_numbered_model(), tmp_path / "report.html")).text
    assert "联合国正式文件系统" not in text
    assert "跟踪代码" not in text
    assert "font-family" not in text


def test_headings_and_paragraphs_keep_their_shape(tmp_path: Path) -> None:
    paras = paragraphs(write_html(report_numbered_model(), tmp_path / "report.html"))
    assert paras[0] == "  一. 引言"
    assert paras[1].startswith(" 1. 冠状病毒病(COVID-19)大流行使世界陷入严重危机")
    assert paras[5:7] == ["  二. 联合国同各区域组织及其他组织的合作", "  非洲联盟"]


def test_pandoc_footnotes_become_markers_and_notes(tmp_path: Path) -> None:
    raw = readers.read(write_html(rep36_notes_model(), tmp_path / "notes.html"))
    assert raw.footnotes == REP36_NOTES
    assert "此外，安理会一些成员提到伊里妮行动的启动。964 安理会一些成员还对国际合作抗击" in raw.text
    assert "↩" not in raw.text


def test_gb18030_page_is_decoded_from_its_meta_charset(tmp_path: Path) -> None:
    path = write_html(rep36_notes_model(), tmp_path / "notes-gb.html", encoding="gb18030")
    assert "gb18030" in path.read_bytes()[:200].decode("ascii", "replace")
    assert readers.read(path).footnotes == REP36_NOTES


def test_short_gbk_page_without_a_charset_is_not_read_as_korean(tmp_path: Path) -> None:
    path = tmp_path / "short.html"
    path.write_bytes("<html><body><p>安全</p></body></html>".encode("gbk"))
    assert readers.read(path).text == "安全\n"


def test_gb2312_declared_page_with_gbk_characters(tmp_path: Path) -> None:
    path = tmp_path / "gb2312.html"
    page = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head><body><p>朱镕基</p></body></html>"
    path.write_bytes(page.encode("gbk"))
    assert readers.read(path).text == "朱镕基\n"


def test_bytes_invalid_in_the_declared_charset_are_replaced_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    page = "<html><head><meta charset='utf-8'></head><body><p>安全理事会重申。</p></body></html>".encode()
    path.write_bytes(page.replace("重".encode(), b"\xff\xfe"))
    raw = readers.read(path)
    assert raw.text == " 安全理事会\ufffd\ufffd申。\n"
    assert raw.warnings == ("broken.html: bytes invalid in its declared charset utf-8 replaced (invalid start byte)",)


def test_word_saved_html_footnotes(tmp_path: Path) -> None:
    body = (
        "<p class=MsoNormal>安理会成员就此项目举行公开视频会议，"
        "<a href='#_ftn1' name='_ftnref1'><sup>[963]</sup></a>重点讨论了联合国与欧洲联盟之间的合作。</p>"
        "<div style='mso-element:footnote-list'><div style='mso-element:footnote' id=ftn1>"
        "<p class=MsoFootnoteText><a href='#_ftnref1' name='_ftn1'>[963]</a> 见 S/2020/489。</p></div></div>"
    )
    raw = readers.read(write(tmp_path, body))
    assert raw.footnotes == (("963", "见 S/2020/489。"),)
    assert raw.text.split("\n\n")[:3] == [
        " 安理会成员就此项目举行公开视频会议，963 重点讨论了联合国与欧洲联盟之间的合作。", FOOTNOTE_RULE, " 963 见 S/2020/489。\n",
    ]


@pytest.mark.parametrize("typed", ["969 见 S/2020/1179。", "[969] 见 S/2020/1179。", "969. 见 S/2020/1179。"])
def test_note_number_typed_in_the_note_is_not_part_of_its_text(tmp_path: Path, typed: str) -> None:
    # a page whose notes repeat their number as plain text ("969 见 …") read back as "969 969 见 …"
    body = (
        "<p>12 月 4 日，安理会成员就此项目举行高级别公开视频会议，<sup><a href='#fn969'>969</a></sup>"
        f"重点讨论与非洲联盟的合作。</p><div id='fn969'><p>{typed}</p></div>"
    )
    raw = readers.read(write(tmp_path, body))
    assert raw.footnotes == (("969", "见 S/2020/1179。"),)


def test_a_note_starting_with_other_digits_keeps_them(tmp_path: Path) -> None:
    body = "<p>安理会举行了会议。<sup><a href='#fn2'>2</a></sup></p><div id='fn2'><p>2020 年的报告。</p></div>"
    assert readers.read(write(tmp_path, body)).footnotes == (("2", "2020 年的报告。"),)


def test_lists_and_tables(tmp_path: Path) -> None:
    body = (
        "<p>讨论重点围绕以下主题展开：</p><ol type='a'><li>2020 年安全理事会状况：总结和展望(第一场会议)；</li>"
        "<li>经验教训：2020 届与会者的反思(第二场会议)；</li></ol>"
        "<ul><li>比利时</li></ul>"
        "<table><tr><th>会议记录</th><th>日期</th></tr><tr><td>S/PV.8711</td><td>2020 年 1 月 30 日</td></tr></table>"
    )
    assert paragraphs(write(tmp_path, body)) == [
        " 讨论重点围绕以下主题展开：",
        " a. 2020 年安全理事会状况：总结和展望(第一场会议)；",
        " b. 经验教训：2020 届与会者的反思(第二场会议)；",
        " • 比利时",
        "会议记录 | 日期",
        "S/PV.8711 | 2020 年 1 月 30 日\n",
    ]


def test_source_line_breaks_inside_a_paragraph_join_chinese_without_a_space(tmp_path: Path) -> None:
    body = "<p>安全理事会重申其根据《宪章》负有维护国际和平与安全的\n    首要责任。</p>\n\n<p>安理会\r\n强调。</p>"
    assert paragraphs(write(tmp_path, body)) == [" 安全理事会重申其根据《宪章》负有维护国际和平与安全的首要责任。", " 安理会强调。\n"]


def test_inline_markup_adds_no_spaces_in_headings_cells_and_notes(tmp_path: Path) -> None:
    body = (
        "<h2>第一场<b>会议</b></h2><table><tr><td><p>安理会</p><p>成员</p></td><td>2020 年<i>1 月</i></td></tr></table>"
        "<p>会议<a href='#fn1'>1</a></p><ol class='footnotes'><li id='fn1'>见 <i>S/PV.8711</i>。</li></ol>"
    )
    raw = readers.read(write(tmp_path, body))
    assert raw.text.split("\n\n")[:3] == ["  第一场会议", "安理会 成员 | 2020 年1 月", "会议1"]
    assert raw.footnotes == (("1", "见 S/PV.8711。"),)


def test_inline_text_between_blocks_is_one_paragraph(tmp_path: Path) -> None:
    body = "<div>安全理事会<b>重申</b>其根据《宪章》负有<br>维护国际和平与安全的首要责任。<p>安理会强调。</p></div>"
    assert paragraphs(write(tmp_path, body)) == [" 安全理事会重申其根据《宪章》负有 维护国际和平与安全的首要责任。", " 安理会强调。\n"]


@settings(max_examples=25, deadline=None)
@given(blocks=st.lists(st.tuples(st.sampled_from(["text", "heading"]), random_text_strategy()), min_size=1, max_size=5))
def test_any_paragraphs_come_back_from_html_in_order(blocks: list[tuple[str, str]]) -> None:
    model = Model("S/2021/1", "21-00001", [Block(kind, text) for kind, text in blocks])
    with tempfile.TemporaryDirectory() as folder:
        raw = readers.read(write_html(model, Path(folder) / "random.html"))
    assert [p.strip() for p in raw.text.split("\n\n")] == [" ".join(text.split()) for _, text in blocks]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (bytes(range(256)) * 4, "binary file (contains NUL bytes), not text"),
        (b"<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>",
         "the HTML file has no text"),
    ],
)
def test_html_without_text_is_a_read_error(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(data)
    with pytest.raises(ReadError) as info:
        readers.read(path)
    assert str(info.value) == f"{path}: {reason}"
