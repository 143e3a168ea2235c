"""raw text -> CleanText. PLACEHOLDER: split on blank lines (the ingest helper replaces this)."""

from __future__ import annotations

from indexer.models import CleanText, Paragraph, RawText


def clean(raw: RawText) -> CleanText:
    paragraphs = [" ".join(chunk.split()) for chunk in raw.text.split("\n\n")]
    return CleanText(paragraphs=tuple(Paragraph(text=p) for p in paragraphs if p))
