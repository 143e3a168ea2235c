"""BM25 statistics of the live passages only: after an incremental build, the scores of a full build.

Why: an incremental build deletes the old passages of changed and removed files by marking them in
their segment. Whoosh's `doc_count_all`, `doc_frequency` and `field_length` still count them until
the segment is merged, so scores, and the order of close ones, differed from a full build of the
same corpus. Here N is the number of live passages, a term's document frequency counts its live
postings (in a segment with deletions they are read once per term and generation, a block at a
time; fastscore.py counts them while it scores), and a field's average length is the exact total
the builder recorded per file in the manifest, over N. Whoosh keeps only one lossy byte per
passage, and a merged segment's total is summed from those bytes, so neither gives that total.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher
from whoosh.scoring import BM25F, BM25FScorer, WeightScorer

from indexer.ingest.manifest import is_indexed

log = logging.getLogger(__name__)
DF_CACHE_ENTRIES = 200_000  # (field, term) -> live document frequency, per generation


class LiveStats:
    """Passage count, live document frequencies and exact field-length totals of one generation."""

    def __init__(self, passages: int | None, totals: Mapping[str, int] | None) -> None:
        self.passages = passages  # what the manifest lists; None: unknown
        self.totals = dict(totals) if totals is not None else None
        self.doc_frequencies: dict[tuple[str, bytes], int] = {}
        self._count: int | None = None
        self._averages: dict[str, float] = {}

    @classmethod
    def of_manifest(cls, manifest: Mapping[str, Any]) -> LiveStats:
        """The totals of every indexed file's entry (None if an entry has none: an older build)."""
        files = manifest.get("files")
        entries = [e for e in files.values() if isinstance(e, dict) and is_indexed(e)] if isinstance(files, dict) else []
        totals: dict[str, int] = {}
        for entry in entries:
            lengths = entry.get("lengths")
            if not isinstance(lengths, dict):
                return cls(None, None)
            for name, n in lengths.items():
                totals[name] = totals.get(name, 0) + int(n)
        return cls(sum(int(e.get("passages", 0)) for e in entries), totals)

    def doc_count(self, searcher: Any) -> int:
        """Live passages; the manifest's totals are used only if it lists as many."""
        if self._count is None:
            count = searcher.doc_count()
            if self.totals is not None and self.passages != count:
                log.warning("the manifest lists %s passages, the index holds %s: field lengths from the index",
                            self.passages, count)
                self.totals = None
            self._count = count
        return self._count

    def avg_length(self, searcher: Any, fieldname: str) -> float:
        """Average length of the field over live passages (1 if it is empty everywhere, as Whoosh has it)."""
        found = self._averages.get(fieldname)
        if found is None:
            count = self.doc_count(searcher)
            if self.totals is not None:
                found = self.totals.get(fieldname, 0) / (count or 1) or 1
            else:  # Whoosh's own average, deleted passages included
                found = searcher.field_length(fieldname) / (searcher.doc_count_all() or 1) or 1
            self._averages[fieldname] = found
        return found

    def idf(self, searcher: Any, df: int) -> float:
        """Whoosh's idf formula (scoring.WeightingModel.idf) over live passages."""
        return math.log(self.doc_count(searcher) / (df + 1)) + 1

    def doc_frequency(self, searcher: Any, fieldname: str, text: bytes) -> int:
        """Live passages holding the term (kept per generation)."""
        key = (fieldname, text)
        found = self.doc_frequencies.get(key)
        if found is None:
            found = sum(_live_postings(sub.reader(), fieldname, text) for sub, _ in searcher.leaf_searchers())
            self.remember(fieldname, text, found)
        return found

    def remember(self, fieldname: str, text: bytes, df: int) -> None:
        if len(self.doc_frequencies) >= DF_CACHE_ENTRIES:
            self.doc_frequencies.clear()
        self.doc_frequencies[(fieldname, text)] = df


def _live_postings(reader: Any, fieldname: str, text: bytes) -> int:
    """The term's postings in one segment, deleted passages left out."""
    if (fieldname, text) not in reader:
        return 0
    if not reader.has_deletions():
        return reader.doc_frequency(fieldname, text)
    m = reader.postings(fieldname, text)
    deleted = m._ids if type(m) is FilterMatcher and m._exclude else frozenset()
    m = m.child if type(m) is FilterMatcher else m
    if type(m) is not W3LeafMatcher:
        return sum(1 for d in m.all_ids() if d not in deleted)
    count = 0
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        block = m._ids[m._i:]
        count += len(block) - sum(map(deleted.__contains__, block))
        m._next_block()
    return count


class LiveBM25F(BM25F):
    """Whoosh's BM25F with the generation's live statistics (searcher.search and FastScorer alike)."""

    def __init__(self, stats: LiveStats, B: float = 0.75, K1: float = 1.2) -> None:
        super().__init__(B=B, K1=K1)
        self.stats = stats

    def idf(self, searcher: Any, fieldname: str, text: bytes) -> float:
        parent = searcher.get_parent()
        return self.stats.idf(parent, self.stats.doc_frequency(parent, fieldname, text))

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        avgfl = self.stats.avg_length(searcher.get_parent(), fieldname)
        return LiveScorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1, avgfl, qf)


class LiveScorer(BM25FScorer):
    """BM25FScorer with the average field length given (set before `setup`, which scores the maximum)."""

    def __init__(self, searcher: Any, fieldname: str, text: bytes, B: float, K1: float,
                 avgfl: float, qf: int = 1) -> None:
        self.idf = searcher.get_parent().idf(fieldname, text)  # the searcher's cache, then LiveBM25F.idf
        self.avgfl = avgfl
        self.B, self.K1, self.qf = B, K1, qf
        self.setup(searcher, fieldname, text)
