"""Matches as arrays by docnum, and the best of them in the passages' order.

Why: a common word matches 100,000+ passages at ×1000; a dict per clause and a Python sort of the
matches cost more than the rest of a query. A `Match` is a bool and a score per docnum; `top` takes
the page's best with a partial sort in numpy and breaks ties as `ranked` (the dict version, kept
for tests and small inputs) does: score, then preferred passages, then (doc_id, ordinal).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

Scores = dict[int, float]


@dataclass(frozen=True)
class Match:
    """The passages a query matches: found[d] for every global docnum d, score[d] (0.0 elsewhere)."""

    found: np.ndarray  # bool
    score: np.ndarray  # float64

    @property
    def count(self) -> int:
        return int(np.count_nonzero(self.found))

    def ids(self) -> np.ndarray:
        return np.flatnonzero(self.found)

    def as_dict(self) -> Scores:
        ids = self.ids()
        return dict(zip(ids.tolist(), self.score[ids].tolist(), strict=True))


def top(match: Match, stop: int, tie: np.ndarray, prefer: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The best `stop` (docnum, score) of a match, best first; equal scores in `tie` order (the
    passages' (doc_id, ordinal) rank by docnum), except that docnums where `prefer` is true
    (passages dated in a date filter's range themselves) go before the others of the same score.
    What `ranked` gives for the same scores, with a partial sort in numpy."""
    ids = match.ids()
    scores = match.score[ids]
    if 0 < stop < len(ids):  # the stop-th best score; then only what can reach the top
        threshold = np.partition(scores, len(scores) - stop)[len(scores) - stop]
        keep = scores >= threshold
        ids, scores = ids[keep], scores[keep]
    elif stop <= 0:
        return []
    keys = (tie[ids], ~prefer[ids], -scores) if prefer is not None else (tie[ids], -scores)
    order = np.lexsort(keys)[:stop]
    return list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))


def ranked(found: Scores, stop: int, prefer: Collection[int] = (),
           order: Mapping[int, int] | None = None) -> list[tuple[int, float]]:
    """The best `stop` (docnum, score), best first; equal scores in `order` (the passages'
    (doc_id, ordinal) order), else in docnum order as Whoosh's unlimited collector sorts them,
    except that docnums in `prefer` (passages dated in a date filter's range themselves) go
    before the others of the same score."""
    tie = order.__getitem__ if order is not None else int
    key = (lambda item: (-item[1], tie(item[0]))) if not prefer else (
        lambda item: (-item[1], item[0] not in prefer, tie(item[0])))
    items: Any = found.items()
    if stop * 4 < len(found):  # the stop-th best score, found in C; then only what can reach the top
        threshold = heapq.nlargest(stop, found.values())[-1] if stop > 0 else float("inf")
        items = [item for item in items if item[1] >= threshold]
    return sorted(items, key=key)[:stop]
