"""Documents with Chinese file names keep their names in their ids, pages and links."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer.ingest.pipeline import doc_id_for
from webui import close_engine, create_app


@pytest.mark.parametrize(
    ("rel", "doc_id"),
    [
        ("联合国报告.txt", "联合国报告"),
        ("安理会决议.txt", "安理会决议"),  # was "doc" for both: one of them became "doc_txt"
        ("信函/芬兰 来信.txt", "信函_芬兰_来信"),
        ("S_PRST_2021_9.txt", "S_PRST_2021_9"),
        ("../x.txt", "x"),
    ],
)
def test_doc_id_keeps_chinese_letters(rel: str, doc_id: str) -> None:
    corpus = Path("/corpus")
    assert doc_id_for(corpus / rel, corpus) == doc_id


@pytest.fixture(scope="module")
def chinese_named_app(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from indexer.engine.build import build_index

    corpus = tmp_path_factory.mktemp("zh-names")
    (corpus / "信函").mkdir()
    shutil.copy2(corpus_dir / "S_2021_130.txt", corpus / "信函" / "芬兰 来信.txt")
    (corpus / "引用.txt").write_text("安全理事会注意到 S/2021/130 号文件所附研讨会报告。\n", encoding="utf-8")
    index = tmp_path_factory.mktemp("zh-names-index")
    report = build_index(corpus, index, progress=False)
    assert report.failed == [] and report.warnings == []
    app = create_app({"index_dir": index, "corpus_dir": corpus, "TESTING": True})
    yield app
    close_engine(app)


def test_chinese_named_documents_have_their_own_pages(chinese_named_app: Flask) -> None:
    client: FlaskClient = chinese_named_app.test_client()
    page = client.get("/doc/信函_芬兰_来信")
    assert page.status_code == 200
    assert "2021 年 2 月 8 日芬兰常驻联合国代表给安全理事会主席的信" in page.get_data(as_text=True)
    citing = client.get("/doc/引用").get_data(as_text=True)
    # the cited symbol links to the copy in the corpus, under its own name
    assert 'href="/doc/%E4%BF%A1%E5%87%BD_%E8%8A%AC%E5%85%B0_%E6%9D%A5%E4%BF%A1"' in citing or (
        'href="/doc/信函_芬兰_来信"' in citing
    )


def test_api_finds_chinese_named_documents(chinese_named_app: Flask) -> None:
    client = chinese_named_app.test_client()
    assert client.get("/api/doc/引用").get_json()["doc_id"] == "引用"
    hits = client.get("/api/search?q=查塔姆大厦规则").get_json()["hits"]
    assert hits and {h["doc_id"] for h in hits} == {"信函_芬兰_来信"}
    assert client.get(hits[0]["url"].split("#")[0]).status_code == 200
