"""kill -9 at random points of a full and of an incremental build (files added, changed, deleted).

After each kill the live generation answers a fixed query set exactly as before (or, if the kill came
after the switch, exactly as the finished build does), its worker processes are gone, and the next
build succeeds. The kill points are drawn from the measured duration of an uninterrupted build, so
they fall in reading, segment writing, the search caches and publishing alike.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from indexer.engine.build import build_index
from indexer.engine.store import current_generation
from indexer.models import SearchRequest
from indexer.search.service import SearchService
from tests.conftest import CORPUS, ROOT, SEEDS

KILLS = 10
QUERIES = ["东盟", '"区域和次区域组织"', "symbol:S/PRST/2021/9", "集体安全 -利比亚", "type:信函 研讨会", "雪豹保护区",
           "阿拉伯国家联盟"]


def answers(index: Path) -> dict[str, list[str]]:
    with SearchService(index) as engine:
        return {q: [h.passage_id for h in engine.search(SearchRequest(q=q, per_page=1000)).hits] for q in QUERIES}


def as_sets(found: dict[str, list[str]]) -> dict[str, list[str]]:
    """A rebuilt index may order equal scores differently; which passages it finds may not differ."""
    return {q: sorted(ids) for q, ids in found.items()}


def change_corpus(corpus: Path) -> None:
    """Files added, changed and deleted: every kind of work an incremental build does."""
    for n in range(2):
        (corpus / f"note-{n}.txt").write_text(f"安全理事会关于第{n}号雪豹保护区的说明。\n\n各区域组织应合作。\n",
                                              encoding="utf-8")
    prst = corpus / SEEDS["prst"]
    prst.write_text(prst.read_text(encoding="utf-8").replace("区域和次区域组织", "区域组织"), encoding="utf-8")
    (corpus / SEEDS["report"]).unlink()


def build_command(corpus: Path, index: Path, full: bool) -> list[str]:
    return [sys.executable, "-m", "indexer.cli", "build", "--corpus", str(corpus), "--index", str(index), "--quiet",
            *(["--full"] if full else [])]


def timed_build(corpus: Path, index: Path, full: bool) -> tuple[float, float]:
    """Run the build uninterrupted: (seconds until its work directory appears, seconds until it exits)."""
    start = time.monotonic()
    working = None
    with subprocess.Popen(build_command(corpus, index, full), cwd=ROOT, stdout=subprocess.DEVNULL) as proc:
        while proc.poll() is None:
            if working is None and any(p.name.startswith("tmp-") for p in index.iterdir()):
                working = time.monotonic() - start
            time.sleep(0.005)
    assert proc.returncode == 0
    total = time.monotonic() - start
    return (working if working is not None else total / 2), total


def kill_at(corpus: Path, index: Path, full: bool, delay: float) -> str:
    """Start a build, SIGKILL it after `delay` s; where it was: starting, writing, or already done."""
    with subprocess.Popen(build_command(corpus, index, full), cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) as proc:
        time.sleep(delay)
        workers = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
        writing = any(p.name.startswith("tmp-") for p in index.iterdir())
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    _, alive = psutil.wait_procs(workers, timeout=10)  # workers notice their parent is gone
    assert alive == []
    return "finished" if finished else "writing" if writing else "starting"


@pytest.mark.parametrize("full", [True, False], ids=["full", "incremental"])
def test_kill_9_at_random_points_never_changes_what_the_live_index_answers(tmp_path: Path, full: bool) -> None:
    corpus, pristine = tmp_path / "corpus", tmp_path / "pristine"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, pristine, progress=False)
    before = answers(pristine)
    change_corpus(corpus)
    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference)
    working, total = timed_build(corpus, reference, full)
    after = as_sets(answers(reference))
    assert after != as_sets(before)

    rng = random.Random(12)
    outcomes: list[str] = []
    n = 0  # KILLS kills at least, and more (bounded) until half of them landed mid-build: the timings
    while n < KILLS or (sum(o == "writing: previous" for o in outcomes) < KILLS // 2 and n < 3 * KILLS):
        n += 1  # measured once drift with the machine's load, so a kill may land before or after the work
        index = tmp_path / f"index-{n}"
        shutil.copytree(pristine, index)
        live = current_generation(index).name
        phase = kill_at(corpus, index, full, rng.uniform(working * 0.8, total * 1.05))
        if current_generation(index).name == live:
            assert answers(index) == before  # the previous generation, exactly
            outcomes.append(f"{phase}: previous")
        else:
            assert as_sets(answers(index)) == after  # killed after the switch: wholly the new one
            outcomes.append(f"{phase}: new")
        report = build_index(corpus, index, progress=False)
        assert report.failed == []
        assert as_sets(answers(index)) == after
        assert sorted(p.name for p in index.iterdir() if p.name.startswith("tmp-")) == []
        shutil.rmtree(index)
    assert sum(o == "writing: previous" for o in outcomes) >= KILLS // 2, outcomes  # most land mid-build
