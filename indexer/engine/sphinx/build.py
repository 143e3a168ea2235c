"""corpus -> shards: incremental builds for the distributed backend.

The manifest (index_dir/sphinx/manifest.json) is the embedded backend's (ingest/manifest.py:
scan_corpus, plan_changes, code_fingerprint) plus each document's number (its row ids) and the
build generation. A build G writes the rows of new and changed files under new numbers, born in
G; then marks the old rows of changed and removed files dead in G; then writes G into the stamp
row. Readers ask for the rows live in the generation they hold (rows.live), so a search during a
build sees the previous index whole, and a pinned request keeps its generation. Rows retired two
builds ago are deleted. With no manifest, or a different node list (the routing changed), the
shards are emptied first. Files are read by worker processes, as in the embedded build.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.engine.build import BuildReport
from indexer.engine.identity import code_fingerprint
from indexer.engine.parallel import BuildProgress, FileResult
from indexer.engine.sphinx.conf import DOCS, PASSAGES
from indexer.engine.sphinx.nodes import Nodes, replace_sql
from indexer.engine.sphinx.rows import FIRST_DOCNUM, MAX_PASSAGES, STAMP_ID, passage_id_number, rows_of
from indexer.engine.store import build_lock
from indexer.errors import ReadError, UndocsError
from indexer.ingest.manifest import MANIFEST_FORMAT, Plan, SourceFile, plan_changes, scan_corpus
from indexer.ingest.pipeline import ingest

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"
BATCH_ROWS = 2000  # each REPLACE is a new RAM segment that searchd merges: 400 rows cost 10% more searchd CPU at x100
BATCH_BYTES = 4 << 20
PARALLEL_MIN_FILES = 4

Read = tuple[SourceFile, int, FileResult, list[dict[str, Any]], dict[str, Any] | None]


def state_dir(index_dir: Path) -> Path:
    return Path(index_dir) / "sphinx"


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((state_dir(index_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT else None


def write_manifest(index_dir: Path, manifest: dict[str, Any]) -> None:
    """Written whole, then renamed: a crash leaves the previous manifest."""
    path = state_dir(index_dir) / MANIFEST
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def build_shards(nodes: Nodes, index_dir: Path, corpus_dir: Path, full: bool = False, progress: bool = False,
                 workers: int = 1) -> BuildReport:
    """Bring the shards in line with the corpus; BuildLockedError while another build runs."""
    start = time.perf_counter()
    corpus_dir = Path(corpus_dir)
    if corpus_dir.is_file():
        raise ReadError(corpus_dir, "is a file, not a folder: --corpus takes the folder of documents")
    if not corpus_dir.is_dir():
        raise ReadError(corpus_dir, "the corpus folder does not exist")
    with build_lock(state_dir(index_dir)):
        report = _build_locked(nodes, index_dir, corpus_dir, full, progress, workers)
    report.seconds = time.perf_counter() - start
    return report


def _build_locked(nodes: Nodes, index_dir: Path, corpus_dir: Path, full: bool, progress: bool,
                  workers: int) -> BuildReport:
    files, warnings = scan_corpus(corpus_dir)
    code = code_fingerprint("sphinx")
    addresses = [nodes.label(i) for i in range(len(nodes.addresses))]
    old = read_manifest(index_dir)
    why = ("no index yet" if old is None else "the node list changed" if old.get("nodes") != addresses
           else "--full" if full else "the indexing code changed since the last build" if old.get("code") != code else "")
    fresh = old is None or old.get("nodes") != addresses
    if fresh:
        for i in range(len(addresses)):
            nodes.run(i, f"TRUNCATE RTINDEX {PASSAGES}")
            nodes.run(i, f"TRUNCATE RTINDEX {DOCS}")
        old = {"files": {}, "generation": 0, "next_docnum": FIRST_DOCNUM}
    generation = int(old.get("generation", 0)) + 1
    purge(nodes, generation - 2)  # rows retired two builds ago: no request can still be pinned to them
    old_files: dict[str, dict[str, Any]] = old["files"]
    plan = plan_changes(files, None if why else old_files)
    if why and not fresh:  # re-read everything; files gone are removed
        plan.removed = sorted(set(old_files) - {f.rel for f in files})
    report = BuildReport(warnings=warnings, full=bool(why), full_reason=why, reread=[s.rel for s in plan.to_read],
                         removed=plan.removed, unchanged=len(plan.kept))
    counter = [int(old.get("next_docnum", FIRST_DOCNUM))]
    entries = _write(nodes, plan, corpus_dir, counter, generation, progress, workers)
    replaced = [old_files[r] for r in [*plan.removed, *(s.rel for s in plan.to_read)] if r in old_files]
    for entry in replaced:  # retired only now: a reader of the live generation sees the old rows meanwhile
        if "docnum" in entry:
            retire(nodes, entry["doc_id"], entry["docnum"], int(entry.get("passages", 0)), generation)
    files_entries = {**plan.kept, **entries}
    write_manifest(index_dir, {"format": MANIFEST_FORMAT, "code": code, "nodes": addresses, "files": files_entries,
                               "generation": generation, "next_docnum": counter[0]})
    stamp(nodes, generation)
    for rel, entry in sorted(files_entries.items()):
        if "failed" in entry:
            report.failed.append((rel, entry["failed"]))
        else:
            report.documents += 1
            report.passages += int(entry.get("passages", 0))
    report.generation = f"g{generation}"
    return report


def _write(nodes: Nodes, plan: Plan, corpus_dir: Path, counter: list[int], generation: int, progress: bool,
           workers: int) -> dict[str, dict[str, Any]]:
    """Read the files to read and write their rows, under new numbers, to their shards; manifest
    entries back. The rows are born in `generation`: invisible until its stamp is written."""
    jobs = []
    for src in plan.to_read:
        jobs.append((src, counter[0], generation, corpus_dir))
        counter[0] += 1
    batches = Batches(nodes)
    entries: dict[str, dict[str, Any]] = {}
    with BuildProgress(len(jobs), enabled=progress) as bar:
        for src, docnum, result, passages, doc in _read_all(jobs, workers):
            entry: dict[str, Any] = {"doc_id": src.doc_id, "stat": [list(s) for s in src.stat],
                                     "hash": plan.hashes[src.rel]}
            if result.failed is not None:
                entry["failed"] = result.failed
            else:
                entry.update(passages=result.passages, abbreviations=result.abbreviations, docnum=docnum)
                batches.add(src.doc_id, passages, doc)
            entries[src.rel] = entry
            bar.advance(result)
    batches.flush()
    return entries


class Batches:
    """Rows waiting to be written, per shard and index, sent as one REPLACE when large enough."""

    def __init__(self, nodes: Nodes) -> None:
        self.nodes = nodes
        self.waiting: dict[tuple[int, str], list[dict[str, Any]]] = {}
        self.size = 0

    def add(self, doc_id: str, passages: list[dict[str, Any]], doc: dict[str, Any] | None) -> None:
        shard = self.nodes.shard_of(doc_id)
        self.waiting.setdefault((shard, PASSAGES), []).extend(passages)
        if doc is not None:
            self.waiting.setdefault((shard, DOCS), []).append(doc)
        self.size += sum(len(p["body"]) * 4 for p in passages)
        if self.size > BATCH_BYTES or any(len(rows) > BATCH_ROWS for rows in self.waiting.values()):
            self.flush()

    def flush(self) -> None:
        for (shard, index), rows in sorted(self.waiting.items()):
            for start in range(0, len(rows), BATCH_ROWS):
                self.nodes.run(shard, replace_sql(index, rows[start : start + BATCH_ROWS]))
        self.waiting.clear()
        self.size = 0


def retire(nodes: Nodes, doc_id: str, docnum: int, count: int, generation: int) -> None:
    """Mark a document's rows as gone from `generation` on (readers of older ones still see them)."""
    shard = nodes.shard_of(doc_id)
    ids = [passage_id_number(docnum, ordinal) for ordinal in range(count)]
    for start in range(0, len(ids), 1000):
        chunk = ", ".join(map(str, ids[start : start + 1000]))
        nodes.run(shard, f"UPDATE {PASSAGES} SET dead = {int(generation)} WHERE id IN ({chunk})")
    nodes.run(shard, f"UPDATE {DOCS} SET dead = {int(generation)} WHERE id = {int(docnum)}")


def purge(nodes: Nodes, generation: int) -> None:
    """Delete the rows retired in `generation` or before, on every node."""
    if generation < 1:
        return
    for i in range(len(nodes.addresses)):
        for index in (PASSAGES, DOCS):
            while True:
                found = nodes.run(i, f"SELECT id FROM {index} WHERE dead > 0 AND dead <= {int(generation)} "
                                     "LIMIT 10000 OPTION max_matches=10000").rows
                if not found:
                    break
                nodes.run(i, f"DELETE FROM {index} WHERE id IN ({', '.join(str(int(r[0])) for r in found)})")


def stamp(nodes: Nodes, generation: int) -> None:
    """Publish a build: every node's stamp row names the generation readers now ask for (any node
    may have to aggregate), the first node's last."""
    row = {"id": STAMP_ID, "each": "_stamp_", "doc_id": "", "passages": 0,
           "info": json.dumps({"build": uuid.uuid4().hex, "generation": generation}), "born": 0, "dead": 0}
    for i in reversed(range(len(nodes.addresses))):
        nodes.run(i, replace_sql(DOCS, [row]))


def _read_all(jobs: list[tuple[SourceFile, int, int, Path]], workers: int) -> Iterator[Read]:
    if workers <= 1 or len(jobs) < PARALLEL_MIN_FILES:
        yield from map(read_file, jobs)
        return
    with multiprocessing.get_context("fork").Pool(min(workers, len(jobs))) as pool:
        yield from pool.imap(read_file, jobs, chunksize=2)


def read_file(job: tuple[SourceFile, int, int, Path]) -> Read:
    """Ingest one file into rows; a bad file becomes `failed`, never an exception."""
    src, docnum, generation, corpus_dir = job
    try:
        doc = ingest(src.path, corpus_dir, src.doc_id)
        if len(doc.passages) > MAX_PASSAGES:
            raise ReadError(src.path, f"has more than {MAX_PASSAGES} passages")
        passages, row = rows_of(doc, docnum, generation)
    except UndocsError as exc:
        reason = str(exc).removeprefix(f"{src.path}: ") or type(exc).__name__
        return src, docnum, FileResult(src.rel, failed=reason), [], None
    except Exception as exc:  # a bug on one file must not lose the whole build
        log.exception("internal error while reading %s", src.path)
        return src, docnum, FileResult(src.rel, failed=f"internal error ({type(exc).__name__}: {exc})"), [], None
    return src, docnum, FileResult(src.rel, passages=len(passages), abbreviations=dict(doc.abbreviations)), passages, row
