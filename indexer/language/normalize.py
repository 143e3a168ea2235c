"""Normalisation and Chinese word segmentation, shared by ingest, the engines and the query language.

Documents and queries go through the same `normalize`: NFKC (full-width -> half-width), traditional
-> simplified (OpenCC t2s, char by char so that index and query convert identically), Latin lower
case, control characters -> space. `normalize_with_offsets` keeps a map back to the original text
so highlights never drift. `compact` drops whitespace inside Chinese text (PDF line joins), so
"安全理 事会" still compares equal to "安全理事会" (exact-substring search, highlighting).

`segment`: symbols pulled out first (S/2020/751, 第2532(2020)号决议 as one token each), Latin/number
runs kept whole (covid-19, plus their parts), Chinese runs segmented by jieba (accurate mode, its DAG cut
run faster by language/segmenter.py, the same words) with a
user dictionary of UN terms; (word, start, end) offsets into the normalised text.

Everything here is module-level and picklable; jieba and OpenCC are loaded lazily, once per process.
"""

from __future__ import annotations

import gc
import logging
import marshal
import re
import tempfile
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from indexer.language.symbols import find_symbols

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
HAN_RE = re.compile(f"[{HAN}]")
# Runs of Latin letters/digits, with inner joiners: covid-19, 15-0-0, 3.5
LATIN_RE = re.compile(r"[a-z0-9]+(?:[-.'_+][a-z0-9]+)*")
ALNUM_RE = re.compile(r"[a-z0-9]+")
_PIECE_RE = re.compile(f"(?P<han>[{HAN}]+)|[A-Za-z0-9]")  # where _segment_plain's next word starts
_SPACE_RE = re.compile(r"\s+")
# Not NFKC-expanded: "……" is common Chinese punctuation and would change the length.
_KEEP = frozenset("…‥")

log = logging.getLogger(__name__)
_lock = threading.RLock()
_state: dict[str, Any] = {}


class _CharTable(dict):  # type: ignore[type-arg]
    """str.translate table filled on first sight of each character (cheap after warm-up)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") and ch not in "\t\n\r":
            out = " "
        else:
            out = ch if ch in _KEEP else unicodedata.normalize("NFKC", ch)
            out = _opencc().convert(out) if HAN_RE.search(out) else out
            out = out.lower()
            if not out:
                out = " "
        self[code] = out
        return out


def _opencc() -> Any:
    if "opencc" not in _state:
        with _lock:
            if "opencc" not in _state:
                import opencc

                _state["opencc"] = opencc.OpenCC("t2s")
    return _state["opencc"]


_TABLE = _CharTable()


class _SimplifiedTable(dict):  # type: ignore[type-arg]
    """str.translate table: each Han character as OpenCC t2s gives it alone (filled on first sight)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = _opencc().convert(ch) if HAN_RE.match(ch) else ch
        self[code] = out
        return out


_T2S = _SimplifiedTable()


def to_simplified(text: str) -> str:
    """Traditional characters as simplified, char by char as normalize() does ("給秘書長的普通照會" ->
    "给秘书长的普通照会"); nothing else changed."""
    return text.translate(_T2S)


@lru_cache(maxsize=64)
def nfkc(text: str) -> str:
    """unicodedata NFKC, memoised: a passage's text is asked for by its dates, its context year and
    its Charter tags in turn (each call was a full pass over the passage)."""
    return unicodedata.normalize("NFKC", text)


def normalize(text: str) -> str:
    """The comparison form of `text` (documents and queries alike)."""
    return text.translate(_TABLE)


def normalize_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """(normalised, starts, ends): normalised char i came from text[starts[i]:ends[i]]."""
    norm = text.translate(_TABLE)
    if len(norm) == len(text):
        idx = list(range(len(text)))
        return norm, idx, list(range(1, len(text) + 1))
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        piece = _TABLE[ord(ch)]
        starts.extend([i] * len(piece))
        ends.extend([i + 1] * len(piece))
    return norm, starts, ends


def _keeps_space(text: str, start: int, end: int) -> bool:
    """A whitespace run survives (as one space) only between two Latin letters/digits."""
    left = text[start - 1] if start else ""
    right = text[end] if end < len(text) else ""
    return left.isascii() and left.isalnum() and right.isascii() and right.isalnum()


def compact_text(norm: str) -> str:
    """`compact` without the offset map."""
    return _SPACE_RE.sub(lambda m: " " if _keeps_space(norm, m.start(), m.end()) else "", norm)


def compact(text: str) -> tuple[str, list[int]]:
    """(compacted, keep): whitespace runs dropped inside Chinese text; keep[i] = index in `text`."""
    keep: list[int] = []
    pieces: list[str] = []  # joined once: a character-by-character join cost 40% of a concordance
    pos = 0
    for m in _SPACE_RE.finditer(text):
        keep.extend(range(pos, m.start()))
        pieces.append(text[pos : m.start()])
        if _keeps_space(text, m.start(), m.end()):
            keep.append(m.start())
            pieces.append(text[m.start()])
        pos = m.end()
    keep.extend(range(pos, len(text)))
    pieces.append(text[pos:])
    return "".join(pieces), keep


def _jieba() -> Any:
    if "jieba" not in _state:
        with _lock:
            if "jieba" not in _state:
                import jieba

                from indexer.language.segmenter import Segmenter

                jieba.setLogLevel(logging.WARNING)
                tok = Segmenter()
                _load_dictionary(tok, jieba.DEFAULT_DICT)
                with resources.files("indexer.language").joinpath("data/userdict.txt").open(encoding="utf-8") as fh:
                    for line in fh:
                        word = line.split("#", 1)[0].strip()
                        if word:
                            tok.add_word(normalize(word.split()[0]), freq=None)
                _state["jieba"] = tok
    return _state["jieba"]


def _load_dictionary(tok: Any, default: str | None) -> None:
    """jieba's prefix dictionary from the cache jieba itself keeps (the default dictionary's), read in
    one piece: jieba's own marshal.load from a file object took 0.6 s of every cold start, loads of
    the bytes 0.2 s. No cache yet or another dictionary: jieba's own initialize(); a damaged cache is
    removed first (jieba itself would take whatever it unmarshals for its dictionary)."""
    cache = Path(tok.tmp_dir or tempfile.gettempdir()) / "jieba.cache"  # jieba 0.42.1's name for it
    if tok.dictionary == default and cache.is_file():
        try:
            freq, total = marshal.loads(cache.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            freq = total = None
        if isinstance(freq, dict) and isinstance(total, int) and total > 0:
            tok.FREQ, tok.total, tok.initialized = freq, total, True
            return
        log.warning("jieba's dictionary cache %s is damaged; jieba rebuilds it", cache)
        cache.unlink(missing_ok=True)  # jieba would load it as it is
    tok.initialize()


def release_segmenter() -> None:
    """Drop jieba's dictionary and the memoised words (~50 MB); the next segmentation loads them again."""
    with _lock:
        _state.pop("jieba", None)
        _segment_short.cache_clear()
    gc.collect()


def segment(norm: str) -> list[tuple[str, int, int]]:
    """Words of normalised text as (text, start, end): symbols, Latin runs, jieba words."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    for start, end, symbol in find_symbols(norm):
        if start < pos:
            continue
        _segment_plain(norm, pos, start, out)
        out.append((symbol.lower(), start, end))
        pos = end
    _segment_plain(norm, pos, len(norm), out)
    return out


@lru_cache(maxsize=4096)
def _segment_short(norm: str) -> tuple[tuple[str, int, int], ...]:
    """Titles and headings repeat on every passage of a document: segment them once."""
    return tuple(segment(norm))


def _segment_plain(norm: str, start: int, end: int, out: list[tuple[str, int, int]]) -> None:
    """Jieba words of each Han run, each Latin run whole plus its parts; the rest is skipped."""
    cut = _jieba().cut
    i = start
    while (m := _PIECE_RE.search(norm, i, end)) is not None:
        if m.group("han"):
            k = m.start()
            for word in cut(m.group(), HMM=True):
                out.append((word, k, k + len(word)))
                k += len(word)
            i = m.end()
            continue
        latin = LATIN_RE.match(norm, m.start(), end)
        if latin is None:  # e.g. an upper-case letter when called on text that is not normalised
            i = m.start() + 1
            continue
        out.append((latin.group(0), latin.start(), latin.end()))
        if latin.end() - latin.start() > 1 and not latin.group(0).isalnum():
            out.extend((p.group(0), latin.start() + p.start(), latin.start() + p.end()) for p in ALNUM_RE.finditer(latin.group(0)))
        i = latin.end()


def segment_for_index(norm: str) -> Sequence[tuple[str, int, int]]:
    """segment(), with short texts (titles, headings, queries) memoised."""
    return _segment_short(norm) if len(norm) <= 200 else segment(norm)
