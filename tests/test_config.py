"""Settings from UNDOCS_* variables and serve options: a bad value is one clear line, never a traceback."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.config import Config
from indexer.errors import ConfigError, UndocsError
from webui.serve import serve


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("UNDOCS_PORT", "abc", "UNDOCS_PORT='abc' is not a whole number from 1 to 65535 (e.g. UNDOCS_PORT=5000)"),
        ("UNDOCS_PORT", "70000", "UNDOCS_PORT='70000' is not a whole number from 1 to 65535"),
        ("UNDOCS_WORKERS", "x", "UNDOCS_WORKERS='x' is not a whole number from 1 to 256"),
        ("UNDOCS_WORKERS", "0", "UNDOCS_WORKERS='0' is not a whole number from 1 to 256"),
        ("UNDOCS_BACKEND", "elastic", "UNDOCS_BACKEND='elastic' is not one of: embedded, sphinx"),
    ],
)
def test_bad_number_in_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        Config()
    assert str(info.value).startswith(message)


def test_good_numbers_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNDOCS_PORT", " 8080 ")
    monkeypatch.setenv("UNDOCS_WORKERS", "1")
    config = Config()
    assert (config.port, config.workers) == (8080, 1)


@pytest.mark.parametrize("args", [["build", "--quiet"], ["search", "东盟"], ["inspect", "corpus/S_PRST_2021_9.txt"]])
def test_every_command_reports_a_bad_variable_in_one_line(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.setenv("UNDOCS_PORT", "abc")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "undocs: UNDOCS_PORT='abc' is not a whole number" in result.output


def test_serve_refuses_a_port_out_of_range() -> None:
    # it used to print "serving … on http://127.0.0.1:99999/" and listen somewhere else
    result = CliRunner().invoke(main, ["serve", "--port", "99999"])
    assert result.exit_code == 2
    assert "99999 is not in the range 1<=x<=65535" in result.output


def test_serve_reports_an_impossible_host(index_dir: Path, tmp_path: Path) -> None:
    config = replace(Config(), host="999.1.1.1", port=5098, index_dir=index_dir, corpus_dir=tmp_path / "none")
    with pytest.raises(UndocsError, match=r"^cannot listen on 999\.1\.1\.1:5098: "):
        serve(config)


def test_unknown_backend_is_one_line_from_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNDOCS_BACKEND", "solr")
    result = CliRunner().invoke(main, ["search", "东盟"])
    assert result.exit_code == 2
    assert result.output.strip() == "undocs: UNDOCS_BACKEND='solr' is not one of: embedded, sphinx"
