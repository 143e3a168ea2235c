"""Query latency per query class on a built index: wall and CPU time, p50/p95/max.

    python benchmarks/query_classes.py benchmarks/work/index-x1000
    UNDOCS_BENCH_CODE=/path/to/other/checkout python benchmarks/query_classes.py INDEX   # other code

CPU time (this process only) is printed beside wall time: on a machine shared with other jobs the
wall time of a query grows with the load, its CPU time much less, so two runs made under different
loads compare by CPU time. Classes: run.py's 30 queries, the same sorted by date (both ways),
filters only, long OR queries (single characters and words) and phrases. Each query's time includes
the highlights as the API makes them (webui.markup.results_json) and the facet counts. Also printed:
the cold start (imports + open + first query) and the process's RSS at the end and at its peak.
It prints numbers; it is not a test.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

CODE = Path(os.environ.get("UNDOCS_BENCH_CODE", Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(CODE))

# (query, filters): words, phrases, symbols, boolean, field syntax and filters.
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("安全理事会", {}), ("维持和平", {}), ("区域组织", {}), ("非洲联盟", {}), ('"区域和次区域组织"', {}),
    ("集体安全", {}), ('"联合国宪章第八章"', {}), ("人道主义 援助", {}), ("冲突 预防", {}), ("妇女 和平 安全", {}),
    ("S/2021/130", {}), ("S/PRST/2021/9", {}), ("A/75/345", {}), ("第2532(2020)号决议", {}), ("COVID-19", {}),
    ("冠状病毒病", {}), ("秘书长 报告", {}), ("东南亚国家联盟 OR 欧洲联盟", {}), ("和平 NOT 冲突", {}),
    ("恐怖主义", {}), ("调解", {}), ("选举", {}), ("安理会", {}), ("阿拉伯国家联盟", {}), ("伙伴关系", {}),
    ("安全", {"doc_type": "主席声明"}), ("合作", {"date_from": "2020", "date_to": "2021"}),
    ("和平", {"speaker": "秘书长"}), ("区域", {"symbol": "S/PRST"}), ("非洲", {"doc_type": "报告"}),
]

CHARS = "安全理事会和平区域组织合作发展人权妇女儿童"
CLASSES: dict[str, list[tuple[str, dict[str, str]]]] = {
    "run.py queries": QUERIES,
    "sorted by date": [(q, {**f, "sort": s}) for q, f in QUERIES[:10] for s in ("date", "-date")],
    "filters only": [("*", {"doc_type": "主席声明"}), ("*", {"date_from": "2020", "date_to": "2021"}),
                     ("*", {"speaker": "秘书长"}), ("*", {"symbol": "S/PRST"}), ("*", {"doc_type": "报告"})],
    "long OR": [(" OR ".join(CHARS[: n]), {}) for n in (8, 16, 20)]
    + [(" OR ".join(["安全", "和平", "发展", "合作", "冲突", "人道主义", "选举", "调解", "妇女", "儿童"]), {})],
    "phrases": [('"区域和次区域组织"', {}), ('"联合国宪章第八章"', {}), ('"维持国际和平与安全"', {}),
                ('"秘书长的报告"', {}), ('"安全理事会"', {})],
}


def main() -> None:
    start, cpu = time.perf_counter(), time.process_time()
    from indexer.models import SearchRequest
    from indexer.search.service import SearchService
    from webui.markup import results_json

    index = Path(sys.argv[1])
    engine = SearchService(index)
    engine.search(SearchRequest(q=QUERIES[0][0]))
    print(f"{index} with code from {CODE}: cold start (import + open + first query) "
          f"{time.perf_counter() - start:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
    out = {}
    for name, queries in CLASSES.items():
        wall, cpu, partial = [], [], 0
        for q, params in queries:
            t0, c0 = time.perf_counter(), time.process_time()
            results = engine.search(SearchRequest(q=q, **params))
            results_json(results)  # the API's shape with highlights made as markup: part of the cost
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            partial += bool(getattr(results, "partial", False))
        out[name] = {"wall": wall, "cpu": cpu, "partial": partial}
        print(f"{name:16} wall p50/p95/max {_stats(wall)}   CPU p50/p95/max {_stats(cpu)}"
              + (f"   {partial} partial" if partial else ""))
    print(f"searcher RSS now / peak: {_status('VmRSS')} / {_status('VmHWM')} MiB")
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_text(json.dumps(out), encoding="utf-8")


def _status(key: str) -> int:
    """A memory figure of this process from /proc/self/status, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) // 1024
    return 0


def _stats(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(values):6.1f} / {p95:6.1f} / {max(values):6.1f} ms"


if __name__ == "__main__":
    main()
