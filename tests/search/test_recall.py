"""Exact-substring recall: any Chinese string that occurs in a passage finds that passage.

500 substrings of 2–8 Han characters are sampled (fixed seed) from the indexed passages; quoted,
each must return its passage; unquoted, its passage must be among the results too (jieba may split
the sample differently from the passage, so this exercises the substring path).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from indexer.models import SearchRequest
from indexer.search.service import SearchService

HAN_RUN_RE = re.compile(r"[\u4e00-\u9fff]{2,}")
SAMPLES = 500


def sample_substrings(engine: SearchService, seed: int = 20201204) -> list[tuple[str, str]]:
    """(substring, passage_id) pairs, drawn uniformly over passages holding Han text."""
    passages = [p for doc_id in engine.doc_ids() for p in engine.get_document(doc_id).passages]
    runs = [(m.group(0), p.passage_id) for p in passages for m in HAN_RUN_RE.finditer(p.text)]
    rng = random.Random(seed)
    out = []
    for _ in range(SAMPLES):
        run, passage_id = rng.choice(runs)
        size = rng.randint(2, min(8, len(run)))
        start = rng.randint(0, len(run) - size)
        out.append((run[start : start + size], passage_id))
    return out


def test_every_sampled_substring_finds_its_passage(index_dir: Path) -> None:
    with SearchService(index_dir) as engine:
        samples = sample_substrings(engine)
        assert len({s for s, _ in samples}) > 300
        missed_quoted, missed_plain = [], []
        for text, passage_id in samples:
            quoted = {h.passage_id for h in engine.search(SearchRequest(q=f'"{text}"', per_page=5000)).hits}
            if passage_id not in quoted:
                missed_quoted.append((text, passage_id))
            plain = {h.passage_id for h in engine.search(SearchRequest(q=text, per_page=5000)).hits}
            if passage_id not in plain:
                missed_plain.append((text, passage_id))
    assert missed_quoted == []
    assert missed_plain == []
