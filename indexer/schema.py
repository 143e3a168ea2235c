"""The Whoosh schema: one Whoosh document per passage. PLACEHOLDER (the search helper replaces this)."""

from __future__ import annotations

import json
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.models import Document, Passage


def make_schema() -> Schema:
    return Schema(
        passage_id=ID(stored=True, unique=True),
        doc_id=ID(stored=True),
        ordinal=NUMERIC(stored=True, sortable=True),
        symbols=KEYWORD(stored=True, commas=True),
        doc_type=ID(stored=True),
        text=TEXT(stored=True),
        doc_json=STORED(),
    )


def passage_fields(doc: Document, passage: Passage) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "passage_id": passage.passage_id,
        "doc_id": doc.doc_id,
        "ordinal": passage.ordinal,
        "symbols": ",".join(doc.symbols),
        "doc_type": doc.doc_type,
        "text": passage.text,
    }
    if passage.ordinal == 0:
        fields["doc_json"] = json.dumps({k: v for k, v in doc.to_json().items() if k != "passages"}, ensure_ascii=False)
    return fields
