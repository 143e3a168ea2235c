"""Corpus folders as users really have them: odd file names, symbolic links, a huge file, deep folders.

Each file is indexed and reachable by its id, or skipped with a line in the build summary saying why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main as cli_main
from indexer.models import SearchRequest
from indexer.search.service import SearchService
from webui import close_engine, create_app

# A short letter in the usual layout; {word} makes each copy findable on its own.
LETTER = """联合国\tS/2098/{n}
安全理事会\tDistr.: General
2098年3月{n}日
中文
Original: English

2098年3月{n}日常驻联合国代表给秘书长的信

    1. 谨随函转递关于{word}问题的说明。
    2. 请将本信及其附件作为安全理事会文件分发为荷。
"""
ODD_NAMES = ["带 空格 的 信.txt", "安理会“引号”'单引号'.txt", 'double "quoted".txt', "a..b.txt", "x..y/内.txt"]
WORDS = ["甲乙丙丁戊", "己庚辛壬癸", "子丑寅卯辰", "巳午未申酉", "戌亥乾坤震"]


def _write(path: Path, n: int, word: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LETTER.format(n=n, word=word), encoding="utf-8")


def run_build(corpus: Path, index: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli_main, ["build", "--corpus", str(corpus), "--index", str(index), "--quiet"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_odd_file_names_are_indexed_and_their_pages_open(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    for n, (name, word) in enumerate(zip(ODD_NAMES, WORDS, strict=True), start=1):
        _write(corpus / name, n, word)
    code, out = run_build(corpus, index)
    assert code == 0, out
    assert out.startswith("full build (no index yet): 5 documents,")
    with SearchService(index) as service:
        found = {word: [hit.doc_id for hit in service.search(SearchRequest(q=word)).hits] for word in WORDS}
        assert sorted(service.doc_ids()) == sorted(["带_空格_的_信", "安理会_引号_单引号", "double_quoted", "a..b", "x..y_内"])
    assert [ids[0] for ids in found.values()] == ["带_空格_的_信", "安理会_引号_单引号", "double_quoted", "a..b", "x..y_内"]
    app = create_app({"index_dir": index, "corpus_dir": corpus, "TESTING": True})
    try:
        client = app.test_client()
        for doc_id in found.values():
            page = client.get(f"/doc/{doc_id[0]}")
            assert page.status_code == 200 and "谨随函转递" in page.get_data(as_text=True)
        assert client.get("/doc/..").status_code == 404
        assert client.get("/api/doc/../a..b").status_code == 404
    finally:
        close_engine(app)


def test_symbolic_links_out_of_the_corpus_are_not_followed_and_said_so(tmp_path: Path) -> None:
    corpus, outside, index = tmp_path / "corpus", tmp_path / "outside", tmp_path / "index"
    _write(corpus / "inside.txt", 1, WORDS[0])
    _write(outside / "secret.txt", 2, WORDS[1])
    _write(outside / "folder" / "more.txt", 3, WORDS[2])
    os.symlink(outside / "secret.txt", corpus / "secret.txt")
    os.symlink(outside / "folder", corpus / "folder")
    os.symlink(tmp_path / "nowhere.txt", corpus / "dangling.txt")
    os.symlink(corpus / "inside.txt", corpus / "alias.txt")  # inside the corpus: read like the file
    code, out = run_build(corpus, index)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("full build (no index yet): 2 documents,")
    assert lines[1:] == [
        f"warning: dangling.txt is a symbolic link to {tmp_path / 'nowhere.txt'}, which does not exist; skipped",
        f"warning: folder is a symbolic link to {outside / 'folder'}, outside the corpus folder; not followed",
        f"warning: secret.txt is a symbolic link to {outside / 'secret.txt'}, outside the corpus folder; "
        "not followed",
    ]
    with SearchService(index) as service:
        assert sorted(service.doc_ids()) == ["alias", "inside"]
        assert service.search(SearchRequest(q=WORDS[1])).total == 0
        assert service.search(SearchRequest(q=WORDS[2])).total == 0


def test_a_50_mb_text_file_is_refused_by_name_with_the_limit(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    _write(corpus / "small.txt", 1, WORDS[0])
    paragraph = "    1. 安全理事会重申其对维持国际和平与安全的首要责任，并强调区域组织的作用。\n"
    with (corpus / "huge.txt").open("w", encoding="utf-8") as out:
        for _ in range(50 * 1024 * 1024 // len(paragraph.encode("utf-8")) + 1):
            out.write(paragraph)
    assert (corpus / "huge.txt").stat().st_size > 50 * 1024 * 1024
    code, out = run_build(corpus, index)
    assert code == 1
    assert out.splitlines()[0].startswith("full build (no index yet): 1 documents,")
    assert out.splitlines()[-2:] == [
        "skipped 1 file(s):",
        "  huge.txt: too big: 50.0 MB, over the limit of 10 MB for one document; split it into parts "
        "(or raise UNDOCS_MAX_FILE_MB)",
    ]


def test_the_size_limit_also_counts_the_text_read_from_other_formats(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.errors import ReadError
    from indexer.ingest import readers

    page = tmp_path / "page.html"
    page.write_text("<html><body>" + "<p>安全理事会</p>" * 200_000 + "</body></html>", encoding="utf-8")
    monkeypatch.setenv("UNDOCS_MAX_FILE_MB", "2")
    with pytest.raises(ReadError, match=r"page.html: too big: 4\.\d MB, over the limit of 2 MB for one document"):
        readers.read(page)
    monkeypatch.setenv("UNDOCS_MAX_FILE_MB", "big")
    with pytest.raises(Exception, match="UNDOCS_MAX_FILE_MB='big' is not a whole number from 1 to 1024"):
        readers.read(page)


def test_fifty_nested_folders_give_distinct_ids_keeping_the_file_name(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    deep = corpus.joinpath(*[f"层{i}" for i in range(1, 51)])
    _write(deep / "S_2098_1.txt", 1, WORDS[0])
    _write(deep.parent / "S_2098_1.txt", 2, WORDS[1])
    code, out = run_build(corpus, index)
    assert code == 0 and "warning" not in out, out
    with SearchService(index) as service:
        ids = sorted(service.doc_ids())
        assert len(ids) == 2 and ids[0] != ids[1]
        assert all(len(doc_id) <= 120 and doc_id.startswith("层1_层2_") and doc_id.endswith("_S_2098_1")
                   for doc_id in ids)
        assert {service.search(SearchRequest(q=w)).hits[0].doc_id for w in WORDS[:2]} == set(ids)
