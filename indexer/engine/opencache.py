"""What a search engine needs from every stored passage, computed at build time, per segment.

Why: opening an index used to read all stored fields (zlib + pickle per passage) and normalise
every passage for substring search: 1.7 s at ×100 before the first query. The builder writes, for
each new Whoosh segment, search-cache-<segment>-<count>.json (per document its JSON, the
vocabularies of the per-passage columns) and its .npy arrays (per passage its facet values and
sort keys as codes, columns.py; the bigram postings of substring.py; the long term postings
of postings.py), in the verified, non-executable format of cachefiles.py. Whoosh segments never change after they are
written (only deletions are added, which opening applies), so an incremental build hard-links the
files of the segments it keeps and computes only the new ones. A missing file, or one that does
not check out or does not fit its segment, is computed from the stored fields instead.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.engine import cachefiles
from indexer.engine.columns import EXPANDS, MANY, ONE, Joined, Segment, join
from indexer.engine.facets import FacetTable
from indexer.engine.keys import SortKeys
from indexer.engine.postings import ARRAYS as POSTING_ARRAYS
from indexer.engine.postings import Postings
from indexer.engine.store import DERIVED_PREFIX
from indexer.engine.substring import ARRAYS, Grams, SubstringIndex
from indexer.language.normalize import compact_text, normalize

log = logging.getLogger(__name__)
CACHE_PREFIX = DERIVED_PREFIX
FORMAT = 7
SLICED = ("positions", "post_docs", "post_weights")  # read a slice per query term (cachefiles.DiskArray), not whole
SEGMENT_ARRAYS = (*ARRAYS, *POSTING_ARRAYS, "rows", "ordinal", *(f"{n}_{k}" for n in (*ONE, *MANY) for k in ("ptr", "ids")))

@dataclass(frozen=True)
class SegmentData:
    """One segment's per-passage data, rows in ascending local docnum order."""

    columns: Segment  # facet values and sort keys (columns.py)
    docs: dict[str, dict[str, Any]]  # doc_id -> document JSON (from its first passage)
    grams: Grams
    postings: Postings  # the segment's long posting lists (postings.py)


@dataclass
class OpenData:
    """Per-generation data: facet values and sort keys by docnum, doc_id -> document JSON, the
    substring index (equal scores and the date sorts follow (date,) doc_id, ordinal order)."""

    facet_table: FacetTable
    docs: dict[str, dict[str, Any]]
    substrings: SubstringIndex
    keys: SortKeys
    live: np.ndarray
    joined: Joined  # every column by docnum (doc_id, date, type for the concordance)
    postings: dict[int, Postings]  # first global docnum of a segment -> its long posting lists

    @property
    def order(self) -> list[int]:
        return self.keys.order_map()

    @property
    def facets(self) -> dict[int, tuple[str, list[str], list[str]]]:
        """docnum -> (type, years, speakers) of every live passage (for tests and inspection)."""
        return {int(d): self.facet_table.values(int(d)) for d in self.live}


def cache_file(folder: Path, reader: Any) -> Path:
    """Named by segment and document count: a kept segment's file is found without reading it."""
    return folder / f"{CACHE_PREFIX}{reader.segment().segment_id()}-{reader.doc_count_all()}.json"


def compute_segment(reader: Any) -> SegmentData:
    """One segment's data, from its stored fields (what opening without a cache costs)."""
    rows, ordinals, parts, docs = [], [], [], {}
    fields: dict[str, list[list[str]]] = {name: [] for name in (*ONE, *MANY)}
    for docnum, stored in reader.iter_docs():
        meta = stored.get("meta") or {}
        dates = meta.get("dates", [])
        rows.append(docnum)
        ordinals.append(int(stored.get("ordinal") or 0))
        fields["type"].append([meta.get("doc_type", "")])
        fields["doc_id"].append([stored["doc_id"]])
        fields["date"].append([meta.get("doc_date") or (min(dates) if dates else "")])
        fields["year"].append(sorted({d[:4] for d in [*dates, meta.get("doc_date") or ""] if d}))
        fields["speaker"].append(sorted(set(meta.get("speakers", []))))
        text = stored.get("text", "")
        norm = normalize(text)
        fields["expands"].append([EXPANDS if len(norm) != len(text) else ""])
        parts.append(compact_text(norm))
        if stored.get("doc_json"):
            docs[stored["doc_id"]] = json.loads(stored["doc_json"])
    return SegmentData(Segment.of(rows, ordinals, fields), docs, Grams.build(parts), Postings.read(reader))


def write(generation: Path, workers: int = 1) -> dict[str, str]:
    """Write the files of the generation's segments that have none (one process per segment, up
    to `workers`); remove those of segments merged away. Returns {header file: digest} of all."""
    keep, missing = {}, []
    with _opened(generation) as readers:  # an index of no passages has no segment and needs no file
        for number, reader in enumerate(readers):
            path = cache_file(generation, reader)
            keep[path.name] = number
            if not _complete(path):  # kept segments' files were hard-linked with the segments
                missing.append(number)
    if len(missing) > 1 and workers > 1:
        with multiprocessing.get_context("fork").Pool(min(workers, len(missing))) as pool:
            pool.starmap(_write_segment, [(generation, number) for number in missing])
    else:
        for number in missing:
            _write_segment(generation, number)
    for stale in generation.glob(f"{CACHE_PREFIX}*"):
        if stale.name.split(".", 1)[0] + ".json" not in keep:
            stale.unlink(missing_ok=True)
    return {name: cachefiles.digest((generation / name).read_bytes()) for name in sorted(keep)}


def _complete(path: Path) -> bool:
    """The header and every array of a segment's cache are there (a damaged one was left out)."""
    return path.is_file() and all(cachefiles.array_path(path, name).is_file() for name in SEGMENT_ARRAYS)


def _write_segment(generation: Path, number: int) -> None:
    with _opened(generation) as readers:
        reader = readers[number]
        data = compute_segment(reader)
        body = {"format": FORMAT, "doc_count": reader.doc_count_all(), "vocab": data.columns.vocab(),
                "docs": data.docs, "postings": data.postings.listed()}
        cachefiles.write(cache_file(generation, reader), body,
                         {**data.grams.arrays(), **data.columns.arrays(), **data.postings.arrays()})


@contextmanager
def _opened(generation: Path) -> Iterator[list[Any]]:
    """The segment readers of a generation's index, in TOC order."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(generation), readonly=True)
    try:
        with ix.reader() as top:
            yield [r for r in (top.readers if hasattr(top, "readers") else [top]) if r.segment() is not None]
    finally:
        ix.close()


def load(generation: Path, searcher: Any, listed: dict[str, str] | None = None) -> OpenData:
    """The open searcher's data: each segment's files if they check out, else computed; deletions
    applied. `listed`: {header file: digest} from the generation's manifest."""
    docs: dict[str, dict[str, Any]] = {}
    segments, columns, postings = [], [], {}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if reader.segment() is None:  # an index of no passages: Whoosh's EmptyReader
            continue
        data = _read(cache_file(generation, reader), reader, listed)
        if data is None:
            data = compute_segment(reader)
        deleted = frozenset(reader.deleted_docs_set) if reader.has_deletions() else frozenset()
        rows = data.columns.rows.astype(np.int64)
        dead = np.isin(rows, np.fromiter(deleted, dtype=np.int64, count=len(deleted))) if deleted else False
        segments.append((data.grams, np.where(dead, -1, rows + offset)))
        postings[offset] = data.postings
        columns.append((data.columns, offset, deleted))
        heads = np.flatnonzero(~dead & (data.columns.ordinal == 0))  # a document's JSON: on its first passage
        for doc_id in (data.columns.columns["doc_id"].row(int(i))[0] for i in heads):
            if doc_id in data.docs:
                docs[doc_id] = data.docs[doc_id]
    joined = join(columns, searcher.doc_count_all())
    return OpenData(FacetTable.of(joined), docs, SubstringIndex.of_segments(segments), SortKeys.of(joined), joined.live,
                    joined, postings)


def _read(path: Path, reader: Any, listed: dict[str, str] | None) -> SegmentData | None:
    """The segment's data from its files, or None if missing, damaged or not this segment's."""
    try:
        body, arrays = cachefiles.read(path, (listed or {}).get(path.name), sliced=SLICED)
        return _segment_data(body, arrays, reader.doc_count_all())
    except cachefiles.CacheError as exc:
        if str(exc) != "missing":
            log.warning("search cache %s not used (%s); computing it from the index", path.name, exc)
    return None


def _segment_data(body: dict[str, Any], arrays: dict[str, np.ndarray], doc_count: int) -> SegmentData:
    """The checked contents of a cache; CacheError if they do not fit the segment."""
    if body.get("format") != FORMAT or body.get("doc_count") != doc_count:
        raise cachefiles.CacheError("of another format or segment")
    try:
        grams = Grams(**{name: arrays[name] for name in ARRAYS})
        columns = Segment.restore(body["vocab"], arrays)
        postings = Postings.restore(body["postings"], arrays, doc_count)
    except (KeyError, TypeError, ValueError) as exc:
        raise cachefiles.CacheError(f"its arrays do not fit ({type(exc).__name__}: {exc})") from None
    rows = len(columns.rows)
    if not rows == len(grams.starts) == len(grams.lengths) <= doc_count or (rows and int(columns.rows.max()) >= doc_count):
        raise cachefiles.CacheError("its counts do not agree")
    if len(grams.positions) != max(int(grams.lengths.sum()) + rows - 1, 0) or int(grams.offsets[-1]) != len(grams.positions):
        raise cachefiles.CacheError("its postings do not cover its text")
    return SegmentData(columns, body["docs"], grams, postings)
