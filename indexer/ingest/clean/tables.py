"""Tables in extracted PDFs (the Repertoire's 表 1 / 表 2) -> one readable passage per row.

Why: the extraction writes a table cell by cell, wrapped, columns interleaved:
"S/PV.8711 / 2020 年 1 月 30 日 / 联合国同东南亚|国家联盟(东盟)|的合作 / …". A row read as one
line of prose is unreadable and a search hit on it says nothing. So each row becomes
"会议记录和日期：…；分项：…；…", labelled with the table's column names. The labels are not source
text: they are listed in Paragraph.added so the no-text-lost accounting can subtract them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce

from indexer.ingest.clean.lines import Line, is_terminal, join_text, tidy
from indexer.models import Paragraph

CAPTION_RE = re.compile(r"^表\s*\d+$")
SECTION_RE = re.compile(r"^\d+\.\s{2,}\S")  # "36.  联合国与…": a Repertoire section heading ends a table
NOTE_RE = re.compile(r"^[a-z]\s+\S")
DATE = r"\d{4} 年 \d{1,2} 月 \d{1,2} 日"
VIDEO_ROW_RE = re.compile(rf"^(?P<date>{DATE})\s+(?P<record>[A-Z]+/\S+)\s*(?P<title>.*)$")
MEETING_ROW_RE = re.compile(r"^S/PV\.\d+")
RECORD_CELL_RE = re.compile(rf"^(?:和\s*)?S/PV\.\d+|^\(Resumption \d+\)$|^{DATE}$")
DECISION_CELL_RE = re.compile(r"号决议|^第\s*\d+\s*\(\d{4}\)\s*$|^\d+-\d+-\d+$|^S/PRST/|^\(根据.*\)$|^S/\d{4}/\d+$")
DOCUMENT_CELL_RE = re.compile(r"的信|报告|决议草案|说明")
CELL_GAP_RE = re.compile(r"\s{2,}")

VIDEO = "video"
MEETING = "meeting"
# The Repertoire's two kinds of table, recognised by their header text (spaces ignored).
TABLE_KINDS = {
    "视频会议日期视频会议记录标题决定、表决(赞成-反对-弃权)和书面程序记录": VIDEO,
    "会议记录和日期分项其他文件根据规则第37条发出的邀请根据规则第39条发出的邀请及其他邀请发言者决定和表决(赞成-反对-弃权)": MEETING,
}
COLUMNS = {
    VIDEO: ("视频会议日期", "视频会议记录", "标题", "决定、表决(赞成-反对-弃权)和书面程序记录"),
    MEETING: (
        "会议记录和日期", "分项", "其他文件", "根据规则第 37 条发出的邀请", "根据规则第 39 条发出的邀请及其他邀请",
        "发言者", "决定和表决(赞成-反对-弃权)",
    ),
}
VIDEO_LABELS = ("视频会议日期", "视频会议记录", "标题", "决定、表决(赞成-反对-弃权)和书面程序记录")
MEETING_LABELS = ("会议记录和日期", "分项", "其他文件", "邀请和发言者", "决定和表决(赞成-反对-弃权)")
HEADER_HINTS = ("视频会议日期", "会议记录和日期")


@dataclass
class Table:
    caption: list[Line] = field(default_factory=list)
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    repeated_headers: list[str] = field(default_factory=list)


def starts_table(line: Line) -> bool:
    """A caption ("表 1") or, at the top of a page, a known header continuing a table."""
    return bool(CAPTION_RE.match(line.text)) or (line.text.startswith(HEADER_HINTS) and _header_prefix(_key([line])))


def ends_table(line: Line) -> bool:
    return bool(SECTION_RE.match(line.text) or CAPTION_RE.match(line.text))


def read_table(lines: list[Line], i: int) -> tuple[Table, int]:
    """The table starting at line i (caption or header) and the index just past it."""
    table = Table()
    if CAPTION_RE.match(lines[i].text):
        table.caption.append(lines[i])
        i += 1
        if i < len(lines) and _caption_title(lines[i]):
            table.caption.append(lines[i])
            i += 1
    i = _read_header(lines, i, table.header)
    header_key = _key(table.header)
    known = header_key in TABLE_KINDS
    while i < len(lines) and not ends_table(lines[i]) and (known or not _prose(lines[i])):
        if header_key and starts_table(lines[i]):
            repeat: list[Line] = []
            i = _read_header(lines, i, repeat)
            if _key(repeat) == header_key:
                table.repeated_headers.append(" ".join(x.text for x in repeat))
                continue
            table.body.extend(repeat)
            continue
        table.body.append(lines[i])
        i += 1
    return table, i


def _caption_title(line: Line) -> bool:
    """"会议：维护国际和平与安全" under "表 1": short, not a header, not a sentence."""
    return not line.text.startswith(HEADER_HINTS) and len(line.text) <= 40 and not is_terminal(line.text)


def _prose(line: Line) -> bool:
    """Where a table of unknown kind ends: an indented paragraph or a sentence."""
    indented = line.indent >= 1 and line.blank_before and not line.page_break and not NOTE_RE.match(line.text)
    return indented or (is_terminal(line.text) and len(line.text) >= 20)


def _read_header(lines: list[Line], i: int, out: list[Line]) -> int:
    """Header lines: as long as they spell the beginning of a known kind's column names."""
    while i < len(lines) and _header_prefix(_key([*out, lines[i]])):
        out.append(lines[i])
        i += 1
        if _key(out) in TABLE_KINDS:
            break
    return i


def _header_prefix(key: str) -> bool:
    return bool(key) and any(table_kind.startswith(key) for table_kind in TABLE_KINDS)


def _key(lines: list[Line]) -> str:
    return re.sub(r"\s+", "", "".join(x.text for x in lines))


def _row_start(line: Line, previous: Line | None) -> bool:
    if VIDEO_ROW_RE.match(line.text):
        return True
    resumption = previous is not None and re.match(rf"^{DATE}$", previous.text.strip())
    return bool(MEETING_ROW_RE.match(line.text)) and not resumption


def table_paragraphs(table: Table) -> list[Paragraph]:
    """Caption as a heading, the header as a row, then one labelled row per table row, then notes."""
    out: list[Paragraph] = []
    if table.caption:
        out.append(Paragraph(text=tidy(" ".join(x.text for x in table.caption)), kind="heading"))
    table_kind = TABLE_KINDS.get(_key(table.header))
    if table.header:
        out.append(_header_paragraph(table.header, table_kind))
    rows, notes = _split_rows(table.body, table_kind is not None)
    for row in rows:
        out.append(_row_paragraph(row, table_kind))
    out.extend(Paragraph(text=tidy(note)) for note in notes)
    return out


def _header_paragraph(header: list[Line], table_kind: str | None) -> Paragraph:
    """The column names, one " | " between them when the table's kind is known."""
    if table_kind is None:
        return Paragraph(text=tidy(" ".join(x.text for x in header)), kind="table_row")
    columns = COLUMNS[table_kind]
    return Paragraph(text=" | ".join(columns), kind="table_row", added=("|",) * (len(columns) - 1))


def _split_rows(body: list[Line], known: bool) -> tuple[list[list[Line]], list[str]]:
    """Rows start at a record symbol or a meeting date; the lettered notes come last."""
    rows: list[list[Line]] = []
    notes: list[str] = []
    previous = None
    for line in body:
        if NOTE_RE.match(line.text):
            notes.append(line.text)
        elif notes:
            notes[-1] = join_text(notes[-1], line.text)
        elif not rows or _row_start(line, previous) or (not known and previous is not None and previous.trailing):
            rows.append([line])
        else:
            rows[-1].append(line)
        previous = line
    return rows, notes


def _cells(row: list[Line]) -> list[str]:
    """Cells of a row: a line without a trailing space continues its cell; wide gaps split cells."""
    cells: list[str] = []
    open_cell = False
    for line in row:
        parts = [p for p in CELL_GAP_RE.split(line.text) if p]
        for k, part in enumerate(parts):
            if open_cell and k == 0:
                cells[-1] = join_text(cells[-1], part)
            else:
                cells.append(part)
        open_cell = not line.trailing
    return [tidy(c) for c in cells if c.strip()]


def _labelled(pairs: list[tuple[str, str]]) -> Paragraph:
    """'label：value；label：value' with the labels and punctuation recorded as added text."""
    parts: list[str] = []
    added: list[str] = []
    for k, (label, value) in enumerate(pairs):
        prefix = ("；" if k else "") + label + "："
        parts.append(prefix + value)
        added.append(prefix)
    return Paragraph(text="".join(parts), kind="table_row", added=tuple(added))


def _row_paragraph(row: list[Line], table_kind: str | None) -> Paragraph:
    if table_kind == VIDEO:
        return _labelled(_video_row(row))
    if table_kind == MEETING:
        return _labelled(_meeting_row(_cells(row)))
    return Paragraph(text=tidy(" ".join(_cells(row))), kind="table_row")


def _video_row(row: list[Line]) -> list[tuple[str, str]]:
    match = VIDEO_ROW_RE.match(row[0].text)
    if not match:  # the tail of a row that began on the previous page
        return [(VIDEO_LABELS[3], " ".join(_cells(row)))]
    title, rest = match.group("title"), row[1:]
    while rest and not title.endswith("的信") and not DECISION_CELL_RE.search(rest[0].text):
        title, rest = join_text(title, rest[0].text), rest[1:]
    pairs = [(VIDEO_LABELS[0], match.group("date")), (VIDEO_LABELS[1], match.group("record")), (VIDEO_LABELS[2], tidy(title))]
    decisions = _cells(rest)
    if decisions:
        pairs.append((VIDEO_LABELS[3], " ".join(decisions)))
    return pairs


def _meeting_row(cells: list[str]) -> list[tuple[str, str]]:
    groups: dict[str, list[str]] = {label: [] for label in MEETING_LABELS}
    record_done = False
    for cell in cells:
        if not record_done and RECORD_CELL_RE.search(cell):
            groups[MEETING_LABELS[0]].append(cell)
            continue
        record_done = True
        if DOCUMENT_CELL_RE.search(cell):
            groups[MEETING_LABELS[2]].append(cell)
        elif DECISION_CELL_RE.search(cell):
            groups[MEETING_LABELS[4]].append(cell)
        elif not groups[MEETING_LABELS[1]] and not groups[MEETING_LABELS[3]] and "、" not in cell and "个" not in cell:
            groups[MEETING_LABELS[1]].append(cell)
        else:
            groups[MEETING_LABELS[3]].append(cell)
    return [(label, reduce(join_text, values)) for label, values in groups.items() if values]
