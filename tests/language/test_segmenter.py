"""language/segmenter.py cuts exactly as jieba 0.42.1 does, on real text and on generated strings."""

from __future__ import annotations

import random
from pathlib import Path

import jieba
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.language.normalize import _jieba, normalize
from indexer.language.segmenter import Segmenter, best_route, word_ends

ROOT = Path(__file__).resolve().parents[2]
REALDOCS = ROOT.parent / "shared" / "realdocs"


@pytest.fixture(scope="module")
def ours() -> Segmenter:
    tok = _jieba()
    assert isinstance(tok, Segmenter)
    return tok


@pytest.fixture(scope="module")
def stock(ours: Segmenter) -> jieba.Tokenizer:
    """jieba's own Tokenizer over the same dictionary (jieba's words plus the user dictionary's)."""
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = ours.FREQ, ours.total, True
    assert type(tok).cut is type(ours).cut and type(tok)._Tokenizer__cut_DAG is not type(ours)._Tokenizer__cut_DAG
    return tok


def _texts() -> list[str]:
    paths = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures").glob("*.txt"))
    paths += sorted(REALDOCS.glob("*.txt")) if REALDOCS.is_dir() else []
    return [normalize(p.read_text(encoding="utf-8")) for p in paths]


def test_every_corpus_text_is_cut_as_jieba_cuts_it(ours: Segmenter, stock: jieba.Tokenizer) -> None:
    texts = _texts()
    assert sum(map(len, texts)) > 100_000
    for text in texts:
        assert list(ours.cut(text, HMM=True)) == list(stock.cut(text, HMM=True))


def test_known_cuts(ours: Segmenter) -> None:
    """The dictionary's words, the user dictionary's UN terms, the HMM's guess at an unknown name."""
    assert list(ours.cut("安全理事会重申其决议", HMM=True)) == ["安全理事会", "重申", "其", "决议"]
    assert list(ours.cut("联合国难民事务高级专员办事处执行委员会", HMM=True)) == list(
        jieba.Tokenizer.cut(ours, "联合国难民事务高级专员办事处执行委员会", HMM=True))
    assert ours.cut_block("") == []
    assert ours.cut_block("的") == ["的"]


def test_the_route_takes_the_longer_word_on_a_tie() -> None:
    """jieba's max() over (score, end) pairs: of two equal scores the later end wins."""
    freq = {"甲": 1, "甲乙": 1, "乙": 0}  # "甲" then "乙" (unknown: log 1) against "甲乙": equal sums
    ends = word_ends("甲乙", freq)
    assert ends == [[0, 1], (1,)]
    assert best_route("甲乙", ends, freq, 0.0) == [1, 1]


def _dictionary_words(ours: Segmenter, count: int) -> list[str]:
    rng = random.Random(7)
    words = [w for w, f in ours.FREQ.items() if f]
    return rng.sample(words, count)


_WORDS: list[str] = []  # 2,000 of the dictionary's words, drawn once


@given(st.lists(st.tuples(st.integers(0, 1999), st.sampled_from(["", "", "", "，", "国", "a1", " ", "的", "䶮", "鿫"])),
                max_size=30))
def test_generated_strings_are_cut_as_jieba_cuts_them(pieces: list[tuple[int, str]]) -> None:
    """Strings of dictionary words (all prefixes and suffixes of one another), joiners, characters
    jieba does not count as Chinese (U+4DAE, U+9FEB) and Latin runs."""
    ours = _jieba()
    stock = jieba.Tokenizer()
    stock.FREQ, stock.total, stock.initialized = ours.FREQ, ours.total, True
    if not _WORDS:
        _WORDS.extend(_dictionary_words(ours, 2000))
    text = "".join(_WORDS[i] + joiner for i, joiner in pieces)
    assert list(ours.cut(text, HMM=True)) == list(stock.cut(text, HMM=True))
