"""Scanning the corpus: what is a document, and what the user is told about the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

from indexer.ingest.manifest import scan_corpus
from tests.conftest import CORPUS


def test_a_sidecar_describing_no_document_is_reported(tmp_path: Path) -> None:
    shutil.copy2(CORPUS / "S_PRST_2021_9.txt", tmp_path / "S_PRST_2021_9.txt")
    (tmp_path / "S_PRST_2021_9.meta.toml").write_text('doc_type = "主席声明"\n', encoding="utf-8")
    # a typo: the document is S_PRST_2021_9.txt
    (tmp_path / "S_PRST_2021_09.meta.toml").write_text('doc_date = "2021-04-19"\n', encoding="utf-8")
    files, warnings = scan_corpus(tmp_path)
    assert [f.rel for f in files] == ["S_PRST_2021_9.txt"]
    assert warnings == [
        "S_PRST_2021_09.meta.toml describes no document (expected NAME.meta.toml beside NAME.txt, "
        ".pdf, .docx, .html or .md); ignored"
    ]


def test_the_seed_sidecars_all_describe_a_document() -> None:
    files, warnings = scan_corpus(CORPUS)
    assert len(files) == 5
    assert warnings == []
