"""The build's use of every core: worker processes that each read, segment and write their own segments.

Each worker takes file after file from a queue, ingests it (read -> clean -> structure -> describe),
tokenizes its passages and buffers the postings (segments.py); it writes a Whoosh segment when its
buffer is full and at the end, and hands the segment descriptions back. Nothing but file names and
small per-file summaries crosses between processes. The parent commits all segments in one TOC.

Workers watch their parent: if a build is killed (even with SIGKILL) they exit instead of waiting
forever on a queue nobody will write to.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from whoosh import index as whoosh_index

from indexer.engine.schema import passage_fields
from indexer.engine.segments import BufferedSegmentWriter
from indexer.errors import UndocsError
from indexer.ingest.manifest import SourceFile
from indexer.ingest.pipeline import ingest

log = logging.getLogger(__name__)

SEGMENT_BUFFER_MB = 64  # postings buffered per worker before it writes a segment (RSS budget)
NO_PASSAGES = "no text to index: nothing is left once page headers, footers and job numbers are removed"


@dataclass
class FileResult:
    """What the manifest and the progress bar need to know about one file read."""

    rel: str
    passages: int = 0
    abbreviations: dict[str, str] = field(default_factory=dict)
    failed: str | None = None
    lengths: dict[str, int] = field(default_factory=dict)  # exact field-length totals of its passages (livestats.py)


def read_one(src: SourceFile, corpus_dir: Path) -> tuple[FileResult, list[dict[str, Any]]]:
    """Ingest one file into Whoosh field dicts; a bad file becomes `failed`, never an exception."""
    try:
        doc = ingest(src.path, corpus_dir, src.doc_id)
        fields = [passage_fields(doc, passage) for passage in doc.passages]
        if not fields:  # indexed, it could be found by nothing and shown nowhere: say so instead
            return FileResult(src.rel, failed=NO_PASSAGES), []
    except UndocsError as exc:
        return FileResult(src.rel, failed=_reason(exc, src.path)), []
    except Exception as exc:  # a bug on one file must not lose the whole build
        log.exception("internal error while reading %s", src.path)
        return FileResult(src.rel, failed=f"internal error ({type(exc).__name__}: {exc})"), []
    return FileResult(src.rel, passages=len(fields), abbreviations=dict(doc.abbreviations)), fields


def _reason(exc: UndocsError, path: Path) -> str:
    return str(exc).removeprefix(f"{path}: ") or type(exc).__name__


class SegmentBuilder:
    """Files in, finished Whoosh segments out; one per process, the index lock held by the parent."""

    def __init__(self, ix: Any, corpus_dir: Path, buffer_mb: int = SEGMENT_BUFFER_MB) -> None:
        self.ix = ix
        self.corpus_dir = corpus_dir
        self.limit = buffer_mb * 2**20
        self.segments: list[Any] = []
        self.writer = self._new_writer()

    def _new_writer(self) -> BufferedSegmentWriter:
        return BufferedSegmentWriter(self.ix, _lk=False, compound=False)

    def add_file(self, src: SourceFile) -> FileResult:
        result, fields = read_one(src, self.corpus_dir)
        before = dict(self.writer.scored_lengths)
        for passage in fields:
            self.writer.add_document(**passage)
        if fields:
            result.lengths = {name: n - before.get(name, 0) for name, n in sorted(self.writer.scored_lengths.items())}
        if self.writer.buffered_bytes > self.limit:
            self.segments.append(self.writer._finalize_segment())
            self.writer = self._new_writer()
        return result

    def finish(self) -> list[Any]:
        if self.writer.docnum:
            self.segments.append(self.writer._finalize_segment())
        else:
            self.writer._close_segment()
        return self.segments

    def cancel(self) -> None:
        self.writer._close_segment()


def build_segments(ix: Any, files: list[SourceFile], corpus_dir: Path, workers: int,
                   on_file: Callable[[FileResult], None]) -> list[Any]:
    """Index `files` into new segments of `ix` (in `workers` processes; 1: here); returns them."""
    if workers <= 1 or len(files) < 2:
        builder = SegmentBuilder(ix, corpus_dir)
        try:
            for src in files:
                on_file(builder.add_file(src))
        except BaseException:
            builder.cancel()
            raise
        return builder.finish()
    return _build_in_workers(ix, files, corpus_dir, min(workers, len(files)), on_file)


def _build_in_workers(ix: Any, files: list[SourceFile], corpus_dir: Path, workers: int,
                      on_file: Callable[[FileResult], None]) -> list[Any]:
    warm_up(ix.schema)
    context = multiprocessing.get_context("fork")
    jobs: Any = context.Queue()
    results: Any = context.Queue()
    for src in files:
        jobs.put(src)
    for _ in range(workers):
        jobs.put(None)
    folder = ix.storage.folder
    procs = [
        context.Process(target=_worker, args=(folder, corpus_dir, jobs, results, os.getpid()), daemon=True)
        for _ in range(workers)
    ]
    for proc in procs:
        proc.start()
    segments: list[Any] = []
    try:
        done = 0
        while done < workers:
            kind, payload = _next_message(results, procs)
            if kind == "file":
                on_file(payload)
            elif kind == "done":
                segments += payload
                done += 1
            else:
                raise _worker_error(*payload)
        for proc in procs:
            proc.join()
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join()
    return segments


def warm_up(schema: Any) -> None:
    """Run every analyser once before forking: workers inherit loaded dictionaries instead of each loading them."""
    for name in schema.names():
        field = schema[name]
        if field.indexed and getattr(field, "analyzer", None) is not None:
            for _ in field.analyzer("联合国安全理事会 S/2021/130"):
                pass


def _next_message(results: Any, procs: list[Any]) -> tuple[str, Any]:
    while True:
        try:
            return results.get(timeout=0.5)
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"a build worker died (exit code {dead[0].exitcode})") from None


def _worker(folder: str, corpus_dir: Path, jobs: Any, results: Any, parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    watch_parent(parent_pid)
    try:
        builder = SegmentBuilder(whoosh_index.open_dir(folder), corpus_dir)
        while (src := jobs.get()) is not None:
            results.put(("file", builder.add_file(src)))
        results.put(("done", builder.finish()))
    except BaseException as exc:
        errno = exc.errno if isinstance(exc, OSError) else None
        results.put(("error", (errno, getattr(exc, "strerror", None) or str(exc), traceback.format_exc())))
        sys.exit(1)  # the parent reports it: no second traceback on stderr


def _worker_error(errno: int | None, message: str, trace: str) -> Exception:
    """A worker's failure, raised again in the parent: an OSError (a full disk) stays one."""
    log.debug("a build worker failed:\n%s", trace)
    if errno is not None:
        return OSError(errno, message)
    return RuntimeError(f"a build worker failed:\n{trace}")


def watch_parent(parent_pid: int) -> None:
    """In a worker: exit as soon as the build process that started it is gone."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


class BuildProgress:
    """A rich progress bar on stderr: files done, passages, files/s and passages/s (no-op if disabled)."""

    def __init__(self, total: int, enabled: bool = True) -> None:
        self.enabled = enabled and total > 0
        self.total = total
        self.done = 0
        self.passages = 0
        self.started = time.perf_counter()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> BuildProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                TextColumn("{task.fields[passages]} passages · {task.fields[rates]}"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("build", total=self.total, passages=0, rates="")
        return self

    def advance(self, result: FileResult) -> None:
        self.done += 1
        self.passages += result.passages
        if self._progress is not None:
            elapsed = max(time.perf_counter() - self.started, 1e-6)
            rates = f"{self.done / elapsed:.1f} files/s · {self.passages / elapsed:.0f} passages/s"
            self._progress.update(self._task, advance=1, passages=self.passages, rates=rates)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()
