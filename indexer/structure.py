"""CleanText -> Blocks (passages before metadata). PLACEHOLDER: one block per paragraph."""

from __future__ import annotations

from indexer.models import Block, CleanText


def structure(clean_text: CleanText) -> tuple[list[Block], str]:
    """Return the blocks and the cleaned document text their spans point into."""
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0
    for para in clean_text.paragraphs:
        blocks.append(Block(text=para.text, paragraph=None, heading="", span=(offset, offset + len(para.text))))
        parts.append(para.text)
        offset += len(para.text) + 2
    return blocks, "\n\n".join(parts)
