"""searchd configuration for one node of an undocs cluster (Sphinx 2.2 / Manticore syntax).

Every node holds one shard: real-time indexes `passages` and `docs` (rows.py). Every node also
declares the distributed indexes `passages_all` and `docs_all`: its own shard plus an `agent` line
per other node, so any node can aggregate (the first one listed in UNDOCS_SPHINX_NODES does; if it
is down, the next one answers). Ports: SphinxQL (MySQL protocol) for undocs, the binary API for agents.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.engine.sphinx.rows import DOC_ATTRS, DOC_FIELDS, PASSAGE_ATTRS, PASSAGE_FIELDS
from indexer.engine.sphinx.tokens import CHARSET_TABLE

PASSAGES, DOCS = "passages", "docs"
PASSAGES_ALL, DOCS_ALL = "passages_all", "docs_all"
AGENT_CONNECT_TIMEOUT_MS = 300
AGENT_QUERY_TIMEOUT_MS = 10000
# a shard's rows stay in the RAM chunk (~3.5 KB a passage: x1000 on one node is ~1.3 GB): 128M left a x1000
# shard in 5 disk chunks, each searched apart (10-15% slower queries at x100 with the same layout)
RT_MEM_LIMIT = "2048M"


@dataclass(frozen=True)
class NodeSpec:
    """One searchd process: where it listens and where it keeps its files."""

    host: str
    sql_port: int  # SphinxQL: what undocs connects to
    api_port: int  # the binary API: what other nodes' distributed indexes connect to
    folder: Path

    @property
    def address(self) -> str:
        return f"{self.host}:{self.sql_port}"

    @property
    def config_file(self) -> Path:
        return self.folder / "searchd.conf"

    @property
    def pid_file(self) -> Path:
        return self.folder / "searchd.pid"


def rt_index(name: str, folder: Path, fields: tuple[str, ...], attrs: tuple[tuple[str, str], ...]) -> str:
    lines = [f"index {name}", "{", "  type = rt", f"  path = {folder / name}"]
    lines += [f"  rt_field = {f}" for f in fields]
    lines += [f"  rt_attr_{kind} = {attr}" for attr, kind in attrs]
    lines += ["  dict = keywords", f"  charset_table = {CHARSET_TABLE}", "  min_word_len = 1",
              f"  rt_mem_limit = {RT_MEM_LIMIT}", "}"]
    return "\n".join(lines)


def distributed_index(name: str, local: str, agents: list[str]) -> str:
    lines = [f"index {name}", "{", "  type = distributed", f"  local = {local}"]
    lines += [f"  agent = {a}:{local}" for a in agents]
    lines += [f"  agent_connect_timeout = {AGENT_CONNECT_TIMEOUT_MS}",
              f"  agent_query_timeout = {AGENT_QUERY_TIMEOUT_MS}", "}"]
    return "\n".join(lines)


def node_config(node: NodeSpec, others: list[NodeSpec]) -> str:
    """The whole searchd.conf of `node` in a cluster with `others`."""
    agents = [f"{o.host}:{o.api_port}" for o in others]
    folder = node.folder.resolve()
    searchd = [
        "searchd", "{", f"  listen = {node.host}:{node.api_port}", f"  listen = {node.host}:{node.sql_port}:mysql41",
        f"  log = {folder / 'searchd.log'}", f"  query_log = {folder / 'query.log'}",
        f"  pid_file = {folder / 'searchd.pid'}", f"  binlog_path = {folder}", "  workers = threads", "  watchdog = 0",
        "  read_timeout = 5", "  max_packet_size = 32M", "}",
    ]
    return "\n\n".join([
        rt_index(PASSAGES, folder, PASSAGE_FIELDS, PASSAGE_ATTRS),
        rt_index(DOCS, folder, DOC_FIELDS, DOC_ATTRS),
        distributed_index(PASSAGES_ALL, PASSAGES, agents),
        distributed_index(DOCS_ALL, DOCS, agents),
        "\n".join(searchd),
    ]) + "\n"
