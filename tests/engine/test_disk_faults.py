"""The index folder on a small file system that fills up, and on one mounted read-only.

The build says so in one line and exits 1; the live generation is untouched and `undocs serve`
serves it; once there is room (or write access) again, the next build succeeds. Needs root to mount
a tmpfs; skipped, with the reason, where that is not possible.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from indexer.engine.build import build_index
from indexer.engine.store import current_generation
from indexer.models import SearchRequest
from indexer.search.service import search
from tests.conftest import CORPUS, ROOT, SEEDS
from tests.webui.serve_process import get, undocs_serve

QUERIES = ["伙伴关系", "symbol:S/2021/130", '"区域和次区域组织"', "研讨会 -东盟"]


def answers(index: Path) -> dict[str, list[str]]:
    return {q: [h.passage_id for h in search(index, SearchRequest(q=q, per_page=1000)).hits] for q in QUERIES}


def _mount(target: Path, options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], check=True, capture_output=True)


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs: room for an index of two documents, not for the whole corpus besides."""
    target = tmp_path / "fs"
    target.mkdir()
    try:
        _mount(target, "size=1m")
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here (needs root and mount): {exc}")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


@pytest.fixture
def two_docs(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for key in ("prst", "letter"):
        shutil.copy2(CORPUS / SEEDS[key], corpus)
    return corpus


def grow(corpus: Path) -> None:
    """The other seeds: more than the file system has room for."""
    for name in SEEDS.values():
        shutil.copy2(CORPUS / name, corpus)


def cli_build(corpus: Path, index: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer.cli", "build", "--corpus", str(corpus), "--index",
                           str(index), "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("fault", ["full disk", "read-only"])
def test_a_build_that_cannot_write_leaves_the_index_served(small_fs: Path, two_docs: Path, fault: str) -> None:
    index = small_fs / "index"
    build_index(two_docs, index, progress=False)
    live, before = current_generation(index), answers(index)
    grow(two_docs)
    if fault == "read-only":
        subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    reason = "No space left on device" if fault == "full disk" else "Read-only file system"

    result = cli_build(two_docs, index)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"undocs: cannot finish the build: {reason}; the previous index at "
                                          f"{index} is unchanged and still searchable"]
    assert current_generation(index) == live
    assert sorted(p.name for p in index.iterdir()) == ["CURRENT", "build.lock", live.name]
    assert answers(index) == before
    with undocs_serve(two_docs, index) as served:  # its own build fails the same way; it serves what there is
        status, _, body = get(served.port, "/api/search?q=" + quote("symbol:S/2021/130"))
        assert status == 200 and json.loads(body)["hits"][0]["doc_id"] == "S_2021_130"
    assert f"undocs: cannot finish the build: {reason}" in served.stderr
    assert "serving the existing index" in served.stderr
    assert "Traceback" not in served.stderr

    subprocess.run(["mount", "-o", "remount,rw,size=16m", str(small_fs)], check=True)
    report = build_index(two_docs, index, progress=False)
    assert (report.failed, report.documents) == ([], 5)
