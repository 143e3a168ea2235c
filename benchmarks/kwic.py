"""Time concordance (KWIC) pages on the seed corpus scaled ×N (run.py's scaling): prints numbers.

    python benchmarks/kwic.py                      # ×100 in benchmarks/work/kwic-x100 (built once, reused)
    python benchmarks/kwic.py --scale 10
    python benchmarks/kwic.py --index /path/to/index   # an index built already

For each query, in CPU ms: the first page in date order (the engine lists every matching passage
with its number of marks, Backend.occurrences, counted per year and type; only the page's passages
are read and cut into lines) and the next; sorted by left and by right context, the first page asked first
(Backend.context_order orders every line by its keys, then the page's passages are read), the next
and the middle one (the order is kept by the concordancer). Before the table, the CPU time of the
generation's first context sort (it rebuilds the text table from the postings once).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

QUERIES = ["安全理事会", "和平", "区域组织", '"区域和次区域组织"', "所有必要措施", "charter:VIII 区域", "S/2021/130"]


def ensure_index(scale: int, work: Path) -> Path:
    """The ×scale corpus and its index, made on first use."""
    from run import scale_corpus

    from indexer.engine.build import build_index

    corpus, index = work / f"kwic-x{scale}" / "corpus", work / f"kwic-x{scale}" / "index"
    if not (index / "CURRENT").exists():
        scale_corpus(scale, corpus)
        started = time.perf_counter()
        report = build_index(corpus, index, progress=False)
        print(f"built ×{scale}: {report.summary()} ({time.perf_counter() - started:.1f} s)")
    return index


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    """Wall milliseconds (what a user waits) and the result."""
    started = time.perf_counter()
    result = run()
    return (time.perf_counter() - started) * 1000, result


def cpu_timed(run: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU milliseconds: on a shared, loaded machine the CPU time is the steadier number."""
    cpu = time.process_time()
    wall, result = timed(run)
    return wall, (time.process_time() - cpu) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--index", type=Path)
    parser.add_argument("--per-page", type=int, default=100)
    args = parser.parse_args()
    from indexer.models import SearchRequest
    from indexer.search.concordance import Concordancer
    from indexer.search.service import SearchService

    index = args.index or ensure_index(args.scale, HERE / "work")
    service = SearchService(index)
    service.search(SearchRequest(q="和平"))  # open the index and load jieba outside the timings
    _, table_cpu, _ = cpu_timed(lambda: Concordancer(service).concordance(SearchRequest(q="和平"), sort="left"))
    print(f"index {index}  load average {os.getloadavg()[0]:.1f}  per_page {args.per_page}  "
          f"first context sort of the generation (和平, left): {table_cpu:.0f} ms CPU")
    print("CPU ms (time.process_time) per page; 'p2'/'mid': page 2 / the middle page after the first (cached order)")
    print(f"{'query':<22}{'lines':>8}{'passages':>9}{'date':>7}{'p2':>6}{'left':>7}{'p2':>6}{'mid':>6}"
          f"{'right':>7}{'p2':>6}{'mid':>6}")
    firsts = []
    for q in QUERIES:
        kwic = Concordancer(service)  # a new one per query: the first page is never served from a cache
        request = partial(SearchRequest, q=q, per_page=args.per_page)
        _, cpu, found = cpu_timed(partial(kwic.concordance, request()))
        middle = max(1, found.total // args.per_page // 2)
        row = [cpu, cpu_timed(partial(kwic.concordance, request(page=2)))[1]]
        for sort in ("left", "right"):
            kwic = Concordancer(service)  # asked first: the passages are listed and counted too
            row += [cpu_timed(partial(kwic.concordance, request(page=n), sort=sort))[1] for n in (1, 2, middle)]
        firsts.append(cpu)
        print(f"{q:<22}{found.total:>8}{found.passages:>9}" + "".join(f"{v:>{w}.0f}" for v, w in
                                                                    zip(row, (7, 6, 7, 6, 6, 7, 6, 6), strict=True)))
    print(f"first page median {statistics.median(firsts):.0f} ms CPU; load average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
