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
from whoosh.system import pack_uint

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


Posting = tuple[bytes, int, float, bytes]  # term bytes, frequency, weight, encoded value: FieldType.index's items


def counts_words(field: Any) -> bool:
    """Is this a WordTokenizer field with Whoosh's Frequency format (what `word_postings` stands in for)?"""
    return isinstance(field.analyzer, WordTokenizer) and type(field.format) is Frequency


def word_postings(field: Any, value: str, repeated: bool = False) -> tuple[Posting, ...]:
    """Exactly what `field.index(value)` yields for a `counts_words` field (Whoosh 2.7.5's
    Frequency.word_values: words in first-occurrence order, weight = frequency × field boost), without
    a Token object and three generators per word. `repeated`: the value recurs on many passages (a
    title, a heading) and is counted once; a passage's own text is not memoised (it would only push
    the titles out)."""
    if repeated and len(value) <= 200:
        return _repeated_postings(value, field.format.field_boost)
    return _postings(value, field.format.field_boost)


@lru_cache(maxsize=4096)
def _repeated_postings(value: str, boost: float) -> tuple[Posting, ...]:
    return _postings(value, boost)


def _postings(value: str, boost: float) -> tuple[Posting, ...]:
    counts = Counter(text for text, _, _ in segment(normalize(value)))
    return tuple((word.encode("utf-8"), n, float(n) * boost, pack_uint(n)) for word, n in counts.items())
