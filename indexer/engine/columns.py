"""Per-passage keys as integer columns: written per segment by the builder, joined by docnum at open.

Why: reading every passage's facet values and sort keys as JSON objects and turning them into
Python tuples cost most of opening an index (seconds at ×1000). Each segment's cache holds, per
passage row, codes into small sorted vocabularies (document type, doc_id, sort date) and
compressed rows of codes (years, speakers) as numpy arrays; opening maps each segment's codes to
the generation's vocabularies and lays them out by global docnum, deleted passages left out,
with a few vectorised operations and no Python loop over passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ONE = ("type", "doc_id", "date", "expands")  # one value per passage ("" for none)
EXPANDS = "1"  # "expands": normalize() makes more characters of some character of the text (NFKC "……")
MANY = ("year", "speaker")  # any number of values per passage


@dataclass(frozen=True)
class Column:
    """values[ids[ptr[d]:ptr[d + 1]]] are row (or docnum) d's values; values sorted."""

    values: list[str]
    ptr: np.ndarray  # int64, rows + 1
    ids: np.ndarray  # int32

    @classmethod
    def of(cls, rows: Sequence[Sequence[str]]) -> Column:
        values = sorted({v for row in rows for v in row})
        code = {v: i for i, v in enumerate(values)}
        ptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(row) for row in rows], out=ptr[1:])
        ids = np.fromiter((code[v] for row in rows for v in row), dtype=np.int32, count=int(ptr[-1]))
        return cls(values, ptr, ids)

    def row(self, d: int) -> list[str]:
        return [self.values[i] for i in self.ids[self.ptr[d] : self.ptr[d + 1]]]

    def counts(self, docnums: np.ndarray) -> dict[str, int]:
        """value -> how many of the rows have it (one gather and one bincount)."""
        starts, lengths = self.ptr[docnums], self.ptr[docnums + 1] - self.ptr[docnums]
        total = int(lengths.sum())
        if not total:
            return {}
        shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        found = np.bincount(self.ids[shift + np.arange(total)], minlength=len(self.values))
        return {self.values[i]: int(found[i]) for i in np.flatnonzero(found)}


@dataclass(frozen=True)
class Segment:
    """One segment's rows: local docnums, ordinals and a Column per field."""

    rows: np.ndarray  # int32, ascending local docnums
    ordinal: np.ndarray  # int32
    columns: dict[str, Column]

    @classmethod
    def of(cls, rows: list[int], ordinals: list[int], fields: dict[str, Sequence[Sequence[str]]]) -> Segment:
        return cls(np.array(rows, dtype=np.int32), np.array(ordinals, dtype=np.int32),
                   {name: Column.of(values) for name, values in fields.items()})

    def vocab(self) -> dict[str, list[str]]:
        return {name: c.values for name, c in self.columns.items()}

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"rows": self.rows, "ordinal": self.ordinal}
        for name, c in self.columns.items():
            out[f"{name}_ptr"], out[f"{name}_ids"] = c.ptr, c.ids
        return out

    @classmethod
    def restore(cls, vocab: dict[str, list[str]], arrays: dict[str, np.ndarray]) -> Segment:
        """From a cache's vocabularies and arrays; ValueError if they do not fit together."""
        columns = {n: Column(list(vocab[n]), arrays[f"{n}_ptr"], arrays[f"{n}_ids"]) for n in (*ONE, *MANY)}
        rows = len(arrays["rows"])
        for c in columns.values():
            if len(c.ptr) != rows + 1 or int(c.ptr[-1]) != len(c.ids) or (len(c.ids) and int(c.ids.max()) >= len(c.values)):
                raise ValueError("a column does not fit its rows")
        if len(arrays["ordinal"]) != rows:
            raise ValueError("ordinals do not fit the rows")
        return cls(arrays["rows"], arrays["ordinal"], columns)


@dataclass(frozen=True)
class Joined:
    """Every segment's rows laid out by global docnum (size: the searcher's doc_count_all)."""

    live: np.ndarray  # int64, the live docnums, ascending
    ordinal: np.ndarray  # int64 per docnum
    columns: dict[str, Column]  # per docnum (a docnum that is no live passage has no values)


def join(segments: Sequence[tuple[Segment, int, frozenset[int]]], size: int) -> Joined:
    """(segment, first global docnum, deleted local docnums) in docnum order -> arrays by docnum."""
    names = (*ONE, *MANY)
    vocab = {n: sorted(set().union(*(s.columns[n].values for s, _, _ in segments))) for n in names}
    index = {n: {v: i for i, v in enumerate(vocab[n])} for n in names}
    live_parts, ordinal = [], np.zeros(size, dtype=np.int64)
    lengths = {n: np.zeros(size, dtype=np.int64) for n in names}
    ids: dict[str, list[np.ndarray]] = {n: [] for n in names}
    for seg, offset, deleted in segments:
        keep = ~np.isin(seg.rows, np.fromiter(deleted, dtype=np.int64, count=len(deleted))) if deleted else (
            np.ones(len(seg.rows), dtype=bool))
        docnums = seg.rows[keep].astype(np.int64) + offset
        live_parts.append(docnums)
        ordinal[docnums] = seg.ordinal[keep]
        for n in names:
            c = seg.columns[n]
            counts = np.diff(c.ptr)
            lengths[n][docnums] = counts[keep]
            remap = np.fromiter((index[n][v] for v in c.values), dtype=np.int32, count=len(c.values))
            ids[n].append(remap[c.ids[np.repeat(keep, counts)]] if len(c.ids) else np.zeros(0, dtype=np.int32))
    columns = {}
    for n in names:
        ptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(lengths[n], out=ptr[1:])
        columns[n] = Column(vocab[n], ptr, np.concatenate(ids[n]) if ids[n] else np.zeros(0, dtype=np.int32))
    live = np.concatenate(live_parts) if live_parts else np.zeros(0, dtype=np.int64)
    return Joined(live, ordinal, columns)
