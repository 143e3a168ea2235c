"""A seeded generator of malformed queries and parameters, for the bad-input tests of the CLI, API and pages.

Seeded, not hypothesis-driven, so a test can ask for exactly N inputs and a red run names its seed:
fixed when CI is set (the same inputs every run), else random and printed; UNDOCS_FUZZ_SEED repeats one.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from urllib.parse import quote

# Pieces a user (or a script) may type: the query language's operators and fields, half-finished;
# quotes and brackets of both widths; dates and symbols that are almost right; markup; odd characters.
PIECES = [
    "区域组织", "东盟", "安全理事会", "维持和平", "秘书长", "a", "the", "OR", "AND", "NOT", "or", "-", "--", "+", "*", "?",
    '"', "“", "”", "「", "」", "'", "(", ")", "（", "）", "[", "]", "{", "}", ":", "：", "::", "symbol:", "文号:",
    "ref:", "引用:", "type:", "类型:", "speaker:", "发言者:", "date:", "日期:", "title:", "标题:", "nosuch:",
    "date:2020-13-45", "date:[2020 TO", "date:[2021-01-01 TO 2020-01-01]", "date:>=", "date:<=9999", "date:0000",
    "symbol:S/", "symbol:/", "symbol:S//PRST", "ref:S/RES/", "S/PRST/2021/9", "S/2021/130", "A/75/", "第号决议",
    "第 2532(2020) 号决议", "type:memo", "类型:不存在", "speaker:", "TO", "[", ">=2021", "<", ">", "&", "&amp;",
    "<script>", "</mark>", "%", "%%", "%zz", "\\", "/", "//", "..", "\t", "\n", "\r", "\u3000", "\u200b", "\ufeff",
    "\u202e", "😀", "𠀀", "\x7f", "\x01", "ｓｙｍｂｏｌ：", "安全理事會", "１２３", "٣", "Ⅻ", "ß", "İ",
]
BAD_VALUES = [
    "", " ", "0", "-1", "abc", "1e3", "1.5", "99999999999999999999", "٣", "１", "+2", "0x10", "2020-02-30",
    "2020-13", "20201", "2020/01/01", "二〇二〇", "memo", "relevance ", "DATE", "-Date", "<b>", '"', "%", "\u3000",
    "9" * 400, "区" * 600, "S/PRST/2021/9" * 40,
]
PARAMS = ["q", "type", "from", "to", "speaker", "symbol", "sort", "page", "per_page"]
ODD_PARAMS = ["Q", "q[]", "qq", "", "page ", "类型", "__proto__", "per-page"]


def seed() -> int:
    """The run's seed: UNDOCS_FUZZ_SEED, else 12 under CI, else a random one."""
    chosen = os.environ.get("UNDOCS_FUZZ_SEED")
    if chosen:
        return int(chosen)
    return 12 if os.environ.get("CI") else random.SystemRandom().randrange(1, 10**6)


def query(rng: random.Random) -> str:
    """A query assembled from pieces, or random characters, or an over-long one."""
    kind = rng.random()
    if kind < 0.7:
        return rng.choice(["", " ", ""]).join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))
    if kind < 0.9:
        return "".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0x80, 0x2fff), rng.randint(0x3000, 0x9fff),
                                       rng.randint(0xe000, 0x10ffff)])) for _ in range(rng.randint(1, 40)))
    return rng.choice(PIECES) * rng.randint(100, 700)


def parameters(rng: random.Random) -> list[tuple[str, str]]:
    """URL parameters: mostly a malformed query plus some bad or odd parameters, sometimes repeated."""
    params = [("q", query(rng))] if rng.random() < 0.9 else []
    for _ in range(rng.randint(0, 3)):
        name = rng.choice(PARAMS) if rng.random() < 0.85 else rng.choice(ODD_PARAMS)
        value = rng.choice(BAD_VALUES) if rng.random() < 0.6 else query(rng)
        params.append((name, value))
    return [(name, value.replace("\x00", "")) for name, value in params]


def paths(rng: random.Random) -> str:
    """A document path that is not a document: traversal, encodings, odd characters."""
    return rng.choice(["/doc/", "/api/doc/"]) + rng.choice([
        "..", "../etc/passwd", "%2e%2e/%2e%2e", "S_PRST_2021_9/..", "a" * 300, "<script>", "S_PRST_2021_9%00",
        "%ff%fe", "doc%20id", "%E6%96%87%E4%BB%B6", ".", "S_PRST_2021_9.txt", "~", "S_PRST_2021_9%23p1",
        quote(query(rng)[:80], safe=""),
    ])


def generate(n: int, rng: random.Random) -> Iterator[list[tuple[str, str]]]:
    for _ in range(n):
        yield parameters(rng)
