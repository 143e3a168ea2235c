"""Bad input everywhere: generated malformed queries and parameters through the API, the pages and the CLI.

Every answer is a result or one specific message: no traceback, no 5xx, no generic "Bad Request".
The generator (tests/malformed.py) is seeded; a failure names the seed that repeats it.
"""

from __future__ import annotations

import html
import logging
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from indexer.cli import main as cli_main
from tests import malformed
from webui.security import HTTP_MESSAGES, INTERNAL_ERROR

SEED = malformed.seed()
N_WEB = 1000  # parameter sets, each sent to /api/search and to / (2,000 requests)
N_PATHS = 200
N_CLI = 300
REFUSED_OR_OK = (200, 400, 414)  # a result, a bad parameter, a URL over the limit (README "Limits")
EMPTY_QUERY = "请输入检索词 / empty query"
GENERIC = {"", "Bad Request", "Internal Server Error", INTERNAL_ERROR}


def specific(message: str) -> bool:
    """One line that says something about this input (or the documented 404/405/413 sentence)."""
    return message not in GENERIC and "\n" not in message and (len(message) >= 8 or message in HTTP_MESSAGES.values())


def one_error_line(stderr: str) -> bool:
    """`undocs: …` alone, or click's usage, hint and one `Error: …` line."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("undocs: ", "Error: "))]
    return len(errors) == 1 and specific(errors[0].split(": ", 1)[1]) and len(lines) <= 3


def _where(params: object) -> str:
    return f"seed {SEED} (UNDOCS_FUZZ_SEED={SEED} repeats it): {params!r}"


def test_generated_parameters_get_results_or_a_specific_400(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    client = app.test_client()
    counts = dict.fromkeys(REFUSED_OR_OK, 0)
    with caplog.at_level(logging.ERROR):
        for params in malformed.generate(N_WEB, random.Random(SEED)):
            api = client.get("/api/search", query_string=params)
            assert api.status_code in REFUSED_OR_OK and api.mimetype == "application/json", _where(params)
            page = client.get("/", query_string=params)
            text = page.get_data(as_text=True)
            assert "Traceback" not in text, _where(params)
            message = api.get_json().get("error", "")
            if page.status_code == 200 and message == EMPTY_QUERY:
                continue  # nothing to search for: the page is the search form, the API says so
            assert page.status_code == api.status_code, _where(params)
            if api.status_code != 200:
                assert specific(message), (message, _where(params))
                shown = message if api.status_code == 400 else "网址太长（"  # the page's URL is shorter by 10 bytes
                assert shown in html.unescape(text), (message, _where(params))
            counts[api.status_code] += 1
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert counts[400] >= N_WEB // 5 and counts[200] >= N_WEB // 10, counts  # both kinds really exercised


def test_generated_document_paths_are_404_with_the_sentence(app: Flask) -> None:
    client = app.test_client()
    rng = random.Random(SEED)
    for _ in range(N_PATHS):
        path = malformed.paths(rng)
        response = client.get(path)
        assert response.status_code == 404, _where(path)
        if path.startswith("/api/"):
            assert specific(response.get_json()["error"]), _where(path)
        else:
            text = html.unescape(response.get_data(as_text=True))
            assert HTTP_MESSAGES[404] in text or "没有这个文档 / no document" in text, _where(path)


def _cli_args(params: list[tuple[str, str]]) -> list[str]:
    """The same parameters as `undocs search` arguments: the query's words, then the filters as options."""
    options = {"type": "--type", "from": "--from", "to": "--to", "speaker": "--speaker", "symbol": "--symbol",
               "sort": "--sort", "page": "--page", "per_page": "--limit"}
    words = [word for name, value in params if name == "q" for word in value.split()]
    args = ["--", *words] if any(w.startswith("--") for w in words) else words
    flags = [item for name, value in params if name in options for item in (options[name], value)]
    return [*flags, *args]


def test_generated_cli_searches_print_results_or_one_line(webui_index: Path) -> None:
    runner = CliRunner()
    rng = random.Random(SEED + 1)
    codes = {0: 0, 2: 0}
    for params in malformed.generate(N_CLI, rng):
        args = ["search", "--index", str(webui_index), *_cli_args(params)]
        result = runner.invoke(cli_main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (result.exception, _where(args))
        assert result.exit_code in (0, 2), (result.output, _where(args))
        assert "Traceback" not in result.output, _where(args)
        if result.exit_code == 2:
            assert one_error_line(result.stderr), (result.stderr, _where(args))
        codes[result.exit_code] += 1
    assert codes[2] >= N_CLI // 5 and codes[0] >= N_CLI // 20, codes


def test_the_real_command_says_one_line_for_a_sample(webui_index: Path) -> None:
    import subprocess
    import sys

    from tests.webui.serve_process import ROOT

    rng = random.Random(SEED + 2)
    for params in malformed.generate(6, rng):
        args = [sys.executable, "-m", "indexer.cli", "search", "--index", str(webui_index), *_cli_args(params)]
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode in (0, 2) and "Traceback" not in done.stderr, (done.stderr, _where(args))
        if done.returncode == 2:
            assert one_error_line(done.stderr), (done.stderr, _where(args))


N_KWIC = 300


def test_generated_concordance_parameters_get_lines_or_a_specific_400(app: Flask) -> None:
    client = app.test_client()
    rng = random.Random(SEED + 4)
    extra = [("vs", "东盟"), ("vs", "("), ("width", "30"), ("width", "-5"), ("width", "9999"), ("sort", "left"),
             ("sort", "右"), ("vs", "区" * 600)]
    for params in malformed.generate(N_KWIC, rng):
        params = params + rng.sample(extra, rng.randint(0, 2))
        api = client.get("/api/kwic", query_string=params)
        assert api.status_code in REFUSED_OR_OK and api.mimetype == "application/json", _where(params)
        if api.status_code != 200:
            assert specific(api.get_json()["error"]), _where(params)
        page = client.get("/kwic", query_string=params)
        assert page.status_code in REFUSED_OR_OK and "Traceback" not in page.get_data(as_text=True), _where(params)
        if rng.random() < 0.2:
            csv = client.get("/api/kwic.csv", query_string=params)
            assert csv.status_code in REFUSED_OR_OK, _where(params)
