"""Genres and shapes no earlier test showed: each read right from its text alone.

tests/fixtures/genres holds documents written for these tests (each sidecar says so and sets nothing) in
layouts the UN publishes: a General Assembly plenary verbatim record with running heads, a Security
Council resolution as PDF text, a Human Rights Council resolution, a General Assembly decision, a
provisional agenda, a Secretary-General's report with its Chinese cover block, an ECOSOC summary record
(also as .docx), identical letters with an annex, a Repertoire extract, a note verbale in traditional
characters with full-width digits, and a note encoded in GB18030.
"""

from __future__ import annotations

import pytest

from indexer.ingest.clean.furniture import is_masthead
from indexer.ingest.metadata.sidecar import load_sidecar
from indexer.ingest.metadata.speakers import speaker_turn
from indexer.ingest.pipeline import ingest
from indexer.language.genres import is_session_line, line_genre
from indexer.models import Document
from tests.conftest import FIXTURES

GENRES = FIXTURES / "genres"

# file -> (type, date, title, symbols, paragraph numbers)
EXPECTED: dict[str, tuple[str, str | None, str, tuple[str, ...], list[str]]] = {
    "A_78_PV_12.txt": ("会议记录", "2023-09-25", "大会第七十八届会议第12次全体会议", ("A/78/PV.12",), []),
    "S_RES_2719_2023.txt": ("决议", "2023-12-21", "第 2719 (2023)号决议", ("S/RES/2719(2023)",), ["1", "2", "3", "4"]),
    "A_HRC_RES_52_1.txt": ("决议", "2023-04-03", "52/1. 获得安全饮用水和卫生设施的人权", ("A/HRC/RES/52/1",),
                           ["1", "2", "3"]),
    "A_RES_78_190.txt": ("决议", "2023-12-19", "78/190. 发展权", ("A/RES/78/190",), ["1", "2", "3"]),
    "E_DEC_2023_201_web.txt": ("决定", "2023-02-08", "2023/201. 经济及社会理事会2023年届会临时议程", (), []),
    "A_DEC_77_556.txt": ("决定", "2023-07-28", "77/556. 任命联合检查组成员", ("A/DEC/77/556",), []),
    "A_78_150.txt": ("议程", "2023-07-14", "大会第七十八届常会临时议程", ("A/78/150",), ["1", "2", "3", "4", "5", "6"]),
    "A_78_239.txt": ("报告", "2023-07-28", "第三个联合国消除贫困十年(2018-2027年)期间全系统在消除贫困方面的行动计划的执行情况", ("A/78/239",), ["1", "2"]),
    "A_78_123.txt": ("报告", "2023-07-01", "人权与极端贫困", ("A/78/123",), ["1", "2", "3", "4", "5"]),
    "E_2023_SR_12.txt": ("简要记录", "2023-06-21", "第12次会议简要记录", ("E/2023/SR.12",),
                         [str(n) for n in range(1, 11)]),
    "E_2023_SR_12_layout.txt": ("简要记录", "2023-06-21", "第12次会议简要记录", ("E/2023/SR.12",),
                                [str(n) for n in range(1, 11)]),
    "E_2023_SR_12.docx": ("简要记录", "2023-06-21", "第12次会议简要记录", ("E/2023/SR.12",),
                          [str(n) for n in range(1, 11)]),
    "S_2023_456.txt": ("信函", "2023-06-19", "2023年6月19日北方群岛共和国常驻联合国代表给秘书长和安全理事会主席的同文信",
                       ("S/2023/456",), []),
    "repertoire_part5_subsidiary_bodies.txt": ("汇编", None, "第五部分 安全理事会的附属机关", (), []),
    "note_verbale_traditional_fullwidth.txt": (
        "信函", "2023-05-02", "２０２３年５月２日北方群島共和國常駐聯合國代表團給秘書長的普通照會", (), []),
    "S_PV_9601_traditional.txt": ("会议记录", "2024-04-19", "安全理事会第9601次会议", ("S/PV.9601",), []),
    "E_2023_SR_13_traditional.txt": ("简要记录", "2023-06-22", "第13次會議簡要記錄", ("E/2023/SR.13",), ["1", "2", "3"]),
    "E_2024_note_statistics_gb18030.txt": ("说明", None, "统计委员会2024年工作方案", (), []),
}


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {name: ingest(GENRES / name) for name in EXPECTED}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_type_date_title_symbols_and_paragraphs(docs: dict[str, Document], name: str) -> None:
    doc = docs[name]
    got = (doc.doc_type, doc.doc_date, doc.title, doc.symbols, [p.paragraph for p in doc.passages if p.paragraph])
    assert got == EXPECTED[name]


def test_every_fixture_is_in_the_table_and_says_it_is_not_a_un_document() -> None:
    documents = {p.name for p in GENRES.iterdir() if p.suffix in (".txt", ".docx")}
    assert documents == set(EXPECTED)
    for name in documents:
        sidecar = GENRES / (name.rsplit(".", 1)[0] + ".meta.toml")
        assert sidecar.read_text(encoding="utf-8").startswith("# NOT A REAL UN DOCUMENT.")
        assert load_sidecar(GENRES / name) == {}  # nothing handed over: the text alone tells



def test_plenary_turns_interpretation_notes_and_stage_directions(docs: dict[str, Document]) -> None:
    doc = docs["A_78_PV_12.txt"]
    by_start = {p.text[:8]: p.speakers for p in doc.passages}
    assert by_start["主席(以英语发言"] == ("主席",)
    assert by_start["韦伯总统(以英语"] == ("韦伯",)
    assert by_start["杜布瓦女士(法国"] == ("法国", "杜布瓦")
    assert by_start["我们特别重视其中"] == ("法国", "杜布瓦")  # the turn holds over the next paragraph
    assert by_start["代理主席(以西班"] == ("代理主席",)
    assert [p.speakers for p in doc.passages if "在陪同下" in p.text] == [(), ()]
    assert [p.speakers for p in doc.passages if p.text.endswith("散会。")] == [()]


def test_plenary_running_heads_are_furniture_and_the_page_break_is_joined(docs: dict[str, Document]) -> None:
    doc = docs["A_78_PV_12.txt"]
    assert not [p.text for p in doc.passages if "A/78/PV.12" in p.text or "23-12345" in p.text or "/2023" in p.text]
    cut = [p for p in doc.passages if "气候融资" in p.text]
    assert len(cut) == 1 and cut[0].text.endswith("作出的承诺，使适应行动得到可预测的资金。")
    assert cut[0].speakers == ("韦伯",)
    assert doc.job_number == "23-12345"


def test_summary_record_turns_across_paragraphs_and_the_chairs_announcement(docs: dict[str, Document]) -> None:
    speakers = {p.paragraph: p.speakers for p in docs["E_2023_SR_12.txt"].passages if p.paragraph}
    assert speakers == {
        "1": ("主席",), "2": ("德国", "Müller"), "3": ("德国", "Müller"), "4": ("德国", "Müller"),
        "5": ("沙特阿拉伯", "阿卜杜拉"), "6": ("沙特阿拉伯", "阿卜杜拉"), "7": ("尼日利亚", "Okonkwo-Bello"),
        "8": ("中国", "李明"), "9": ("红十字国际委员会", "Santos"), "10": ("主席",),
    }
    cut = next(p for p in docs["E_2023_SR_12.txt"].passages if p.paragraph == "3")
    assert cut.text.endswith("更加灵活的资金，并支持扩大以现金为基础的援助。")  # across the page break


def test_summary_record_as_docx_gives_the_same_metadata_and_turns(docs: dict[str, Document]) -> None:
    text, word = docs["E_2023_SR_12.txt"], docs["E_2023_SR_12.docx"]
    assert (word.doc_type, word.doc_date, word.title, word.symbols) == (text.doc_type, text.doc_date, text.title,
                                                                        text.symbols)
    turns = {p.paragraph: (p.speakers, p.text) for p in text.passages if p.paragraph}
    assert {p.paragraph: (p.speakers, p.text) for p in word.passages if p.paragraph} == turns


def test_resolution_preamble_clauses_are_paragraphs_not_headings(docs: dict[str, Document]) -> None:
    doc = docs["S_RES_2719_2023.txt"]
    assert not [p.text for p in doc.passages if p.kind == "heading"]
    starts = [p.text[:6] for p in doc.passages]
    assert starts[1:4] == ["安全理事会，", "回顾其以往关", "确认区域和次"]
    assert not [p.text for p in doc.passages if "S/RES/2719" in p.text or "Distr" in p.text]


def test_letter_title_annex_and_signature(docs: dict[str, Document]) -> None:
    texts = [p.text for p in docs["S_2023_456.txt"].passages]
    assert texts[0] == EXPECTED["S_2023_456.txt"][2]
    assert texts[1].startswith("谨随函转递")
    assert "马克·勒布朗(签名)" in texts[2]
    assert texts[3].endswith("的同文信的附件")
    assert texts[4] == "北方群岛共和国外交部关于沿海地区安全局势的声明"


def test_repertoire_running_heads_are_furniture(docs: dict[str, Document]) -> None:
    texts = [p.text for p in docs["repertoire_part5_subsidiary_bodies.txt"].passages]
    assert not [t for t in texts if "惯例汇编" in t or "23-01234" in t]


def test_footnote_lines_are_marked_by_their_order(docs: dict[str, Document]) -> None:
    notes = [(f.marker, f.text) for p in docs["A_78_123.txt"].passages for f in p.footnotes]
    assert notes == [("*", "A/78/150。"), ("1", "大会第77/201号决议，第12段。"), ("2", "同上。")]


def test_gb18030_text_is_read_whole() -> None:
    doc = ingest(GENRES / "E_2024_note_statistics_gb18030.txt")
    assert doc.encoding == "gb18030"
    assert any("𠮷野地区" in p.text for p in doc.passages)


@pytest.mark.parametrize(
    ("line", "genre"),
    [
        ("2023年6月19日某國常駐聯合國代表給秘書長的信", ("信函", "self")),
        ("２０２３年６月１９日某国常驻联合国代表给秘书长的信", ("信函", "self")),
        ("２０２３年６月１９日某國常駐聯合國代表團給秘書長的普通照會", ("信函", "self")),
        ("秘書長的報告", ("报告", "before")),
        ("第１２次會議簡要記錄", ("简要记录", "self")),
        ("人權理事會通過的決議 ２０２３年４月３日", ("决议", "after")),
        ("大会2023年7月28日通过的决定", ("决定", "after")),
        ("大会第七十八届常会临时议程*", ("议程", "self")),
        ("某国常驻联合国代表给秘书长和安全理事会主席的同文信", ("信函", "self")),
    ],
)
def test_traditional_and_full_width_title_lines(line: str, genre: tuple[str, str]) -> None:
    assert line_genre(line) == genre


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("韦伯总统(以英语发言)：", ["韦伯"]),
        ("法国总统：", ["法国总统"]),
        ("副秘书长迪卡洛女士(以英语发言)：", ["副秘书长", "迪卡洛"]),
        ("杜布瓦女士(法国)(以法语发言)：", ["法国", "杜布瓦"]),
        ("代理主席(以西班牙语发言)：", ["代理主席"]),
    ],
)
def test_plenary_turn_forms(text: str, speakers: list[str]) -> None:
    assert speaker_turn(text) == speakers


def test_records_in_traditional_characters_have_their_turns() -> None:
    verbatim = ingest(GENRES / "S_PV_9601_traditional.txt")
    assert [p.speakers for p in verbatim.passages if p.speakers] == [
        ("主席",), ("中国", "王五"), ("中国", "王五"), ("法国", "杜布瓦")]
    summary = ingest(GENRES / "E_2023_SR_13_traditional.txt")
    assert {p.paragraph: p.speakers for p in summary.passages if p.paragraph} == {
        "1": ("主席",), "2": ("德国", "Müller"), "3": ("德国", "Müller")}
    assert [p.speakers for p in summary.passages if p.text.endswith("散會。")] == [()]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_no_header_line_is_a_title(docs: dict[str, Document], name: str) -> None:
    title = docs[name].title
    assert not is_session_line(title) and not is_masthead(title) and "Distr" not in title and "议程项目" not in title


def test_summary_record_with_hanging_numbers_gives_the_same_paragraphs(docs: dict[str, Document]) -> None:
    """Text kept in its PDF layout: "3.    …" at a tab stop, lines cut at the width and continued at the
    text column (across a page break too), the closing "下午1时散会。" on its own."""
    lines, layout = docs["E_2023_SR_12.txt"], docs["E_2023_SR_12_layout.txt"]
    assert {p.paragraph: (p.speakers, p.text) for p in layout.passages if p.paragraph} == {
        p.paragraph: (p.speakers, p.text) for p in lines.passages if p.paragraph}
    assert [p.text for p in layout.passages][-1] == "下午1时散会。"
