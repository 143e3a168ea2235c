"""Document types: the Chinese canonical names, their English aliases, and inference from symbol and text.

The query parser imports DOC_TYPES and doc_type_from_alias for `type:` filters, so both sides share one list.
"""

from __future__ import annotations

import re

from indexer.language.genres import genre_line

# Canonical Chinese name -> accepted aliases (English first: the one shown in help texts).
DOC_TYPES: dict[str, tuple[str, ...]] = {
    "决议": ("resolution", "res", "决议"),
    "决定": ("decision", "dec", "决定"),
    "主席声明": ("presidential-statement", "presidential statement", "prst", "statement", "主席声明", "声明"),
    "会议记录": ("verbatim", "verbatim-record", "meeting-record", "record", "pv", "会议记录", "逐字记录", "记录"),
    "简要记录": ("summary-record", "summary record", "sr", "简要记录"),
    "信函": ("letter", "letters", "note-verbale", "note verbale", "信函", "信", "普通照会", "照会"),
    "报告": ("report", "reports", "报告"),
    "说明": ("note", "notes", "说明"),
    "工作文件": ("working-paper", "working paper", "wp", "工作文件"),
    "议程": ("agenda", "议程"),
    "汇编": ("repertoire", "汇编", "惯例汇编"),
    "其他": ("other", "其他"),
}
OTHER = "其他"

_ALIASES: dict[str, str] = {
    re.sub(r"[\s_]+", "-", alias.casefold()): canonical
    for canonical, aliases in DOC_TYPES.items()
    for alias in (canonical, *aliases)
}

# Symbol -> type: the symbol is the strongest evidence ("A/77/PV.5", "E/C.12/2023/SR.5", "A/CN.10/2023/WP.1").
_SYMBOL_TYPES = (
    (re.compile(r"^(?:[A-Z]+/)*(?:RES)/", re.I), "决议"),
    (re.compile(r"/DEC/", re.I), "决定"),
    (re.compile(r"^S/PRST/", re.I), "主席声明"),
    (re.compile(r"^(?:S|A(?:/[A-Z0-9.\-]+)*)/PV\.\d", re.I), "会议记录"),
    (re.compile(r"/SR\.\d", re.I), "简要记录"),
    (re.compile(r"/WP\.\d", re.I), "工作文件"),
)
# Title -> type, tried in order.
_TITLE_TYPES = (
    (re.compile(r"惯例汇编"), "汇编"),
    (re.compile(r"主席声明\s*$"), "主席声明"),
    (re.compile(r"会议简要记录\s*$"), "简要记录"),
    (re.compile(r"第\s*\d+\s*次(?:全体)?会议"), "会议记录"),
    (re.compile(r"(?:的(?:同文)?信|普通照会|的(?:同文)?信的附件)\s*$"), "信函"),
    (re.compile(r"提交的工作文件\s*$"), "工作文件"),
    (re.compile(r"(?:秘书长|委员会|小组)?的报告\s*$|^报告\s*$"), "报告"),
    (re.compile(r"的说明\s*$"), "说明"),
)
# Lines that stand for the whole document wherever they are in the head (a Repertoire's table comes first).
_REPERTOIRE_RE = re.compile(r"惯例汇编|在本文件所述期间")
_MEETING_RE = re.compile(r"^\s*第\s*\d+\s*次(?:全体)?会议\s*$")


def doc_type_from_alias(text: str) -> str | None:
    """The canonical type for a Chinese or English name ("Letter", "presidential statement", "信函"), else None."""
    key = re.sub(r"[\s_]+", "-", text.strip().casefold())
    return _ALIASES.get(key)


def symbol_doc_type(symbol: str) -> str | None:
    """The type a symbol's series says ("S/RES/…" 决议, "…/SR.5" 简要记录), else None."""
    for pattern, doc_type in _SYMBOL_TYPES:
        if pattern.search(symbol.strip()):
            return doc_type
    return None


def infer_doc_type(symbols: tuple[str, ...] | list[str], title: str, head_lines: list[str]) -> str:
    """Type from the symbol first, then the title, then the first line of the head that names the genre."""
    for symbol in symbols:
        if doc_type := symbol_doc_type(symbol):
            return doc_type
    for pattern, doc_type in _TITLE_TYPES:
        if title and pattern.search(title.strip()):
            return doc_type
    if any(_REPERTOIRE_RE.search(line) for line in head_lines):
        return "汇编"
    found = genre_line(head_lines)
    if found:
        return found.doc_type
    if any(_MEETING_RE.match(line) for line in head_lines):
        return "会议记录"
    return OTHER
