"""PDF via pypdfium2, using the layout: running heads/footers dropped, footnotes set apart, lines joined.

Why layout: a PDF knows where each character sits and how big it is. Text in the top/bottom
margin bands of later pages that repeats (or reads like a symbol, job number or page number) is
page furniture; small text under the footnote rule is footnotes; raised small digits in the body
are footnote markers; an indented first line or a larger gap starts a paragraph. The result is
handed on as ReaderBlocks (see blocks.py), the footnotes and furniture beside them.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from statistics import median

from indexer.errors import ReadError
from indexer.ingest.readers.blocks import NoteRefs, to_text
from indexer.ingest.readers.pdf_geometry import (
    CELL,
    Line,
    Page,
    body_lines,
    drop_furniture,
    footnotes,
    lift_first_page_footer,
    paragraphs,
)
from indexer.models import RawText

log = logging.getLogger(__name__)

_RULE_TEXT_RE = re.compile(r"^_{5,}$")
# Justified Chinese is stretched by spacing the characters: a space between two Han characters, or
# between Han and Chinese punctuation, is that spacing, never a word space (Latin and digits keep theirs).
_CJK = "\u2e80-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》〈〉「」『』…—·"
_CJK_SPACE_RE = re.compile(f"(?<=[{_CJK}])[ \u3000\u00a0]+(?=[{_CJK}])")
BOLD_FONT_RE = re.compile(r"bold|black|heavy|simhei|heiti|stheiti", re.IGNORECASE)


def read(path: Path) -> RawText:
    """Read a PDF; ReadError for an empty, corrupt, truncated, encrypted or image-only file."""
    refs = NoteRefs()
    pages = _load_pages(path, refs)
    warnings = _check_text_layer(path, pages)
    furniture = drop_furniture(pages)
    lift_first_page_footer(pages[0])
    notes = footnotes(pages)
    blocks = paragraphs([line for page in pages for line in body_lines(page)], refs, {p.number: p.width for p in pages})
    log.debug("%s: %d pages, %d furniture lines, %d footnotes", path, len(pages), len(furniture), len(notes))
    return RawText(
        source=path, text=to_text(blocks, notes), encoding="pdf", format="pdf",
        warnings=tuple(warnings), footnotes=tuple(notes), furniture=tuple(dict.fromkeys(furniture)),
        blocks=tuple(blocks),
    )


def _load_pages(path: Path, refs: NoteRefs) -> list[Page]:
    """Every page's lines and rules; a page PDFium cannot read makes the file unreadable."""
    import pypdfium2 as pdfium

    pdf = _open(path)
    try:
        pages = [_read_page(pdf[i], i, refs) for i in range(len(pdf))]
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
        which = f"pages {', '.join(map(str, blank))} have" if len(blank) > 1 else f"page {blank[0]} has"
        warnings.append(f"{path.name}: {which} no text layer (scanned?); run OCR on it")
    if unmapped > 0.02 * chars:
        warnings.append(f"{path.name}: {unmapped} of {chars} characters have no Unicode mapping; text may be garbled")
    return warnings


def _open(path: Path):  # -> pdfium.PdfDocument
    """Open with PDFium, turning its error codes into reasons a user can act on."""
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


def _read_page(page, number: int, refs: NoteRefs) -> Page:
    """The page's lines (from PDFium's reading order) and the footnote rule, if drawn."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage, number, refs)
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


def _lines(textpage, number: int, refs: NoteRefs) -> list[Line]:
    """Group PDFium's characters into lines; mark raised small runs as markers. A line ends where the
    baseline moves, or where PDFium saw a break and the text goes back left; PDFium's own breaks
    alone are not trusted (it breaks before some wide glyphs and misses breaks at the same x)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    lines: list[Line] = []
    current: list[tuple[str, tuple[float, float, float, float] | None, float, float, int]] = []
    x, y = ctypes.c_double(), ctypes.c_double()
    pending = False  # a line break char came since the last visible character
    for i in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
        if char in "\r\n":
            pending = True
            continue
        if char == "\x02":  # PDFium's mark for a hyphen at the end of a line
            char = "-"
        elif char < " " and char != "\t":
            continue
        box = None if char.isspace() else textpage.get_charbox(i)
        pdfium_c.FPDFText_GetCharOrigin(textpage, i, x, y)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        last = next((c for c in reversed(current) if c[1]), None)
        if box and last and (_new_baseline(last, y.value, size) or (pending and box[0] < last[1][0])):
            lines.extend(_make_line(current, number, textpage, refs))
            current = []
        elif box and last and box[0] - last[1][2] > 2 * size:
            current.append((CELL, None, size, y.value, i))
        elif box and last and pending and current[-1][0] != " " and _spaced(last, char, box, size):
            current.append((" ", None, size, y.value, i))
        if box:
            pending = False
        current.append((char, box, size, y.value, i))
    lines.extend(_make_line(current, number, textpage, refs))
    return lines


def _spaced(last: tuple, char: str, box: tuple, size: float) -> bool:
    """A visible gap between two Latin characters on one line is a word space."""
    return box[0] - last[1][2] > 0.25 * size and last[0].isascii() and char.isascii()


def _new_baseline(last: tuple, y: float, size: float) -> bool:
    """The character sits a line lower or higher than the last visible one (superscripts are nearer)."""
    return abs(last[3] - y) > 0.7 * max(size, last[2])


def _make_line(chars: list, number: int, textpage, refs: NoteRefs) -> list[Line]:
    """One line: its text with raised small runs as references (refs.place), its box, size and baseline."""
    boxes = [(c[1], c[2]) for c in chars if c[1]]
    if not boxes:
        return []
    largest = max(size for _, size in boxes)
    size = median(size for _, size in boxes if size >= 0.85 * largest)  # superscripts aside
    base = median(c[3] for c in chars if c[1] and c[2] >= 0.9 * size)
    text, markers, run = [], [], ""
    for char, box, char_size, y, _ in chars:
        raised = box is not None and char_size <= 0.85 * size and y > base + 0.2 * size
        if raised:
            if not run and text and text[-1] == " ":
                text.pop()  # the marker is glued to the text it follows, as in the seeds
            run += char
            continue
        if run:
            markers.append(run)
            text.append(refs.place(run))
            run = ""
            if char == " ":
                continue
        text.append(char)
    if run:
        markers.append(run)
        text.append(refs.place(run))
    text = _CJK_SPACE_RE.sub("", "".join(text))
    return [Line(
        page=number, text=text, x0=min(b[0] for b, _ in boxes), x1=max(b[2] for b, _ in boxes),
        top=max(b[3] for b, _ in boxes), bottom=min(b[1] for b, _ in boxes), size=size, markers=markers, base=base,
        bold=_is_bold(textpage, [c[4] for c in chars if c[1] and c[2] >= 0.9 * size]), plain=refs.plain(text),
    )]


def _is_bold(textpage, indexes: list[int]) -> bool:
    """Set in a bold or heiti (黑体) face, judged on the first, middle and last characters: UN Chinese
    documents set headings in SimHei and text in SimSun."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    sample = {indexes[0], indexes[len(indexes) // 2], indexes[-1]} if indexes else set()
    buffer, flags = ctypes.create_string_buffer(128), ctypes.c_int()
    bold = 0
    for i in sample:
        pdfium_c.FPDFText_GetFontInfo(textpage, i, buffer, 128, flags)
        bold += bool(BOLD_FONT_RE.search(buffer.value.decode("latin-1")))
    return bool(sample) and bold * 2 > len(sample)
