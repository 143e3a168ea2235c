"""Footnotes: lift the blocks under the "_____" rule out of the text, find each marker in the text.

Why this way: in an extracted UN PDF a marker is a bare number glued to the text ("…等问题。961 安理会",
"越南倡议下 966 就该项目"), indistinguishable by itself from "举行了 3 次会议". What does tell them
apart: markers run in increasing order, and each has its footnote in the block at the foot of the
same page (or, when the note did not fit, of the next one). So the marker of note n is searched
only between the marker of note n-1 and the end of the page that holds note n.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indexer.ingest.clean.lines import SENTINEL_BASE, Line, is_sentinel, is_terminal, join_text, tidy

RULE_RE = re.compile(r"^_{5,}$")
ORPHAN_OFFSET = 0x8000  # sentinel for a footnote whose marker was not found: attached, offset -1
NOTE_START_RE = re.compile(r"^(\d{1,4}|[*†‡]{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s+(\S.*)$")
LONE_NOTE_RE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+|[*†‡]{1,3})\s+(\S.*)$")
# What follows a counted number, never a footnote marker: "3 次会议", "2020 年", "15 个".
MEASURE_WORDS = "次项个年月日名人份段条届岁天周场架枚位号%‰点时分秒亿万千百部节章款期轮批家所间种"
_LATIN_NEAR = re.compile(r"[A-Za-z0-9./()\-]")


@dataclass
class Note:
    """One footnote: its marker, text, the page whose foot holds it and the body line it follows."""

    marker: str
    text: str
    page: int
    anchor: int  # index of the last body line before the block (-1: before any)
    found: bool = False


def split_notes(lines: list[Line]) -> tuple[list[Line], list[Note]]:
    """Body lines numbered by page, and the footnotes lifted out of them."""
    body: list[Line] = []
    notes: list[Note] = []
    page = 0
    i = 0
    glued_star = False
    while i < len(lines):
        line = lines[i]
        if RULE_RE.match(line.text):
            block, i = _read_block(lines, i + 1, _last_number(notes))
            notes.extend(Note(m, t, page, len(body) - 1) for m, t in block)
            page += 1
            continue
        lone = LONE_NOTE_RE.match(line.text)
        if lone and (lone.group(1)[0] != "*" or glued_star):
            notes.append(Note(lone.group(1), tidy(lone.group(2)), page, len(body) - 1))
            page += 1
            _mark_break(lines, i + 1)
            i += 1
            continue
        if line.page_break and body:
            page += 1
        glued_star = glued_star or bool(re.search(r"\S\*", line.text))
        body.append(line if line.page == page else replace(line, page=page))
        i += 1
    return body, notes


def _mark_break(lines: list[Line], i: int) -> None:
    if i < len(lines):
        lines[i] = replace(lines[i], page_break=True)


def _last_number(notes: list[Note]) -> int:
    numbers = [int(n.marker) for n in notes if n.marker.isdecimal()]
    return numbers[-1] if numbers else 0


def _read_block(lines: list[Line], i: int, last: int) -> tuple[list[tuple[str, str]], int]:
    """The (marker, text) entries of one footnote block starting at line i, and where it ends."""
    entries: list[list[str]] = []
    while i < len(lines):
        line = lines[i]
        start = NOTE_START_RE.match(line.text)
        if start and _next_in_sequence(start.group(1), last, bool(entries)):
            entries.append([start.group(1), start.group(2)])
            last = int(start.group(1)) if start.group(1).isdecimal() else last
        elif entries and _continues_note(entries[-1][1], line):
            entries[-1][1] = join_text(entries[-1][1], line.text)
        else:
            break
        i += 1
    return [(m, tidy(t)) for m, t in entries], i


def _continues_note(text: str, line: Line) -> bool:
    """A wrapped footnote line: no page break before it, and the note so far is unfinished."""
    if line.page_break or RULE_RE.match(line.text):
        return False
    return not is_terminal(text) or not line.blank_before


def _next_in_sequence(marker: str, last: int, started: bool) -> bool:
    if not marker.isdecimal():
        return True
    number = int(marker)
    return number == last + 1 if started else number > last or last == 0


def merge_reader_notes(notes: list[Note], given: tuple[tuple[str, str], ...], body: list[Line]) -> list[Note]:
    """Footnotes a layout-aware reader already found, where the text itself had no block for them."""
    known = {n.marker for n in notes}
    last_page = body[-1].page if body else 0
    extra = [Note(m, tidy(t), last_page, len(body) - 1) for m, t in given if m not in known and t.strip()]
    return notes + extra


def mark_refs(body: list[Line], notes: list[Note]) -> list[Line]:
    """Replace each footnote's marker in the body by its sentinel character (in order, page-bounded)."""
    body = list(body)
    cursor = (0, 0)
    for k, note in enumerate(notes):
        hit = _find_marker(body, note, cursor)
        if hit is None:
            continue
        row, start = hit
        text = body[row].text
        left, right = text[:start], text[start + len(note.marker):]
        if note.marker.isdecimal():  # a bare number stands between spaces; a "*" or "¹" is glued on
            left, right = left.rstrip(), right.lstrip()
        joined = join_text(left + chr(SENTINEL_BASE + k), right) if note.marker.isdecimal() else (
            left + chr(SENTINEL_BASE + k) + right
        )
        body[row] = replace(body[row], text=joined)
        note.found = True
        cursor = (row, len(left) + 1)
    return body


def _find_marker(body: list[Line], note: Note, cursor: tuple[int, int]) -> tuple[int, int] | None:
    row, col = cursor
    while row < len(body) and body[row].page <= note.page:
        text = body[row].text
        start = text.find(note.marker, col)
        while start >= 0:
            if _looks_like_marker(text, start, note.marker):
                return row, start
            start = text.find(note.marker, start + 1)
        row, col = row + 1, 0
    return None


def _looks_like_marker(text: str, start: int, marker: str) -> bool:
    """A number standing alone, not part of a symbol, a date or a count ("第 2 段", "3 次")."""
    end = start + len(marker)
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if not marker[0].isdecimal():
        return bool(before) and not before.isspace()
    if (before and (_LATIN_NEAR.match(before) or is_sentinel(before))) or (after and _LATIN_NEAR.match(after)):
        return False
    prev_word = text[:start].rstrip()[-1:]
    next_word = text[end:].lstrip()[:1]
    return prev_word != "第" and next_word not in MEASURE_WORDS if next_word else prev_word != "第"
