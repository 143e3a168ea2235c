"""Score a compiled query with numpy arrays instead of Whoosh's per-document matcher tree.

Why: with `limit=None` Whoosh's collector walks a tree of Python matchers for every matching
passage (~10 µs each), and dicts of docnum -> score cost ~1 µs per passage and operation: a common
word at ×1000 matches 100,000+ passages. Here every clause's matches are a `Match`: a bool and a
score per docnum (0.0 where it does not match), so unions, intersections and optional boosts are a
few vectorised operations over the generation's docnums, whatever the number of matches. The
scores equal Whoosh's: a union or intersection adds its children's scores in the same order,
AndMaybe adds the optional part where it matches, a boost multiplies, Not inside an And scores 1.0
(Whoosh's InverseMatcher), ConstantScoreQuery scores its constant. A plain term is scored from its
postings with numpy (termscore.py); any other leaf (prefixes, ranges, a term of a few wanted
passages) by its own Whoosh matcher with the same statistics (the searcher's weighting is
livestats.LiveBM25F) and the same field-length table.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.matching import WrappingMatcher
from whoosh.scoring import BM25FScorer

from indexer.engine.budget import Budget
from indexer.engine.compile import DocSetQuery
from indexer.engine.livestats import LiveStats
from indexer.engine.postings import Postings
from indexer.engine.ranking import Match, Scores, ranked, top
from indexer.engine.termscore import EMPTY_IDS, EMPTY_WEIGHTS, TermReader, field_lengths

__all__ = ["FastScorer", "Match", "field_lengths", "ranked", "top"]

SKIP_RATIO = 8  # fewer wanted docs than 1/8 of a segment: skip_to each, else walk the postings
TERM_CACHE_ENTRIES = 1_000_000  # (docnum, score) pairs of recent plain terms kept (16 bytes each)
NOT_SCORE = 1.0  # whoosh.matching.InverseMatcher's default weight


class FastScorer:
    """Scores queries on one open searcher; keeps its field-length tables and recent terms' scores."""

    def __init__(self, searcher: Any, postings: Mapping[int, Postings] | None = None) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.stats: LiveStats | None = getattr(searcher.weighting, "stats", None)  # livestats.LiveBM25F's
        self.reader = TermReader(searcher, postings or {}, self.stats)
        self.terms: dict[tuple[str, Any, float], tuple[np.ndarray, np.ndarray]] = {}  # every match of a term
        self.filter_terms: dict[tuple[int, str, bytes], np.ndarray] = {}  # (segment, term) -> docnums
        self.filter_size = 0  # docnums in filter_terms
        self.budget: Budget | None = None  # the running search's: past its deadline, OR stops adding
        self._live: np.ndarray | None = None

    def scores(self, q: wq.Query, within: Collection[int] | None = None) -> Scores:
        """Global docnum -> score of every passage `q` matches, as `searcher.search` scores it
        (`within`: only these docnums are needed, others may be left out)."""
        return self.match(q, None if within is None else self.mask(within)).as_dict()

    def mask(self, docnums: Collection[int] | np.ndarray) -> np.ndarray:
        """A bool per docnum, true at the given ones."""
        out = np.zeros(self.size, dtype=bool)
        ids = docnums if isinstance(docnums, np.ndarray) else np.fromiter(docnums, dtype=np.int64, count=len(docnums))
        out[ids] = True
        return out

    def match(self, q: wq.Query, within: np.ndarray | None = None) -> Match:
        """Every passage `q` matches with its score. `within` (a bool per docnum): only those are
        needed; Whoosh matchers are scored only there, as Whoosh's AndMaybe scores its optional
        part only where the required part matches. The arrays are new: the caller may change them."""
        if isinstance(q, DocSetQuery):
            ids, weights = q.arrays()
            return self._sparse(ids, weights * q.boost if q.boost != 1.0 else weights)
        if type(q) in (wq.Or, wq.And) and q.subqueries:
            out = self._compound(q, within)
            if q.boost != 1.0:
                np.multiply(out.score, q.boost, out=out.score)
            return out
        if type(q) is wq.AndMaybe:
            return self._and_maybe(q, within)
        if type(q) is wq.ConstantScoreQuery:
            return _constant(self.matching(q.child), q.score)
        if type(q) is wq.Every and q.fieldname is None:
            return _constant(self.live().copy(), q.boost)
        if type(q) is wq.Not:
            return _constant(self.live() & ~self.matching(q.query), NOT_SCORE)
        return self._leaf(q, within)

    def _and_maybe(self, q: wq.AndMaybe, within: np.ndarray | None) -> Match:
        out = self.match(q.a, within)
        found, score = out.found, out.score
        if within is not None:
            found &= within
            score *= within
        extra = self.match(q.b, found)
        more = extra.score
        more *= found  # added where both match: elsewhere the score + 0.0, unchanged
        score += more
        return out

    def _compound(self, q: wq.Query, within: np.ndarray | None) -> Match:
        """Or adds its parts' scores; And adds them where all match (0.0 elsewhere), in the order
        of the parts' sizes, and 1.0 for each Not it passes, as Whoosh's matchers add them."""
        subs = list(q.subqueries)
        if len(subs) == 1:
            return self.match(subs[0], within)
        if type(q) is wq.Or:
            out = self.match(subs[0], within)
            found, score = out.found, out.score
            for sub in subs[1:]:
                if self.budget is not None and self.budget.expired():
                    break  # a subset of the matches, flagged partial by the caller
                part = self.match(sub, within)
                found |= part.found
                score += part.score
            return out
        positive = [s for s in subs if not isinstance(s, wq.Not)]
        if not positive:  # only NOTs: left to Whoosh
            return self._leaf(q, within)
        parts = sorted((self.match(s, within) for s in positive), key=lambda m: m.count)
        out = parts[0]
        found, score = out.found, out.score
        for part in parts[1:]:
            found &= part.found
            score += part.score
            score *= found
        for neg in (s for s in subs if isinstance(s, wq.Not)):
            found &= ~self.matching(neg.query)
            score += NOT_SCORE
            score *= found
        return out

    def matching(self, q: wq.Query) -> np.ndarray:
        """A bool per docnum: the passages `q` matches, unscored (filters and exclusions)."""
        if type(q) is wq.Or:
            out = np.zeros(self.size, dtype=bool)
            for sub in q.subqueries:
                out |= self.matching(sub)
            return out
        return self.mask(self.docnums(q))

    def docnums(self, q: wq.Query) -> np.ndarray:
        """The docnums `q` matches, unscored, ascending (terms from their postings)."""
        if isinstance(q, DocSetQuery):
            return q.arrays()[0]
        if type(q) is wq.Or:
            return np.flatnonzero(self.matching(q))
        if type(q) not in (wq.Term, wq.Prefix, wq.Wildcard, wq.TermRange):
            return np.array(sorted(self.searcher.docs_for_query(q)), dtype=np.int64)
        parts = []
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            for text in self.reader.texts(q, reader, offset):
                got = self._term_docnums(reader, offset, q.fieldname, text)
                if got is None:
                    return np.array(sorted(self.searcher.docs_for_query(q)), dtype=np.int64)
                parts.append(got)
        if type(q) is wq.Term:  # one list per segment, segments in docnum order: already ascending
            return np.concatenate(parts) if parts else EMPTY_IDS
        return np.flatnonzero(self.mask(np.concatenate(parts))) if parts else EMPTY_IDS  # terms overlap

    def _term_docnums(self, reader: Any, offset: int, field: str, text: bytes) -> np.ndarray | None:
        """A term's live global docnums in one segment, kept for the next filters (a date range and
        its passages dated by themselves read the same date terms)."""
        key = (offset, field, text)
        found = self.filter_terms.get(key)
        if found is None:
            got = self.reader.live_postings(reader, offset, field, text)
            if got is None:
                return None
            if self.filter_size + len(got[0]) > TERM_CACHE_ENTRIES:
                self.filter_terms.clear()
                self.filter_size = 0
            found = self.filter_terms[key] = got[0] + offset
            self.filter_size += len(found)
        return found

    def expanded(self, q: wq.Query) -> list[str]:
        """The terms of every segment a term, prefix, wildcard or range stands for, sorted."""
        found: set[bytes] = set()
        for sub, offset in self.searcher.leaf_searchers():
            found.update(self.reader.texts(q, sub.reader(), offset))
        return [t.decode("utf-8") for t in sorted(found)]

    def matching_docs(self, q: wq.Query) -> set[int]:
        """The docnums `q` matches, unscored, as a set."""
        return set(self.docnums(q).tolist())

    def live(self) -> np.ndarray:
        if self._live is None:
            self._live = self.reader.live()
        return self._live

    def _sparse(self, ids: np.ndarray, scores: np.ndarray) -> Match:
        found, score = np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float64)
        found[ids] = True
        score[ids] = scores
        return Match(found, score)

    def _leaf(self, q: wq.Query, within: np.ndarray | None) -> Match:
        """A plain term's scores are kept (title/heading boosts repeat the same words); any
        other query is scored by its Whoosh matcher in each segment."""
        if type(q) is not wq.Term:
            return self._matched(q, within)
        key = (q.fieldname, q.text, q.boost)
        full = self.terms.get(key)
        if full is None:
            full = self._term(q)
            if full is None:
                return self._matched(q, within)
            if sum(len(ids) for ids, _ in self.terms.values()) + len(full[0]) > TERM_CACHE_ENTRIES:
                self.terms.clear()
            self.terms[key] = full
        return self._sparse(*full)

    def _term(self, q: wq.Term) -> tuple[np.ndarray, np.ndarray] | None:
        """(docnums, scores) of a plain term from its postings; None: leave it to Whoosh."""
        schema = self.searcher.schema
        if q.fieldname not in schema:
            return None
        try:
            text = schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return EMPTY_IDS, EMPTY_WEIGHTS  # Whoosh's Term.matcher: a NullMatcher
        return self.reader.scored(q.fieldname, text, q.boost)

    def _matched(self, q: wq.Query, within: np.ndarray | None) -> Match:
        out: Scores = {}
        context = self.searcher.context()
        wanted_all = None if within is None else np.flatnonzero(within)
        for sub, offset in self.searcher.leaf_searchers():
            m = q.matcher(sub, context)
            self._fast_lengths(m, sub)
            size = sub.reader().doc_count_all()
            if wanted_all is not None and len(wanted_all) * SKIP_RATIO < size:  # few wanted: skip to each
                local = wanted_all[(wanted_all >= offset) & (wanted_all < offset + size)] - offset
                _score_at(m, local.tolist(), offset, out)
                continue
            while m.is_active():
                d = m.id() + offset
                if within is None or within[d]:
                    out[d] = m.score()
                m.next()
        ids = np.fromiter(out, dtype=np.int64, count=len(out))
        return self._sparse(ids, np.fromiter(out.values(), dtype=np.float64, count=len(out)))

    def _fast_lengths(self, m: Any, sub: Any) -> None:
        """Give a term matcher's BM25 scorer the field-length table instead of per-call decoding."""
        while isinstance(m, WrappingMatcher):
            m = m.child
        scorer, term = getattr(m, "scorer", None), getattr(m, "_term", None)
        if isinstance(scorer, BM25FScorer) and isinstance(term, tuple):
            scorer.dfl = self.reader.length_table(sub.reader(), term[0]).__getitem__


def _constant(found: np.ndarray, score: float) -> Match:
    """Every passage of `found` with the same score."""
    out = found.astype(np.float64)
    out *= score
    return Match(found, out)


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
