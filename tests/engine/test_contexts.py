"""The context order's pieces: rows compared as strings, keys cut where the text says."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.engine import contexts
from indexer.engine.contexts import TextTable, line_keys, sorted_rows
from indexer.engine.generation import Generation
from indexer.engine.store import current_generation
from indexer.language.normalize import compact_text, normalize
from indexer.models import Span


@pytest.mark.parametrize("dtype", [np.uint16, np.uint32])
@pytest.mark.parametrize("side", ["left", "right"])
def test_rows_sort_as_their_characters_compare(dtype: type, side: str) -> None:
    """Zero bytes inside a row (small ranks, padding) neither end nor shorten it; equal rows keep their order."""
    rng = np.random.default_rng(7)
    rows = rng.integers(0, 3, size=(2000, 11)).astype(dtype)
    rows[rows == 2] = 300 if dtype == np.uint16 else 70000
    width, match = 4, 3
    keyed = rows if side == "left" else np.concatenate((rows[:, 4:7], rows[:, 7:], rows[:, :4]), axis=1)
    expected = sorted(range(len(rows)), key=lambda i: (keyed[i].tolist(), i))
    assert sorted_rows(rows, side, width, match).tolist() == expected


def test_keys_read_the_compacted_normalised_text_either_side() -> None:
    text = "安理会重申，根据《联合国宪章》第八章\n区域组织  发挥作用。"
    at = text.index("区域组织")
    assert line_keys(text, [Span(at, at + 4, "区域组织"), Span(3, 3, "")], 6) == [("章八第》章宪", "区域组织", "发挥作用。")]
    full = "ＡＳＥＡＮ與區域組織"
    assert line_keys(full, [Span(5, 6, "与")], 3) == [("nae", "与", "区域组")]


def test_the_text_table_is_the_same_read_a_chunk_at_a_time(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table rebuilt from positions read in chunks of 5 (DiskArray slices) equals the one read in one go."""
    generation = Generation(index_dir, current_generation(index_dir).name)
    try:
        whole = TextTable(generation.substrings, generation.searcher.doc_count_all())
        monkeypatch.setattr(contexts, "TABLE_CHUNK", 5)
        chunked = TextTable(generation.substrings, generation.searcher.doc_count_all())
        passage = int(np.flatnonzero(whole.length > 20)[0])
        text = generation.searcher.stored_fields(passage)["text"]
    finally:
        generation.close()
    assert len(whole.text) > 50_000  # the seeds' compacted text, with a separator after each passage
    assert np.array_equal(whole.text, chunked.text) and np.array_equal(whole.start, chunked.start)
    ranks = whole.text[whole.start[passage] : whole.start[passage] + whole.length[passage]]
    assert "".join(chr(c) for c in whole.alphabet[ranks]) == compact_text(normalize(text))
