"""The analyser meets Whoosh's tokenizer contract."""

from __future__ import annotations

import pickle
from pathlib import Path

from whoosh.system import pack_uint

from indexer.engine.analyzer import WordTokenizer, counts_words, word_postings
from indexer.engine.schema import make_schema
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


def test_word_postings_are_what_whoosh_indexes(seed_docs: dict[str, Document]) -> None:
    """engine/analyzer.word_postings stands in for FieldType.index (Whoosh internals, INTERNALS.md)."""
    schema = make_schema()
    values = _values(seed_docs)
    assert len(values) > 2000  # every passage (text and heading) of the seeds and the real documents
    for name in ("text", "title", "heading"):
        field = schema[name]
        assert counts_words(field)
        for value in values:
            whoosh = list(field.index(value))
            assert list(word_postings(field, value)) == whoosh, (name, value[:40])
            assert list(word_postings(field, value, repeated=True)) == whoosh, (name, value[:40])
    assert not counts_words(schema["symbols"])
    assert word_postings(schema["text"], "和平" * 101) == ((b"\xe5\x92\x8c\xe5\xb9\xb3", 101, 101.0, pack_uint(101)),)
