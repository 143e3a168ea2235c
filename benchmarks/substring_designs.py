"""Exact-substring recall: the two designs measured on the same passages and needles.

    python benchmarks/substring_designs.py benchmarks/work/index-x1000

* scan: every passage's normalised, compacted text joined in one string, `str.find` per query word
  (what undocs did before: exact by construction, no build cost, time grows with the corpus);
* bigrams: per bigram the sorted positions where it starts (numpy), a needle found by intersecting
  the position lists of the bigrams covering it (what undocs does now: substring.py).

Both must return the same docnum -> occurrences for every needle (checked); the script prints the
build time, the memory each holds and p50/p95/max lookup time per needle class. It prints numbers,
it is not a test.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
from bisect import bisect_right
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.engine.store import open_index  # noqa: E402
from indexer.engine.substring import SEPARATOR, Grams, SubstringIndex  # noqa: E402
from indexer.language.normalize import compact_text, normalize  # noqa: E402

WORDS = ["安全理事会", "维持和平", "区域组织", "非洲联盟", "区域和次区域组织", "集体安全", "冠状病毒病", "秘书长",
         "恐怖主义", "调解", "选举", "安理会", "阿拉伯国家联盟", "伙伴关系", "合作", "和平", "非洲"]
SINGLE = ["的", "和", "国", "会", "安", "盟"]
SEGMENT = 60_000  # passages per postings segment (the builder writes one per Whoosh segment)


class Scan:
    """The previous design: one string, str.find per passage hit, str.count per passage."""

    def __init__(self, parts: list[str]) -> None:
        self.text = SEPARATOR.join(parts)
        self.starts, pos = [], 0
        for part in parts:
            self.starts.append(pos)
            pos += len(part) + 1

    def find(self, needle: str) -> Counter[int]:
        counts: Counter[int] = Counter()
        text, starts, find, count = self.text, self.starts, self.text.find, self.text.count
        at = find(needle)
        while at >= 0:
            k = bisect_right(starts, at) - 1
            end = starts[k + 1] - 1 if k + 1 < len(starts) else len(text)
            counts[k] = count(needle, at, end)
            at = find(needle, end)
        return counts


def passages(index: Path) -> list[str]:
    ix = open_index(index)
    with ix.searcher() as s:
        texts = [fields.get("text", "") for _, fields in s.reader().iter_docs()]
    ix.close()
    return [compact_text(normalize(t)) for t in texts]


def sampled(parts: list[str], n: int = 200) -> list[str]:
    rng = random.Random(11)
    runs = [m.group(0) for p in rng.sample(parts, min(2000, len(parts))) for m in re.finditer(r"[\u4e00-\u9fff]{2,}", p)]
    out = []
    for run in rng.sample(runs, min(n, len(runs))):
        size = rng.randint(2, min(8, len(run)))
        start = rng.randint(0, len(run) - size)
        out.append(run[start : start + size])
    return out


def timed(find: object, needles: list[str]) -> tuple[list[float], list[Counter[int]]]:
    times, found = [], []
    for needle in needles:
        start = time.perf_counter()
        found.append(Counter(find(needle)))  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return times, found


def main() -> None:
    index = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "benchmarks" / "work" / "index-x100"
    parts = passages(index)
    chars = sum(map(len, parts))
    start = time.perf_counter()
    scan = Scan(parts)
    scan_build = time.perf_counter() - start
    start = time.perf_counter()
    grams = SubstringIndex.of_segments([(Grams.build(parts[i : i + SEGMENT]), np.arange(i, min(i + SEGMENT, len(parts))))
                                        for i in range(0, len(parts), SEGMENT)])
    grams_build = time.perf_counter() - start
    grams_mib = sum(a.nbytes for g, _ in grams.segments for a in g.arrays().values()) / 2**20
    print(f"{index.name}: {len(parts):,} passages, {chars:,} characters")
    print(f"{'design':8} {'build s':>8} {'MiB':>7}   " + "   ".join(f"{c:>22}" for c in ("words p50/p95/max ms",
          "sampled p50/p95/max ms", "single char p50/p95/max")))
    rows = {}
    for name, find, build, mib in (("scan", scan.find, scan_build, len(scan.text) * 2 / 2**20),
                                   ("bigrams", grams.find, grams_build, grams_mib)):
        cells, results = [], []
        for needles in (WORDS, sampled(parts), SINGLE):
            times, found = timed(find, needles)
            results.append(found)
            cells.append(f"{statistics.median(times):6.2f} / {_p95(times):6.2f} / {max(times):7.2f}")
        rows[name] = results
        print(f"{name:8} {build:8.2f} {mib:7.1f}   " + "   ".join(f"{c:>22}" for c in cells))
    assert rows["scan"] == rows["bigrams"], "the designs disagree"
    print("both designs found the same passages and counts for every needle")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
