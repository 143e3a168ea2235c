"""The long posting lists kept as arrays (postings.py) hold exactly Whoosh's postings, and refuse
arrays that do not fit their terms or their segment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.engine import opencache, postings
from indexer.engine.postings import Postings, block_postings
from indexer.engine.store import current_generation


def _arrays(offsets: list[int], docs: list[int]) -> dict[str, np.ndarray]:
    return {"post_offsets": np.array(offsets, dtype=np.int64), "post_docs": np.array(docs, dtype=np.int32),
            "post_weights": np.ones(len(docs), dtype=np.float32)}


def test_kept_postings_equal_whooshs_blocks(index_dir: Path) -> None:
    """Every term kept for the seed index (all of them, with MIN_POSTINGS 1) equals Whoosh's postings."""
    seen: set[tuple[str, str]] = set()
    with opencache._opened(current_generation(index_dir)) as readers:
        for reader in readers:
            kept = Postings.read(reader, min_postings=1)
            seen.update(kept.terms)
            for field, text in list(kept.terms)[::7]:
                docs, weights = kept.get(field, text.encode("utf-8"))
                expected_docs, expected_weights = block_postings(reader.postings(field, text))
                assert docs.tolist() == expected_docs.tolist()
                assert weights.astype(np.float64).tolist() == expected_weights.tolist()
    assert ("text", "安全") in seen and ("doc_type", "主席声明") in seen


def test_filter_fields_are_kept_whatever_their_length(index_dir: Path) -> None:
    with opencache._opened(current_generation(index_dir)) as readers:
        for reader in readers:
            kept = Postings.read(reader)  # MIN_POSTINGS: no word of the seeds is that common
            fields = {field for field, _ in kept.terms}
            assert {"dates", "doc_id", "doc_type"} <= fields <= set(postings.KEEP_ALL)
            assert len([t for f, t in kept.terms if f == "doc_id"]) == len(list(reader.lexicon("doc_id")))


@pytest.mark.parametrize(("offsets", "docs", "message"), [
    ([0, 3], [0, 1], "do not fit their terms"),
    ([1, 2], [0, 1], "do not fit their terms"),
    ([0, 2, 1, 2], [0, 1], "not ascending"),
])
def test_arrays_that_do_not_fit_their_terms_are_refused(offsets: list[int], docs: list[int], message: str) -> None:
    listed = [["text", str(i)] for i in range(len(offsets) - 1)]
    with pytest.raises(ValueError, match=message):
        Postings.restore(listed, _arrays(offsets, docs), doc_count=10)


def test_docnums_outside_the_segment_are_refused_when_read() -> None:
    kept = Postings.restore([["text", "a"], ["text", "b"]], _arrays([0, 2, 4], [0, 9, 3, 12]), doc_count=10)
    docs, _ = kept.get("text", b"a")
    assert docs.tolist() == [0, 9]
    with pytest.raises(ValueError, match="do not fit the segment"):
        kept.get("text", b"b")
    assert kept.get("text", b"c") is None
