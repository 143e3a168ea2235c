"""One term's postings and scores as numpy arrays, for every segment of a searcher.

Why: a common word has ~100,000 postings at ×1000; Whoosh's matcher costs ~2 µs a posting and
its W3 blocks are decoded in Python. Long lists come from the segments' arrays (postings.py),
short ones from Whoosh's blocks, and a BM25 field is scored with one numpy expression per segment
with the generation's live statistics (livestats.py), the same operations in the same order as
whoosh.scoring.bm25; any other field scores its weight, as Whoosh's WeightScorer does.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from indexer.engine.livestats import LiveStats
from indexer.engine.postings import KEEP_ALL, Postings, block_postings

log = logging.getLogger(__name__)
EMPTY_IDS, EMPTY_WEIGHTS = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
# what reader.doc_field_length(d, f, 1) returns for each stored byte (0: None, the field is empty)
LENGTH_OF_BYTE: list[int | None] = [None] + [byte_to_length(b) for b in range(1, 256)]
LENGTH_ARRAY = np.array([v or 0 for v in LENGTH_OF_BYTE], dtype=np.float64)
Part = tuple[Any, int, np.ndarray, np.ndarray]  # (segment reader, first docnum, local docnums, weights)


class TermReader:
    """Reads terms' live postings and BM25 scores on one searcher; keeps its per-segment tables."""

    def __init__(self, searcher: Any, postings: Mapping[int, Postings], stats: LiveStats | None) -> None:
        self.searcher = searcher
        self.postings = postings  # first docnum of a segment -> its long posting lists
        self.stats = stats
        self.lengths: dict[tuple[int, str], list[int | None]] = {}
        self.arrays: dict[tuple[int, str], np.ndarray] = {}
        self.dead: dict[int, np.ndarray] = {}  # id(segment reader) -> deleted, a bool per docnum
        self.field_terms: dict[tuple[int, str], list[bytes]] = {}  # (segment, KEEP_ALL field) -> its terms

    def parts(self, field: str, text: bytes) -> list[Part] | None:
        """Each segment's live postings of the term; None if some are not W3 blocks."""
        out = []
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            got = self.live_postings(reader, offset, field, text)
            if got is None:
                return None
            if len(got[0]):
                out.append((reader, offset, *got))
        return out

    def scored(self, field: str, text: bytes, boost: float) -> tuple[np.ndarray, np.ndarray] | None:
        """(global docnums ascending, scores) of a term as Whoosh's Term matcher scores it with the
        searcher's weighting; None if its postings cannot be read as arrays."""
        parts = self.parts(field, text)
        if parts is None or self.stats is None:
            return None
        if not parts:
            return EMPTY_IDS, EMPTY_WEIGHTS
        if not self.searcher.schema[field].scorable:  # WeightScorer: the weight, times the boost
            return _joined([(offset, found, tf * boost) for _, offset, found, tf in parts])
        df = sum(len(found) for _, _, found, _ in parts)
        self.stats.remember(field, text, df)
        idf, avgfl = self.stats.idf(self.searcher, df), self.stats.avg_length(self.searcher, field)
        weighting = self.searcher.weighting
        b, k1 = weighting._field_B.get(field, weighting.B), weighting.K1
        out = []
        for reader, offset, found, tf in parts:
            fl = self.length_array(reader, field)[found]
            # whoosh.scoring.bm25 times the boost, the same operations in the same order
            out.append((offset, found, idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl))) * boost))
        return _joined(out)

    def texts(self, q: wq.Query, reader: Any, offset: int) -> list[bytes]:
        """The encoded terms `q` stands for in one segment: a range over a field whose terms the
        segment keeps every one of (postings.KEEP_ALL: dates) from their sorted list, as Whoosh's
        TermRange expands it; otherwise from Whoosh's term index."""
        kept = self.postings.get(offset)
        if type(q) is not wq.TermRange or q.fieldname not in KEEP_ALL or kept is None:
            return _texts(q, reader)
        key = (offset, q.fieldname)
        if key not in self.field_terms:
            self.field_terms[key] = sorted(t.encode("utf-8") for f, t in kept.terms if f == q.fieldname)
        terms, field = self.field_terms[key], reader.schema[q.fieldname]
        try:
            start = b"" if q.start is None else field.to_bytes(q.start)
            end = b"\xFF\xFF\xFF\xFF" if q.end is None else field.to_bytes(q.end)
        except ValueError:
            return []
        lo, hi = bisect.bisect_left(terms, start), bisect.bisect_right(terms, end)
        if q.startexcl and lo < hi and terms[lo] == start:
            lo += 1
        if q.endexcl and lo < hi and terms[hi - 1] == end:
            hi -= 1
        return terms[lo:hi]

    def live_postings(self, reader: Any, offset: int, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """One segment's live postings of a term: (local docnums, weights as float64); None if they
        are not W3 blocks. From the segment's arrays (postings.py) when it keeps the term."""
        kept = self.postings.get(offset)
        try:
            got = kept.get(field, text) if kept is not None else None
        except ValueError:  # not this segment's (the cache's checksums make that unlikely): Whoosh's own
            log.warning("kept postings of %s:%r do not fit their segment; read from the index", field, text)
            got = None
        if got is None:
            if (kept is not None and field in KEEP_ALL) or (field, text) not in reader:  # every term is kept
                return EMPTY_IDS, EMPTY_WEIGHTS
            got = block_postings(reader.postings(field, text))
            if got is None:
                return None
        found, tf = got
        dead = self.deleted(reader)
        if dead is not None:
            live = ~dead[found]
            found, tf = found[live], tf[live]
        return found.astype(np.int64), tf.astype(np.float64)

    def deleted(self, reader: Any) -> np.ndarray | None:
        """The segment's deleted docnums as a bool per docnum; None if it has none."""
        if not reader.has_deletions():
            return None
        key = id(reader)
        if key not in self.dead:
            deleted = reader.deleted_docs_set
            self.dead[key] = np.zeros(reader.doc_count_all(), dtype=bool)
            self.dead[key][np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = True
        return self.dead[key]

    def live(self) -> np.ndarray:
        """A bool per global docnum: the live passages (Every matches them)."""
        out = np.ones(self.searcher.doc_count_all(), dtype=bool)
        for sub, offset in self.searcher.leaf_searchers():
            dead = self.deleted(sub.reader())
            if dead is not None:
                out[offset : offset + len(dead)] &= ~dead
        return out

    def length_array(self, reader: Any, fieldname: str) -> np.ndarray:
        """The field-length table as floats (0 for an empty field), for whole posting lists."""
        key = (id(reader), fieldname)
        if key not in self.arrays:
            self.arrays[key] = length_array(reader, fieldname)
        return self.arrays[key]

    def length_table(self, reader: Any, fieldname: str) -> list[int | None]:
        key = (id(reader), fieldname)
        if key not in self.lengths:
            self.lengths[key] = field_lengths(reader, fieldname)
        return self.lengths[key]


def _texts(q: wq.Query, reader: Any) -> list[bytes]:
    """The encoded terms of a term, or of every term a prefix, wildcard or range expands to."""
    if type(q) is not wq.Term:
        return list(q._btexts(reader))
    if q.fieldname not in reader.schema:
        return []
    try:
        return [reader.schema[q.fieldname].to_bytes(q.text)]
    except ValueError:
        return []


def _joined(parts: list[tuple[int, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Segments' (first docnum, local docnums, scores) as global arrays (segments in docnum order)."""
    if not parts:
        return EMPTY_IDS, EMPTY_WEIGHTS
    return (np.concatenate([found + offset for offset, found, _ in parts]),
            np.concatenate([scores for _, _, scores in parts]))


def length_array(reader: Any, fieldname: str) -> np.ndarray:
    """field_lengths as float64 (0.0 for None), decoded in numpy from the stored bytes."""
    count = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return np.ones(count, dtype=np.float64)
    stored = column._dbfile.get(column._basepos, column._count) if column._count else b""
    out = np.zeros(count, dtype=np.float64)
    out[: len(stored)] = LENGTH_ARRAY[np.frombuffer(stored, dtype=np.uint8)]
    return out


def field_lengths(reader: Any, fieldname: str) -> list[int | None]:
    """reader.doc_field_length(d, fieldname, 1) for every docnum of one segment, read at once."""
    count = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return [1] * count
    stored = column._dbfile.get(column._basepos, column._count) if column._count else b""
    return [LENGTH_OF_BYTE[b] for b in stored] + [None] * (count - len(stored))
