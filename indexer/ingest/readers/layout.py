"""Shared by the PDF, DOCX and HTML readers: logical paragraphs -> text in the shape of the text seeds.

Why: every format flows through the same clean -> structure stages, which were written for the
seeds (UN PDFs as text). A reader that knows the layout hands over whole paragraphs in that shape:
one paragraph per line, blank lines between, body paragraphs indented one space, headings two,
footnote markers glued after the text ("…启动。964 安理会"), and footnotes in a
"__________________" block whose entries read " 964 text".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.ingest.clean.lines import join_text

FOOTNOTE_RULE = "__________________"
FINAL_PUNCT = "。；！？：.;!?:”’」』)）"
_WS_RE = re.compile(r"\s+")  # spaces, tabs, newlines, NBSP, ideographic space


@dataclass(frozen=True)
class Para:
    """One logical paragraph as a reader found it."""

    text: str
    # "text" | "heading" | "table_row" | "bullet" | "plain" (unindented: header block, signature)
    # | "furniture" (a Word header/footer line: plain, but not what makes a document non-empty)
    kind: str = "text"
    notes: tuple[str, ...] = ()  # markers of the footnotes referenced in this paragraph


def squash(text: str) -> str:
    """Collapse any run of whitespace (newlines too: one paragraph is one line) to one space and trim."""
    return _WS_RE.sub(" ", text).strip()


def join_pieces(left: str, right: str) -> str:
    """Join two lines of one paragraph by the same rule clean uses for the seeds (no space next to CJK
    punctuation, one between Han and Latin/digits, as UN Chinese typesetting does)."""
    return join_text(left, right)


def render(paras: Iterable[Para], footnotes: Iterable[tuple[str, str]] = ()) -> str:
    """The seed shape: indented paragraphs separated by blank lines, each paragraph's footnotes after it.

    A footnote block follows the paragraph that cites it, as on a printed page the notes follow
    the text that cites them; notes no paragraph claims come in a block at the end.
    """
    pending = {marker: squash(text) for marker, text in footnotes if squash(text)}
    lines = []
    for para in paras:
        text = squash(para.text)
        if not text:
            continue
        lines.append(_indent(text, para.kind))
        own = [(m, pending.pop(m)) for m in para.notes if m in pending]
        lines.extend(_note_block(own))
    lines.extend(_note_block(list(pending.items())))
    return "\n\n".join(lines) + "\n"


def _indent(text: str, kind: str) -> str:
    if kind == "heading":
        return f"  {text}"
    if kind == "bullet":  # Word/HTML lists keep the bullet out of the text; put it back, as a PDF shows it
        return f" • {text}"
    if kind in ("plain", "table_row", "furniture"):
        return text
    return f" {text}"


def _note_block(notes: list[tuple[str, str]]) -> list[str]:
    return [FOOTNOTE_RULE, *(f" {marker} {text}" for marker, text in notes)] if notes else []


def text_kind(text: str) -> str:
    """A short line that ends no sentence (header block, signature) is "plain"; else "text"."""
    text = text.strip()
    return "plain" if len(text) <= 40 and text[-1:] not in FINAL_PUNCT else "text"


def marker_text(marker: str) -> str:
    """A footnote marker as it stands in the seeds' text: glued to the text before, a space after."""
    return f"{marker} "
