"""Summary-record turns: the third-person forms that open a speaker's paragraphs, and what is not one."""

from __future__ import annotations

import pytest

from indexer.ingest.metadata.summary_turns import summary_speakers, summary_turn


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("12. Kumar先生(印度)说，印度政府支持该提案。", ["印度", "Kumar"]),
        ("Pedroso Cuesta女士(古巴)说，古巴代表团同意。", ["古巴", "Pedroso Cuesta"]),
        ("3. Schmidt女士(欧洲联盟观察员)说，欧盟欢迎该报告。", ["欧洲联盟", "Schmidt"]),
        ("4. 主席说，委员会将继续审议。", ["主席"]),
        ("主席回顾说，答复应在三周内提交。", ["主席"]),
        ("5. 副主席李华先生(中国)代表主席团发言说，主席团建议延期。", ["中国", "李华"]),
        ("Ndiaye先生(塞内加尔)代表非洲国家集团发言说，集团支持该决议草案。", ["塞内加尔", "Ndiaye"]),
        ("8. 关于第3条，Kumar先生(印度)说，法律已经修订。", ["印度", "Kumar"]),
        ("在回答委员会成员的问题时，主席说，会议将延期。", ["主席"]),
        ("6. 他还说，国家人权机构已获得独立地位。", None),
        ("9. 他说，Kumar先生(印度)提出的问题很重要。", None),
        ("各国代表说，这一问题十分重要。", None),
        ("委员会注意到主席团的建议。", None),
        ("7. 根据第48/134号决议说，", None),
        # forms from other committees' records (written for these tests)
        ("10. Okafor女士(尼日利亚)在解释投票时说，尼日利亚投了弃权票。", ["尼日利亚", "Okafor"]),
        ("11. Haddad先生(黎巴嫩)在行使答辩权时说，这些指控毫无根据。", ["黎巴嫩", "Haddad"]),
        ("12. Lindqvist女士(瑞典)在介绍决议草案A/C.3/78/L.5时说，提案国希望协商一致通过。", ["瑞典", "Lindqvist"]),
        ("13. Park女士(大韩民国)询问，秘书处何时分发报告。", ["大韩民国", "Park"]),
        ("14. 联合国难民事务高级专员格兰迪先生说，流离失所者人数创下新高。", ["联合国难民事务高级专员", "格兰迪"]),
        ("15. 秘书处代表说，该文件将以所有正式语文印发。", ["秘书处代表"]),
        ("16. 主席宣布，委员会结束了一般性辩论。", ["主席"]),
        ("17. 主席请委员会注意文件A/C.3/78/L.2。", ["主席"]),
        ("18. 和田先生(日本)说，日本支持该提案。", ["日本", "和田"]),
        ("委员会注意到张华先生(中国)说，", None),
        ("各国代表和Kumar先生说，", None),
    ],
)
def test_summary_turn(text: str, speakers: list[str] | None) -> None:
    assert summary_turn(text) == speakers


def test_a_turn_ends_at_a_heading_and_at_a_procedural_line() -> None:
    speakers, turn = summary_speakers("他还说，……", "text", ["印度", "Kumar"])
    assert speakers == ("印度", "Kumar")
    assert summary_speakers("议程项目4", "heading", turn) == ((), [])
    assert summary_speakers("下午1时散会。", "text", turn) == ((), [])
