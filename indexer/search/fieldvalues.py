"""Field values -> nodes: type:, symbol:/ref:, speaker:, title:, date: (also the CLI/web filters).

Each bad value raises QueryError saying what to type instead.
"""

from __future__ import annotations

import datetime as dt
import re

from indexer.engine.querytree import DateRange, Field, Node, fail
from indexer.language.charter import parse_tag
from indexer.language.doctypes import DOC_TYPES, doc_type_from_alias
from indexer.language.normalize import normalize
from indexer.language.speakers import canonical_speaker
from indexer.language.symbols import find_symbols, normalize_symbol

# A prefix starts with a body as in symbols.SYMBOL_RE: "S/PV", "S/PRST/2020", "A/75"; "XYZ" is no symbol.
_SYMBOL_PREFIX_RE = re.compile(r"^(?:A|S|E|ST|UNEP|DP|TD|CRC|CEDAW)(?:[/.][A-Z0-9.]+)*(?:\(\d{4}\))?/?$")
_RANGE_RE = re.compile(r"^\[\s*(\S+)\s+(?:TO|to|至|到)\s+(\S+)\s*\]$")
_DATE_RE = re.compile(r"^(\d{4})(?:年|[-/.])?(?:(\d{1,2})(?:月|[-/.])?(?:(\d{1,2})日?)?)?$")
_CMP_RE = re.compile(r"^(>=|<=|>|<)\s*(\S+)$")


def field_node(name: str, value: str) -> Node:
    """The node for one field value (also used for the CLI/web filters)."""
    if name == "type":
        doc_type = doc_type_from_alias(value)
        if doc_type is None:
            known = "、".join(f"{zh}/{aliases[0]}" for zh, aliases in DOC_TYPES.items())
            raise fail(f"未知的文档类型 {value}（可用：{known}）", f"unknown document type {value!r}")
        return Field("type", doc_type)
    if name in ("symbol", "ref"):
        return Field(name, parse_symbol(value, name))
    if name == "title":
        return Field("title", normalize(value).strip())
    if name == "charter":
        return Field("charter", parse_charter(value))
    if name == "speaker":
        speaker = normalize(value).replace("*", "").replace("?", "").replace(",", " ").strip()
        if not speaker:
            raise fail(f"发言者 {value} 无效", f"invalid speaker {value!r}")
        # Speakers are indexed in canonical form ("越南代表表示" -> 越南): "越南代表" must find them too.
        canonical = canonical_speaker(speaker) if " " not in speaker else None
        return Field("speaker", canonical or speaker)
    return parse_date_filter(value)


def parse_charter(value: str) -> str:
    """charter:VIII / 宪章:第八章 (a chapter), charter:39 / 第三十九条 (an article), 2(7) / 第2条第7款."""
    tag = parse_tag(value)
    if tag is None:
        raise fail(f"不是《宪章》的章或条：{value}（charter: 需要章，如 VIII 或 第八章；或条，如 39、第三十九条、2(7)）",
                   f"not a UN Charter chapter or article: {value!r} (charter: needs a chapter such as VIII "
                   "or an article such as 39 or 2(7))")
    return tag


def parse_symbol(value: str, name: str = "symbol") -> str:
    """A full symbol or a prefix ("S/PRST/2020", "S/PV"); resolution references become S/RES/…"""
    found = find_symbols(value)
    if len(found) == 1 and found[0][1] - found[0][0] >= len(value.strip()) - 6:
        return found[0][2]
    symbol = normalize_symbol(value)
    if not _SYMBOL_PREFIX_RE.match(symbol):
        raise fail(f"不是有效的文号：{value}（{name}: 需要文号，如 S/2020/1179、S/PRST/2021/9 或其开头 S/PRST）",
                   f"not a document symbol: {value!r} ({name}: needs a document symbol such as S/2020/1179, "
                   "S/PRST/2021/9, or its beginning S/PRST)")
    return symbol.rstrip("/")


def parse_date_filter(value: str) -> DateRange:
    """date:2020, 2020-12, 2020-12-04, [A TO B] (* = open), >=A, >A, <=A, <A."""
    m = _RANGE_RE.match(value)
    if m:
        start = None if m.group(1) == "*" else _date(m.group(1))
        end = None if m.group(2) == "*" else _date(m.group(2))
        if start and end and start > end and not end.startswith(start):
            raise fail(f"日期范围颠倒：{value}", f"date range ends before it starts: {value}")
        return DateRange(start, end)
    m = _CMP_RE.match(value)
    if m:
        op, date = m.group(1), _date(m.group(2))
        if op == ">=":
            return DateRange(date, None)
        if op == "<=":
            return DateRange(None, date)
        return DateRange(date + "~", None) if op == ">" else DateRange(None, date + "!")
    date = _date(value)
    return DateRange(date, date)


def _date(value: str) -> str:
    """"2020", "2020-12", "2020-12-04" (also 2020/12/4, 2020年12月4日) -> ISO at that precision."""
    m = _DATE_RE.match(value.strip())
    try:
        if m is None:
            raise ValueError(value)
        year, month, day = m.group(1), m.group(2), m.group(3)
        if not 1000 <= int(year) <= 2999:
            raise ValueError(value)
        if day:
            return dt.date(int(year), int(month), int(day)).isoformat()
        if month:
            return dt.date(int(year), int(month), 1).isoformat()[:7]
        return year
    except ValueError:
        raise fail(f"无效的日期：{value}（格式 YYYY、YYYY-MM 或 YYYY-MM-DD）",
                   f"invalid date {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None
