"""Per query: wall ms and CPU ms (this process and the searchd nodes) of run.py's 30 queries on a cluster.

    python benchmarks/sphinx_queries.py --index benchmarks/work/sphinx-x1000-n2 [--rounds 20] [QUERY ...]
    UNDOCS_BENCH_CODE=/tmp/old python benchmarks/sphinx_queries.py --index …   # the same with older code

The cluster is the one `run.py --backend sphinx --keep-cluster` left running (or `undocs cluster start`)
for that index; searches go through the search service in the API's shape (highlights as markup,
facets), one warm-up round, then `--rounds` of each query in turn. searchd CPU is read from /proc in
clock ticks (10 ms), so it is exact only summed over many rounds. Heaviest searchd CPU first.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODE = Path(os.environ.get("UNDOCS_BENCH_CODE", HERE.parent))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(CODE))
sys.path.insert(0, str(HERE))

from backends import _searchd_cpu  # noqa: E402
from run import QUERIES, percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True, help="the index folder of a running cluster")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("queries", nargs="*", help="only these of run.py's queries")
    args = parser.parse_args()
    from indexer.config import Config
    from indexer.models import SearchRequest
    from indexer.search.service import SearchService
    from webui.markup import results_json

    service = SearchService(args.index, Config(backend="sphinx"))
    chosen = [(q, f) for q, f in QUERIES if not args.queries or q in args.queries]
    totals = {q + str(f): service.search(SearchRequest(q=q, **f)).total for q, f in chosen}
    rows, walls = [], []
    for q, filters in chosen:
        searchd, own, wall = _searchd_cpu(args.index), time.process_time(), []
        for _ in range(args.rounds):
            start = time.perf_counter()
            results_json(service.search(SearchRequest(q=q, **filters)))
            wall.append((time.perf_counter() - start) * 1000)
        searchd = (_searchd_cpu(args.index) - searchd) * 1000 / args.rounds
        rows.append((q, filters, percentile(wall, 0.5), searchd, (time.process_time() - own) * 1000 / args.rounds))
        walls += wall
    service.close()
    print(f"{args.index} with code from {CODE}, {args.rounds} rounds")
    for q, filters, wall_p50, searchd, own in sorted(rows, key=lambda r: -r[3]):
        print(f"{q + ' ' + str(filters or ''):40} wall p50 {wall_p50:6.1f}   CPU searchd {searchd:6.1f} + own {own:5.1f}"
              f"   total {totals[q + str(filters)]}")
    print(f"all: wall p50/p95/max {percentile(walls, 0.5):.1f}/{percentile(walls, 0.95):.1f}/{max(walls):.1f} ms, "
          f"CPU per query searchd {sum(r[3] for r in rows) / len(rows):.1f} + own {sum(r[4] for r in rows) / len(rows):.1f} ms")


if __name__ == "__main__":
    main()
