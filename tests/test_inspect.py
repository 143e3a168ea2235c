"""`undocs inspect`: what the indexer understands of a file, as text or JSON; clear errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from indexer.cli import main
from tests.conftest import CORPUS, FIXTURES


def test_inspect_json_prst() -> None:
    result = CliRunner().invoke(main, ["inspect", "--json", str(CORPUS / "S_PRST_2021_9.txt")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["doc_id"] == "S_PRST_2021_9"
    assert data["symbols"] == ["S/PRST/2021/9"]
    assert (data["doc_type"], data["doc_date"], data["original_language"], data["job_number"]) == (
        "主席声明", "2021-04-19", "en", "21-05177",
    )
    first = next(p for p in data["passages"] if p["dates"])
    assert first["dates"] == ["2021-04-19"]
    assert set(first) >= {"passage_id", "ordinal", "paragraph", "heading", "text", "span", "footnotes", "dates",
                          "speakers", "references"}


def test_inspect_text_shows_metadata_lines() -> None:
    result = CliRunner().invoke(main, ["inspect", str(FIXTURES / "S_PV_9999.txt")])
    assert result.exit_code == 0, result.output
    assert "  文号: S/PV.9999" in result.output
    assert "  类型: 会议记录   日期: 2021-06-01" in result.output
    assert "发言者=中国,张军" in result.output


def test_inspect_two_files_gives_a_list() -> None:
    files = [str(CORPUS / "S_2021_130.txt"), str(CORPUS / "A_75_345-S_2020_901.txt")]
    result = CliRunner().invoke(main, ["inspect", "--json", *files])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["symbols"] for d in data] == [["S/2021/130"], ["A/75/345", "S/2020/901"]]
    assert [d["doc_type"] for d in data] == ["信函", "报告"]


def test_inspect_bad_sidecar_exits_2_with_the_message(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("安全理事会主席声明\n\n正文。\n", encoding="utf-8")
    (tmp_path / "x.meta.toml").write_text('doc_date = "2020-13-45"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["inspect", str(tmp_path / "x.txt")])
    assert result.exit_code == 2
    assert "x.meta.toml [doc_date]: '2020-13-45' is not a date (use YYYY-MM-DD)" in result.output
    assert "Traceback" not in result.output


def test_inspect_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["inspect", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "nope.txt: cannot open: No such file or directory" in result.output
    assert "Traceback" not in result.output
