"""Embedded vs distributed backend on the same scaled seed corpus: build time and query latency.

    python benchmarks/backends.py --scales 1,10 --nodes 2 --port 9370

For each scale: the seeds ×N (benchmarks/run.py's scale_corpus), built by the embedded backend
and by the sphinx backend on N local searchd nodes (started and stopped here, ports from --port),
then the benchmark queries of run.py (words, phrases, symbols, boolean, filters) through the
search service in the API's shape (highlights as markup, facets), `--rounds` times each after
one warm-up round. Prints one table; same totals per query are checked, not assumed, and how many
of the embedded backend's first ten passages the sphinx backend also ranks in its first ten (copies
of a seed are identical passages, so beyond ×1 the overlap says little).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import QUERIES, scale_corpus  # noqa: E402

from indexer.config import Config  # noqa: E402
from indexer.engine import open_backend  # noqa: E402
from indexer.models import SearchRequest  # noqa: E402
from indexer.search.service import SearchService  # noqa: E402
from webui.markup import results_json  # noqa: E402


def timed_queries(service: SearchService, rounds: int) -> tuple[list[float], dict[str, int], dict[str, set[str]]]:
    """Milliseconds per query (all rounds), the total each query found and its first ten passages."""
    totals: dict[str, int] = {}
    tops: dict[str, set[str]] = {}
    times: list[float] = []
    for r in range(rounds + 1):
        for q, filters in QUERIES:
            start = time.perf_counter()
            found = service.search(SearchRequest(q=q, **filters))
            results_json(found)
            if r:  # round 0 warms caches
                times.append((time.perf_counter() - start) * 1000)
            totals[f"{q} {filters}"] = found.total
            tops[f"{q} {filters}"] = {h.passage_id for h in found.hits}
    return times, totals, tops


def measure(backend_name: str, corpus: Path, index: Path, rounds: int) -> dict[str, Any]:
    backend = open_backend(Config(backend=backend_name), index)
    start = time.perf_counter()
    report = backend.build(corpus, full=True, workers=Config().workers)
    build_s = time.perf_counter() - start
    with SearchService(backend=backend) as service:
        times, totals, tops = timed_queries(service, rounds)
    times.sort()
    return {"build_s": build_s, "passages": report.passages, "p50": statistics.median(times),
            "p95": times[int(0.95 * (len(times) - 1))], "totals": totals,
            "tops": tops}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--port", type=int, default=9306, help="SphinxQL port of the first node")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from indexer.engine.sphinx import cluster

    print("| scale | passages | backend | build s | query p50 ms | query p95 ms | same totals | top-10 overlap |")
    print("|---|---|---|---|---|---|---|---|")
    for scale in (int(s) for s in args.scales.split(",")):
        with tempfile.TemporaryDirectory(prefix="undocs-bench-") as tmp:
            corpus = Path(tmp) / "corpus"
            scale_corpus(scale, corpus)
            embedded = measure("embedded", corpus, Path(tmp) / "embedded", args.rounds)
            index = Path(tmp) / "sphinx"
            cluster.start(index, args.nodes, args.port)
            try:
                sphinx = measure("sphinx", corpus, index, args.rounds)
            finally:
                cluster.stop(index)
            same = sum(embedded["totals"][k] == sphinx["totals"][k] for k in embedded["totals"])
            shared = [len(embedded["tops"][k] & sphinx["tops"][k]) / max(1, len(embedded["tops"][k]))
                      for k in embedded["tops"]]
            for name, row in (("embedded", embedded), (f"sphinx ×{args.nodes} nodes", sphinx)):
                print(f"| ×{scale} | {row['passages']} | {name} | {row['build_s']:.1f} | {row['p50']:.1f} | "
                      f"{row['p95']:.1f} | {same}/{len(QUERIES)} | {sum(shared) / len(shared):.0%} |", flush=True)


if __name__ == "__main__":
    main()
