"""Query latency per query and a cProfile of the query path, on an index the benchmark built.

    python benchmarks/profile_queries.py                       # benchmarks/work/index-x100
    python benchmarks/profile_queries.py --index benchmarks/work/index-x10 --rounds 3
    python benchmarks/profile_queries.py --profile work.prof   # also cProfile every query

Uses the live indexer/ (not a frozen copy): run it before and after a change to compare.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import QUERIES, percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=HERE / "work" / "index-x100")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the warm queries here")
    args = parser.parse_args()
    t0 = time.perf_counter()
    from indexer.models import SearchRequest
    from indexer.search.service import SearchService
    from webui.markup import results_json

    t1 = time.perf_counter()
    engine = SearchService(args.index)
    engine.search(SearchRequest(q=QUERIES[0][0], **QUERIES[0][1]))
    t2 = time.perf_counter()
    print(f"cold start {t2 - t0:.2f} s (import {t1 - t0:.2f} s, open + first query {t2 - t1:.2f} s)")
    profiler = cProfile.Profile() if args.profile else None
    latencies: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for q, filters in QUERIES:
            request = SearchRequest(q=q, **filters)
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            results = engine.search(request)
            shown = results_json(results)
            if profiler:
                profiler.disable()
            latencies.setdefault(f"{q} {filters or ''}", []).append((time.perf_counter() - start) * 1000)
            assert all(h["highlight"] for h in shown["hits"])
    flat = [v for vs in latencies.values() for v in vs]
    for label, values in sorted(latencies.items(), key=lambda kv: -max(kv[1])):
        print(f"{max(values):8.1f} ms  {label}")
    print(f"p50 {percentile(flat, 0.5):.1f} ms  p95 {percentile(flat, 0.95):.1f} ms  max {max(flat):.1f} ms")
    if profiler:
        profiler.dump_stats(str(args.profile))
        pstats.Stats(profiler).strip_dirs().sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
