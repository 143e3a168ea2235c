"""The analyser meets Whoosh's tokenizer contract."""

from __future__ import annotations

import pickle
import struct
from pathlib import Path

from whoosh.system import pack_uint

from indexer.engine.analyzer import WordTokenizer, counts_words, word_counts
from indexer.engine.schema import make_schema
from indexer.engine.segments import _counted_postings
from indexer.ingest.pipeline import ingest
from indexer.language.normalize import normalize
from indexer.models import Document


def test_tokenizer_contract_positions_are_ordinals_and_chars_are_original_offsets() -> None:
    text = "ＣＯＶＩＤ-19……安理會强调"
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in WordTokenizer()(text, positions=True, chars=True)]
    assert [t[1] for t in tokens] == list(range(len(tokens)))
    for word, _pos, start, end in tokens:
        assert normalize(text[start:end]) == word or word in ("covid", "19")
    assert ("安理会", 3, 10, 13) in tokens
    assert all(not t.stopped for t in WordTokenizer()(text))


def test_tokenizer_honours_start_pos_and_start_char() -> None:
    tokens = list((t.pos, t.startchar) for t in WordTokenizer()("安理会", positions=True, chars=True, start_pos=5, start_char=100))
    assert tokens == [(5, 100)]


def test_tokenizer_reuses_one_token_object() -> None:
    tokens = WordTokenizer()("安全理事会强调合作", positions=True)
    first = next(tokens)
    second = next(tokens)
    assert first is second


def test_schema_pickles_for_the_multiprocessing_writer() -> None:
    schema = pickle.loads(pickle.dumps(make_schema()))
    assert [t.text for t in schema["text"].analyzer("东盟 S/PRST/2021/9")] == ["东盟", "s/prst/2021/9"]



REALDOCS = Path(__file__).resolve().parents[2].parent / "shared" / "realdocs"
ODD_VALUES = [
    "",
    "   ",
    "ＣＯＶＩＤ-19……安理會强调 S/PRST/2021/9 与 A/RES/58/316 号决议",  # full width, traditional, symbols
    "e-mail u.n.-led re'view C++ 2019/2020 x_y",  # Latin runs and their parts
    "安全理事会" * 60,  # longer than the memoised short values, one word 60 times
    "和平" * 101,
]


def _values(seed_docs: dict[str, Document]) -> list[str]:
    docs = list(seed_docs.values())
    if REALDOCS.is_dir():
        docs += [ingest(path, REALDOCS, path.stem) for path in sorted(REALDOCS.glob("*.txt"))]
    out = list(ODD_VALUES)
    for doc in docs:
        out.append(doc.title)
        out.extend(v for p in doc.passages for v in (p.text, p.heading))
    return out


def _as_postings(counts: tuple[tuple[str, int], ...], boost: float) -> list[tuple[bytes, int, float, bytes]]:
    """The postings the segment writer makes of the counts (segments._counted_postings, per passage)."""
    return [(word.encode("utf-8"), n, n * boost, pack_uint(n)) for word, n in counts]


def test_word_counts_are_what_whoosh_indexes(seed_docs: dict[str, Document]) -> None:
    """engine/analyzer.word_counts stands in for FieldType.index (Whoosh internals, INTERNALS.md)."""
    schema = make_schema()
    values = _values(seed_docs)
    assert len(values) > 2000  # every passage (text and heading) of the seeds and the real documents
    for name in ("text", "title", "heading"):
        field = schema[name]
        assert counts_words(field)
        boost = field.format.field_boost
        for value in values:
            whoosh = list(field.index(value))
            for repeated in (False, True):
                counts, length = word_counts(value, repeated)
                assert _as_postings(counts, boost) == whoosh, (name, value[:40])
                assert length == sum(freq for _, freq, _, _ in whoosh)  # the field length Whoosh records
    assert not counts_words(schema["symbols"])
    assert word_counts("和平" * 101) == ((("和平", 101),), 101)


def test_the_writer_makes_whoosh_postings_of_counts() -> None:
    """Packed (docnum, count) pairs -> docnums, float32 weights and pack_uint values."""
    pairs = bytearray(struct.pack("<IIIIII", 3, 1, 7, 2, 9, 70000))
    ids, weights, values = _counted_postings(pairs, 1.5)
    assert list(ids) == [3, 7, 9] and list(weights) == [1.5, 3.0, 105000.0]
    assert values == [pack_uint(1), pack_uint(2), pack_uint(70000)]
