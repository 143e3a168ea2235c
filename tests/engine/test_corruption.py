"""A damaged index: a truncated segment file, a deleted file, a garbled CURRENT, a bad search cache.

`search` says what is wrong and how to rebuild, in one line, never a traceback; `build` recovers on its own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from indexer.engine.build import build_index
from indexer.engine.opencache import CACHE_PREFIX
from indexer.engine.store import CURRENT_FILE, FILES_FILE, current_generation, open_index
from indexer.errors import IndexDamagedError
from indexer.models import SearchRequest
from indexer.search.service import SearchService
from tests.conftest import CORPUS, ROOT

QUERIES = ["东盟", '"区域和次区域组织"', "symbol:S/PRST/2021/9", "集体安全 -利比亚", "type:信函 研讨会"]


def answers(index: Path) -> dict[str, list[str]]:
    """Every passage id each query of QUERIES finds, in order: what a damaged index must not change."""
    with SearchService(index) as engine:
        return {q: [h.passage_id for h in engine.search(SearchRequest(q=q, per_page=1000)).hits] for q in QUERIES}


def same_passages(got: dict[str, list[str]], expected: dict[str, list[str]]) -> bool:
    return {q: sorted(ids) for q, ids in got.items()} == {q: sorted(ids) for q, ids in expected.items()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, list[str]]]:
    corpus = tmp_path_factory.mktemp("corpus") / "c"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path_factory.mktemp("index") / "i"
    build_index(corpus, index, progress=False)
    return corpus, index, answers(index)


def _largest(generation: Path, suffix: str) -> Path:
    return max(generation.glob(f"MAIN_*{suffix}"), key=lambda p: p.stat().st_size)


def truncate_postings(index: Path) -> str:
    path = _largest(current_generation(index), ".pst")
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[:100])
    return f"{path.name} has 100 bytes, {size} were written"


def delete_terms(index: Path) -> str:
    path = _largest(current_generation(index), ".trm")
    path.unlink()
    return f"{path.name} is missing"


def delete_stored(index: Path) -> str:
    path = _largest(current_generation(index), "._stored.col")
    path.unlink()
    return f"{path.name} is missing"


def garble_current(index: Path) -> str:
    (index / CURRENT_FILE).write_bytes(b"gen-\xff\xfe\x00\x13")
    return "CURRENT is garbled"


def truncate_manifest(index: Path) -> str:
    path = current_generation(index) / "abbreviations.json"
    size = path.stat().st_size
    path.write_text("{", encoding="utf-8")
    return f"abbreviations.json has 1 bytes, {size} were written"


DAMAGES: list[Callable[[Path], str]] = [truncate_postings, delete_terms, delete_stored, garble_current,
                                         truncate_manifest]


@pytest.fixture
def damaged_copy(built: tuple[Path, Path, dict[str, list[str]]], tmp_path: Path) -> tuple[Path, Path]:
    corpus, index, _ = built
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    return corpus, copy


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__)
def test_damage_is_named_by_open_and_by_the_cli_in_one_line(damaged_copy: tuple[Path, Path],
                                                            damage: Callable[[Path], str]) -> None:
    _, index = damaged_copy
    detail = damage(index)
    with pytest.raises(IndexDamagedError) as info:
        open_index(index)
    assert str(info.value) == f"the index at {index} is damaged ({detail}); rebuild it with `undocs build --full`"
    result = subprocess.run([sys.executable, "-m", "indexer.cli", "search", "--index", str(index), "东盟"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [f"undocs: {info.value}"]
    json_run = subprocess.run([sys.executable, "-m", "indexer.cli", "search", "--json", "--index", str(index), "东盟"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert json.loads(json_run.stdout) == {"error": str(info.value)}


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__)
def test_build_recovers_on_its_own(built: tuple[Path, Path, dict[str, list[str]]], damaged_copy: tuple[Path, Path],
                                   damage: Callable[[Path], str]) -> None:
    corpus, index = damaged_copy
    detail = damage(index)
    report = build_index(corpus, index, progress=False)
    assert (report.full, report.full_reason, report.failed) == (True, f"the previous index is damaged: {detail}", [])
    assert same_passages(answers(index), built[2])  # a rebuild may order ties differently, nothing else


def test_a_bad_search_cache_is_recomputed_and_rewritten(built: tuple[Path, Path, dict[str, list[str]]],
                                                        damaged_copy: tuple[Path, Path]) -> None:
    corpus, index = damaged_copy
    generation = current_generation(index)
    cache = max(generation.glob(f"{CACHE_PREFIX}*"), key=lambda p: p.stat().st_size)
    cache.write_bytes(cache.read_bytes()[:50])
    assert answers(index) == built[2]  # recomputed at open
    report = build_index(corpus, index, progress=False)  # nothing changed, but the cache is rewritten
    assert (report.reread, report.failed) == ([], [])
    rewritten = current_generation(index)
    assert rewritten != generation
    sizes = json.loads((rewritten / FILES_FILE).read_text(encoding="utf-8"))
    assert (rewritten / cache.name).stat().st_size == sizes[cache.name] > 50
    assert answers(index) == built[2]


def test_generation_without_a_size_record_still_opens(damaged_copy: tuple[Path, Path],
                                                      built: tuple[Path, Path, dict[str, list[str]]]) -> None:
    _, index = damaged_copy
    (current_generation(index) / FILES_FILE).unlink()  # as written before the record existed
    assert answers(index) == built[2]
