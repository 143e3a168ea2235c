"""Type, date and title right? A table over ../shared/realdocs, the layout fixtures and the seeds.

    python benchmarks/genres.py

The seeds are read as they come in ../shared/seeds, without the sidecars that corpus/ gives them, so
the table measures what ingestion understands by itself.  Expected values: the realdocs README, the
fixtures as written, and for the seeds what their own pages say (a Repertoire extract has no document
date of its own; its title is the section it opens with).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest.pipeline import ingest  # noqa: E402
from indexer.language.normalize import to_simplified  # noqa: E402

SHARED = ROOT.parent / "shared"
REAL = SHARED / "realdocs"
SEEDS = SHARED / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
GENRES = FIXTURES / "genres"

# (path, type, date, title)
EXPECTED: list[tuple[Path, str, str | None, str]] = [
    (REAL / "zh_E_RES_2023_humanitarian_assistance_resolution.txt", "决议", "2023-06-23", "加强联合国紧急人道主义援助的协调"),
    (REAL / "zh_E_2023_SG_report_regional_cooperation.txt", "报告", None, "经济、社会和有关领域的区域合作"),
    (REAL / "zh_E_2023_letter_venezuela_NGO.txt", "信函", "2023-03-30",
     "2023年3月30日委内瑞拉玻利瓦尔共和国常驻联合国代表团临时代办给经济及社会理事会主席的信"),
    (REAL / "zh_A_CN.10_2023_UK_working_paper_outer_space.txt", "工作文件", None,
     "根据外层空间活动中的透明度和建立信任措施政府专家组报告所载建议，编写促进切实执行外层空间活动中的透明度"
     "和建立信任措施以防止外层空间军备竞赛的建议"),
    (REAL / "zh_E_2023_SG_note_UNAIDS_report.txt", "说明", None, "联合国艾滋病毒/艾滋病联合规划署"),
    (REAL / "zh_E_2023_note_verbale_ukraine_UNHCR_excom.txt", "信函", "2023-04-26",
     "2023年4月26日乌克兰常驻联合国代表团给秘书长的普通照会"),
    (FIXTURES / "E_C12_2023_SR5.txt", "简要记录", "2023-02-15", "第5次会议简要记录"),
    (FIXTURES / "A_RES_77_999.txt", "决议", "2022-12-07", "77/999. 外层空间活动中的透明度示范措施"),
    (FIXTURES / "S_PV_8999.txt", "会议记录", "2021-01-21", "安全理事会第8999次会议"),
    (FIXTURES / "S_PV_9999.txt", "会议记录", "2021-06-01", "安全理事会第9999次会议"),
    (FIXTURES / "note_verbale_2023_chile.txt", "信函", "2023-05-10", "2023年5月10日智利常驻联合国代表团给秘书长的普通照会"),
    (FIXTURES / "A_CN10_2023_WP9.txt", "工作文件", "2023-04-06", "实现核裁军与核不扩散目标的建议"),
    (SEEDS / "000_b017487139d53914.txt", "汇编", None, "36. 联合国与区域和次区域组织在维护国际和平与安全方面的合作"),
    (SEEDS / "001_4555d9227fbcb822.txt", "汇编", None, "35. 维护国际和平与安全"),
    (SEEDS / "002_368d798513cdb8e9.txt", "主席声明", "2021-04-19", "安全理事会主席声明"),
    (SEEDS / "003_2ff54e62395f7f44.txt", "报告", "2020-09-11", "联合国同各区域组织及其他组织的合作"),
    (SEEDS / "004_110017da9d5181e2.txt", "信函", "2021-02-08", "2021 年 2 月 8 日芬兰常驻联合国代表给安全理事会主席的信"),
    # tests/fixtures/genres: written for the tests in other UN layouts (see tests/ingest/test_unseen_genres.py)
    (GENRES / "A_78_PV_12.txt", "会议记录", "2023-09-25", "大会第七十八届会议第12次全体会议"),
    (GENRES / "S_RES_2719_2023.txt", "决议", "2023-12-21", "第 2719 (2023)号决议"),
    (GENRES / "A_HRC_RES_52_1.txt", "决议", "2023-04-03", "52/1. 获得安全饮用水和卫生设施的人权"),
    (GENRES / "A_RES_78_190.txt", "决议", "2023-12-19", "78/190. 发展权"),
    (GENRES / "E_DEC_2023_201_web.txt", "决定", "2023-02-08", "2023/201. 经济及社会理事会2023年届会临时议程"),
    (GENRES / "A_DEC_77_556.txt", "决定", "2023-07-28", "77/556. 任命联合检查组成员"),
    (GENRES / "A_78_150.txt", "议程", "2023-07-14", "大会第七十八届常会临时议程"),
    (GENRES / "A_78_239.txt", "报告", "2023-07-28", "第三个联合国消除贫困十年(2018-2027年)期间全系统在消除贫困方面的行动计划的执行情况"),
    (GENRES / "A_78_123.txt", "报告", "2023-07-01", "人权与极端贫困"),
    (GENRES / "E_2023_SR_12.txt", "简要记录", "2023-06-21", "第12次会议简要记录"),
    (GENRES / "E_2023_SR_12.docx", "简要记录", "2023-06-21", "第12次会议简要记录"),
    (GENRES / "E_2023_SR_12_layout.txt", "简要记录", "2023-06-21", "第12次会议简要记录"),
    (GENRES / "S_2023_456.txt", "信函", "2023-06-19", "2023年6月19日北方群岛共和国常驻联合国代表给秘书长和安全理事会主席的同文信"),
    (GENRES / "repertoire_part5_subsidiary_bodies.txt", "汇编", None, "第五部分 安全理事会的附属机关"),
    (GENRES / "note_verbale_traditional_fullwidth.txt", "信函", "2023-05-02",
     "２０２３年５月２日北方群島共和國常駐聯合國代表團給秘書長的普通照會"),
    (GENRES / "S_PV_9601_traditional.txt", "会议记录", "2024-04-19", "安全理事会第9601次会议"),
    (GENRES / "E_2023_SR_13_traditional.txt", "简要记录", "2023-06-22", "第13次會議簡要記錄"),
    (GENRES / "E_2024_note_statistics_gb18030.txt", "说明", None, "统计委员会2024年工作方案"),
]


def _mark(ok: bool) -> str:
    return "ok" if ok else "WRONG"


def main() -> None:
    rows = [e for e in EXPECTED if e[0].exists()]
    right = {"type": 0, "date": 0, "title": 0}
    print("| document | type | date | title |")
    print("|---|---|---|---|")
    for path, doc_type, doc_date, title in rows:
        doc = ingest(path)
        got = {"type": doc.doc_type == doc_type, "date": doc.doc_date == doc_date, "title": doc.title == title}
        for key, ok in got.items():
            right[key] += ok
        cells = [f"{_mark(got['type'])} {doc.doc_type}", f"{_mark(got['date'])} {doc.doc_date}",
                 f"{_mark(got['title'])} {doc.title[:24]}"]
        print(f"| {path.parent.name}/{path.name[:44]} | " + " | ".join(cells) + " |")
    print()
    print(" ".join(f"{key} {n}/{len(rows)}" for key, n in right.items()))
    _turns([path for path, doc_type, *_ in rows if doc_type in ("简要记录", "会议记录")])
    _right_turns()
    _unchecked_speakers([path for path, *_ in rows])


PROCEDURE_RE = re.compile(r"(?:开会|散会|复会|休会|议程通过)。?$")


STAGE_RE = re.compile(r"在陪同下(?:进入|退出)")  # a verbatim record's stage direction: nobody speaks


def _turns(paths: list[Path]) -> None:
    """Records: of the text passages from the first turn to the closing line (procedural lines and stage
    directions aside), how many have a speaker."""
    total = [0, 0]
    for path in paths:
        passages = ingest(path).passages
        first = next((i for i, p in enumerate(passages) if p.speakers), len(passages))
        plain = [to_simplified(p.text) for p in passages]  # "散會。" too
        end = max((i for i, text in enumerate(plain) if text.endswith("散会。")), default=len(passages))
        body = [p for p, text in zip(passages[first:end], plain[first:end], strict=True)
                if p.kind == "text" and not PROCEDURE_RE.search(text) and not STAGE_RE.search(text)]
        spoken = sum(bool(p.speakers) for p in body)
        total = [total[0] + spoken, total[1] + len(body)]
        print(f"{path.name}: {spoken}/{len(body)} passages after the first turn attributed")
    print(f"records: {total[0]}/{total[1]} passages after the first turn attributed")


_SR12 = {"1": ("主席",), "2": ("德国", "Müller"), "3": ("德国", "Müller"), "4": ("德国", "Müller"),
         "5": ("沙特阿拉伯", "阿卜杜拉"), "6": ("沙特阿拉伯", "阿卜杜拉"), "7": ("尼日利亚", "Okonkwo-Bello"),
         "8": ("中国", "李明"), "9": ("红十字国际委员会", "Santos"), "10": ("主席",)}
# Summary records: paragraph number -> its speakers, as the fixtures were written.
RIGHT_TURNS: dict[Path, dict[str, tuple[str, ...]]] = {
    FIXTURES / "E_C12_2023_SR5.txt": {
        "1": ("主席",), "2": ("印度", "Kumar"), "3": ("印度", "Kumar"), "4": ("古巴", "Pedroso Cuesta"),
        "5": ("欧洲联盟", "Jiménez"), "6": ("中国", "陈静"), "7": ("主席",), "8": ("主席",)},
    GENRES / "E_2023_SR_12.txt": _SR12,
    GENRES / "E_2023_SR_12.docx": _SR12,
    GENRES / "E_2023_SR_12_layout.txt": _SR12,
}


def _right_turns() -> None:
    """Summary records: numbered paragraphs attributed to the speaker the fixture gives them."""
    right = total = 0
    for path, expected in RIGHT_TURNS.items():
        got = {p.paragraph: p.speakers for p in ingest(path).passages if p.paragraph}
        right += sum(got.get(number) == speakers for number, speakers in expected.items())
        total += len(expected)
    print(f"summary-record paragraphs attributed to the right speaker: {right}/{total}")


def _unchecked_speakers(paths: list[Path]) -> None:
    """Speaker values not in the hand-checked inventory (tests/ingest/test_speaker_inventory.py): each is a
    clause fragment or a new value to check by hand."""
    from tests.ingest.test_speaker_inventory import EXPECTED as CHECKED

    checked = {path.name: set(values) for path, values in CHECKED.items()}
    unchecked = []
    for path in paths:
        if path.name in checked:
            found = {s for p in ingest(path).passages for s in p.speakers}
            unchecked += [f"{path.name}: {value}" for value in sorted(found - checked[path.name])]
    print(f"speaker values not in the hand-checked inventory: {len(unchecked)}")
    for line in unchecked:
        print(f"  {line}")


if __name__ == "__main__":
    main()
