"""Load test: `undocs serve` (waitress) on loopback, 20 concurrent clients for 60 s, latency percentiles.

    python benchmarks/load.py [--seconds 60] [--clients 20] [--max-requests N] [--index DIR]

Starts the server as a subprocess on 127.0.0.1 on a free port (building the seed index from corpus/
into a temporary folder unless --index is given), runs a fixed mix of searches, filtered searches,
document pages and API calls, prints requests/s, p50/p95/p99 latency and the error count (which
must be 0; the exit status is 1 otherwise), then stops the server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
QUERIES = ("区域组织", "安全理事会", "维持和平", "东盟", "非洲联盟", '"区域和次区域组织"', "秘书长 报告",
           "冲突 NOT 伊拉克", "文号:S/PRST/2021/9", "合作 OR 伙伴关系", "制裁", "调解")
FILTERS = ({"type": "主席声明"}, {"type": "报告"}, {"from": "2020", "to": "2021"}, {"speaker": "秘书长"},
           {"symbol": "S/2021"}, {"sort": "-date"}, {"page": "2"})
REQUEST_TIMEOUT = 30.0


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)

    def count(self) -> int:
        with self.lock:
            return len(self.latencies)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(port: int, index_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    """`undocs serve` as a subprocess; its build progress and log go to `log`."""
    cmd = [sys.executable, "-m", "indexer.cli", "serve", "--host", HOST, "--port", str(port),
           "--index", str(index_dir), "--corpus", str(ROOT / "corpus")]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UNDOCS_DEBUG": ""}
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_until_up(port: int, proc: subprocess.Popen[bytes], timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with status {proc.returncode}")
        try:
            status, _ = get(port, "/")
            if status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("server did not come up in time")


def get(port: int, path: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


def discover_docs(port: int) -> list[str]:
    """Document ids from a broad search, so document pages are real ones."""
    status, body = get(port, "/api/search?" + urlencode({"q": "安全理事会", "per_page": 100}))
    if status != 200:
        raise SystemExit(f"/api/search answered {status}: {body[:200]!r}")
    ids = sorted({hit["doc_id"] for hit in json.loads(body)["hits"]})
    return ids or ["S_PRST_2021_9"]


def request_mix(doc_ids: list[str], rng: random.Random) -> str:
    """One request path: searches, filtered searches, document pages, API calls."""
    q = rng.choice(QUERIES)
    roll = rng.random()
    if roll < 0.35:
        return "/?" + urlencode({"q": q})
    if roll < 0.55:
        return "/?" + urlencode({"q": q, **rng.choice(FILTERS)})
    if roll < 0.75:
        doc = rng.choice(doc_ids)
        return f"/doc/{quote(doc)}" + ("?" + urlencode({"q": q}) if rng.random() < 0.5 else "")
    if roll < 0.9:
        return "/api/search?" + urlencode({"q": q, **rng.choice(FILTERS)})
    return f"/api/doc/{quote(rng.choice(doc_ids))}"


def client(port: int, doc_ids: list[str], until: float, limit: int, stats: Stats, seed: int) -> None:
    """One client: requests back to back on a keep-alive connection until the time or count runs out."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        while time.monotonic() < until and stats.count() < limit:
            path = request_mix(doc_ids, rng)
            start = time.perf_counter()
            error = None
            try:
                status, _ = get(port, path, conn)
                if status >= 400:
                    error = f"{status} {path}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__} {path}"
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
            stats.add(time.perf_counter() - start, error)
    finally:
        conn.close()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def run(seconds: float, clients: int, limit: int, index_dir: Path) -> int:
    port = free_port()
    log = ROOT / "benchmarks" / "work" / "server.log"
    proc = start_server(port, index_dir, log)
    print(f"server on http://{HOST}:{port}/ (log: {log.relative_to(ROOT)})", flush=True)
    try:
        wait_until_up(port, proc)
        doc_ids = discover_docs(port)
        stats = Stats()
        until = time.monotonic() + seconds
        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(port, doc_ids, until, limit, stats, n)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    report(stats, elapsed, clients)
    return 1 if stats.errors or not stats.latencies else 0


def report(stats: Stats, elapsed: float, clients: int) -> None:
    n = len(stats.latencies)
    ms = [s * 1000 for s in stats.latencies] or [0.0]
    print(f"clients: {clients}   duration: {elapsed:.1f} s   requests: {n}")
    print(f"requests/s: {n / elapsed:.1f}")
    print(f"latency ms: p50 {percentile(ms, 50):.1f}   p95 {percentile(ms, 95):.1f}   "
          f"p99 {percentile(ms, 99):.1f}   mean {statistics.fmean(ms):.1f}   max {max(ms):.1f}")
    print(f"errors: {len(stats.errors)}")
    for error in stats.errors[:10]:
        print(f"  {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the clients run (default 60)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many (default 200000)")
    parser.add_argument("--index", type=Path, help="index folder (default: a temporary one built from corpus/)")
    args = parser.parse_args(argv)
    if args.index:
        return run(args.seconds, args.clients, args.max_requests, args.index)
    with tempfile.TemporaryDirectory(prefix="undocs-load-") as tmp:
        return run(args.seconds, args.clients, args.max_requests, Path(tmp) / "index")


if __name__ == "__main__":
    sys.exit(main())
