"""A real `undocs serve` process on a free loopback port, for tests that need the whole server."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    """Status, headers and body of GET path (the path as given, percent-encoded by the caller)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8")
    finally:
        conn.close()


def raw_get(port: int, target: bytes) -> tuple[int, dict[str, str], bytes]:
    """GET with the request target sent byte for byte (curl sends raw UTF-8 as typed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


@dataclass
class Served:
    port: int
    proc: subprocess.Popen[bytes]
    stderr: str = field(default="")


@contextmanager
def undocs_serve(corpus: Path, index: Path, timeout: float = 120) -> Iterator[Served]:
    """`undocs serve` (which builds first) until the block ends; its stderr is in .stderr afterwards."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UNDOCS_DEBUG": ""}
    cmd = [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port), "--index", str(index),
           "--corpus", str(corpus)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    served = Served(port, proc)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"undocs serve exited {proc.returncode}: {proc.stderr.read().decode()}")
            try:
                get(port, "/")
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        yield served
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
        served.stderr = err.decode("utf-8", "replace")
