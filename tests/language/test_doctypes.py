"""Document types: aliases in both languages, and inference from symbol and title."""

from __future__ import annotations

import pytest

from indexer.ingest.metadata.header import read_header
from indexer.language.doctypes import DOC_TYPES, doc_type_from_alias, infer_doc_type
from tests.conftest import CORPUS, SEEDS


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("决议", "决议"), ("Resolution", "决议"), ("presidential-statement", "主席声明"),
        ("Presidential Statement", "主席声明"), ("PRST", "主席声明"), ("verbatim", "会议记录"), ("信函", "信函"),
        ("LETTER", "信函"), ("report", "报告"), ("note", "说明"), ("Repertoire", "汇编"), ("其他", "其他"),
        ("memo", None), ("", None),
    ],
)
def test_doc_type_from_alias(alias: str, canonical: str | None) -> None:
    assert doc_type_from_alias(alias) == canonical


def test_every_canonical_type_is_its_own_alias() -> None:
    assert list(DOC_TYPES) == [
        "决议", "决定", "主席声明", "会议记录", "简要记录", "信函", "报告", "说明", "工作文件", "议程", "汇编", "其他",
    ]
    assert all(doc_type_from_alias(t) == t for t in DOC_TYPES)


@pytest.mark.parametrize(
    ("symbols", "title", "lines", "doc_type"),
    [
        (["S/RES/2532(2020)"], "", [], "决议"),
        (["S/PRST/2021/9"], "安全理事会主席声明", [], "主席声明"),
        (["S/PV.8711"], "", [], "会议记录"),
        (["S/2021/130"], "2021 年 2 月 8 日芬兰常驻联合国代表给安全理事会主席的信", [], "信函"),
        ([], "联合国同各区域组织及其他组织的合作", ["联合国同各区域组织及其他组织的合作", "秘书长的报告"], "报告"),
        (["S/2021/1"], "秘书长的说明", [], "说明"),
        ([], "安全理事会惯例汇编（2020年）", [], "汇编"),
        (["S/2021/2"], "某某问题", [], "其他"),
    ],
)
def test_infer_doc_type(symbols: list[str], title: str, lines: list[str], doc_type: str) -> None:
    assert infer_doc_type(symbols, title, lines) == doc_type


def test_seed_types(seed_docs) -> None:
    assert {name: d.doc_type for name, d in seed_docs.items()} == {
        "rep36": "汇编", "rep35": "汇编", "prst": "主席声明", "report": "报告", "letter": "信函",
    }


def test_repertoire_without_sidecar_is_not_a_letter() -> None:
    for name in ("rep35", "rep36"):
        h = read_header((CORPUS / SEEDS[name]).read_text(encoding="utf-8"))
        assert infer_doc_type(h.symbols, h.title, list(h.head_lines)) == "汇编"  # "在本文件所述期间"
    h = read_header((CORPUS / SEEDS["report"]).read_text(encoding="utf-8"))
    assert infer_doc_type(h.symbols, h.title, list(h.head_lines)) == "报告"  # the line "秘书长的报告"
