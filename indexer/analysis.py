"""Normalisation and Chinese tokenisation, to Whoosh's tokenizer contract.

Documents and queries go through the same `normalize`: NFKC (full-width -> half-width), traditional
-> simplified (OpenCC t2s, char by char so that index and query convert identically), Latin lower
case, control characters -> space. `normalize_with_offsets` keeps a map back to the original text
so highlights never drift. Two token streams are indexed:

* `WordTokenizer` ("text" field): symbols pulled out first (S/2020/751, 第2532(2020)号决议 as one
  token each), Latin/number runs kept whole (covid-19), Chinese runs segmented by jieba (accurate
  mode) with a user dictionary of UN terms. Positions are ordinals, chars are offsets.
* `GramTokenizer` ("chars" field): every Chinese character as a unigram and a bigram with the next
  one, at one position per character (whitespace inside Chinese text is ignored). A phrase query of
  overlapping bigrams therefore finds any substring, however jieba happens to split it.

Everything here is module-level and picklable (Whoosh's multiprocessing writer pickles the schema);
jieba and OpenCC are loaded lazily, once per process.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterator
from importlib import resources
from typing import Any

from whoosh.analysis import Token, Tokenizer

from indexer.symbols import find_symbols

log = logging.getLogger(__name__)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
HAN_RE = re.compile(f"[{HAN}]")
# Runs of Latin letters/digits, with inner joiners: covid-19, 15-0-0, 3.5
LATIN_RE = re.compile(r"[a-z0-9]+(?:[-.'_+][a-z0-9]+)*")
ALNUM_RE = re.compile(r"[a-z0-9]+")
# A Chinese run for the gram field: Han characters, whitespace between them ignored.
HAN_RUN_RE = re.compile(f"[{HAN}](?:\\s*[{HAN}])*")
GRAM_UNIT_RE = re.compile(f"{HAN_RUN_RE.pattern}|[a-z0-9]+")
# Not NFKC-expanded: "……" is common Chinese punctuation and would change the length.
_KEEP = frozenset("…‥")

_lock = threading.Lock()
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


def compact(text: str) -> tuple[str, list[int]]:
    """Drop whitespace not standing between two ASCII letters/digits (PDF line-join artefacts)."""
    keep: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch.isspace():
            left = text[i - 1] if i else ""
            right = text[i + 1] if i + 1 < n else ""
            if not (left.isascii() and left.isalnum() and right.isascii() and right.isalnum()):
                continue
            if keep and text[keep[-1]].isspace():
                continue
        keep.append(i)
    return "".join(text[i] for i in keep), keep


def _jieba() -> Any:
    if "jieba" not in _state:
        with _lock:
            if "jieba" not in _state:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                with resources.files("indexer").joinpath("data/userdict.txt").open(encoding="utf-8") as fh:
                    for line in fh:
                        word = line.split("#", 1)[0].strip()
                        if word:
                            tok.add_word(normalize(word.split()[0]), freq=None)
                _state["jieba"] = tok
    return _state["jieba"]


def add_words(words: list[str]) -> None:
    """Teach the segmenter extra words (the mined abbreviations), for query-time splitting."""
    tok = _jieba()
    for word in words:
        word = normalize(word).strip()
        if len(word) >= 2 and word not in tok.FREQ:
            tok.add_word(word)


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


def _segment_plain(norm: str, start: int, end: int, out: list[tuple[str, int, int]]) -> None:
    cut = _jieba().cut
    i = start
    while i < end:
        ch = norm[i]
        if HAN_RE.match(ch):
            j = i + 1
            while j < end and HAN_RE.match(norm[j]):
                j += 1
            k = i
            for word in cut(norm[i:j], HMM=True):
                out.append((word, k, k + len(word)))
                k += len(word)
            i = j
        elif ch.isascii() and ch.isalnum():
            m = LATIN_RE.match(norm, i, end)
            if m is None:  # e.g. an upper-case letter when called on text that is not normalised
                i += 1
                continue
            out.append((m.group(0), i, m.end()))
            if m.end() - i > 1 and not m.group(0).isalnum():
                out.extend((p.group(0), i + p.start(), i + p.end()) for p in ALNUM_RE.finditer(m.group(0)))
            i = m.end()
        else:
            i += 1


def _gram_units(norm: str) -> list[tuple[str, int, int]]:
    """(unit, position, run): a Han char with the number of its run (>= 0), or a Latin run (-1)."""
    units: list[tuple[str, int, int]] = []
    pos = 0
    for run, m in enumerate(GRAM_UNIT_RE.finditer(norm)):
        chunk = m.group(0)
        if chunk[0].isascii():
            units.append((chunk, pos, -1))
            pos += 1
            continue
        for ch in chunk:
            if not ch.isspace():
                units.append((ch, pos, run))
                pos += 1
    return units


def _paired(units: list[tuple[str, int, int]], i: int) -> bool:
    """Does unit i form a bigram with the next one (both Han, same run)?"""
    return i + 1 < len(units) and units[i][2] >= 0 and units[i + 1][2] == units[i][2]


def phrase_terms(norm: str) -> list[str]:
    """Gram-field terms at consecutive positions that match exactly where `norm` occurs."""
    units = _gram_units(norm)
    terms: list[str] = []
    for i, (text, _pos, _run) in enumerate(units):
        if _paired(units, i):
            terms.append(text + units[i + 1][0])
        elif i + 1 == len(units) and i > 0 and _paired(units, i - 1):
            break  # the previous bigram already ends with this char
        else:
            terms.append(text)
    return terms


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
        for pos, (text, start, end) in enumerate(w for w in segment(norm) if not w[0].isspace()):
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


class GramTokenizer(Tokenizer):
    """Han unigrams + bigrams at one position per character; Latin runs as one term."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        norm = normalize(value)
        units = _gram_units(norm) if tokenize else [(norm, 0, -1)]
        for i, (text, pos, _run) in enumerate(units):
            terms = [text, text + units[i + 1][0]] if _paired(units, i) else [text]
            for term in terms:
                t.text = term
                t.stopped = False
                if keeporiginal:
                    t.original = term
                if positions:
                    t.pos = start_pos + pos
                if chars:  # offsets are not tracked for grams; highlighting uses WordTokenizer
                    t.startchar = t.endchar = start_char
                yield t


def word_analyzer() -> WordTokenizer:
    return WordTokenizer()


def gram_analyzer() -> GramTokenizer:
    return GramTokenizer()
