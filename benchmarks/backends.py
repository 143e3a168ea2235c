"""Embedded vs distributed backend in one run: build time and CPU, query latency, same answers.

    python benchmarks/run.py --backend sphinx --scales 100,1000 --nodes 1,2 --port 9306

(run.py drives this module.) For each scale: the seeds ×N (run.py's scale_corpus), built by the
embedded backend and then, for each node count, by the sphinx backend on that many local searchd
nodes (started and stopped here; SphinxQL ports port, port+10, …; agents +6). Each build and each
query set runs in a fresh child process; build CPU counts the child, its worker processes and the
searchd processes (their CPU time before and after). Then run.py's 30 queries through the search
service in the API's shape (highlights as markup, facets), `--rounds` times after one warm-up
round: p50/p95/max ms and CPU ms per query (this process plus searchd). Same totals per query are
checked, not assumed, and the top-10 overlap says how many of the embedded backend's first ten
passages the sphinx backend also ranks first ten (copies of a seed are identical passages, so
beyond ×1 ties make the overlap say little).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from run import QUERIES, in_child, percentile, scale_corpus


def _searchd_cpu(index: Path) -> float:
    """CPU seconds used so far by the searchd processes of the cluster started for `index`."""
    import psutil

    from indexer.engine.sphinx import cluster

    total = 0.0
    for node in cluster.load_layout(index):
        pid = cluster.pid_of(node)
        if pid:
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
    return total


def _own_cpu() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child_build(corpus: Path, index: Path, backend: str) -> dict[str, Any]:
    """A full build by `backend`; CPU of this process, its workers and (sphinx) the searchd nodes."""
    from indexer.config import Config
    from indexer.engine import open_backend

    searchd = _searchd_cpu(index) if backend == "sphinx" else 0.0
    start, cpu = time.perf_counter(), _own_cpu()
    made = open_backend(Config(backend=backend), index)
    report = made.build(corpus, full=True, workers=Config().workers)
    seconds, cpu = time.perf_counter() - start, _own_cpu() - cpu
    searchd = (_searchd_cpu(index) - searchd) if backend == "sphinx" else 0.0
    made.close()
    return {"seconds": seconds, "cpu": cpu + searchd, "searchd_cpu": searchd, "documents": report.documents,
            "passages": report.passages, "failed": len(report.failed)}


def child_queries(index: Path, backend: str, rounds: int) -> dict[str, Any]:
    """Warm latencies and CPU of QUERIES (`rounds` times after a warm-up round), totals, first pages."""
    from indexer.config import Config
    from indexer.models import SearchRequest
    from indexer.search.service import SearchService
    from webui.markup import results_json

    service = SearchService(index, Config(backend=backend))
    latencies, totals, tops = [], {}, {}
    cpu = searchd = 0.0
    for r in range(rounds + 1):
        if r == 1:
            cpu, searchd = time.process_time(), _searchd_cpu(index) if backend == "sphinx" else 0.0
        for q, filters in QUERIES:
            start = time.perf_counter()
            results = service.search(SearchRequest(q=q, **filters))
            shown = results_json(results)  # the API's shape, highlights made as markup: part of the cost
            assert all(h["highlight"] for h in shown["hits"]) and results.facets is not None
            if r:
                latencies.append((time.perf_counter() - start) * 1000)
            totals[f"{q} {filters}"] = results.total
            tops[f"{q} {filters}"] = [h.passage_id for h in results.hits]
    searchd = (_searchd_cpu(index) - searchd) if backend == "sphinx" else 0.0
    asked = rounds * len(QUERIES)
    service.close()
    return {"latencies": latencies, "cpu_ms": 1000 * (time.process_time() - cpu + searchd) / asked,
            "searchd_ms": 1000 * searchd / asked, "totals": totals, "tops": tops}


CHILDREN = {"backend-build": child_build, "backend-queries": child_queries}


def child_params(name: str, rest: list[str]) -> list[Any]:
    return [Path(rest[0]), Path(rest[1]), rest[2]] if name == "backend-build" else [Path(rest[0]), rest[1], int(rest[2])]


def measure(factor: int, work: Path, node_counts: list[int], port: int, rounds: int,
            keep: bool = False) -> list[dict[str, Any]]:
    """One row per backend configuration at one scale: the embedded one first; `keep`: the last
    cluster stays up with its index (for load.py --kill-node)."""
    from indexer.engine.sphinx import cluster

    corpus = work / f"corpus-x{factor}"
    scale_corpus(factor, corpus)
    rows = []
    embedded = work / f"embedded-x{factor}"
    shutil.rmtree(embedded, ignore_errors=True)
    rows.append({"scale": factor, "backend": "embedded", "load": os.getloadavg()[0],
                 "build": in_child("backend-build", str(corpus), str(embedded), "embedded"),
                 "queries": in_child("backend-queries", str(embedded), "embedded", str(rounds))})
    shutil.rmtree(embedded, ignore_errors=True)
    for count in node_counts:
        index = work / f"sphinx-x{factor}-n{count}"
        shutil.rmtree(index, ignore_errors=True)
        cluster.start(index, count, port)
        try:
            row = {"scale": factor, "backend": f"sphinx, {count} node{'s' if count > 1 else ''}",
                   "load": os.getloadavg()[0], "build": in_child("backend-build", str(corpus), str(index), "sphinx"),
                   "queries": in_child("backend-queries", str(index), "sphinx", str(rounds))}
        finally:
            if not (keep and count == node_counts[-1]):
                cluster.stop(index)
                shutil.rmtree(index, ignore_errors=True)
        rows.append(row)
    return rows


def render(rows: list[dict[str, Any]], note: str) -> str:
    """One markdown table: a row per scale and backend."""
    lines = [f"`python benchmarks/run.py {note}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
             f"{os.cpu_count()} cores shared with other jobs (1-minute load average when each row started).", "",
             "| scale | backend | passages | build s | build CPU s (all processes) | … of it searchd | "
             "query p50 / p95 / max ms | query CPU ms (incl. searchd) | same totals | top-10 overlap | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    embedded: dict[str, Any] = {}
    for row in rows:
        build, queries = row["build"], row["queries"]
        if row["backend"] == "embedded":
            embedded = queries
        lat = queries["latencies"]
        same = sum(embedded["totals"][k] == v for k, v in queries["totals"].items())
        overlap = [len(set(embedded["tops"][k]) & set(v)) / len(embedded["tops"][k])
                   for k, v in queries["tops"].items() if embedded["tops"][k]]
        lines.append(f"| ×{row['scale']} | {row['backend']} | {build['passages']} | {build['seconds']:.1f} | "
                     f"{build['cpu']:.1f} | {build['searchd_cpu']:.1f} | {percentile(lat, 0.5):.1f} / "
                     f"{percentile(lat, 0.95):.1f} / {max(lat):.1f} | {queries['cpu_ms']:.1f} | "
                     f"{same}/{len(QUERIES)} | {sum(overlap) / len(overlap):.0%} | {row['load']:.1f} |")
    return "\n".join(lines) + "\n"
