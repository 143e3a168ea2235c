"""Where the live index is: index_dir/CURRENT names the generation directory in use.

Layout of index_dir:
    CURRENT          the name of the live generation, replaced atomically (os.replace)
    build.lock       held (fcntl.flock) by the one running build; the kernel drops it if the build dies
    gen-<ns>/        complete generations: Whoosh files + manifest.json + abbreviations.json + the search
                     caches + files.json (the size of each file, checked at every open)
    tmp-<ns>/        a generation being built; renamed to gen-<ns> only once complete

A build writes a complete new generation and then replaces CURRENT, so a crash at any point leaves
the previous generation complete and searchable; the next build removes what the crash left.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import logging
import os
import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from indexer.errors import BuildLockedError, IndexDamagedError, IndexMissingError, IndexWriteError, UndocsError

CURRENT_FILE = "CURRENT"
MANIFEST_FILE = "manifest.json"
ABBREVIATIONS_FILE = "abbreviations.json"
LOCK_FILE = "build.lock"
FILES_FILE = "files.json"  # name -> size of every file publish() made live
DERIVED_PREFIX = "search-cache-"  # opencache.py's files: recomputed when missing or bad, not checked
GEN_PREFIX = "gen-"
TMP_PREFIX = "tmp-"

log = logging.getLogger(__name__)


def current_generation(index_dir: Path) -> Path:
    """The live generation directory; IndexMissingError if there is none."""
    pointer = index_dir / CURRENT_FILE
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissingError(index_dir, "no index has been built here") from None
    except UnicodeDecodeError:
        raise IndexDamagedError(index_dir, f"{CURRENT_FILE} is garbled") from None
    except OSError as exc:
        raise IndexMissingError(index_dir, f"cannot read {pointer.name}: {exc.strerror or exc}") from None
    generation = index_dir / name
    if not name.startswith(GEN_PREFIX) or "/" in name or not generation.is_dir():
        raise IndexDamagedError(index_dir, f"{CURRENT_FILE} points to a missing generation {name[:80]!r}")
    return generation


def check_files(generation: Path, derived: bool = False) -> str | None:
    """What is wrong with the generation's files (missing, truncated), by the sizes publish() recorded.

    Whoosh does not notice a truncated postings file: searches would quietly miss documents.
    The search caches are checked only if `derived`: a bad one is recomputed at open.
    """
    recorded = recorded_sizes(generation)
    for name, size in sorted(recorded.items()):
        if name.startswith(DERIVED_PREFIX) and not derived:
            continue
        try:
            actual = (generation / name).stat().st_size
        except OSError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} has {actual} bytes, {size} were written"
    return None


def recorded_sizes(generation: Path) -> dict[str, int]:
    """The sizes publish() recorded ({} for a generation from before the record)."""
    recorded = read_json(generation, FILES_FILE, {})
    return recorded if isinstance(recorded, dict) else {}


def _recorded(name: str) -> bool:
    return "LOCK" not in name and name != FILES_FILE


def open_index(index_dir: Path) -> Any:
    """Open the live Whoosh index read-only; IndexMissingError (never a traceback) if unusable.

    A reader is opened and closed once so that a generation with missing or truncated segment
    files is reported here, not as a traceback in the middle of a search.
    """
    from whoosh import index as whoosh_index

    generation = current_generation(index_dir)
    problem = check_files(generation)
    if problem is not None:
        raise IndexDamagedError(index_dir, problem)
    try:
        ix = whoosh_index.open_dir(str(generation), readonly=True)
        ix.reader().close()
        return ix
    except Exception as exc:  # Whoosh raises many types for a damaged index
        log.info("cannot open the index in %s: %r", generation, exc)
        problem = _describe(exc)
        # Whoosh leaves the half-read file open in the traceback's frames: close it now, quietly.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            exc.__traceback__ = None
            gc.collect()
    raise IndexDamagedError(index_dir, problem)


def _describe(exc: Exception) -> str:
    """A damaged-index exception as a short phrase: the file it names, else its type."""
    filename = getattr(exc, "filename", None)
    if isinstance(exc, FileNotFoundError) and filename:
        return f"{Path(filename).name} is missing"
    return f"Whoosh cannot read it: {type(exc).__name__}"


def read_json(generation: Path, name: str, default: Any) -> Any:
    """A JSON side file of a generation, or `default` if it is missing or unreadable."""
    try:
        return json.loads((generation / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def write_json(path: Path, data: Any) -> None:
    """Written beside and renamed: never through a hard link into the previous generation."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the build lock; BuildLockedError at once if another build holds it.

    flock is released by the kernel when the holder exits, so a killed build never leaves a stale lock.
    """
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(index_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:  # a file in the way, or no permission: say which, no traceback
        if (index_dir / CURRENT_FILE).is_file():  # a read-only folder holding an index: that index stays
            raise IndexWriteError(index_dir, exc.strerror or str(exc)) from None
        reason = "it is a file, not a folder" if index_dir.is_file() else (exc.strerror or str(exc))
        raise UndocsError(f"cannot use {index_dir} as the index folder: {reason}; choose another --index") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            detail = f" (process {holder})" if holder else ""
            raise BuildLockedError(
                f"another `undocs build` is running on {index_dir}{detail}; wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def new_generation_dir(index_dir: Path) -> Path:
    """A fresh, empty work directory for a generation being built."""
    path = index_dir / f"{TMP_PREFIX}{time.time_ns()}"
    path.mkdir()
    return path


def publish(index_dir: Path, work_dir: Path) -> Path:
    """Make a finished work directory the live generation: record sizes, fsync, rename, switch CURRENT."""
    write_json(work_dir / FILES_FILE, {p.name: p.stat().st_size for p in work_dir.iterdir()
                                       if p.is_file() and _recorded(p.name)})
    for child in work_dir.iterdir():
        _fsync_path(child)
    generation = index_dir / (GEN_PREFIX + work_dir.name.removeprefix(TMP_PREFIX))
    os.rename(work_dir, generation)
    _fsync_path(index_dir)
    pointer_tmp = index_dir / f"{CURRENT_FILE}.tmp"
    with open(pointer_tmp, "w", encoding="utf-8") as f:
        f.write(generation.name)
        f.flush()
        os.fsync(f.fileno())
    os.replace(pointer_tmp, index_dir / CURRENT_FILE)
    _fsync_path(index_dir)
    return generation


def remove_leftovers(index_dir: Path) -> list[str]:
    """Remove work directories a crashed or interrupted build left behind (call holding the lock)."""
    return _remove_dirs(index_dir, lambda name: name.startswith(TMP_PREFIX))


def remove_stale(index_dir: Path, keep: set[str]) -> list[str]:
    """Remove every generation and work directory not in `keep` (call holding the lock).

    The build keeps the live generation and the one it replaced: a searcher that opened the
    previous generation just before the switch can finish; it goes at the next build.
    """
    return _remove_dirs(index_dir, lambda name: name.startswith((GEN_PREFIX, TMP_PREFIX)) and name not in keep)


def _remove_dirs(index_dir: Path, doomed: Callable[[str], bool]) -> list[str]:
    removed = []
    for child in sorted(index_dir.iterdir()):
        if child.is_dir() and doomed(child.name):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    return removed


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
