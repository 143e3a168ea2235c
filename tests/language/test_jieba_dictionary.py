"""jieba's prefix dictionary read from jieba's own cache in one piece (normalize._load_dictionary)."""

from __future__ import annotations

import logging
import marshal
from pathlib import Path

import jieba
import pytest

from indexer.language.normalize import _load_dictionary

jieba.setLogLevel(logging.WARNING)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> jieba.Tokenizer:
    """jieba's own initialize(), which also writes the cache into its tmp_dir."""
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    tok.initialize()
    assert (Path(tok.tmp_dir) / "jieba.cache").is_file()
    return tok


def _tokenizer(folder: Path) -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(folder)
    return tok


def test_the_cache_gives_what_jieba_builds(reference: jieba.Tokenizer) -> None:
    tok = _tokenizer(Path(reference.tmp_dir))
    _load_dictionary(tok, jieba.DEFAULT_DICT)
    assert tok.initialized and tok.total == reference.total and tok.FREQ == reference.FREQ
    assert len(tok.FREQ) > 300_000
    assert list(tok.cut("安全理事会重申其决议", HMM=True)) == list(reference.cut("安全理事会重申其决议", HMM=True))


@pytest.mark.parametrize("content", [b"", b"not marshal at all", marshal.dumps(["a", "list"]), marshal.dumps(({}, 0))])
def test_an_unusable_cache_falls_back_to_jieba(reference: jieba.Tokenizer, tmp_path: Path, content: bytes) -> None:
    (tmp_path / "jieba.cache").write_bytes(content)
    tok = _tokenizer(tmp_path)
    _load_dictionary(tok, jieba.DEFAULT_DICT)
    assert tok.initialized and tok.total == reference.total and len(tok.FREQ) == len(reference.FREQ)
    assert marshal.loads((tmp_path / "jieba.cache").read_bytes())[1] == reference.total  # rebuilt by jieba


def test_another_dictionary_is_left_to_jieba(reference: jieba.Tokenizer, tmp_path: Path) -> None:
    """A tokenizer set up with its own dictionary file never reads the default dictionary's cache."""
    (tmp_path / "dict.txt").write_text("联合国 100 nt\n安全理事会 50 nt\n", encoding="utf-8")
    (tmp_path / "jieba.cache").write_bytes(Path(reference.tmp_dir, "jieba.cache").read_bytes())
    tok = jieba.Tokenizer(str(tmp_path / "dict.txt"))
    tok.tmp_dir = str(tmp_path)
    _load_dictionary(tok, jieba.DEFAULT_DICT)
    assert tok.total == 150 and "安全理事会" in tok.FREQ and "重申" not in tok.FREQ
