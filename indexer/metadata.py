"""Document and passage metadata. PLACEHOLDER (the metadata helper replaces this)."""

from __future__ import annotations

from indexer.models import Block, CleanText, Document, Passage, RawText
from indexer.symbols import find_symbols


def describe(raw: RawText, clean_text: CleanText, blocks: list[Block], doc_text: str, doc_id: str, source: str) -> Document:
    """Attach document metadata (header, sidecar) and per-passage metadata to the blocks."""
    passages = tuple(
        Passage(
            passage_id=f"{doc_id}-p{i}", doc_id=doc_id, ordinal=i, text=b.text, paragraph=b.paragraph,
            heading=b.heading, span=b.span, footnotes=b.footnotes,
            references=tuple(dict.fromkeys(s for _, _, s in find_symbols(b.text))), kind=b.kind,
        )
        for i, b in enumerate(blocks)
    )
    symbols = tuple(dict.fromkeys(s for _, _, s in find_symbols(raw.text[:400])))
    return Document(
        doc_id=doc_id, source=source, encoding=raw.encoding, symbols=symbols, title=blocks[0].text[:60] if blocks else "",
        doc_type="其他", doc_date=None, passages=passages, text=doc_text,
    )
