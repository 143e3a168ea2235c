"""Speakers: who speaks or is reported speaking, and the turns of a verbatim record."""

from __future__ import annotations

import pytest

from indexer.ingest.metadata.speakers import passage_speakers, speaker_turn, split_names
from indexer.ingest.pipeline import ingest
from indexer.language.speakers import canonical_speaker
from tests.conftest import FIXTURES

# rep36, the 30 January meeting, lines re-joined (footnote markers removed).
REP36_JAN30 = (
    "1 月 30 日，安理会在担任该月份主席的越南倡议下举行了一次会议，重点讨论联合国同东南亚国家联盟(东盟)的合作。"
    "安理会在会上听取了秘书长和东盟理事会秘书长的通报。秘书长在发言中指出，自 2011 年正式通过《东南亚国家联盟和联合国"
    "全面伙伴关系联合宣言》以来，两个组织今天都在关注如何加强合作以应对和平与安全所面临的威胁。展望今后，他说东盟和联合国"
    "在和平与安全领域的实际合作存在多个潜在领域。东盟秘书长在发言中谈到 2 个问题。"
)
REP36_EU = (
    "5 月 28 日，安理会成员就此项目举行公开视频会议，重点讨论了联合国与欧洲联盟之间的合作。安理会成员在视频会议上听取了"
    "欧盟外交与安全政策高级代表的通报。高级代表在发言中概述了欧洲联盟在国际和平与安全问题上的行动领域。"
)
REP36_OIF = (
    "安理会成员听取了主管非洲事务助理秘书长、法语国家国际组织秘书长、亚美尼亚外交部长(以法语国家国际组织部长级会议主席的"
    "身份)所作的情况通报。助理秘书长在通报中指出，在联合国、法语国家国际组织分别成立七十五周年、五十周年之际。"
)
PRST_OPENING = (
    "2021 年 4 月 19 日，依照因 2019 冠状病毒病大流行所致特殊情况而商定并在 S/2020/372 号文件中所列程序，"
    "安全理事会主席就安理会审议的题为“联合国与区域和次区域组织在维护国际和平与安全方面的合作”的项目，代表安理会发表声明如下："
)


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (REP36_JAN30, ["秘书长", "东盟理事会秘书长", "东盟秘书长"]),
        ("最后，越南代表表示希望这次会议创造的势头延续到未来。", ["越南"]),
        (REP36_EU, ["欧盟外交与安全政策高级代表"]),
        (REP36_OIF, ["主管非洲事务助理秘书长", "法语国家国际组织秘书长", "亚美尼亚外交部长"]),
        (PRST_OPENING, ["安全理事会主席"]),
        ("长者会主席表示，世界正面临着两大不同的存在性威胁。", ["长者会主席"]),
        ("一位发言者表示，对于安理会的一些议程项目，有理由抱有希望。", []),
    ],
)
def test_passage_speakers_are_canonical(text: str, speakers: list[str]) -> None:
    assert passage_speakers(text) == speakers


@pytest.mark.parametrize(
    ("who", "canonical"),
    [("越南代表", "越南"), ("芬兰常驻代表", "芬兰"), ("欧盟外交与安全政策高级代表", "欧盟外交与安全政策高级代表"),
     ("安理会主席", "安全理事会主席"), ("他", None), ("最后越南代表", "越南")],
)
def test_canonical_speaker(who: str, canonical: str | None) -> None:
    assert canonical_speaker(who) == canonical


@pytest.mark.parametrize(
    ("line", "speakers"),
    [
        ("主席(以英语发言)：我欢迎秘书长出席本次会议。", ["主席"]),
        ("张军先生(中国)：中国支持联合国同东南亚国家联盟(东盟)加强合作。", ["中国", "张军"]),
        ("德里维埃先生(法国)(以法语发言)：法国赞同秘书长的看法。", ["法国", "德里维埃"]),
        ("古特雷斯秘书长(以英语发言)：我感谢主席召开这次会议。", ["秘书长", "古特雷斯"]),
        ("主席： 张军先生 ........................ (中国)", None),
        ("议程通过。", None),
    ],
)
def test_speaker_turn(line: str, speakers: list[str] | None) -> None:
    assert speaker_turn(line) == speakers


def test_verbatim_record_turns_attach_to_their_passages() -> None:
    doc = ingest(FIXTURES / "S_PV_9999.txt")
    assert doc.doc_type == "会议记录"
    assert doc.symbols == ("S/PV.9999",)

    def speakers(start: str) -> tuple[str, ...]:
        return next(p.speakers for p in doc.passages if p.text.startswith(start))

    assert speakers("主席(以英语发言)：我欢迎") == ("主席",)
    assert speakers("古特雷斯秘书长(以英语发言)") == ("秘书长", "古特雷斯")
    assert speakers("区域伙伴关系仍是预防冲突的基石") == ("秘书长", "古特雷斯")  # the turn goes on
    assert speakers("我们欢迎 S/PRST/2021/9") == ("中国", "张军")
    assert speakers("德里维埃先生(法国)") == ("法国", "德里维埃")
    assert speakers("上午 11 时 20 分散会。") == ()
    assert speakers("主席： 张军先生") == ()  # the cover's member list is no turn



def _passage(doc, start: str):
    return next(p for p in doc.passages if p.text.startswith(start))


def test_rep36_meeting_passages_name_their_speakers(seed_docs) -> None:
    doc = seed_docs["rep36"]
    jan30 = _passage(doc, "1 月 30 日")
    assert jan30.speakers == ("秘书长", "东盟理事会秘书长", "东盟秘书长")
    assert jan30.dates[0] == "2020-01-30"
    assert _passage(doc, "安理会成员听取通报后").speakers == ("越南",)  # "最后，越南代表表示希望…"
    assert _passage(doc, "5 月 28 日").speakers == ("欧盟外交与安全政策高级代表",)


def test_prst_speaker_is_the_council_president(seed_docs) -> None:
    doc = seed_docs["prst"]
    assert {s for p in doc.passages for s in p.speakers} == {"安全理事会主席"}


def test_table_row_speakers() -> None:
    row = ("会议记录和日期：S/PV.8711 2020 年 1 月 30 日；邀请和发言者：东盟秘书长 秘书长、13 个安理会成员、a 受邀者")
    assert passage_speakers(row) == ["东盟秘书长", "秘书长"]
    row = "邀请和发言者：94 个会员国 a 长者会主席、巴勒斯坦国常驻观察员 安理会全体成员、b 92 个会员国；决定"
    assert passage_speakers(row) == ["长者会主席", "巴勒斯坦国"]


def test_list_splits_only_after_a_title() -> None:
    assert split_names("主管欧洲、中亚和美洲事务助理秘书长、尼日尔国家战略和安全研究中心主任和纽埃可持续太平洋咨询公司主任") == [
        "主管欧洲、中亚和美洲事务助理秘书长", "尼日尔国家战略和安全研究中心主任", "纽埃可持续太平洋咨询公司主任",
    ]


def test_seminar_roster_names_states_and_people(seed_docs) -> None:
    doc = seed_docs["letter"]
    commentators = _passage(doc, "评论员 法国常驻代表")
    assert commentators.speakers == ("法国", "尼古拉斯·德里维埃", "中国", "耿爽", "尼日尔", "穆萨·马曼·萨尼")
    assert _passage(doc, "主持人 乔纳森·艾伦大使").speakers == ("乔纳森·艾伦", "联合王国")


def test_short_mention_takes_the_full_name_stated_before() -> None:
    text = ("安理会成员听取了尼日尔国家战略和安全研究中心主任的通报。国家战略和安全研究中心主任指出，气候变化。"
            "南苏丹代表表示支持。苏丹代表表示反对。秘书长说，两个组织。")
    assert passage_speakers(text) == ["尼日尔国家战略和安全研究中心主任", "南苏丹", "苏丹", "秘书长"]


@pytest.mark.parametrize(
    "text",
    ["安理会要求秘书长提出建议。", "安理会请秘书长报告执行情况。", "安理会邀请秘书长特别代表通报情况。",
     "安理会欢迎秘书长的报告。", "安全理事会鼓励秘书长继续努力。"],
)
def test_one_asked_to_act_is_no_speaker(text: str) -> None:
    assert passage_speakers(text) == []
