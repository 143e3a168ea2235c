"""The scaled benchmark corpora: ×N copies of the seeds, with a fixed or a growing vocabulary.

* fixed: copy k > 0 of a seed has every year moved back k mod 30 years and every other 3–5 digit
  number increased by 7k. Documents, symbols and dates differ; the words do not, so the number of
  distinct terms stays that of the seeds at any scale (unlike real text).
* growing: the same, and in each copy k > 0 a share of the body text's words (jieba's segmentation)
  is replaced by other words of the same length and about the same frequency drawn from jieba's
  dictionary, with a random generator seeded by the seed's name and k (the same corpus every run).
  New copies keep bringing rare words, so the vocabulary grows with the corpus as in real text
  (Heaps' law). Only Han words of 2+ characters in body lines are replaced: headings (short lines),
  speaker turns, symbols, numbers and dates (no word with a date or numeral character is taken or
  given), the words the ingest rules name, the speakers the pipeline finds in the seed and the
  sidecars stay as they are, so the ingest pipeline reads the same metadata.
"""

from __future__ import annotations

import math
import random
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "corpus"
# The words the ingest rules name (regexes, inventories, dictionaries) are never replaced.
RULE_SOURCES = ("indexer/language", "indexer/ingest")
KINDS = ("fixed", "growing")
SHARE = 0.3  # of the replaceable words, in each copy k > 0
BODY_LINE = 20  # characters: shorter lines (headings, cover, signatures) are kept as they are
YEAR_RE = re.compile(r"(?<!\d)(19[5-9]\d|20[0-2]\d)(?!\d)")
NUMBER_RE = re.compile(r"(?<![\d/])(\d{3,5})(?![\d/])")
# Han words of 2+ characters, none of which writes a date, a number, an ordinal or a turn.
WORD_RE = re.compile(r"[\u4e00-\u9fff]{2,}")
KEEP_CHARS = set("年月日号届次期第〇零一二三四五六七八九十百千万亿两说称主席")
TURN_RE = re.compile(r"^[^。，]{1,40}(?:发言|说|：|:)")  # a speaker's turn or a label ends early


@dataclass(frozen=True)
class Piece:
    """A run of a seed's text: a word that may be replaced, or text kept as it is."""

    text: str
    bucket: tuple[int, int] | None  # (length, log2 frequency) of a replaceable word


def scale_corpus(factor: int, target: Path, kind: str = "fixed") -> dict[str, int]:
    """×factor copies of the seeds in target (emptied first); files and characters written."""
    if kind not in KINDS:
        raise SystemExit(f"unknown corpus kind {kind!r}: use one of {', '.join(KINDS)}")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    seeds = sorted(p for p in SEED_DIR.iterdir() if p.is_file())
    chars = 0
    for k in range(factor):
        for seed in seeds:
            text = copy_text(seed, k, kind)
            stem, suffix = seed.name.split(".", 1)  # "X.meta.toml": sidecars follow their document
            name = seed.name if k == 0 else f"{stem}-c{k:03d}.{suffix}"
            (target / name).write_text(text, encoding="utf-8")
            chars += len(text)
    return {"files": factor * sum(1 for s in seeds if not s.name.endswith(".meta.toml")), "chars": chars}


def copy_text(seed: Path, k: int, kind: str) -> str:
    """The text of copy k of a seed (copy 0 is the seed itself)."""
    if k == 0:
        return seed.read_text(encoding="utf-8")
    if kind == "growing" and not seed.name.endswith(".toml"):
        text = replace_words(seed_pieces(seed), random.Random(f"{seed.name}/{k}"))
    else:
        text = seed.read_text(encoding="utf-8")
    return NUMBER_RE.sub(lambda m: vary(m.group(1), k), text)


def vary(number: str, k: int) -> str:
    """Copy k of a number: a year moves back k % 30 years (still a plausible UN year), others grow."""
    value = int(number)
    if YEAR_RE.fullmatch(number):
        return str(value - k % 30)
    return str(value + 7 * k)


def replace_words(pieces: tuple[Piece, ...], rng: random.Random) -> str:
    """The seed's text with SHARE of its replaceable words swapped for dictionary words like them."""
    buckets = dictionary_buckets()
    out = []
    for piece in pieces:
        if piece.bucket is not None and rng.random() < SHARE:
            out.append(rng.choice(buckets[piece.bucket]))
        else:
            out.append(piece.text)
    return "".join(out)


@cache
def seed_pieces(seed: Path) -> tuple[Piece, ...]:
    """A seed cut into kept text and replaceable words (segmented once per process)."""
    import jieba

    jieba.setLogLevel(60)
    buckets, frequency, kept = dictionary_buckets(), dictionary_frequency(), rule_words()
    speakers = seed_speakers(seed)
    pieces: list[Piece] = []
    for line in seed.read_text(encoding="utf-8").splitlines(keepends=True):
        if not _is_body(line):
            pieces.append(Piece(line, None))
            continue
        guarded = _speaker_chars(line, speakers)
        at = 0
        for word in jieba.cut(line):
            key = None if word in kept or guarded.intersection(range(at, at + len(word))) else (
                _bucket(word, frequency.get(word, 0)))
            pieces.append(Piece(word, key if key in buckets else None))
            at += len(word)
    return tuple(pieces)


def _speaker_chars(line: str, speakers: frozenset[str]) -> set[int]:
    """Offsets in line of the speaker names the pipeline found in the seed."""
    guarded: set[int] = set()
    for name in speakers:
        for match in re.finditer(re.escape(name), line):
            guarded.update(range(match.start(), match.end()))
    return guarded


@cache
def seed_speakers(seed: Path) -> frozenset[str]:
    """The speakers the ingest pipeline attributes passages of the seed to."""
    from indexer.ingest.pipeline import ingest

    doc = ingest(seed, seed.parent)
    return frozenset(s for p in doc.passages for s in p.speakers if len(s) >= 2)


@lru_cache(maxsize=1)
def rule_words() -> frozenset[str]:
    """Han words written in the ingest and language rules, and jieba's words inside them."""
    import jieba

    runs: set[str] = set()
    for folder in RULE_SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".txt"):
                runs.update(WORD_RE.findall(path.read_text(encoding="utf-8")))
    return frozenset(runs.union(*(jieba.cut(run) for run in runs)))


def _is_body(line: str) -> bool:
    """A line of running text: long enough, not a speaker's turn, a label or a table row of figures."""
    stripped = line.strip()
    return len(stripped) >= BODY_LINE and not TURN_RE.match(stripped)


def _bucket(word: str, frequency: int) -> tuple[int, int] | None:
    """Words are exchanged within (length, log2 frequency); None for a word that must stay."""
    if frequency <= 0 or not WORD_RE.fullmatch(word) or KEEP_CHARS.intersection(word):
        return None
    return (len(word), int(math.log2(frequency)))


@lru_cache(maxsize=1)
def dictionary_frequency() -> dict[str, int]:
    """jieba's default dictionary: word -> frequency."""
    import jieba

    frequency = {}
    with jieba.get_dict_file() as f:
        for line in f.read().decode("utf-8").splitlines():
            word, count, *_ = line.split(" ")
            frequency[word] = int(count)
    return frequency


@lru_cache(maxsize=1)
def dictionary_buckets() -> dict[tuple[int, int], list[str]]:
    """(length, log2 frequency) -> the dictionary's words of that kind, in a fixed order."""
    buckets: dict[tuple[int, int], list[str]] = defaultdict(list)
    for word, count in sorted(dictionary_frequency().items()):
        key = _bucket(word, count)
        if key is not None:
            buckets[key].append(word)
    return dict(buckets)
