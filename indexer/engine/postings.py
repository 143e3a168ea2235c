"""The long posting lists of a segment as numpy arrays: a common term read without Whoosh's blocks.

Why: Whoosh's W3 codec stores a term's postings in blocks of 128 (docnums and weights) that are
pickled tuples, zlib-compressed and delta-coded, decoded in Python a block at a time: at ×1000 a
common word such as 安全 has ~100,000 postings, and reading them cost tens of milliseconds per
query (most of a query's time). The builder copies the postings of every term that has at least
MIN_POSTINGS in a segment (about a thousand terms, most of the segment's postings) into three
arrays in the segment's search cache (opencache.py, cachefiles.py: verified .npy files, a term's
slice read when asked for); fastscore.py scores such a term with one numpy expression over its slice. Rare terms
stay in Whoosh's blocks, which are cheap to read when they are few.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher

MIN_POSTINGS = 512  # fewer postings in a segment: read from Whoosh's blocks (a few of them)
# filter fields, every term kept: a date range reads hundreds of date terms (and, for the passages
# dated by themselves, the doc_id terms of the documents dated so), ~0.2 ms each from Whoosh
KEEP_ALL = ("dates", "doc_id", "doc_type", "speakers", "charter")
ARRAYS = ("post_offsets", "post_docs", "post_weights")
EMPTY_DOCS = np.zeros(0, dtype=np.int32)


@dataclass(frozen=True)
class Postings:
    """terms[(field, text)] = i: the term's local docnums are docs[offsets[i]:offsets[i + 1]]
    (ascending, deleted passages included: the reader's deletions are applied by the caller),
    its Whoosh weights (term frequencies, float32 as Whoosh keeps them) the same slice of weights."""

    terms: dict[tuple[str, str], int]
    offsets: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int32
    weights: np.ndarray  # float32
    doc_count: int | None = None  # the segment's, when read from a cache (get checks the docnums)

    @classmethod
    def read(cls, reader: Any, min_postings: int | None = None) -> Postings:
        """The segment's terms with at least `min_postings` (MIN_POSTINGS) postings, read from its
        Whoosh blocks."""
        least = MIN_POSTINGS if min_postings is None else min_postings
        keys, docs, weights = [], [], []
        for field in sorted(reader.indexed_field_names()):
            for text, info in reader.iter_field(field):
                key = _key(field, text)
                if key is None or (info.doc_frequency() < least and field not in KEEP_ALL):
                    continue
                found = block_postings(reader.postings(field, text))
                if found is not None:  # narrowed at once: the build's memory holds 8 bytes a posting, not 16
                    keys.append(key)
                    docs.append(found[0].astype(np.int32))
                    weights.append(found[1].astype(np.float32))
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum([len(d) for d in docs], out=offsets[1:])
        return cls({k: i for i, k in enumerate(keys)}, offsets,
                   np.concatenate(docs) if docs else EMPTY_DOCS,
                   np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32))

    def listed(self) -> list[list[str]]:
        """The terms in array order, for the cache header (JSON)."""
        return [list(k) for k in sorted(self.terms, key=self.terms.__getitem__)]

    def arrays(self) -> dict[str, np.ndarray]:
        return {"post_offsets": self.offsets, "post_docs": self.docs, "post_weights": self.weights}

    @classmethod
    def restore(cls, listed: list[list[str]], arrays: dict[str, np.ndarray], doc_count: int) -> Postings:
        """From a cache's term list and arrays; ValueError if they do not fit together or the segment."""
        offsets, docs, weights = (arrays[name] for name in ARRAYS)
        keys = [(str(f), str(t)) for f, t in listed]
        if len(offsets) != len(keys) + 1 or int(offsets[0]) != 0 or int(offsets[-1]) != len(docs):
            raise ValueError("the postings do not fit their terms")
        if len(docs) != len(weights):
            raise ValueError("the postings do not fit their weights")
        if len(offsets) > 1 and bool((np.diff(offsets) < 0).any()):
            raise ValueError("the postings' offsets are not ascending")
        # the docnums are checked per term when read (get): reading them all here would read the
        # whole array at every open
        return cls({k: i for i, k in enumerate(keys)}, offsets, docs, weights, doc_count)

    def get(self, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """(local docnums, weights) of a term kept here, None if it is not (rare or absent);
        ValueError if its docnums do not fit the segment (a cache made for another one)."""
        key = _key(field, text)
        i = self.terms.get(key) if key is not None else None
        if i is None:
            return None
        start, stop = int(self.offsets[i]), int(self.offsets[i + 1])
        docs = self.docs[start:stop]
        if self.doc_count is not None and len(docs) and not 0 <= int(docs[0]) <= int(docs[-1]) < self.doc_count:
            raise ValueError(f"the postings of {key} do not fit the segment")
        return docs, self.weights[start:stop]


def block_postings(m: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Every posting of a term matcher (deletions not applied): (docnums, weights), read a block
    at a time; None if its postings are not W3 blocks."""
    if type(m) is FilterMatcher:
        m = m.child
    if type(m) is not W3LeafMatcher:
        return None
    ids: list[int] = []
    tfs: list[float] = []
    while m.is_active():
        start = m._i
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        ids.extend(m._ids[start:])
        tfs.extend(m._weights[start:])
        m._next_block()
    return np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float64)


def _key(field: str, text: bytes | str) -> tuple[str, str] | None:
    """(field, term as text); None for a term that is not UTF-8 text (numeric fields)."""
    if isinstance(text, str):
        return field, text
    try:
        return field, text.decode("utf-8")
    except UnicodeDecodeError:
        return None
