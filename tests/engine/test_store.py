"""The index layout: CURRENT, generations, the build lock, and clear errors for a missing index."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.engine.store import (
    CURRENT_FILE,
    LOCK_FILE,
    build_lock,
    current_generation,
    open_index,
    read_json,
    remove_leftovers,
    remove_stale,
)
from indexer.errors import BuildLockedError, IndexMissingError, UndocsError


@pytest.fixture
def index_copy(index_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the session index, safe to damage."""
    target = tmp_path / "index"
    shutil.copytree(index_dir, target)
    return target


def test_missing_index_says_run_build(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError) as info:
        open_index(tmp_path / "nowhere")
    assert "no index has been built here" in str(info.value)
    assert "run `undocs build`" in str(info.value)
    assert info.value.status == 503


@pytest.mark.parametrize(
    ("pointer", "message"),
    [
        ("gen-0000", "points to a missing generation 'gen-0000'"),
        ("../../etc", "points to a missing generation '../../etc'"),
        ("", "points to a missing generation ''"),
    ],
)
def test_corrupt_current_says_run_build(index_copy: Path, pointer: str, message: str) -> None:
    (index_copy / CURRENT_FILE).write_text(pointer, encoding="utf-8")
    with pytest.raises(IndexMissingError) as info:
        open_index(index_copy)
    assert message in str(info.value)
    assert str(info.value).endswith("rebuild it with `undocs build --full`")


def test_binary_current_says_run_build(index_copy: Path) -> None:
    (index_copy / CURRENT_FILE).write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(IndexMissingError, match=r"\(CURRENT is garbled\); rebuild it with `undocs build --full`$"):
        open_index(index_copy)


@pytest.mark.parametrize("victim", ["toc", "segment"])
def test_damaged_generation_says_run_build(index_copy: Path, victim: str) -> None:
    generation = current_generation(index_copy)
    files = sorted(p for p in generation.iterdir() if p.name.startswith("_MAIN_" if victim == "toc" else "MAIN_"))
    files = [p for p in files if "LOCK" not in p.name]
    assert files, f"no {victim} file in {sorted(p.name for p in generation.iterdir())}"
    for path in files:
        path.unlink()
    with pytest.raises(IndexMissingError) as info:
        open_index(index_copy)
    assert " is damaged (" in str(info.value)
    assert str(info.value).endswith("; rebuild it with `undocs build --full`")


def test_truncated_toc_says_run_build(index_copy: Path) -> None:
    generation = current_generation(index_copy)
    toc = next(generation.glob("_MAIN_*.toc"))
    toc.write_bytes(toc.read_bytes()[:40])
    with pytest.raises(IndexMissingError, match=r"is damaged \(_MAIN_\d+\.toc has 40 bytes, \d+ were written\)"):
        open_index(index_copy)


def test_open_index_reads_the_live_generation(index_dir: Path) -> None:
    ix = open_index(index_dir)
    try:
        assert Path(ix.storage.folder) == current_generation(index_dir)
        assert ix.doc_count() > 0
    finally:
        ix.close()


def test_read_json_gives_default_for_missing_or_corrupt(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "good.json").write_text('{"联合国": "UN"}', encoding="utf-8")
    assert read_json(tmp_path, "missing.json", {}) == {}
    assert read_json(tmp_path, "bad.json", None) is None
    assert read_json(tmp_path, "good.json", None) == {"联合国": "UN"}


def test_second_lock_in_same_process_is_refused(tmp_path: Path) -> None:
    with build_lock(tmp_path), pytest.raises(BuildLockedError) as info, build_lock(tmp_path):
        pass
    assert f"another `undocs build` is running on {tmp_path} (process {os.getpid()})" in str(info.value)
    assert info.value.status == 409
    with build_lock(tmp_path):  # released on exit
        pass


def test_lock_of_a_killed_process_is_released(tmp_path: Path) -> None:
    code = (
        "import sys, time; from pathlib import Path; from indexer.engine.store import build_lock\n"
        f"with build_lock(Path({str(tmp_path)!r})):\n    print('locked', flush=True); time.sleep(60)\n"
    )
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            with pytest.raises(BuildLockedError, match=f"process {holder.pid}"), build_lock(tmp_path):
                pass
        finally:
            holder.send_signal(signal.SIGKILL)
            holder.wait()
    assert (tmp_path / LOCK_FILE).exists()
    with build_lock(tmp_path):
        pass


def test_cleanup_keeps_live_and_named_generations(tmp_path: Path) -> None:
    for name in ("gen-1", "gen-2", "gen-3", "tmp-4", "other"):
        (tmp_path / name).mkdir()
    (tmp_path / CURRENT_FILE).write_text("gen-3", encoding="utf-8")
    assert remove_leftovers(tmp_path) == ["tmp-4"]
    assert remove_stale(tmp_path, keep={"gen-3", "gen-2"}) == ["gen-1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CURRENT", "gen-2", "gen-3", "other"]


def test_cleanup_removes_nothing_while_time_passes(tmp_path: Path) -> None:
    """A generation is never removed for its age alone: only by name, under the lock."""
    (tmp_path / "gen-1").mkdir()
    old = time.time() - 86400 * 30
    os.utime(tmp_path / "gen-1", (old, old))
    assert remove_leftovers(tmp_path) == []
    assert (tmp_path / "gen-1").is_dir()


@pytest.mark.parametrize(("where", "reason"), [("", "it is a file, not a folder"), ("sub", "Not a directory")])
def test_an_index_folder_that_cannot_be_made_is_one_clear_error(tmp_path: Path, where: str, reason: str) -> None:
    # `undocs build --index corpus/S_PRST_2021_9.txt` used to end in a FileExistsError traceback
    blocker = tmp_path / "S_PRST_2021_9.txt"
    blocker.write_text("安全理事会主席声明\n", encoding="utf-8")
    target = blocker / where if where else blocker
    message = rf"^cannot use {re.escape(str(target))} as the index folder: {reason}"
    with pytest.raises(UndocsError, match=message), build_lock(target):
        pass
    assert blocker.read_text(encoding="utf-8") == "安全理事会主席声明\n"
