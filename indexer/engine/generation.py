"""One opened index generation: immutable data shared by every thread, a Whoosh searcher per thread.

Why: the backend used to serialise every search behind one lock (a Whoosh searcher reads its files
through shared file objects and is not safe to share). Everything read once at open (facets, sort
keys, document JSON, the substring postings) never changes, so all threads share it; each thread
opens its own searcher (and scorer, with its caches) on first use. A new generation is opened
beside this one and switched in by one reference swap (whoosh_backend.py); this one is closed
when the last search using it ends.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq

from indexer.engine import fastscore, opencache, store
from indexer.engine.compile import Compiled, filter_query
from indexer.engine.contexts import TextTable
from indexer.engine.identity import code_fingerprint
from indexer.engine.livestats import LiveBM25F, LiveStats
from indexer.engine.querytree import DateRange, Node
from indexer.errors import IndexOutdatedError
from indexer.ingest.manifest import MANIFEST_FORMAT
from indexer.language.charter import tag_order
from indexer.language.expansion import expansion_map

FILTER_CACHE_SIZE = 256


class Generation:
    """An opened generation: shared read-only data, per-thread searchers, a count of users."""

    def __init__(self, index_dir: Path, name: str) -> None:
        self.name = name
        manifest = check_identity(index_dir, index_dir / name)
        self.ix = store.open_index(index_dir)
        self.weighting = LiveBM25F(LiveStats.of_manifest(manifest))  # shared: live statistics kept per generation
        self._local = threading.local()
        self._opened: list[Any] = []  # every thread's searcher, closed together
        self._guard = threading.Lock()  # the list and the user count, never a search
        self.users, self.retired, self.closed = 0, False, False
        generation = index_dir / name
        self.expansions = expansion_map(store.read_json(generation, store.ABBREVIATIONS_FILE, {}))
        listed = manifest.get("caches")
        data = opencache.load(Path(self.ix.storage.folder), self.searcher, listed if isinstance(listed, dict) else None)
        self.docs, self.substrings, self.keys = data.docs, data.substrings, data.keys
        self.facet_table = data.facet_table
        self.joined = data.joined
        self.postings = data.postings  # each segment's long posting lists (postings.py)
        self.filter_cache: dict[Node, np.ndarray] = {}  # a filter -> its docnums (int32, ascending)
        self.own_dated_cache: dict[DateRange, np.ndarray] = {}
        self.marks: dict[Node | None, Compiled] = {}  # query -> what marks() marks
        self._charter_sets: dict[str, np.ndarray] | None = None
        self._texts: TextTable | None = None
        self._texts_lock = threading.Lock()
        self._doc_dates: tuple[dict[str, int], np.ndarray] | None = None
        self.symbol_map = {s: doc_id for doc_id, d in sorted(self.docs.items()) for s in d.get("symbols", [])}

    @property
    def searcher(self) -> Any:
        """This thread's Whoosh searcher on the generation (opened on first use)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.ix.searcher(weighting=self.weighting)
            with self._guard:
                self._opened.append(searcher)
        return searcher

    @property
    def scorer(self) -> fastscore.FastScorer:
        """This thread's scorer (its term cache and length tables belong to its searcher)."""
        searcher = self.searcher
        scorer = getattr(self._local, "scorer", None)
        if scorer is None or scorer.searcher is not searcher:
            scorer = self._local.scorer = fastscore.FastScorer(searcher, self.postings)
        return scorer

    def enter(self) -> bool:
        """Count one more search using the generation; False if it was retired meanwhile."""
        with self._guard:
            if self.retired:
                return False
            self.users += 1
            return True

    def leave(self) -> None:
        with self._guard:
            self.users -= 1
            done = self.retired and self.users == 0
        if done:
            self.close()

    def retire(self) -> None:
        """No new searches will use this generation: close it once the running ones end."""
        with self._guard:
            self.retired = True
            done = self.users == 0
        if done:
            self.close()

    def allowed(self, filters: Sequence[Node]) -> np.ndarray:
        """A bool per docnum: passing every filter; each filter's docnums are cached (facet clicks
        repeat them)."""
        out = None
        for node in filters:
            found = self.filter_cache.get(node)
            if found is None:
                if len(self.filter_cache) >= FILTER_CACHE_SIZE:
                    self.filter_cache.clear()
                q = filter_query(node, self.searcher)
                found = self.filter_cache[node] = self.scorer.docnums(q).astype(np.int32)
            mask = self.scorer.mask(found)
            out = mask if out is None else out & mask
        assert out is not None, "allowed() needs at least one filter"
        return out

    def own_dated_mask(self, nodes: Sequence[DateRange]) -> np.ndarray:
        """A bool per docnum: dated in every one of the ranges by an event date of its own."""
        out = self.scorer.mask(self.own_dated(nodes[0]))
        for node in nodes[1:]:
            out &= self.scorer.mask(self.own_dated(node))
        return out

    def own_dated(self, node: DateRange) -> np.ndarray:
        """Passages with an event date of their own in the range (the `dates` field also holds the
        document's date, so every passage of a document dated in the range matches the filter).

        A passage whose only date in the range is its document's own date counts as undated."""
        found = self.own_dated_cache.get(node)
        if found is None:
            if len(self.own_dated_cache) >= FILTER_CACHE_SIZE:
                self.own_dated_cache.clear()
            found = self.own_dated_cache[node] = self._own_dated(node)
        return found

    def _own_dated(self, node: DateRange) -> np.ndarray:
        """Docnums, ascending: per date of the range, its passages but those of documents of that date."""
        codes, doc_dates = self.doc_dates()
        out = np.zeros(self.searcher.doc_count_all(), dtype=bool)
        for date in self.scorer.expanded(filter_query(node)):
            docs = self.scorer.docnums(wq.Term("dates", date))
            out[docs[doc_dates[docs] != codes.get(date, -2)]] = True
        return np.flatnonzero(out)

    def doc_dates(self) -> tuple[dict[str, int], np.ndarray]:
        """(date -> code, the code of each docnum's document date: -1 for none), made once."""
        if self._doc_dates is None:
            column = self.joined.columns["doc_id"]
            codes: dict[str, int] = {}
            of_value = np.array([codes.setdefault(self.docs.get(v, {}).get("doc_date") or "", len(codes))
                                 for v in column.values] or [0], dtype=np.int64)
            codes.pop("", None)
            starts = column.ptr[:-1]
            present = column.ptr[1:] > starts
            per_docnum = np.full(len(starts), -1, dtype=np.int64)
            per_docnum[present] = of_value[column.ids[starts[present]]]
            self._doc_dates = codes, per_docnum
        return self._doc_dates

    def facet_counts(self, found: np.ndarray) -> dict[str, dict[str, int]]:
        """Hits per type, per year, per speaker (facets.py: vectorised counts) and per Charter tag,
        of the matches `found` (a bool per docnum)."""
        return {**self.facet_table.counts(np.flatnonzero(found)), "charter": charter_counts(self.charter_sets(), found)}

    def charter_sets(self) -> dict[str, np.ndarray]:
        """Charter tag -> its passages' docnums, read once per generation (a few dozen tags)."""
        if self._charter_sets is None:
            terms = self.searcher.lexicon("charter") if "charter" in self.searcher.schema else []
            tags = [t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in terms]
            self._charter_sets = {t: self.scorer.docnums(wq.Term("charter", t)) for t in tags}
        return self._charter_sets

    def text_table(self) -> TextTable:
        """Every passage's compacted text, rebuilt from the postings on the first context sort."""
        with self._texts_lock:
            if self._texts is None:
                self._texts = TextTable(self.substrings, self.searcher.doc_count_all())
            return self._texts

    def close(self) -> None:
        with self._guard:
            opened, self._opened, self.closed = self._opened, [], True
        for searcher in opened:
            searcher.close()
        self.ix.close()


def charter_counts(sets: dict[str, np.ndarray], found: np.ndarray) -> dict[str, int]:
    """Passages per Charter tag among the matches (a bool per docnum), in Charter order
    (chapters, then articles)."""
    if not sets:
        return {}
    counts = {tag: int(np.count_nonzero(found[passages])) for tag, passages in sets.items()}
    return {tag: n for tag, n in sorted(counts.items(), key=lambda kv: tag_order(kv[0])) if n}


def check_identity(index_dir: Path, generation: Path) -> dict[str, Any]:
    """The generation's manifest; IndexOutdatedError if other code, libraries or dictionaries built
    it (its results could differ from what this code would index: never serve them)."""
    manifest = store.read_json(generation, store.MANIFEST_FILE, None)
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise IndexOutdatedError(index_dir, "has no manifest this version of undocs can read")
    if manifest.get("code") != code_fingerprint():
        raise IndexOutdatedError(index_dir, "was built by another version of undocs, jieba, OpenCC or Whoosh, "
                                 "or with other dictionaries")
    return manifest
