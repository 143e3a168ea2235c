"""Page furniture: masthead, running headers/footers, job numbers and undocs.org link runs.

Why: a PDF extraction interleaves the running head ("S/2021/130", "21-01922 6/14"), the job
number and bar code ("21-05177 (C) 200421 210421", "*2105177*") and the hyperlink targets of
each page ("https://undocs.org/ch/S/2020/751") with the text. They are set aside — not dropped:
metadata reads the symbol, date and job number from them — and the line after them is marked as
following a page break, which the reflow rules need.
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.ingest.clean.lines import Line
from indexer.language.normalize import to_simplified

FRONT_LINES = 30  # the masthead lives in the first lines of a document
_SYMBOL = r"[A-Z]{1,6}(?:/[A-Za-z0-9.()\-]+)+"
SYMBOL_LINE_RE = re.compile(rf"^{_SYMBOL}(?:\s?\(\d{{4}}\))?$")  # "S/RES/2719 (2023)" as a running head
# "21-05177 (C) 200421 210421", "3/25 21-01234", and a bare page number beside it: "23-01234 241", "242 23-01234"
JOB_RE = re.compile(
    r"^(?:\d{1,4}(?:/\d{1,4})?\s+)?\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2}(?:\s+\d{1,4}(?:/\d{1,4})?)?$"
)
# A verbatim record's running head: "S/PV.8711 <agenda item title> 21/01/2021" (or mirrored on even pages).
_BODY_SPACED = r"(?:大\s*会|安\s*全\s*理\s*事\s*会|经\s*济\s*及\s*社\s*会\s*理\s*事\s*会)"
RUNNING_HEAD_RE = re.compile(
    rf"^(?:{_SYMBOL}(?:\s+.{{1,160}}?)?\s+\d{{2}}/\d{{2}}/\d{{4}}|\d{{2}}/\d{{2}}/\d{{4}}(?:\s+.{{1,160}}?)?\s+{_SYMBOL})$"
)
PAGE_NUMBER_RE = re.compile(r"^(?:\d{1,4}/\d{1,4}|-\s*\d{1,4}\s*-)$")
BARCODE_RE = re.compile(r"^\*\d{6,8}\*$")
LINK_RE = re.compile(r"^https?://\S+$")
MASTHEAD_RES = (
    re.compile(rf"^联\s*合\s*国(?:\s+{_SYMBOL}(?:\s?\(\d{{4}}\))?)?$"),  # "联 合 国  S/RES/2719 (2023)"
    re.compile(rf"^{_BODY_SPACED}$"),
    re.compile(rf"^(?:{_BODY_SPACED})?\s*Distr\.?:?\s*\w*$"),
    re.compile(r"^\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$"),
    re.compile(r"^(?:Chinese|English|French|Russian|Spanish|Arabic)$"),
    re.compile(r"^Original:\s*\w+$"),
    re.compile(r"^第[一二三四五六七八九十百零〇]+(?:届会议|年)$"),
)


def is_link(line: Line) -> bool:
    return bool(LINK_RE.match(line.text))


def is_running_furniture(text: str) -> bool:
    """Job numbers, page numbers and bar codes: furniture wherever they stand."""
    return bool(JOB_RE.match(text) or PAGE_NUMBER_RE.match(text) or BARCODE_RE.match(text) or RUNNING_HEAD_RE.match(text))


def is_masthead(text: str) -> bool:
    text = to_simplified(text)  # "聯合國", "安全理事會" too
    return any(r.match(text) for r in MASTHEAD_RES)


def _near_running(lines: list[Line], i: int, reach: int = 2) -> bool:
    """A lone symbol line is a running head only next to a job/page number line."""
    lo, hi = max(0, i - reach), min(len(lines), i + reach + 1)
    return any(is_running_furniture(lines[j].text) for j in range(lo, hi) if j != i)


RUNNING_TITLE_MAX = 40  # a running head naming the publication ("安全理事会惯例汇编，2022年") is a short line


def _running_titles(lines: list[Line]) -> set[str]:
    """Short lines repeated on several pages, each time beside a job or page number: running heads."""
    seen: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        text = line.text.strip()
        if 0 < len(text) <= RUNNING_TITLE_MAX and not re.search(r"[。；！？]$", text):
            seen.setdefault(text, []).append(i)
    return {t for t, at in seen.items() if len(at) >= 2 and all(_near_running(lines, i, 1) for i in at)}


def _is_furniture(lines: list[Line], i: int, text: str, running: set[str]) -> bool:
    front = i < FRONT_LINES and is_masthead(text)
    running_symbol = bool(SYMBOL_LINE_RE.match(text)) and _near_running(lines, i)
    return text in running or is_running_furniture(text) or front or running_symbol


def classify(lines: list[Line]) -> list[str]:
    """'link', 'furniture' or 'body' for each line."""
    kinds = []
    running = _running_titles(lines)
    for i, line in enumerate(lines):
        text = line.text.strip()
        if is_link(line):
            kinds.append("link")
        elif _is_furniture(lines, i, text, running):
            kinds.append("furniture")
        else:
            kinds.append("body")
    return kinds


def strip_furniture(lines: list[Line]) -> tuple[list[Line], list[str], list[str]]:
    """Body lines (the first after removed lines marked `page_break`), furniture, links."""
    kept: list[Line] = []
    furniture: list[str] = []
    links: list[str] = []
    pending_break = False
    for line, kind in zip(lines, classify(lines), strict=True):
        if kind == "body":
            page_break = line.page_break or (pending_break and bool(kept))
            kept.append(line if page_break == line.page_break else replace(line, page_break=page_break))
            pending_break = False
            continue
        (links if kind == "link" else furniture).append(line.text.strip())
        pending_break = True
    return kept, furniture, links
