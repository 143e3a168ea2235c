"""Real searchd nodes for the distributed backend's tests, on free ports of 9300-9399.

Every index a test builds gets its own small cluster (a cluster holds one undocs index), started
by the `undocs cluster` code itself and stopped by the session fixture `sphinx_clusters`.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.engine.sphinx import cluster

PORTS = range(9300, 9400)
SKIP_REASON = "searchd is not installed (Debian: apt-get install sphinxsearch); the sphinx backend needs real nodes"


def searchd_missing() -> bool:
    return shutil.which("searchd") is None


def port_free(port: int) -> bool:
    """Whether nothing listens on `port` of the loopback interface."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Clusters:
    """Starts clusters on ports nobody uses; remembers them to stop them all."""

    def __init__(self) -> None:
        self.started: list[Path] = []
        self.taken: set[int] = set()

    def _ports(self, count: int) -> list[int]:
        found = [p for p in PORTS if p not in self.taken and port_free(p)][:count]
        if len(found) < count:
            pytest.fail(f"no {count} free ports left in {PORTS.start}-{PORTS.stop - 1}")
        self.taken.update(found)
        return found

    def start(self, index_dir: Path, nodes: int = 2) -> list[cluster.NodeSpec]:
        if searchd_missing():
            pytest.skip(SKIP_REASON)
        ports = self._ports(2 * nodes)
        started = cluster.start(index_dir, nodes, ports=[(ports[2 * i], ports[2 * i + 1]) for i in range(nodes)])
        self.started.append(index_dir)
        return started

    def stop_all(self) -> None:
        for index_dir in self.started:
            cluster.stop(index_dir)
        self.started.clear()


CLUSTERS = Clusters()
atexit.register(CLUSTERS.stop_all)  # a test that starts nodes without the session fixture leaves none running


def clusters_fixture() -> Iterator[Clusters]:
    """The body of the session fixture: UNDOCS_SPHINX_NODES must not point the tests elsewhere."""
    saved = os.environ.pop("UNDOCS_SPHINX_NODES", None)
    try:
        yield CLUSTERS
    finally:
        CLUSTERS.stop_all()
        if saved is not None:
            os.environ["UNDOCS_SPHINX_NODES"] = saved
