"""Abbreviations: 全称(简称) definitions, with the full name's start found by the short form's characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.ingest.metadata.abbreviations import DEFINITION_RE, definitions, find_abbreviations, trim_full_name


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("重点讨论联合国同东南亚国家联盟(东盟)的合作", {"东盟": "东南亚国家联盟"}),
        ("8. 非洲问题特别顾问办公室。联合国难民事务高级专员公署(难民署)和联合国其他机构", {"难民署": "联合国难民事务高级专员公署"}),
        ("与西非国家经济共同体(西非经共体)和东南亚国家联盟(东盟)", {"西非经共体": "西非国家经济共同体", "东盟": "东南亚国家联盟"}),
        ("联合国与国际移民组织(移民组织)", {"移民组织": "国际移民组织"}),
        ("联合国几内亚比绍建设和平综合办事处(联几建和办)", {"联几建和办": "联合国几内亚比绍建设和平综合办事处"}),
        ("这种关系在冠状病毒病(COVID-19)大流行的背景下", {"COVID-19": "冠状病毒病"}),
        ("2019 冠状病毒病(COVID-19)大流行", {"COVID-19": "冠状病毒病"}),
        ("2020 年 1 月 9 日的信(S/2020/30)所附", {}),
        ("主席(以英语发言)：", {}),
        ("张军先生(中国)：", {}),
        ("第十八次年度研讨会的报告(见附件)。", {}),
        ("下一个行动计划(2021-2025 年)", {}),
        ("朱卡·萨洛瓦拉(签名)", {}),
    ],
)
def test_find_abbreviations(text: str, found: dict[str, str]) -> None:
    assert find_abbreviations(text) == found


def test_first_definition_wins() -> None:
    assert find_abbreviations("东南亚国家联盟(东盟)……东盟国家联盟(东盟)") == {"东盟": "东南亚国家联盟"}


def test_trim_needs_the_short_form_in_order() -> None:
    assert trim_full_name("上海合作组织", "上合组织") == "上海合作组织"
    assert trim_full_name("安全理事会", "中国") is None


def test_seed_abbreviations(seed_docs) -> None:
    report = seed_docs["report"].abbreviations
    assert report["难民署"] == "联合国难民事务高级专员公署"
    assert report["欧安组织"] == "欧洲安全与合作组织"
    assert report["上合组织"] == "上海合作组织"
    assert report["COVID-19"] == "冠状病毒病"
    letter = seed_docs["letter"].abbreviations
    assert letter["西非经共体"] == "西非国家经济共同体"
    assert letter["东盟"] == "东南亚国家联盟"
    assert seed_docs["rep36"].abbreviations == {"东盟": "东南亚国家联盟"}


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="联合国东南亚家盟难民署经济共同体会议组织", min_size=3, max_size=20), st.data())
def test_trimmed_full_name_is_a_suffix_holding_the_short_form(candidate: str, data: st.DataObject) -> None:
    picks = sorted(data.draw(st.sets(st.integers(0, len(candidate) - 1), min_size=2, max_size=len(candidate) - 1)))
    short = "".join(candidate[i] for i in picks)
    full = trim_full_name(candidate, short)
    if full is None:  # only when the shortest suffix holding the short form is the short form itself
        assert candidate.endswith(short)
        return
    assert candidate.endswith(full)
    assert len(full) > len(short)
    it = iter(full)
    assert all(ch in it for ch in short)


REAL = [Path(__file__).resolve().parents[2] / "corpus", Path(__file__).resolve().parents[3] / "shared" / "realdocs"]


@pytest.mark.parametrize("text", [
    "安" * 100 + "（东盟）",  # a run longer than 40: the match starts 40 before the bracket
    "安" * 39 + "（东盟）（东盟）安安（东盟安）（东盟）",  # a bracket right after a match: no name before it
    "联合国·东南亚国家联盟（东盟）(（东盟）)",
    "（东盟）东（东盟）东南（东盟）",
])
def test_definitions_are_what_the_definition_pattern_matches(text: str) -> None:
    assert definitions(text) == [(m.group("full"), m.group("short")) for m in DEFINITION_RE.finditer(text)]


def test_definitions_in_real_documents_are_what_the_pattern_matches() -> None:
    texts = [p.read_text(encoding="utf-8") for folder in REAL if folder.is_dir() for p in sorted(folder.glob("*.txt"))]
    found = [definitions(t) for t in texts]
    assert found == [[(m.group("full"), m.group("short")) for m in DEFINITION_RE.finditer(t)] for t in texts]
    assert sum(map(len, found)) > 20


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="东南亚国家联盟·难民署(（)）a1 ，", max_size=120))
def test_definitions_match_the_pattern_on_any_text(text: str) -> None:
    assert definitions(text) == [(m.group("full"), m.group("short")) for m in DEFINITION_RE.finditer(text)]
