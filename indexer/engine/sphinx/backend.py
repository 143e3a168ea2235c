"""The distributed backend: engine.backend.Backend over searchd nodes speaking SphinxQL.

Sphinx 2.2 here, Manticore in production (same SphinxQL, same distributed indexes). Writes are
routed to shards (build.py); reads go to an aggregating node (nodes.py). Relevance is Sphinx's
(BM25 and field weights on the project's own words), with what the embedded backend guarantees made
explicit: typed forms before abbreviation expansions (two tiers), a symbol query's own document
first, equal scores in (doc_id, ordinal) order. Highlight spans come from the stored passage text
(language.spans.find_spans), exactly as in the embedded backend.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from indexer.config import Config
from indexer.engine.backend import (
    ALL_MATCHES,
    EngineResults,
    LineOrder,
    Occurrences,
    SearchPlan,
    date_order,
    occurrence_of,
)
from indexer.engine.build import BuildReport
from indexer.engine.contexts import keyed_order
from indexer.engine.marks import compiled_marks, spans_of
from indexer.engine.querytree import Node
from indexer.engine.sphinx import catalog as catalogue
from indexer.engine.sphinx.build import build_shards
from indexer.engine.sphinx.cluster import NODES_FILE, cluster_dir
from indexer.engine.sphinx.compile import Compiled, Compiler, same_weight, split
from indexer.engine.sphinx.conf import PASSAGES_ALL
from indexer.engine.sphinx.nodes import Nodes, parse_nodes
from indexer.engine.sphinx.search import SearchQuery, hit_of, passage_of, probe_statements, run_search
from indexer.engine.sphinx.tokens import doc_token, encode
from indexer.errors import IndexMissingError, NodeDownError, NotFoundError
from indexer.models import Document, Hit, Passage, Span

log = logging.getLogger(__name__)
DEFAULT_NODES = "127.0.0.1:9306,127.0.0.1:9316"
STAMP_CHECK_S = 1.0
EVERY_MATCH_KEPT = 2  # searches of every match kept: a concordance asks occurrences, context_order, hits_for of one plan
EVERY_MATCH_SECONDS = 10.0  # for this long at most (and per generation), so a node back up is soon seen


def configured_nodes(index_dir: Path) -> str:
    """UNDOCS_SPHINX_NODES, else the nodes `undocs cluster start` started for this index, else the default."""
    value = os.environ.get("UNDOCS_SPHINX_NODES", "").strip()
    if value:
        return value
    started = cluster_dir(index_dir) / NODES_FILE
    return started.read_text(encoding="utf-8").strip() if started.is_file() else DEFAULT_NODES


def unknown(doc_id: str, cat: catalogue.Catalog) -> NotFoundError | NodeDownError:
    """A document not in the catalogue: not in the index, or perhaps on a node that is down (503,
    not 404: it may come back)."""
    if cat.warnings:
        return NodeDownError(f"文档 {doc_id!r} 不在可用的检索节点上 / no document {doc_id!r} on the nodes that answer "
                             f"({'; '.join(cat.warnings)})")
    return NotFoundError(f"没有这个文档 / no document {doc_id!r} in the index")


class SphinxBackend:
    """engine.backend.Backend on searchd nodes; `nodes` "host:port,…" (SphinxQL), the first aggregates."""

    def __init__(self, index_dir: Path, config: Config | None = None, nodes: str | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.config = config or Config()
        self.nodes = Nodes(parse_nodes(nodes or configured_nodes(self.index_dir)))
        self._lock = threading.Lock()
        self._catalog: catalogue.Catalog | None = None
        self._checked = 0.0
        self._marks: dict[Node | None, Compiled] = {}
        self._pins = threading.local()
        self._every: dict[tuple[int, SearchPlan], tuple[float, EngineResults]] = {}
        self._every_lock = threading.Lock()  # guards _every only, never a search

    def build(self, corpus_dir: Path, *, full: bool = False, progress: bool = False,
              workers: int | None = None) -> BuildReport:
        try:
            return build_shards(self.nodes, self.index_dir, corpus_dir, full=full, progress=progress,
                                workers=workers or self.config.workers)
        finally:
            self._checked = 0.0  # the next read reloads the catalogue

    @contextlib.contextmanager
    def pinned(self) -> Iterator[str]:
        """This thread's calls see one build generation (its catalogue and its rows) until the block
        ends; yields its name. Rows retired meanwhile stay until two builds later."""
        held = getattr(self._pins, "catalog", None)
        if held is not None:  # nested
            yield f"g{held.generation}"
            return
        self._pins.catalog = self.catalog()
        try:
            yield f"g{self._pins.catalog.generation}"
        finally:
            self._pins.catalog = None

    def catalog(self) -> catalogue.Catalog:
        """The documents' catalogue, reloaded when a build has changed the stamp (checked each second);
        this thread's pinned one inside `pinned()`."""
        held = getattr(self._pins, "catalog", None)
        if held is not None:
            return held
        with self._lock:
            now = time.monotonic()
            if self._catalog is not None and now - self._checked < STAMP_CHECK_S:
                return self._catalog
            stamp, warnings = catalogue.read_stamp(self.nodes)
            if stamp is None and not warnings:
                raise IndexMissingError(self.nodes.label(0), "the search nodes hold no undocs index")
            if self._catalog is None or stamp != self._catalog.stamp or self._catalog.warnings != warnings:
                self._catalog = catalogue.load(self.nodes, stamp or "")
                self._marks.clear()
            self._checked = now
            return self._catalog

    def search(self, plan: SearchPlan) -> EngineResults:
        """Compiled as if every word, phrase and expansion matches (but those this generation is
        known to lack), and asked in one batch with the probes that say so; only if one does not is
        it remembered, compiled again without it and asked again."""
        cat = self.catalog()
        asked = self._asked(plan.query, cat)
        page = split(plan.filters, cat.speakers_like, same_weight)
        facets = split(plan.filters, cat.speakers_like, lambda node: True)
        known: dict[str, bool] = {}
        if page is not None and facets is not None:
            guess = self._compiled(plan, cat, lambda expr: expr not in cat.absent)
            if guess.full is not None or plan.query is None:
                probes = [expr for expr in asked if expr not in cat.absent]
                found, known = run_search(self.nodes, SearchQuery(plan, guess, page, facets, cat.live), cat, probes)
                if found is not None:
                    return self._results(found, guess, list(cat.warnings))
                cat.remember_absent(expr for expr, hit in known.items() if not hit)
        warnings: list[str] = []
        known.update(self._probe_exprs([expr for expr in asked if expr not in known], cat.live, warnings))

        def matches(expr: str) -> bool:  # an expansion dropped changes its word's expression: ask again
            if expr not in known:
                known.update(self._probe_exprs([expr], cat.live, warnings))
            return known[expr]

        compiled = self._compiled(plan, cat, matches)
        warnings = [*cat.warnings, *warnings]
        if (plan.query is not None and compiled.full is None) or page is None or facets is None:
            empty = EngineResults(0, (), {"type": {}, "year": {}, "speaker": {}, "charter": {}})
            return self._results(empty, compiled, warnings)
        found, _ = run_search(self.nodes, SearchQuery(plan, compiled, page, facets, cat.live), cat)
        assert found is not None  # no probes asked
        return self._results(found, compiled, warnings)

    @staticmethod
    def _compiled(plan: SearchPlan, cat: catalogue.Catalog, matches: Callable[[str], bool]) -> Compiled:
        compiled = Compiler(cat.expansions, matches).compile(plan.query)
        compiled.symbols += list(plan.mark_symbols)
        return compiled

    @staticmethod
    def _results(found: EngineResults, compiled: Compiled, warnings: list[str]) -> EngineResults:
        return dataclasses.replace(found, expansions=compiled.expansions, unmatched=tuple(compiled.unmatched),
                                   warnings=tuple(dict.fromkeys([*warnings, *found.warnings])))

    def occurrences(self, plan: SearchPlan) -> Occurrences:
        """Derived from one search of every match (correct, not fast)."""
        found = self._every_match(plan)
        return Occurrences(date_order(tuple(map(occurrence_of, found.hits))), found.warnings, found.partial)

    def hits_for(self, plan: SearchPlan, passage_ids: Sequence[str]) -> list[Hit]:
        """Picked from one search of every match (correct, not fast)."""
        by_id = {h.passage_id: h for h in self._every_match(plan).hits}
        return [dataclasses.replace(by_id[pid], score=0.0, fragments=()) for pid in passage_ids if pid in by_id]

    def context_order(self, plan: SearchPlan, side: str, width: int) -> LineOrder:
        """Keyed from the texts of one search of every match (correct, not fast)."""
        found = self._every_match(plan)
        return LineOrder.of(keyed_order(found.hits, side, width), found.warnings, found.partial)

    def _every_match(self, plan: SearchPlan) -> EngineResults:
        """One search of every match of the plan, kept a few seconds per generation: the calls a
        concordance page makes of one plan fetch and scan the passages once, not three times."""
        whole = dataclasses.replace(plan, sort="relevance", page=1, per_page=ALL_MATCHES)
        key = (self.catalog().generation, whole)
        with self._every_lock:
            kept = self._every.get(key)
        if kept is not None and time.monotonic() - kept[0] < EVERY_MATCH_SECONDS:
            return kept[1]
        found = self.search(whole)
        with self._every_lock:
            self._every = {k: v for k, v in self._every.items() if k[0] == key[0] and k != key}
            while len(self._every) >= EVERY_MATCH_KEPT:
                self._every.pop(min(self._every, key=lambda k: self._every[k][0]))
            self._every[key] = (time.monotonic(), found)
        return found

    @staticmethod
    def _asked(query: Node | None, cat: catalogue.Catalog) -> list[str]:
        """The expressions of the query's words, phrases, symbols and expansions whose matching
        anything the compiler asks (it drops those that do not, as the embedded one does)."""
        asked: list[str] = []

        def ask(expr: str) -> bool:
            asked.append(expr)
            return expr not in cat.absent

        Compiler(cat.expansions, ask).compile(query)
        return list(dict.fromkeys(asked))

    def _probe_exprs(self, exprs: list[str], live: catalogue.Live, warnings: list[str]) -> dict[str, bool]:
        if not exprs:
            return {}
        answer = self.nodes.read(*probe_statements(exprs, live))
        warnings.extend(answer.warnings)
        return {expr: bool(rows) for expr, rows in zip(exprs, answer.sets, strict=True)}

    def document(self, doc_id: str) -> Document:
        cat = self.catalog()
        info = cat.docs.get(doc_id)
        if info is None:
            raise unknown(doc_id, cat)
        passages = self._passages_of([doc_id])
        if len(passages) < int(info.get("passage_count", 0)):
            raise NodeDownError(f"the search node holding {doc_id!r} does not answer")
        names = {f.name for f in dataclasses.fields(Document)}
        data = {k: v for k, v in info.items() if k in names}
        for name in ("symbols", "references", "warnings"):
            data[name] = tuple(data.get(name) or ())
        return Document(**{**data, "passages": tuple(sorted(passages, key=lambda p: p.ordinal))})

    def _passages_of(self, doc_ids: Sequence[str], limit: int = 100_000) -> list[Passage]:
        ids = list(dict.fromkeys(doc_ids))
        if not ids:
            return []
        expr = " | ".join(f"(@each {doc_token(d)})" for d in ids)
        rows = self.catalog().live
        answer = self.nodes.read(f"SELECT passage_id, doc_id, ordinal, body, meta{rows.column} "
                                 f"FROM {PASSAGES_ALL} WHERE MATCH(%s) AND {rows.where} ORDER BY doc_id ASC, ordinal ASC "
                                 f"LIMIT {limit} OPTION max_matches={limit}", (expr,))
        return [passage_of(row) for row in answer.rows]

    def passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        found = {p.passage_id: p for p in self._passages_of([pid.rpartition("-p")[0] for pid in passage_ids])}
        return [found[pid] for pid in passage_ids if pid in found]

    def citing(self, doc_id: str, limit: int = 50) -> list[Hit]:
        cat = self.catalog()
        info = cat.docs.get(doc_id)
        if info is None:
            raise unknown(doc_id, cat)
        symbols = list(info.get("symbols") or [])
        if not symbols:
            return []
        expr = f"(@refs ({' | '.join(encode(s) for s in symbols)})) -(@each {doc_token(doc_id)})"
        answer = self.nodes.read(f"SELECT passage_id, doc_id, ordinal, body, meta, WEIGHT(){cat.live.column} "
                                 f"FROM {PASSAGES_ALL} WHERE MATCH(%s) AND {cat.live.where} ORDER BY date_desc DESC, doc_id ASC, ordinal ASC "
                                 f"LIMIT {int(limit)} OPTION max_matches={max(int(limit), 1)}", (expr,))
        return [hit_of(row, Compiled(symbols=symbols)) for row in answer.rows]

    def symbol_map(self) -> dict[str, str]:
        return dict(self.catalog().symbol_map)

    def document_ids(self) -> list[str]:
        return sorted(self.catalog().docs)

    def marks(self, text: str, query: Node | None) -> tuple[Span, ...]:
        """A document page marks every passage with the same query: it is compiled once and kept."""
        cat = self.catalog()
        with self._lock:
            compiled = compiled_marks(self._marks, query, lambda q: Compiler(cat.expansions).compile(q))
        return spans_of(text, compiled)

    def close(self) -> None:
        self.nodes.close()

