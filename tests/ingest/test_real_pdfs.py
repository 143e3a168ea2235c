"""PDFs laid out by LibreOffice (committed in fixtures/pdf/, made by make_real_pdfs.py): justified
Chinese, running heads and footers, real footnotes, a table, two-column pages. Whatever the engine
did to the text layer, the passages are the source's paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures.pdf.make_real_pdfs import HERE, REALDOCS, Doc, documents, source_paragraphs

from indexer.ingest import readers
from indexer.ingest.pipeline import ingest
from indexer.models import Document

DOCS = {doc.name: doc for doc in documents()}
NAMES = ["prst_justified", "repertoire_footnotes", "resolution_two_columns", "working_paper_realdocs"]
HAN = "\u3400-\u9fff"
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef“”‘’《》"
SPACED_HAN_RE = re.compile(f"[{HAN}]\\s+[{HAN}]|[{HAN}]\\s+[{CJK_PUNCT}]|[{CJK_PUNCT}]\\s+[{HAN}]")
SENTENCE_END = "。；：，”"
_WS_RE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _WS_RE.sub("", text)


def pdf_doc(name: str) -> tuple[Doc, Document]:
    if name not in DOCS:
        pytest.skip(f"{REALDOCS} is not here: the source text of {name}.pdf cannot be compared")
    return DOCS[name], ingest(HERE / f"{name}.pdf")


@pytest.fixture(scope="module", params=NAMES)
def pair(request: pytest.FixtureRequest) -> tuple[Doc, Document]:
    return pdf_doc(request.param)


def test_the_fixtures_are_pdfs_laid_out_by_libreoffice() -> None:
    import pypdfium2 as pdfium

    for name in NAMES:
        pdf = pdfium.PdfDocument(HERE / f"{name}.pdf")
        try:
            assert (pdf.get_metadata_dict()["Producer"].split()[0], len(pdf)) == ("LibreOffice", 2)
        finally:
            pdf.close()


def test_passages_are_the_source_paragraphs(pair: tuple[Doc, Document]) -> None:
    """Each body paragraph whole and in order; the header lines (masthead) aside."""
    source, doc = pair
    header = {squash(p.text) for p in source.paras if p.kind == "plain"}
    expected = [squash(t) for p, t in zip(source.paras, source_paragraphs(source), strict=True) if p.kind != "plain"]
    assert [squash(p.text) for p in doc.passages if squash(p.text) not in header] == expected


def test_no_passage_is_cut_at_a_line_end(pair: tuple[Doc, Document]) -> None:
    source, doc = pair
    text = [p for p in doc.passages if p.kind == "text" and p.text not in {x.text for x in source.paras if x.kind == "plain"}]
    assert text
    assert [p.text for p in text if p.text[-1] not in SENTENCE_END] == []


def test_no_space_between_two_han_characters(pair: tuple[Doc, Document]) -> None:
    _, doc = pair
    texts = [p.text for p in doc.passages] + [f.text for p in doc.passages for f in p.footnotes]
    assert [m.group(0) for t in texts for m in SPACED_HAN_RE.finditer(t)] == []


def test_justification_spaces_go_but_latin_and_number_spaces_stay() -> None:
    _, doc = pdf_doc("resolution_two_columns")
    raw = readers.read(HERE / "resolution_two_columns.pdf")
    assert "注 意 到" in _text_layer(HERE / "resolution_two_columns.pdf")  # the engine spaced the Han out
    passage = next(p.text for p in doc.passages if p.text.startswith("注意到秘书长关于数字合作路线图的报告"))
    assert "United Nations Development Programme 与 International Telecommunication Union 在 COVID-19 大流行" in passage
    first = next(p.text for p in doc.passages if p.text.startswith("回顾其"))
    assert first.startswith("回顾其 2015 年 9 月 25 日题为“变革我们的世界：2030 年可持续发展议程”的第 70/1 号决议，")
    assert ("table_row", "区域 | 2020 年 | 2023 年") in [(b.kind, b.text) for b in raw.blocks]


def _text_layer(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def test_footnotes_are_attached_where_their_markers_stood() -> None:
    _, doc = pdf_doc("repertoire_footnotes")
    notes = {f.marker: (p.text, f) for p in doc.passages for f in p.footnotes}
    assert sorted(notes) == ["963", "964", "965", "966", "967"]
    text, note = notes["964"]
    assert text[:note.offset].endswith("此外，安理会一些成员提到伊里妮行动的启动。")
    assert note.text == "比利时、法国、尼日尔、俄罗斯联邦、联合王国、美国。"
    text, note = notes["966"]
    assert text[:note.offset].endswith("在该月份轮值主席的尼日尔倡议下")
    _, resolution = pdf_doc("resolution_two_columns")
    by_marker = {f.marker: (p.text, f) for p in resolution.passages for f in p.footnotes}
    assert by_marker["1"][0][:by_marker["1"][1].offset].endswith("的第 70/1 号决议")
    assert by_marker["2"][1].text == "将以 A/80/100 号文件印发。"


@pytest.mark.parametrize("name", NAMES)
def test_running_heads_and_footers_are_not_in_passages(name: str) -> None:
    source, doc = pdf_doc(name)
    texts = [p.text for p in doc.passages]
    assert [t for t in texts if source.symbol in t or source.job in t] == []
    assert doc.job_number == source.job and source.symbol in doc.symbols
