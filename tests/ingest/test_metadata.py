"""describe(): document metadata from header and sidecar, passage metadata from the text."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.ingest.metadata import describe, period_from_title
from indexer.ingest.metadata.header import read_header
from indexer.ingest.pipeline import ingest
from indexer.models import Block, CleanText, Document, RawText
from tests.conftest import CORPUS


def _passage(doc: Document, start: str):
    return next(p for p in doc.passages if p.text.startswith(start))


def test_prst_document_metadata(seed_docs) -> None:
    doc = seed_docs["prst"]
    assert doc.symbols == ("S/PRST/2021/9",)
    assert doc.doc_type == "主席声明"
    assert doc.doc_date == "2021-04-19"
    assert doc.original_language == "en"
    assert doc.job_number == "21-05177"
    assert doc.language == "zh"
    assert doc.references == ("S/2020/372",)  # cited: "在 S/2020/372 号文件中所列程序"


def test_letter_document_metadata(seed_docs) -> None:
    doc = seed_docs["letter"]
    assert doc.symbols == ("S/2021/130",)
    assert doc.doc_type == "信函"
    assert doc.doc_date == "2021-02-08"
    assert "S/RES/2532(2020)" in doc.references
    assert "S/2021/130" not in doc.references  # its own page headers are not citations


def test_report_document_metadata(seed_docs) -> None:
    doc = seed_docs["report"]
    assert doc.symbols == ("A/75/345", "S/2020/901")
    assert doc.doc_type == "报告"
    assert doc.original_language == "en"
    assert {"A/73/328", "S/2018/592", "S/PRST/2013/12", "S/RES/1809(2008)", "A/RES/58/316"} <= set(doc.references)


def test_report_passage_dates_keep_precision(seed_docs) -> None:
    doc = seed_docs["report"]
    para5 = next(p for p in doc.passages if "2018 年 12 月，我与非洲联盟委员会主席签署了" in p.text)
    assert "2018-12" in para5.dates
    assert "2017" in para5.dates  # "始于 2017 年的联合国-非洲联盟年度会议"


def test_rep36_passage_dates_use_the_period(seed_docs) -> None:
    doc = seed_docs["rep36"]
    assert _passage(doc, "1 月 30 日").dates[0] == "2020-01-30"
    assert _passage(doc, "5 月 28 日").dates[0] == "2020-05-28"


def test_rep36_passage_references_include_footnote_citations(seed_docs) -> None:
    doc = seed_docs["rep36"]
    cited = {r for p in doc.passages for r in p.references}
    assert {"S/PV.8711", "S/2020/30", "S/PRST/2020/11", "S/PRST/2020/12", "S/RES/2553(2020)"} <= cited


def test_no_warnings_on_the_seeds(seed_docs) -> None:
    assert {name: d.warnings for name, d in seed_docs.items()} == {name: () for name in seed_docs}


def test_passage_ids_and_spans_point_into_the_document_text(seed_docs) -> None:
    doc = seed_docs["prst"]
    for i, p in enumerate(doc.passages):
        assert p.passage_id == f"S_PRST_2021_9-p{i}"
        assert p.ordinal == i
        assert doc.text[p.span[0] : p.span[1]] == p.text


def test_to_json_has_the_inspect_shape(seed_docs) -> None:
    data = seed_docs["prst"].to_json()
    assert set(data) >= {
        "doc_id", "source", "encoding", "symbols", "title", "doc_type", "doc_date", "language", "original_language",
        "job_number", "abbreviations", "references", "warnings", "passages",
    }
    assert set(data["passages"][0]) >= {
        "passage_id", "ordinal", "paragraph", "heading", "text", "span", "footnotes", "dates", "speakers", "references",
    }
    assert data["symbols"] == ["S/PRST/2021/9"]
    json.dumps(data, ensure_ascii=False)  # serialisable as is


def _describe(texts: list[str], head: str = "", source: str = "t.txt"):
    blocks, at = [], 0
    for text in texts:
        blocks.append(Block(text=text, paragraph=None, heading="", span=(at, at + len(text))))
        at += len(text) + 2
    raw = RawText(source=Path("/nonexistent") / source, text=head + "\n\n" + "\n\n".join(texts), encoding="utf-8",
                  format="text")
    return describe(raw, CleanText(paragraphs=()), blocks, "\n\n".join(texts), "t", source)


def test_day_without_year_takes_the_year_named_before() -> None:
    doc = _describe(["2020 年 11 月 12 日，研讨会开幕。", "11 月 13 日，研讨会闭幕。"])
    assert [p.dates for p in doc.passages] == [("2020-11-12",), ("2020-11-13",)]


def test_day_without_any_year_is_left_out() -> None:
    doc = _describe(["11 月 13 日，研讨会闭幕。"])
    assert doc.passages[0].dates == ()
    assert doc.warnings == ()


def test_links_add_to_document_references() -> None:
    raw = RawText(source=Path("/nonexistent/l.txt"), text="正文。", encoding="utf-8", format="text")
    clean = CleanText(paragraphs=(), links=("https://undocs.org/ch/S/RES/2553(2020)", "S/2020/1167"))
    doc = describe(raw, clean, [Block(text="正文。", paragraph=None, heading="", span=(0, 3))], "正文。", "l", "l.txt")
    assert doc.references == ("S/RES/2553(2020)", "S/2020/1167")


def test_report_title_from_header_without_sidecar() -> None:
    assert read_header((CORPUS / "A_75_345-S_2020_901.txt").read_text(encoding="utf-8")).title == (
        "联合国同各区域组织及其他组织的合作"
    )


def test_repertoire_period_from_its_title() -> None:
    assert period_from_title("安全理事会惯例汇编（2020年）第一部分") == (2020,)
    assert period_from_title("安全理事会惯例汇编(2018-2019 年)") == (2018, 2019)
    assert period_from_title("安全理事会主席声明") == ()


def test_repertoire_without_period_key_dates_days_by_its_title(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("12 月 4 日，安理会成员就此项目举行高级别公开视频会议。\n", encoding="utf-8")
    (tmp_path / "r.meta.toml").write_text('title = "安全理事会惯例汇编（2020年）第一部分"\ndoc_type = "汇编"\n',
                                          encoding="utf-8")
    doc = ingest(tmp_path / "r.txt")
    assert [d for p in doc.passages for d in p.dates] == ["2020-12-04"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="0123456789 年月日号决议第()（）：:、和至-S/RESPV.先生主席代表表示秘书长在发言中指出东盟联合国《》",
                        max_size=60), min_size=1, max_size=5))
def test_describe_never_fails_on_odd_text(texts: list[str]) -> None:
    doc = _describe(texts)
    assert len(doc.passages) == len(texts)
    for p in doc.passages:
        assert all(len(d) in (4, 7, 10) for d in p.dates)


def test_reader_furniture_gives_symbol_and_job_number() -> None:
    raw = RawText(source=Path("/nonexistent/r.pdf"), text="一. 引言\n\n1. 正文。", encoding="pdf", format="pdf",
                  furniture=("A/75/345", "20-11798 3/22", "A/75/345"))
    doc = describe(raw, CleanText(paragraphs=()), [Block(text="1. 正文。", paragraph="1", heading="", span=(0, 6))],
                   "1. 正文。", "r", "r.pdf")
    assert (doc.symbols, doc.job_number) == (("A/75/345",), "20-11798")
