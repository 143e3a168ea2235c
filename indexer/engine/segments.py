"""A Whoosh segment writer that keeps postings in memory, grouped by term.

Whoosh's own PostingPool pickles every posting into sorted run files once its (over-)estimate of
128 MB is reached, then merges the runs with heapq at commit, looks up each posting's field
length on disk and feeds the codec one posting per call: for our ~250 postings per passage that
was most of the build time. Here each term's postings are appended to bytearrays as they come
(already in document order), the terms are sorted once at the end, and each term's postings go
to the codec's block writer a block at a time. The words of the text, title and heading fields
are kept as (docnum, count) pairs, 8 bytes a posting: their weights and values follow from the
count and are made at flush; other fields' postings as Whoosh gives them (12 bytes plus the value).
The builder starts a new segment when `buffered_bytes` grows too large. The files written are ordinary Whoosh
segments, identical to what SegmentWriter writes for the same documents.
"""

from __future__ import annotations

import struct
from array import array
from itertools import accumulate
from typing import Any

from whoosh.writing import SegmentWriter

from indexer.engine.analyzer import counts_words, word_counts
from indexer.engine.schema import REPEATED

_RECORD = struct.Struct("<IfI")  # docnum, weight (Whoosh keeps float32 too), size of the value bytes: 12 bytes
_COUNT = struct.Struct("<II")  # docnum, count of the word in the passage: 8 bytes
_EMPTY = b""
MEMO_SIZE = 4096  # field values whose postings a writer remembers
_TERM_OVERHEAD = 320  # bytes per distinct term: dict slot, key, its bytearray(s) (and tuple)


class TermBuffer:
    """Postings of one segment: fieldname -> term bytes -> (packed records, value bytes); for the
    word-counting fields (analyzer.counts_words) fieldname -> word -> packed (docnum, count) pairs,
    whose weights and values follow from the count (Whoosh's Frequency format)."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, tuple[bytearray, bytearray]]] = {}
        self.counted: dict[str, dict[str, bytearray]] = {}
        self.size = 0
        self.term_count = 0

    def counted_terms(self, fieldname: str) -> dict[str, bytearray]:
        terms = self.counted.get(fieldname)
        if terms is None:
            terms = self.counted[fieldname] = {}
        return terms

    def field_terms(self, fieldname: str) -> dict[bytes, tuple[bytearray, bytearray]]:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        return terms

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Whoosh's pool interface (used by add_reader): item = (fieldname, tbytes, docnum, weight, vbytes)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self.field_terms(fieldname)
        entry = terms.get(tbytes)
        if entry is None:
            entry = terms[tbytes] = (bytearray(), bytearray())
            self.term_count += 1
        records, values = entry
        vbytes = vbytes or _EMPTY
        records += _RECORD.pack(docnum, weight, len(vbytes))  # bytearray: extended in place
        values += vbytes
        self.size += _RECORD.size + len(vbytes)

    def cleanup(self) -> None:
        self.fields = {}
        self.counted = {}
        self.size = self.term_count = 0


class BufferedSegmentWriter(SegmentWriter):
    """SegmentWriter with a TermBuffer instead of the external-sort pool (same files, same API)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.pool = TermBuffer()
        self.scored_lengths: dict[str, int] = {}  # field -> exact total length of the documents added
        self._postings_memo: dict[tuple[str, str], tuple[Any, ...]] = {}


    @property
    def buffered_bytes(self) -> int:
        return self.pool.size + _TERM_OVERHEAD * self.pool.term_count

    def add_document(self, **fields: Any) -> None:
        """Whoosh's add_document, minus what our schema never uses (boosts, vectors, spelling)."""
        self._check_state()
        perdocwriter, schema, docnum, pool = self.perdocwriter, self.schema, self.docnum, self.pool
        pack, pack_count = _RECORD.pack, _COUNT.pack
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdocwriter.start_doc(docnum)
        lengths: dict[str, int] = {}
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                if field.vector or field.separate_spelling() or f"_{name}_boost" in fields or "_boost" in fields:
                    raise ValueError(f"field {name!r}: vectors, spelling and boosts are not supported here")
                length = 0
                if field.indexed and counts_words(field) and isinstance(value, str):  # text, title, heading
                    counts, length = word_counts(value, name in REPEATED)
                    terms, new_terms = pool.counted_terms(name), 0
                    for word, n in counts:  # this loop runs for every posting
                        entry = terms.get(word)
                        if entry is None:
                            entry = terms[word] = bytearray()
                            new_terms += 1
                        entry += pack_count(docnum, n)
                    pool.size += 8 * len(counts)
                    pool.term_count += new_terms
                    if field.scorable:
                        lengths[name] = length
                elif field.indexed:  # the pool's add(), inlined
                    scorable, terms, size, new_terms = field.scorable, pool.field_terms(name), 0, 0
                    for tbytes, freq, weight, vbytes in self._field_postings(name, field, value):
                        if scorable:
                            length += freq
                        entry = terms.get(tbytes)
                        if entry is None:
                            entry = terms[tbytes] = (bytearray(), bytearray())
                            new_terms += 1
                        records, values = entry
                        n = len(vbytes) if vbytes else 0
                        records += pack(docnum, weight, n)
                        if n:
                            values += vbytes
                        size += n + 12
                    pool.size += size
                    pool.term_count += new_terms
                    if scorable:
                        lengths[name] = length
                stored = fields.get(f"_stored_{name}", value)
                perdocwriter.add_field(name, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdocwriter.add_column_value(name, field.column_type, field.to_column_value(stored))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        for name, length in lengths.items():
            self.scored_lengths[name] = self.scored_lengths.get(name, 0) + length
        self._added = True
        self.docnum += 1

    def _field_postings(self, name: str, field: Any, value: Any) -> Any:
        """field.index(value); remembered for the values passages repeat (a document's id, symbols,
        type; a passage's empty references, speakers, Charter tags), not for a unique field."""
        if field.unique or not isinstance(value, str):
            return field.index(value)
        memo = self._postings_memo
        found = memo.get((name, value))
        if found is None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            found = memo[(name, value)] = tuple(field.index(value))
        return found

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            write_postings(self.fieldwriter, self.schema, self.pool, lengths, self.docnum)
        finally:
            if lengths is not None:
                lengths.close()
        self.fieldwriter.close()


def write_postings(fieldwriter: Any, schema: Any, pool: TermBuffer, lengths: Any, doccount: int) -> None:
    """Every term's postings to the codec in (field, term) order, a block at a time."""
    both = set(pool.fields) & set(pool.counted)
    if both:  # a writer either adds documents or merges segments (build.py), never both
        raise RuntimeError(f"postings of {sorted(both)} both counted and merged in one segment")
    for fieldname in sorted({*pool.fields, *pool.counted}):
        field = schema[fieldname]
        fieldwriter.start_field(fieldname, field)
        postwriter = fieldwriter._postwriter  # the field's (start_field makes it)
        field_lengths = _field_lengths(lengths, fieldname, doccount) if field.scorable else None
        if fieldname in pool.counted:
            counted, boost = pool.counted[fieldname], field.format.field_boost
            for word in sorted(counted):  # code point order is UTF-8 byte order: Whoosh's term order
                fieldwriter.start_term(word.encode("utf-8"))
                _write_term(postwriter, *_counted_postings(counted[word], boost), field_lengths, dense=True)
                fieldwriter.finish_term()
        else:
            terms = pool.fields[fieldname]
            for tbytes in sorted(terms):
                fieldwriter.start_term(tbytes)
                _write_term(postwriter, *_recorded_postings(*terms[tbytes]), field_lengths, dense=False)
                fieldwriter.finish_term()
        fieldwriter.finish_field()


def _counted_postings(pairs: bytearray, boost: float) -> tuple[array, array, list[bytes]]:
    """(docnums, weights, values) of packed (docnum, count) pairs, as Frequency.word_values makes
    them: weight = count × field boost (float32 in the codec), value = pack_uint(count)."""
    ints = array("I")
    ints.frombytes(pairs)
    ids, counts = ints[0::2], ints[1::2]
    weights = array("f", [n * boost for n in counts])
    blob = struct.pack(f">{len(counts)}I", *counts)  # pack_uint: big-endian, 4 bytes
    return ids, weights, [blob[i:i + 4] for i in range(0, len(blob), 4)]


def _recorded_postings(records: bytearray, values: bytearray) -> tuple[array, array, list[bytes]]:
    """(docnums, weights, values) of a term's records and value bytes (a value may be empty)."""
    ints, floats = array("I"), array("f")
    ints.frombytes(records)
    floats.frombytes(records)
    ids, weights, sizes = ints[0::3], floats[1::3], ints[2::3]
    ends = list(accumulate(sizes))
    starts = [0, *ends[:-1]]
    blob = bytes(values)
    return ids, weights, [blob[a:b] for a, b in zip(starts, ends, strict=True)]


def _write_term(postwriter: Any, ids: array, weights: array, values: list[bytes], field_lengths: list[int] | None,
                dense: bool) -> None:
    """What W3PostingsWriter.add_posting does one posting at a time, a block at a time. `values`:
    one per posting; add_posting keeps the non-empty ones (`dense`: none is empty)."""
    limit = postwriter._blocklimit
    for start in range(0, len(ids), limit):
        if start:
            postwriter._write_block()  # a full block and more to come, as add_posting does
        stop = start + limit
        block_ids, block_weights = ids[start:stop], weights[start:stop]
        postwriter._ids.extend(block_ids)
        postwriter._weights.extend(block_weights)
        block_values = values[start:stop]
        postwriter._values.extend(block_values if dense else [v for v in block_values if v])
        postwriter._maxweight = max(postwriter._maxweight, max(block_weights))
        if field_lengths is not None:  # a scorable field: every posting's document has a length >= 1
            block_lengths = [field_lengths[d] for d in block_ids]
            low = min(block_lengths)
            postwriter._minlength = low if postwriter._minlength is None else min(postwriter._minlength, low)
            postwriter._maxlength = max(postwriter._maxlength, max(block_lengths))


def _field_lengths(lengths: Any, fieldname: str, doccount: int) -> list[int]:
    if lengths is None:
        return [0] * doccount
    return [lengths.doc_field_length(docnum, fieldname) for docnum in range(doccount)]
