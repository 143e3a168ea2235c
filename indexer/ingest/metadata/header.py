"""The document's own header: symbols, title, date, original language and job number.

Works on raw text lines (the cover page as extracted) plus the page furniture clean set aside, so it does
not depend on how the body was cleaned.  Symbols come only from the header ("联 合 国   S/PRST/2021/9")
and page headers ("S/2021/130" beside "21-01922 6/14"), never from citations in the body.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from indexer.ingest.metadata.bodyhead import closing_date, genre_date, genre_title
from indexer.language.dates import chinese_date, english_date
from indexer.language.genres import is_session_line, squeeze
from indexer.language.symbols import SYMBOL_RE, normalize_symbol

HEAD_LINES = 15  # the cover header is within the first non-empty lines
TYPE_LINES = 80  # lines searched for "秘书长的报告" and the like

LANGUAGES = {
    "english": "en", "french": "fr", "spanish": "es", "russian": "ru", "arabic": "ar", "chinese": "zh",
    "英文": "en", "法文": "fr", "西班牙文": "es", "俄文": "ru", "阿拉伯文": "ar", "中文": "zh",
}
ORIGINAL_RE = re.compile(r"(?:Original|原文)\s*[:：]\s*(?P<lang>[A-Za-z]+|[\u4e00-\u9fff]{2,5})")
JOB_NUMBER_RE = re.compile(r"(?<![\d-])(?P<job>\d{2}-\d{5})\s*\((?:C|Ch|Chinese)\)")
PAGE_FOOTER_RE = re.compile(r"^(?:(?P<job>\d{2}-\d{5})\s+\d{1,3}/\d{1,3}|\d{1,3}/\d{1,3}\s+(?P<job2>\d{2}-\d{5}))$")
RUNNING_DATE_RE = re.compile(r"(?<![\d/])\d{2}/\d{2}/\d{4}(?![\d/])")  # a verbatim record's running-head date
MEETING_RE = re.compile(r"第\s*(?P<number>\d{1,5})\s*次(?P<plenary>全体)?会议")
MEETING_DATE_LINE_RE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期.)?\s*(?:[上下]午.*)?$")
OPENING_RE = re.compile(r"开幕|开始$")  # "2023年9月5日星期二下午3时在纽约总部开幕": a session opens, no meeting is held
BODIES = {"大会": "大会", "安全理事会": "安全理事会", "经济及社会理事会": "经济及社会理事会", "人权理事会": "人权理事会"}
SYMBOL_BODIES = (("S/", "安全理事会"), ("A/HRC/", "人权理事会"), ("A/", "大会"), ("E/", "经济及社会理事会"))
SESSION_RE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+届(?:会议|常会|特别会议)$")
PART_LABEL_RE = re.compile(r"^第[一二三四五六七八九十百]+(?:部分|章|编)$")  # "第五部分" over its name
# A resolution's "2020 年 7 月 1 日安全理事会第 8736 次会议通过"
ADOPTED_RE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,20}第\s*\d+\s*次会议(?:上)?通过")
_HEADER_LINE_RE = re.compile(
    r"^(?:联合国|UnitedNations|大会|安全理事会|经济及社会理事会|Distr\..*|Chinese|中文|Original:.*|原文.*|"
    r"\*\d+\*|[\d\s]+|第.{1,6}届会议|第.{1,6}年|临时|Provisional|.*Distr\.:.*|\d+[A-Za-z]+\d{4}|"
    r"\d{2}-\d{5}.*|临时议程.*|议程项目.*|\*.*|\(.\)、.*)$"
)


@dataclass(frozen=True)
class Header:
    symbols: tuple[str, ...] = ()
    title: str = ""
    doc_date: str | None = None
    original_language: str | None = None
    job_number: str | None = None
    head_lines: tuple[str, ...] = ()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _symbol_only(line: str) -> list[str]:
    """The symbols of a line that holds nothing but symbols (and "联合国"/"United Nations"), else []."""
    undated = RUNNING_DATE_RE.sub(" ", unicodedata.normalize("NFKC", line))  # "A/78/PV.12 25/09/2023"
    rest = re.sub(r"^(?:联合国|UnitedNations)", "", squeeze(undated))
    matches = list(SYMBOL_RE.finditer(rest))
    leftover = SYMBOL_RE.sub("", rest).strip("-–—")
    return [normalize_symbol(m.group("symbol")) for m in matches] if matches and not leftover else []


def _is_header_line(line: str) -> bool:
    return bool(_HEADER_LINE_RE.match(squeeze(line))) or is_session_line(line)


def header_symbols(lines: list[str], furniture: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Symbols on a header line, on a furniture line, or on a page-header line next to a page footer."""
    found: list[str] = []
    for i in _header_rows(lines):
        found.extend(_symbol_only(lines[i]))
    for line in furniture:
        found.extend(_symbol_only(line))
    return tuple(dict.fromkeys(found))


def _header_rows(lines: list[str]) -> list[int]:
    """Rows where a symbols-only line counts: within 3 lines of a page footer, a cover line opening
    with 联合国/United Nations, or among the first 3 lines below nothing but header lines. Found before
    any symbol is parsed: parsing every line of a long document cost more than the rest of the header."""
    footers = [i for i, line in enumerate(lines) if PAGE_FOOTER_RE.match(line)]
    rows = {j for i in footers for j in range(max(0, i - 3), min(len(lines), i + 4))}
    rows |= {i for i, line in enumerate(lines[:HEAD_LINES])
             if re.sub(r"\s+", "", line).startswith(("联合国", "UnitedNations"))}
    rows |= {i for i in range(min(3, len(lines))) if all(_is_header_line(other) for other in lines[:i])}
    return sorted(rows)


def job_number(lines: list[str], furniture: tuple[str, ...] = ()) -> str | None:
    """"21-05177 (C)" on the cover, or the number in a page footer "21-01922 6/14"."""
    for line in [*lines[:HEAD_LINES], *furniture, *lines]:
        m = JOB_NUMBER_RE.search(line) or PAGE_FOOTER_RE.match(line)
        if m:
            return m.group("job") or m.group("job2")
    return None


def original_language(lines: list[str]) -> str | None:
    for line in lines[:HEAD_LINES]:
        m = ORIGINAL_RE.search(line)
        if m:
            return LANGUAGES.get(m.group("lang").lower())
    return None


def title(lines: list[str]) -> str:
    """A verbatim record's "安全理事会第 N 次会议", the title a genre line points to, else the first line
    after the cover header."""
    if found := meeting_title(lines[:HEAD_LINES]):
        return found
    if found := genre_title(lines[:TYPE_LINES]):
        return found
    for i, line in enumerate(lines[:TYPE_LINES]):
        if _is_header_line(line) or _symbol_only(line) or MEETING_DATE_LINE_RE.match(line):
            continue
        line = line.rstrip("：:*＊")
        if PART_LABEL_RE.match(_squeezed(line)) and i + 1 < len(lines) and not _is_header_line(lines[i + 1]):
            line = f"{line} {lines[i + 1].rstrip('：:')}"  # "第五部分" / "安全理事会的附属机关"
        return line if len(line) <= 80 else line[:60] + "…"
    return ""


def _squeezed(line: str) -> str:
    return squeeze(line)  # NFKC, simplified, no spaces: "第 9601 次會議" -> "第9601次会议"


HELD_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日(?:星期.|[上下]午)")  # "2023年9月25日星期一上午10时…"


def _held_on(lines: list[str]) -> bool:
    """A meeting line of a record's cover is followed by the day and hour the meeting was held."""
    return any(HELD_RE.match(line) for line in lines)


def meeting_title(head: list[str]) -> str:
    """A verbatim record's meeting line with its body and session: "大会第七十八届会议第12次全体会议",
    "安全理事会第8999次会议" (the Council's cover names a year, not a session)."""
    squeezed = [_squeezed(line) for line in head]
    meeting = next((m for i, line in enumerate(squeezed)
                    if (m := MEETING_RE.fullmatch(line)) and _held_on(squeezed[i + 1 : i + 3])), None)
    if meeting is None:
        return ""  # a resolution's closing "第50次全体会议 / 2023年12月19日" names no weekday or hour
    body = next((BODIES[line] for line in squeezed if line in BODIES), "")
    if not body:
        symbols = [s for line in head for s in _symbol_only(line)]
        body = next((name for s in symbols for prefix, name in SYMBOL_BODIES if s.startswith(prefix)), "安全理事会")
    session = next((line for line in squeezed if SESSION_RE.match(line)), "") if body != "安全理事会" else ""
    return f"{body}{session}第{meeting.group('number')}次{meeting.group('plenary') or ''}会议"


def document_date(lines: list[str], title_text: str) -> str | None:
    """The date a genre line opens with ("2023年4月26日…的普通照会", "2023年6月23日…决议"), a meeting's or
    adoption's date line, "Distr.: General 19 April 2021", the date that opens the title, or a resolution's
    closing date."""
    if own := genre_date(lines[:TYPE_LINES]):
        return own  # the letter's, note's or resolution's own date, not the day it was circulated
    for line in lines[:HEAD_LINES]:
        if (MEETING_DATE_LINE_RE.match(line) and not OPENING_RE.search(line)) or ADOPTED_RE.match(line):
            return chinese_date(line)  # the day of the meeting or of the adoption, not of circulation
    head = " ".join(lines[:HEAD_LINES])
    at = head.find("Distr")
    if at >= 0 and (iso := english_date(head[at : at + 80])):
        return iso
    if re.match(r"^\d{4}\s*年", title_text):
        return chinese_date(title_text)
    return closing_date(lines)


def read_header(raw_text: str, furniture: tuple[str, ...] = ()) -> Header:
    """Everything the header tells; fields it does not tell stay empty."""
    lines = _lines(raw_text)
    furniture = tuple(line.strip() for line in furniture)
    title_text = title(lines)
    return Header(
        symbols=header_symbols(lines, furniture),
        title=title_text,
        doc_date=document_date(lines, title_text),
        original_language=original_language(lines),
        job_number=job_number(lines, furniture),
        head_lines=tuple(lines[:TYPE_LINES]),
    )
