"""`undocs search`: readable output, --json shape, filters, and exit code 2 with a message for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.models import SearchRequest


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["search", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_output_is_search_results(index_dir: Path) -> None:
    code, out, _ = invoke("--index", str(index_dir), "--json", "东盟")
    assert code == 0
    data = json.loads(out)
    assert {"query", "total", "page", "per_page", "expansions", "facets", "hits"} <= set(data)
    assert data["query"] == "东盟"
    assert data["expansions"] == {"东盟": ["东南亚国家联盟"]}
    assert data["per_page"] == 10 and len(data["hits"]) == 10
    hit = data["hits"][0]
    assert set(hit) == {"passage_id", "doc_id", "symbols", "title", "doc_type", "doc_date", "dates", "speakers",
                        "heading", "paragraph", "text", "spans", "fragments", "url", "score", "highlight", "charter"}
    assert "<mark>东盟</mark>" in hit["highlight"]
    assert hit["url"] == f"/doc/{hit['doc_id']}#p{hit['passage_id'].rsplit('-p', 1)[1]}"


def test_readable_output(index_dir: Path) -> None:
    code, out, _ = invoke("--index", str(index_dir), "--limit", "2", "S/PRST/2021/9")
    assert code == 0
    assert out.splitlines()[0] == "1 条结果（第 1 页）"
    assert "S/PRST/2021/9  主席声明  2021-04-19  [S_PRST_2021_9-p0]" in out
    assert "<mark>" not in out


def test_readable_output_shows_the_charter_tags_of_a_hit(index_dir: Path) -> None:
    """As the web hit does: each tag's label, with the field that searches it."""
    code, out, _ = invoke("--index", str(index_dir), "--limit", "50", '"联合国宪章》第八章"')
    data = json.loads(invoke("--index", str(index_dir), "--limit", "50", "--json", '"联合国宪章》第八章"')[1])
    assert code == 0 and data["total"] >= 2
    shown = [line for line in out.splitlines() if line.startswith("   《宪章》：")]
    assert len(shown) == sum(1 for h in data["hits"] if h["charter"]) == data["total"]
    assert all("第八章 (charter:VIII)" in line for line in shown)
    report = out.split("[A_75_345-S_2020_901-p", 1)[1].split("\n\n", 1)[0].splitlines()
    assert report[-1] == "   《宪章》：第八章 (charter:VIII)" and "根据《联合国宪章》第八章" in report[-2]


def test_filters_and_sort(index_dir: Path) -> None:
    code, out, _ = invoke("--index", str(index_dir), "--json", "--type", "letter", "--from", "2020-11",
                          "--to", "2020-11-30", "--sort", "date", "--limit", "50", "研讨会")
    assert code == 0
    data = json.loads(out)
    assert data["total"] >= 2
    assert {h["doc_type"] for h in data["hits"]} == {"信函"}
    for hit in data["hits"]:
        assert any(d.startswith("2020-11") for d in [*hit["dates"], hit["doc_date"]])


def test_symbol_and_speaker_options(index_dir: Path) -> None:
    code, out, _ = invoke("--index", str(index_dir), "--json", "--symbol", "s/prst/2021/9", "信任")
    assert code == 0
    assert {h["doc_id"] for h in json.loads(out)["hits"]} == {"S_PRST_2021_9"}
    code, out, _ = invoke("--index", str(index_dir), "--json", "--speaker", "东盟秘书长", "东盟")
    assert code == 0
    assert json.loads(out)["total"] >= 1


def test_minus_word_is_a_not_not_an_option(index_dir: Path) -> None:
    code, out, _ = invoke("--index", str(index_dir), "--json", "东盟", "-灾害")
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "东盟 -灾害"
    assert data["total"] >= 5 and not any("灾害" in h["text"] for h in data["hits"])


def test_pages(index_dir: Path) -> None:
    _, first, _ = invoke("--index", str(index_dir), "--json", "--limit", "4", "合作")
    _, second, _ = invoke("--index", str(index_dir), "--json", "--limit", "2", "--page", "2", "合作")
    assert [h["passage_id"] for h in json.loads(second)["hits"]] == [h["passage_id"] for h in json.loads(first)["hits"]][2:4]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (['"东盟'], "未闭合的引号 / unbalanced quote"),
        (["type:"], "empty field type:"),
        (["date:2020-13-45"], "invalid date '2020-13-45'"),
        (["--type", "treaty", "东盟"], "未知的文档类型 treaty"),
        (["--from", "2020-02-30", "东盟"], "invalid date '2020-02-30'"),
    ],
)
def test_bad_queries_exit_2_with_the_message(index_dir: Path, args: list[str], message: str) -> None:
    code, out, err = invoke("--index", str(index_dir), *args)
    assert code == 2
    assert message in err
    assert out == ""
    code, out, err = invoke("--index", str(index_dir), "--json", *args)
    assert code == 2
    assert message in json.loads(out)["error"]


def test_missing_index_says_run_build(tmp_path: Path) -> None:
    code, _out, err = invoke("--index", str(tmp_path / "none"), "东盟")
    assert code == 2
    assert "run `undocs build`" in err


def test_terminal_colour_marks_matches(index_dir: Path) -> None:
    from indexer.search.service import search
    from indexer.terminal import format_results

    results = search(index_dir, SearchRequest(q="ref:S/2020/372"))
    assert "在 \x1b[7mS/2020/372\x1b[0m 号文件中" in format_results(results, color=True)
    assert "在 S/2020/372 号文件中" in format_results(results)


@pytest.mark.parametrize(("q", "message"), [
    ("*", "没有可检索的词"),
    ("ref:xyz", "ref: 需要文号，如 S/2020/1179"),
])
def test_nothing_to_search_for_and_bad_symbol_values_exit_2(index_dir: Path, q: str, message: str) -> None:
    code, out, err = invoke("--index", str(index_dir), q)
    assert code == 2
    assert message in err
    assert out == ""


@pytest.mark.parametrize(("args", "typo", "meant"), [
    (["东盟", "--jsno"], "--jsno", "--json"),
    (["东盟", "--limt", "3"], "--limt", "--limit"),
    (["东盟", "--typ", "主席声明"], "--typ", "--type"),
    (["--speeker=秘书长", "东盟"], "--speeker", "--speaker"),
])
def test_misspelled_option_is_refused_not_searched(index_dir: Path, args: list[str], typo: str, meant: str) -> None:
    code, out, err = invoke("--index", str(index_dir), *args)
    assert code == 2
    assert out == ""
    assert f"No such option '{typo}'. Did you mean '{meant}'?" in err


def test_unknown_option_without_a_close_match_is_refused(index_dir: Path) -> None:
    code, _, err = invoke("--index", str(index_dir), "东盟", "--xyzzy")
    assert code == 2
    assert err.splitlines()[-1] == "Error: No such option '--xyzzy'."


def test_after_a_double_dash_everything_is_query_text(index_dir: Path) -> None:
    code, out, _ = invoke("--index", str(index_dir), "--json", "--", "东盟", "--jsno")
    assert code == 0
    assert json.loads(out)["query"] == "东盟 --jsno"
