"""Score a compiled query with dict operations instead of Whoosh's per-document matcher tree.

Why: with `limit=None` Whoosh's collector walks a tree of Python matchers for every matching
passage (~10 µs each): a common word at ×100 matches 15,000 passages and took 150 ms. Most leaves
of our queries are already docnum -> weight dicts (the substring scan), so unions, intersections
and optional boosts are cheap dict operations. The scores equal Whoosh's: a union or intersection
adds its children's scores, AndMaybe adds the optional part where it matches, a boost multiplies,
Not inside an And scores 1.0 (Whoosh's InverseMatcher), ConstantScoreQuery scores its constant.
A plain term of a text field is scored from its posting blocks with numpy, with the generation's
live BM25 statistics (livestats.py: deleted passages do not count, as in a full build). Any other
query (prefixes, ranges, terms of a few wanted passages) is scored by its own Whoosh matcher, leaf
by leaf, with the same statistics (the searcher's weighting is livestats.LiveBM25F); its BM25 field
lengths come from a table read once per segment and field (Whoosh decodes one byte per call, two
thirds of a term's scoring time).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterator, Mapping
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import FilterMatcher, WrappingMatcher
from whoosh.scoring import BM25FScorer
from whoosh.util.numeric import byte_to_length

from indexer.engine.budget import Budget
from indexer.engine.compile import DocSetQuery
from indexer.engine.livestats import LiveStats
from indexer.engine.postings import Postings, block_postings

Scores = dict[int, float]
SKIP_RATIO = 8  # fewer wanted docs than 1/8 of a segment: skip_to each, else walk the postings
TERM_SKIP_RATIO = 64  # the same for a plain term, whose postings are read a block at a time
TERM_CACHE_ENTRIES = 400_000  # (docnum, score) pairs of recent plain terms kept (~30 MiB)
EMPTY_IDS, EMPTY_WEIGHTS = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
NOT_SCORE = 1.0  # whoosh.matching.InverseMatcher's default weight
# what reader.doc_field_length(d, f, 1) returns for each stored byte (0: None, the field is empty)
LENGTH_OF_BYTE: list[int | None] = [None] + [byte_to_length(b) for b in range(1, 256)]


class FastScorer:
    """Scores queries on one open searcher; keeps its field-length tables and recent terms' scores."""

    def __init__(self, searcher: Any, postings: Mapping[int, Postings] | None = None) -> None:
        self.searcher = searcher
        self.postings = postings or {}  # first docnum of a segment -> its long posting lists (postings.py)
        self.lengths: dict[tuple[int, str], list[int | None]] = {}
        self.arrays: dict[tuple[int, str, str], np.ndarray] = {}
        self.terms: dict[tuple[str, Any, float], Scores] = {}  # (field, text, boost) -> every match
        self.budget: Budget | None = None  # the running search's: past its deadline, OR stops adding
        self.stats: LiveStats | None = getattr(searcher.weighting, "stats", None)  # livestats.LiveBM25F's
        self.dead: dict[int, np.ndarray] = {}  # id(segment reader) -> deleted, a bool per docnum

    def scores(self, q: wq.Query, within: Collection[int] | None = None) -> Scores:
        """Global docnum -> score of every passage `q` matches, as `searcher.search` scores it.

        `within`: only these docnums are needed (others may be left out): Whoosh term matchers
        are scored only there, as Whoosh's AndMaybe scores its optional part only where the
        required part matches.
        """
        if isinstance(q, DocSetQuery):
            boost = q.boost
            return {d: w * boost for d, w in q.weights.items()} if boost != 1.0 else dict(q.weights)
        if type(q) in (wq.Or, wq.And) and q.subqueries:
            return _boosted(self._compound(q, within), q.boost)
        if type(q) is wq.AndMaybe:
            out = self.scores(q.a, within)
            if within is not None and len(within) < len(out):
                out = {d: v for d, v in out.items() if d in within}
            for d, v in self.scores(q.b, out).items():
                if d in out:
                    out[d] += v
            return out
        if type(q) is wq.ConstantScoreQuery:
            return dict.fromkeys(self.matching_docs(q.child), q.score)
        if type(q) is wq.Every and q.fieldname is None:
            return dict.fromkeys(self.searcher.reader().all_doc_ids(), q.boost)
        if type(q) is wq.Not:
            excluded = self.matching_docs(q.query)
            return dict.fromkeys((d for d in self.searcher.reader().all_doc_ids() if d not in excluded), NOT_SCORE)
        return self._leaf(q, within)

    def _compound(self, q: wq.Query, within: Collection[int] | None) -> Scores:
        subs = list(q.subqueries)
        if len(subs) == 1:
            return self.scores(subs[0], within)
        if type(q) is wq.Or:
            out: Scores = {}
            for number, sub in enumerate(subs):
                if number and self.budget is not None and self.budget.expired():
                    break  # a subset of the matches, flagged partial by the caller
                for d, v in self.scores(sub, within).items():
                    out[d] = out[d] + v if d in out else v
            return out
        positive = [s for s in subs if not isinstance(s, wq.Not)]
        if not positive:  # only NOTs: left to Whoosh
            return self._leaf(q, within)
        parts = sorted((self.scores(s, within) for s in positive), key=len)
        out = dict(parts[0])
        for part in parts[1:]:
            out = {d: v + part[d] for d, v in out.items() if d in part}
        for neg in (s for s in subs if isinstance(s, wq.Not)):
            excluded = self.matching_docs(neg.query)
            out = {d: v + NOT_SCORE for d, v in out.items() if d not in excluded}
        return out

    def matching_docs(self, q: wq.Query) -> set[int]:
        """The docnums `q` matches, unscored (filters: Whoosh's docs() walks a matcher tree per id)."""
        if isinstance(q, DocSetQuery):
            return set(q.weights)
        if type(q) is wq.Or:
            return set().union(*(self.matching_docs(sub) for sub in q.subqueries))
        if type(q) in (wq.Term, wq.Prefix, wq.Wildcard, wq.TermRange):
            out: set[int] = set()
            for sub, offset in self.searcher.leaf_searchers():
                out.update(d + offset for d in _term_docs(q, sub.reader(), self.postings.get(offset)))
            return out
        return set(self.searcher.docs_for_query(q))

    def _leaf(self, q: wq.Query, within: Collection[int] | None) -> Scores:
        """A plain term's scores are kept (title/heading boosts repeat the same words); any
        other query is scored by its Whoosh matcher in each segment."""
        if type(q) is not wq.Term:
            return self._matched(q, within)
        key = (q.fieldname, q.text, q.boost)
        full = self.terms.get(key)
        if full is None:
            if within is not None and len(within) * 4 < self.searcher.doc_frequency(q.fieldname, q.text):
                return self._matched(q, within)  # a filtered query wants a few of many: not worth keeping
            full = self._matched(q, None)
            if sum(map(len, self.terms.values())) + len(full) > TERM_CACHE_ENTRIES:
                self.terms.clear()
            self.terms[key] = full
        if within is None:
            return dict(full)
        if len(within) < len(full):
            return {d: full[d] for d in within if d in full}
        return {d: v for d, v in full.items() if d in within}

    def _matched(self, q: wq.Query, within: Collection[int] | None) -> Scores:
        if type(q) is wq.Term and (within is None or len(within) * TERM_SKIP_RATIO >= self.searcher.doc_count_all()):
            found = self._term_numpy(q, within)
            if found is not None:
                return found
        out: Scores = {}
        context = self.searcher.context()
        for sub, offset in self.searcher.leaf_searchers():
            m = q.matcher(sub, context)
            self._fast_lengths(m, sub)
            size = sub.reader().doc_count_all()
            wanted = size if within is None else len(within)
            if wanted * SKIP_RATIO < size:  # few wanted: skip to each
                _score_at(m, sorted(d - offset for d in within or () if offset <= d < offset + size), offset, out)
                continue
            while m.is_active():
                d = m.id() + offset
                if within is None or d in within:
                    out[d] = m.score()
                m.next()
        return out

    def _term_numpy(self, q: wq.Term, within: Collection[int] | None) -> Scores | None:
        """A plain term: every segment's postings (from postings.py's arrays, else read a block at a
        time) scored at once with numpy (per posting, Whoosh's matcher methods cost 2 µs). A BM25
        field with the generation's live statistics (livestats.py; the term's live document
        frequency is counted on the way), any other field by its weight, as Whoosh's WeightScorer.
        None if the searcher has no live statistics or the postings are not W3 blocks."""
        stats, schema, field = self.stats, self.searcher.schema, q.fieldname
        if stats is None or field not in schema:
            return None
        try:
            text = schema[field].to_bytes(q.text)
        except ValueError:
            return {}  # Whoosh's Term.matcher: a NullMatcher
        parts = []
        for sub, offset in self.searcher.leaf_searchers():
            got = self._postings(sub.reader(), offset, field, text)
            if got is None:
                return None
            if len(got[0]):
                parts.append((sub.reader(), offset, *got))
        out: Scores = {}
        for offset, found, scores in self._scored(field, text, q.boost, parts):
            pairs = zip((found + offset).tolist(), scores.tolist(), strict=True)
            out.update(pairs if within is None else ((d, v) for d, v in pairs if d in within))
        return out

    def _scored(self, field: str, text: bytes, boost: float, parts: list[tuple[Any, int, np.ndarray, np.ndarray]],
                ) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """(offset, local docnums, scores) of each segment's live postings of one term."""
        if not self.searcher.schema[field].scorable:  # WeightScorer: the weight, times the boost
            yield from ((offset, found, tf * boost) for _, offset, found, tf in parts)
            return
        assert self.stats is not None
        df = sum(len(ids) for _, _, ids, _ in parts)
        self.stats.remember(field, text, df)
        idf, avgfl = self.stats.idf(self.searcher, df), self.stats.avg_length(self.searcher, field)
        weighting = self.searcher.weighting
        b, k1 = weighting._field_B.get(field, weighting.B), weighting.K1
        for reader, offset, found, tf in parts:
            fl = self._length_array(reader, field)[found]
            # whoosh.scoring.bm25 times the boost, the same operations in the same order
            yield offset, found, idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl))) * boost

    def _postings(self, reader: Any, offset: int, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """One segment's live postings of a term: (docnums, frequencies as float64); None if they
        are not W3 blocks. From the segment's arrays (postings.py) when it keeps the term."""
        kept = self.postings.get(offset)
        got = kept.get(field, text) if kept is not None else None
        if got is None:
            if (field, text) not in reader:
                return EMPTY_IDS, EMPTY_WEIGHTS
            got = block_postings(reader.postings(field, text))
            if got is None:
                return None
        found, tf = got
        dead = self._dead(reader)
        if dead is not None:
            live = ~dead[found]
            found, tf = found[live], tf[live]
        return found.astype(np.int64), tf.astype(np.float64)

    def _dead(self, reader: Any) -> np.ndarray | None:
        """The segment's deleted docnums as a bool per docnum; None if it has none."""
        if not reader.has_deletions():
            return None
        key = id(reader)
        if key not in self.dead:
            deleted = reader.deleted_docs_set
            self.dead[key] = np.zeros(reader.doc_count_all(), dtype=bool)
            self.dead[key][np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = True
        return self.dead[key]

    def _fast_lengths(self, m: Any, sub: Any) -> None:
        """Give a term matcher's BM25 scorer the field-length table instead of per-call decoding."""
        while isinstance(m, WrappingMatcher):
            m = m.child
        scorer, term = getattr(m, "scorer", None), getattr(m, "_term", None)
        if isinstance(scorer, BM25FScorer) and isinstance(term, tuple):
            scorer.dfl = self._length_table(sub.reader(), term[0]).__getitem__

    def _length_array(self, reader: Any, fieldname: str) -> np.ndarray:
        """The field-length table as floats (0 for an empty field), for whole posting lists."""
        key = (id(reader), fieldname, "array")
        if key not in self.arrays:
            self.arrays[key] = np.array([v or 0 for v in self._length_table(reader, fieldname)], dtype=np.float64)
        return self.arrays[key]

    def _length_table(self, reader: Any, fieldname: str) -> list[int | None]:
        key = (id(reader), fieldname)
        if key not in self.lengths:
            self.lengths[key] = field_lengths(reader, fieldname)
        return self.lengths[key]


def _term_docs(q: wq.Query, reader: Any, kept: Postings | None = None) -> set[int]:
    """Segment docnums of a term or of every term a prefix, wildcard or range expands to
    (a long posting list from the segment's arrays, postings.py)."""
    if type(q) is wq.Term:
        try:
            texts = [reader.schema[q.fieldname].to_bytes(q.text)] if q.fieldname in reader.schema else []
        except ValueError:
            texts = []
    else:
        texts = list(q._btexts(reader))
    docs: set[int] = set()
    for text in texts:
        got = kept.get(q.fieldname, text) if kept is not None else None
        if got is not None:
            deleted = reader.deleted_docs_set if reader.has_deletions() else ()
            docs.update(set(got[0].tolist()).difference(deleted))
        elif (q.fieldname, text) in reader:
            _add_ids(reader.postings(q.fieldname, text), docs)
    return docs


def _add_ids(m: Any, docs: set[int]) -> None:
    """A posting list's ids, a block at a time (deleted documents left out)."""
    deleted: Collection[int] = ()
    if type(m) is FilterMatcher and m._exclude:
        deleted, m = m._ids, m.child
    if type(m) is not W3LeafMatcher:
        docs.update(d for d in m.all_ids() if d not in deleted)
        return
    found: set[int] = set()
    while m.is_active():
        start = m._i
        if m._ids is None:
            m._read_ids()
        found.update(m._ids[start:])
        m._next_block()
    docs.update(found.difference(deleted))


def _score_at(m: Any, wanted: list[int], offset: int, out: Scores) -> None:
    """Scores of `m` at the wanted segment docnums (ascending) that it matches."""
    for d in wanted:
        if not m.is_active():
            return
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                return
        if m.id() == d:
            out[d + offset] = m.score()


def field_lengths(reader: Any, fieldname: str) -> list[int | None]:
    """reader.doc_field_length(d, fieldname, 1) for every docnum of one segment, read at once."""
    count = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return [1] * count
    stored = column._dbfile.get(column._basepos, column._count) if column._count else b""
    return [LENGTH_OF_BYTE[b] for b in stored] + [None] * (count - len(stored))


def _boosted(out: Scores, boost: float) -> Scores:
    if boost != 1.0:
        for d in out:
            out[d] *= boost
    return out


def ranked(found: Scores, stop: int, prefer: Collection[int] = (),
           order: Mapping[int, int] | None = None) -> list[tuple[int, float]]:
    """The best `stop` (docnum, score), best first; equal scores in `order` (the passages'
    (doc_id, ordinal) order), else in docnum order as Whoosh's unlimited collector sorts them,
    except that docnums in `prefer` (passages dated in a date filter's range themselves) go
    before the others of the same score."""
    tie = order.__getitem__ if order is not None else int
    key = (lambda item: (-item[1], tie(item[0]))) if not prefer else (
        lambda item: (-item[1], item[0] not in prefer, tie(item[0])))
    items: Any = found.items()
    if stop * 4 < len(found):  # the stop-th best score, found in C; then only what can reach the top
        threshold = heapq.nlargest(stop, found.values())[-1] if stop > 0 else float("inf")
        items = [item for item in items if item[1] >= threshold]
    return sorted(items, key=key)[:stop]
