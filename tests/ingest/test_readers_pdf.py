"""The PDF reader on real PDFs made by reportlab from the seeds (STSong-Light, UN page layout)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fixtures.make_fixtures import (
    FONT,
    REP36_NOTES,
    Block,
    Model,
    prst_model,
    random_text_strategy,
    register_font,
    rep35_long_model,
    rep36_notes_model,
    report_numbered_model,
    write_pdf,
    write_scan_pdf,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st

from indexer.errors import ReadError
from indexer.ingest import readers
from indexer.ingest.readers.blocks import FOOTNOTE_RULE


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def prst_pdf(pdf_dir: Path) -> Path:
    return write_pdf(prst_model(), pdf_dir / "S_PRST_2021_9.pdf")


@pytest.fixture(scope="module")
def notes_pdf(pdf_dir: Path) -> Path:
    return write_pdf(rep36_notes_model(), pdf_dir / "repertoire-notes.pdf")


def paragraphs(path: Path) -> list[str]:
    return readers.read(path).text.split("\n\n")


def test_fixture_is_a_three_page_pdf_with_a_text_layer(prst_pdf: Path) -> None:
    pdf = pdfium.PdfDocument(prst_pdf)
    try:
        assert len(pdf) == 3
        assert "安全理事会主席声明" in pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()


def test_lines_are_joined_into_paragraphs(prst_pdf: Path) -> None:
    paras = paragraphs(prst_pdf)
    assert (
        " “安全理事会重申其根据《宪章》负有维护国际和平与安全的首要责任，并回顾在涉及维护国际和平与安全的事项上"
        "按照《联合国宪章》第八章的规定与区域和次区域组织合作，可以加强集体安全。"
    ) in paras
    assert paras[-1] == (
        " “安全理事会请秘书长在就安理会处理中的事项提交定期书面报告的同时，酌情就进一步加强联合国与区域和次区域组织"
        "在促进建立信任和对话方面的合作提出建议。”\n"
    )


def test_a_paragraph_running_onto_the_next_page_stays_whole(prst_pdf: Path) -> None:
    para = next(p for p in paragraphs(prst_pdf) if "区域和次区域组织有能力促进各自区域内" in p)
    assert "应酌情促进联合国与区域和次区域组织在冲突预警、预防冲突" in para
    assert para.endswith("并重申它们与建设和平委员会进行互动合作的重要性。")


@pytest.mark.parametrize("columns", [1, 2])
def test_twenty_pages_of_repertoire_come_back_paragraph_for_paragraph(pdf_dir: Path, columns: int) -> None:
    model = rep35_long_model()
    path = write_pdf(model, pdf_dir / f"rep35-{columns}.pdf", columns=columns)
    pdf = pdfium.PdfDocument(path)
    pages = len(pdf)
    pdf.close()
    assert pages >= 18
    got = ["".join(p.split()) for p in readers.read(path).text.split("\n\n")]
    assert got == ["".join(block.text.split()) for block in model.blocks]


def test_running_heads_and_footers_are_dropped_but_the_first_page_header_kept(prst_pdf: Path) -> None:
    raw = readers.read(prst_pdf)
    assert raw.text.count("S/PRST/2021/9") == 1  # the masthead on page 1, not the heads of pages 2 and 3
    assert raw.furniture == ("S/PRST/2021/9", "2/3 21-05177", "21-05177 3/3")  # handed to metadata instead
    assert "2/3" not in raw.text and "3/3" not in raw.text and "21-05177" not in raw.text.replace("21-05177 (C)", "")
    paras = raw.text.split("\n\n")
    # The first page's footer (job number, barcode) is moved to the start.
    assert paras[:5] == ["21-05177 (C) 200421 210421", "*2105177*", "联合国 S/PRST/2021/9", "安全理事会", "Distr.: General"]


def test_first_page_footer_is_not_taken_for_a_footnote(pdf_dir: Path) -> None:
    letter = Model("S/2021/130", "21-01922", [
        Block("plain", "21-01922 (C) 100221 110221"),
        Block("text", "谨随函转递 2020 年 11 月 12 日和 13 日在纽约为安全理事会新当选成员举行的第十八次年度研讨会的"
                      "报告(见附件)。⟦1⟧该最后报告由芬兰常驻联合国代表团全权负责按照查塔姆大厦规则汇编而成。"),
    ], {"1": "见 S/2020/1179。"})
    raw = readers.read(write_pdf(letter, pdf_dir / "letter.pdf"))
    assert raw.footnotes == (("1", "见 S/2020/1179。"),)
    assert raw.text.split("\n\n")[:2] == [
        "21-01922 (C) 100221 110221",
        " 谨随函转递 2020 年 11 月 12 日和 13 日在纽约为安全理事会新当选成员举行的第十八次年度研讨会的报告(见附件)。1 "
        "该最后报告由芬兰常驻联合国代表团全权负责按照查塔姆大厦规则汇编而成。",
    ]


def test_indented_short_line_is_a_heading(prst_pdf: Path) -> None:
    assert "  安全理事会主席声明" in paragraphs(prst_pdf)


def test_footnotes_under_the_rule_are_set_apart(notes_pdf: Path) -> None:
    raw = readers.read(notes_pdf)
    assert raw.footnotes == REP36_NOTES
    body = raw.text.split(FOOTNOTE_RULE)[0]
    assert "比利时、法国、尼日尔、俄罗斯联邦" not in body


def test_superscript_markers_are_glued_to_the_text_as_in_the_seeds(notes_pdf: Path) -> None:
    text = readers.read(notes_pdf).text
    assert "此外，安理会一些成员提到伊里妮行动的启动。964 安理会一些成员还对国际合作抗击" in text
    assert "举行公开视频会议，963 重点讨论了联合国与欧洲联盟之间的合作。" in text


def test_each_footnote_block_follows_the_paragraph_citing_it(notes_pdf: Path) -> None:
    paras = paragraphs(notes_pdf)
    rule = paras.index(FOOTNOTE_RULE)
    assert paras[rule - 1].startswith(" 5 月 28 日，安理会成员就此项目举行公开视频会议，963 ")
    assert paras[rule + 1] == " 963 见 S/2020/489。"


def test_numbered_paragraphs_and_headings(pdf_dir: Path) -> None:
    paras = paragraphs(write_pdf(report_numbered_model(), pdf_dir / "report.pdf"))
    assert paras[0] == "  一. 引言"
    assert paras[1].startswith(" 1. 冠状病毒病(COVID-19)大流行使世界陷入严重危机，暴露了人类的脆弱性。")
    assert "  非洲联盟" in paras
    assert [p[:3] for p in paras if p[1:2].isdigit()] == [" 1.", " 2.", " 3.", " 4.", " 5.", " 6."]


def test_scanned_pdf_is_a_read_error_naming_the_file(pdf_dir: Path) -> None:
    path = write_scan_pdf(pdf_dir / "scan.pdf", pages=2)
    with pytest.raises(ReadError) as info:
        readers.read(path)
    assert str(info.value) == f"{path}: PDF has no text layer (scanned image?); run OCR first"


def test_footnotes_low_on_the_first_page_are_not_taken_for_its_footer(pdf_dir: Path) -> None:
    from reportlab.pdfgen import canvas

    register_font()
    path = pdf_dir / "low-notes.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595.28, 841.89))
    pdf.setFont(FONT, 11)
    pdf.drawString(72, 700, "安理会成员听取了秘书长的通报。")
    pdf.setFont(FONT, 7)
    pdf.drawString(240, 704, "1")
    pdf.line(72, 66, 200, 66)
    pdf.setFont(FONT, 8.5)
    pdf.drawString(80, 55, "1 见 S/PV.8711。")
    pdf.drawString(80, 44, "2 见 S/2020/489。")
    pdf.drawString(72, 24, "21-05177 (C) 200421 210421")
    pdf.showPage()
    pdf.save()
    raw = readers.read(path)
    assert raw.footnotes == (("1", "见 S/PV.8711。"), ("2", "见 S/2020/489。"))
    assert raw.text.split("\n\n")[:2] == ["21-05177 (C) 200421 210421", " 安理会成员听取了秘书长的通报。1"]


def test_bold_unindented_lines_are_headings(pdf_dir: Path) -> None:
    """reportlab has no Chinese bold face; a Helvetica-Bold title stands in for SimHei (黑体)."""
    from reportlab.pdfgen import canvas

    register_font()
    path = pdf_dir / "bold.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595.28, 841.89))
    rows = [("Helvetica-Bold", "Annex"), ("Helvetica-Bold", "Summary"),
            (FONT, "安理会成员听取了秘书长的通报。"), (FONT, "大使")]
    for k, (font, text) in enumerate(rows):
        pdf.setFont(font, 13)
        pdf.drawString(72, 700 - 22 * k, text)
    pdf.showPage()
    pdf.save()
    assert paragraphs(path) == ["  Annex", "  Summary", " 安理会成员听取了秘书长的通报。", "大使\n"]


def test_pdf_with_some_scanned_pages_is_read_with_a_warning(pdf_dir: Path) -> None:
    from reportlab.pdfgen import canvas

    register_font()
    path = pdf_dir / "half-scanned.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont(FONT, 11)
    pdf.drawString(72, 700, "安全理事会重申其根据《宪章》负有维护国际和平与安全的首要责任。")
    pdf.showPage()
    pdf.rect(72, 400, 300, 300, fill=1)
    pdf.showPage()
    pdf.save()
    raw = readers.read(path)
    assert raw.text == " 安全理事会重申其根据《宪章》负有维护国际和平与安全的首要责任。\n"
    assert raw.warnings == ("half-scanned.pdf: page 2 has no text layer (scanned?); run OCR on it",)


def test_pdf_with_only_an_owner_password_is_readable(pdf_dir: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = write_pdf(prst_model(), pdf_dir / "owner.pdf", encrypt=StandardEncryption("", ownerPassword="owner"))
    assert "  安全理事会主席声明" in paragraphs(path)


LONG_PARAGRAPH = (
    "“安全理事会重申其根据《宪章》负有维护国际和平与安全的首要责任，并回顾在涉及维护国际和平与安全的事项上"
    "按照《联合国宪章》第八章的规定与区域和次区域组织合作，可以加强集体安全。"
)


@settings(max_examples=15, deadline=None)
@given(blocks=st.lists(st.tuples(st.sampled_from(["text", "heading"]), random_text_strategy()), min_size=1, max_size=6))
@example(blocks=[("text", "00000000000000AAA““““““““““““““““““"), ("text", "0")])
def test_any_paragraphs_come_back_from_pdf_in_order(blocks: list[tuple[str, str]]) -> None:
    """Spaces aside (a line break eats the space it falls on), each paragraph comes back whole.
    As in a real document, a full paragraph shows where the text column starts and ends, and body
    paragraphs end a sentence: from nothing but short indented lines no layout tells a paragraph's
    last line from a deliberately short one."""
    blocks = [("text", LONG_PARAGRAPH)] + [(kind, text + "。" if kind == "text" else text) for kind, text in blocks]
    model = Model("S/2021/1", "21-00001", [Block(kind, text) for kind, text in blocks])
    with tempfile.TemporaryDirectory() as folder:
        raw = readers.read(write_pdf(model, Path(folder) / "random.pdf"))
    assert ["".join(p.split()) for p in raw.text.split("\n\n")] == ["".join(text.split()) for _, text in blocks]


def _encrypted(pdf_dir: Path) -> Path:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return write_pdf(prst_model(), pdf_dir / "locked.pdf", encrypt=StandardEncryption("secret", canPrint=0))


def _truncated(pdf_dir: Path) -> Path:
    data = write_pdf(prst_model(), pdf_dir / "whole.pdf").read_bytes()
    path = pdf_dir / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    return path


def _write(name: str, data: bytes):
    def make(pdf_dir: Path) -> Path:
        path = pdf_dir / name
        path.write_bytes(data)
        return path

    return make


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_encrypted, "PDF is encrypted (password-protected); save an unprotected copy"),
        (_truncated, "corrupt or truncated PDF (PDFium: data format error)"),
        (_write("empty.pdf", b""), "empty file"),
        (_write("blank.pdf", b"  \n"), "empty file"),
        (_write("letter.pdf", "安全理事会主席声明".encode()), "not a PDF file (no %PDF- header)"),
        (_write("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8), "corrupt or truncated PDF (PDFium: data format error)"),
    ],
)
def test_unreadable_pdf_is_a_clear_read_error(pdf_dir: Path, make, reason: str) -> None:
    path = make(pdf_dir)
    with pytest.raises(ReadError) as info:
        readers.read(path)
    assert str(info.value) == f"{path}: {reason}"


def test_two_column_pages_read_column_by_column(pdf_dir: Path, notes_pdf: Path) -> None:
    path = write_pdf(rep36_notes_model(), pdf_dir / "two-columns.pdf", columns=2)
    pdf = pdfium.PdfDocument(path)
    try:  # the fixture really sets text in a right-hand column
        page = pdf[0].get_textpage()
        assert any(page.get_charbox(i)[0] > 320 for i in range(page.count_chars()))
    finally:
        pdf.close()
    raw = readers.read(path)
    assert raw.footnotes == REP36_NOTES
    body = [p for p in raw.text.split("\n\n") if p != FOOTNOTE_RULE and not p[1:4].isdigit()]
    one_column = [p for p in paragraphs(notes_pdf) if p != FOOTNOTE_RULE and not p[1:4].isdigit()]
    assert [p.replace(" ", "") for p in body] == [p.replace(" ", "") for p in one_column]
    assert len(body) == 3
    assert "亚美尼亚外交部长在通报中重点介绍了联合国与法语国家国际组织开展合作的情况。他指出 COVID-19 危机的负面后果" in body[-1]
