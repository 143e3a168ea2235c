"""PDF via pypdfium2, using the layout: running heads/footers dropped, footnotes set apart, lines joined.

Why layout: a PDF knows where each character sits and how big it is. Text in the top/bottom
margin bands of later pages that repeats (or reads like a symbol, job number or page number) is
page furniture; small text under the footnote rule is footnotes; raised small digits in the body
are footnote markers; an indented first line or a larger gap starts a paragraph. The result is
handed on in the seeds' shape (see layout.py), with the footnotes also in RawText.footnotes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from statistics import median

from indexer.errors import ReadError
from indexer.models import RawText
from indexer.readers.layout import FINAL_PUNCT, Para, join_pieces, marker_text, render, squash

log = logging.getLogger(__name__)

BAND = 0.075  # fraction of the page height, top and bottom, where running heads and footers live
_RULE_TEXT_RE = re.compile(r"^_{5,}$")
_FURNITURE_RE = re.compile(
    r"^(?:\s|\d{2}-\d{5}(?:\s*\([A-Z]\))?|\d{1,4}/\d{1,4}|\*\d{7}\*|[A-Z]{1,6}(?:/[A-Z0-9.()\-]+)+)+$"
)
_NOTE_START_RE = re.compile(r"^\s*(\d{1,4}|[a-z]|[*†‡])\s+(\S.*)$")


@dataclass
class Line:
    """One line of text on a page, with what the layout says about it."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    markers: list[str] = field(default_factory=list)  # superscript runs found in this line


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    rules: list[tuple[float, float, float]]  # footnote rules: (left, right, y), one per column
    chars: int = 0  # visible characters in the text layer
    unmapped: int = 0  # of which PDFium found no Unicode value for


def read(path: Path) -> RawText:
    """Read a PDF; ReadError for an empty, corrupt, truncated, encrypted or image-only file."""
    pages = _load_pages(path)
    warnings = _check_text_layer(path, pages)
    furniture = _drop_furniture(pages)
    _lift_first_page_footer(pages[0])
    notes = _footnotes(pages)
    paras = _paragraphs([line for page in pages for line in _body(page)])
    log.debug("%s: %d pages, %d furniture lines, %d footnotes", path, len(pages), len(furniture), len(notes))
    return RawText(
        source=path, text=render(paras, notes), encoding="pdf", format="pdf",
        warnings=tuple(warnings), footnotes=tuple(notes),
    )


def _load_pages(path: Path) -> list[Page]:
    import pypdfium2 as pdfium

    pdf = _open(path)
    try:
        pages = [_read_page(pdf[i], i) for i in range(len(pdf))]
    except pdfium.PdfiumError as exc:
        raise ReadError(path, f"damaged PDF: a page cannot be read ({exc})") from exc
    finally:
        pdf.close()
    if not pages:
        raise ReadError(path, "PDF has no pages")
    return pages


def _check_text_layer(path: Path, pages: list[Page]) -> list[str]:
    """No text at all is a scan (ReadError); text PDFium cannot map to Unicode is as good as none."""
    chars = sum(p.chars for p in pages)
    unmapped = sum(p.unmapped for p in pages)
    if chars == 0:
        raise ReadError(path, "PDF has no text layer (scanned image?); run OCR first")
    if unmapped > 0.5 * chars:
        raise ReadError(path, f"PDF text cannot be decoded ({unmapped} of {chars} characters have no Unicode "
                              "mapping in their fonts); run OCR first")
    warnings = []
    blank = [p.number + 1 for p in pages if p.chars == 0]
    if blank:
        warnings.append(f"{path.name}: pages {', '.join(map(str, blank))} have no text layer (scanned?); run OCR")
    if unmapped > 0.02 * chars:
        warnings.append(f"{path.name}: {unmapped} of {chars} characters have no Unicode mapping; text may be garbled")
    return warnings


def _open(path: Path):  # -> pdfium.PdfDocument
    import pypdfium2 as pdfium

    data = path.read_bytes()
    if not data.strip():
        raise ReadError(path, "empty file")
    if b"%PDF-" not in data[:1024]:
        raise ReadError(path, "not a PDF file (no %PDF- header)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ReadError(path, "PDF is encrypted (password-protected); save an unprotected copy") from exc
        if "format" in message.lower():
            raise ReadError(path, "corrupt or truncated PDF (PDFium: data format error)") from exc
        raise ReadError(path, f"cannot open PDF ({message})") from exc


def _read_page(page, number: int) -> Page:
    """The page's lines (from PDFium's reading order) and the footnote rule, if drawn."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage, number)
        chars, unmapped = _char_counts(textpage)
    finally:
        textpage.close()
    rules = [(line.x0, line.x1, line.top) for line in lines if _RULE_TEXT_RE.match(line.text.strip())]
    rules += _drawn_rules(page, width, height)
    lines = [line for line in lines if not _RULE_TEXT_RE.match(line.text.strip())]
    page.close()
    return Page(number, width, height, lines, rules, chars, unmapped)


def _char_counts(textpage) -> tuple[int, int]:
    """Visible characters on the page, and how many of them PDFium could not map to Unicode."""
    import pypdfium2.raw as pdfium_c

    chars = unmapped = 0
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if pdfium_c.FPDFText_IsGenerated(textpage, i) == 1 or chr(code).isspace():
            continue
        chars += 1
        if code in (0, 0xFFFD, 0xFFFE) or pdfium_c.FPDFText_HasUnicodeMapError(textpage, i) == 1:
            unmapped += 1
    return chars, unmapped


def _drawn_rules(page, width: float, height: float) -> list[tuple[float, float, float]]:
    """Thin horizontal path objects in the lower half: the footnote separator."""
    import pypdfium2.raw as pdfium_c

    found = []
    for obj in page.get_objects():
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        if top - bottom <= 3 and 30 <= right - left <= 0.6 * width and top < 0.5 * height:
            found.append((left, right, top))
    return found


def _lines(textpage, number: int) -> list[Line]:
    """Group PDFium's characters into lines at its line breaks; mark raised small runs as markers."""
    import pypdfium2.raw as pdfium_c

    lines: list[Line] = []
    current: list[tuple[str, tuple[float, float, float, float] | None, float]] = []
    for i in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
        if char in "\r\n":
            lines.extend(_make_line(current, number))
            current = []
            continue
        box = None if char.isspace() else textpage.get_charbox(i)
        current.append((char, box, pdfium_c.FPDFText_GetFontSize(textpage, i)))
    lines.extend(_make_line(current, number))
    return lines


def _make_line(chars: list, number: int) -> list[Line]:
    boxes = [(box, size) for _, box, size in chars if box]
    if not boxes:
        return []
    largest = max(size for _, size in boxes)
    size = median(size for _, size in boxes if size >= 0.85 * largest)  # superscripts aside
    base = median(box[1] for box, s in boxes if s >= 0.9 * size)
    text, markers, run = [], [], ""
    for char, box, char_size in chars:
        raised = box is not None and char_size <= 0.85 * size and box[1] > base + 0.2 * size
        if raised:
            run += char
            continue
        if run:
            markers.append(run)
            text.append(marker_text(run))
            run = ""
            if char == " ":
                continue
        text.append(char)
    if run:
        markers.append(run)
        text.append(marker_text(run))
    return [Line(
        page=number, text="".join(text), x0=min(b[0] for b, _ in boxes), x1=max(b[2] for b, _ in boxes),
        top=max(b[3] for b, _ in boxes), bottom=min(b[1] for b, _ in boxes), size=size, markers=markers,
    )]


def _band(line: Line, page: Page) -> bool:
    return line.bottom >= page.height * (1 - BAND) or line.top <= page.height * BAND


def _furniture_key(text: str) -> str:
    return " ".join(sorted(re.sub(r"\d", "#", text).split()))


def _drop_furniture(pages: list[Page]) -> list[str]:
    """Remove running heads/footers from pages after the first (the first page's header is metadata)."""
    seen: dict[str, set[int]] = {}
    for page in pages[1:]:
        for line in page.lines:
            if _band(line, page):
                seen.setdefault(_furniture_key(line.text), set()).add(page.number)
    removed = []
    for page in pages[1:]:
        keep = []
        for line in page.lines:
            key = _furniture_key(line.text)
            if _band(line, page) and (len(seen.get(key, ())) > 1 or _FURNITURE_RE.match(line.text.strip())):
                removed.append(squash(line.text))
            else:
                keep.append(line)
        page.lines = keep
    return removed


def _lift_first_page_footer(page: Page) -> None:
    """The first page's footer (job number, barcode) is metadata like the masthead: move it to the
    start, so it neither joins the footnotes nor splits a paragraph running onto the next page."""
    footer = [line for line in page.lines if line.top <= page.height * BAND]
    page.lines = footer + [line for line in page.lines if line.top > page.height * BAND]


def _below_rule(line: Line, page: Page) -> bool:
    footer = page.number == 0 and line.top <= page.height * BAND
    if footer:
        return False
    # A rule governs the lines below it that start near its left end (notes hang from the margin of
    # their column); text of another column at the same height stays body text.
    return any(line.top <= y + 1 and left - line.size <= line.x0 <= left + max(4 * line.size, 40)
               for left, _, y in page.rules)


def _body(page: Page) -> list[Line]:
    return [line for line in page.lines if not _below_rule(line, page)]


def _footnotes(pages: list[Page]) -> list[tuple[str, str]]:
    """Entries under the rules: a line opening with a marker starts one, others continue the last
    (also across a column or page break, where a long footnote carries over)."""
    notes: list[tuple[str, str]] = []
    for page in pages:
        area = [line for line in page.lines if _below_rule(line, page)]
        for line in area:
            left = min(o.x0 for o in area if o.x0 < line.x1 and o.x1 > line.x0)
            start = _note_start(line, left)
            if start:
                notes.append(start)
            elif notes:
                marker, text = notes[-1]
                notes[-1] = (marker, join_pieces(text, squash(line.text)))
    return notes


def _note_start(line: Line, left: float) -> tuple[str, str] | None:
    """A raised marker at the start of the line, or a number at the left edge followed by a space."""
    match = _NOTE_START_RE.match(line.text)
    if not match:
        return None
    if (line.markers and line.text.startswith(line.markers[0])) or line.x0 <= left + 0.5 * line.size:
        return match.group(1), squash(match.group(2))
    return None


def _paragraphs(lines: list[Line]) -> list[Para]:
    """Join body lines into paragraphs: a new one at a first-line indent, a wide gap or a short line."""
    if not lines:
        return []
    size = median(line.size for line in lines)
    pitch = _pitch(lines) or size * 1.5
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    columns = {id(line): _column(line, by_page[line.page]) for line in lines}
    groups: list[list[Line]] = []
    prev: Line | None = None
    for line in lines:
        if prev is None or _starts_paragraph(prev, line, columns, size, pitch):
            groups.append([line])
        else:
            groups[-1].append(line)
        prev = line
    return [_para(group, size, columns[id(group[0])]) for group in groups]


def _pitch(lines: list[Line]) -> float | None:
    steps = [a.bottom - b.bottom for a, b in pairwise(lines) if a.page == b.page]
    steps = [s for s in steps if s > 0]
    return median(steps) if steps else None


def _column(line: Line, page_lines: list[Line]) -> tuple[float, float]:
    """Left and right edges of the text column the line belongs to on its page."""
    same = [o for o in page_lines if o.x0 < line.x1 and o.x1 > line.x0]
    return min(o.x0 for o in same), max(o.x1 for o in same)


def _starts_paragraph(prev: Line, line: Line, columns: dict, size: float, pitch: float) -> bool:
    """Indented first line, a gap wider than the line pitch, a size change, or a line ended early."""
    left = columns[id(line)][0]
    if line.x0 - left >= 0.8 * size:
        return True
    if line.page == prev.page and prev.bottom > line.bottom and prev.bottom - line.bottom > 1.2 * pitch:
        return True
    if abs(line.size - prev.size) > 0.1 * size:
        return True
    prev_left, prev_right = columns[id(prev)]
    shortfall = prev_right - prev.x1
    if shortfall > max(3 * size, 0.15 * (prev_right - prev_left)) and _first_word_width(line) < shortfall:
        return True  # the line was broken on purpose: the next word would have fitted
    text = prev.text.rstrip()
    return bool(text) and text[-1] in FINAL_PUNCT and shortfall > 1.5 * size


def _first_word_width(line: Line) -> float:
    """About how wide the line's first word is: a CJK character alone, or a run of Latin letters."""
    word = re.match(r"\s*([\x21-\x7e]+|.)", line.text)
    if not word:
        return 0.0
    return sum(line.size if ord(c) > 0x2E80 else 0.55 * line.size for c in word.group(1))


def _para(group: list[Line], size: float, column: tuple[float, float]) -> Para:
    """A one-line paragraph without closing punctuation is a heading when indented, else a plain line."""
    text = ""
    for line in group:
        text = join_pieces(text, line.text)
    notes = tuple(marker for line in group for marker in line.markers)
    first = group[0]
    left, right = column
    short = len(group) == 1 and first.x1 < right - 2 * size and len(text) <= 60
    if short and text.rstrip()[-1:] not in FINAL_PUNCT:
        return Para(text, "heading" if first.x0 - left >= 0.8 * size else "plain", notes)
    return Para(text, "text", notes)
