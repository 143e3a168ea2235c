"""The peers in run.py: SQLite FTS5 and tantivy on the same passages, jieba tokens and query classes.

The jieba floor child writes every passage's tokens (space-joined, lowercased, punctuation dropped)
with its metadata to a JSON-lines file; each peer builds from that file in a fresh process (build
time excludes jieba: it is the floor, reported beside it), then answers the query classes of
query_classes.py translated by peerquery.py. A peer whose library is missing is skipped with the
reason printed. The rendered tables put undocs and the peers side by side per class.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import peer_fts5
import peer_tantivy
from peerquery import WORD_CHAR_RE, date_key, translate
from query_classes import CLASSES

PEERS = {"fts5": peer_fts5, "tantivy": peer_tantivy}


def cpu_seconds() -> float:
    """User + system CPU time of this process (all its threads) and of its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def unavailable(name: str) -> str | None:
    """Why a peer cannot run here, or None."""
    if name == "fts5":
        import sqlite3

        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        except sqlite3.OperationalError as exc:
            return f"this Python's SQLite has no FTS5 ({exc})"
        return None
    return peer_tantivy.unavailable()


def token_row(fields: dict[str, Any], words: list[str]) -> dict[str, Any]:
    """One line of the tokens file: a passage's jieba tokens and the metadata the filters need."""
    meta = fields["meta"]
    date = meta.get("doc_date") or (sorted(meta["dates"])[0] if meta.get("dates") else None)
    return {"passage_id": fields["passage_id"], "doc_type": meta["doc_type"], "date": date_key(date),
            "year": meta.get("year"), "speakers": meta.get("speakers", []), "symbols": meta.get("symbols", []),
            "tokens": " ".join(w.lower() for w in words if WORD_CHAR_RE.search(w))}


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def child_peer_build(name: str, tokens: Path, folder: Path) -> dict[str, Any]:
    """Build one peer's index from the tokens file (reading the file included, jieba excluded)."""
    shutil.rmtree(folder, ignore_errors=True)
    start, cpu = time.perf_counter(), cpu_seconds()
    passages = PEERS[name].build(read_rows(tokens), folder)
    return {"seconds": time.perf_counter() - start, "cpu": cpu_seconds() - cpu, "passages": passages}


def child_peer_queries(name: str, folder: Path, rounds: int) -> dict[str, Any]:
    """Cold start (open + first query), then every class's queries `rounds` times: wall and CPU ms."""
    t0 = time.perf_counter()
    run = PEERS[name].open_runner(folder)
    first, params = CLASSES["run.py queries"][0]
    run(translate(first, params))
    cold = time.perf_counter() - t0
    return {"cold": cold, **run_classes(lambda q, p: run(translate(q, p)), rounds)}


def run_classes(run: Callable[[str, dict[str, str]], int], rounds: int) -> dict[str, Any]:
    """Latencies per query class (wall and CPU ms) and the totals of the first round."""
    classes: dict[str, dict[str, list[float]]] = {}
    totals: dict[str, list[int]] = {}
    for name, queries in CLASSES.items():
        wall, cpu = [], []
        for round_ in range(rounds):
            for q, params in queries:
                t0, c0 = time.perf_counter(), time.process_time()
                total = run(q, params)
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                if round_ == 0:
                    totals.setdefault(name, []).append(total)
        classes[name] = {"wall": wall, "cpu": cpu}
    return {"classes": classes, "class_totals": totals}


def measure_peers(row: dict[str, Any], in_child: Callable[..., dict[str, Any]], work: Path, rounds: str) -> None:
    """Build and query every available peer on the scale's tokens file; a missing peer is skipped."""
    tokens = Path(row["tokens_file"])
    row["peers"] = {}
    for name in PEERS:
        reason = unavailable(name)
        if reason:
            print(f"peer {name} skipped: {reason}", file=sys.stderr, flush=True)
            row["peers"][name] = {"skipped": reason}
            continue
        folder = work / f"peer-{name}-{row['corpus']}-x{row['scale']}"
        result = {"build": in_child("peer-build", name, str(tokens), str(folder))}
        result["size"] = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20
        result["queries"] = in_child("peer-queries", name, str(folder), rounds)
        row["peers"][name] = result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _triple(values: list[float]) -> str:
    return f"{percentile(values, 0.5):.1f} / {percentile(values, 0.95):.1f} / {max(values):.1f}"


def engines(row: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(label, {"queries": …, "build": …, "size": …}) for undocs and every peer that ran."""
    out = [("undocs", {"queries": row["queries"], "build": row["build"], "size": row["size"]})]
    for name, result in row.get("peers", {}).items():
        if "skipped" not in result:
            out.append((name, result))
    return out


def render_peers(rows: list[dict[str, Any]]) -> list[str]:
    """Markdown: per-class latency of each engine, then the peers' build, size and memory."""
    scales = " | ".join(f"×{r['scale']}" for r in rows)
    lines = ["", "Query classes (benchmarks/query_classes.py), wall ms p50 / p95 / max, then CPU ms p50 / p95:", "",
             f"| class | engine | {scales} |", "|---|---|" + "---|" * len(rows)]
    labels = [label for label, _ in engines(rows[0])] if rows else []
    for cls, queries in CLASSES.items():
        for label in labels:
            cells = []
            for r in rows:
                result = dict(engines(r)).get(label)
                timing = result["queries"].get("classes", {}).get(cls) if result else None
                cells.append(f"{_triple(timing['wall'])} ({percentile(timing['cpu'], 0.5):.1f} / "
                             f"{percentile(timing['cpu'], 0.95):.1f})" if timing else "–")
            lines.append(f"| {cls} ({len(queries)}) | {label} | " + " | ".join(cells) + " |")
    lines += ["", "Matches found, summed over each class's queries (peers: no substring recall, no expansion):", "",
              f"| class | {scales} |", "|---|" + "---|" * len(rows)]
    for cls in CLASSES:
        lines.append(f"| {cls} | " + " | ".join(" / ".join(
            f"{label} {sum(result['queries'].get('class_totals', {}).get(cls, [])):,}" for label, result in engines(r))
            for r in rows) + " |")
    lines += ["", f"| peer | {scales} |", "|---|" + "---|" * len(rows)]
    for name in PEERS:
        lines += [f"| {name} {what} | " + " | ".join(_peer_cell(r, name, fmt) for r in rows) + " |"
                  for what, fmt in PEER_ROWS]
    return lines


PEER_ROWS: list[tuple[str, Callable[[dict[str, Any], dict[str, Any]], str]]] = [
    ("build wall / CPU (s), jieba excluded", lambda r, p: f"{p['build']['seconds']:.1f} / {p['build']['cpu']:.1f}"),
    ("… CPU ÷ jieba floor CPU (with jieba: +1)", lambda r, p: f"{p['build']['cpu'] / r['floor']['cpu']:.2f}"),
    ("index size (MiB)", lambda r, p: f"{p['size']:.1f}"),
    ("build peak RSS (MiB)", lambda r, p: f"{p['build']['peak_tree_mib']:.0f}"),
    ("searcher RSS (MiB)", lambda r, p: f"{p['queries']['peak_tree_mib']:.0f}"),
    ("cold start: open + 1st query (s)", lambda r, p: f"{p['queries']['cold']:.2f}"),
]


def _peer_cell(row: dict[str, Any], name: str, fmt: Callable[[dict[str, Any], dict[str, Any]], str]) -> str:
    result = row.get("peers", {}).get(name)
    if not result:
        return "–"
    if "skipped" in result:
        return "skipped"
    return fmt(row, result)
