"""HTML pages: the search page `/` and the document page `/doc/<doc_id>`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup

from indexer.errors import QueryError
from indexer.language.doctypes import DOC_TYPES
from indexer.language.symbols import normalize_symbol
from indexer.models import Span
from indexer.search.citation import gbt7714, paragraph_citation, permalink
from webui import get_config, get_engine
from webui.pages import Count, SearchPage, build_search_page, charter_links
from webui.params import current_args, is_active, parse_search_args
from webui.present import language_name, make_linker, official_url, present_document, symbol_link, with_query

bp = Blueprint("views", __name__)

DOC_ID_RE = re.compile(r"^[\w.~-]{1,200}$")  # ids keep letters of any script (pipeline.doc_id_for)


def doc_types() -> list[str]:
    """The canonical (Chinese) document types for the filter menu."""
    return list(DOC_TYPES)


def _render_search(page: SearchPage, status: int = 200) -> tuple[str, int]:
    return render_template("search.html", page=page, doc_types=doc_types()), status


@bp.get("/")
def search_page() -> tuple[str, int]:
    args = current_args(request.args)
    try:
        search_request = parse_search_args(request.args, get_config())
    except QueryError as exc:
        return _render_search(SearchPage(args=args, request=None, error=str(exc)), 400)
    if not is_active(search_request):
        return _render_search(SearchPage(args=args, request=search_request))
    try:
        results = get_engine().search(search_request)
    except QueryError as exc:
        return _render_search(SearchPage(args=args, request=search_request, error=str(exc)), 400)
    return _render_search(build_search_page(args, search_request, results, _counter(get_engine()),
                                            request.url_root))


def _counter(engine: Any) -> Count:
    """How many results other search parameters find: suggestions are tried before they are offered."""

    def count(args: Mapping[str, str]) -> int:
        try:
            return engine.search(replace(parse_search_args(args, get_config()), page=1, per_page=1)).total
        except QueryError:
            return 0

    return count


def _highlighter(engine: Any, q: str) -> Callable[[str], Sequence[Span]]:
    """Where the query's terms occur in a text; a query that cannot be parsed marks nothing."""

    def highlight(text: str) -> Sequence[Span]:
        try:
            return engine.marks(text, q)
        except QueryError:
            return ()

    return highlight


SYMBOL_FIELD_RE = re.compile(r"^\s*(?:symbol|文号)\s*[:：]", re.IGNORECASE)


def match_note(q: str, matched: int, symbols: Sequence[str]) -> str:
    """The line above a document's passages: how many are marked, or why none is (its own symbol)."""
    if matched:
        return f"“{q}”：{matched} 个段落有匹配（已标出）"
    own = {normalize_symbol(s) for s in symbols}
    if normalize_symbol(SYMBOL_FIELD_RE.sub("", q)) in own:
        return f"“{q}”是本文件的文号"
    return f"“{q}”：正文中没有可标出的词"


@bp.get("/doc/<path:doc_id>")
def document_page(doc_id: str) -> str:
    if not DOC_ID_RE.match(doc_id):
        abort(404)
    q = (request.args.get("q") or "").strip()
    if len(q) > get_config().max_query_chars:
        q = ""  # a link from a hit never carries an over-long query; do not mark anything
    engine = get_engine()
    doc = engine.get_document(doc_id)
    linker = make_linker(engine.symbol_map(), doc.doc_id)
    highlighter = _highlighter(engine, q) if q else None
    passages = present_document(doc, linker, highlighter)
    cited_by = [(hit, hit.url) for hit in engine.cited_by(doc.doc_id)]
    cites = [paragraph_citation(doc.symbols, doc.title, p.paragraph, permalink(request.url_root, doc.doc_id, p.ordinal))
             for p in doc.passages]
    reference = gbt7714(doc.symbols, doc.title, doc.doc_type, doc.doc_date,
                        permalink(request.url_root, doc.doc_id), dt.date.today())
    return render_template(
        "doc.html",
        doc=doc,
        q=q,
        passages=passages,
        match_note=match_note(q, sum(p.matched for p in passages), doc.symbols),
        official=[(s, official_url(s)) for s in doc.symbols],
        original_language=language_name(doc.original_language),
        references=[symbol_link(s, linker) for s in doc.references],
        cited_by=cited_by,
        back_url=with_query("/", q) if q else None,
        sep=Markup("、"),
        cites=cites,
        charters=[charter_links(list(p.charter)) for p in doc.passages],
        reference=reference,
    )
