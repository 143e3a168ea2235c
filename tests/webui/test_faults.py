"""`undocs serve` over a damaged index, and while builds replace the generation under it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from serve_process import ROOT, get, undocs_serve

from indexer.engine.build import build_index
from indexer.engine.store import CURRENT_FILE, current_generation

DAMAGED = "damaged (CURRENT is garbled); rebuild it with `undocs build --full`"


@pytest.fixture
def small_corpus(corpus_dir: Path, tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("S_PRST_2021_9.txt", "S_2021_130.txt"):
        shutil.copy2(corpus_dir / name, corpus)
    return corpus


def test_serve_without_a_corpus_over_a_damaged_index_says_what_and_how(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(small_corpus, index, progress=False)
    (index / CURRENT_FILE).write_bytes(b"\xff\xfe")
    result = subprocess.run([sys.executable, "-m", "indexer.cli", "serve", "--port", "5612", "--index", str(index),
                             "--corpus", str(tmp_path / "gone")], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"undocs: the index at {index} is {DAMAGED}"
    assert "Traceback" not in result.stderr


def test_serve_with_its_corpus_rebuilds_a_damaged_index(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(small_corpus, index, progress=False)
    victim = next(current_generation(index).glob("MAIN_*.trm"))
    victim.unlink()
    with undocs_serve(small_corpus, index) as served:
        status, _, body = get(served.port, "/api/search?q=" + quote("symbol:S/2021/130"))
        assert status == 200 and json.loads(body)["hits"][0]["doc_id"] == "S_2021_130"
    assert f"full build (the previous index is damaged: {victim.name} is missing): 2 documents" in served.stderr
    assert "Traceback" not in served.stderr


def test_index_damaged_while_serving_is_a_503_that_says_what_and_how(small_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    with undocs_serve(small_corpus, index) as served:
        assert get(served.port, "/api/search?q=" + quote("伙伴关系"))[0] == 200
        (index / CURRENT_FILE).write_bytes(b"\xff\xfe")
        status, headers, body = get(served.port, "/api/search?q=" + quote("伙伴关系"))
        assert (status, headers["Content-Type"]) == (503, "application/json")
        assert json.loads(body) == {"error": f"the index at {index} is {DAMAGED}"}
        status, _, page = get(served.port, "/?q=" + quote("伙伴关系"))
        assert status == 503 and "rebuild it with `undocs build --full`" in page
        report = build_index(small_corpus, index, progress=False)
        assert report.full_reason == "the previous index is damaged: CURRENT is garbled"
        status, _, body = get(served.port, "/api/search?q=" + quote("伙伴关系"))
        assert status == 200 and json.loads(body)["total"] > 0
    assert "Traceback" not in served.stderr
