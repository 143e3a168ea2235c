"""The DOCX reader on Word files written by python-docx from the seeds (numbering, footnotes, tables)."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from fixtures.make_fixtures import (
    REP36_NOTES,
    Block,
    Model,
    prst_model,
    random_text_strategy,
    rep36_notes_model,
    report_numbered_model,
    write_docx,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.errors import ReadError
from indexer.ingest import readers
from indexer.ingest.readers.blocks import FOOTNOTE_RULE
from indexer.ingest.readers.docx_numbering import chinese_number, format_number

LETTER_TOPICS = [  # S/2021/130: the three themes of the seminar, a lettered list in the letter
    "2020 年安全理事会状况：总结和展望(第一场会议)；",
    "经验教训：2020 届与会者的反思(第二场会议)；",
    "工作方法和附属机构(第三场会议)。",
]


@pytest.fixture(scope="module")
def docx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docx")


def paragraphs(path: Path) -> list[str]:
    return readers.read(path).text.split("\n\n")


def test_word_automatic_numbers_are_rendered_as_text(docx_dir: Path) -> None:
    path = write_docx(report_numbered_model(), docx_dir / "report.docx")
    assert "1. 冠状病毒病" not in docx.Document(str(path)).paragraphs[1].text  # the number is not in the text
    paras = paragraphs(path)
    assert paras[0] == "  一. 引言"
    assert paras[1].startswith(" 1. 冠状病毒病(COVID-19)大流行使世界陷入严重危机，暴露了人类的脆弱性。")
    assert paras[5:7] == ["  二. 联合国同各区域组织及其他组织的合作", "  非洲联盟"]
    assert [p[:3] for p in paras if p[1:2].isdigit()] == [" 1.", " 2.", " 3.", " 4.", " 5.", " 6."]


def test_un_template_heading_styles_and_styles_based_on_headings(docx_dir: Path) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    for name in ("HCh_G", "H1_G", "SingleTxt_G"):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    derived = document.styles.add_style("Session heading", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = document.styles["Heading 2"]
    document.add_paragraph("第一场会议", style="HCh_G")
    document.add_paragraph("2020 年安理会状况：总结和展望", style="H1_G")
    document.add_paragraph("主持人", style="Session heading")
    document.add_paragraph("与会者指出，总体而言，安全理事会在 2020 年采取了负责任的行动，并进行了良好的管理。", style="SingleTxt_G")
    path = docx_dir / "un-styles.docx"
    document.save(str(path))
    assert paragraphs(path) == [
        "  第一场会议", "  2020 年安理会状况：总结和展望", "  主持人",
        " 与会者指出，总体而言，安全理事会在 2020 年采取了负责任的行动，并进行了良好的管理。\n",
    ]


def test_list_style_and_lettered_lists(docx_dir: Path) -> None:
    from fixtures.make_fixtures import _add_list, _set_numpr

    document = docx.Document()
    document.add_paragraph("讨论重点围绕以下主题展开：")
    letters = _add_list(document, 92, "lowerLetter", "(%1)", 1)
    for topic in LETTER_TOPICS:
        _set_numpr(document.add_paragraph(topic), letters)
    for text in ("第一项。", "第二项。"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("不编号的段落。", style="List Bullet")
    path = docx_dir / "lists.docx"
    document.save(str(path))
    paras = paragraphs(path)
    assert paras[1:4] == [f" ({letter}) {topic}" for letter, topic in zip("abc", LETTER_TOPICS, strict=True)]
    assert paras[4:6] == [" 1. 第一项。", " 2. 第二项。"]
    assert paras[6] == " • 不编号的段落。\n"


def test_bullet_list_items_become_bullet_passages(docx_dir: Path) -> None:
    from indexer.ingest.pipeline import ingest

    document = docx.Document()
    document.add_paragraph("安理会成员强调了以下几点：")
    document.add_paragraph("必须更好地尊重国际人道法；", style="List Bullet")
    document.add_paragraph("必须向所有需要援助的人提供援助。", style="List Bullet")
    path = docx_dir / "bullets.docx"
    document.save(str(path))
    assert [(p.kind, p.text) for p in ingest(path).passages] == [
        ("text", "安理会成员强调了以下几点："),
        ("bullet", "• 必须更好地尊重国际人道法；"),
        ("bullet", "• 必须向所有需要援助的人提供援助。"),
    ]


def test_typed_numbers_are_kept(docx_dir: Path) -> None:
    document = docx.Document()
    document.add_paragraph("7. 联合国加大了对非洲联盟旗舰倡议“到 2020 年平息非洲枪炮声”的支持力度。")
    path = docx_dir / "typed.docx"
    document.save(str(path))
    assert paragraphs(path) == [" 7. 联合国加大了对非洲联盟旗舰倡议“到 2020 年平息非洲枪炮声”的支持力度。\n"]


def test_footnotes_come_from_the_footnotes_part_with_word_numbering(docx_dir: Path) -> None:
    path = write_docx(rep36_notes_model(), docx_dir / "notes.docx")
    with zipfile.ZipFile(path) as archive:
        assert "word/footnotes.xml" in archive.namelist()
    raw = readers.read(path)
    assert raw.footnotes == REP36_NOTES
    assert "此外，安理会一些成员提到伊里妮行动的启动。964 安理会一些成员还对国际合作抗击" in raw.text
    assert raw.warnings == ()


def test_custom_footnote_mark_is_the_marker_and_does_not_count(docx_dir: Path) -> None:
    """A/75/345: "临时议程*" with the footnote "* A/75/150。" (Word: a custom mark), then note 1."""
    from docx.oxml import parse_xml
    from fixtures.make_fixtures import W_NS, _add_footnotes_part, _add_note_ref

    document = docx.Document()
    p = document.add_paragraph("临时议程")
    p._p.append(parse_xml(
        f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:customMarkFollows="1" w:id="1"/><w:t>*</w:t></w:r>'
    ))
    p.add_run(" 议程项目 130(a)")
    q = document.add_paragraph("联合国同各区域组织及其他组织的合作。")
    _add_note_ref(q, 2)
    _add_footnotes_part(document, {1: "A/75/150。", 2: "见 S/2020/489。"}, 1)
    path = docx_dir / "custom-mark.docx"
    document.save(str(path))
    raw = readers.read(path)
    assert raw.footnotes == (("*", "A/75/150。"), ("1", "见 S/2020/489。"))
    assert raw.text.split("\n\n")[0] == " 临时议程* 议程项目 130(a)"


def test_footnote_blocks_follow_their_paragraphs(docx_dir: Path) -> None:
    paras = paragraphs(write_docx(rep36_notes_model(), docx_dir / "notes2.docx"))
    rules = [i for i, p in enumerate(paras) if p == FOOTNOTE_RULE]
    assert len(rules) == 3
    assert paras[rules[1] + 1:rules[1] + 3] == [
        " 964 比利时、法国、尼日尔、俄罗斯联邦、联合王国、美国。",
        " 965 中国、法国、尼日尔(也代表圣文森特和格林纳丁斯、南非、突尼斯)、联合王国、美国。",
    ]


def test_masthead_in_the_first_page_header_is_read_running_header_is_not(docx_dir: Path) -> None:
    path = write_docx(prst_model(), docx_dir / "masthead.docx", masthead_in_header=True)
    assert docx.Document(str(path)).paragraphs[0].text == "安全理事会主席声明"  # the body starts with the title
    paras = paragraphs(path)
    assert paras[:4] == ["21-05177 (C) 200421 210421", "*2105177*", "联 合 国 S/PRST/2021/9", "安全理事会"]
    assert paras[8] == "  安全理事会主席声明"
    assert "21-05177 2/3" not in "".join(paras)


def test_paragraphs_inside_content_controls_are_read(docx_dir: Path) -> None:
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("安全理事会主席声明")
    inner = document.add_paragraph("安全理事会重申其根据《宪章》负有维护国际和平与安全的首要责任。")._p
    sdt = parse_xml('<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtPr/>'
                    "<w:sdtContent/></w:sdt>")
    inner.addprevious(sdt)
    sdt[1].append(inner)
    path = docx_dir / "sdt.docx"
    document.save(str(path))
    assert paragraphs(path) == ["安全理事会主席声明", " 安全理事会重申其根据《宪章》负有维护国际和平与安全的首要责任。\n"]


def test_unreadable_footnotes_part_leaves_a_warning(docx_dir: Path) -> None:
    source = write_docx(rep36_notes_model(), docx_dir / "notes-source.docx")
    path = docx_dir / "notes-broken.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<w:footnotes><broken" if item.filename == "word/footnotes.xml" else data)
    raw = readers.read(path)
    assert raw.footnotes == ()
    assert raw.warnings == ("notes-broken.docx: footnote references without text: 963, 964, 965, 966, 967",)
    assert "此外，安理会一些成员提到伊里妮行动的启动。964 安理会" in raw.text


def test_table_rows_become_separated_cells(docx_dir: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("会议记录", "日期", "分项目"), ("S/PV.8711", "2020 年 1 月 30 日", "联合国与东南亚国家联盟")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    path = docx_dir / "table.docx"
    document.save(str(path))
    assert paragraphs(path) == ["会议记录 | 日期 | 分项目", "S/PV.8711 | 2020 年 1 月 30 日 | 联合国与东南亚国家联盟\n"]


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [(5, "decimal", "5"), (3, "lowerLetter", "c"), (28, "upperLetter", "AB"), (14, "lowerRoman", "xiv"),
     (9, "upperRoman", "IX"), (2, "chineseCounting", "二"), (12, "ideographTraditional", "十二"),
     (35, "chineseCountingThousand", "三十五")],
)
def test_number_formats(value: int, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


def test_chinese_numbers_beyond_99_fall_back_to_digits() -> None:
    assert chinese_number(100) == "100"


def _zip(name: str, members: dict[str, bytes]):
    def make(folder: Path) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w") as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        return path

    return make


def _write(name: str, data: bytes):
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _truncated(folder: Path) -> Path:
    data = write_docx(report_numbered_model(), folder / "whole.docx").read_bytes()
    path = folder / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _bad_xml(folder: Path) -> Path:
    source = write_docx(report_numbered_model(), folder / "source.docx")
    path = folder / "bad-xml.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<w:document><w:body>" if item.filename == "word/document.xml" else data)
    return path


@settings(max_examples=25, deadline=None)
@given(blocks=st.lists(st.tuples(st.sampled_from(["text", "heading"]), random_text_strategy()), min_size=1, max_size=5))
def test_any_paragraphs_come_back_from_word_in_order(blocks: list[tuple[str, str]]) -> None:
    model = Model("S/2021/1", "21-00001", [Block(kind, text) for kind, text in blocks])
    with tempfile.TemporaryDirectory() as folder:
        raw = readers.read(write_docx(model, Path(folder) / "random.docx"))
    assert [p.strip() for p in raw.text.split("\n\n")] == [" ".join(text.split()) for _, text in blocks]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_write("empty.docx", b""), "empty file"),
        (_write("text.docx", "安全理事会主席声明".encode()), "not a Word .docx file (not a zip archive)"),
        (_write("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
         "an encrypted (password-protected) .docx or an old binary .doc; save as an unprotected .docx"),
        (_write("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
         "old binary Word .doc format is not supported; save it as .docx (or PDF)"),
        (_zip("photos.docx", {"photo.txt": b"not a document"}),
         "a zip archive without word/document.xml, not a Word .docx document"),
        (_truncated, "corrupt or truncated .docx (File is not a zip file)"),
    ],
)
def test_unreadable_docx_is_a_clear_read_error(docx_dir: Path, make, reason: str) -> None:
    path = make(docx_dir)
    with pytest.raises(ReadError) as info:
        readers.read(path)
    assert str(info.value) == f"{path}: {reason}"


def test_docx_with_broken_xml_is_a_read_error(docx_dir: Path) -> None:
    path = _bad_xml(docx_dir)
    with pytest.raises(ReadError, match=r"bad-xml.docx: corrupt .docx: its XML cannot be read"):
        readers.read(path)


def test_docx_without_section_properties_is_read(docx_dir: Path) -> None:
    document = docx.Document()
    document.add_paragraph("安理会强调，必须持续促进建立信任和对话。")
    body = document.element.body
    body.remove(body.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr"))
    path = docx_dir / "no-sections.docx"
    document.save(str(path))
    assert readers.read(path).text == " 安理会强调，必须持续促进建立信任和对话。\n"


def test_docx_without_text_is_a_read_error(docx_dir: Path) -> None:
    path = docx_dir / "blank.docx"
    docx.Document().save(str(path))
    with pytest.raises(ReadError, match=r"blank.docx: the Word document has no text$"):
        readers.read(path)
