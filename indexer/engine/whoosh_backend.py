"""The embedded backend: a Whoosh index on disk, one generation at a time (engine/backend.py's contract).

`WhooshBackend` opens the live generation once, reopens it when index_dir/CURRENT changes, and
serialises access with a lock (waitress runs several threads; a Whoosh searcher is not shared
safely; the work is pure Python, so the GIL would serialise threads anyway). Everything
per-passage that facets, links and the substring scan need comes from the builder's cache
(opencache.py); relevance-ranked queries are scored with dict operations (fastscore.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh import sorting

from indexer.config import Config
from indexer.engine import fastscore, opencache, store
from indexer.engine.backend import EngineResults, SearchPlan
from indexer.engine.build import BuildReport, build_index
from indexer.engine.compile import Compiled, Compiler, filter_query
from indexer.engine.querytree import DateRange, Node
from indexer.errors import NotFoundError
from indexer.language.charter import tag_order
from indexer.language.expansion import expansion_map
from indexer.language.spans import find_spans, fragment_windows
from indexer.models import Document, Footnote, Hit, Passage, Span

log = logging.getLogger(__name__)
FILTER_CACHE_SIZE = 256
MARKS_CACHE_SIZE = 64
NO_FACETS: tuple[str, list[str], list[str]] = ("", [], [])


class _Generation:
    """One opened index generation and what is read from it once."""

    def __init__(self, index_dir: Path, name: str) -> None:
        self.name = name
        self.ix = store.open_index(index_dir)
        self.searcher = self.ix.searcher()
        self.scorer = fastscore.FastScorer(self.searcher)
        generation = index_dir / name
        self.expansions = expansion_map(store.read_json(generation, store.ABBREVIATIONS_FILE, {}))
        # per passage: facet values and the substring scan; per document: its JSON (built with the index)
        data = opencache.load(Path(self.ix.storage.folder), self.searcher)
        self.facets, self.docs, self.substrings, self.order = data.facets, data.docs, data.substrings, data.order
        self.filter_cache: dict[Node, frozenset[int]] = {}
        self.own_dated_cache: dict[DateRange, frozenset[int]] = {}
        self.marks: dict[Node | None, Compiled] = {}  # query -> what marks() marks
        self._charter_sets: dict[str, frozenset[int]] | None = None
        self.symbol_map = {s: doc_id for doc_id, d in sorted(self.docs.items()) for s in d.get("symbols", [])}

    def allowed(self, filters: Sequence[Node]) -> set[int]:
        """Docnums passing every filter; each filter's set is cached (facet clicks repeat them)."""
        sets = []
        for node in filters:
            if node not in self.filter_cache:
                if len(self.filter_cache) >= FILTER_CACHE_SIZE:
                    self.filter_cache.clear()
                q = filter_query(node, self.searcher)
                self.filter_cache[node] = frozenset(self.scorer.matching_docs(q))
            sets.append(self.filter_cache[node])
        return set(min(sets, key=len)).intersection(*sets)

    def own_dated(self, node: DateRange) -> frozenset[int]:
        """Passages with an event date of their own in the range (the `dates` field also holds the
        document's date, so every passage of a document dated in the range matches the filter).

        A passage whose only date in the range is its document's own date counts as undated."""
        if node not in self.own_dated_cache:
            if len(self.own_dated_cache) >= FILTER_CACHE_SIZE:
                self.own_dated_cache.clear()
            self.own_dated_cache[node] = frozenset(self._own_dated(node))
        return self.own_dated_cache[node]

    def _own_dated(self, node: DateRange) -> set[int]:
        by_date: dict[str, list[str]] = {}
        for doc_id, info in self.docs.items():
            if info.get("doc_date"):
                by_date.setdefault(info["doc_date"], []).append(doc_id)
        out: set[int] = set()
        for _, text in filter_query(node).expanded_terms(self.searcher.reader()):
            date = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            docs = self.scorer.matching_docs(wq.Term("dates", date))
            for doc_id in by_date.get(date, ()):
                docs -= self.scorer.matching_docs(wq.Term("doc_id", doc_id))
            out |= docs
        return out

    def charter_sets(self) -> dict[str, frozenset[int]]:
        """Charter tag -> its passages, read once per generation (a few dozen tags)."""
        if self._charter_sets is None:
            terms = self.searcher.lexicon("charter") if "charter" in self.searcher.schema else []
            tags = [t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in terms]
            self._charter_sets = {t: frozenset(self.scorer.matching_docs(wq.Term("charter", t))) for t in tags}
        return self._charter_sets

    def close(self) -> None:
        self.searcher.close()


class WhooshBackend:
    """engine.backend.Backend on a Whoosh index in `index_dir` (generations, CURRENT, build lock)."""

    def __init__(self, index_dir: Path, config: Config | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.config = config or Config()
        self._lock = threading.RLock()
        self._gen: _Generation | None = None
        self._local = threading.local()  # .gen: the generation this thread's request is pinned to
        self._users: dict[int, int] = {}  # id(generation) -> requests pinned to it

    def build(self, corpus_dir: Path, *, full: bool = False, progress: bool = False,
              workers: int | None = None) -> BuildReport:
        return build_index(corpus_dir, self.index_dir, full=full, progress=progress,
                           workers=workers or self.config.workers)

    def close(self) -> None:
        with self._lock:
            if self._gen is not None and id(self._gen) not in self._users:  # else its last request closes it
                self._gen.close()
            self._gen = None

    @contextlib.contextmanager
    def pinned(self) -> Iterator[str]:
        """This thread's calls answered from one generation until the block ends; yields its name.
        A generation replaced meanwhile is closed when its last pinned request ends."""
        gen = getattr(self._local, "gen", None)
        if gen is not None:  # nested
            yield gen.name
            return
        with self._lock:
            gen = self._current()
            self._users[id(gen)] = self._users.get(id(gen), 0) + 1
        self._local.gen = gen
        try:
            yield gen.name
        finally:
            self._local.gen = None
            with self._lock:
                self._users[id(gen)] -= 1
                if not self._users[id(gen)]:
                    del self._users[id(gen)]
                    if gen is not self._gen:
                        gen.close()

    def _current(self) -> _Generation:
        """The open generation (this thread's pinned one), reopened if CURRENT moved on (caller holds the lock)."""
        pinned = getattr(self._local, "gen", None)
        if pinned is not None:
            return pinned
        name = store.current_generation(self.index_dir).name
        if self._gen is None or self._gen.name != name:
            old, self._gen = self._gen, _Generation(self.index_dir, name)
            if old is not None and id(old) not in self._users:  # else its last pinned request closes it
                old.close()
        return self._gen

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
        with self._lock:
            gen = self._current()
            compiled = Compiler(gen.expansions, gen.searcher, gen.substrings).compile(plan.query)
            compiled.symbols += list(plan.mark_symbols)
            q = compiled.query if plan.query is not None else wq.Every()
            allow = gen.allowed(plan.filters) if plan.filters else None
            if q is None or allow == set():  # every word unmatched, only punctuation, or nothing passes the filters
                return EngineResults(0, (), {"type": {}, "year": {}, "speaker": {}, "charter": {}}, compiled.expansions,
                                     tuple(compiled.unmatched))
            if plan.sort == "relevance":  # every match scored with dict operations (fastscore.py)
                found = gen.scorer.scores(q, allow)
                docnums: Any = found if allow is None else {d: s for d, s in found.items() if d in allow}
                own = [gen.own_dated(f) for f in plan.filters if isinstance(f, DateRange)]
                prefer = own[0].intersection(*own[1:]) if own else frozenset()
                top = fastscore.ranked(docnums, page * per_page, prefer, gen.order)[(page - 1) * per_page :]
                hits = [_hit(gen.searcher.stored_fields(d), s, compiled) for d, s in top]
            else:  # limit=None: every match is collected once, so the total and the facets are exact
                results = gen.searcher.search(q, limit=None, filter=allow, sortedby=sort_facet(plan.sort))
                docnums = results.docs()
                hits = [_hit(r.fields(), r.score, compiled) for r in results[(page - 1) * per_page : page * per_page]]
            facets = facet_counts(gen, docnums)
        return EngineResults(len(docnums), tuple(hits), facets, compiled.expansions, tuple(compiled.unmatched))

    def document(self, doc_id: str) -> Document:
        with self._lock:
            gen = self._current()
            info = gen.docs.get(doc_id)
            if info is None:
                raise NotFoundError(f"没有这个文档 / no document {doc_id!r} in the index")
            results = gen.searcher.search(wq.Term("doc_id", doc_id), limit=None, sortedby="ordinal")
            passages = tuple(stored_passage(r.fields()) for r in results)
        names = {f.name for f in dataclasses.fields(Document)}
        data = {k: v for k, v in info.items() if k in names}
        for key in ("symbols", "references", "warnings"):
            data[key] = tuple(data.get(key) or ())
        return Document(**{**data, "passages": passages})

    def passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        with self._lock:
            searcher = self._current().searcher
            found = (searcher.document(passage_id=pid) for pid in passage_ids)
            return [stored_passage(stored) for stored in found if stored]

    def citing(self, doc_id: str, limit: int = 50) -> list[Hit]:
        with self._lock:
            gen = self._current()
            info = gen.docs.get(doc_id)
            if info is None:
                raise NotFoundError(f"没有这个文档 / no document {doc_id!r} in the index")
            symbols = list(info.get("symbols") or [])
            if not symbols:
                return []
            q = wq.And([wq.Or([wq.Term("refs", s) for s in symbols]), wq.Not(wq.Term("doc_id", doc_id))])
            results = gen.searcher.search(q, limit=limit, sortedby=sort_facet("date"))
            compiled = Compiled(symbols=symbols)
            return [_hit(r.fields(), r.score, compiled) for r in results]

    def symbol_map(self) -> dict[str, str]:
        with self._lock:
            return dict(self._current().symbol_map)

    def document_ids(self) -> list[str]:
        with self._lock:
            return sorted(self._current().docs)

    def marks(self, text: str, query: Node | None) -> tuple[Span, ...]:
        """A document page marks every passage with the same query: it is compiled once and kept."""
        with self._lock:
            gen = self._current()
            compiled = gen.marks.get(query)
            if compiled is None:
                compiled = Compiler(gen.expansions).compile(query)
                if len(gen.marks) >= MARKS_CACHE_SIZE:
                    gen.marks.clear()
                gen.marks[query] = compiled
        return find_spans(text, compiled.needles, compiled.symbols)


def _hit(stored: dict[str, Any], score: float | None, compiled: Compiled) -> Hit:
    meta = stored.get("meta") or {}
    text = stored.get("text", "")
    spans = find_spans(text, compiled.needles, compiled.symbols)
    return Hit(
        passage_id=stored["passage_id"], doc_id=stored["doc_id"], symbols=list(meta.get("symbols", [])),
        title=meta.get("title", ""), doc_type=meta.get("doc_type", ""), doc_date=meta.get("doc_date"),
        dates=list(meta.get("dates", [])), speakers=list(meta.get("speakers", [])),
        heading=meta.get("heading", ""), paragraph=meta.get("paragraph"), text=text,
        spans=spans, fragments=fragment_windows(text, spans), url=f"/doc/{stored['doc_id']}#p{stored['ordinal']}",
        score=round(float(score), 4) if isinstance(score, (int, float)) else 0.0,
        charter=list(meta.get("charter", [])),
    )


def sort_facet(sort: str) -> Any:
    if sort == "relevance":
        return None
    date = sorting.FieldFacet("date_asc") if sort == "date" else sorting.FieldFacet("date_desc", reverse=True)
    return [date, sorting.FieldFacet("doc_id"), sorting.FieldFacet("ordinal")]


def facet_counts(gen: _Generation, docnums: Any) -> dict[str, dict[str, int]]:
    """Hits per type, per year and per speaker; a passage counts in every year its dates touch,
    so a year's count is what the date filter for that year returns."""
    # counted by C loops over the per-passage tuples (a Python loop took 17 ms for 15,000 hits)
    entries = list(map(gen.facets.get, sorted(docnums), repeat(NO_FACETS)))
    types = Counter(map(itemgetter(0), entries))
    years = Counter(chain.from_iterable(map(itemgetter(1), entries)))
    speakers = Counter(chain.from_iterable(map(itemgetter(2), entries)))
    return {
        "type": dict(types.most_common()),
        "year": dict(sorted(years.items())),
        "speaker": dict(speakers.most_common(30)),
        "charter": charter_counts(gen.charter_sets(), docnums),
    }


def charter_counts(sets: dict[str, frozenset[int]], docnums: Any) -> dict[str, int]:
    """Passages per Charter tag among the matches, in Charter order (chapters, then articles)."""
    if not sets:
        return {}
    found = docnums if isinstance(docnums, (set, frozenset)) else set(docnums)
    counts = {tag: len(passages.intersection(found)) for tag, passages in sets.items()}
    return {tag: n for tag, n in sorted(counts.items(), key=lambda kv: tag_order(kv[0])) if n}


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
