"""Starvation: does one client sending many long legal queries in parallel starve a short query?

    python benchmarks/starve.py [--long-clients 16] [--seconds 20] [--port P] [--index DIR] [--corpus DIR]

Starts `undocs serve` on 127.0.0.1 (building the seed index into a temporary folder unless --index is
given), measures a short query's latency alone, then again while --long-clients threads send long
(near the 500-character limit) but legal queries back to back. Prints p50/p95/max of both, the long
queries' own latency, and the errors (must be 0; exit 1 otherwise). The waitress thread pool is
first come, first served: a short query waits at most for the long ones queued before it, so its
latency under load is bounded by (long clients / server threads) x the cost of one long query, which
is what the engine's query-cost bound caps.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from load import HOST, ROOT, free_port, start_server, wait_until_up

WORDS = ["安全理事会", "联合国", "秘书长", "会员国", "区域组织", "合作", "和平", "发展", "人权", "国际", "维持和平",
         "东盟", "非洲联盟", "决议", "报告"]
LONG_QUERIES = [
    " OR ".join(WORDS * 5)[:490].rsplit(" OR ", 1)[0],
    " ".join(f'"{a}{b}"' for a, b in itertools.pairwise(WORDS)) + " OR 区域",
    " OR ".join(f"date:{year}" for year in range(1960, 2030))[:490].rsplit(" OR ", 1)[0],
    " OR ".join(f"({a} {b})" for a, b in zip(WORDS, reversed(WORDS), strict=True)),
    " ".join(f"{w}*" for w in WORDS) + " OR " + " OR ".join(WORDS),
]
SHORT_QUERIES = ["东盟", "制裁", "调解", "文号:S/PRST/2021/9"]


def search(port: int, q: str) -> tuple[float, str | None]:
    """Seconds taken and an error (None when the answer is a 200 JSON result)."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request("GET", "/api/search?" + urlencode({"q": q, "per_page": 20}))
        response = conn.getresponse()
        response.read()
        error = None if response.status == 200 else f"HTTP {response.status} for {q[:40]}"
    except OSError as exc:
        error = f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()
    return time.perf_counter() - start, error


def run_short(port: int, seconds: float, errors: list[str]) -> list[float]:
    """One client sending short queries one after another for `seconds`."""
    times: list[float] = []
    end = time.monotonic() + seconds
    for q in itertools.cycle(SHORT_QUERIES):
        if time.monotonic() >= end:
            return times
        took, error = search(port, q)
        times.append(took)
        if error:
            errors.append(error)
    return times


def run_long(port: int, stop: threading.Event, times: list[float], errors: list[str], offset: int) -> None:
    for q in itertools.islice(itertools.cycle(LONG_QUERIES), offset, None):
        if stop.is_set():
            return
        took, error = search(port, q)
        times.append(took)
        if error:
            errors.append(error)


def describe(name: str, times: list[float]) -> str:
    if not times:
        return f"{name}: no requests"
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (f"{name}: {len(times)} requests, p50 {statistics.median(ordered) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms")


def measure(port: int, long_clients: int, seconds: float, threads: int) -> int:
    errors: list[str] = []
    for q in [*LONG_QUERIES, *SHORT_QUERIES]:  # warm caches and check every query is legal
        _, error = search(port, q)
        if error:
            errors.append(error)
    alone = run_short(port, seconds / 2, errors)
    long_alone = [search(port, q)[0] for q in LONG_QUERIES * 3]
    stop, long_times = threading.Event(), []
    clients = [threading.Thread(target=run_long, args=(port, stop, long_times, errors, i), daemon=True)
               for i in range(long_clients)]
    for thread in clients:
        thread.start()
    loaded = run_short(port, seconds, errors)
    stop.set()
    for thread in clients:
        thread.join(timeout=180)
    print(describe("short query alone           ", alone))
    print(describe(f"short query, {long_clients:2d} long clients", loaded))
    print(describe("long queries (under load)   ", long_times))
    print(describe("long query alone            ", long_alone))
    if alone and loaded:
        print(f"short p50 slowdown under load: x{statistics.median(loaded) / statistics.median(alone):.1f}")
        bound = (long_clients / threads + 1) * max(long_alone)
        print(f"first-come-first-served bound (long clients / threads + 1) x slowest long query alone: "
              f"{bound * 1000:.0f} ms; short max under load {max(loaded) * 1000:.0f} ms")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long-clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of the loaded phase (default 20)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--index", type=Path, help="index folder (default: a temporary one built from corpus/)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = parser.parse_args(argv)
    port = args.port or free_port()
    with tempfile.TemporaryDirectory(prefix="undocs-starve-") as tmp:
        log = Path(tmp) / "serve.log"
        proc = start_server(port, args.index or Path(tmp) / "index", args.corpus, log)
        try:
            wait_until_up(port, proc)
            found = re.search(r"with (\d+) threads", log.read_text("utf-8", "replace"))
            threads = int(found.group(1)) if found else 4
            print(f"undocs serve on port {port}, {threads} request threads")
            return measure(port, args.long_clients, args.seconds, threads)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
