"""The analyser meets Whoosh's tokenizer contract."""

from __future__ import annotations

import pickle

from indexer.engine.analyzer import WordTokenizer
from indexer.engine.schema import make_schema
from indexer.language.normalize import normalize


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

