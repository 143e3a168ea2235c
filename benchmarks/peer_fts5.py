"""Peer: SQLite FTS5 (stdlib sqlite3) over jieba tokens, unicode61 on the space-joined tokens.

One FTS5 table holds the tokens (its content, for snippet()), a plain table the metadata with
indexes on type and date. A query: the top 10 by bm25 (or ORDER BY date) with a snippet each,
then one GROUP BY for the facet counts (type and year) and the total.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from peerquery import Filters, PeerQuery, Phrase

SCHEMA = (
    "CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='unicode61')",
    "CREATE TABLE meta (id INTEGER PRIMARY KEY, passage_id TEXT, doc_type TEXT, date INTEGER, year TEXT,"
    " speakers TEXT, symbols TEXT)",
)
INDEXES = ("CREATE INDEX meta_type ON meta(doc_type)", "CREATE INDEX meta_date ON meta(date)")


def build(rows: Iterator[dict[str, Any]], folder: Path) -> int:
    """Write the database in folder/fts5.db in one transaction, then merge FTS5's segments."""
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "fts5.db")
    db.execute("PRAGMA journal_mode=OFF")
    for statement in SCHEMA:
        db.execute(statement)
    count = 0
    with db:
        for count, row in enumerate(rows, 1):
            db.execute("INSERT INTO fts(rowid, text) VALUES (?, ?)", (count, row["tokens"]))
            db.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?)", (
                count, row["passage_id"], row["doc_type"], row["date"], row["year"],
                "," + ",".join(row["speakers"]) + ",", "," + ",".join(row["symbols"]) + ","))
    with db:
        for statement in INDEXES:
            db.execute(statement)
        db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    db.close()
    return count


def open_runner(folder: Path) -> Any:
    """A function answering one PeerQuery: total, facets and 10 hits with snippets."""
    db = sqlite3.connect(folder / "fts5.db", check_same_thread=False)

    def run(query: PeerQuery) -> int:
        where, args = _where(query)
        if query.match_all:
            source, text, counted = "meta JOIN fts ON fts.rowid = meta.id", "substr(fts.text, 1, 120)", "meta"
        else:
            source = counted = "fts JOIN meta ON meta.id = fts.rowid"
            text = "snippet(fts, 0, '<mark>', '</mark>', '…', 24)"
        order = {"date": "meta.date ASC", "-date": "meta.date DESC"}.get(
            query.sort, "meta.id" if query.match_all else "fts.rank")
        hits = db.execute(f"SELECT meta.passage_id, {text} FROM {source} WHERE {where} ORDER BY {order} LIMIT 10",
                          args).fetchall()
        facets = db.execute(f"SELECT meta.doc_type, meta.year, count(*) FROM {counted} WHERE {where}"
                            " GROUP BY meta.doc_type, meta.year", args).fetchall()
        assert all(snippet for _, snippet in hits)
        return sum(n for *_, n in facets)

    return run


def _where(query: PeerQuery) -> tuple[str, list[Any]]:
    """The WHERE clause: an FTS5 MATCH expression (unless match-all) and the filters."""
    clauses, args = ["1"], []
    if not query.match_all:
        clauses.append("fts MATCH ?")
        args.append(match_expression(query))
    for clause, value in _filter_clauses(query.filters):
        clauses.append(clause)
        args.append(value)
    return " AND ".join(clauses), args


def match_expression(query: PeerQuery) -> str:
    """FTS5 query syntax: groups ANDed, phrases within a group ORed, NOT phrases appended."""
    expr = " AND ".join("(" + " OR ".join(map(_phrase, group)) + ")" for group in query.must)
    for phrase in query.must_not:
        expr += f" NOT {_phrase(phrase)}"
    return expr


def _phrase(phrase: Phrase) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in phrase) + '"'


def _filter_clauses(f: Filters) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    if f.doc_type:
        out.append(("meta.doc_type = ?", f.doc_type))
    if f.speaker:
        out.append(("meta.speakers LIKE ?", f"%,{f.speaker},%"))
    if f.symbol_prefix:
        out.append(("meta.symbols LIKE ?", f"%,{f.symbol_prefix}%"))
    if f.date_from is not None:
        out.append(("meta.date >= ?", f.date_from))
    if f.date_to is not None:
        out.append(("meta.date <= ?", f.date_to))
    return out

