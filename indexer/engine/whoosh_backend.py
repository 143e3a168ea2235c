"""The embedded backend: a Whoosh index on disk, one generation at a time (engine/backend.py's contract).

`WhooshBackend` opens the live generation once (generation.py: data shared by every thread, a
Whoosh searcher per thread) and, when index_dir/CURRENT moves on, opens the new one beside it and
switches by one reference swap; searches never wait for each other. Everything per-passage that
facets, sorts, links and substring search need comes from the builder's cache (opencache.py);
relevance-ranked queries are scored with dict operations (fastscore.py). A query's work is bounded
(budget.py): too many terms is a QueryError, and past the deadline the result is flagged partial.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq

from indexer.config import Config
from indexer.engine import fastscore, store
from indexer.engine.backend import EngineResults, LineOrder, Occurrence, Occurrences, SearchPlan
from indexer.engine.budget import Budget
from indexer.engine.build import BuildReport, build_index
from indexer.engine.columns import EXPANDS, Column
from indexer.engine.compile import Compiled, Compiler
from indexer.engine.contexts import fast_order, line_keys
from indexer.engine.generation import Generation
from indexer.engine.marks import compiled_marks, spans_of
from indexer.engine.occurrences import mark_counts
from indexer.engine.querytree import DateRange, Node
from indexer.errors import NotFoundError
from indexer.language.spans import find_spans, fragment_windows
from indexer.models import Document, Footnote, Hit, Passage, Span

log = logging.getLogger(__name__)
EMPTY_FACETS: dict[str, dict[str, int]] = {"type": {}, "year": {}, "speaker": {}, "charter": {}}


class WhooshBackend:
    """engine.backend.Backend on a Whoosh index in `index_dir` (generations, CURRENT, build lock)."""

    def __init__(self, index_dir: Path, config: Config | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.config = config or Config()
        self._gen: Generation | None = None
        self._swap = threading.Lock()  # held while a new generation is opened, never during a search
        self._local = threading.local()  # .gen: the generation this thread's request is pinned to

    def build(self, corpus_dir: Path, *, full: bool = False, progress: bool = False,
              workers: int | None = None) -> BuildReport:
        return build_index(corpus_dir, self.index_dir, full=full, progress=progress,
                           workers=workers or self.config.workers)

    def close(self) -> None:
        with self._swap:
            old, self._gen = self._gen, None
        if old is not None:
            old.retire()

    @contextlib.contextmanager
    def pinned(self) -> Iterator[str]:
        """This thread's calls answered from one generation until the block ends; yields its name.
        A generation replaced meanwhile is closed when its last user is done."""
        with self._using() as gen:
            if getattr(self._local, "gen", None) is not None:  # nested
                yield gen.name
                return
            self._local.gen = gen
            try:
                yield gen.name
            finally:
                self._local.gen = None

    def _current(self) -> Generation:
        """The open generation (this thread's pinned one); a new one is opened beside it once
        CURRENT names another. While one thread opens it, the others go on with the old one."""
        pinned = getattr(self._local, "gen", None)
        if pinned is not None:
            return pinned
        name = store.current_generation(self.index_dir).name
        gen = self._gen
        if gen is not None and gen.name == name:
            return gen
        if gen is not None and not self._swap.acquire(blocking=False):
            return gen  # another thread is opening the new generation
        if gen is None:
            self._swap.acquire()
        try:
            gen = self._gen
            if gen is None or gen.name != name:
                fresh = Generation(self.index_dir, name)
                self._gen = fresh  # the swap: later searches take the new generation
                if gen is not None:
                    gen.retire()
                gen = fresh
            return gen
        finally:
            self._swap.release()

    @contextlib.contextmanager
    def _using(self) -> Iterator[Generation]:
        """The current generation, kept open until the caller is done with it."""
        pinned = getattr(self._local, "gen", None)
        if pinned is not None:  # entered by pinned()
            yield pinned
            return
        gen = self._current()
        while not gen.enter():  # retired between taking it and entering: take the new one
            gen = self._current()
        try:
            yield gen
        finally:
            gen.leave()

    def search(self, plan: SearchPlan) -> EngineResults:
        try:
            return self._search(plan)
        except OSError:  # the generation vanished under an open searcher: reopen once
            if getattr(self._local, "gen", None) is not None:
                raise
            log.warning("index files changed during a search; reopening", exc_info=True)
            self.close()
            return self._search(plan)

    def _search(self, plan: SearchPlan) -> EngineResults:
        page, per_page = plan.page, plan.per_page
        Budget.for_query(plan.query, self.config.query_deadline_ms / 1000)  # too many terms: refused before opening
        with self._using() as gen:
            compiled, match, budget = self._match(gen, plan)
            if match is None:
                return EngineResults(0, (), EMPTY_FACETS, compiled.expansions, tuple(compiled.unmatched),
                                     partial=budget.overrun)
            if plan.sort == "relevance":  # every match scored with numpy (fastscore.py)
                own = [f for f in plan.filters if isinstance(f, DateRange)]
                prefer = gen.own_dated_mask(own) if own else None
                top = fastscore.top(match, page * per_page, gen.keys.tie, prefer)[(page - 1) * per_page :]
            else:  # the date sorts: ranks computed at open from the passages' keys (keys.py)
                page_ids = gen.keys.page(match.ids(), plan.sort, (page - 1) * per_page, page * per_page)
                top = [(d, float(match.score[d])) for d in page_ids]
            searcher = gen.searcher
            hits = [_hit(searcher.stored_fields(d), s, compiled) for d, s in top]
            facets = gen.facet_counts(match.found)
        return EngineResults(match.count, tuple(hits), facets, compiled.expansions, tuple(compiled.unmatched),
                             partial=budget.overrun)

    def _matched(self, gen: Generation, plan: SearchPlan) -> tuple[Compiled, Any, Budget]:
        """(compiled query, docnum -> score of every match or None for none, budget) of a plan."""
        compiled, match, budget = self._match(gen, plan)
        return compiled, (match.as_dict() if match is not None else None), budget

    def _match(self, gen: Generation, plan: SearchPlan) -> tuple[Compiled, fastscore.Match | None, Budget]:
        """(compiled query, every match with its score or None for none, budget) of a plan."""
        budget = Budget.for_query(plan.query, self.config.query_deadline_ms / 1000)  # opening is not the query's time
        compiled = Compiler(gen.expansions, gen.searcher, gen.substrings, budget).compile(plan.query)
        compiled.symbols += list(plan.mark_symbols)
        budget.check_clauses(compiled.query)
        q = compiled.query if plan.query is not None else wq.Every()
        allow = gen.allowed(plan.filters) if plan.filters else None
        if q is None or (allow is not None and not allow.any()):  # every word unmatched, only punctuation, or
            return compiled, None, budget  # nothing passes the filters
        if plan.query is None and allow is not None:  # filters only: Every's score
            match = fastscore.Match(allow, np.where(allow, 1.0, 0.0))
        else:
            match = self._matches(gen, q, allow, budget)
        return compiled, match, budget

    def occurrences(self, plan: SearchPlan) -> Occurrences:
        """Counted from the substring postings (engine/occurrences.py); texts read only where they cannot say."""
        with self._using() as gen:
            compiled, docnums, budget = self._matched(gen, plan)
            if not docnums:
                return Occurrences((), partial=budget.overrun)
            found = np.fromiter(docnums, dtype=np.int64, count=len(docnums))
            found = found[np.argsort(gen.keys.asc[found], kind="stable")]
            searcher = gen.searcher

            def exact(docnum: int) -> int:
                text = searcher.stored_fields(docnum).get("text", "")
                return sum(1 for s in find_spans(text, compiled.needles, compiled.symbols) if s.end > s.start)

            expands = np.array(_values(gen.joined.columns["expands"], found)) == EXPANDS
            counts = mark_counts(found, compiled, gen.substrings, expands, exact)
            rows = zip(*(_values(gen.joined.columns[n], found) for n in ("doc_id", "date", "type")),
                       gen.joined.ordinal[found].tolist(), counts.tolist(), strict=True)
            passages = tuple(Occurrence(f"{doc_id}-p{ordinal}", doc_id, ordinal, date, kind, count)
                             for doc_id, date, kind, ordinal, count in rows)
        return Occurrences(passages, partial=budget.overrun)

    def context_order(self, plan: SearchPlan, side: str, width: int) -> LineOrder:
        """Keys cut from the generation's text table where the postings place the marks (contexts.py)."""
        with self._using() as gen:
            compiled, docnums, budget = self._matched(gen, plan)
            if not docnums:
                return LineOrder((), (), (), partial=budget.overrun)
            found = np.fromiter(docnums, dtype=np.int64, count=len(docnums))
            doc_ids = gen.joined.columns["doc_id"]  # one value per live passage; codes in sorted order
            ordinals = gen.joined.ordinal[found]
            rank = np.empty(len(found), dtype=np.int64)
            rank[np.lexsort((ordinals, doc_ids.ids[doc_ids.ptr[found]]))] = np.arange(len(found))
            expands = np.array(_values(gen.joined.columns["expands"], found)) == EXPANDS
            searcher = gen.searcher

            def read(docnum: int) -> list[tuple[str, str, str]]:
                text = searcher.stored_fields(docnum).get("text", "")
                return line_keys(text, find_spans(text, compiled.needles, compiled.symbols), width)

            slots, nth = fast_order(found, compiled, gen.substrings, expands, gen.text_table(), side, width, read, rank)
            used, which = np.unique(slots, return_inverse=True)
            ids = _values(doc_ids, found[used])
            passages = tuple(f"{doc_id}-p{n}" for doc_id, n in zip(ids, ordinals[used].tolist(), strict=True))
        return LineOrder(passages, tuple(which.tolist()), tuple(nth.tolist()), partial=budget.overrun)

    def hits_for(self, plan: SearchPlan, passage_ids: Sequence[str]) -> list[Hit]:
        with self._using() as gen:
            compiled, docnums, _ = self._matched(gen, plan)
            if not docnums:
                return []
            searcher = gen.searcher
            by_id = self._docnums(gen, docnums, passage_ids)
            return [_hit(searcher.stored_fields(by_id[pid]), 0.0, compiled, fragments=False)
                    for pid in passage_ids if pid in by_id]

    @staticmethod
    def _docnums(gen: Generation, docnums: dict[int, float], passage_ids: Sequence[str]) -> dict[str, int]:
        """passage id -> docnum of those among the matches, found by (doc_id code, ordinal) in the
        columns (numpy: a page of a concordance of 16,000 passages in about a millisecond)."""
        column = gen.joined.columns["doc_id"]  # one value per live passage; values sorted
        found = np.fromiter(docnums, dtype=np.int64, count=len(docnums))
        keys = column.ids[column.ptr[found]].astype(np.int64) * 2**32 + gen.joined.ordinal[found]
        by_key = np.argsort(keys)
        keys = keys[by_key]
        wanted = {pid: _passage_key(column.values, pid) for pid in passage_ids}
        asked = np.fromiter(wanted.values(), dtype=np.int64, count=len(wanted))
        at = np.minimum(np.searchsorted(keys, asked), len(keys) - 1)
        return {pid: int(found[by_key[i]]) for pid, i, ok in zip(wanted, at.tolist(), (keys[at] == asked).tolist(),
                                                                  strict=True) if ok}

    @staticmethod
    def _matches(gen: Generation, q: wq.Query, allow: np.ndarray | None, budget: Budget) -> fastscore.Match:
        """Every match passing the filters with its score (fastscore.py, within the budget)."""
        scorer = gen.scorer
        scorer.budget = budget
        try:
            found = scorer.match(q, allow)
        finally:
            scorer.budget = None
        if allow is None:
            return found
        kept = found.found & allow
        return fastscore.Match(kept, np.where(kept, found.score, 0.0))

    def document(self, doc_id: str) -> Document:
        with self._using() as gen:
            info = gen.docs.get(doc_id)
            if info is None:
                raise NotFoundError(f"没有这个文档 / no document {doc_id!r} in the index")
            results = gen.searcher.search(wq.Term("doc_id", doc_id), limit=None)
            passages = tuple(sorted((stored_passage(r.fields()) for r in results), key=lambda p: p.ordinal))
        names = {f.name for f in dataclasses.fields(Document)}
        data = {k: v for k, v in info.items() if k in names}
        for key in ("symbols", "references", "warnings"):
            data[key] = tuple(data.get(key) or ())
        return Document(**{**data, "passages": passages})

    def passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        with self._using() as gen:
            found = (gen.searcher.document(passage_id=pid) for pid in passage_ids)
            return [stored_passage(stored) for stored in found if stored]

    def citing(self, doc_id: str, limit: int = 50) -> list[Hit]:
        with self._using() as gen:
            info = gen.docs.get(doc_id)
            if info is None:
                raise NotFoundError(f"没有这个文档 / no document {doc_id!r} in the index")
            symbols = list(info.get("symbols") or [])
            if not symbols:
                return []
            q = wq.And([wq.Or([wq.Term("refs", s) for s in symbols]), wq.Not(wq.Term("doc_id", doc_id))])
            docnums = gen.scorer.matching_docs(q)
            compiled = Compiled(symbols=symbols)
            searcher = gen.searcher
            return [_hit(searcher.stored_fields(d), 0.0, compiled) for d in gen.keys.page(docnums, "-date", 0, limit)]

    def symbol_map(self) -> dict[str, str]:
        with self._using() as gen:
            return dict(gen.symbol_map)

    def document_ids(self) -> list[str]:
        with self._using() as gen:
            return sorted(gen.docs)

    def marks(self, text: str, query: Node | None) -> tuple[Span, ...]:
        """A document page marks every passage with the same query: it is compiled once and kept."""
        with self._using() as gen:
            compiled = compiled_marks(gen.marks, query, lambda q: Compiler(gen.expansions).compile(q))
        return spans_of(text, compiled)


def _passage_key(doc_ids: list[str], passage_id: str) -> int:
    """(doc_id code, ordinal) of "<doc_id>-p<ordinal>" as one number; -1 for an id the index lacks."""
    doc_id, _, ordinal = passage_id.rpartition("-p")
    code = bisect_left(doc_ids, doc_id)
    if not ordinal.isdigit() or code == len(doc_ids) or doc_ids[code] != doc_id:
        return -1
    return code * 2**32 + int(ordinal)


def _values(column: Column, docnums: np.ndarray) -> list[str]:
    """The single value of each docnum in a one-value column ("" for none)."""
    present = column.ptr[docnums + 1] > column.ptr[docnums]
    codes = np.where(present, column.ids[np.minimum(column.ptr[docnums], max(len(column.ids) - 1, 0))], -1)
    values = column.values
    return [values[c] if c >= 0 else "" for c in codes.tolist()]


def _hit(stored: dict[str, Any], score: float | None, compiled: Compiled, *, fragments: bool = True) -> Hit:
    meta = stored.get("meta") or {}
    text = stored.get("text", "")
    spans = find_spans(text, compiled.needles, compiled.symbols)
    return Hit(
        passage_id=stored["passage_id"], doc_id=stored["doc_id"], symbols=list(meta.get("symbols", [])),
        title=meta.get("title", ""), doc_type=meta.get("doc_type", ""), doc_date=meta.get("doc_date"),
        dates=list(meta.get("dates", [])), speakers=list(meta.get("speakers", [])),
        heading=meta.get("heading", ""), paragraph=meta.get("paragraph"), text=text,
        spans=spans, fragments=fragment_windows(text, spans) if fragments else (), url=f"/doc/{stored['doc_id']}#p{stored['ordinal']}",
        score=round(float(score), 4) if isinstance(score, (int, float)) else 0.0,
        charter=list(meta.get("charter", [])),
    )


def stored_passage(stored: dict[str, Any]) -> Passage:
    meta = stored.get("meta") or {}
    return Passage(
        passage_id=stored["passage_id"], doc_id=stored["doc_id"], ordinal=stored["ordinal"], text=stored.get("text", ""),
        paragraph=meta.get("paragraph"), heading=meta.get("heading", ""), span=tuple(meta.get("span") or (0, 0)),
        footnotes=tuple(Footnote(m, t, o) for m, t, o in meta.get("footnotes", [])),
        dates=tuple(meta.get("dates", [])), speakers=tuple(meta.get("speakers", [])),
        references=tuple(meta.get("references", [])), kind=meta.get("kind", "text"),
        charter=tuple(meta.get("charter", [])),
    )
