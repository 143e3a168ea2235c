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

SHARED = ROOT.parent / "shared"
REAL = SHARED / "realdocs"
SEEDS = SHARED / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"

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


PROCEDURE_RE = re.compile(r"(?:开会|散会|复会|休会|议程通过)。?$")


def _turns(paths: list[Path]) -> None:
    """Records: of the text passages from the first turn on (procedural lines aside), how many have a speaker."""
    for path in paths:
        passages = ingest(path).passages
        first = next((i for i, p in enumerate(passages) if p.speakers), len(passages))
        body = [p for p in passages[first:] if p.kind == "text" and not PROCEDURE_RE.search(p.text)]
        spoken = sum(bool(p.speakers) for p in body)
        print(f"{path.name}: {spoken}/{len(body)} passages after the first turn attributed")


if __name__ == "__main__":
    main()
