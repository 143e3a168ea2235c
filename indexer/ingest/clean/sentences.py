"""One sentence (or aligned segment) per line: regroup the lines into the document's paragraphs.

Why: aligned corpora and text pasted from the web put each sentence on its own line, with no blank
lines, no indent and no fixed width.  There a numbered line ("2. …") opens a paragraph that runs on
over the following lines up to the next number or heading; a lone chapter number ("一.") belongs to
the heading on the next line; headings are short lines without sentence-final punctuation; and the
texts of footnotes whose markers were lost stand as lines of their own ("大会第70/1号决议。",
"同上。") — they are footnotes of the paragraph before, not passages.
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.ingest.clean.lines import Line, display_width, is_terminal, join_text
from indexer.language.genres import line_genre
from indexer.language.normalize import to_simplified
from indexer.models import FootnoteRef, Paragraph

LINES = "lines"
FOOTNOTE = "footnote"
HEADING_MAX = 45  # a heading is a short line
_NUMBERED_RE = re.compile(r"^\d{1,3}\.(?:\s+|(?=[^\d\s.]))")
# A meeting's procedural line stands alone: "上午11时50分散会。", "会议于下午3时10分复会。"
PROCEDURE_RE = re.compile(r"^(?:会议于)?\s*(?:[上下]午|晚上)\s*\d{1,2}\s*时(?:\s*\d{1,2}\s*分)?(?:宣布)?(?:开会|散会|复会|休会|暂停)")
SECTION_RE = re.compile(r"^(?:[一二三四五六七八九十]+|[IVX]{1,5}|[A-H])\s*[.．、]\s*\S")  # "二. 会员国提供的资料"
CHAPTER_NUMBER_RE = re.compile(r"^(?:[一二三四五六七八九十]+|[IVX]{1,5}|[A-H]|\d{1,2})\s*[.．、]$")
_BODIES = r"(?:大会|安全理事会|安理会|经济及社会理事会|理事会|人权理事会)"
# A footnote's text standing alone: a citation, never a sentence of the body.
FOOTNOTE_LINE_RE = re.compile(
    r"^(?:同上|同上[，,].{1,20}|"
    rf"(?:见|参见)?{_BODIES}?第\s*[\d/()（）.\s]+号(?:决议|决定)(?:[，,]\s*(?:附件|第).{{0,12}})?|"
    r"(?:见|参见)\s*[A-Z]{1,4}/[\w./()\-]+.{0,20}|[A-Z]{1,4}/[\w./()\-]+|"
    r"(?:见|参见)?《[^》]{1,80}》(?:[，,].{0,40})?|联合国，《条约汇编》.{0,40})[。.]$"
)


def is_sentence_per_line(lines: list[Line], fmt: str) -> bool:
    """Plain text without blank lines or indents whose lines are not cut at one text width."""
    if fmt != "text" or len(lines) < 3:
        return False
    blank = sum(x.blank_before for x in lines) / len(lines)
    indented = sum(x.indent > 0 for x in lines) / len(lines)
    widths = sorted(display_width(x.text) for x in lines)
    top = widths[int(len(widths) * 0.9)]
    at_width = sum(w >= top - 3 and w >= 20 for w in widths) / len(widths)
    return blank <= 0.1 and indented <= 0.05 and at_width <= 0.3


def is_footnote_line(text: str) -> bool:
    return bool(FOOTNOTE_LINE_RE.match(text.strip()))


def is_heading_line(text: str) -> bool:
    """Short, without sentence-final punctuation (a preamble clause ending in "，" is not a heading)."""
    text = text.strip()
    return len(text) <= HEADING_MAX and not is_terminal(text) and "。" not in text and not text.endswith(("，", ",", "、"))


def _cut_at_page_break(out: list, line: Line) -> bool:
    """The line goes on the sentence before it: a page break (furniture removed) fell after a line that ends
    mid-sentence, and the line is no heading, number or procedure of its own."""
    if not (line.page_break and out) or out[-1].kind != "text":
        return False
    last, text = out[-1].text.rstrip(), to_simplified(line.text)
    if not last or is_terminal(last) or last[-1] in "：:" or SECTION_RE.match(text):
        return False
    return not PROCEDURE_RE.match(text)


def sentence_units(lines: list[Line], unit_type: type) -> list:
    """Numbered paragraphs with their following lines, chapter numbers with their heading, footnote lines."""
    out: list = []
    open_at: int | None = None  # the numbered paragraph that following lines continue
    chapter: Line | None = None
    for line in lines:
        text = line.text
        if chapter is not None:
            out.append(unit_type(lines=[chapter, line], text=f"{chapter.text} {text}", kind="heading"))
            chapter, open_at = None, None
        elif CHAPTER_NUMBER_RE.match(text):
            chapter = line
        elif is_footnote_line(text) and out:
            out.append(unit_type(lines=[line], text=text, kind=FOOTNOTE))
        elif _NUMBERED_RE.match(text):
            out.append(unit_type(lines=[line], text=text))
            open_at = len(out) - 1
        elif open_at is None and _cut_at_page_break(out, line):
            unit = out[-1]  # a sentence the page break cut: "…作出的承诺，" / (running head) / "使…"
            unit.lines.append(line)
            unit.text = join_text(unit.text, text)
        elif open_at is not None and not is_heading_line(text) and not PROCEDURE_RE.match(to_simplified(text)):
            unit = out[open_at]
            unit.lines.append(line)
            unit.text = join_text(unit.text, text)
        else:
            open_at = None
            kind = "heading" if line_genre(text) and is_heading_line(text) else "text"
            out.append(unit_type(lines=[line], text=text, kind=kind))
    if chapter is not None:
        out.append(unit_type(lines=[chapter], text=chapter.text))
    return out


def attach_footnote_lines(paragraphs: list[Paragraph], first: int = 1) -> list[Paragraph]:
    """Footnote lines become footnotes (offset unknown) of the paragraph before them.  Their own marker is
    lost, so each is marked by its order among the footnote lines, from `first` ("1", "2", …): two notes
    of one passage must not share a marker (the web UI makes an HTML id of it)."""
    out: list[Paragraph] = []
    number = first
    for para in paragraphs:
        if para.kind == FOOTNOTE and out:
            last = out[-1]
            out[-1] = replace(last, refs=(*last.refs, FootnoteRef(marker=str(number), offset=-1, text=para.text)))
            number += 1
        else:
            out.append(replace(para, kind="text") if para.kind == FOOTNOTE else para)
    return out
