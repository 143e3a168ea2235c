"""Load test: `undocs serve` (waitress) on loopback, 20 concurrent clients for 60 s, latency percentiles.

    python benchmarks/load.py [--seconds 60] [--clients 20] [--max-requests N] [--index DIR]
                              [--corpus DIR] [--rebuilds N]

Starts the server as a subprocess on 127.0.0.1 on a free port (building the seed index from corpus/
into a temporary folder unless --index is given), runs a fixed mix of searches, filtered searches,
document pages and API calls, prints requests/s, p50/p95/p99 latency and the error count (which
must be 0; the exit status is 1 otherwise), then stops the server.

With --rebuilds N, `undocs build` replaces the generation N times while the clients run: each build
indexes a new version k of a marker document ("负载标记第k版") in a copy of the corpus. Every
response names its generation (X-Undocs-Generation); a response that shows two versions, or a
generation seen with two versions, is counted as mixed (must be 0).

With --kill-node S (UNDOCS_BACKEND=sphinx, --index a folder with `undocs cluster start`ed nodes),
the last node is killed (SIGKILL) S seconds into the run: searches must keep answering (errors 0),
with a warning; pages of documents whose only copy was on that node are counted apart.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
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
MARKER_FILE = "undocs-load-marker.txt"
MARKER_DOC = "undocs-load-marker"
MARKER_QUERY = "雪豹保护区"
MARKER_SYMBOL = "S/2099/77"
CITING_FILE = "undocs-load-citing.txt"
MARKER_RE = re.compile(r"负载标记第(\d+)版".encode())


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    versions: dict[str, set[int]] = field(default_factory=dict)  # generation -> marker versions shown
    mixed: list[str] = field(default_factory=list)
    builds: list[str] = field(default_factory=list)  # outcome of each rebuild

    def add(self, seconds: float, error: str | None, generation: str = "", body: bytes = b"") -> None:
        shown = {int(v) for v in MARKER_RE.findall(body)}
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)
            if generation:
                seen = self.versions.setdefault(generation, set())
                seen |= shown
                if len(shown) > 1 or len(seen) > 1:
                    self.mixed.append(f"{generation}: versions {sorted(seen | shown)}")

    def count(self) -> int:
        with self.lock:
            return len(self.latencies)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(port: int, index_dir: Path, corpus: Path, log: Path) -> subprocess.Popen[bytes]:
    """`undocs serve` as a subprocess; its build progress and log go to `log`."""
    cmd = [sys.executable, "-m", "indexer.cli", "serve", "--host", HOST, "--port", str(port),
           "--index", str(index_dir), "--corpus", str(corpus)]
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
    status, body, _ = get_with_generation(port, path, conn)
    return status, body


def get_with_generation(port: int, path: str, conn: http.client.HTTPConnection | None = None
                        ) -> tuple[int, bytes, str]:
    """Status, body and the generation the server answered from ("" if it did not say)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("X-Undocs-Generation") or ""
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


def request_mix(doc_ids: list[str], rng: random.Random, marker: bool = False) -> str:
    """One request path: searches, filtered searches, document pages, API calls (and the marker's)."""
    q = rng.choice(QUERIES)
    roll = rng.random()
    if marker and roll < 0.3:
        return rng.choice(["/?" + urlencode({"q": MARKER_QUERY}), "/api/search?" + urlencode({"q": MARKER_QUERY}),
                           f"/doc/{MARKER_DOC}?" + urlencode({"q": MARKER_QUERY}), f"/api/doc/{MARKER_DOC}"])
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


def client(port: int, doc_ids: list[str], stop: threading.Event, limit: int, stats: Stats, seed: int,
           marker: bool = False) -> None:
    """One client: requests back to back on a keep-alive connection until stopped or the count runs out."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        while not stop.is_set() and stats.count() < limit:
            path = request_mix(doc_ids, rng, marker)
            start = time.perf_counter()
            error, generation, body = None, "", b""
            try:
                status, body, generation = get_with_generation(port, path, conn)
                if status >= 400:
                    error = f"{status} {path}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__} {path}"
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
            stats.add(time.perf_counter() - start, error, generation, body)
    finally:
        conn.close()


def write_marker(corpus: Path, version: int) -> None:
    """The marker document (symbol MARKER_SYMBOL) and a note citing it, both at `version`: its page shows
    its own passages and the citing one, two engine calls that must come from one generation."""
    (corpus / MARKER_FILE).write_text(
        f"负载标记第{version}版说明\n\n1. 本说明是负载标记第{version}版，关于{MARKER_QUERY}。\n\n"
        f"2. {MARKER_QUERY}的负载标记第{version}版到此为止。\n", encoding="utf-8")
    (corpus / MARKER_FILE.replace(".txt", ".meta.toml")).write_text(
        f'symbols = ["{MARKER_SYMBOL}"]\n', encoding="utf-8")
    (corpus / CITING_FILE).write_text(
        f"关于负载标记的引用说明\n\n1. 负载标记第{version}版引用了 {MARKER_SYMBOL} 号文件。\n", encoding="utf-8")


def rebuilder(corpus: Path, index_dir: Path, count: int, interval: float, stats: Stats) -> None:
    """Replace the live generation `count` times while the clients run: a new marker version each time."""
    for version in range(2, count + 2):
        time.sleep(interval)
        write_marker(corpus, version)
        cmd = [sys.executable, "-m", "indexer.cli", "build", "--corpus", str(corpus), "--index", str(index_dir),
               "--quiet"]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        with stats.lock:
            stats.builds.append("ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr[-300:]}")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def kill_node_later(index_dir: Path, after: float) -> threading.Timer:
    """SIGKILL the last searchd node of the index's cluster after `after` seconds."""
    import signal

    from indexer.engine.sphinx import cluster

    def kill() -> None:
        node = cluster.load_layout(index_dir)[-1]
        pid = cluster.pid_of(node)
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            print(f"killed node {node.address} (pid {pid})", flush=True)

    timer = threading.Timer(after, kill)
    timer.start()
    return timer


def run(seconds: float, clients: int, limit: int, index_dir: Path, corpus: Path, rebuilds: int = 0,
        kill_after: float | None = None, port: int = 0) -> int:
    port = port or free_port()
    log = ROOT / "benchmarks" / "work" / "server.log"
    if rebuilds:
        write_marker(corpus, 1)
    proc = start_server(port, index_dir, corpus, log)
    print(f"server on http://{HOST}:{port}/ (log: {log.relative_to(ROOT)})", flush=True)
    try:
        wait_until_up(port, proc)
        doc_ids = discover_docs(port)
        stats, stop = Stats(), threading.Event()
        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(port, doc_ids, stop, limit, stats, n, rebuilds > 0))
                   for n in range(clients)]
        builder = threading.Thread(target=rebuilder, args=(corpus, index_dir, rebuilds, seconds / (rebuilds + 1), stats))
        timer = kill_node_later(index_dir, kill_after) if kill_after is not None else None
        for thread in [*threads, builder]:
            thread.start()
        stop.wait(seconds)
        builder.join()  # the clients go on until the last generation has been served a while
        if rebuilds:
            time.sleep(1.0)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        if timer is not None:
            timer.cancel()
            _, body = get(port, "/api/search?" + urlencode({"q": "安全理事会"}))
            print(f"after the kill: total {json.loads(body)['total']}, warnings {json.loads(body)['warnings']}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    report(stats, elapsed, clients)
    if rebuilds:
        report_generations(stats)
    errors = stats.errors
    if kill_after is not None:  # a document whose only copy was on the killed node cannot be shown (no replicas)
        gone = [e for e in errors if e.split(" ", 1)[0] in ("404", "503") and "/doc/" in e]
        print(f"document pages on the killed node (404/503, counted apart): {len(gone)}")
        errors = [e for e in errors if e not in gone]
    failed = errors or not stats.latencies or stats.mixed or any(b != "ok" for b in stats.builds)
    return 1 if failed else 0


def report_generations(stats: Stats) -> None:
    shown = {g: sorted(v) for g, v in stats.versions.items() if v}
    print(f"rebuilds: {sum(b == 'ok' for b in stats.builds)} of {len(stats.builds)} succeeded")
    for outcome in stats.builds:
        if outcome != "ok":
            print(f"  build {outcome}")
    print(f"generations answering: {len(stats.versions)}   with a marker version: "
          f"{' '.join(f'v{v[0]}' if len(v) == 1 else str(v) for v in shown.values())}")
    print(f"mixed responses: {len(stats.mixed)}")
    for line in stats.mixed[:10]:
        print(f"  {line}")


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
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="corpus served (default corpus/)")
    parser.add_argument("--kill-node", type=float, metavar="SECONDS", help="sphinx: kill the last node after SECONDS")
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: a free one)")
    parser.add_argument("--rebuilds", type=int, default=0,
                        help="replace the generation this many times during the run (a copy of the corpus)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="undocs-load-") as tmp:
        corpus = args.corpus
        if args.rebuilds:  # the marker document is written into a copy, never into the corpus given
            corpus = Path(tmp) / "corpus"
            shutil.copytree(args.corpus, corpus, ignore=shutil.ignore_patterns(".*"))
        index = args.index or Path(tmp) / "index"
        return run(args.seconds, args.clients, args.max_requests, index, corpus, args.rebuilds, args.kill_node,
                   args.port)


if __name__ == "__main__":
    sys.exit(main())
