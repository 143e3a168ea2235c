"""What a search engine needs from every stored passage, computed at build time, one file per segment.

Why: opening an index used to read all stored fields (zlib + pickle per passage) and normalise
every passage for the substring scan: 1.7 s at ×100 (36,000 passages) before the first query.
The builder now writes, for each new Whoosh segment, search-cache-<segment>.pickle: per passage
its facet values and its compacted text, per document its JSON. Whoosh segments never change
after they are written (only deletions are added, which opening applies), so an incremental build
hard-links the files of the segments it keeps and computes only the new ones. A missing or
unreadable file, or one that does not fit its segment, is computed from the stored fields instead.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from indexer.engine.store import DERIVED_PREFIX
from indexer.engine.substring import SEPARATOR, SubstringIndex
from indexer.language.normalize import compact_text, normalize

log = logging.getLogger(__name__)
CACHE_PREFIX = DERIVED_PREFIX
FORMAT = 3

Facets = tuple[str, list[str], list[str]]  # doc type, years of its dates, speakers
# per live segment docnum: (facet values, compacted text, (doc_id, document JSON) or None, (doc_id, ordinal))
Entry = tuple[Facets, str, "tuple[str, dict[str, Any]] | None", tuple[str, int]]


@dataclass
class OpenData:
    """Per-generation data: docnum -> facet values, doc_id -> document JSON, the substring scan,
    docnum -> its place in (doc_id, ordinal) order (equal scores rank alike whatever the build's
    worker timing made of the docnums)."""

    facets: dict[int, Facets]
    docs: dict[str, dict[str, Any]]
    substrings: SubstringIndex
    order: dict[int, int]


def cache_file(folder: Path, reader: Any) -> Path:
    """Named by segment and document count: a kept segment's file is found without reading it."""
    return folder / f"{CACHE_PREFIX}{reader.segment().segment_id()}-{reader.doc_count_all()}.pickle"


def compute_segment(reader: Any) -> dict[int, Entry]:
    """One segment's entries, from its stored fields (what opening without a cache costs)."""
    entries: dict[int, Entry] = {}
    for docnum, stored in reader.iter_docs():
        meta = stored.get("meta") or {}
        years = sorted({d[:4] for d in [*meta.get("dates", []), meta.get("doc_date") or ""] if d})
        facets = (meta.get("doc_type", ""), years, sorted(set(meta.get("speakers", []))))
        doc = (stored["doc_id"], json.loads(stored["doc_json"])) if stored.get("doc_json") else None
        key = (stored["doc_id"], int(stored.get("ordinal") or 0))
        entries[docnum] = (facets, compact_text(normalize(stored.get("text", ""))), doc, key)
    return entries


def write(generation: Path, workers: int = 1) -> None:
    """Write the files of the generation's segments that have none (one process per segment, up
    to `workers`); remove those of segments merged away."""
    keep, missing = set(), []
    with _opened(generation) as readers:  # an index of no passages has no segment and needs no file
        for number, reader in enumerate(readers):
            path = cache_file(generation, reader)
            keep.add(path.name)
            if not path.is_file():  # kept segments' files were hard-linked with the segments
                missing.append(number)
    if len(missing) > 1 and workers > 1:
        with multiprocessing.get_context("fork").Pool(min(workers, len(missing))) as pool:
            pool.starmap(_write_segment, [(generation, number) for number in missing])
    else:
        for number in missing:
            _write_segment(generation, number)
    for stale in [*generation.glob(f"{CACHE_PREFIX}*"), generation / "search-cache.pickle"]:  # + format 1
        if stale.name not in keep:
            stale.unlink(missing_ok=True)


def _write_segment(generation: Path, number: int) -> None:
    with _opened(generation) as readers:
        reader = readers[number]
        entries = compute_segment(reader)
        _dump(cache_file(generation, reader), {"format": FORMAT, "doc_count": reader.doc_count_all(),
                                               "entries": entries})


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


def load(generation: Path, searcher: Any) -> OpenData:
    """The open searcher's data: each segment's file if it fits, else computed; deletions applied."""
    facets: dict[int, Facets] = {}
    docs: dict[str, dict[str, Any]] = {}
    docnums: list[int] = []
    parts: list[str] = []
    keys: dict[int, tuple[str, int]] = {}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if reader.segment() is None:  # an index of no passages: Whoosh's EmptyReader
            continue
        entries = _read(cache_file(generation, reader), reader)
        if entries is None:
            entries = compute_segment(reader)
        deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
        for local, (facet, compacted, doc, key) in entries.items():  # ascending docnums
            if local in deleted:
                continue
            facets[local + offset] = facet
            keys[local + offset] = key
            docnums.append(local + offset)
            parts.append(compacted)
            if doc is not None:
                docs[doc[0]] = doc[1]
    order = {docnum: rank for rank, docnum in enumerate(sorted(keys, key=keys.__getitem__))}
    return OpenData(facets, docs, _substrings(docnums, parts), order)


def _substrings(docnums: list[int], parts: list[str]) -> SubstringIndex:
    lengths = list(map(len, parts))
    starts = [0, *accumulate(n + len(SEPARATOR) for n in lengths[:-1])] if parts else []
    return SubstringIndex.restore({"text": SEPARATOR.join(parts), "starts": starts, "docnums": docnums,
                                   "lengths": dict(zip(docnums, lengths, strict=True))})


def _read(path: Path, reader: Any) -> dict[int, Entry] | None:
    """The segment's entries from its file, or None if missing, damaged or not this segment's."""
    try:
        with open(path, "rb") as f:
            payload = pickle.load(f)
        if payload.get("format") == FORMAT and payload.get("doc_count") == reader.doc_count_all():
            return payload["entries"]
        log.info("search cache %s does not fit its segment; recomputing", path.name)
    except FileNotFoundError:
        pass
    except Exception as exc:  # a damaged file is only a slower start
        log.warning("search cache %s unreadable (%r); recomputing", path.name, exc)
    return None


def _dump(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
