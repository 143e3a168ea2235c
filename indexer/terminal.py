"""The terminal printer: documents (inspect) and results (search without --json) as plain text.

Matches are shown in reverse video (ANSI) when the output is a terminal; spans -> escapes here only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from indexer.language.charter import tag_label
from indexer.language.spans import pieces
from indexer.models import Document, Hit, SearchResults, Span
from indexer.search.concordance import Concordance

REVERSE, RESET = "\x1b[7m", "\x1b[0m"


def format_document(doc: Document) -> str:
    lines = [
        f"文档 {doc.doc_id}  ({doc.source}, {doc.encoding})",
        f"  文号: {' / '.join(doc.symbols) or '—'}",
        f"  标题: {doc.title or '—'}",
        f"  类型: {doc.doc_type}   日期: {doc.doc_date or '—'}   原文: {doc.original_language or '—'}   "
        f"作业号: {doc.job_number or '—'}",
    ]
    if doc.abbreviations:
        lines.append("  简称: " + "，".join(f"{k}={v}" for k, v in doc.abbreviations.items()))
    if doc.references:
        lines.append("  引用: " + " ".join(doc.references))
    for warning in doc.warnings:
        lines.append(f"  警告: {warning}")
    lines.append(f"  段落: {len(doc.passages)}")
    for p in doc.passages:
        head = f"[{p.ordinal}]" + (f" §{p.paragraph}" if p.paragraph else "") + (f"  ‹{p.heading}›" if p.heading else "")
        lines.append("")
        lines.append(head)
        lines.append(p.text)
        extras = []
        if p.dates:
            extras.append("日期=" + ",".join(p.dates))
        if p.speakers:
            extras.append("发言者=" + ",".join(p.speakers))
        if p.references:
            extras.append("引用=" + ",".join(p.references))
        if extras:
            lines.append("    " + "  ".join(extras))
        for f in p.footnotes:
            lines.append(f"    [{f.marker}] {f.text}")
    return "\n".join(lines)


def format_results(results: SearchResults, color: bool = False) -> str:
    """Results for the terminal; with `color`, matches in reverse video (ANSI), else plain text."""
    lines = [f"{results.total} 条结果（第 {results.page} 页）"]
    for used, expanded in results.expansions.items():
        lines.append(f"也搜索了：{used} → {'、'.join(expanded)}")
    for word in results.unmatched:
        lines.append(f"没有匹配：{word}")
    if results.partial:
        lines.append("查询超出时限，结果不完整：请缩小查询 / the search hit its time limit; results are incomplete")
    for i, hit in enumerate(results.hits, start=(results.page - 1) * results.per_page + 1):
        lines.append("")
        lines.append(f"{i}. {' / '.join(hit.symbols) or hit.title}  {hit.doc_type}  {hit.doc_date or ''}  [{hit.passage_id}]")
        if hit.heading:
            lines.append(f"   {hit.heading}" + (f" §{hit.paragraph}" if hit.paragraph else ""))
        lines.append(f"   {snippet(hit, color)}")
        if hit.charter:  # as the web hit shows them; `charter:TAG` searches one
            lines.append("   《宪章》：" + "  ".join(f"{tag_label(t)} (charter:{t})" for t in hit.charter))
    return "\n".join(lines)


def snippet(hit: Hit, color: bool = False) -> str:
    """The hit's fragment windows joined by " … "; with `color`, its spans in reverse video."""
    parts = [_marked(hit.text, hit.spans if color else (), s, e) for s, e in hit.fragments]
    head = "…" if hit.fragments and hit.fragments[0][0] > 0 else ""
    tail = "…" if hit.fragments and hit.fragments[-1][1] < len(hit.text.rstrip()) else ""
    return head + " … ".join(parts) + tail


def _marked(text: str, spans: Sequence[Span], start: int, end: int) -> str:
    return "".join(f"{REVERSE}{piece}{RESET}" if marked else piece for piece, marked in pieces(text, spans, start, end))


def display_width(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_concordance(found: Concordance, color: bool = False) -> str:
    """KWIC lines: the left context right-aligned, so every match starts in the same column."""
    left_cols = max([display_width(line.left) for line in found.lines] + [0])
    rows = [f"“{found.query}”：{found.total} 次，{found.passages} 个段落，{found.documents} 个文件"
            f"（第 {found.page} 页，每页 {found.per_page} 行）"]
    for line in found.lines:
        match = f"{REVERSE}{line.match}{RESET}" if color else f"[{line.match}]"
        where = " ".join(filter(None, [line.symbols[0] if line.symbols else line.doc_id,
                                       f"第{line.paragraph}段" if line.paragraph else "", line.date or ""]))
        pad = " " * (left_cols - display_width(line.left))
        rows.append(f"{pad}{line.left} {match} {line.right}  · {where}")
    years = "，".join(f"{y}: {n}" for y, n in found.usage.by_year.items())
    rows.append(f"历年出现次数：{years or '—'}")
    return "\n".join(rows)
