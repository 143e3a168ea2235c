"""Peer: tantivy (the `tantivy` PyPI wheel) over jieba tokens, whitespace tokenizer + lowercase.

The tokens field has positions (phrases) and is stored (snippets); type, year, speakers and
symbols are raw-tokenized fields (type and year fast, for the facet aggregation), the date an
indexed fast integer (ranges and sorts). A query: the top 10 by BM25 (or by the date fast field)
with a snippet each, the count, and one terms aggregation over type and year for the facets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from peerquery import Filters, PeerQuery

TOKENIZER = "jieba_tokens"
FACETS = {"type": {"terms": {"field": "doc_type"}}, "year": {"terms": {"field": "year"}}}


def unavailable() -> str | None:
    """Why this peer cannot run here, or None."""
    try:
        import tantivy  # noqa: F401
    except ImportError as exc:
        return f"the tantivy wheel is not installed ({exc}); pip install -e '.[bench]'"
    return None


def _schema() -> Any:
    import tantivy

    b = tantivy.SchemaBuilder()
    b.add_text_field("text", stored=True, tokenizer_name=TOKENIZER, index_option="position")
    b.add_text_field("passage_id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in ("doc_type", "year"):
        b.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in ("speakers", "symbols"):
        b.add_text_field(name, tokenizer_name="raw", index_option="basic")
    b.add_integer_field("date", indexed=True, fast=True)
    return b.build()


def _open(folder: Path, create: bool) -> Any:
    import tantivy

    index = tantivy.Index(_schema(), path=str(folder), reuse=not create)
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.lowercase()).build()
    index.register_tokenizer(TOKENIZER, analyzer)
    return index


def build(rows: Iterator[dict[str, Any]], folder: Path) -> int:
    """Index every row with one writer (tantivy's own threads), commit, wait for merges."""
    import tantivy

    folder.mkdir(parents=True, exist_ok=True)
    index = _open(folder, create=True)
    writer = index.writer()
    count = 0
    for row in rows:
        count += 1
        fields: dict[str, Any] = {"text": row["tokens"], "passage_id": row["passage_id"], "doc_type": row["doc_type"],
                                  "year": row["year"] or "", "speakers": row["speakers"], "symbols": row["symbols"]}
        if row["date"] is not None:
            fields["date"] = row["date"]
        writer.add_document(tantivy.Document(**fields))
    writer.commit()
    writer.wait_merging_threads()
    return count


def open_runner(folder: Path) -> Any:
    """A function answering one PeerQuery: total, facets and 10 hits with snippets."""
    import tantivy

    index = _open(folder, create=False)
    index.reload()
    searcher, schema = index.searcher(), index.schema

    def run(query: PeerQuery) -> int:
        q = to_query(query, schema)
        sort: dict[str, Any] = {}
        if query.sort in ("date", "-date"):
            sort = {"order_by_field": "date",
                    "order": tantivy.Order.Asc if query.sort == "date" else tantivy.Order.Desc}
        result = searcher.search(q, limit=10, count=True, **sort)
        snippets = None if query.match_all else tantivy.SnippetGenerator.create(searcher, q, schema, "text")
        for _, address in result.hits:
            doc = searcher.doc(address)
            shown = snippets.snippet_from_doc(doc).to_html() if snippets else doc["text"][0][:120]
            assert shown or not snippets
        searcher.aggregate(q, FACETS)
        return result.count

    return run


def to_query(query: PeerQuery, schema: Any) -> Any:
    """The tantivy Query: phrase groups (should within, must between), NOT phrases, filters scoring 0."""
    from tantivy import Occur, Query

    def phrase(tokens: tuple[str, ...]) -> Any:
        return Query.term_query(schema, "text", tokens[0]) if len(tokens) == 1 else (
            Query.phrase_query(schema, "text", list(tokens)))

    clauses = []
    for group in query.must:
        subs = [phrase(p) for p in group]
        clauses.append((Occur.Must, subs[0] if len(subs) == 1 else Query.boolean_query(
            [(Occur.Should, s) for s in subs])))
    clauses += [(Occur.MustNot, phrase(p)) for p in query.must_not]
    clauses += [(Occur.Must, Query.const_score_query(f, 0.0)) for f in _filters(query.filters, schema)]
    if query.match_all:
        clauses.append((Occur.Must, Query.all_query()))
    return Query.boolean_query(clauses)


def _filters(f: Filters, schema: Any) -> list[Any]:
    from tantivy import FieldType, Query

    out = []
    if f.doc_type:
        out.append(Query.term_query(schema, "doc_type", f.doc_type))
    if f.speaker:
        out.append(Query.term_query(schema, "speakers", f.speaker))
    if f.symbol_prefix:
        out.append(Query.regex_query(schema, "symbols", re.escape(f.symbol_prefix) + ".*"))
    if f.date_from is not None or f.date_to is not None:
        low = f.date_from if f.date_from is not None else 0
        high = f.date_to if f.date_to is not None else 99_999_999
        out.append(Query.range_query(schema, "date", FieldType.Integer, low, high))
    return out
