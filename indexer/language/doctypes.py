"""Document types: the Chinese canonical names, their English aliases, and inference from symbol and text.

The query parser imports DOC_TYPES and doc_type_from_alias for `type:` filters, so both sides share one list.
"""

from __future__ import annotations

import re

# Canonical Chinese name -> accepted aliases (English first: the one shown in help texts).
DOC_TYPES: dict[str, tuple[str, ...]] = {
    "决议": ("resolution", "res", "决议"),
    "主席声明": ("presidential-statement", "presidential statement", "prst", "statement", "主席声明", "声明"),
    "会议记录": ("verbatim", "verbatim-record", "meeting-record", "record", "pv", "会议记录", "逐字记录", "记录"),
    "信函": ("letter", "letters", "信函", "信"),
    "报告": ("report", "reports", "报告"),
    "说明": ("note", "notes", "说明"),
    "汇编": ("repertoire", "汇编", "惯例汇编"),
    "其他": ("other", "其他"),
}
OTHER = "其他"

_ALIASES: dict[str, str] = {
    re.sub(r"[\s_]+", "-", alias.casefold()): canonical
    for canonical, aliases in DOC_TYPES.items()
    for alias in (canonical, *aliases)
}

# Symbol prefix -> type: the symbol is the strongest evidence.
_SYMBOL_TYPES = (("S/RES/", "决议"), ("A/RES/", "决议"), ("S/PRST/", "主席声明"), ("S/PV.", "会议记录"), ("A/PV.", "会议记录"))
# Title -> type, tried in order.
_TITLE_TYPES = (
    (re.compile(r"惯例汇编"), "汇编"),
    (re.compile(r"主席声明\s*$"), "主席声明"),
    (re.compile(r"第\s*\d+\s*次会议"), "会议记录"),
    (re.compile(r"(?:的信|普通照会|的信的附件)\s*$"), "信函"),
    (re.compile(r"(?:秘书长|委员会|小组)?的报告\s*$|^报告\s*$"), "报告"),
    (re.compile(r"的说明\s*$"), "说明"),
)
# Header lines -> type: only lines that stand for the whole document (a table's "…的信" does not).
_HEAD_TYPES = (
    (re.compile(r"^\s*(?:秘书长|委员会|专家小组)的报告\s*$"), "报告"),
    (re.compile(r"^\s*(?:秘书长|主席)的说明\s*$"), "说明"),
    (re.compile(r"惯例汇编|在本文件所述期间"), "汇编"),
    (re.compile(r"^\s*第\s*\d+\s*次会议\s*$"), "会议记录"),
)


def doc_type_from_alias(text: str) -> str | None:
    """The canonical type for a Chinese or English name ("Letter", "presidential statement", "信函"), else None."""
    key = re.sub(r"[\s_]+", "-", text.strip().casefold())
    return _ALIASES.get(key)


def infer_doc_type(symbols: tuple[str, ...] | list[str], title: str, head_lines: list[str]) -> str:
    """Type from the symbol pattern first, then from the title, then from lines that name the whole document."""
    for symbol in symbols:
        for prefix, doc_type in _SYMBOL_TYPES:
            if symbol.upper().startswith(prefix.upper()):
                return doc_type
    for pattern, doc_type in _TITLE_TYPES:
        if title and pattern.search(title.strip()):
            return doc_type
    for pattern, doc_type in _HEAD_TYPES:
        if any(pattern.search(line) for line in head_lines):
            return doc_type
    return OTHER
