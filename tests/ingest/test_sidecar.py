"""Sidecars: NAME.meta.toml supplies or overrides metadata; a bad one is a clear SidecarError."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.errors import SidecarError
from indexer.ingest.metadata.sidecar import load_sidecar, sidecar_path
from indexer.ingest.pipeline import ingest

LETTER = "2021 年 2 月 8 日芬兰常驻联合国代表给安全理事会主席的信\n\n谨随函转递研讨会的报告(见附件)。\n"


def _doc(tmp_path: Path, sidecar: str, name: str = "x") -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_text(LETTER, encoding="utf-8")
    (tmp_path / f"{name}.meta.toml").write_text(sidecar, encoding="utf-8")
    return path


def test_sidecar_path_sits_beside_the_document() -> None:
    assert sidecar_path(Path("corpus/S_2021_130.txt")) == Path("corpus/S_2021_130.meta.toml")
    assert sidecar_path(Path("corpus/A_75_345-S_2020_901.txt")) == Path("corpus/A_75_345-S_2020_901.meta.toml")


def test_no_sidecar_means_no_overrides(tmp_path: Path) -> None:
    assert load_sidecar(tmp_path / "nothing.txt") == {}


def test_sidecar_overrides_header_values(tmp_path: Path) -> None:
    path = _doc(tmp_path, 'symbols = "s/2021/130"\ndoc_type = "Report"\ndoc_date = 2021-02-09\njob_number = "21-01922"\n')
    doc = ingest(path)
    assert doc.symbols == ("S/2021/130",)
    assert doc.doc_type == "报告"
    assert doc.doc_date == "2021-02-09"
    assert doc.job_number == "21-01922"
    assert doc.title == "2021 年 2 月 8 日芬兰常驻联合国代表给安全理事会主席的信"  # not overridden: from the text


def test_header_values_without_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "y.txt"
    path.write_text(LETTER, encoding="utf-8")
    doc = ingest(path)
    assert (doc.doc_type, doc.doc_date, doc.symbols) == ("信函", "2021-02-08", ())


def test_empty_doc_date_means_no_date(tmp_path: Path) -> None:
    assert ingest(_doc(tmp_path, 'doc_date = ""\n')).doc_date is None


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        ('titel = "x"\n', "x.meta.toml [titel]: unknown key (known keys: symbols, title, doc_type, doc_date, "
                          "original_language, job_number, period, language)"),
        ('doc_date = "2020-13-45"\n', "x.meta.toml [doc_date]: '2020-13-45' is not a date (use YYYY-MM-DD)"),
        ('doc_date = "2021-02-30"\n', "x.meta.toml [doc_date]: '2021-02-30' is not a date (use YYYY-MM-DD)"),
        ('doc_type = "memo"\n', "x.meta.toml [doc_type]: 'memo' is not a document type (use one of 决议, 决定, "
                                "主席声明, 会议记录, 简要记录, 信函, 报告, 说明, 工作文件, 议程, 汇编, 其他)"),
        ("symbols = [1, 2]\n", "x.meta.toml [symbols]: [1, 2] is not a list of symbols (e.g. [\"S/2021/130\"])"),
        ('period = "twenty"\n', "x.meta.toml [period]: 'twenty' is not a year (use e.g. 2020 or [2020, 2021])"),
        ("title = 3\n", "x.meta.toml [title]: 3 is not a string"),
    ],
)
def test_bad_sidecar_names_file_and_key(tmp_path: Path, sidecar: str, message: str) -> None:
    with pytest.raises(SidecarError) as info:
        ingest(_doc(tmp_path, sidecar))
    assert str(info.value).endswith(message)
    assert info.value.path.endswith("x.meta.toml")


def test_invalid_toml_is_a_sidecar_error(tmp_path: Path) -> None:
    with pytest.raises(SidecarError) as info:
        ingest(_doc(tmp_path, 'title = "unterminated\n'))
    assert "x.meta.toml: not valid TOML (" in str(info.value)
    assert info.value.key is None


def test_message_path_is_relative_when_below_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    path = _doc(tmp_path / "corpus", 'doc_date = "2020-13-45"\n')
    with pytest.raises(SidecarError) as info:
        ingest(path)
    assert str(info.value) == "corpus/x.meta.toml [doc_date]: '2020-13-45' is not a date (use YYYY-MM-DD)"


def test_repertoire_sidecar_supplies_title_type_and_period(seed_docs) -> None:
    doc = seed_docs["rep36"]
    assert doc.symbols == ()
    assert doc.doc_type == "汇编"
    assert doc.title == "安全理事会惯例汇编（2020年）第一部分 第36节：联合国与区域和次区域组织在维护国际和平与安全方面的合作"
    assert doc.doc_date == "2020-12-31"
    assert seed_docs["rep35"].title == "安全理事会惯例汇编（2020年）第一部分 第35节：维护国际和平与安全"


def test_report_sidecar_supplies_both_symbols(seed_docs) -> None:
    doc = seed_docs["report"]
    assert doc.symbols == ("A/75/345", "S/2020/901")
    assert doc.doc_type == "报告"
    assert doc.doc_date == "2020-09-11"  # from the header: "11 September 2020"


def test_sidecar_that_contradicts_the_text_leaves_a_warning(tmp_path: Path) -> None:
    doc = ingest(_doc(tmp_path, 'doc_date = "2021-02-09"\n'))
    assert doc.doc_date == "2021-02-09"
    assert doc.warnings == ("sidecar sets doc_date to 2021-02-09 (the text says 2021-02-08)",)


def test_format_specific_sidecar_wins(tmp_path: Path) -> None:
    path = _doc(tmp_path, 'doc_type = "report"\ntitle = "通用标题"\n')
    (tmp_path / "x.txt.meta.toml").write_text('doc_type = "note"\n', encoding="utf-8")
    doc = ingest(path)
    assert (doc.doc_type, doc.title) == ("说明", "通用标题")
