"""What a search engine needs from every stored passage, computed once per generation at build time.

Why: opening an index used to read all stored fields (zlib + pickle per passage) and normalise
every passage for the substring scan: 1.7 s at ×100 (36,000 passages) before the first query.
The builder now writes this once into the generation (search-cache.pickle); opening reads one
file. The cache records a hash of the Whoosh TOC it was made from, so a cache that does not
match the index beside it (an older builder, a copied folder) is ignored and recomputed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.substring import SubstringIndex

log = logging.getLogger(__name__)
CACHE_FILE = "search-cache.pickle"
FORMAT = 1

Facets = tuple[str, list[str], list[str]]  # doc type, years of its dates, speakers


@dataclass
class OpenData:
    """Per-generation data: docnum -> facet values, doc_id -> document JSON, the substring scan."""

    facets: dict[int, Facets]
    docs: dict[str, dict[str, Any]]
    substrings: SubstringIndex


def compute(reader: Any) -> OpenData:
    """Read every stored passage once (what opening an index without a cache costs)."""
    facets: dict[int, Facets] = {}
    docs: dict[str, dict[str, Any]] = {}
    texts: list[tuple[int, str]] = []
    for docnum, stored in reader.iter_docs():
        meta = stored.get("meta") or {}
        texts.append((docnum, stored.get("text", "")))
        years = sorted({d[:4] for d in [*meta.get("dates", []), meta.get("doc_date") or ""] if d})
        facets[docnum] = (meta.get("doc_type", ""), years, sorted(set(meta.get("speakers", []))))
        if stored.get("doc_json"):
            docs[stored["doc_id"]] = json.loads(stored["doc_json"])
    return OpenData(facets, docs, SubstringIndex(texts))


def toc_key(generation: Path, ix: Any) -> str:
    """Hash of the Whoosh TOC: it names every segment and every deletion of this index."""
    toc = Path(ix.storage.folder) / f"_{ix.indexname}_{ix.latest_generation()}.toc"
    return hashlib.sha1(toc.read_bytes()).hexdigest()


def write(generation: Path) -> None:
    """Compute and store the cache of a freshly written (not yet published) generation."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(generation), readonly=True)
    try:
        with ix.reader() as reader:
            data = compute(reader)
        payload = {"format": FORMAT, "toc": toc_key(generation, ix), "facets": data.facets, "docs": data.docs,
                   "substrings": data.substrings.state()}
    finally:
        ix.close()
    tmp = generation / (CACHE_FILE + ".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, generation / CACHE_FILE)


def load(generation: Path, ix: Any, reader: Any) -> OpenData:
    """The generation's cache if it matches its index, else computed from the stored fields."""
    try:
        with open(generation / CACHE_FILE, "rb") as f:
            payload = pickle.load(f)
        if payload.get("format") == FORMAT and payload.get("toc") == toc_key(generation, ix):
            return OpenData(payload["facets"], payload["docs"], SubstringIndex.restore(payload["substrings"]))
        log.info("search cache of %s does not match its index; recomputing", generation.name)
    except FileNotFoundError:
        pass
    except Exception as exc:  # a damaged or foreign cache file is only a slower start
        log.warning("search cache of %s unreadable (%r); recomputing", generation.name, exc)
    return compute(reader)
