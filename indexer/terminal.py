"""Plain-text rendering for the terminal (inspect and search without --json)."""

from __future__ import annotations

import html
import re

from indexer.models import Document, SearchResults

_TAG_RE = re.compile(r"</?mark>")


def render_document_text(doc: Document) -> str:
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


def render_results_text(results: SearchResults, color: bool = False) -> str:
    """Results for the terminal; with `color`, matches in reverse video (ANSI), else plain text."""
    lines = [f"{results.total} 条结果（第 {results.page} 页）"]
    for used, expanded in results.expansions.items():
        lines.append(f"也搜索了：{used} → {'、'.join(expanded)}")
    for word in results.unmatched:
        lines.append(f"没有匹配：{word}")
    for i, hit in enumerate(results.hits, start=(results.page - 1) * results.per_page + 1):
        lines.append("")
        lines.append(f"{i}. {' / '.join(hit.symbols) or hit.title}  {hit.doc_type}  {hit.doc_date or ''}  [{hit.passage_id}]")
        if hit.heading:
            lines.append(f"   {hit.heading}" + (f" §{hit.paragraph}" if hit.paragraph else ""))
        marked = hit.highlight.replace("<mark>", "\x1b[7m").replace("</mark>", "\x1b[0m") if color else hit.highlight
        snippet = html.unescape(_TAG_RE.sub("", marked))
        lines.append(f"   {snippet}")
    return "\n".join(lines)
