"""RawText -> CleanText: paragraphs, footnotes, furniture and link runs, one form for every format.

A layout-aware reader (PDF, DOCX, HTML) hands over ReaderBlocks: they are taken as given
(blocks.py: nothing joined, split or searched for). Plain text and Markdown go through the
cleaning rules, in order:
1. split into lines, undo Markdown (links, escapes)        unmarkdown.py
2. set page furniture and undocs.org link runs aside      furniture.py
3. lift footnote blocks out, mark each footnote's marker   footnotes.py
4. read tables into labelled rows                          tables.py
5. join broken lines into paragraphs, spot headings        reflow.py (one sentence per line: sentences.py)
6. take the markers out of the text, keeping their offsets (here, for both paths)
Every rule is a pure function over lines; nothing of the text is dropped except whitespace,
Markdown syntax and footnote markers (which become FootnoteRefs).
"""

from __future__ import annotations

from indexer.ingest.clean.blocks import clean_blocks
from indexer.ingest.clean.footnotes import ORPHAN_OFFSET, RULE_RE, Note, mark_refs, merge_reader_notes, split_notes
from indexer.ingest.clean.furniture import strip_furniture
from indexer.ingest.clean.lines import (
    SENTINEL_BASE,
    Line,
    has_sentinel,
    is_sentinel,
    split_lines,
    tidy,
    unspace_han,
    with_text,
)
from indexer.ingest.clean.reflow import WRAPPED, detect_wrapping, reflow, text_width
from indexer.ingest.clean.sentences import attach_footnote_lines
from indexer.ingest.clean.tables import read_table, starts_table, table_paragraphs
from indexer.ingest.clean.unmarkdown import strip_markdown
from indexer.models import CleanText, FootnoteRef, Paragraph, RawText


def clean(raw: RawText) -> CleanText:
    """Paragraphs in reading order, footnotes, link runs and furniture set aside."""
    paragraphs, notes, furniture, links = clean_blocks(raw) if raw.blocks else clean_lines(raw)
    return CleanText(
        paragraphs=tuple(_take_refs(p, notes) for p in paragraphs if p.text),
        footnotes={n.marker: n.text for n in notes},
        links=tuple(links),
        furniture=tuple(furniture),
    )


def clean_lines(raw: RawText) -> tuple[list[Paragraph], list[Note], list[str], list[str]]:
    """Plain text: the rules find paragraphs (with marker sentinels), notes, furniture and link runs."""
    lines = [with_text(x, unspace_han(strip_markdown(x.text))) for x in split_lines(raw.text)]
    wrapping = detect_wrapping(lines, raw.format)
    lines, furniture, links = strip_furniture(lines)
    furniture += [x.text for x in lines if RULE_RE.match(x.text)]  # the footnote rules themselves
    body, notes = split_notes(lines)
    if not body:  # nothing but what looked like footnotes: it is the text
        body, notes = [x for x in lines if not RULE_RE.match(x.text)], []
    notes = merge_reader_notes(notes, raw.footnotes, body)
    body = _attach_orphans(mark_refs(body, notes), notes)
    paragraphs, table_furniture = _paragraphs(body, wrapping)
    return paragraphs, notes, furniture + table_furniture, links


def _attach_orphans(body: list[Line], notes: list[Note]) -> list[Line]:
    """A footnote whose marker is not in the text stays with the paragraph its block interrupted."""
    body = list(body)
    for k, note in enumerate(notes):
        if not note.found and body:
            row = max(note.anchor, 0)
            body[row] = with_text(body[row], body[row].text + chr(SENTINEL_BASE + ORPHAN_OFFSET + k))
    return body


def _paragraphs(body: list[Line], wrapping: str) -> tuple[list[Paragraph], list[str]]:
    """Tables read by the table rules, everything else reflowed."""
    width = text_width(body)
    out: list[Paragraph] = []
    furniture: list[str] = []
    stretch: list[Line] = []
    i = 0
    while i < len(body):
        if wrapping == WRAPPED and starts_table(body[i]):
            out.extend(_reflowed(stretch, wrapping, width, _line_notes(out) + 1))
            stretch = []
            table, i = read_table(body, i)
            out.extend(table_paragraphs(table))
            furniture.extend(table.repeated_headers)
            continue
        stretch.append(body[i])
        i += 1
    out.extend(_reflowed(stretch, wrapping, width, _line_notes(out) + 1))
    return out, furniture


def _line_notes(paragraphs: list[Paragraph]) -> int:
    """How many footnotes taken from footnote lines (offset unknown) the paragraphs hold."""
    return sum(ref.offset < 0 for p in paragraphs for ref in p.refs)


def _reflowed(lines: list[Line], wrapping: str, width: int, first: int = 1) -> list[Paragraph]:
    units = reflow(lines, wrapping, width)
    return attach_footnote_lines([Paragraph(text=tidy(u.text), kind=u.kind) for u in units], first)


def _take_refs(para: Paragraph, notes: list[Note]) -> Paragraph:
    """Remove the marker sentinels, recording where each stood in the final text."""
    refs: list[FootnoteRef] = list(para.refs)  # footnote lines already attached (sentences.py)
    joined = para.text if not has_sentinel(para.text) else _without_sentinels(para.text, notes, refs)
    stripped = joined.rstrip()
    refs = [r if r.offset <= len(stripped) else FootnoteRef(r.marker, len(stripped), r.text) for r in refs]
    return Paragraph(text=stripped, refs=tuple(refs), kind=para.kind, added=para.added)


def _without_sentinels(para_text: str, notes: list[Note], refs: list[FootnoteRef]) -> str:
    """The text without its marker sentinels; a FootnoteRef appended to `refs` for each."""
    text: list[str] = []
    length = 0
    for char in para_text:
        if not is_sentinel(char):
            text.append(char)
            length += 1
            continue
        k = ord(char) - SENTINEL_BASE
        orphan = k >= ORPHAN_OFFSET
        if (k - ORPHAN_OFFSET if orphan else k) >= len(notes):  # a private-use character of the source
            text.append(char)
            length += 1
            continue
        note = notes[k - ORPHAN_OFFSET if orphan else k]
        refs.append(FootnoteRef(marker=note.marker, offset=-1 if orphan else length, text=note.text))
    return "".join(text)
