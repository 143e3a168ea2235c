"""Spans -> escaped HTML with <mark>: the hit fragments of the search page and the JSON `highlight`.

The engine and the search layer return offsets (models.Span) and fragment windows; this is the one
place, with the terminal printer, that turns them into markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup

from indexer.language.spans import pieces
from indexer.models import Hit, SearchResults, Span


def mark_html(text: str, spans: Iterable[Span], start: int = 0, end: int | None = None) -> str:
    """text[start:end] escaped, with the spans inside it wrapped in <mark>."""
    return "".join(f"<mark>{html.escape(piece, quote=False)}</mark>" if marked else html.escape(piece, quote=False)
                   for piece, marked in pieces(text, spans, start, end))


def fragments_html(text: str, spans: Sequence[Span], windows: Sequence[tuple[int, int]]) -> str:
    """The windows joined by " … ", "…" where text was left out before the first or after the last."""
    if not windows:
        return ""
    parts = [mark_html(text, spans, s, e) for s, e in windows]
    head = "…" if windows[0][0] > 0 else ""
    tail = "…" if windows[-1][1] < len(text.rstrip()) else ""
    return head + " … ".join(parts) + tail


def hit_highlight(hit: Hit) -> Markup:
    """A hit's fragments as markup (a Jinja filter on the search and document pages)."""
    return Markup(fragments_html(hit.text, hit.spans, hit.fragments))


def hit_json(hit: Hit) -> dict[str, Any]:
    """A hit in the API shape: its fields, its spans and fragment windows, and `highlight` (HTML)."""
    data = hit.to_json()
    data["highlight"] = fragments_html(hit.text, hit.spans, hit.fragments)
    return data


def results_json(results: SearchResults) -> dict[str, Any]:
    """`GET /api/search` and `undocs search --json`: SearchResults.to_json() with highlights."""
    data = results.to_json()
    data["hits"] = [hit_json(h) for h in results.hits]
    return data
