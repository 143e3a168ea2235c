"""The build's use of both cores: ingest in worker processes, Whoosh's multiprocessing writer, progress.

Worker processes watch their parent: if a build is killed (even with SIGKILL) they exit instead of
waiting forever on a queue nobody will write to.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask

from indexer.errors import UndocsError
from indexer.manifest import SourceFile
from indexer.pipeline import ingest
from indexer.schema import passage_fields

log = logging.getLogger(__name__)

WRITER_LIMIT_MB = 96  # Whoosh's in-memory posting pool per writer process
WRITER_BATCH = 256  # passages per job file handed to a Whoosh sub-writer
# Submitted-but-unconsumed files per worker: bounds memory when the writer is the slower side.
LOOKAHEAD_PER_WORKER = 4


@dataclass
class Ingested:
    """One file's contribution to the index, as a worker hands it back."""

    rel: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)
    failed: str | None = None


def read_one(src: SourceFile, corpus_dir: Path) -> Ingested:
    """Ingest one file into Whoosh field dicts; a bad file becomes `failed`, never an exception."""
    try:
        doc = ingest(src.path, corpus_dir, src.doc_id)
        fields = [passage_fields(doc, passage) for passage in doc.passages]
    except UndocsError as exc:
        return Ingested(src.rel, failed=_reason(exc, src.path))
    except Exception as exc:  # a bug on one file must not lose the whole build
        log.exception("internal error while reading %s", src.path)
        return Ingested(src.rel, failed=f"internal error ({type(exc).__name__}: {exc})")
    return Ingested(src.rel, fields=fields, abbreviations=dict(doc.abbreviations))


def _reason(exc: UndocsError, path: Path) -> str:
    text = str(exc)
    return text.removeprefix(f"{path}: ") or type(exc).__name__


def ingest_all(files: list[SourceFile], corpus_dir: Path, workers: int) -> Iterator[Ingested]:
    """Ingest files in order, in `workers` processes (1: in this process)."""
    if workers <= 1 or len(files) < 2:
        for src in files:
            yield read_one(src, corpus_dir)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=watch_parent, initargs=(os.getpid(),)) as pool:
        pending: deque[Future[Ingested]] = deque()
        todo = iter(files)
        try:
            _fill(pending, pool, todo, corpus_dir, workers * LOOKAHEAD_PER_WORKER)
            while pending:
                result = pending.popleft().result()
                _fill(pending, pool, todo, corpus_dir, workers * LOOKAHEAD_PER_WORKER)
                yield result
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _fill(pending: deque[Future[Ingested]], pool: ProcessPoolExecutor, todo: Iterator[SourceFile],
          corpus_dir: Path, limit: int) -> None:
    while len(pending) < limit:
        src = next(todo, None)
        if src is None:
            return
        pending.append(pool.submit(read_one, src, corpus_dir))


def watch_parent(parent_pid: int) -> None:
    """In a worker: exit as soon as the build process that started it is gone."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


class _WatchedSubWriter(SubWriterTask):
    def run(self) -> None:
        watch_parent(self._parent_pid)
        super().run()


class _WatchedMpWriter(MpWriter):
    """Whoosh's MpWriter whose sub-writers die with the build and are terminated on cancel."""

    def _new_task(self) -> SubWriterTask:
        task = _WatchedSubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        task._parent_pid = os.getpid()
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self) -> None:
        for task in self.tasks:
            task.terminate()
            task.join()
        self.tasks = []
        super().cancel()


def open_writer(ix: Any, procs: int) -> Any:
    """A Whoosh writer: tokenizing in `procs` sub-writer processes, one segment each (no final merge)."""
    if procs <= 1:
        return ix.writer(limitmb=WRITER_LIMIT_MB)
    return _WatchedMpWriter(ix, procs=procs, batchsize=WRITER_BATCH, multisegment=True, limitmb=WRITER_LIMIT_MB)


def cancel_writer(writer: Any) -> None:
    with contextlib.suppress(Exception):
        writer.cancel()


class BuildProgress:
    """A rich progress bar on stderr: files done, passages, files/s and passages/s (no-op if disabled)."""

    def __init__(self, total: int, enabled: bool = True) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.passages = 0
        self.started = time.perf_counter()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> BuildProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                TextColumn("{task.fields[passages]} passages · {task.fields[rates]}"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("build", total=self.total, passages=0, rates="")
        return self

    def advance(self, passages: int) -> None:
        self.passages += passages
        if self._progress is not None:
            elapsed = max(time.perf_counter() - self.started, 1e-6)
            done = self._progress.tasks[0].completed + 1
            rates = f"{done / elapsed:.1f} files/s · {self.passages / elapsed:.0f} passages/s"
            self._progress.update(self._task, advance=1, passages=self.passages, rates=rates)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

