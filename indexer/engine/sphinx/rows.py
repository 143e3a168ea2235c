"""Document -> the rows a shard stores: one per passage (index `passages`), one per document (`docs`).

Passage rows carry full-text fields (pre-segmented words, single characters, symbols, references,
title, heading, type and speakers as tokens) and attributes for filters, facets and sorting
(doc_type string; symbol, reference, speaker and date keys as multi-value attributes; years; sort
dates), plus the passage text and what a hit shows (`meta`, JSON) so a result renders from the
row alone. The document row holds the document's metadata for document pages and the catalogue.
Rows carry the build generation that wrote them (`born`) and the one that retired them (`dead`):
a reader asks for the rows live in one generation, so a build never shows half-done.
"""

from __future__ import annotations

import json
from typing import Any

from indexer.engine.sphinx.tokens import (
    ALL_TOKEN,
    LEAD_TOKEN,
    date_low,
    date_tokens,
    doc_token,
    encode,
    facet_key,
    key,
    pairs,
    symbol_prefixes,
    units,
    words,
)
from indexer.language.charter import index_terms
from indexer.language.normalize import normalize
from indexer.models import Document, Passage

ORDINAL_BITS = 20  # passage id = document number << 20 | ordinal + 1
MAX_PASSAGES = (1 << ORDINAL_BITS) - 1
NO_DATE_ASC = 99999999  # sorts last by date ascending
NO_DATE_DESC = 0  # sorts last by date descending

PASSAGE_FIELDS = ("text", "chars", "pairs", "title", "heading", "symbols", "symprefixes", "refs", "refprefixes",
                  "doctype", "speakers", "charter", "each")
PASSAGE_ATTRS = (("passage_id", "string"), ("doc_id", "string"), ("ordinal", "uint"), ("doc_type", "string"),
                 ("symkeys", "multi_64"), ("refkeys", "multi_64"), ("speakerkeys", "multi_64"), ("charterkeys", "multi_64"),
                 ("datekeys", "multi"), ("years", "multi"), ("facetkeys", "multi_64"), ("date_asc", "uint"), ("date_desc", "uint"),
                 ("body", "string"), ("meta", "string"), ("born", "uint"), ("dead", "uint"))
DOC_FIELDS = ("each",)
DOC_ATTRS = (("doc_id", "string"), ("passages", "uint"), ("info", "string"), ("born", "uint"), ("dead", "uint"))
STAMP_ID = 1  # the docs row on the first node that changes with every build (catalogue freshness)
FIRST_DOCNUM = 2


def passage_id_number(docnum: int, ordinal: int) -> int:
    return (docnum << ORDINAL_BITS) | (ordinal + 1)


def sort_date(doc: Document, passage: Passage) -> str | None:
    """The date a passage sorts by: the document's date, else its first event date."""
    return doc.doc_date or (sorted(passage.dates)[0] if passage.dates else None)


def symbol_keys(symbols: Any) -> tuple[int, ...]:
    """Keys of each symbol and of each of its prefixes: a symbol: filter is one key lookup."""
    return tuple(sorted({key(form) for s in symbols for form in (s, *symbol_prefixes(s))}))


def facet_keys(doc_type: str, years: tuple[int, ...], speakers: list[str], charter: Any) -> tuple[int, ...]:
    """Every facet value of a passage in one attribute: one GROUP BY counts all four facets."""
    found = {facet_key("type", doc_type), *years, *(facet_key("speaker", s) for s in speakers),
             *(facet_key("charter", t) for t in charter)}
    return tuple(sorted(found))


def passage_row(doc: Document, passage: Passage, docnum: int, generation: int) -> dict[str, Any]:
    """The row of one passage, visible from `generation` on (until a later build retires it)."""
    date = sort_date(doc, passage)
    dates = [d for d in (*passage.dates, doc.doc_date) if d]
    chars = units(passage.text)
    meta = {
        "symbols": list(doc.symbols), "title": doc.title, "doc_type": doc.doc_type, "doc_date": doc.doc_date,
        "dates": list(passage.dates), "speakers": list(passage.speakers), "heading": passage.heading,
        "paragraph": passage.paragraph, "references": list(passage.references),
        "footnotes": [[f.marker, f.text, f.offset] for f in passage.footnotes], "span": list(passage.span),
        "kind": passage.kind, "charter": list(passage.charter),
    }
    datekeys = tuple(sorted({date_low(d) for d in dates}))
    years = tuple(sorted({int(d[:4]) for d in dates if d[:4].isdigit()}))
    each = [ALL_TOKEN, doc_token(doc.doc_id)] + ([LEAD_TOKEN] if passage.ordinal == 0 else [])
    each += [t for k in datekeys for t in date_tokens(k)]
    speakers = sorted({normalize(s) for s in passage.speakers})
    charter = index_terms(passage.charter)
    return {
        "id": passage_id_number(docnum, passage.ordinal),
        "text": " ".join(words(passage.text)), "chars": " ".join(chars), "pairs": " ".join(pairs(chars)),
        "title": " ".join(words(doc.title)), "heading": " ".join(words(passage.heading)),
        "symbols": " ".join(encode(s) for s in doc.symbols),
        "symprefixes": " ".join(encode(p) for s in doc.symbols for p in symbol_prefixes(s)),
        "refs": " ".join(encode(s) for s in passage.references),
        "refprefixes": " ".join(encode(p) for s in passage.references for p in symbol_prefixes(s)),
        "doctype": encode(doc.doc_type), "speakers": " ".join(encode(normalize(s)) for s in passage.speakers),
        "charter": " ".join(encode(t) for t in index_terms(passage.charter)), "each": " ".join(each),
        "passage_id": passage.passage_id, "doc_id": doc.doc_id, "ordinal": passage.ordinal,
        "doc_type": doc.doc_type, "symkeys": symbol_keys(doc.symbols), "refkeys": symbol_keys(passage.references),
        "speakerkeys": tuple(sorted({key(s) for s in speakers})),
        "charterkeys": tuple(sorted({key(t) for t in charter})),
        "datekeys": datekeys, "years": years,
        "facetkeys": facet_keys(doc.doc_type, years, speakers, charter),
        "date_asc": date_low(date) if date else NO_DATE_ASC, "date_desc": date_low(date) if date else NO_DATE_DESC,
        "body": passage.text, "meta": json.dumps(meta, ensure_ascii=False), "born": generation, "dead": 0,
    }


def doc_row(doc: Document, docnum: int, generation: int) -> dict[str, Any]:
    """The row of one document: its metadata (as `undocs inspect --json`, without passages) and
    its speakers (the catalogue turns speaker keys back into names)."""
    info = doc.meta_json()
    info["speakers"] = sorted({s for p in doc.passages for s in p.speakers})
    info["charter_terms"] = sorted({t for p in doc.passages for t in index_terms(p.charter)})
    return {"id": docnum, "each": doc_token(doc.doc_id), "doc_id": doc.doc_id, "passages": len(doc.passages),
            "info": json.dumps(info, ensure_ascii=False), "born": generation, "dead": 0}


def rows_of(doc: Document, docnum: int, generation: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every passage row and the document row."""
    return [passage_row(doc, p, docnum, generation) for p in doc.passages], doc_row(doc, docnum, generation)


def live(generation: int) -> str:
    """The SELECT column that says whether a row belongs to the index as `generation` published it
    (filter with `live = 1`): written by it or before, and not retired by it or before."""
    g = int(generation)
    return f"IF(born <= {g} AND (dead = 0 OR dead > {g}), 1, 0) AS live"
