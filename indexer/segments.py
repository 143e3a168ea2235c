"""A Whoosh segment writer that keeps postings in memory, grouped by term.

Whoosh's own PostingPool pickles every posting into sorted run files once its (over-)estimate of
128 MB is reached, then merges the runs with heapq at commit and looks up each posting's field
length on disk: for our ~250 postings per passage that is most of the build time. Here each
term's postings are appended to two bytearrays as they come (already in document order), the
terms are sorted once at the end and handed straight to the codec's field writer. Memory is
~20 bytes per posting; the builder starts a new segment when `buffered_bytes` grows too large.
The files written are ordinary Whoosh segments: any Whoosh reader opens them.
"""

from __future__ import annotations

import struct
from typing import Any

from whoosh.writing import SegmentWriter

_RECORD = struct.Struct("<Idi")  # docnum, weight, length of the value bytes
_EMPTY = b""


class TermBuffer:
    """Postings of one segment: (fieldname, term bytes) -> packed records + value bytes."""

    def __init__(self) -> None:
        self.terms: dict[tuple[str, bytes], tuple[bytearray, bytearray]] = {}
        self.size = 0
        self.fieldnames: set[str] = set()

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Whoosh's pool interface: item = (fieldname, tbytes, docnum, weight, vbytes)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        key = (fieldname, tbytes)
        entry = self.terms.get(key)
        if entry is None:
            entry = self.terms[key] = (bytearray(), bytearray())
            self.fieldnames.add(fieldname)
        records, values = entry
        vbytes = vbytes or _EMPTY
        records += _RECORD.pack(docnum, weight, len(vbytes))  # bytearray: extended in place
        if vbytes:
            values += vbytes
        self.size += _RECORD.size + len(vbytes)

    def cleanup(self) -> None:
        self.terms = {}
        self.size = 0


class BufferedSegmentWriter(SegmentWriter):
    """SegmentWriter with a TermBuffer instead of the external-sort pool (same files, same API)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.pool = TermBuffer()

    @property
    def buffered_bytes(self) -> int:
        return self.pool.size + 160 * len(self.pool.terms)  # records + per-term object overhead

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            write_postings(self.fieldwriter, self.schema, self.pool.terms, lengths, self.docnum)
        finally:
            if lengths is not None:
                lengths.close()
        self.fieldwriter.close()


def write_postings(fieldwriter: Any, schema: Any, terms: dict[tuple[str, bytes], tuple[bytearray, bytearray]],
                   lengths: Any, doccount: int) -> None:
    """Hand every term's postings to the codec in (field, term) order, field lengths read once per field."""
    current_field = None
    field_lengths: list[int] = []
    add = fieldwriter.add
    for fieldname, tbytes in sorted(terms):
        if fieldname != current_field:
            if current_field is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            current_field = fieldname
            field_lengths = _field_lengths(lengths, fieldname, doccount)
        records, values = terms[(fieldname, tbytes)]
        fieldwriter.start_term(tbytes)
        offset = 0
        for docnum, weight, size in _RECORD.iter_unpack(records):
            add(docnum, weight, bytes(values[offset : offset + size]) if size else _EMPTY, field_lengths[docnum])
            offset += size
        fieldwriter.finish_term()
    if current_field is not None:
        fieldwriter.finish_field()


def _field_lengths(lengths: Any, fieldname: str, doccount: int) -> list[int]:
    if lengths is None:
        return [0] * doccount
    return [lengths.doc_field_length(docnum, fieldname) for docnum in range(doccount)]
