"""`undocs kwic`: aligned lines, --json (the API shape), --csv (UTF-8 with BOM), exit code 2 for bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main

PHRASE = '"区域和次区域组织"'


def invoke(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, ["kwic", *args])
    return result.exit_code, result.stdout_bytes, result.stderr


def test_lines_are_aligned_on_the_match(index_dir: Path) -> None:
    from indexer.terminal import display_width

    code, out, _ = invoke(PHRASE, "--index", str(index_dir), "--width", "10", "--sort", "left")
    lines = out.decode("utf-8").splitlines()
    assert code == 0
    assert lines[0].startswith("“\"区域和次区域组织\"”：30 次")
    body = [ln for ln in lines[1:] if "[区域和次区域组织]" in ln]
    assert len(body) == 30
    assert {display_width(ln[: ln.index("[")]) for ln in body} == {21}  # ten wide characters and a space
    assert lines[-1].startswith("历年出现次数：2020: ")


def test_json_is_the_api_shape(index_dir: Path) -> None:
    code, out, _ = invoke(PHRASE, "--index", str(index_dir), "--json", "--limit", "3", "--type", "主席声明")
    data = json.loads(out)
    assert code == 0
    assert len(data["lines"]) == 3 and data["total"] > 3
    assert {ln["doc_id"] for ln in data["lines"]} == {"S_PRST_2021_9"}
    assert set(data["by_year"]) == {"2021"}


def test_csv_opens_in_excel(index_dir: Path) -> None:
    code, out, _ = invoke(PHRASE, "--index", str(index_dir), "--csv", "--sort", "doc")
    assert code == 0 and out.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"))))
    assert len(rows) == 30
    assert {r["match"] for r in rows} == {"区域和次区域组织"}
    first = rows[0]
    assert (first["doc_id"], first["symbols"], first["paragraph"], first["date"], first["doc_type"]) == (
        "A_75_345-S_2020_901", "A/75/345 S/2020/901", "3", "2020-09-11", "报告")
    assert first["right"].startswith("和安排间的合作") and first["url"] == "/doc/A_75_345-S_2020_901#p13"


@pytest.mark.parametrize(("args", "message"), [
    (["type:决议"], "a concordance needs a word"),
    (["charter:XXV"], "not a UN Charter chapter or article"),
    (['"安理会'], "unbalanced quote"),
    (["安理会", "--json", "--csv"], "choose one of --json and --csv"),
])
def test_bad_input_exits_2_with_a_message(index_dir: Path, args: list[str], message: str) -> None:
    code, _, err = invoke(*args, "--index", str(index_dir))
    assert code == 2
    assert message in err and "Traceback" not in err
