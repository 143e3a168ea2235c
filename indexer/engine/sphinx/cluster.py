"""`undocs cluster start|status|stop`: searchd nodes on this machine, one shard each.

`start` writes index_dir/cluster/node<i>/searchd.conf (conf.py), starts `searchd` on loopback
ports (SphinxQL base + 10 i, agents base + 10 i + 6: 9306/9312, 9316/9322, …), waits until each
answers and writes index_dir/cluster/nodes, the UNDOCS_SPHINX_NODES value (the backend reads it
when the variable is unset). Nodes on other machines are started by their operators instead.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.engine.sphinx.conf import PASSAGES, NodeSpec, node_config
from indexer.engine.sphinx.nodes import Nodes
from indexer.errors import ConfigError, NodeDownError

DEFAULT_BASE_PORT = 9306
API_OFFSET = 6
START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 15.0
LAYOUT = "cluster.json"
NODES_FILE = "nodes"


@dataclass(frozen=True)
class NodeStatus:
    node: NodeSpec
    pid: int | None  # the searchd process, if running
    passages: int | None  # passages in its shard (not retired by a build), if it answers


def cluster_dir(index_dir: Path) -> Path:
    return Path(index_dir) / "cluster"


def searchd_binary() -> str:
    found = shutil.which("searchd")
    if found is None:
        raise ConfigError("searchd is not installed (Debian: apt-get install sphinxsearch); or point "
                          "UNDOCS_SPHINX_NODES at running Manticore/Sphinx nodes")
    return found


def plan_nodes(index_dir: Path, count: int, base_port: int, host: str = "127.0.0.1",
               ports: list[tuple[int, int]] | None = None) -> list[NodeSpec]:
    """Where each node listens (ports: explicit (sql, api) pairs, else from base_port)."""
    if not 1 <= count <= 64:
        raise ConfigError(f"--nodes {count}: use 1 to 64 nodes")
    pairs = ports or [(base_port + 10 * i, base_port + 10 * i + API_OFFSET) for i in range(count)]
    return [NodeSpec(host, sql, api, cluster_dir(index_dir) / f"node{i}") for i, (sql, api) in enumerate(pairs)]


def start(index_dir: Path, count: int = 2, base_port: int = DEFAULT_BASE_PORT,
          ports: list[tuple[int, int]] | None = None) -> list[NodeSpec]:
    """Write the configs and start every node that is not running; the nodes in order."""
    binary = searchd_binary()
    running = load_layout(index_dir)
    if running and any(pid_of(n) for n in running):
        if len(running) != count:
            raise ConfigError(f"a cluster of {len(running)} node(s) already runs for {index_dir}; "
                              "`undocs cluster stop` first")
        nodes = running
    else:
        nodes = plan_nodes(index_dir, count, base_port, ports=ports)
    for node in nodes:
        node.folder.mkdir(parents=True, exist_ok=True)
        node.config_file.write_text(node_config(node, [o for o in nodes if o != node]), encoding="utf-8")
    save_layout(index_dir, nodes)
    for node in nodes:
        if pid_of(node) is None:
            _start_one(binary, node)
    return nodes


def _start_one(binary: str, node: NodeSpec) -> None:
    for port in (node.sql_port, node.api_port):
        if _answers(node.host, port):
            raise ConfigError(f"port {node.host}:{port} is already in use; choose another --port")
    done = subprocess.run([binary, "--config", str(node.config_file)], capture_output=True, text=True,
                          timeout=START_TIMEOUT_S, check=False)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if _answers(node.host, node.sql_port):
            return
        time.sleep(0.05)
    detail = " ".join(line for line in (done.stdout + done.stderr).splitlines() if "FATAL" in line or "ERROR" in line)
    raise NodeDownError(f"searchd for {node.address} did not start ({detail or 'see ' + str(node.folder)})")


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def pid_of(node: NodeSpec) -> int | None:
    """The node's searchd process id, if it runs."""
    try:
        pid = int(node.pid_file.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def status(index_dir: Path) -> list[NodeStatus]:
    out = []
    for node in load_layout(index_dir):
        pid, passages = pid_of(node), None
        if pid is not None:
            nodes = Nodes([(node.host, node.sql_port)])
            try:
                passages = int(nodes.run(0, f"SELECT COUNT(*) FROM {PASSAGES} WHERE dead = 0").rows[0][0])
            except NodeDownError:
                passages = None
            finally:
                nodes.close()
        out.append(NodeStatus(node, pid, passages))
    return out


def stop(index_dir: Path) -> list[NodeSpec]:
    """Stop every node of this index's cluster (SIGTERM, then wait); the nodes that were running."""
    stopped = []
    for node in load_layout(index_dir):
        pid = pid_of(node)
        if pid is None:
            continue
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while time.monotonic() < deadline and pid_of(node) is not None and _alive(pid):
            time.sleep(0.05)
        stopped.append(node)
    return stopped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def nodes_value(nodes: list[NodeSpec]) -> str:
    """What UNDOCS_SPHINX_NODES should say for these nodes."""
    return ",".join(n.address for n in nodes)


def save_layout(index_dir: Path, nodes: list[NodeSpec]) -> None:
    folder = cluster_dir(index_dir)
    data = [{"host": n.host, "sql_port": n.sql_port, "api_port": n.api_port, "folder": n.folder.name} for n in nodes]
    (folder / LAYOUT).write_text(json.dumps(data, indent=1), encoding="utf-8")
    (folder / NODES_FILE).write_text(nodes_value(nodes) + "\n", encoding="utf-8")


def load_layout(index_dir: Path) -> list[NodeSpec]:
    try:
        data = json.loads((cluster_dir(index_dir) / LAYOUT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [NodeSpec(d["host"], int(d["sql_port"]), int(d["api_port"]), cluster_dir(index_dir) / d["folder"])
            for d in data]
