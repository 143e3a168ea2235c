"""corpus -> index: incremental and atomic; returns a BuildReport.

Each build writes a new generation directory (a hard-linked copy of the previous one, updated in
place by Whoosh, or a fresh one), then switches CURRENT to it; see store.py for the layout.
Only new or changed files are re-read (manifest.py); their old passages are deleted by doc_id once
the new version is read (a file that now fails keeps its old passages and is reported).
Reading and segmenting use every core: worker processes each ingest, tokenize and write their own
segments (parallel.py, segments.py); this process commits them with the old segments in one TOC.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from indexer.engine import opencache, parallel
from indexer.engine.identity import code_fingerprint
from indexer.engine.schema import make_schema
from indexer.engine.segments import BufferedSegmentWriter
from indexer.engine.store import (
    ABBREVIATIONS_FILE,
    FILES_FILE,
    MANIFEST_FILE,
    build_lock,
    check_files,
    current_generation,
    new_generation_dir,
    open_index,
    publish,
    read_json,
    recorded_sizes,
    remove_leftovers,
    remove_stale,
    write_json,
)
from indexer.errors import IndexDamagedError, IndexMissingError, IndexWriteError, ReadError
from indexer.ingest.manifest import (
    MANIFEST_FORMAT,
    Plan,
    SourceFile,
    is_indexed,
    plan_changes,
    scan_corpus,
)
from indexer.language.normalize import release_segmenter

log = logging.getLogger(__name__)

# Below this many files to read, a single process is faster than starting workers.
PARALLEL_MIN_FILES = 4
# Incremental builds add a small segment each; past MAX_SEGMENTS the small ones are merged.
MAX_SEGMENTS = 8
SMALL_SEGMENT_SHARE = 0.05
SIDE_FILES = (MANIFEST_FILE, ABBREVIATIONS_FILE, FILES_FILE)  # written anew for each generation


@dataclass
class BuildReport:
    documents: int = 0  # documents in the index after the build
    passages: int = 0  # passages in the index after the build
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    seconds: float = 0.0
    reread: list[str] = field(default_factory=list)  # files read by this build
    removed: list[str] = field(default_factory=list)  # files whose documents left the index
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    full: bool = False
    full_reason: str = ""  # why everything was re-read
    generation: str = ""

    @property
    def ok(self) -> bool:
        """Exit 0 only if every file was indexed and there is something to search."""
        return not self.failed and self.documents > 0

    def summary(self) -> str:
        """What the CLI prints at the end of a build."""
        kind = f"full build ({self.full_reason})" if self.full and self.full_reason else (
            "full build" if self.full else "incremental build")
        lines = [
            f"{kind}: {self.documents} documents, {self.passages} passages in the index "
            f"(read {len(self.reread)} file(s), {self.unchanged} unchanged, {len(self.removed)} removed) "
            f"in {self.seconds:.1f} s"
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        if not self.documents:
            lines.append("the index is empty: no file in the corpus folder could be indexed "
                         "(.txt .md .pdf .docx .html .htm)")
        if self.failed:
            lines.append(f"skipped {len(self.failed)} file(s):")
            lines += [f"  {name}: {reason}" for name, reason in self.failed]
        return "\n".join(lines)


def build_index(
    corpus_dir: Path, index_dir: Path, full: bool = False, progress: bool = True, workers: int | None = None
) -> BuildReport:
    """Bring the index in line with the corpus; refuses (BuildLockedError) while another build runs."""
    start = time.perf_counter()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if corpus_dir.is_file():
        raise ReadError(corpus_dir, "is a file, not a folder: --corpus takes the folder of documents")
    if not corpus_dir.is_dir():
        raise ReadError(corpus_dir, "the corpus folder does not exist")
    try:
        with build_lock(index_dir):
            remove_leftovers(index_dir)
            report = _build_locked(corpus_dir, index_dir, full, progress, workers or os.cpu_count() or 1)
    except OSError as exc:  # a full disk, a read-only folder: one line, the live generation is untouched
        log.debug("build stopped", exc_info=True)
        raise IndexWriteError(index_dir, exc.strerror or str(exc)) from None
    report.seconds = time.perf_counter() - start
    return report


def _build_locked(corpus_dir: Path, index_dir: Path, full: bool, progress: bool, workers: int) -> BuildReport:
    files, warnings = scan_corpus(corpus_dir)
    code = code_fingerprint()  # of the code doing this build, recorded in its manifest
    previous, old_manifest, why_full = _previous(index_dir, full, code)
    plan = plan_changes(files, old_manifest["files"] if old_manifest else None)
    report = BuildReport(
        warnings=warnings, full=old_manifest is None, full_reason=why_full, reread=[s.rel for s in plan.to_read],
        removed=plan.removed, unchanged=len(plan.kept),
    )
    if (previous is not None and not plan.to_read and not plan.removed and _same_stats(plan, old_manifest)
            and check_files(previous, derived=True) is None):
        report.generation = previous.name  # nothing changed: keep the live generation as it is
        _tally(report, plan.kept)
        return report
    work = new_generation_dir(index_dir)
    try:
        entries = _write_generation(work, previous if old_manifest else None, plan, corpus_dir, progress, workers)
        if workers > 1 and len(plan.to_read) >= PARALLEL_MIN_FILES:
            release_segmenter()  # the cache processes forked next need no dictionary (build peak memory)
        caches = opencache.write(work, workers)  # what a search engine reads at open, for the new segments
        manifest = {"format": MANIFEST_FORMAT, "code": code, "files": {**plan.kept, **entries}, "caches": caches}
        write_json(work / MANIFEST_FILE, manifest)
        write_json(work / ABBREVIATIONS_FILE, merged_abbreviations(manifest["files"]))
        generation = publish(index_dir, work)
    except BaseException:
        remove_leftovers(index_dir)
        raise
    remove_stale(index_dir, keep={generation.name, *([previous.name] if previous else [])})
    report.generation = generation.name
    _tally(report, manifest["files"])
    return report


def _previous(index_dir: Path, full: bool, code: str) -> tuple[Path | None, dict[str, Any] | None, str]:
    """The live generation, its manifest (None: a full build is needed) and why a full build."""
    try:
        previous = current_generation(index_dir)
    except IndexDamagedError as exc:
        return None, None, f"the previous index is damaged: {exc.detail}"
    except IndexMissingError:
        return None, None, "no index yet"
    manifest = read_json(previous, MANIFEST_FILE, None)
    if full:
        return previous, None, "--full"
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return previous, None, "no usable manifest in the previous index"
    if manifest.get("code") != code:
        return previous, None, "the indexing code changed since the last build"
    try:
        open_index(index_dir).close()
    except IndexDamagedError as exc:
        return previous, None, f"the previous index is damaged: {exc.detail}"
    except IndexMissingError:  # CURRENT vanished since: someone else's doing, start afresh
        return previous, None, "the previous index is unreadable"
    return previous, manifest, ""


def _same_stats(plan: Plan, old_manifest: dict[str, Any] | None) -> bool:
    """True if no kept entry needs its recorded stat refreshed (a touched but unchanged file)."""
    return old_manifest is not None and all(old_manifest["files"].get(rel) == e for rel, e in plan.kept.items())


def _write_generation(
    work: Path, previous: Path | None, plan: Plan, corpus_dir: Path, progress: bool, workers: int
) -> dict[str, dict[str, Any]]:
    """Fill the work directory with the updated Whoosh index; returns manifest entries of files read."""
    if previous is not None:
        _link_copy(previous, work)
        ix = whoosh_index.open_dir(str(work))
    else:
        ix = whoosh_index.create_in(str(work), make_schema())
    writer = BufferedSegmentWriter(ix, compound=False)  # holds Whoosh's lock; deletes, merges, commits
    entries: dict[str, dict[str, Any]] = {}
    try:
        for doc_id in plan.to_delete:
            writer.delete_by_term("doc_id", doc_id)
        use_workers = workers if len(plan.to_read) >= PARALLEL_MIN_FILES else 1
        sources = plan.sources  # once: a dict of every file read (per file it made a full build quadratic)
        with parallel.BuildProgress(len(plan.to_read), enabled=progress) as bar:

            def on_file(result: parallel.FileResult) -> None:
                entries[result.rel] = _replace(writer, plan, result, sources[result.rel])
                bar.advance(result)

            new_segments = parallel.build_segments(ix, plan.to_read, corpus_dir, use_workers, on_file)
        _commit(writer, new_segments)
    except BaseException:
        _cancel(writer)
        raise
    finally:
        ix.close()
    return entries


def _cancel(writer: BufferedSegmentWriter) -> None:
    """Drop the writer's work; on a full disk closing its files fails too, which must not hide why."""
    try:
        if not writer.is_closed:
            writer.cancel()
    except OSError as exc:
        log.debug("cancelling the segment writer: %r", exc)


def _replace(writer: BufferedSegmentWriter, plan: Plan, result: parallel.FileResult, src: SourceFile) -> dict[str, Any]:
    """The file's manifest entry; its indexed version goes only if the new one was read.

    A file that was indexed and now fails (a bad sidecar, a truncated PDF) keeps its old passages:
    the entry keeps the old stat and hash, so every build re-reads it and reports it until fixed.
    """
    old = plan.previous.get(result.rel)
    if result.failed is None or old is None:
        if old is not None:
            writer.delete_by_term("doc_id", old["doc_id"])
        return _entry(plan, result, src)
    return {**old, "failed": result.failed, "stale": True}


def _entry(plan: Plan, result: parallel.FileResult, src: SourceFile) -> dict[str, Any]:
    entry: dict[str, Any] = {"doc_id": src.doc_id, "stat": [list(s) for s in src.stat], "hash": plan.hashes[src.rel]}
    if result.failed is not None:
        entry["failed"] = result.failed
    else:
        entry.update(passages=result.passages, abbreviations=result.abbreviations, lengths=result.lengths)
    return entry


def _commit(writer: BufferedSegmentWriter, new_segments: list[Any]) -> None:
    """One TOC with the old segments (deletions applied, small ones merged) and the new ones."""
    old = writer.segments
    total = sum(s.doc_count_all() for s in [*old, *new_segments])
    small = [s for s in old if s.doc_count_all() < total * SMALL_SEGMENT_SHARE]
    kept = old
    if len(old) + len(new_segments) > MAX_SEGMENTS and len(small) > 1:
        for segment in small:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        kept = [s for s in old if s not in small]
    if writer._added:
        kept = [*kept, writer._finalize_segment()]
    else:
        writer._close_segment()
    writer._commit_toc([*kept, *new_segments])
    writer._finish()


def _link_copy(source: Path, target: Path) -> None:
    """Hard-link the previous generation's Whoosh files: Whoosh never rewrites a file in place.

    A search cache whose size is not the one written is left behind, so it is computed again.
    """
    sizes = recorded_sizes(source)
    for child in source.iterdir():
        if not child.is_file() or child.name in SIDE_FILES or "LOCK" in child.name:
            continue
        if child.name in sizes and child.stat().st_size != sizes[child.name]:
            log.warning("%s was damaged; computing it again", child.name)
            continue
        try:
            os.link(child, target / child.name)
        except OSError:  # a file system without hard links
            shutil.copy2(child, target / child.name)


def merged_abbreviations(files: dict[str, dict[str, Any]]) -> dict[str, str]:
    """{short: full} from every indexed file, in file order (a later file does not override)."""
    merged: dict[str, str] = {}
    for _rel, entry in sorted(files.items()):
        for short, long in (entry.get("abbreviations") or {}).items():
            merged.setdefault(short, long)
    return merged


def _tally(report: BuildReport, files: dict[str, dict[str, Any]]) -> None:
    for rel, entry in sorted(files.items()):
        if "failed" in entry:
            kept = " (the version indexed before is kept)" if entry.get("stale") else ""
            report.failed.append((rel, entry["failed"] + kept))
        if is_indexed(entry):
            report.documents += 1
            report.passages += int(entry.get("passages", 0))
