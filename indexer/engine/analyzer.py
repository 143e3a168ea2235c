"""The analyser, to Whoosh's tokenizer contract (the "text", "title" and "heading" fields).

Words come from language.normalize.segment (symbols whole, Latin runs whole plus their parts, jieba
words). The contract is that of Whoosh's `RegexTokenizer.__call__`: one Token object reused,
positions are ordinals, chars are offsets into the original text, `t.stopped = False` before each
yield. Picklable (Whoosh's multiprocessing writer pickles the schema).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.formats import Frequency

from indexer.language.normalize import normalize, normalize_with_offsets, segment, segment_for_index


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


def counts_words(field: Any) -> bool:
    """Is this a WordTokenizer field with Whoosh's Frequency format (what `word_counts` stands in for)?"""
    return isinstance(field.analyzer, WordTokenizer) and type(field.format) is Frequency


WordCounts = tuple[tuple[tuple[str, int], ...], int]  # ((word, count) in first-occurrence order, words in all)


def word_counts(value: str, repeated: bool = False) -> WordCounts:
    """What `field.index(value)` of a `counts_words` field is made of (Whoosh 2.7.5's
    Frequency.word_values: each word in first-occurrence order with its count; the field length
    is the number of words), without a Token object and three generators per word; the segment
    writer turns the counts into Whoosh's postings at flush (weight = count × field boost,
    value = pack_uint(count)). `repeated`: the value recurs on many passages (a title, a heading)
    and is counted once; a passage's own text is not memoised (it would only push the titles out)."""
    if repeated and len(value) <= 200:
        return _repeated_counts(value)
    return _counts(value)


@lru_cache(maxsize=4096)
def _repeated_counts(value: str) -> WordCounts:
    return _counts(value)


def _counts(value: str) -> WordCounts:
    words = segment(normalize(value))
    return tuple(Counter(text for text, _, _ in words).items()), len(words)
