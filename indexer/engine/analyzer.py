"""The analyser, to Whoosh's tokenizer contract (the "text", "title" and "heading" fields).

Words come from language.normalize.segment (symbols whole, Latin runs whole plus their parts, jieba
words). The contract is that of Whoosh's `RegexTokenizer.__call__`: one Token object reused,
positions are ordinals, chars are offsets into the original text, `t.stopped = False` before each
yield. Picklable (Whoosh's multiprocessing writer pickles the schema).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer

from indexer.language.normalize import normalize, normalize_with_offsets, segment_for_index


class WordTokenizer(Tokenizer):
    """Symbols, Latin runs and jieba words of the normalised text; offsets into the original."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = normalize(value)
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        norm, starts, ends = normalize_with_offsets(value) if chars else (normalize(value), [], [])
        words = segment_for_index(norm)
        for pos, (text, start, end) in enumerate(words):
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + starts[start]
                t.endchar = start_char + ends[end - 1]
            yield t


def word_analyzer() -> WordTokenizer:
    return WordTokenizer()
