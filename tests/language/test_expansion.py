"""Abbreviation/synonym expansion: mined definitions plus the curated list, both directions."""

from __future__ import annotations

from indexer.language.expansion import curated_groups, expansion_map


def test_curated_groups_are_normalised() -> None:
    groups = curated_groups()
    assert ("安全理事会", "安理会") in groups
    assert ("2019冠状病毒病", "新冠肺炎", "covid-19") in groups


def test_mined_and_curated_both_ways() -> None:
    mapping = expansion_map({"中非稳定团": "联合国中非共和国多层次综合稳定团", "難民署": "联合国难民事务高级专员公署"})
    assert mapping["中非稳定团"] == ("联合国中非共和国多层次综合稳定团",)
    assert mapping["联合国中非共和国多层次综合稳定团"] == ("中非稳定团",)
    assert "联合国难民事务高级专员公署" in mapping["难民署"]  # traditional key normalised
    assert mapping["安理会"] == ("安全理事会",)
    assert "安理会" in mapping["安全理事会"]


def test_implausible_definitions_are_ignored() -> None:
    mapping = expansion_map({"X": "something", "长长长长的简称": "短"})
    assert "x" not in mapping and "短" not in mapping
