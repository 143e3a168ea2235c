"""Markdown-like conversions -> plain text: links unwrapped to their text, escapes undone.

Why: some sources are conversions that write a cited symbol as `[58/316](#)` and escape
brackets (`1809\\(2008\\)`); readers and the search index must see `58/316` and `1809(2008)`.
`markdown_syntax` returns exactly what was removed so the no-text-lost accounting can be exact.
"""

from __future__ import annotations

import re

_LINK_RE = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]*)\)")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_EMPHASIS_RE = re.compile(r"(\*\*|__)(?=\S)([^*_\n]+?)(?<=\S)\1")
_HEADING_RE = re.compile(r"^#{1,6}\s+")


def strip_markdown(text: str) -> str:
    """One line of text without Markdown link, escape, emphasis and heading syntax."""
    text = _HEADING_RE.sub("", text)
    text = _LINK_RE.sub(lambda m: m.group(1), text)
    text = _EMPHASIS_RE.sub(lambda m: m.group(2), text)
    return _ESCAPE_RE.sub(lambda m: m.group(1), text)


def markdown_syntax(text: str) -> str:
    """The characters `strip_markdown` drops from `text`, for accounting (order is irrelevant)."""
    dropped: list[str] = []
    for line in text.splitlines():
        heading = _HEADING_RE.match(line)
        if heading:
            dropped.append(heading.group(0))
            line = line[heading.end():]
        for m in _LINK_RE.finditer(line):
            dropped.append(f"[]({m.group(2)})")
        line = _LINK_RE.sub(lambda m: m.group(1), line)
        for m in _EMPHASIS_RE.finditer(line):
            dropped.append(m.group(1) * 2)
        line = _EMPHASIS_RE.sub(lambda m: m.group(2), line)
        dropped.extend("\\" for _ in _ESCAPE_RE.finditer(line))
    return "".join(dropped)
