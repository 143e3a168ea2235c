"""The presenter: symbol links, footnote markers and query marks merged into one escaped HTML string."""

from __future__ import annotations

from indexer.ingest.pipeline import ingest
from indexer.models import Footnote, Passage
from tests.conftest import FIXTURES
from webui.present import make_linker, official_url, present_passage, render_text, with_query

LINKER = make_linker({"S/PRST/2021/9": "S_PRST_2021_9", "S/2021/130": "S_2021_130"}, self_doc="S_2021_130")


def test_symbol_in_corpus_links_to_its_document_page() -> None:
    html = render_text("依照主席声明 S/PRST/2021/9 的规定", LINKER)
    assert html == '依照主席声明 <a class="sym" href="/doc/S_PRST_2021_9">S/PRST/2021/9</a> 的规定'


def test_symbol_outside_corpus_links_to_undocs_org() -> None:
    html = render_text("在 S/2020/372 号文件中", LINKER)
    assert html == '在 <a class="sym" href="https://undocs.org/ch/S/2020/372">S/2020/372</a> 号文件中'


def test_own_symbol_links_to_the_official_pdf_not_to_itself() -> None:
    assert 'href="https://undocs.org/ch/S/2021/130"' in render_text("S/2021/130", LINKER)


def test_resolution_reference_links_to_the_normalised_symbol() -> None:
    html = render_text("第 2532(2020)号决议", LINKER)
    assert html == '第 <a class="sym" href="https://undocs.org/ch/S/RES/2532(2020)">2532(2020)</a>号决议'


def test_markup_in_text_is_escaped() -> None:
    assert render_text("<b>粗体</b> & <script>", LINKER) == "&lt;b&gt;粗体&lt;/b&gt; &amp; &lt;script&gt;"


def test_marks_inside_a_link_nest_within_it() -> None:
    html = render_text("见 S/PRST/2021/9。", LINKER, marks=[(0, 1), (2, 6)])
    assert html == '<mark>见</mark> <a class="sym" href="/doc/S_PRST_2021_9"><mark>S/PR</mark>ST/2021/9</a>。'


def test_footnote_marker_is_inserted_at_its_offset_and_linked_both_ways() -> None:
    passage = Passage("d-p12", "d", 12, "安理会发言。见下文。", "5", "", (0, 10),
                      footnotes=(Footnote("960", "见 S/PV.8711。", 6), Footnote("*", "位置不明")))
    view = present_passage(passage, LINKER, None)
    assert view.html == ('安理会发言。<sup class="fnref"><a id="fnref-p12-960" href="#fn-p12-960" '
                         'aria-label="脚注 960">960</a></sup>见下文。')
    first, second = view.footnotes
    assert (first.note_id, first.ref_id) == ("fn-p12-960", "fnref-p12-960")
    assert first.html == '见 <a class="sym" href="https://undocs.org/ch/S/PV.8711">S/PV.8711</a>。'
    assert (second.note_id, second.ref_id) == ("fn-p12-_2a", "")


def test_footnote_marker_never_splits_a_symbol_link() -> None:
    html = render_text("见 S/PRST/2021/9。", LINKER, inserts=[(5, "<sup>1</sup>")])
    assert html == '见 <a class="sym" href="/doc/S_PRST_2021_9">S/PRST/2021/9</a><sup>1</sup>。'


def test_with_query_puts_the_query_before_the_fragment() -> None:
    assert with_query("/doc/S_PRST_2021_9#p12", "区域 组织") == "/doc/S_PRST_2021_9?q=%E5%8C%BA%E5%9F%9F%20%E7%BB%84%E7%BB%87#p12"
    assert with_query("/doc/x#p1", "") == "/doc/x#p1"


def test_official_url_keeps_slashes_and_parentheses() -> None:
    assert official_url("S/RES/2532(2020)") == "https://undocs.org/ch/S/RES/2532(2020)"


def test_paragraph_number_already_in_the_text_is_not_shown_twice() -> None:
    numbered = Passage("d-p3", "d", 3, "27. 在我的缅甸问题特使的领导下", "27", "", (0, 10))
    year = Passage("d-p4", "d", 4, "2020 年 1 月", "2", "", (0, 10))
    assert present_passage(numbered, LINKER, None).number_in_text is True
    assert present_passage(year, LINKER, None).number_in_text is False


def test_notes_taken_from_footnote_lines_show_their_order_and_have_their_own_ids() -> None:
    doc = ingest(FIXTURES / "genres" / "A_78_123.txt")
    passage = next(p for p in doc.passages if p.paragraph == "1")
    views = present_passage(passage, LINKER, None).footnotes
    assert [(v.marker, v.note_id, v.ref_id) for v in views] == [("1", "fn-p6-1", ""), ("2", "fn-p6-2", "")]
