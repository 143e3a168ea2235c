"""Title and date from the body, for documents without a cover page (web text, aligned corpora).

Why: such a document opens with the session and agenda lines of its body ("2023年届会",
"2022年7月25日至2023年7月26日", "议程项目19 (e)", "执行局") and then its own title.  Those lines
are not the title, and a session period is not the document's date.  The genre line (see
indexer/language/genres.py) says where the title stands; the date is the one its title, adoption or
meeting line states, or the closing "2023年6月23日 / 第35次全体会议" of a resolution.
"""

from __future__ import annotations

import re

from indexer.language.dates import chinese_date
from indexer.language.genres import AFTER, BEFORE, SELF, genre_line, is_session_line, line_genre, squeeze

TITLE_MAX = 120  # a genre-anchored title is kept whole up to this length
CLOSING_LINES = 8  # a resolution's closing date and meeting stand in its last lines
BRACKET_RE = re.compile(r"^\[.*\]$")  # "[根据全体会议审议的一项提案(E/2023/L.19)通过]"
CLOSING_MEETING_RE = re.compile(r"^第\d+次(?:全体)?会议$")
DATE_LINE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
ADOPTED_TYPES = ("决议", "决定")


def _clean_title(line: str) -> str:
    line = line.strip().rstrip("*＊：:").strip()
    return line if len(line) <= TITLE_MAX else line[: TITLE_MAX - 20] + "…"


CONTINUED_RE = re.compile(r"[的和与及、，,(（—\-]$")  # a title line cut here goes on on the next line
TITLE_PARTS = 3  # a subject line wraps over at most this many lines


def _title_line(lines: list[str], at: int, step: int) -> str:
    """The nearest line from `at` in direction `step` that is neither a bracket note nor another genre line
    (a subject line before its genre line with the lines it was wrapped from: "…在消除贫困方面的" / "行动计划…")."""
    i = at + step
    while 0 <= i < len(lines) and BRACKET_RE.match(squeeze(lines[i])):
        i += step
    if not 0 <= i < len(lines) or is_session_line(lines[i]) or line_genre(lines[i]):
        return ""
    first = i
    while step < 0 and i - first < TITLE_PARTS - 1 and first > 0 and _wrapped_before(lines[first - 1]):
        first -= 1
    return _clean_title("".join(line.strip() for line in lines[first : i + 1]))


def _wrapped_before(line: str) -> bool:
    """A line cut mid-phrase that belongs to the title line after it."""
    text = squeeze(line)
    return bool(CONTINUED_RE.search(text)) and not is_session_line(line) and not line_genre(line)


def genre_title(lines: list[str]) -> str:
    """The title a genre line points to: itself, the subject line before it, or the line after it."""
    found = genre_line(lines)
    if not found:
        return ""
    if found.title_at == SELF:
        return _clean_title(lines[found.index])
    if found.title_at == BEFORE:
        return _title_line(lines, found.index, -1)
    if found.title_at == AFTER:
        return _title_line(lines, found.index, +1)
    return ""


def genre_date(lines: list[str]) -> str | None:
    """The date that opens the genre line ("2023年4月26日…的普通照会", "2023年6月23日…决议"), or the date
    anywhere in an adoption line ("大会2023年7月28日通过的决定")."""
    found = genre_line(lines)
    if not found:
        return None
    line = squeeze(lines[found.index])
    if re.match(r"\d{4}年\d{1,2}月\d{1,2}日", line) or (found.doc_type in ADOPTED_TYPES and "通过" in line):
        return chinese_date(line)  # an adoption line may put its date last: "…通过的决议 2023年4月3日"
    return None


def closing_date(lines: list[str]) -> str | None:
    """A resolution's closing "2023年6月23日" beside "第35次全体会议" in its last lines."""
    tail = [squeeze(line) for line in lines[-CLOSING_LINES:]]
    for i, line in enumerate(tail):
        if CLOSING_MEETING_RE.match(line):
            for other in tail[max(0, i - 1) : i + 2]:
                if DATE_LINE_RE.match(other):
                    return chinese_date(other)
    return None


SECTION_TITLE_RE = re.compile(r"^\d{1,3}\.\s{2,}\S.{1,80}$")  # a Repertoire section: "36.  联合国与…的合作"
PART_TITLE_RE = re.compile(r"^第[一二三四五六七八九十]+部分(?:\s+\S.{1,60})?$")


def repertoire_title(lines: list[str]) -> str:
    """A Repertoire extract's title: the section or part it opens, though a table carried over from the
    page before may come first ("第五部分" joined to the name on the line after it)."""
    for i, line in enumerate(lines):
        text = line.strip()
        if SECTION_TITLE_RE.match(text):
            return re.sub(r"\s+", " ", text)
        if PART_TITLE_RE.match(text):
            name = lines[i + 1].strip() if i + 1 < len(lines) and " " not in text else ""
            return f"{text} {name}".strip() if name and not name.endswith("。") else text
    return ""
