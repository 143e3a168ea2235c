"""The document page's marks: every passage is marked with the same query, so the query is compiled
once (with the index's expansions, by the backend's own compiler) and kept; shared by the backends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from indexer.engine.querytree import Node
from indexer.language.spans import find_spans
from indexer.models import Span

MARKS_CACHE_SIZE = 64  # queries kept per generation (or per catalogue)


def compiled_marks(cache: dict[Node | None, Any], query: Node | None, compile_query: Callable[[Node | None], Any]) -> Any:
    """The query compiled for marking (needles, symbols), from `cache` or compiled now and kept there."""
    compiled = cache.get(query)
    if compiled is None:
        compiled = compile_query(query)
        if len(cache) >= MARKS_CACHE_SIZE:
            cache.clear()
        cache[query] = compiled
    return compiled


def spans_of(text: str, compiled: Any) -> tuple[Span, ...]:
    """Where the compiled query's needles and symbols occur in `text`."""
    return find_spans(text, compiled.needles, compiled.symbols)
