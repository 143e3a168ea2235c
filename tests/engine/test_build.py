"""The builder on real copies of corpus/: incremental, atomic, locked, and honest about bad files."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner
from whoosh.query import Term

from indexer.cli import main as cli_main
from indexer.engine.build import build_index
from indexer.engine.store import ABBREVIATIONS_FILE, MANIFEST_FILE, build_lock, current_generation, open_index
from indexer.errors import BuildLockedError, IndexMissingError, ReadError
from indexer.models import SearchRequest
from indexer.search.service import search
from tests.conftest import CORPUS, ROOT, SEEDS


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def doc_ids_with(index_dir: Path, phrase: str) -> set[str]:
    """Documents with a passage containing `phrase` exactly, through the real search engine."""
    results = search(index_dir, SearchRequest(q=f'"{phrase}"', per_page=1000))
    assert results.total <= 1000
    return {hit.doc_id for hit in results.hits}


def passages_of(index_dir: Path, doc_id: str) -> list[str]:
    ix = open_index(index_dir)
    try:
        with ix.searcher() as searcher:
            hits = searcher.search(Term("doc_id", doc_id), limit=None)
            return [hit["text"] for hit in sorted(hits, key=lambda hit: hit["ordinal"])]
    finally:
        ix.close()


def test_full_build_indexes_every_seed(corpus: Path, tmp_path: Path, seed_docs: dict) -> None:
    report = build_index(corpus, tmp_path / "index", progress=False)
    assert report.failed == []
    assert report.full is True
    assert report.documents == 5
    assert report.passages == sum(len(doc.passages) for doc in seed_docs.values())
    assert sorted(report.reread) == sorted(SEEDS.values())
    generation = current_generation(tmp_path / "index")
    manifest = json.loads((generation / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["files"]["S_PRST_2021_9.txt"]["doc_id"] == "S_PRST_2021_9"
    assert manifest["files"]["S_PRST_2021_9.txt"]["passages"] == len(seed_docs["prst"].passages)
    assert doc_ids_with(tmp_path / "index", "阿拉伯国家联盟") == {"A_75_345-S_2020_901"}
    assert doc_ids_with(tmp_path / "index", "集体安全") >= {"S_PRST_2021_9", "A_75_345-S_2020_901"}


def test_incremental_build_rereads_only_new_and_changed_files(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    first = current_generation(index).name
    (corpus / "A_75_345-S_2020_901.txt").unlink()
    with (corpus / SEEDS["letter"]).open("a", encoding="utf-8") as f:
        f.write("\n\n增补段落：蓝鲸观测站的报告已经分发。\n")
    (corpus / "note.txt").write_text("安全理事会关于雪豹保护的说明。\n", encoding="utf-8")

    report = build_index(corpus, index, progress=False)

    assert report.full is False
    assert report.reread == ["S_2021_130.txt", "note.txt"]
    assert report.removed == ["A_75_345-S_2020_901.txt"]
    assert report.unchanged == 3
    assert report.documents == 5
    assert doc_ids_with(index, "阿拉伯国家联盟") == set()
    assert doc_ids_with(index, "蓝鲸观测站") == {"S_2021_130"}
    assert doc_ids_with(index, "雪豹保护") == {"note"}
    assert "S_PRST_2021_9" in doc_ids_with(index, "集体安全")
    assert "A_75_345-S_2020_901" not in doc_ids_with(index, "集体安全")
    assert passages_of(index, "A_75_345-S_2020_901") == []
    # the previous generation is kept one round, for a searcher that still has it open
    assert sorted(p.name for p in index.iterdir() if p.is_dir()) == sorted([first, report.generation])


def test_damaged_previous_index_gets_a_full_rebuild(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    for path in current_generation(index).glob("MAIN_*.trm"):
        path.unlink()
    with pytest.raises(IndexMissingError, match=r"is damaged \(MAIN_\w+\.trm is missing\); rebuild it with `undocs build --full`"):
        open_index(index)
    report = build_index(corpus, index, progress=False)
    assert (report.full, len(report.reread)) == (True, 5)
    assert re.fullmatch(r"the previous index is damaged: MAIN_\w+\.trm is missing", report.full_reason)
    assert doc_ids_with(index, "阿拉伯国家联盟") == {"A_75_345-S_2020_901"}


def test_unchanged_corpus_reads_nothing(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = build_index(corpus, index, progress=False)
    os.utime(corpus / SEEDS["prst"])  # touched, same content
    second = build_index(corpus, index, progress=False)
    third = build_index(corpus, index, progress=False)
    assert (second.reread, second.unchanged, second.documents) == ([], 5, 5)
    assert (third.reread, third.generation) == ([], second.generation)
    assert second.passages == first.passages


def test_changed_sidecar_rereads_its_document(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    (corpus / "S_PRST_2021_9.meta.toml").write_text('title = "关于区域合作的主席声明"\n', encoding="utf-8")
    report = build_index(corpus, index, progress=False)
    assert report.reread == ["S_PRST_2021_9.txt"]
    assert report.failed == []


def test_bad_files_are_reported_and_the_rest_indexed(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (corpus / "gbk.txt").write_bytes("安全理事会主席声明：维护国际和平与安全。\n".encode("gbk"))
    index = tmp_path / "index"

    report = build_index(corpus, index, progress=False)

    assert [name for name, _ in report.failed] == ["binary.txt", "empty.txt"]
    assert "binary file" in dict(report.failed)["binary.txt"]
    assert "empty file" in dict(report.failed)["empty.txt"]
    assert report.documents == 6
    assert doc_ids_with(index, "主席声明") >= {"gbk", "S_PRST_2021_9"}
    again = build_index(corpus, index, progress=False)  # still reported, without re-reading
    assert (again.reread, again.failed) == ([], report.failed)


def test_cli_build_exits_nonzero_and_lists_skipped_files(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli_main, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "i"), "--quiet"])
    assert result.exit_code == 1
    assert "full build (no index yet): 5 documents" in result.output
    assert "skipped 1 file(s):\n  empty.txt: empty file" in result.output


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="the corpus folder does not exist"):
        build_index(tmp_path / "nope", tmp_path / "index", progress=False)
    result = CliRunner().invoke(cli_main, ["build", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path)])
    assert result.exit_code == 2
    assert "the corpus folder does not exist" in result.output


def test_a_file_given_as_the_corpus_is_a_clear_error(tmp_path: Path) -> None:
    document = tmp_path / "S_PRST_2021_9.txt"
    document.write_text("安全理事会主席声明", encoding="utf-8")
    with pytest.raises(ReadError, match="is a file, not a folder"):
        build_index(document, tmp_path / "index", progress=False)


def test_same_stem_files_get_distinct_ids_and_a_warning(corpus: Path, tmp_path: Path) -> None:
    shutil.copy(corpus / SEEDS["prst"], corpus / "S_PRST_2021_9.md")
    report = build_index(corpus, tmp_path / "index", progress=False)
    assert report.documents == 6
    assert report.warnings == [
        "S_PRST_2021_9.txt has the same document id 'S_PRST_2021_9' as S_PRST_2021_9.md; indexed as 'S_PRST_2021_9_txt'"
    ]
    assert doc_ids_with(tmp_path / "index", "区域和次区域组织熟悉本区域的情况") == {"S_PRST_2021_9", "S_PRST_2021_9_txt"}


def test_abbreviations_survive_incremental_builds(corpus: Path, tmp_path: Path, seed_docs: dict) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    expected: dict[str, str] = {}
    for name in sorted(SEEDS, key=lambda n: SEEDS[n]):
        for short, long in seed_docs[name].abbreviations.items():
            expected.setdefault(short, long)
    full = json.loads((current_generation(index) / ABBREVIATIONS_FILE).read_text(encoding="utf-8"))
    assert full == expected
    (corpus / "note.txt").write_text("安全理事会的说明。\n", encoding="utf-8")
    build_index(corpus, index, progress=False)
    assert json.loads((current_generation(index) / ABBREVIATIONS_FILE).read_text(encoding="utf-8")) == expected


def test_second_build_is_refused_while_one_runs(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    with build_lock(index):
        with pytest.raises(BuildLockedError, match="another `undocs build` is running"):
            build_index(corpus, index, progress=False)
        result = CliRunner().invoke(cli_main, ["build", "--corpus", str(corpus), "--index", str(index)])
        assert result.exit_code == 2
        assert "another `undocs build` is running" in result.output
    assert build_index(corpus, index, progress=False).documents == 5


def test_leftovers_of_a_crashed_build_are_removed(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    (index / "tmp-1").mkdir()
    (index / "tmp-1" / "MAIN_x.seg").write_bytes(b"half")
    (index / "gen-2").mkdir()  # renamed but never made live
    (corpus / "note.txt").write_text("安全理事会的说明。\n", encoding="utf-8")
    report = build_index(corpus, index, progress=False)
    assert not (index / "tmp-1").exists()
    assert not (index / "gen-2").exists()
    assert report.reread == ["note.txt"]


def _bigger_corpus(corpus: Path, copies: int) -> None:
    for n in range(copies):
        for name in SEEDS.values():
            text = (CORPUS / name).read_text(encoding="utf-8")
            (corpus / f"copy{n:02d}-{name}").write_text(text.replace("2020", str(1990 + n)), encoding="utf-8")


def test_kill_9_during_a_build_leaves_the_previous_index_searchable(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    live = current_generation(index)
    before = {p: doc_ids_with(index, p) for p in ("阿拉伯国家联盟", "集体安全", "区域和次区域组织")}
    _bigger_corpus(corpus, 12)
    command = [sys.executable, "-m", "indexer.cli", "build", "--corpus", str(corpus), "--index", str(index), "--quiet"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as build:
        deadline = time.monotonic() + 60
        while not any(p.name.startswith("tmp-") and (p / "MAIN.tmp").is_dir() for p in index.iterdir()):
            assert build.poll() is None, "the build finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.5)  # well into reading and writing
        assert build.poll() is None
        workers = psutil.Process(build.pid).children(recursive=True)
        build.send_signal(signal.SIGKILL)
        build.wait()
    # its worker processes notice and exit instead of waiting forever
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []
    assert current_generation(index) == live
    assert {p: doc_ids_with(index, p) for p in before} == before
    assert doc_ids_with(index, "阿拉伯国家联盟") == {"A_75_345-S_2020_901"}
    # the next build removes the half-written generation
    for path in corpus.glob("copy*"):
        path.unlink()
    report = build_index(corpus, index, progress=False)
    assert report.reread == []
    assert sorted(p.name for p in index.iterdir() if p.is_dir()) == [live.name]


def _sigint_as_in_a_terminal() -> None:
    """A shell starting pytest in the background (`cmd &`) makes it and its children ignore SIGINT;
    Ctrl-C in a terminal reaches a build whose SIGINT is the default."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_during_a_build_cleans_up_and_keeps_the_previous_index(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    live = current_generation(index)
    _bigger_corpus(corpus, 40)  # enough work that the interrupt lands mid-build on an idle machine too
    command = [sys.executable, "-m", "indexer.cli", "build", "--corpus", str(corpus), "--index", str(index), "--quiet"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          preexec_fn=_sigint_as_in_a_terminal) as build:
        deadline = time.monotonic() + 60
        while not any(p.name.startswith("tmp-") and (p / "MAIN.tmp").is_dir() for p in index.iterdir()):
            assert build.poll() is None, "the build finished before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.1)
        build.send_signal(signal.SIGINT)
        _, err = build.communicate(timeout=60)
    assert build.returncode == 130
    assert err.strip().splitlines()[-1] == "undocs: build interrupted; the previous index is unchanged"
    assert "Traceback" not in err
    assert sorted(p.name for p in index.iterdir() if p.is_dir()) == [live.name]
    assert current_generation(index) == live
    assert doc_ids_with(index, "阿拉伯国家联盟") == {"A_75_345-S_2020_901"}


def test_small_segments_of_incremental_builds_are_merged(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False, workers=2)  # two worker segments, whatever the core count
    counts = []
    for n in range(7):
        (corpus / f"note{n}.txt").write_text(f"安全理事会关于第{n}号雪豹保护区的说明。\n", encoding="utf-8")
        assert build_index(corpus, index, progress=False).reread == [f"note{n}.txt"]
        ix = open_index(index)
        counts.append(sorted(n for n in (s.doc_count_all() for s in ix._segments()) if n < 50))  # not the seeds
        ix.close()
    assert counts[:6] == [[1] * k for k in range(1, 7)]
    assert counts[6] == [1, 6]  # past MAX_SEGMENTS the six one-note segments became one
    assert doc_ids_with(index, "雪豹保护区") == {f"note{n}" for n in range(7)}
    assert doc_ids_with(index, "阿拉伯国家联盟") == {"A_75_345-S_2020_901"}
