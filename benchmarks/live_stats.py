"""CPU per query on a ×N corpus after an incremental build (deletions in the big segment) and after a full build.

    python benchmarks/live_stats.py --scale 10                 # prints a table
    UNDOCS_BENCH_CODE=/tmp/frozen python benchmarks/live_stats.py --scale 10   # another copy of the code

Why: BM25 statistics over live passages only (engine/livestats.py) count a term's live postings in
segments with deletions; this measures what that costs per query. Each state (incremental, full)
is measured in a fresh child process: the first pass over the query set is "cold" (per-generation
caches empty), the next passes "warm" (the scorer's term cache answers). CPU time of the process,
not wall time (other workers share the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CODE = Path(os.environ.get("UNDOCS_BENCH_CODE", HERE.parent))
sys.path.insert(0, str(CODE))
sys.path.insert(1, str(HERE))

from run import QUERIES, scale_corpus  # noqa: E402

WARM_PASSES = 5


def change_corpus(corpus: Path) -> None:
    """Delete two files, change two, add one: the big segment then holds deleted passages."""
    for name in ("S_2021_130.txt", "S_PRST_2021_9-c001.txt"):
        (corpus / name).unlink()
    for name in ("A_75_345-S_2020_901.txt", "S_PRST_2021_9-c002.txt"):
        path = corpus / name
        path.write_text(path.read_text(encoding="utf-8") + "\n\n安全理事会欢迎区域组织在维持和平方面的合作。\n",
                        encoding="utf-8")
    (corpus / "later.txt").write_text("联合国\n\n关于区域合作的说明\n\n秘书长报告安全理事会与非洲联盟的合作。\n",
                                      encoding="utf-8")


def child(index: Path) -> dict[str, Any]:
    from indexer.config import Config
    from indexer.engine import open_backend
    from indexer.models import SearchRequest
    from indexer.search.service import SearchService

    backend = open_backend(Config(backend="embedded"), index)
    service = SearchService(backend=backend)
    backend.document_ids()  # opens the generation: not a query's time
    requests = [SearchRequest(q=q, **filters) for q, filters in QUERIES]

    def one_pass() -> list[float]:
        spent = []
        for request in requests:
            start = time.process_time()
            service.search(request)
            spent.append(time.process_time() - start)
        return spent

    cold = one_pass()
    warm = [statistics.median(col) for col in zip(*(one_pass() for _ in range(WARM_PASSES)), strict=True)]
    backend.close()
    return {"cold_ms": 1000 * sum(cold), "warm_ms": 1000 * sum(warm)}


def measure(index: Path, runs: int) -> dict[str, float]:
    rows = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, "--child", str(index)], check=True, capture_output=True,
                             text=True, env={**os.environ, "UNDOCS_BENCH_CODE": str(CODE)})
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: min(r[key] for r in rows) for key in rows[0]}


def build(corpus: Path, index: Path, full: bool) -> None:
    subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]);"
                    "from indexer.engine.build import build_index;"
                    "build_index(__import__('pathlib').Path(sys.argv[2]), __import__('pathlib').Path(sys.argv[3]),"
                    " full=sys.argv[4] == '1', progress=False)", str(CODE), str(corpus), str(index), "1" if full else "0"],
                   check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3, help="child processes per state; the minimum is kept")
    parser.add_argument("--work", type=Path, default=HERE / "work" / "live-stats")
    parser.add_argument("--child", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    corpus, incremental, full = args.work / "corpus", args.work / "incremental", args.work / "full"
    for folder in (incremental, full):
        shutil.rmtree(folder, ignore_errors=True)
    scale_corpus(args.scale, corpus)
    build(corpus, incremental, full=True)
    change_corpus(corpus)
    build(corpus, incremental, full=False)
    build(corpus, full, full=True)
    print(f"code: {CODE}, ×{args.scale}, {len(QUERIES)} queries, CPU ms for the whole set (min of {args.runs} runs)")
    for name, index in (("incremental", incremental), ("full", full)):
        got = measure(index, args.runs)
        print(f"{name:12} cold {got['cold_ms']:8.1f} ms   warm {got['warm_ms']:8.1f} ms")


if __name__ == "__main__":
    main()
