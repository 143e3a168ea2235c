"""Serving: `undocs serve` / `python -m webui` build the index first, then answer over HTTP."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from serve_process import free_port, get, raw_get, undocs_serve

from indexer.config import Config
from indexer.errors import IndexMissingError
from indexer.language.doctypes import DOC_TYPES
from webui.serve import prepare_index

ROOT = Path(__file__).resolve().parents[2]


def test_prepare_index_builds_a_missing_index(corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                              ) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(corpus_dir / "S_PRST_2021_9.txt", corpus)
    index = tmp_path / "index"
    prepare_index(Config(corpus_dir=corpus, index_dir=index), progress=False)
    assert (index / "CURRENT").is_file()
    assert "1 documents" in capsys.readouterr().err


def test_prepare_index_without_corpus_or_index_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError) as info:
        prepare_index(Config(corpus_dir=tmp_path / "no-corpus", index_dir=tmp_path / "no-index"), progress=False)
    assert "run `undocs build` first" in str(info.value)


def test_python_m_webui_help_lists_the_serve_options() -> None:
    result = subprocess.run([sys.executable, "-m", "webui", "--help"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0
    for option in ("--host", "--port", "--index", "--corpus"):
        assert option in result.stdout
    assert "python -m webui" in result.stdout


def test_undocs_serve_builds_then_serves_over_http(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(corpus_dir / "S_PRST_2021_9.txt", corpus)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UNDOCS_DEBUG": ""}
    cmd = [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port), "--index", str(tmp_path / "index"),
           "--corpus", str(corpus)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                status, _, body = get(port, "/doc/S_PRST_2021_9")
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        assert status == 200
        assert "S/PRST/2021/9" in body
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=20)
    assert "1 documents" in stderr.decode()  # the build summary, printed before serving
    assert f"http://127.0.0.1:{port}/" in stderr.decode()


def test_a_taken_port_is_a_clear_error_not_a_traceback(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(corpus_dir / "S_PRST_2021_9.txt", corpus)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-m", "webui", "--port", str(port), "--index", str(tmp_path / "index"), "--corpus",
             str(corpus)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert f"undocs: cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_load_benchmark_runs_briefly_without_errors() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--seconds", "2", "--clients", "2", "--max-requests", "40"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors: 0" in result.stdout
    assert re.search(r"latency ms: p50 [\d.]+ +p95 [\d.]+ +p99 [\d.]+", result.stdout)


def test_raw_utf8_in_the_url_is_read_as_a_browser_would_send_it(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("S_PRST_2021_9.txt", "A_75_345-S_2020_901.txt"):
        shutil.copy2(corpus_dir / name, corpus)
    with undocs_serve(corpus, tmp_path / "index") as served:
        encoded = get(served.port, "/api/search?q=" + quote("东盟"))
        status, headers, body = raw_get(served.port, "/api/search?q=东盟".encode())
        without_time = [{k: v for k, v in json.loads(b).items() if k != "took_ms"} for b in (body, encoded[2])]
        assert status == 200 and without_time[0] == without_time[1]
        assert json.loads(body)["query"] == "东盟" and json.loads(body)["total"] > 0
        status, headers, body = raw_get(served.port, "/api/search?q=东盟&type=未知类型".encode())
        assert status == 400 and headers["Content-Type"] == "application/json"
        assert json.loads(body) == {"error": "未知的文件类型“未知类型”：可用 " + "、".join(DOC_TYPES)}
        status, _, body = raw_get(served.port, "/?q=东盟".encode())
        assert status == 200 and '<input id="q" name="q" type="search" value="东盟"' in body.decode()
        status, _, body = raw_get(served.port, "/doc/S_PRST_2021_9?q=伙伴关系".encode())
        assert status == 200 and "S/PRST/2021/9" in body.decode()
        status, _, body = raw_get(served.port, b"/api/search?q=" + "东盟".encode("gbk"))  # not UTF-8
        assert status == 200 and json.loads(body)["total"] == 0
    assert "Traceback" not in served.stderr


def test_twenty_clients_while_builds_replace_the_generation_see_no_error_and_no_mixed_page() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--seconds", "8", "--clients", "20", "--rebuilds", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "errors: 0" in lines
    assert "rebuilds: 3 of 3 succeeded" in lines
    assert "mixed responses: 0" in lines
    answering = next(line for line in lines if line.startswith("generations answering:"))
    assert answering.endswith("with a marker version: v1 v2 v3 v4"), answering  # every generation was served
