from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from indexer.errors import ReadError
from indexer.ingest import readers

SAMPLE = "安全理事会重申其根据《宪章》负有维护国际和平与安全的首要责任。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (SAMPLE.encode("gb18030"), "gb18030"),
    ],
)
def test_text_reader_detects_encoding(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    raw = readers.read(path)
    assert raw.encoding == encoding
    assert raw.text.strip() == SAMPLE.strip()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (bytes(range(256)) * 4, "binary file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "binary file"),
        ("Ça été très déjà vu ".encode("latin-1") * 5, "undecodable text"),
    ],
)
def test_text_reader_rejects_non_text_with_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError) as info:
        readers.read(path)
    assert reason in str(info.value)
    assert "bad.txt" in str(info.value)


def test_unsupported_suffix_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.xyz"
    path.write_text("x")
    with pytest.raises(ReadError, match=r"unsupported file type '\.xyz'"):
        readers.read(path)


def test_sidecar_files_are_not_documents(tmp_path: Path) -> None:
    assert readers.is_supported(Path("a.txt"))
    assert not readers.is_supported(Path("a.meta.toml"))
    assert not readers.is_supported(Path(".hidden.txt"))


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("corpus", "is a folder; give one document in it"),  # `undocs inspect corpus`
        ("S_PRST_2021_9.meta.toml", "is a sidecar"),  # `undocs inspect NAME.meta.toml`
    ],
)
def test_inspecting_a_folder_or_a_sidecar_says_what_to_give(tmp_path: Path, name: str, reason: str) -> None:
    path = tmp_path / name
    if name == "corpus":
        path.mkdir()
    else:
        path.write_text('doc_type = "主席声明"\n', encoding="utf-8")
    with pytest.raises(ReadError, match=reason) as info:
        readers.read(path)
    assert "unsupported file type" not in str(info.value)


def test_unsupported_suffix_does_not_offer_the_refused_doc_format(tmp_path: Path) -> None:
    path = tmp_path / "notes.rtf"
    path.write_text("x")
    with pytest.raises(ReadError) as info:
        readers.read(path)
    assert str(info.value).endswith("(supported: .docx, .htm, .html, .md, .pdf, .txt)")
