"""The Whoosh schema: one Whoosh document per passage.

Everything a hit shows is stored with the passage (`meta`), so results render without opening the
source; the first passage of each document also carries the document's metadata (`doc_json`), so a
document page can be rebuilt from the index alone. Searchable fields:

* text     jieba words + whole symbols (WordTokenizer), no positions (exact substrings and phrases
           are found by engine/substring.py's bigram postings, written beside each segment)
* title, heading   jieba words, for boosts
* symbols  the document's own symbols, refs the symbols a passage cites (normalised, exact/prefix)
* doc_type, speakers, dates (ISO strings at their precision; range filters compare them as text)
"""

from __future__ import annotations

import json
from typing import Any

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from indexer.engine.analyzer import WordTokenizer
from indexer.language.charter import index_terms
from indexer.language.normalize import normalize
from indexer.models import Document, Passage

REPEATED = frozenset({"title", "heading"})  # the same value on many passages: segmented once (segments.py)


def make_schema() -> Schema:
    """The index layout (module-level analyser classes: the schema must pickle)."""
    return Schema(
        passage_id=ID(stored=True, unique=True),
        doc_id=ID(stored=True),
        ordinal=STORED(),  # a document's passages are put in order from it (no index, no column: sorts use keys.py)
        lead=ID(),  # "1" on a document's first passage: a symbol query shows the document first
        symbols=KEYWORD(commas=True, scorable=False),
        refs=KEYWORD(commas=True, scorable=False),
        charter=KEYWORD(commas=True, scorable=False),  # "VIII", "39", "2(7)" and "2" (language/charter.py)
        doc_type=ID(),
        speakers=KEYWORD(commas=True, scorable=False),
        dates=KEYWORD(commas=True, scorable=False),
        text=TEXT(analyzer=WordTokenizer(), phrase=False, stored=True),
        title=TEXT(analyzer=WordTokenizer(), phrase=False),
        heading=TEXT(analyzer=WordTokenizer(), phrase=False),
        meta=STORED(),
        doc_json=STORED(),
    )


def _keywords(values: Any) -> str:
    """KEYWORD(commas=True) values: commas inside a value would split it."""
    return ",".join(v.replace(",", " ").strip() for v in values if v and v.strip())


def sort_date(doc: Document, passage: Passage) -> str | None:
    """The date a passage sorts and facets by: the document's date, else its first event date."""
    return doc.doc_date or (sorted(passage.dates)[0] if passage.dates else None)


def passage_fields(doc: Document, passage: Passage) -> dict[str, Any]:
    """The Whoosh fields of one passage (called by the builder for every passage)."""
    date = sort_date(doc, passage)
    meta = {
        "symbols": list(doc.symbols),
        "title": doc.title,
        "doc_type": doc.doc_type,
        "doc_date": doc.doc_date,
        "dates": list(passage.dates),
        "speakers": list(passage.speakers),
        "heading": passage.heading,
        "paragraph": passage.paragraph,
        "references": list(passage.references),
        "footnotes": [[f.marker, f.text, f.offset] for f in passage.footnotes],
        "span": list(passage.span),
        "kind": passage.kind,
        "charter": list(passage.charter),
        "year": date[:4] if date else None,
    }
    fields: dict[str, Any] = {
        "passage_id": passage.passage_id,
        "doc_id": doc.doc_id,
        "ordinal": passage.ordinal,
        "symbols": _keywords(doc.symbols),
        "refs": _keywords(passage.references),
        "charter": _keywords(index_terms(passage.charter)),
        "doc_type": doc.doc_type,
        "speakers": _keywords(normalize(s) for s in passage.speakers),
        "dates": _keywords([*passage.dates, doc.doc_date or ""]),
        "text": passage.text,
        "title": doc.title,
        "heading": passage.heading,
        "meta": meta,
    }
    if passage.ordinal == 0:
        fields["lead"] = "1"
        doc_meta = doc.meta_json()
        fields["doc_json"] = json.dumps(doc_meta, ensure_ascii=False)
    return fields
