"""Every UN genre read right: type, date, title and paragraphs, on real documents and fixtures in other layouts.

../shared/realdocs holds six real 2023 documents in one-sentence-per-line form (its README says what a
reader must understand); tests/fixtures holds documents written here in the layouts of a summary record,
an A/RES resolution, an S/PV verbatim record with page furniture, a note verbale and a working paper.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.ingest.clean.furniture import is_running_furniture
from indexer.ingest.pipeline import ingest
from indexer.language.doctypes import doc_type_from_alias, symbol_doc_type
from indexer.language.genres import is_session_line, line_genre
from indexer.models import Document
from tests.conftest import FIXTURES, ROOT

REALDOCS = ROOT.parent / "shared" / "realdocs"
REAL = {
    "resolution": "zh_E_RES_2023_humanitarian_assistance_resolution.txt",
    "report": "zh_E_2023_SG_report_regional_cooperation.txt",
    "letter": "zh_E_2023_letter_venezuela_NGO.txt",
    "working_paper": "zh_A_CN.10_2023_UK_working_paper_outer_space.txt",
    "note": "zh_E_2023_SG_note_UNAIDS_report.txt",
    "note_verbale": "zh_E_2023_note_verbale_ukraine_UNHCR_excom.txt",
}
needs_realdocs = pytest.mark.skipif(not REALDOCS.is_dir(), reason="../shared/realdocs is not beside the repository")

# (file, type, date, title) as the README of realdocs gives them, and as the fixtures were written.
EXPECTED = [
    (REALDOCS / REAL["resolution"], "决议", "2023-06-23", "加强联合国紧急人道主义援助的协调"),
    (REALDOCS / REAL["report"], "报告", None, "经济、社会和有关领域的区域合作"),
    (REALDOCS / REAL["letter"], "信函", "2023-03-30",
     "2023年3月30日委内瑞拉玻利瓦尔共和国常驻联合国代表团临时代办给经济及社会理事会主席的信"),
    (REALDOCS / REAL["working_paper"], "工作文件", None,
     "根据外层空间活动中的透明度和建立信任措施政府专家组报告所载建议，编写促进切实执行外层空间活动中的透明度"
     "和建立信任措施以防止外层空间军备竞赛的建议"),
    (REALDOCS / REAL["note"], "说明", None, "联合国艾滋病毒/艾滋病联合规划署"),
    (REALDOCS / REAL["note_verbale"], "信函", "2023-04-26", "2023年4月26日乌克兰常驻联合国代表团给秘书长的普通照会"),
    (FIXTURES / "E_C12_2023_SR5.txt", "简要记录", "2023-02-15", "第5次会议简要记录"),
    (FIXTURES / "A_RES_77_999.txt", "决议", "2022-12-07", "77/999. 外层空间活动中的透明度示范措施"),
    (FIXTURES / "S_PV_8999.txt", "会议记录", "2021-01-21", "安全理事会第8999次会议"),
    (FIXTURES / "note_verbale_2023_chile.txt", "信函", "2023-05-10", "2023年5月10日智利常驻联合国代表团给秘书长的普通照会"),
    (FIXTURES / "A_CN10_2023_WP9.txt", "工作文件", "2023-04-06", "实现核裁军与核不扩散目标的建议"),
]


@pytest.fixture(scope="module")
def real() -> dict[str, Document]:
    if not REALDOCS.is_dir():
        pytest.skip("../shared/realdocs is not beside the repository")
    return {name: ingest(REALDOCS / file) for name, file in REAL.items()}


@pytest.mark.parametrize(("path", "doc_type", "doc_date", "title"), EXPECTED, ids=lambda v: getattr(v, "stem", None))
def test_type_date_and_title(path: Path, doc_type: str, doc_date: str | None, title: str) -> None:
    if not path.exists():
        pytest.skip(f"{path} is not there")
    doc = ingest(path)
    assert (doc.doc_type, doc.doc_date, doc.title) == (doc_type, doc_date, title)


@pytest.mark.parametrize(
    ("line", "genre"),
    [
        ("2023年6月23日经济及社会理事会决议", ("决议", "after")),
        ("2022 年 12 月 7 日大会决议", ("决议", "after")),
        ("2023年4月5日经济及社会理事会决定", ("决定", "after")),
        ("大会，", ("决议", "before")),
        ("安全理事会，", ("决议", "before")),
        ("2023年4月26日乌克兰常驻联合国代表团给秘书长的普通照会", ("信函", "self")),
        ("2021 年 2 月 8 日芬兰常驻联合国代表给安全理事会主席的信", ("信函", "self")),
        ("第5次会议简要记录", ("简要记录", "self")),
        ("大不列颠及北爱尔兰联合王国提交的工作文件", ("工作文件", "before")),
        ("秘书长的报告*", ("报告", "before")),
        ("人权理事会年度报告", ("报告", "before")),
        ("秘书长的说明", ("说明", "before")),
        ("临时议程", ("议程", "self")),
        ("表示注意到秘书长的报告；", None),  # a sentence of the body, not a genre line
        ("秘书长谨向经济及社会理事会转递联合国艾滋病毒/艾滋病联合规划署执行主任根据理事会第2021/26号决议编写的报告。", None),
        ("2023年届会", None),
    ],
)
def test_genre_lines(line: str, genre: tuple[str, str] | None) -> None:
    assert line_genre(line) == genre


@pytest.mark.parametrize(
    ("symbol", "doc_type"),
    [
        ("S/RES/2532(2020)", "决议"), ("A/RES/77/41", "决议"), ("E/RES/2023/5", "决议"), ("A/HRC/RES/52/1", "决议"),
        ("A/HRC/DEC/52/101", "决定"), ("S/PV.8711", "会议记录"), ("A/77/PV.5", "会议记录"),
        ("E/C.12/2023/SR.5", "简要记录"), ("A/C.3/77/SR.12", "简要记录"), ("A/CN.10/2023/WP.1", "工作文件"),
        ("S/PRST/2021/9", "主席声明"), ("S/2021/130", None), ("E/2023/15", None),
    ],
)
def test_symbol_series_give_the_type(symbol: str, doc_type: str | None) -> None:
    assert symbol_doc_type(symbol) == doc_type


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [("decision", "决定"), ("summary-record", "简要记录"), ("Summary Record", "简要记录"), ("SR", "简要记录"),
     ("note verbale", "信函"), ("普通照会", "信函"), ("working-paper", "工作文件"), ("WP", "工作文件"), ("agenda", "议程")],
)
def test_new_genres_have_english_aliases(alias: str, canonical: str) -> None:
    assert doc_type_from_alias(alias) == canonical


@pytest.mark.parametrize(
    "line",
    ["2023年届会", "2022年7月25日至2023年7月26日", "议程项目19 (e)", "临时议程* 项目4", "执行局", "联合国", "大 会",
     "2023年4月3日至21日，纽约", "2023年实质性会议", "裁军审议委员会"],
)
def test_session_agenda_and_body_lines_are_never_titles(line: str) -> None:
    assert is_session_line(line)


def test_no_title_is_a_head_line() -> None:
    titles = [ingest(path).title for path, *_ in EXPECTED if path.exists()]
    assert titles and not [t for t in titles if is_session_line(t)]


@needs_realdocs
def test_resolution_preamble_and_citation(real: dict[str, Document]) -> None:
    doc = real["resolution"]
    texts = [p.text for p in doc.passages]
    assert "经济及社会理事会，" in texts
    assert "A/RES/46/182" in doc.references


@needs_realdocs
def test_report_chapters_are_headings_with_their_numbers(real: dict[str, Document]) -> None:
    headings = [p.text for p in real["report"].passages if p.kind == "heading"]
    assert headings[:2] == ["摘要", "一. 政策和分析"]
    assert "附件" in headings
    assert "二. 全球艾滋病毒疫情的最新情况" in [p.text for p in real["note"].passages if p.kind == "heading"]
    assert "一. 导言" in [p.text for p in real["note"].passages if p.kind == "heading"]


@needs_realdocs
def test_real_documents_lose_no_line(real: dict[str, Document]) -> None:
    for name, doc in real.items():
        held = "".join(p.text + "".join(f.text for f in p.footnotes) for p in doc.passages).replace(" ", "")
        for line in (REALDOCS / REAL[name]).read_text(encoding="utf-8").splitlines():
            assert line.replace(" ", "") in held, (name, line)


def test_numbered_paragraphs_run_on_to_the_next_number() -> None:
    doc = ingest(FIXTURES / "E_C12_2023_SR5.txt")
    numbered = {p.paragraph: p.text for p in doc.passages if p.paragraph}
    assert list(numbered) == [str(n) for n in range(1, 9)]
    assert numbered["1"].endswith("他请代表团介绍报告。")
    assert numbered["8"].endswith("委员会成员应在下周五之前提出意见。")
    assert [p.text for p in doc.passages if p.kind == "heading"][-1] == "委员会的工作方法"


def test_footnote_lines_are_footnotes_not_passages() -> None:
    doc = ingest(FIXTURES / "E_C12_2023_SR5.txt")
    notes = {p.paragraph: [f.text for f in p.footnotes] for p in doc.passages if p.footnotes}
    assert notes == {"3": ["大会第48/134号决议。"], "4": ["同上。"]}
    assert not [p for p in doc.passages if p.text in ("同上。", "大会第48/134号决议。")]


def test_resolution_operative_paragraph_runs_on() -> None:
    doc = ingest(FIXTURES / "A_RES_77_999.txt")
    numbered = {p.paragraph: p.text for p in doc.passages if p.paragraph}
    assert numbered["2"] == "2. 请秘书长向大会第七十八届会议提交一份报告，其中载有会员国提出的意见；"
    assert "大会，" in [p.text for p in doc.passages]


def test_working_paper_chapter_numbers_join_their_headings() -> None:
    doc = ingest(FIXTURES / "A_CN10_2023_WP9.txt")
    assert [p.text for p in doc.passages if p.kind == "heading"] == ["一. 导言", "三. 建议"]
    assert {p.paragraph: p.heading for p in doc.passages if p.paragraph} == {"1": "一. 导言", "2": "一. 导言", "3": "三. 建议"}


def test_verbatim_page_furniture_is_set_aside_and_cut_sentences_join() -> None:
    doc = ingest(FIXTURES / "S_PV_8999.txt")
    assert not [p.text for p in doc.passages if "21/01/2021" in p.text or "21-01234" in p.text]
    texts = [p.text for p in doc.passages]
    assert any(t.endswith("帮助非洲国家加强自身能力建设，特别是安全部门的能力建设和青年就业。") for t in texts)
    assert any(t.startswith("María López女士(墨西哥)(以西班牙语发言)：墨西哥重申") for t in texts)


def _ingest_text(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return ingest(path)


def test_an_agenda_title_ending_in_report_is_not_the_genre(tmp_path: Path) -> None:
    doc = _ingest_text(tmp_path, "2023年届会\n议程项目4\n联合国难民事务高级专员的报告\n"
                       "2023年5月2日某国常驻联合国代表团给秘书长的普通照会\n某国常驻联合国代表团谨此通知秘书长。\n"
                       "某国政府愿意成为执行委员会成员。\n某国常驻代表团谨请将本照会作为文件分发为荷。\n")
    assert (doc.doc_type, doc.doc_date) == ("信函", "2023-05-02")


def test_summary_record_without_symbol_is_known_by_its_title_line(tmp_path: Path) -> None:
    doc = _ingest_text(tmp_path, "人权事务委员会\n第一三七届会议\n第3990次会议简要记录\n"
                       "2023年3月8日星期三下午3时在日内瓦万国宫举行\n下午3时05分宣布开会。\n"
                       "1. 主席说，委员会将审议第二次定期报告。\n2. Okafor先生(尼日利亚)说，尼日利亚重视《公约》。\n"
                       "他说，政府已通过新的国家行动计划。\n")
    assert (doc.doc_type, doc.doc_date, doc.title) == ("简要记录", "2023-03-08", "第3990次会议简要记录")
    assert {p.paragraph: p.speakers for p in doc.passages if p.paragraph} == {"1": ("主席",), "2": ("尼日利亚", "Okafor")}


def test_human_rights_council_resolution(tmp_path: Path) -> None:
    doc = _ingest_text(tmp_path, "人权理事会\n第五十二届会议\n议程项目3\n2023年4月4日人权理事会通过的决议\n"
                       "52/99. 受教育权\n人权理事会，\n重申所有人权的普遍性，\n1. 吁请所有国家确保受教育权；\n"
                       "2. 决定继续审议这一问题。\n")
    assert (doc.doc_type, doc.doc_date, doc.title) == ("决议", "2023-04-04", "52/99. 受教育权")


def test_a_report_cited_in_the_body_is_not_the_genre(tmp_path: Path) -> None:
    doc = _ingest_text(tmp_path, "某某问题\n安全理事会于2023年5月举行了两次会议，审议了这一问题的最新发展情况。\n"
                       "秘书长的报告\n安理会成员欢迎这份报告。\n")
    assert doc.doc_type == "其他"
    assert doc.title == "某某问题"


@pytest.mark.parametrize("line", ["S/PV.8711 非洲和平与安全 21/01/2021", "21/01/2021 非洲和平与安全 S/PV.8711",
                                  "A/77/PV.5 22/09/2022", "3/25 21-01234", "21-01234 4/25"])
def test_verbatim_running_heads_and_footers_are_furniture(line: str) -> None:
    assert is_running_furniture(line)
