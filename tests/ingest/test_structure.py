"""structure: passages in reading order with paragraph numbers, heading paths, footnotes and spans."""

from __future__ import annotations

import re

import pytest

from indexer.ingest import readers
from indexer.ingest.clean import clean
from indexer.ingest.structure import structure
from indexer.models import Block
from tests.conftest import CORPUS, SEEDS

REP36_HEADING = "36. 联合国与区域和次区域组织在维护国际和平与安全方面的合作"
REPORT_CHAPTER = "二. 联合国同各区域组织及其他组织的合作"


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[list[Block], str]]:
    return {name: structure(clean(readers.read(CORPUS / file))) for name, file in SEEDS.items()}


def containing(blocks: list[Block], words: str) -> Block:
    found = [b for b in blocks if words in b.text]
    assert len(found) == 1, f"{len(found)} passages contain {words!r}"
    return found[0]


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [("rep36", 26, 30), ("rep35", 62, 68), ("prst", 14, 14), ("report", 142, 148), ("letter", 100, 106)],
)
def test_passage_count_per_seed(seeds, name: str, low: int, high: int) -> None:
    assert low <= len(seeds[name][0]) <= high


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_spans_point_into_the_document_text(seeds, name: str) -> None:
    blocks, doc_text = seeds[name]
    for block in blocks:
        assert doc_text[block.span[0]:block.span[1]] == block.text
    assert [b.span[0] for b in blocks] == sorted(b.span[0] for b in blocks)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_no_passage_holds_furniture_links_rules_or_stray_markers(seeds, name: str) -> None:
    for block in seeds[name][0]:
        assert "https://" not in block.text
        assert "____" not in block.text
        assert not re.search(r"\d{2}-\d{5}", block.text), block.text  # job numbers
        assert not re.search(r"[。，；、）)]\s?\d{3}(?:\s|$)", block.text), block.text  # "…问题。961 安理会"
        assert not re.search(r"[\u4e00-\u9fff] 9[5-7]\d [\u4e00-\u9fff]", block.text), block.text  # "的 959 越南"
        assert "S/2021/130" not in block.text or name != "letter"


def test_rep36_passage_joined_across_lines_and_the_footnote_block(seeds) -> None:
    block = containing(seeds["rep36"][0], "两个组织今天都在关注如何加强合作")
    assert block.text.startswith("1 月 30 日，安理会在担任该月份主席的越南倡议下举行了一次会议，重点讨论联合国同东南亚国家联盟(东盟)的合作。")
    assert "展望今后，他说东盟和联合国在和平与安全领域的实际合作存在多个潜在领域。" in block.text
    assert block.text.endswith("最后，他说联合国七十五周年纪念活动为包括东盟国家在内的联合国会员国在加强联合国方面密切合作提供了良机。")
    assert block.heading == REP36_HEADING


def test_rep36_footnotes_attached_with_marker_offsets(seeds) -> None:
    block = containing(seeds["rep36"][0], "两个组织今天都在关注如何加强合作")
    assert [(f.marker, f.text) for f in block.footnotes] == [
        ("959", "安理会面前有 2020 年 1 月 9 日的信(S/2020/30)所附的概念说明。"),
        ("960", "见 S/PV.8711。"),
    ]
    assert block.text[: block.footnotes[0].offset].endswith("担任该月份主席的")
    assert block.text[: block.footnotes[1].offset].endswith("举行了一次会议，")


def test_rep36_markers_inside_sentences_are_removed_and_counts_kept(seeds) -> None:
    blocks = seeds["rep36"][0]
    first = containing(blocks, "在本文件所述期间")
    assert "举行了 1 次会议，形式为情况通报会。安理会成员还就该项目举行了 3 次公开视频会议。" in first.text
    assert "发表了 2 项主席声明。" in first.text
    assert [f.marker for f in first.footnotes] == ["957", "958"]
    niger = containing(blocks, "尼日尔倡议下就该项目举行视频会议，重点讨论法语国家国际组织的作用。")
    assert [f.marker for f in niger.footnotes] == ["966", "967"]
    assert "第 2532(2020)号决议" in niger.text


def test_rep36_paragraph_split_by_a_link_run_and_footnotes_is_whole(seeds) -> None:
    block = containing(seeds["rep36"][0], "大湖区问题国际会议、2000 年《阿鲁沙布隆迪和平与和解协定》保证方协调努力")
    assert block.text.endswith("并期待秘书长在关于大湖区和中部非洲的定期报告中介绍布隆迪局势。")
    assert [f.marker for f in block.footnotes] == ["976", "977", "978"]


def test_rep35_marker_on_one_page_footnote_on_the_next(seeds) -> None:
    block = containing(seeds["rep35"][0], "安理会成员举行了一次关于“气候与安全”主题的视频会议，会上听取了")
    assert [f.marker for f in block.footnotes] == ["922", "923"]
    assert block.footnotes[1].text == "见 S/2020/751。"


def test_report_heading_paths_and_paragraph_numbers(seeds) -> None:
    blocks = seeds["report"][0]
    para25 = next(b for b in blocks if b.paragraph == "25")
    assert para25.heading == f"{REPORT_CHAPTER} › 东南亚国家联盟"
    assert para25.text.startswith("25. 联合国与东南亚国家联盟(东盟)有着长期的互利关系")
    assert next(b for b in blocks if b.paragraph == "5").heading == f"{REPORT_CHAPTER} › 非洲联盟"
    assert next(b for b in blocks if b.paragraph == "1").heading == "一. 引言"
    assert next(b for b in blocks if b.paragraph == "107").heading == "四. 意见和建议"
    numbers = [int(b.paragraph) for b in blocks if b.paragraph]
    assert numbers == list(range(1, 109))


def test_report_markdown_links_unwrapped(seeds) -> None:
    block = containing(seeds["report"][0], "本合并报告根据大会第 58/316 号决议附件第 4(l)段编写，是对")
    assert "安全理事会第 1809(2008)号决议和 2013 年 8 月 6 日的主席声明(S/PRST/2013/12)" in block.text
    assert "](#)" not in block.text and "\\" not in block.text


def test_report_paragraph_broken_by_a_page_is_joined(seeds) -> None:
    blocks = seeds["report"][0]
    para15 = next(b for b in blocks if b.paragraph == "15")
    assert "妇女、和平与安全事务特使于 2019 年 10 月率领第三次联合国——非洲联盟高级别联合声援团" in para15.text
    para53 = next(b for b in blocks if b.paragraph == "53")
    assert "在 2019 年 12 月 6 日发表的部长级罗安达宣言所提出的要求" in para53.text


def test_report_superscript_footnote(seeds) -> None:
    para50 = next(b for b in seeds["report"][0] if b.paragraph == "50")
    (note,) = para50.footnotes
    assert note.marker == "¹"
    assert note.text.startswith("根据大会第 72/262 C 号决议，2019 年 1 月 1 日成立了政治和建设和平事务部及和平行动部")
    assert note.offset == len(para50.text)  # "…的非正式做法。¹"
    assert para50.text.endswith("进行对话的非正式做法。")


def test_letter_session_headings(seeds) -> None:
    blocks = seeds["letter"][0]
    assert containing(blocks, "总体而言，安全理事会在 2020 年采取了负责任的行动").heading == "第一场会议 › 评估安理会 2020 年工作绩效"
    assert containing(blocks, "即将上任的成员应明确设定自己两年任期的议程").heading == "第二场会议 › 在安理会内外的作用"
    chair = containing(blocks, "斯文·于尔根松大使")
    assert chair.text == "主持人 爱沙尼亚常驻代表 斯文·于尔根松大使"
    assert any(b.kind == "heading" and b.text == "第一场会议" for b in blocks)
    bullet = containing(blocks, "2020 年对安理会而言绝非平常")
    assert bullet.kind == "bullet" and bullet.heading == "附录 › 第一场会议"
    assert bullet.text.endswith("未能派遣实地访问团有造成重大影响吗？")


def test_letter_paragraph_across_a_page_header(seeds) -> None:
    block = containing(seeds["letter"][0], "他所属的国家在利比亚局势问题上的参与既包括在安理会的活动，也包括本国的外交努力")
    assert block.heading == "第二场会议 › 在安理会内外的作用"


def test_prst_paragraphs_and_title(seeds) -> None:
    blocks = seeds["prst"][0]
    assert blocks[0].text == "安全理事会主席声明" and blocks[0].kind == "heading"
    joined = containing(blocks, "应酌情促进联合国与区域和次区域组织在冲突预警、预防冲突、建立和平")
    assert joined.text.startswith("“安全理事会认识到，区域和次区域组织有能力促进各自区域内有关各方之间的信任")


def test_rep36_table_rows_are_labelled(seeds) -> None:
    rows = [b for b in seeds["rep36"][0] if b.kind == "table_row"]
    assert (
        "视频会议日期：2020 年 12 月 3 日；视频会议记录：S/2020/1176；标题：2020 年 12 月 8 日安全理事会主席给秘书长和"
        "安全理事会成员常驻代表的信；决定、表决(赞成-反对-弃权)和书面程序记录：第 2553(2020)号决议 15-0-0 S/2020/1167"
    ) in [r.text for r in rows]
    meeting = next(r for r in rows if r.text.startswith("会议记录和日期：S/PV.8711"))
    assert "分项：联合国同东南亚国家联盟(东盟)的合作" in meeting.text
    assert "其他文件：2020 年 1 月 9 日越南常驻联合国代表给秘书长的信(S/2020/30)" in meeting.text
    assert meeting.heading == f"{REP36_HEADING} › 表 1 会议：联合国与区域组织和次区域组织合作"
    assert rows[0].text == "视频会议日期 | 视频会议记录 | 标题 | 决定、表决(赞成-反对-弃权)和书面程序记录"
    assert rows[0].heading == ""


def test_rep35_table_fragment_at_the_top_is_kept(seeds) -> None:
    blocks = seeds["rep35"][0]
    assert blocks[1].text == "决定、表决(赞成-反对-弃权)和书面程序记录：S/2020/920"
    letter_spaced = containing(blocks, "会议记录和日期：S/PV.8699")
    assert "秘书长的信(S/2020/1)" in letter_spaced.text


@pytest.mark.parametrize(("name", "first", "last"), [("rep36", 957, 978), ("rep35", 905, 960)])
def test_every_repertoire_footnote_marker_is_found_in_order(seeds, name: str, first: int, last: int) -> None:
    notes = [(note.marker, note.offset) for block in seeds[name][0] for note in block.footnotes]
    assert [marker for marker, _ in notes] == [str(n) for n in range(first, last + 1)]
    assert all(offset >= 0 for _, offset in notes)


def test_report_cover_title_and_summary(seeds) -> None:
    blocks = seeds["report"][0]
    texts = [b.text for b in blocks]
    title = texts.index("联合国同各区域组织及其他组织的合作")
    assert blocks[title].kind == "heading"
    assert texts[title + 1 : title + 3] == ["秘书长的报告", "摘要"]
    assert blocks[title + 3].heading == "摘要"
    agenda = containing(blocks, "联合国同非洲联盟的合作")
    assert agenda.text.endswith("联合国同国际刑事警察组织(国际刑警组织)的合作 联合国同拯救咸海国际基金会的合作")
    assert containing(blocks, "临时议程").footnotes[0].text == "A/75/150。"
