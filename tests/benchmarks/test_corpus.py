"""The growing-vocabulary benchmark corpus (benchmarks/corpus.py): deterministic, its vocabulary
grows with the scale, and the ingest pipeline reads the same metadata from its copies."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import jieba
import pytest

from indexer.ingest.pipeline import ingest


def _load_corpus_module() -> ModuleType:
    """benchmarks/corpus.py under its own name (the repository's corpus/ folder is another `corpus`)."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus.py"
    spec = importlib.util.spec_from_file_location("benchmark_corpus", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()

COPY = 3  # a copy with shifted years and numbers and, when growing, replaced words


def _vocabulary(folder: Path) -> int:
    jieba.setLogLevel(60)
    words: set[str] = set()
    for path in sorted(folder.glob("*.txt")):
        words.update(w for w in jieba.cut(path.read_text(encoding="utf-8")) if not w.isspace())
    return len(words)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """×1 and ×5 of both kinds."""
    out = {}
    for kind in corpus.KINDS:
        for factor in (1, 5):
            folder = tmp_path_factory.mktemp(f"{kind}-x{factor}")
            corpus.scale_corpus(factor, folder, kind)
            out[f"{kind}-x{factor}"] = folder
    return out


def test_growing_corpus_is_the_same_every_time(scaled: dict[str, Path], tmp_path: Path) -> None:
    corpus.scale_corpus(5, tmp_path, "growing")
    names = sorted(p.name for p in scaled["growing-x5"].iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 5 * 8  # 5 documents and 3 sidecars per copy
    for name in names:
        assert (tmp_path / name).read_bytes() == (scaled["growing-x5"] / name).read_bytes()


def test_growing_copy_replaces_words_keeping_length(scaled: dict[str, Path]) -> None:
    name = f"S_PRST_2021_9-c{COPY:03d}.txt"
    fixed = (scaled["fixed-x5"] / name).read_text(encoding="utf-8")
    growing = (scaled["growing-x5"] / name).read_text(encoding="utf-8")
    changed = sum(a != b for a, b in zip(fixed, growing, strict=True))
    assert 0.05 * len(fixed) < changed < 0.5 * len(fixed)
    assert "S/PRST/2021/9" in growing  # the symbol is never a replaced word


def test_vocabulary_grows_with_the_growing_corpus_only(scaled: dict[str, Path]) -> None:
    fixed1, fixed5 = _vocabulary(scaled["fixed-x1"]), _vocabulary(scaled["fixed-x5"])
    growing1, growing5 = _vocabulary(scaled["growing-x1"]), _vocabulary(scaled["growing-x5"])
    assert growing1 == fixed1  # copy 0 is the seeds themselves
    assert fixed5 < 1.1 * fixed1  # only shifted numbers are new
    assert growing5 > 2 * growing1


@pytest.mark.parametrize("seed", [
    "A_75_345-S_2020_901", "S_2021_130", "S_PRST_2021_9",
    "repertoire-2020-part1-sec35-maintenance-of-peace", "repertoire-2020-part1-sec36-regional-cooperation",
])
def test_growing_copy_keeps_the_metadata_the_pipeline_reads(scaled: dict[str, Path], seed: str) -> None:
    name = f"{seed}-c{COPY:03d}.txt"
    fixed = ingest(scaled["fixed-x5"] / name, scaled["fixed-x5"])
    growing = ingest(scaled["growing-x5"] / name, scaled["growing-x5"])
    assert growing.symbols == fixed.symbols
    assert (growing.doc_type, growing.doc_date) == (fixed.doc_type, fixed.doc_date)
    assert [p.dates for p in growing.passages] == [p.dates for p in fixed.passages]
    assert [p.references for p in growing.passages] == [p.references for p in fixed.passages]
    fixed_speakers = {s for p in fixed.passages for s in p.speakers}
    growing_speakers = {s for p in growing.passages for s in p.speakers}
    assert len(fixed_speakers & growing_speakers) >= 0.8 * len(fixed_speakers)
