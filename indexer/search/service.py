"""SearchRequest -> SearchResults: the query language on top of the engine seam.

`SearchService` parses the query (query.py), validates the request, splits the query into what
to rank and what to filter (top-level field and date terms), hands a SearchPlan to the configured
backend (engine.open_backend) and returns its page as SearchResults. It is what the CLI and the web
UI talk to; it knows nothing of how a backend indexes or scores.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from indexer.config import Config
from indexer.engine import open_backend
from indexer.engine.backend import SORTS, Backend, EngineResults, SearchPlan
from indexer.engine.querytree import And, DateRange, Field, Node
from indexer.errors import QueryError
from indexer.models import Document, Hit, SearchRequest, SearchResults, Span
from indexer.search.query import field_node, has_terms, parse, parse_date_filter

MAX_PER_PAGE = 5000  # the web UI clamps to Config.max_per_page itself


class SearchService:
    """The search API shared by the CLI and the web UI, over one Backend."""

    def __init__(self, index_dir: Path | None = None, config: Config | None = None,
                 backend: Backend | None = None) -> None:
        self.config = config or Config()
        self.backend = backend or open_backend(self.config, Path(index_dir) if index_dir else None)

    def close(self) -> None:
        """Close the open index files (tests and long-lived servers that swap indexes)."""
        self.backend.close()

    def __enter__(self) -> SearchService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pinned(self) -> AbstractContextManager[str]:
        """Every call inside the block answered from one index generation (a whole page); its name."""
        return self.backend.pinned()

    def search(self, request: SearchRequest) -> SearchResults:
        """Parse, filter, rank, page, facet and mark; QueryError for bad input."""
        started = time.perf_counter()
        plan = self.plan(request)
        found = self.backend.search(plan)
        return results(request, plan, found, (time.perf_counter() - started) * 1000)

    def plan(self, request: SearchRequest) -> SearchPlan:
        """The request as a SearchPlan; QueryError with a message for what to change."""
        node, filters = split_filters(parse(request.q or "", self.config.max_query_chars))
        filters += request_filters(request)
        if node is not None and not has_terms(node):
            if not filters:
                raise QueryError("没有可检索的词（只有标点或通配符） / nothing to search for (only punctuation or wildcards)")
            node = None  # "* date:2020" or "*" with a type filter: everything the filters let through
        if node is None and not filters:
            raise QueryError("请输入检索词 / empty query")
        if request.sort not in SORTS:
            raise QueryError(f"未知的排序 {request.sort} / unknown sort {request.sort!r} (use {', '.join(SORTS)})")
        marks = tuple(f.value for f in filters if isinstance(f, Field) and f.name in ("symbol", "ref"))
        return SearchPlan(query=node, filters=tuple(filters), sort=request.sort, page=max(1, request.page),
                          per_page=max(1, min(request.per_page, MAX_PER_PAGE)), mark_symbols=marks)

    def get_document(self, doc_id: str) -> Document:
        """The document with all its passages in order."""
        return self.backend.document(doc_id)

    def cited_by(self, doc_id: str, limit: int = 50) -> list[Hit]:
        """Passages in other documents whose references include this document's symbols."""
        return self.backend.citing(doc_id, limit)

    def symbol_map(self) -> dict[str, str]:
        """Normalised symbol -> doc_id for the documents in the corpus."""
        return self.backend.symbol_map()

    def doc_ids(self) -> list[str]:
        """Every document in the index, sorted."""
        return self.backend.document_ids()

    def marks(self, text: str, q: str) -> Sequence[Span]:
        """Where the query's terms occur in `text` (the document page); a bad query marks nothing."""
        try:
            node = parse(q, self.config.max_query_chars)
        except QueryError:
            return ()
        return self.backend.marks(text, node)


def results(request: SearchRequest, plan: SearchPlan, found: EngineResults, took_ms: float) -> SearchResults:
    return SearchResults(
        query=request.q, total=found.total, page=plan.page, per_page=plan.per_page, expansions=found.expansions,
        facets=found.facets, hits=list(found.hits), unmatched=list(found.unmatched), took_ms=took_ms,
        warnings=list(found.warnings),
        partial=found.partial,
    )


def split_filters(node: Node | None) -> tuple[Node | None, list[Node]]:
    """Top-level field/date terms of the query become filters (docnum sets); the rest is ranked."""
    children = list(node.children) if isinstance(node, And) else [node] if node is not None else []
    filters = [c for c in children if isinstance(c, DateRange) or (isinstance(c, Field) and c.name != "title")]
    rest = [c for c in children if c not in filters]
    return (None if not rest else rest[0] if len(rest) == 1 else And(tuple(rest))), filters


def request_filters(request: SearchRequest) -> list[Node]:
    """The request's filter fields (CLI options / web form), validated: QueryError if malformed."""
    nodes: list[Node] = []
    for name, value in (("type", request.doc_type), ("speaker", request.speaker), ("symbol", request.symbol)):
        if value is not None and value.strip():
            nodes.append(field_node(name, value.strip()))
    start = (request.date_from or "").strip() or "*"
    end = (request.date_to or "").strip() or "*"
    if start != "*" or end != "*":
        nodes.append(parse_date_filter(f"[{start} TO {end}]"))
    return nodes


def search(index_dir: Path, request: SearchRequest) -> SearchResults:
    """One search with its own service, closed afterwards (the CLI's entry point)."""
    with SearchService(Path(index_dir)) as service:
        return service.search(request)
