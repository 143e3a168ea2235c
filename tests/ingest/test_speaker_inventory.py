"""Every speaker value found over the seeds, ../shared/realdocs and the fixtures, each checked by hand.

Why a full inventory: "a speaker is a person's name, a state, an organisation or a title, never a clause
fragment" can only be falsified by looking at every value.  A rule change that adds, drops or garbles a
speaker anywhere fails here; if the new value is right, check it by hand and add it to the list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.ingest.pipeline import ingest
from tests.conftest import CORPUS, FIXTURES, ROOT, SEEDS

REALDOCS = ROOT.parent / "shared" / "realdocs"
GENRES = FIXTURES / "genres"

# File -> its speakers, sorted.  Each value was read in its passage: all are people, states, organisations
# or offices that speak, brief or are reported speaking there.
EXPECTED: dict[Path, list[str]] = {
    CORPUS / SEEDS["report"]: [],
    CORPUS / SEEDS["letter"]: [
        "中国", "乔纳森·艾伦", "京特·绍特尔", "何塞·辛格·魏辛格", "俄罗斯联邦", "南非", "印度尼西亚", "塔里克·拉德卜",
        "多米尼加共和国", "安娜·叶夫斯京格聂耶娃", "小理查德·米尔斯", "尼古拉斯·德里维埃", "尼日尔", "德国", "斯文·于尔根松",
        "杰里·马特基拉", "比利时", "法国", "爱沙尼亚", "穆萨·马曼·萨尼", "突尼斯", "美国", "耿爽", "联合王国",
        "菲利普·克里德尔卡", "越南", "邓廷贵", "钱宁",
    ],
    CORPUS / SEEDS["prst"]: ["安全理事会主席"],
    CORPUS / SEEDS["rep35"]: [
        "《联合国关于在发生严重干旱和/或荒漠化的国家特别是在非洲防治荒漠化的公约》执行秘书", "东盟理事会秘书长", "东盟秘书长",
        "主管人道主义事务副秘书长兼紧急救济协调员", "主管和平行动副秘书长", "主管政治与建设和平事务副秘书长",
        "主管政治和建设和平事务副秘书长", "主管欧洲、中亚和美洲事务助理秘书长", "主管法治和安全机构事务助理秘书长",
        "主管法治和安全机构助理秘书长", "主管非洲事务助理秘书长", "也门青年无国界发展组织项目协调员", "俄罗斯科学院东方研究所所长",
        "俄罗斯联邦", "俄罗斯联邦总统", "南苏丹/乌干达增强青年权能倡议发起人", "南非", "国际危机组织主席兼首席执行官",
        "国际危机组织主席兼首席执行干事", "多米尼加共和国", "尼日尔", "尼日尔国家战略和安全研究中心主任", "欧洲联盟驻联合国代表团团长",
        "秘书长", "秘书长青年问题特使", "红十字国际委员会", "红十字国际委员会主席", "纽埃可持续太平洋咨询公司主任", "美国",
        "长者会主席", "非洲联盟和平与安全事务专员", "非洲联盟委员会主席", "非洲联盟社会事务专员",
    ],
    CORPUS / SEEDS["rep36"]: [
        "东盟理事会秘书长", "东盟秘书长", "主管非洲事务助理秘书长", "亚美尼亚外交部长", "欧盟外交与安全政策高级代表", "法国",
        "法语国家国际组织秘书长", "秘书长", "越南", "非洲联盟委员会主席",
    ],
    REALDOCS / "zh_A_CN.10_2023_UK_working_paper_outer_space.txt": [],
    REALDOCS / "zh_E_2023_SG_note_UNAIDS_report.txt": [],
    REALDOCS / "zh_E_2023_SG_report_regional_cooperation.txt": ["秘书长"],  # "秘书长指出，许多目标的进展偏离轨道"
    REALDOCS / "zh_E_2023_letter_venezuela_NGO.txt": ["人权理事会主席"],  # "随即被人权理事会主席指出"
    REALDOCS / "zh_E_2023_note_verbale_ukraine_UNHCR_excom.txt": [],
    REALDOCS / "zh_E_RES_2023_humanitarian_assistance_resolution.txt": ["秘书长"],  # "欢迎秘书长呼吁将该基金增加一倍"
    FIXTURES / "A_CN10_2023_WP9.txt": [],
    FIXTURES / "A_RES_77_999.txt": [],
    FIXTURES / "E_C12_2023_SR5.txt": ["Jiménez", "Kumar", "Pedroso Cuesta", "中国", "主席", "印度", "古巴", "欧洲联盟", "陈静"],
    FIXTURES / "S_PV_8999.txt": ["Kimani", "María López", "中国", "主席", "墨西哥", "王明", "秘书长", "肯尼亚"],
    FIXTURES / "S_PV_9999.txt": ["中国", "主席", "古特雷斯", "张军", "德里维埃", "法国", "秘书长", "越南", "邓廷贵"],
    FIXTURES / "note_verbale_2023_chile.txt": [],
    # tests/fixtures/genres: turns "主席(以英语发言)：", "韦伯总统(以英语发言)：" (the person), "杜布瓦女士(法国)(以法语发言)："
    GENRES / "A_78_PV_12.txt": ["中国", "主席", "代理主席", "南方海岸共和国", "张三", "杜布瓦", "法国", "阿尔瓦雷斯", "韦伯"],
    GENRES / "A_78_150.txt": ["大会主席"],  # agenda item "大会主席宣布会议开幕。": the President opens the session
    GENRES / "A_78_123.txt": [],
    GENRES / "A_78_239.txt": [],
    GENRES / "A_DEC_77_556.txt": [],
    GENRES / "A_RES_78_190.txt": [],  # "请秘书长…提交" asks, it does not report a speech
    GENRES / "E_DEC_2023_201_web.txt": [],
    GENRES / "A_HRC_RES_52_1.txt": [],
    GENRES / "E_2023_SR_12.txt": [
        "Müller", "Okonkwo-Bello", "Santos", "中国", "主席", "尼日利亚", "德国", "李明", "沙特阿拉伯", "红十字国际委员会", "阿卜杜拉",
    ],
    GENRES / "E_2023_SR_12_layout.txt": [
        "Müller", "Okonkwo-Bello", "Santos", "中国", "主席", "尼日利亚", "德国", "李明", "沙特阿拉伯", "红十字国际委员会", "阿卜杜拉",
    ],
    GENRES / "E_2023_SR_12.docx": [
        "Müller", "Okonkwo-Bello", "Santos", "中国", "主席", "尼日利亚", "德国", "李明", "沙特阿拉伯", "红十字国际委员会", "阿卜杜拉",
    ],
    GENRES / "E_2024_note_statistics_gb18030.txt": [],
    GENRES / "S_PV_9601_traditional.txt": ["中国", "主席", "杜布瓦", "法国", "王五"],  # turns read in simplified form
    GENRES / "E_2023_SR_13_traditional.txt": ["Müller", "主席", "德国"],
    GENRES / "S_2023_456.txt": ["外交部长"],  # in the annex: "外交部长在讲话中强调"
    GENRES / "S_RES_2719_2023.txt": [],  # "请秘书长…提出报告" asks, it does not report a speech
    GENRES / "note_verbale_traditional_fullwidth.txt": [],
    GENRES / "repertoire_part5_subsidiary_bodies.txt": [],
}


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: p.name)
def test_every_speaker_value_is_one_checked_by_hand(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is not there")
    doc = ingest(path, CORPUS if path.parent == CORPUS else None)
    assert sorted({s for p in doc.passages for s in p.speakers}) == EXPECTED[path]


def test_the_inventory_covers_every_text_fixture() -> None:
    assert {p for p in FIXTURES.glob("*.txt")} <= set(EXPECTED)
    assert {p for p in GENRES.iterdir() if p.suffix in (".txt", ".docx")} <= set(EXPECTED)


def test_summary_record_turns_hold_across_paragraphs() -> None:
    doc = ingest(FIXTURES / "E_C12_2023_SR5.txt")
    by_number = {p.paragraph: p.speakers for p in doc.passages if p.paragraph}
    assert by_number == {
        "1": ("主席",), "2": ("印度", "Kumar"), "3": ("印度", "Kumar"), "4": ("古巴", "Pedroso Cuesta"),
        "5": ("欧洲联盟", "Jiménez"), "6": ("中国", "陈静"), "7": ("主席",), "8": ("主席",),
    }
    assert [p.speakers for p in doc.passages if p.text.endswith("散会。")] == [()]
