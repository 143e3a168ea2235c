"""Talking to searchd nodes over SphinxQL (the MySQL protocol, via pymysql): routing and failover.

Writes go to one shard: the node chosen by a stable hash of the document id (crc32, the same in
every process and Python version). Reads go to the first node that answers, which aggregates
every shard through its distributed index; a node that does not answer, or an agent the
aggregator could not reach, becomes a warning beside the other shards' results, never an error.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pymysql
from pymysql.constants import CLIENT

from indexer.errors import ConfigError, NodeDownError, QueryError

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_S = 2
READ_TIMEOUT_S = 30
RETRY_DOWN_S = 2.0  # a node that did not answer is skipped as aggregator this long (a dead host costs a timeout)
_AGENT_RE = re.compile(r"agent ([^\s:]+:\d+)")


def parse_nodes(value: str) -> list[tuple[str, int]]:
    """"host:port,host:port" -> [(host, port)]; ConfigError naming the bad part."""
    nodes = []
    for part in (p.strip() for p in value.split(",")):
        host, _, port = part.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ConfigError(f"UNDOCS_SPHINX_NODES: {part!r} is not host:port "
                              "(e.g. UNDOCS_SPHINX_NODES=127.0.0.1:9306,127.0.0.1:9316)")
        nodes.append((host, int(port)))
    return nodes


def shard_of(doc_id: str, count: int) -> int:
    """The node that stores a document: stable across processes, machines and builds."""
    return zlib.crc32(doc_id.encode("utf-8")) % count


@dataclass
class Answer:
    """Result sets of a batch of statements (one each), the last one's meta, and warnings."""

    sets: list[list[tuple[Any, ...]]]
    meta: dict[str, str]
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        return self.sets[-1] if self.sets else []

    @property
    def total(self) -> int:
        return int(self.meta.get("total_found", 0))


class Nodes:
    """Connections to every node, one per thread (waitress serves requests in several threads)."""

    def __init__(self, addresses: Sequence[tuple[str, int]]) -> None:
        if not addresses:
            raise ConfigError("UNDOCS_SPHINX_NODES names no node")
        self.addresses = list(addresses)
        self._local = threading.local()
        self._down_until: dict[int, float] = {}  # node -> when to try it again as aggregator

    def label(self, i: int) -> str:
        host, port = self.addresses[i]
        return f"{host}:{port}"

    def shard_of(self, doc_id: str) -> int:
        return shard_of(doc_id, len(self.addresses))

    def _connection(self, i: int) -> Any:
        conns = self._local.__dict__.setdefault("conns", {})
        if i not in conns:
            host, port = self.addresses[i]
            conns[i] = pymysql.connect(host=host, port=port, user="", autocommit=True, charset="utf8", client_flag=CLIENT.MULTI_STATEMENTS,
                                       connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                                       write_timeout=READ_TIMEOUT_S)
        return conns[i]

    def _drop(self, i: int) -> None:
        conn = self._local.__dict__.get("conns", {}).pop(i, None)
        if conn is not None:
            with contextlib.suppress(Exception):  # already broken
                conn.close()

    def run(self, i: int, sql: str, args: Any = None, meta: bool = False) -> Answer:
        """One statement on node i (reconnecting once); NodeDownError if the node does not answer."""
        for attempt in (1, 2):
            try:
                return self._run(self._connection(i), sql, args, meta)
            except pymysql.err.ProgrammingError as exc:
                log.error("searchd refused %r: %s", sql[:300], exc)
                raise QueryError(f"检索引擎拒绝了查询 / the search engine refused the query ({exc.args[-1]})") from None
            except (pymysql.err.OperationalError, pymysql.err.InterfaceError, OSError) as exc:
                self._drop(i)
                if attempt == 2:
                    raise NodeDownError(f"search node {self.label(i)} does not answer ({exc}); "
                                        "start it (`undocs cluster start`) or check UNDOCS_SPHINX_NODES") from None
        raise AssertionError("unreachable")

    @staticmethod
    def _run(conn: Any, sql: str, args: Any, meta: bool) -> Answer:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            sets = [list(cur.fetchall())]
            while cur.nextset():
                sets.append(list(cur.fetchall()))
            info: dict[str, str] = {}
            if meta:
                cur.execute("SHOW META")
                info = {str(k): str(v) for k, v in cur.fetchall()}
        warnings = [agent_warning(info["warning"])] if info.get("warning") else []
        return Answer(sets, info, warnings)

    def read(self, sql: str, args: Any = None) -> Answer:
        """A statement on the aggregating node: the first that answers; the ones before it that
        did not answer are named in the answer's warnings."""
        down: list[str] = []
        order = sorted(range(len(self.addresses)), key=lambda i: (self._down_until.get(i, 0.0) > time.monotonic(), i))
        for i in order:
            try:
                answer = self.run(i, sql, args, meta=True)
            except NodeDownError:
                log.warning("search node %s does not answer; asking the next one", self.label(i))
                self._down_until[i] = time.monotonic() + RETRY_DOWN_S
                down.append(self.label(i))
                continue
            self._down_until.pop(i, None)
            # a node skipped as aggregator still serves its shard through this one's agents, or is warned of
            answer.warnings = [*(node_warning(d) for d in down), *answer.warnings]
            return answer
        raise NodeDownError(f"no search node answers ({', '.join(down)}); start them with "
                            "`undocs cluster start` or check UNDOCS_SPHINX_NODES")

    def close(self) -> None:
        for i in list(self._local.__dict__.get("conns", {})):
            self._drop(i)


def node_warning(address: str) -> str:
    return f"检索节点 {address} 无响应，结果不完整 / search node {address} is down: results from the other shards only"


def agent_warning(text: str) -> str:
    """searchd's warning about an agent it could not reach, as a sentence for the reader."""
    found = _AGENT_RE.search(text)
    where = found.group(1) if found else "?"
    log.warning("searchd: %s", text)
    return f"检索节点 {where} 无响应，结果不完整 / search node {where} did not answer: results from the other shards only"


def replace_sql(index: str, rows: Sequence[dict[str, Any]]) -> str:
    """One REPLACE of many rows (same columns), values escaped by pymysql (MVAs as (a,b))."""
    columns = list(rows[0])
    values = ",".join("(" + ",".join(escape(row[c]) for c in columns) + ")" for row in rows)
    return f"REPLACE INTO {index} ({', '.join(columns)}) VALUES {values}"


_SPECIAL = ("\\", "'", '"', "\n", "\r", "\0", "\x1a")  # what pymysql.converters.escape_string escapes


def escape(value: Any) -> str:
    """A value as SphinxQL: MVAs as (a,b); a string without a character to escape (the token fields:
    most of a row's bytes) quoted as it is, 30 times cheaper than translating it."""
    if isinstance(value, tuple):
        return "(" + ",".join(str(int(v)) for v in value) + ")"
    if isinstance(value, str) and not any(c in value for c in _SPECIAL):
        return f"'{value}'"
    return str(pymysql.converters.escape_item(value, "utf8"))
