"""Builds of corpora a new user really has: nothing indexable, a file of page furniture only, a sidecar
gone bad after its document was indexed. Each ends in one clear line and a known index, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main as cli_main
from indexer.engine.build import build_index
from indexer.engine.store import current_generation
from indexer.models import SearchRequest
from indexer.search.service import search
from tests.conftest import CORPUS, SEEDS

# What a UN document's page furniture looks like once the text is gone: job number with dates,
# barcode, page number. No rule names these lines; they are only typical.
FURNITURE_ONLY = "22-01234 (C)    150322    160322\n*2201234*\n\n2/5\n\n22-01234\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def run_build(corpus: Path, index: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli_main, ["build", "--corpus", str(corpus), "--index", str(index), "--quiet", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def hits_for(index: Path, q: str) -> list[tuple[str, str]]:
    results = search(index, SearchRequest(q=q, per_page=100))
    return [(hit.doc_id, hit.passage_id) for hit in results.hits]


def _unindexable(folder: Path, kind: str) -> None:
    folder.mkdir()
    if kind == "empty file":
        (folder / "a.txt").write_bytes(b"")
    elif kind == "binary file":
        (folder / "a.txt").write_bytes(bytes(range(256)) * 4)
    elif kind == "bad sidecar":
        (folder / "S_2099_1.txt").write_text("安全理事会关于区域组织的说明。\n", encoding="utf-8")
        (folder / "S_2099_1.meta.toml").write_text('doc_date = "2099-13-45"\n', encoding="utf-8")
    elif kind == "furniture only":
        (folder / "a.txt").write_text(FURNITURE_ONLY, encoding="utf-8")


@pytest.mark.parametrize("kind", ["empty folder", "empty file", "binary file", "bad sidecar", "furniture only"])
def test_nothing_indexable_is_one_clear_line_and_an_empty_searchable_index(tmp_path: Path, kind: str) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    _unindexable(corpus, kind)
    code, out = run_build(corpus, index)
    assert code == 1
    assert "Traceback" not in out
    assert out.splitlines()[0].startswith("full build (no index yet): 0 documents, 0 passages")
    assert "the index is empty: no file in the corpus folder could be indexed" in out
    assert current_generation(index).is_dir()
    assert search(index, SearchRequest(q="安全理事会")).total == 0


def test_serve_on_a_corpus_with_nothing_indexable_says_so(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _unindexable(corpus, "empty folder")
    result = CliRunner().invoke(cli_main, ["serve", "--corpus", str(corpus), "--index", str(tmp_path / "index"),
                                           "--port", "5611"])
    assert result.exit_code == 2
    assert f"undocs: nothing to serve: no document in {corpus} could be indexed" in result.stderr
    assert "Traceback" not in result.output


def test_file_of_page_furniture_only_is_reported_not_counted(corpus: Path, tmp_path: Path) -> None:
    (corpus / "cover.txt").write_text(FURNITURE_ONLY, encoding="utf-8")
    report = build_index(corpus, tmp_path / "index", progress=False)
    assert report.documents == 5
    assert report.failed == [("cover.txt", "no text to index: nothing is left once page headers, footers and "
                                           "job numbers are removed")]
    code, out = run_build(corpus, tmp_path / "index2")
    assert code == 1
    assert "full build (no index yet): 5 documents" in out
    assert "  cover.txt: no text to index" in out


def test_sidecar_gone_bad_keeps_the_indexed_version_and_fails_loudly(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = build_index(corpus, index, progress=False)
    before = hits_for(index, "有效伙伴关系")
    assert "S_PRST_2021_9" in {doc for doc, _ in before}
    sidecar = corpus / "S_PRST_2021_9.meta.toml"
    sidecar.write_text('doc_date = "2021-13-45"\n', encoding="utf-8")

    for _ in range(2):  # the next build does not forget it either
        code, out = run_build(corpus, index)
        assert code == 1
        assert f"5 documents, {first.passages} passages in the index" in out
        assert "  S_PRST_2021_9.txt: " in out
        assert "[doc_date]: '2021-13-45' is not a date" in out
        assert out.rstrip().endswith("(the version indexed before is kept)")
        assert hits_for(index, "有效伙伴关系") == before

    sidecar.write_text('doc_date = "2021-04-20"\n', encoding="utf-8")
    report = build_index(corpus, index, progress=False)
    assert (report.failed, report.documents, report.reread) == ([], 5, ["S_PRST_2021_9.txt"])
    assert search(index, SearchRequest(q="symbol:S/PRST/2021/9")).hits[0].doc_date == "2021-04-20"


def test_sidecar_removed_again_clears_the_failure(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    sidecar = corpus / "S_2021_130.meta.toml"
    sidecar.write_text("unknown_key = 1\n", encoding="utf-8")
    assert [name for name, _ in build_index(corpus, index, progress=False).failed] == ["S_2021_130.txt"]
    sidecar.unlink()
    report = build_index(corpus, index, progress=False)
    assert (report.failed, report.documents) == ([], 5)


def test_document_whose_new_version_is_unreadable_keeps_its_old_passages(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    before = hits_for(index, "阿拉伯国家联盟")
    (corpus / SEEDS["report"]).write_bytes(b"\x00" * 64)  # overwritten by a failed download
    report = build_index(corpus, index, progress=False)
    assert report.documents == 5
    assert report.failed == [(SEEDS["report"], "binary file (contains NUL bytes), not text "
                                               "(the version indexed before is kept)")]
    assert hits_for(index, "阿拉伯国家联盟") == before
    (corpus / SEEDS["report"]).unlink()  # deleting it is how a document leaves the index
    report = build_index(corpus, index, progress=False)
    assert (report.failed, report.documents, report.removed) == ([], 4, [SEEDS["report"]])
    assert hits_for(index, "阿拉伯国家联盟") == []


def test_full_build_reports_a_bad_sidecar_and_leaves_the_document_out(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    (corpus / "S_PRST_2021_9.meta.toml").write_text("symbolz = []\n", encoding="utf-8")
    code, out = run_build(corpus, index, "--full")
    assert code == 1
    assert "full build (--full): 4 documents" in out
    assert "  S_PRST_2021_9.txt: " in out and "symbolz" in out
