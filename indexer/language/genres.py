"""Genre lines: the line near the top of a UN document that says what the document is.

Why: documents taken from the web or an aligned corpus have no symbol and no cover page, but every UN
genre names itself in one line of its own — a letter's "…给…的信", a report's "秘书长的报告", a
resolution's adoption line "2023年6月23日经济及社会理事会决议" or its preamble "大会，".  That line
gives the type, and it also says where the document's own title stands: the line itself (letters,
summary records), the line before it (reports, notes, working papers: the subject line), or the line
after it (resolutions: the title follows the adoption line).  The first genre line in the head wins, so
a report quoted inside a note ("…执行主任的报告" below "秘书长的说明") does not change the note's type.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from indexer.language.normalize import to_simplified

GENRE_LINES = 80  # genre lines are looked for among the first non-empty lines
_MAX_LINE = 90  # a genre line is a short line of its own, never a body sentence
_BODY = r"(?:大会|安全理事会|安理会|经济及社会理事会|经社理事会|人权理事会|理事会|委员会)"
_DATE = r"\d{4}年\d{1,2}月\d{1,2}日"
SELF, BEFORE, AFTER = "self", "before", "after"  # where the title stands, relative to the genre line
# Body lines that open a document but are not its title (squeezed: no spaces): session, period, agenda,
# body and masthead lines ("2023年届会", "2022年7月25日至2023年7月26日", "议程项目19(e)", "执行局", "大会").
SESSION_LINE_RE = re.compile(
    rf"^(?:\d{{4}}年(?:届会|.{{0,6}}会议|续会)|{_DATE}?至.{{0,12}}日(?:[，,].{{0,10}})?|{_DATE}[，,].{{1,10}}|"
    r"(?:临时)?议程\*?项目.*|项目\d+.*|第.{1,6}(?:届会议|届会|年|次会议)|[\u4e00-\u9fff]{0,14}(?:委员会|理事会|执行局|大会|工作组|论坛)|"
    r"联合国|大会|安全理事会|经济及社会理事会|\[.*\]|\*.*)$"
)

# (pattern on the squeezed line, type, where the title is); tried in order for each line.
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(rf"^{_DATE}.{{0,30}}?{_BODY}?决议\*?$"), "决议", AFTER),
    (re.compile(rf"^{_DATE}.{{0,30}}?{_BODY}?决定\*?$"), "决定", AFTER),
    (re.compile(rf"^{_DATE}.{{0,30}}第\d+次(?:全体)?会议上?通过\*?$"), "决议", AFTER),
    # "人权理事会通过的决议 2023年4月3日", "大会2023年7月28日通过的决定": the adoption line, date anywhere
    (re.compile(rf"^{_BODY}?(?:{_DATE})?通过的决议(?:{_DATE})?\*?$"), "决议", AFTER),
    (re.compile(rf"^{_BODY}?(?:{_DATE})?通过的决定(?:{_DATE})?\*?$"), "决定", AFTER),
    (re.compile(rf"^{_BODY}[，,]$"), "决议", BEFORE),
    (re.compile(r"^.{2,80}给.{2,60}的(?:同文)?(?:信|普通照会)\*?$"), "信函", SELF),
    (re.compile(r"^.{0,60}的普通照会\*?$"), "信函", SELF),
    (re.compile(r"^.{0,40}第\d+次(?:全体)?会议简要记录\*?$"), "简要记录", SELF),
    (re.compile(r"^简要记录\*?$"), "简要记录", BEFORE),
    (re.compile(r"^.{0,60}提交的工作文件\*?$|^工作文件\*?$"), "工作文件", BEFORE),
    (re.compile(r"^.{0,40}主席声明$"), "主席声明", SELF),
    (re.compile(r"^.{0,40}的(?:年度)?报告\*?$|^.{0,30}年度报告\*?$"), "报告", BEFORE),
    (re.compile(r"^.{1,30}的说明\*?$"), "说明", BEFORE),
    (re.compile(r"^(?:临时)?议程(?:和日程安排|说明)?\*?$"), "议程", SELF),
    # "大会第七十八届常会临时议程*", "第五十五届会议临时议程": a session's agenda names its body or session
    (re.compile(rf"^{_BODY}?.{{0,12}}(?:届会议?|常会|特别会议|届会)(?:的)?(?:临时)?议程\*?$"), "议程", SELF),
)


_BODY_SENTENCE_RE = re.compile(r"^.{30,}[。！？]$")  # a long sentence: the head is over


@dataclass(frozen=True)
class GenreLine:
    index: int  # position in the lines searched
    doc_type: str
    title_at: str  # SELF, BEFORE or AFTER


@lru_cache(maxsize=8192)  # the same head lines are squeezed by several rules
def squeeze(line: str) -> str:
    """The line as genre patterns see it: NFKC, simplified, without spaces ("大 會" -> "大会", "（" -> "(")."""
    return to_simplified(re.sub(r"\s+", "", unicodedata.normalize("NFKC", line)))


def line_genre(line: str) -> tuple[str, str] | None:
    """(type, where the title stands) if this line names the document's genre, else None."""
    text = squeeze(line)
    if not text or len(text) > _MAX_LINE or text[-1] in "。；！？":
        return None
    for pattern, doc_type, title_at in _PATTERNS:
        if pattern.search(text):
            return doc_type, title_at
    return None


def is_session_line(line: str) -> bool:
    """A session, period, agenda, body or masthead line: part of the head, never the title."""
    return bool(SESSION_LINE_RE.match(squeeze(line)))


def genre_line(lines: list[str]) -> GenreLine | None:
    """The first genre line among the first GENRE_LINES lines.

    A line whose title would stand before it but that follows a session or agenda line is the agenda
    item's title ("议程项目4" / "…高级专员的报告"), not the document's genre; once a long sentence has
    ended the head, no later line counts.
    """
    for i, line in enumerate(lines[:GENRE_LINES]):
        if _BODY_SENTENCE_RE.search(squeeze(line)):
            break  # the body has begun: a line there is a heading or a quotation, not the genre
        found = line_genre(line)
        if found and not (found[1] == BEFORE and (i == 0 or is_session_line(lines[i - 1]))):
            return GenreLine(i, *found)
    return None
