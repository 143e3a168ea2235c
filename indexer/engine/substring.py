"""Exact-substring search from character-bigram postings with positions (numpy, read a slice at a time).

Why: scanning every passage's text per query word (the previous design) costs time in proportion
to the corpus: 20 ms a word at ×100, 250 ms at ×1000. Here each segment holds, for every pair of
adjacent characters of its normalised, compacted text, the sorted positions where it starts
(built once at build time by one numpy sort, opencache.py stores the arrays). A needle of length L
is found by intersecting the position lists of the bigrams at 0, 2, 4, … and L-2 (shifted back
by their offset): together they cover every character, so the intersection is exactly the set of
occurrences, with no text to verify. A single character is the range of bigrams it starts (every
character has a successor: the text ends with a separator). The cost is the length of the rarest
bigram's list, not the corpus. benchmarks/substring_designs.py measures both designs.
"""

from __future__ import annotations

import math
import sys
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from indexer.language.normalize import compact_text, normalize

K1 = 1.2
B = 0.75
NORM_0 = K1 * (1 - B)  # the norm of a passage of length 0
CACHE_SIZE = 64  # needles whose matches are kept
CACHE_ENTRIES = 1_000_000  # and at most this many (docnum, weight) pairs in all (16 bytes each: ~15 MiB)
SEPARATOR = "\x00"  # never in normalised text (control characters become spaces)
EMPTY = np.zeros(0, dtype=np.int64)
CHUNK = 1 << 20  # positions added to the packed keys a million at a time
ARRAYS = ("alphabet", "keys", "offsets", "positions", "latin", "starts", "lengths")


@dataclass(frozen=True)
class Grams:
    """One segment's bigram postings: keys sorted, positions[offsets[i]:offsets[i+1]] of keys[i];
    a key is rank(first) * len(alphabet) + rank(second), ranks in the segment's sorted alphabet;
    latin: a bit per character (ASCII letter or digit); starts/lengths: each passage's place."""

    alphabet: np.ndarray  # uint32, the code points that occur, ascending
    keys: np.ndarray  # uint64
    offsets: np.ndarray  # int64, len(keys) + 1
    positions: np.ndarray  # int32, one per character
    latin: np.ndarray  # uint8, np.packbits of one bool per character
    starts: np.ndarray  # int64, per row (passage) of the segment
    lengths: np.ndarray  # int32, per row

    @classmethod
    def build(cls, parts: list[str]) -> Grams:
        """The postings of compacted passage texts, in row order (one sort of all bigrams)."""
        lengths = np.fromiter(map(len, parts), dtype=np.int32, count=len(parts))
        starts = np.zeros(len(parts), dtype=np.int64)
        if len(parts) > 1:
            np.cumsum(lengths[:-1].astype(np.int64) + 1, out=starts[1:])
        cps = np.frombuffer((SEPARATOR.join(parts) + SEPARATOR).encode("utf-32-le"), dtype=np.uint32)
        present = np.zeros(int(cps.max()) + 1, dtype=bool)
        present[cps] = True
        alphabet = np.flatnonzero(present).astype(np.uint32)
        latin = np.packbits(((cps >= 48) & (cps <= 57)) | ((cps >= 65) & (cps <= 90)) | ((cps >= 97) & (cps <= 122)))
        rank_type = np.uint16 if len(alphabet) <= 2**16 else np.uint32  # 2 bytes a character, not 4
        ranks = (np.cumsum(present, dtype=np.int64) - 1).astype(rank_type)[cps]
        del cps  # peak memory: the keys and positions below, ~12 bytes a character, not ~18
        keys = ranks[:-1].astype(np.uint64)
        keys *= np.uint64(len(alphabet))
        keys += ranks[1:]
        del ranks
        ordered, positions = _sorted_bigrams(keys, len(alphabet))
        bounds = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
        heads = np.concatenate(([0], bounds)) if len(ordered) else EMPTY
        offsets = np.concatenate((heads, [len(ordered)])).astype(np.int64)
        return cls(alphabet, ordered[heads], offsets, positions, latin, starts, lengths)

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in ARRAYS}

    def ranks(self, cps: list[int]) -> list[int] | None:
        """The needle's code points as ranks in the alphabet; None if one never occurs here."""
        at = np.searchsorted(self.alphabet, np.array(cps, dtype=np.uint32))
        if (at >= len(self.alphabet)).any() or (self.alphabet[np.minimum(at, len(self.alphabet) - 1)] != cps).any():
            return None
        return at.tolist()

    def postings(self, key: int) -> np.ndarray:
        """Positions where the bigram `key` starts, ascending."""
        i = int(np.searchsorted(self.keys, np.uint64(key)))
        if i == len(self.keys) or int(self.keys[i]) != key:
            return EMPTY
        return self.positions[self.offsets[i] : self.offsets[i + 1]]

    def occurrences(self, cps: list[int]) -> np.ndarray:
        """Start positions of the needle (code points), overlapping ones included; ascending
        unless the needle is one character."""
        ranks, size = self.ranks(cps), len(self.alphabet)
        if ranks is None:
            return EMPTY
        if len(ranks) == 1:
            lo, hi = np.searchsorted(self.keys, np.array([ranks[0] * size, (ranks[0] + 1) * size], dtype=np.uint64))
            return self.positions[self.offsets[lo] : self.offsets[hi]]  # not sorted: only counted
        cover = sorted({*range(0, len(ranks) - 1, 2), len(ranks) - 2})
        lists = sorted(((i, self.postings(ranks[i] * size + ranks[i + 1])) for i in cover), key=lambda x: len(x[1]))
        first, found = lists[0]
        candidates = found.astype(np.int64) - first
        for i, posting in lists[1:]:
            if not len(candidates):
                break
            wanted = candidates + i
            at = np.minimum(np.searchsorted(posting, wanted), len(posting) - 1)
            candidates = candidates[posting[at] == wanted]
        return candidates

    def latin_at(self, positions: np.ndarray) -> np.ndarray:
        """True where the character at each position is an ASCII letter or digit (False outside)."""
        inside = (positions >= 0) & (positions < len(self.latin) * 8)
        safe = np.where(inside, positions, 0)
        bits = (self.latin[safe >> 3] >> (7 - (safe & 7)).astype(np.uint8)) & 1
        return inside & (bits == 1)

    def rows(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, positions, side="right") - 1


class SubstringIndex:
    """Where each normalised string occurs: docnum -> occurrences, and a BM25-like weight."""

    def __init__(self, docs: Iterable[tuple[int, str]] = ()) -> None:
        pairs = list(docs)
        parts = [compact_text(normalize(text)) for _, text in pairs]
        docnums = np.array([d for d, _ in pairs], dtype=np.int64)
        self._setup([(Grams.build(parts), docnums)])

    @classmethod
    def of_segments(cls, segments: list[tuple[Grams, np.ndarray]]) -> SubstringIndex:
        """Segments with the global docnum of each row (-1: a deleted passage)."""
        index = cls.__new__(cls)
        index._setup(segments)
        return index

    def _setup(self, segments: list[tuple[Grams, np.ndarray]]) -> None:
        self.segments = segments
        live = [(g.lengths[d >= 0], d[d >= 0]) for g, d in segments]
        self.count = sum(len(d) for _, d in live)
        total = sum(int(lengths.sum()) for lengths, _ in live)
        self.avg_length = total / self.count if self.count else 1.0
        self.norms = [K1 * (1 - B + B * g.lengths / self.avg_length) for g, _ in segments]
        self._cache: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()  # guards the cache only, never a search

    @property
    def lengths(self) -> dict[int, int]:
        """docnum -> compacted length of every live passage (tests compare two indexes by it)."""
        return {int(d): int(n) for g, docs in self.segments for d, n in zip(docs, g.lengths, strict=True) if d >= 0}

    def matches(self, needle: str) -> dict[int, float]:
        """docnum -> weight of the needle's passages (match_arrays as a dict)."""
        docnums, weights = self.match_arrays(needle)
        return dict(zip(docnums.tolist(), weights.tolist(), strict=True))

    def match_arrays(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums ascending, weights) of the needle's passages, remembered for the last
        CACHE_SIZE needles (words recur: paging, facet clicks, abbreviation pairs). Shared and
        read-only: callers must not change them."""
        with self._lock:
            found = self._cache.get(needle)
            if found is not None:
                self._cache.move_to_end(needle)
                return found
        found = self._weights(self._counts(needle))
        found[0].flags.writeable = found[1].flags.writeable = False
        with self._lock:
            self._cache[needle] = found
            while len(self._cache) > CACHE_SIZE or sum(len(d) for d, _ in self._cache.values()) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return found

    @staticmethod
    def needle(text: str) -> str:
        """The comparison form of a query string (what `find` looks for)."""
        return compact_text(normalize(text)).strip()

    def find(self, needle: str) -> Counter[int]:
        """docnum -> number of occurrences of `needle` (already in comparison form)."""
        out: Counter[int] = Counter()
        for number, rows, counts in self._counts(needle):
            docs = self.segments[number][1][rows]
            out.update(dict(zip(docs.tolist(), counts.tolist(), strict=True)))
        return out

    def spots(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, starts in each passage's compacted text) of every occurrence of `needle`
        (comparison form), overlapping ones included and Latin word edges checked as
        language/spans.py marks them; live passages only, in no particular order."""
        if not needle:
            return EMPTY, EMPTY
        cps = [ord(c) for c in needle]
        edges = (_latin(needle[0]), _latin(needle[-1]))
        docnums, starts = [EMPTY], [EMPTY]
        for grams, docs in self.segments:
            at = grams.occurrences(cps).astype(np.int64)
            if len(at) and any(edges):
                at = at[_word_edges(grams, at, len(cps), edges)]
            rows = grams.rows(at)
            found = docs[rows]
            keep = found >= 0
            docnums.append(found[keep].astype(np.int64))
            starts.append(at[keep] - grams.starts[rows[keep]])
        return np.concatenate(docnums), np.concatenate(starts)

    def weights(self, counts: Counter[int]) -> dict[int, float]:
        """BM25 over occurrences (for counts from `find`), so a substring match ranks like a word."""
        norms = {int(d): float(n) for (_, docs), ns in zip(self.segments, self.norms, strict=True)
                 for d, n in zip(docs, ns, strict=True) if d >= 0}
        idf = self._idf(len(counts))
        return {d: idf * tf * (K1 + 1) / (tf + norms.get(d, NORM_0)) for d, tf in counts.items()}

    def _idf(self, matched: int) -> float:
        n = self.count or 1
        return math.log(1 + (n - matched + 0.5) / (matched + 0.5))

    def _weights(self, found: list[tuple[int, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        """(docnums ascending, weights): segments are in docnum order, rows ascending in each."""
        idf = self._idf(sum(len(rows) for _, rows, _ in found))
        docnums, weights = [EMPTY], [np.zeros(0, dtype=np.float64)]
        for number, rows, counts in found:
            tf = counts.astype(np.float64)
            weights.append(idf * tf * (K1 + 1) / (tf + self.norms[number][rows]))
            docnums.append(self.segments[number][1][rows].astype(np.int64))
        out, weight = np.concatenate(docnums), np.concatenate(weights)
        if len(out) > 1 and bool((out[1:] < out[:-1]).any()):
            order = np.argsort(out, kind="stable")
            out, weight = out[order], weight[order]
        return out, weight

    def _counts(self, needle: str) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """(segment, live rows, occurrences per row) of every segment the needle occurs in."""
        if not needle:
            return []
        cps = [ord(c) for c in needle]
        border = any(needle[:k] == needle[-k:] for k in range(1, len(needle)))
        edges = (_latin(needle[0]), _latin(needle[-1]))
        out = []
        for number, (grams, docs) in enumerate(self.segments):
            at = grams.occurrences(cps)
            if len(at) and any(edges):
                at = at[_word_edges(grams, at, len(cps), edges)]
            if len(at) and border and not any(edges):  # str.count: occurrences that do not overlap
                at = _non_overlapping(grams, at, len(cps))
            rows, counts = _row_counts(grams, at)
            keep = docs[rows] >= 0
            if keep.any():
                out.append((number, rows[keep], counts[keep]))
        return out


def _sorted_bigrams(keys: np.ndarray, alphabet: int) -> tuple[np.ndarray, np.ndarray]:
    """(keys sorted, the position of each): key and position packed in one uint64 and sorted in
    place when they fit (3× faster than a stable argsort), else a stable argsort."""
    if alphabet < 2**16 and len(keys) < 2**31:  # in place: the build's peak memory is ~20 bytes a character
        keys <<= np.uint64(32)
        for start in range(0, len(keys), CHUNK):
            keys[start : start + CHUNK] |= np.arange(start, min(start + CHUNK, len(keys)), dtype=np.uint64)
        keys.sort()
        positions = keys.view(np.uint32)[0 if sys.byteorder == "little" else 1 :: 2].astype(np.int32)  # the low halves
        keys >>= np.uint64(32)
        return keys, positions
    order = np.argsort(keys, kind="stable")
    return keys[order], order.astype(np.int32)


def _row_counts(grams: Grams, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, occurrences) of the positions: counted in one pass when they are many."""
    rows = grams.rows(at)
    if len(rows) * 8 < len(grams.starts):
        return np.unique(rows, return_counts=True)
    counts = np.bincount(rows, minlength=len(grams.starts))
    found = np.flatnonzero(counts)
    return found, counts[found]


def _word_edges(grams: Grams, at: np.ndarray, size: int, edges: tuple[bool, bool]) -> np.ndarray:
    """Latin letters/digits at a needle's edge must not continue a longer word or number."""
    ok = np.ones(len(at), dtype=bool)
    if edges[0]:
        ok &= ~grams.latin_at(at - 1)
    if edges[1]:
        ok &= ~grams.latin_at(at + size)
    return ok


def _non_overlapping(grams: Grams, at: np.ndarray, size: int) -> np.ndarray:
    """Leftmost-first occurrences that do not overlap within a passage (a needle with a border)."""
    rows = grams.rows(at)
    kept, last_row, last_end = [], -1, -1
    for pos, row in zip(at.tolist(), rows.tolist(), strict=True):
        if row != last_row or pos >= last_end:
            kept.append(pos)
            last_row, last_end = row, pos + size
    return np.array(kept, dtype=np.int64)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
