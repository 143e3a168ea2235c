"""Text as Sphinx sees it: the project's own words and characters, pre-segmented and space-joined.

Sphinx's tokenizer only splits on characters outside `CHARSET_TABLE`; it never segments Chinese.
So undocs feeds it words it already cut (language.normalize.segment: symbols whole, Latin runs,
jieba words) and fields of single characters and of character pairs for exact-substring recall
(queried as a phrase of pairs; a one-character needle as that character). A word with characters outside the charset (S/2020/751, covid-19) becomes one token by
writing those characters as `_<hex>_`: the same function encodes index and query, so they agree.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from itertools import pairwise

from indexer.language.normalize import HAN, compact_text, normalize, segment_for_index

# Han ranges as in language.normalize.HAN; a..z 0..9 and "_" (the escape) are word characters too.
CHARSET_TABLE = ("0..9, A..Z->a..z, a..z, _, U+3400..U+4DBF, U+4E00..U+9FFF, U+F900..U+FAFF, "
                 "U+20000..U+2FFFF")
_PLAIN_RE = re.compile(f"[0-9a-z{HAN}]")
_ALL_PLAIN_RE = re.compile(f"[0-9a-z{HAN}]+")
_UNIT_RE = re.compile(r"[a-z0-9]+|\S")
SYMBOL_SEPARATORS = "/.("  # S/PRST/2020 is a prefix of S/PRST/2020/1, S/2020/1.1 and 2532(2020)
ALL_TOKEN = "_p_"  # in every passage: a query of only NOTs needs something to subtract from
LEAD_TOKEN = "_lead_"  # in a document's first passage: a symbol query shows the document first


@lru_cache(maxsize=1 << 16)
def encode(word: str) -> str:
    """One Sphinx token for one word: characters outside the charset written as _<hex>_."""
    if _ALL_PLAIN_RE.fullmatch(word):  # most words: nothing to write out
        return word
    return "".join(ch if _PLAIN_RE.match(ch) else f"_{ord(ch):x}_" for ch in word)


def words(text: str) -> list[str]:
    """The analyser's words of `text` (normalised here), as tokens."""
    return [encode(word) for word, _, _ in segment_for_index(normalize(text))]


def units(text: str) -> list[str]:
    """The characters of the comparison form (compacted, normalised), Latin runs kept whole, as
    tokens: a phrase of a needle's units matches exactly where the needle occurs (a Latin needle
    never inside a longer word, as substring.py finds it)."""
    return [encode(u) for u in _UNIT_RE.findall(compact_text(normalize(text)))]


def pairs(found: list[str]) -> list[str]:
    """Each unit joined to the next: a phrase of pairs is a phrase of units, and a pair is far rarer
    than a character, so the engine reads short posting lists (common characters are in most passages)."""
    return [a + ("_x_" if a[-1].isascii() and b[0].isascii() else "") + b for a, b in pairwise(found)]


def key(value: str) -> int:
    """A stable 63-bit number for an attribute value (a symbol, a speaker, a document id)."""
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def facet_key(facet: str, value: str) -> int:
    """A facet value's key in `facetkeys` (rows.facet_keys); years are kept as themselves (< 10000)."""
    return key(f"{facet}\x1f{value}") | (1 << 32)


def doc_token(doc_id: str) -> str:
    """The token that finds every passage of one document (doc ids may be long or odd)."""
    return f"_d{key(doc_id):x}_"


def symbol_prefixes(symbol: str) -> list[str]:
    """The strict prefixes a query for a shorter symbol matches: S/PRST/2021/9 -> S, S/PRST, S/PRST/2021."""
    return [symbol[:i] for i, ch in enumerate(symbol) if ch in SYMBOL_SEPARATORS and i]


def date_low(date: str) -> int:
    """ISO date at any precision -> YYYYMMDD with missing parts 00: "2020-12" -> 20201200."""
    parts = [*date.split("-"), "0", "0"][:3]
    year, month, day = (int(p) if p.isdigit() else 0 for p in parts)
    return year * 10000 + month * 100 + day


def date_high(date: str) -> int:
    """The last number a date prefix covers: "2021" -> 20219999, "2021-03" -> 20210399."""
    given = len([p for p in date.split("-") if p])
    low = date_low(date)
    return low + (9999 if given <= 1 else 99 if given == 2 else 0)


# Date keys as tokens of the `each` field, from coarse to fine (span of key numbers, tag): a date
# range inside OR/NOT is a MATCH() alternative of the fewest tokens that cover it (date_cover).
DATE_LEVELS = ((1_000_000, "c"), (100_000, "x"), (10_000, "y"), (100, "m"), (1, "d"))


def date_tokens(date_key: int) -> list[str]:
    """The tokens of one date key (date_low): its century, decade, year, month and day."""
    return [f"_z{tag}{date_key // span}_" for span, tag in DATE_LEVELS]


def date_cover(low: int, high: int) -> list[str]:
    """Tokens whose keys are exactly the date keys in [low, high] (months past 12 and days past 31
    hold no key and are skipped): at most a few dozen for any range."""
    out: list[str] = []
    x = max(low, 0)
    while x <= high:
        if x // 100 % 100 > 12:
            x = (x // 10_000 + 1) * 10_000
        elif x % 100 > 31:
            x = (x // 100 + 1) * 100
        else:
            span, tag = next((s, t) for s, t in DATE_LEVELS if x % s == 0 and x + s - 1 <= high)
            out.append(f"_z{tag}{x // span}_")
            x += span
    return out
