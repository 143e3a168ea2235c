"""Exact-substring search: every passage's normalised, compacted text in one string, scanned.

Why not a bigram field: in Whoosh every posting costs ~10 µs of Python at build time, and a bigram
per character made the index build 7× slower than segmenting the text with jieba. Scanning one
string with `str.find` runs at C speed (a few ms for millions of characters), is exact by
construction (any string that occurs after normalisation is found, however jieba splits it) and
costs nothing at build time: the scan text is made when a search engine opens an index generation.
"""

from __future__ import annotations

import math
import re
import threading
from bisect import bisect_right
from collections import Counter, OrderedDict
from collections.abc import Iterable
from itertools import repeat
from typing import Any

from indexer.language.normalize import compact_text, normalize

K1 = 1.2
B = 0.75
NORM_0 = K1 * (1 - B)  # the norm of a passage of length 0
CACHE_SIZE = 64  # needles whose matches are kept (each at most one float per passage)
CACHE_ENTRIES = 600_000  # and at most this many (docnum, weight) pairs in all (~45 MiB)
SEPARATOR = "\x00"  # never in normalised text (control characters become spaces)


class SubstringIndex:
    """Where each normalised string occurs: docnum -> occurrences, and a BM25-like weight."""

    def __init__(self, docs: Iterable[tuple[int, str]]) -> None:
        parts: list[str] = []
        self.starts: list[int] = []
        self.docnums: list[int] = []
        self.lengths: dict[int, int] = {}
        pos = 0
        for docnum, text in docs:
            compacted = compact_text(normalize(text))
            self.starts.append(pos)
            self.docnums.append(docnum)
            self.lengths[docnum] = len(compacted)
            parts.append(compacted)
            pos += len(compacted) + 1
        self.text = SEPARATOR.join(parts)
        self.avg_length = (sum(self.lengths.values()) / len(self.lengths)) if self.lengths else 1.0
        self._cache: OrderedDict[str, dict[int, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._norms: dict[int, float] | None = None

    def matches(self, needle: str) -> dict[int, float]:
        """weights(find(needle)), remembered for the last CACHE_SIZE needles: a scan of a common
        word takes ~20 ms at ×100, and words recur (paging, facet clicks, abbreviation pairs).
        The result is shared: callers must not change it."""
        with self._lock:  # searches may run in several threads
            found = self._cache.get(needle)
            if found is not None:
                self._cache.move_to_end(needle)
                return found
        found = self.weights(self.find(needle))
        with self._lock:
            self._cache[needle] = found
            while len(self._cache) > CACHE_SIZE or sum(map(len, self._cache.values())) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return found

    def state(self) -> dict[str, Any]:
        """What `restore` needs: the builder stores it with the generation (opencache.py)."""
        return {"text": self.text, "starts": self.starts, "docnums": self.docnums, "lengths": self.lengths}

    @classmethod
    def restore(cls, state: dict[str, Any]) -> SubstringIndex:
        index = cls([])
        index.text, index.starts, index.docnums, index.lengths = (
            state["text"], state["starts"], state["docnums"], state["lengths"])
        index.avg_length = (sum(index.lengths.values()) / len(index.lengths)) if index.lengths else 1.0
        index._norms = None
        return index

    @staticmethod
    def needle(text: str) -> str:
        """The comparison form of a query string (what `find` looks for)."""
        return compact_text(normalize(text)).strip()

    def find(self, needle: str) -> Counter[int]:
        """docnum -> number of occurrences of `needle` (already in comparison form)."""
        counts: Counter[int] = Counter()
        if not needle:
            return counts
        if _latin_edge(needle):
            return self._find_words(needle)
        text, starts, find, count = self.text, self.starts, self.text.find, self.text.count
        at = find(needle)
        while at >= 0:  # one step per matching passage, not per occurrence
            k = bisect_right(starts, at) - 1
            end = starts[k + 1] - 1 if k + 1 < len(starts) else len(text)
            counts[self.docnums[k]] = count(needle, at, end)
            at = find(needle, end)
        return counts

    def _find_words(self, needle: str) -> Counter[int]:
        """Latin letters/digits at an edge must not continue a longer word or number.

        One regex scan with the edge checks after the literal (so the fast literal search still
        applies), positions mapped to passages by C loops: a common word like covid or 19 took
        15-30 ms with a Python step per occurrence at ×100. A needle that can overlap itself
        keeps the step-by-step scan, which counts overlapping occurrences."""
        if any(needle[:k] == needle[-k:] for k in range(1, len(needle))):
            return self._find_words_stepwise(needle)
        literal = re.escape(needle)
        head = f"(?<![0-9A-Za-z]{literal})" if _latin(needle[0]) else ""
        tail = "(?![0-9A-Za-z])" if _latin(needle[-1]) else ""
        positions = map(re.Match.start, re.finditer(literal + head + tail, self.text))
        passages = Counter(map(bisect_right, repeat(self.starts), positions))
        docnums = self.docnums
        return Counter({docnums[k - 1]: n for k, n in passages.items()})

    def _find_words_stepwise(self, needle: str) -> Counter[int]:
        text, size = self.text, len(needle)
        counts: Counter[int] = Counter()
        at = text.find(needle)
        while at >= 0:
            before = text[at - 1] if at else " "
            after = text[at + size] if at + size < len(text) else " "
            if not (_latin(needle[0]) and _latin(before)) and not (_latin(needle[-1]) and _latin(after)):
                counts[self.docnums[bisect_right(self.starts, at) - 1]] += 1
            at = text.find(needle, at + 1)
        return counts

    def weights(self, counts: Counter[int]) -> dict[int, float]:
        """BM25 over occurrences, so a substring match ranks like a word match."""
        n = len(self.docnums) or 1
        idf = math.log(1 + (n - len(counts) + 0.5) / (len(counts) + 0.5))
        norms = self._norms if self._norms is not None else self._length_norms()
        return {docnum: idf * tf * (K1 + 1) / (tf + norms.get(docnum, NORM_0)) for docnum, tf in counts.items()}

    def _length_norms(self) -> dict[int, float]:
        """Each passage's BM25 length norm, computed once (a third of weights' time otherwise)."""
        self._norms = {d: K1 * (1 - B + B * length / self.avg_length) for d, length in self.lengths.items()}
        return self._norms


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _latin_edge(needle: str) -> bool:
    return _latin(needle[0]) or _latin(needle[-1])
