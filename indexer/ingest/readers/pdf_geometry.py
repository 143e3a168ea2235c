"""PDF page geometry -> ReaderBlocks: what the page says once the characters are out of the file.

Why apart from pdf.py: these are pure functions over lines with positions (testable without
PDFium); pdf.py only gets the characters, boxes and rules out of the file.
Running heads/footers: text in the top/bottom bands of later pages that repeats across pages or
reads like a symbol, job number or page number. Footnotes: lines under a rule, starting near its
left end. Paragraphs: a new one at an indented first line, a gap wider than the line pitch, a
change of type size, or a line that ends early on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from indexer.ingest.clean.lines import strip_sentinels
from indexer.ingest.readers.blocks import FINAL_PUNCT, NoteRefs, join_pieces, squash
from indexer.models import ReaderBlock

BAND = 0.075  # fraction of the page height, top and bottom, where running heads and footers live
_FURNITURE_RE = re.compile(  # job number, date stamp, page number ("6/14" or a bare "6"), bar code, symbol
    r"^(?:\s|\d{2}-\d{5}(?:\s*\([A-Z]\))?|\d{6}|\d{1,4}/\d{1,4}|\d{1,4}|\*\d{7}\*|[A-Z]{1,6}(?:/[A-Z0-9.()\-]+)+)+$"
)
CELL = "\x1f"  # where a line has a gap wider than two characters: a table cell ends (pdf.py puts it)
TABLE_SEPARATOR = " | "
_LABEL_RE = re.compile(r"^\s*(?:\d{1,3}\.|\(?[a-z]{1,2}\)|\(?[ivx]{1,5}\)|[一二三四五六七八九十]{1,3}[.、．])\s")
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
    base: float = 0.0  # the baseline (descenders and superscripts make top/bottom jitter)
    bold: bool = False  # set in a bold or heiti face (headings)
    plain: str = ""  # the text with each reference written as its marker ("…启动。964 "); `text` holds
    # a NoteRefs character in its place

    def __post_init__(self) -> None:
        self.plain = self.plain or self.text


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    rules: list[tuple[float, float, float]]  # footnote rules: (left, right, y), one per column
    chars: int = 0  # visible characters in the text layer
    unmapped: int = 0  # of which PDFium found no Unicode value for


def _band(line: Line, page: Page) -> bool:
    return line.bottom >= page.height * (1 - BAND) or line.top <= page.height * BAND


def _furniture_key(text: str) -> str:
    return " ".join(sorted(re.sub(r"\d", "#", text).split()))


def _edge_lines(page: Page) -> list[Line]:
    """Where running heads and footers can be: the margin bands, and the page's top and bottom line."""
    if not page.lines:
        return []
    extremes = {id(max(page.lines, key=lambda x: x.top)), id(min(page.lines, key=lambda x: x.bottom))}
    return [line for line in page.lines if _band(line, page) or id(line) in extremes]


def drop_furniture(pages: list[Page]) -> list[str]:
    """Remove running heads/footers from pages after the first (the first page's header is metadata):
    edge lines that repeat on other pages (digits aside) or read like a symbol, job or page number."""
    edges = {page.number: _edge_lines(page) for page in pages[1:]}
    seen: dict[str, set[int]] = {}
    for number, lines in edges.items():
        for line in lines:
            seen.setdefault(_furniture_key(line.plain), set()).add(number)
    removed = []
    for page in pages[1:]:
        drop = {id(line) for line in edges[page.number]
                if len(seen[_furniture_key(line.plain)]) > 1 or _FURNITURE_RE.match(line.plain.strip())}
        removed += [squash(line.plain) for line in page.lines if id(line) in drop]
        page.lines = [line for line in page.lines if id(line) not in drop]
    return removed


def _first_page_footer(line: Line, page: Page) -> bool:
    """The job number and bar code at the foot of page 1 ("21-05177 (C) 200421 210421", "*2105177*")."""
    return page.number == 0 and line.top <= page.height * BAND and bool(_FURNITURE_RE.match(line.plain.strip()))


def lift_first_page_footer(page: Page) -> None:
    """The first page's footer is metadata like the masthead: move it to the start, so it neither
    joins the footnotes nor splits a paragraph running onto the next page."""
    footer = [line for line in page.lines if _first_page_footer(line, page)]
    page.lines = footer + [line for line in page.lines if not _first_page_footer(line, page)]


def _below_rule(line: Line, page: Page) -> bool:
    """Whether the line is footnote text: under a rule of its column (the first page's footer is not)."""
    if _first_page_footer(line, page):
        return False
    # A rule governs the lines below it that start near its left end (notes hang from the margin of
    # their column); text of another column at the same height stays body text.
    return any(line.top <= y + 1 and left - line.size <= line.x0 <= left + max(4 * line.size, 40)
               for left, _, y in page.rules)


def body_lines(page: Page) -> list[Line]:
    """The page's lines that are not footnotes."""
    return [line for line in page.lines if not _below_rule(line, page)]


def footnotes(pages: list[Page]) -> list[tuple[str, str]]:
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
                notes[-1] = (marker, join_pieces(text, squash(line.plain)))
    return notes


def _note_start(line: Line, left: float) -> tuple[str, str] | None:
    """A raised marker at the start of the line, or a number at the left edge followed by a space."""
    match = _NOTE_START_RE.match(line.plain)
    if not match:
        return None
    if (line.markers and line.plain.startswith(line.markers[0])) or line.x0 <= left + 0.5 * line.size:
        return match.group(1), squash(match.group(2))
    return None


def paragraphs(lines: list[Line], refs: NoteRefs, widths: dict[int, float] | None = None) -> list[ReaderBlock]:
    """Join body lines into paragraphs: a new one at a first-line indent, a wide gap or a short line.
    `widths` (page number -> page width) lets a page of short lines know where its column ends."""
    if not lines:
        return []
    size = median(line.size for line in lines)
    pitch = _pitch(lines) or size * 1.5
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    widths = widths or {}
    right_half = sum(1 for line in lines if widths and line.x0 > widths.get(line.page, 1e9) / 2)
    if right_half > 0.2 * len(lines):  # set in columns: a short column is not a narrow page
        widths = {}
    columns = {id(line): _column(line, by_page[line.page], widths.get(line.page, 0.0)) for line in lines}
    rows = _table_lines(lines)
    groups: list[list[Line]] = []
    prev: Line | None = None
    for line in lines:
        row = id(line) in rows or (prev is not None and id(prev) in rows)
        if prev is None or row or _starts_paragraph(prev, line, columns, size, pitch):
            groups.append([line])
        else:
            groups[-1].append(line)
        prev = line
    return [refs.block("table_row", _cells(group[0].text)) if id(group[0]) in rows
            else _para(group, size, columns[id(group[0])][:2], refs) for group in groups]


def _table_lines(lines: list[Line]) -> set[int]:
    """Lines of a table: three or more cells, in a run of at least two such lines (a masthead line
    with the symbol far right has two)."""
    celled = [line.text.count(CELL) >= 2 for line in lines]
    return {id(line) for i, line in enumerate(lines)
            if celled[i] and ((i and celled[i - 1]) or (i + 1 < len(lines) and celled[i + 1]))}


def _cells(text: str) -> str:
    return TABLE_SEPARATOR.join(squash(cell) for cell in text.split(CELL) if squash(cell))


def _pitch(lines: list[Line]) -> float | None:
    """The usual distance between baselines in running text (gaps between blocks left out)."""
    steps = [a.base - b.base for a, b in pairwise(lines) if a.page == b.page]
    steps = [s for s in steps if 0 < s < 2.5 * a_size] if (a_size := median(x.size for x in lines)) else []
    return median(steps) if steps else None


def _column(line: Line, page_lines: list[Line], page_width: float) -> tuple[float, float, float]:
    """Left and right edges of the text column the line belongs to on its page, and the right edge
    the page's margins suggest. Given the page width (one-column documents), lines running off the
    page are not the measure, and where no line comes near the right, the column is taken to end as
    far from the right edge as it starts from the left."""
    same = [o for o in page_lines if o.x0 < line.x1 and o.x1 > line.x0 and not _other_region(o, line, page_lines)]
    left = min(o.x0 for o in same)
    if not page_width:
        right = max(o.x1 for o in same)
        return left, right, right
    symmetric = page_width - min(o.x0 for o in page_lines)
    inside = [o.x1 for o in same if o.x1 <= symmetric + line.size]
    right = max(inside, default=symmetric)
    if sum(1 for x1 in inside if right - x1 < 0.15 * line.size) >= 3:  # justified lines end together
        return left, right, right
    return left, (symmetric if right - left < 0.8 * (symmetric - left) else right), symmetric


def _other_region(other: Line, line: Line, page_lines: list[Line]) -> bool:
    """On a page that is partly set in two columns, a line across the middle is not in the same
    text column as a line of one of the columns (its width is not theirs)."""
    middle = (min(o.x0 for o in page_lines) + max(o.x1 for o in page_lines)) / 2
    if not any(o.x0 > middle for o in page_lines) or line.x0 < middle < line.x1:
        return False
    return other.x0 < middle - line.size < middle + line.size < other.x1


def _starts_paragraph(prev: Line, line: Line, columns: dict, size: float, pitch: float) -> bool:
    """Indented first line, a gap wider than the line pitch, a change of size or face, or a line ended early.

    The indent counts against the line before in the same column (an indented block quote is one
    paragraph), or against the column's left edge after a column or page break."""
    below = line.page == prev.page and prev.base > line.base and prev.x0 < line.x1 and line.x0 < prev.x1
    reference = prev.x0 if below else columns[id(line)][0]
    if line.x0 - reference >= 0.8 * size and not (below and _hangs(prev, columns[id(prev)], size)):
        return True
    if below and prev.base - line.base > 1.2 * pitch:
        return True
    if abs(line.size - prev.size) > 0.1 * size or line.bold != prev.bold:
        return True
    prev_left, prev_right, margin_right = columns[id(prev)]
    shortfall = prev_right - prev.x1
    if shortfall > max(3 * size, 0.15 * (prev_right - prev_left)) and _first_word_width(line) < shortfall:
        return True  # the line was broken on purpose: the next word would have fitted
    text = _without_markers(prev)
    if not text or text[-1] not in FINAL_PUNCT:
        return False
    # A sentence ends a paragraph on a line ending short of the column, or well short of the margin,
    # or where the next line is indented in its column (after a one-line paragraph, as much as it).
    word = _first_word_width(line)
    if line.x0 - columns[id(line)][0] >= 0.8 * size:
        return True
    return shortfall > max(2.5 * size, word) or margin_right - prev.x1 > max(4 * size, word)


def _hangs(prev: Line, column: tuple[float, float, float], size: float) -> bool:
    """A full line opening with a paragraph number ("1.", "(a)", "一.") continues indented under
    its text: the hanging indent of UN numbered paragraphs, not a new paragraph."""
    return bool(_LABEL_RE.match(prev.plain)) and column[1] - prev.x1 < 2 * size


def _without_markers(line: Line) -> str:
    """The line's text without the footnote references at its end: "深化。965 " ends with "。"."""
    return strip_sentinels(line.text).rstrip()


def _first_word_width(line: Line) -> float:
    """About how wide the line's first word is: a CJK character alone, or a run of Latin letters."""
    word = re.match(r"\s*([\x21-\x7e]+|.)", line.plain)
    if not word:
        return 0.0
    return sum(line.size if ord(c) > 0x2E80 else 0.55 * line.size for c in word.group(1))


def _para(group: list[Line], size: float, column: tuple[float, float], refs: NoteRefs) -> ReaderBlock:
    """A one-line paragraph without closing punctuation is a heading when indented or bold."""
    text = ""
    for line in group:
        text = join_pieces(text, line.text)
    first = group[0]
    left, right = column
    short = len(group) == 1 and first.x1 < right - 2 * size and len(strip_sentinels(text)) <= 60
    heading = first.x0 - left >= 0.8 * size or first.bold
    if short and heading and _without_markers(group[-1])[-1:] not in FINAL_PUNCT + "，,、":
        return refs.block("heading", text)
    return refs.block("paragraph", text)
