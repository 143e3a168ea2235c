"""ReaderBlocks -> paragraphs: the structure a PDF, DOCX or HTML reader knows, taken as given.

Why a path of its own: the text rules (furniture.py, footnotes.py, tables.py, reflow.py) find
paragraphs, headings, tables and footnote markers again from the shape of plain text. A reader
that knows them hands over blocks; here nothing is joined, split or searched for. Only what the
file cannot say is decided as for text: a masthead line written as body text is furniture, a short
unpunctuated paragraph ("非洲联盟") is a title or an item of a list (reflow's stub rule), a
numbered chapter line is a heading. Markers become sentinels here, as in clean's text path, so
that the same `take_refs` records where each stood in the final text.
"""

from __future__ import annotations

from indexer.ingest.clean.footnotes import ORPHAN_OFFSET, Note
from indexer.ingest.clean.furniture import classify as furniture_kinds
from indexer.ingest.clean.lines import SENTINEL_BASE, Line, tidy, unspace_han
from indexer.ingest.clean.reflow import FLOW, Unit, is_pattern_heading, is_stub, resolve_stubs
from indexer.models import NoteMark, Paragraph, RawText, ReaderBlock

BULLET = "•"
_FIXED_KINDS = {"heading": "heading", "table_row": "table_row"}


def clean_blocks(raw: RawText) -> tuple[list[Paragraph], list[Note], list[str], list[str]]:
    """Paragraphs with marker sentinels, the notes they index, furniture and link runs."""
    furniture = [b.text for b in raw.blocks if b.kind == "furniture"]
    body = [b for b in raw.blocks if b.kind != "furniture" and (b.text or b.notes)]
    kinds = furniture_kinds([_line(unspace_han(b.shown), i) for i, b in enumerate(body)])
    links = [b.text for b, kind in zip(body, kinds, strict=True) if kind == "link"]
    furniture += [b.text for b, kind in zip(body, kinds, strict=True) if kind == "furniture"]
    body = [b for b, kind in zip(body, kinds, strict=True) if kind == "body"]
    notes = [Note(marker, tidy(unspace_han(text)), 0, -1) for marker, text in raw.footnotes if text.strip()]
    texts = _with_sentinels(body, notes)
    units = [_unit(block, text, i) for i, (block, text) in enumerate(zip(body, texts, strict=True))]
    units = resolve_stubs(units, FLOW)
    paragraphs = [Paragraph(text=tidy(u.text), kind=u.kind) for u in units]
    return paragraphs, notes, furniture, links


def _line(text: str, number: int) -> Line:
    return Line(text=tidy(text), indent=1, number=number + 1, blank_before=True)


def _unit(block: ReaderBlock, text: str, number: int) -> Unit:
    """A block as one reflow unit: its kind as the reader gave it, or by the text rules for a paragraph."""
    unit = Unit(lines=[_line(text, number)], text=tidy(unspace_han(text)))
    if block.kind in _FIXED_KINDS:
        unit.kind = _FIXED_KINDS[block.kind]
    elif block.kind == "list_item" and block.label == BULLET:
        unit.kind = "bullet"
    elif is_pattern_heading(unit.text):
        unit.kind = "heading"
    elif is_stub(unit, FLOW, 0):
        unit.kind = "stub"
    return unit


def _with_sentinels(body: list[ReaderBlock], notes: list[Note]) -> list[str]:
    """Each block's shown text with its references as sentinels of the notes they point to (in
    order, by marker); a reference without a note keeps its marker as text, a note without a
    reference goes with the last block, at no offset."""
    unused = list(range(len(notes)))
    texts = [_placed(block, notes, unused) for block in body]
    for k in unused:
        if texts and not any(notes[j].marker == notes[k].marker and notes[j].found for j in range(len(notes))):
            texts[-1] += chr(SENTINEL_BASE + ORPHAN_OFFSET + k)
    return texts


def _placed(block: ReaderBlock, notes: list[Note], unused: list[int]) -> str:
    shift = len(block.shown) - len(block.text)
    marks = sorted(block.notes, key=lambda n: n.offset)
    placed = [(shift + mark.offset, _sentinel(mark, notes, unused)) for mark in marks]
    text = block.shown
    for at, sentinel in reversed(placed):
        text = text[:at] + sentinel + text[at:]
    return text


def _sentinel(mark: NoteMark, notes: list[Note], unused: list[int]) -> str:
    """The first unused note with the reference's marker; a repeated reference to a used one; else the marker."""
    k = next((k for k in unused if notes[k].marker == mark.marker), None)
    if k is not None:
        unused.remove(k)
        notes[k].found = True
    else:
        k = next((k for k, note in enumerate(notes) if note.marker == mark.marker), None)
    return f"{mark.marker} " if k is None else chr(SENTINEL_BASE + k)
