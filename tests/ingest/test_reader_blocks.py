"""Layout-aware readers hand over typed ReaderBlocks; clean takes them as given, not re-guessed from text."""

from __future__ import annotations

from pathlib import Path

from fixtures.make_fixtures import rep36_notes_model, report_numbered_model, write_docx, write_html, write_pdf

from indexer.ingest import readers
from indexer.ingest.clean import clean
from indexer.ingest.readers.blocks import to_text
from indexer.models import NoteMark, RawText, ReaderBlock


def test_word_headings_and_numbered_paragraphs_come_as_typed_blocks(tmp_path: Path) -> None:
    raw = readers.read(write_docx(report_numbered_model(), tmp_path / "report.docx"))
    first = raw.blocks[:3]
    assert [(b.kind, b.label, b.level, b.text[:12]) for b in first] == [
        ("heading", "一.", 1, "引言"),
        ("list_item", "1.", None, "冠状病毒病(COVID-"),
        ("list_item", "2.", None, "本报告是根据大会第七十三"),
    ]
    assert first[2].shown.startswith("2. 本报告是根据大会第七十三")


def test_footnote_references_come_with_their_offsets_in_every_format(tmp_path: Path) -> None:
    """The same two references, at the same places, from Word, HTML and a PDF's raised digits."""
    for fmt, write in (("docx", write_docx), ("html", write_html), ("pdf", write_pdf)):
        raw = readers.read(write(rep36_notes_model(), tmp_path / f"notes.{fmt}"))
        block = next(b for b in raw.blocks if "伊里妮行动的启动" in b.text)
        cited = {n.marker: block.text[:n.offset] for n in block.notes}
        assert sorted(cited) == ["964", "965"], fmt
        assert cited["964"].endswith("此外，安理会一些成员提到伊里妮行动的启动。"), fmt
        assert cited["965"].endswith("表示支持将其深化。"), fmt


def test_html_heading_levels_and_bullets(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><h2>非洲联盟</h2><ul><li>必须更好地尊重国际人道法；</li></ul></body></html>", "utf-8")
    assert [(b.kind, b.level, b.label, b.text) for b in readers.read(path).blocks] == [
        ("heading", 2, None, "非洲联盟"),
        ("list_item", None, "•", "必须更好地尊重国际人道法；"),
    ]


LONG = "安全理事会强调必须持续促进建立信任和对话这是预防和解决冲突的一个重要组成部分在这方面各国可发挥作用"


def _raw(blocks: list[ReaderBlock], notes: tuple[tuple[str, str], ...] = ()) -> RawText:
    return RawText(source=Path("x.docx"), text=to_text(blocks, notes), encoding="docx", format="docx",
                   footnotes=notes, blocks=tuple(blocks))


def test_paragraphs_a_reader_separates_stay_apart() -> None:
    """Read back from the seed-shaped text, a long line that ends no sentence is joined to the short
    unindented one after it (a page break the converter kept); the blocks say they are two."""
    blocks = [ReaderBlock("paragraph", LONG), ReaderBlock("paragraph", "联合国秘书长")]
    from_text = clean(RawText(source=Path("x.txt"), text=to_text(blocks), encoding="utf-8", format="docx"))
    assert len(from_text.paragraphs) == 1
    assert [p.text for p in clean(_raw(blocks)).paragraphs] == [LONG, "联合国秘书长"]


def test_reader_kinds_are_kept_and_short_paragraphs_read_as_for_text() -> None:
    blocks = [
        ReaderBlock("heading", "导言。", level=1),  # a Word heading style says so, final stop or not
        ReaderBlock("paragraph", "非洲联盟"),  # a short line before text: a title, as in the seeds
        ReaderBlock("paragraph", "安理会举行了 3 次会议。"),
        ReaderBlock("table_row", "区域 | 2020 年"),
        ReaderBlock("list_item", "必须尊重国际人道法；", label="•"),
    ]
    assert [(p.kind, p.text) for p in clean(_raw(blocks)).paragraphs] == [
        ("heading", "导言。"), ("heading", "非洲联盟"), ("text", "安理会举行了 3 次会议。"),
        ("table_row", "区域 | 2020 年"), ("bullet", "• 必须尊重国际人道法；"),
    ]


def test_footnotes_attach_by_marker_and_order_never_by_search() -> None:
    """Two notes marked "*" go to the references in order; a digit in the text is never a marker; a
    note no reference points to stays with the last paragraph at no offset."""
    blocks = [
        ReaderBlock("paragraph", "安理会举行了 3 次会议。", notes=(NoteMark("*", 6),)),
        ReaderBlock("paragraph", "见第 2 段。", notes=(NoteMark("*", 6),)),
    ]
    notes = (("*", "第一个注。"), ("*", "第二个注。"), ("3", "没有引用的注。"))
    clean_text = clean(_raw(blocks, notes))
    refs = [[(r.marker, r.offset, r.text) for r in p.refs] for p in clean_text.paragraphs]
    assert [p.text for p in clean_text.paragraphs] == ["安理会举行了 3 次会议。", "见第 2 段。"]
    assert refs == [[("*", 6, "第一个注。")], [("*", 6, "第二个注。"), ("3", -1, "没有引用的注。")]]
