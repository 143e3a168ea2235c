"""Shared by the PDF, DOCX and HTML readers: ReaderBlocks made, and serialised to text.

Why: these readers know the structure exactly (headings, paragraphs, list items, table rows,
footnote references and their notes, page furniture). They hand it over as ReaderBlocks, which
clean turns into paragraphs without re-guessing it. `to_text` also writes the blocks in the shape
of the text seeds — one paragraph per line, blank lines between, body paragraphs indented one
space, headings two, footnote markers glued after the text ("…启动。964 安理会") and footnotes in a
"__________________" block — which is RawText.text: what metadata reads the masthead from, and
what a person sees of a file with `undocs inspect`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.ingest.clean.lines import SENTINEL_BASE, is_sentinel, join_text
from indexer.models import NoteMark, ReaderBlock

FOOTNOTE_RULE = "__________________"
FINAL_PUNCT = "。；！？：.;!?:”’」』)）"
BULLET = "•"
_WS_RE = re.compile(r"\s+")  # spaces, tabs, newlines, NBSP, ideographic space


def squash(text: str) -> str:
    """Collapse any run of whitespace (newlines too: one paragraph is one line) to one space and trim."""
    return _WS_RE.sub(" ", text).strip()


def join_pieces(left: str, right: str) -> str:
    """Join two lines of one paragraph by the same rule clean uses for the seeds (no space next to CJK
    punctuation, one between Han and Latin/digits, as UN Chinese typesetting does)."""
    return join_text(left, right)


class NoteRefs:
    """Footnote references met while reading a file. Each stands in the text as one sentinel
    character (which the joining rules look through) until its block is made."""

    def __init__(self) -> None:
        self.markers: list[str] = []

    def place(self, marker: str) -> str:
        """The character standing for this reference in the text being gathered."""
        self.markers.append(marker)
        return chr(SENTINEL_BASE + len(self.markers) - 1)

    def marker_of(self, char: str) -> str | None:
        k = ord(char) - SENTINEL_BASE
        return self.markers[k] if is_sentinel(char) and k < len(self.markers) else None

    def block(self, kind: str, text: str, level: int | None = None, label: str | None = None) -> ReaderBlock:
        """A block from gathered text: whitespace squashed, references lifted out with their offsets."""
        out: list[str] = []
        notes: list[NoteMark] = []
        for char in squash(text):
            marker = self.marker_of(char)
            if marker is not None:
                notes.append(NoteMark(marker, len(out)))
            elif not (char == " " and (not out or out[-1] == " ")):
                out.append(char)
        clean = "".join(out).rstrip()
        notes = [n if n.offset <= len(clean) else NoteMark(n.marker, len(clean)) for n in notes]
        return ReaderBlock(kind=kind, text=clean, level=level, label=label or None, notes=tuple(notes))

    def plain(self, text: str) -> str:
        """Gathered text with each reference written as its marker, glued on as in the seeds."""
        return "".join(marker_text(m) if (m := self.marker_of(c)) is not None else c for c in text)


def to_text(blocks: Iterable[ReaderBlock], footnotes: Iterable[tuple[str, str]] = ()) -> str:
    """The seed shape: indented paragraphs separated by blank lines, each paragraph's footnotes after it.

    A footnote block follows the paragraph that cites it, as on a printed page the notes follow
    the text that cites them; notes no paragraph claims come in a block at the end.
    """
    pending = {marker: squash(text) for marker, text in footnotes if squash(text)}
    lines = []
    for block in blocks:
        text = squash(_with_markers(block))
        if not text:
            continue
        lines.append(_indent(text, block))
        own = [(n.marker, pending.pop(n.marker)) for n in block.notes if n.marker in pending]
        lines.extend(_note_block(own))
    lines.extend(_note_block(list(pending.items())))
    return "\n\n".join(lines) + "\n"


def _with_markers(block: ReaderBlock) -> str:
    """The block's shown text with each marker put back where it stood."""
    text, shift = block.text, len(block.shown) - len(block.text)
    for note in sorted(block.notes, key=lambda n: n.offset, reverse=True):
        text = text[:note.offset] + marker_text(note.marker) + text[note.offset:]
    return block.shown[:shift] + text


def _indent(text: str, block: ReaderBlock) -> str:
    if block.kind == "heading":
        return f"  {text}"
    if block.kind in ("table_row", "furniture"):
        return text
    if block.kind == "list_item" or block.label:
        return f" {text}"
    return f" {text}" if text_kind(block.shown) == "text" else text


def _note_block(notes: list[tuple[str, str]]) -> list[str]:
    return [FOOTNOTE_RULE, *(f" {marker} {text}" for marker, text in notes)] if notes else []


def text_kind(text: str) -> str:
    """A short line that ends no sentence (header block, signature) is "plain"; else "text"."""
    text = text.strip()
    return "plain" if len(text) <= 40 and text[-1:] not in FINAL_PUNCT else "text"


def marker_text(marker: str) -> str:
    """A footnote marker as it stands in the seeds' text: glued to the text before, a space after."""
    return f"{marker} "
