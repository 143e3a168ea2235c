"""Concordance lines in context order (Backend.context_order): the sort key of a line and two ways to order by it.

Why: sorting a concordance by what precedes or follows each match used to read every matching
passage's stored text and run find_spans on it (1.6 s CPU for 42,700 lines at ×100). A line's key
needs only a few characters either side of its match, and the embedded index already knows where
every match stands in each passage's compacted normalised text (the bigram postings,
substring.py): that text is rebuilt from the postings once per generation (TextTable, two bytes a
character), the keys of every line are cut from it as fixed-width code-point rows and sorted by
numpy; only passages whose marks the postings cannot place (occurrences.py's "unsure" ones, and
texts where normalisation makes several characters of one) are read and keyed from their text.

The key (the contract both backends meet, `line_keys`): in the passage's compacted normalised text
(what substring search compares), the match, the `width` characters before it read backwards and
the `width` after it, never past the passage's ends. `keyed_order` is the reference order any
backend can derive from Hits; the embedded backend's fast order must equal it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

import numpy as np

from indexer.engine.compile import Compiled
from indexer.engine.occurrences import spots
from indexer.engine.substring import Grams, SubstringIndex
from indexer.language.normalize import compact, normalize_with_offsets
from indexer.models import Hit, Span

Key = tuple[str, str, str]  # (before, read backwards; match; after)
TABLE_CHUNK = 1 << 22  # bigram positions read at a time while the text table is rebuilt (16 MiB)


def line_keys(text: str, spans: Iterable[Span], width: int) -> list[Key]:
    """The key of each non-empty span of `text`, in the order given."""
    norm, starts, _ = normalize_with_offsets(text)
    comp, keep = compact(norm)
    origins = [starts[k] for k in keep]  # the text offset each compacted character came from
    keys = []
    for span in spans:
        if span.end > span.start:
            a, b = bisect_left(origins, span.start), bisect_left(origins, span.end)
            keys.append((comp[max(0, a - width) : a][::-1], comp[a:b], comp[b : b + width]))
    return keys


def side_key(key: Key, side: str) -> Key:
    """The key's parts in the order a side sorts by: "left" (before, match, after), "right" (match, after, before)."""
    return key if side == "left" else (key[1], key[2], key[0])


def hit_keys(hit: Hit, width: int) -> list[Key]:
    """The keys of a Hit's lines, in the order of its spans (a concordance's lines of the Hit)."""
    return line_keys(hit.text, hit.spans, width)


def keyed_order(hits: Sequence[Hit], side: str, width: int) -> list[tuple[str, int]]:
    """(passage_id, nth) of every line of the hits in context order: the reference any backend can
    derive from its Hits (ties: doc_id, ordinal, place in the passage)."""
    rows = []
    for hit in hits:
        ordinal = _ordinal(hit.passage_id)
        for nth, key in enumerate(hit_keys(hit, width)):
            rows.append((side_key(key, side), hit.doc_id, ordinal, nth, hit.passage_id))
    rows.sort(key=lambda r: r[:4])
    return [(r[4], r[3]) for r in rows]


def _ordinal(passage_id: str) -> int:
    tail = passage_id.rsplit("-p", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _chunks(offsets: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Ranges [lo, hi) of keys whose postings hold about `size` positions each (one key may hold more)."""
    cuts = np.searchsorted(offsets, np.arange(size, int(offsets[-1]), size), side="right") - 1
    edges = np.unique(np.concatenate([[0], cuts, [len(offsets) - 1]]))
    return [(int(a), int(b)) for a, b in pairwise(edges) if b > a]


class TextTable:
    """Every live passage's compacted normalised text, rebuilt from the bigram postings (a bigram
    starts at every character but the last, the separator), as ranks in one sorted alphabet: ranks
    compare as the code points do, and the separator (code point 0) is rank 0, which no text holds."""

    def __init__(self, substrings: SubstringIndex, doc_count: int) -> None:
        segments = substrings.segments
        self.alphabet = np.unique(np.concatenate([g.alphabet for g, _ in segments] + [np.zeros(1, np.uint32)]))
        self.dtype = np.dtype(np.uint16 if len(self.alphabet) < 2**16 else np.uint32)
        texts, base = [np.zeros(1, dtype=self.dtype)], 1  # rank 0 before the first text and after the last
        self.start = np.zeros(doc_count, dtype=np.int64)
        self.length = np.zeros(doc_count, dtype=np.int64)
        for grams, docs in segments:
            texts.append(self._text(grams))
            live = docs >= 0
            self.start[docs[live]] = grams.starts[live] + base
            self.length[docs[live]] = grams.lengths[live]
            base += len(texts[-1])
        self.text = np.concatenate(texts)

    def _text(self, grams: Grams) -> np.ndarray:
        """One segment's text as ranks in the table's alphabet: each position takes the first
        character of the bigram whose postings hold it (two bytes a character meanwhile, not eight)."""
        size = np.uint64(max(len(grams.alphabet), 1))
        to_global = np.searchsorted(self.alphabet, grams.alphabet).astype(self.dtype)
        firsts = to_global[(grams.keys // size).astype(np.int64)]  # per bigram: its first character
        text = np.zeros(len(grams.positions) + 1, dtype=self.dtype)  # the last character: the separator
        counts = np.diff(grams.offsets)
        for lo, hi in _chunks(grams.offsets, TABLE_CHUNK):  # positions read a chunk at a time (DiskArray)
            at = grams.positions[int(grams.offsets[lo]) : int(grams.offsets[hi])]
            text[at] = np.repeat(firsts[lo:hi], counts[lo:hi])
        return text

    def cut(self, docs: np.ndarray, starts: np.ndarray, ends: np.ndarray, width: int, match: int) -> np.ndarray:
        """Rows (before read backwards | match | after) of the matches at starts:ends of each doc's
        text, `width` characters a side and `match` for the match; rank 0 past the passage's ends
        (each text is followed by a 0: a row keeps what comes before its first 0)."""
        index = np.int32 if len(self.text) < 2**31 - 2**16 else np.int64
        base = self.start[docs].astype(index)
        steps, inner = np.arange(width, dtype=index), np.arange(match, dtype=index)
        before = np.take(self.text, (base + starts.astype(index) - 1)[:, None] - steps, mode="clip")
        after = np.take(self.text, (base + ends.astype(index))[:, None] + steps, mode="clip")
        for part in (before, after):
            part *= np.logical_and.accumulate(part != 0, axis=1)
        hit = np.take(self.text, (base + starts.astype(index))[:, None] + inner, mode="clip")
        hit[inner[None, :] >= (ends - starts)[:, None]] = 0
        return np.concatenate((before, hit, after), axis=1)

    def key_rows(self, keys: Sequence[Key], width: int, match: int) -> np.ndarray:
        """Keys from passage texts as the rows `cut` makes (their characters are in the alphabet:
        the table holds the same texts)."""
        rows = np.zeros((len(keys), 2 * width + match), dtype=self.dtype)
        for i, (before, hit, after) in enumerate(keys):
            for offset, part in ((0, before), (width, hit), (width + match, after)):
                if part:
                    cps = np.frombuffer(part.encode("utf-32-le"), dtype=np.uint32)
                    rows[i, offset : offset + len(part)] = np.searchsorted(self.alphabet, cps)
        return rows


def sorted_rows(rows: np.ndarray, side: str, width: int, match: int) -> np.ndarray:
    """The stable order of rows (before | match | after) by the side's key, compared as strings:
    each row's characters big-end first as one byte string (numpy compares them as unsigned bytes;
    14 ms for 42,700 rows of 65 characters, a column-by-column sort took 34)."""
    if side == "right":
        rows = np.concatenate((rows[:, width : width + match], rows[:, width + match :], rows[:, :width]), axis=1)
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    big = np.ascontiguousarray(rows.astype(rows.dtype.newbyteorder(">")))
    return np.argsort(big.view(f"S{big.itemsize * big.shape[1]}").ravel(), kind="stable")


def fast_order(found: np.ndarray, compiled: Compiled, substrings: SubstringIndex, expands: np.ndarray,
               table: TextTable, side: str, width: int, read: Callable[[int], list[Key]],
               rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(slot in `found`, nth) of every line in context order. Lines whose place the postings give
    (occurrences.py) are cut from the table; the passages they cannot place are `read` (docnum ->
    keys of its lines); rank: each passage's place in (doc_id, ordinal) order, for the ties."""
    spotted = spots(found, compiled, substrings, expands)
    unsure = spotted.unsure | expands | bool(compiled.symbols)
    sure = ~unsure[spotted.slot]
    slot, docs, a, b = spotted.slot[sure], spotted.docs[sure], spotted.starts[sure], spotted.ends[sure]
    heads = np.flatnonzero(np.concatenate(([True], docs[1:] != docs[:-1]))) if len(docs) else np.zeros(0, np.int64)
    nth = np.arange(len(docs)) - np.repeat(heads, np.diff(np.append(heads, len(docs))))
    read_slots, read_nth, read_keys = [], [], []
    for i in np.flatnonzero(unsure).tolist():
        for n, key in enumerate(read(int(found[i]))):
            read_slots.append(i)
            read_nth.append(n)
            read_keys.append(key)
    match = max(int((b - a).max()) if len(a) else 0, max((len(k[1]) for k in read_keys), default=0), 1)
    rows = np.concatenate((table.cut(docs, a, b, width, match), table.key_rows(read_keys, width, match)))
    slots = np.concatenate((slot, np.array(read_slots, dtype=np.int64)))
    nths = np.concatenate((nth, np.array(read_nth, dtype=np.int64)))
    ties = np.lexsort((nths, rank[slots]))
    order = ties[sorted_rows(rows[ties], side, width, match)]
    return slots[order], nths[order]
