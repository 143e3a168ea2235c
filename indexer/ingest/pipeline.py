"""One file through the whole ingest pipeline: extract -> clean -> structure -> metadata."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from indexer.ingest import readers
from indexer.ingest.clean import clean
from indexer.ingest.metadata import describe
from indexer.ingest.structure import structure
from indexer.models import Document

# Letters of any script stay (a corpus of "安理会决议.txt", "联合国报告.txt" must not all become "doc").
_UNSAFE_ID_RE = re.compile(r"[^\w.\-]+")
MAX_ID_CHARS = 120  # deeper paths (50 nested folders) are shortened, keeping the file name


def doc_id_for(path: Path, corpus_dir: Path | None = None) -> str:
    """A stable, URL-safe id from the file's place in the corpus (never a path the web UI opens)."""
    rel = path.relative_to(corpus_dir) if corpus_dir and path.is_relative_to(corpus_dir) else Path(path.name)
    stem = rel.with_suffix("").as_posix().replace("/", "~")
    slug = _UNSAFE_ID_RE.sub("_", stem).strip("_.") or "doc"
    return slug if len(slug) <= MAX_ID_CHARS else _shortened(slug)


def _shortened(slug: str) -> str:
    """A long path's id: its beginning, a hash of the whole and its end (the file name), still unique."""
    digest = hashlib.blake2b(slug.encode("utf-8"), digest_size=4).hexdigest()
    return f"{slug[:60].rstrip('_.')}_{digest}_{slug[-50:].lstrip('_.')}"


def ingest(path: Path, corpus_dir: Path | None = None, doc_id: str | None = None) -> Document:
    """Read and understand one file. Raises ReadError/SidecarError with a clear message."""
    raw = readers.read(path)
    clean_text = clean(raw)
    blocks, doc_text = structure(clean_text)
    source = path.relative_to(corpus_dir).as_posix() if corpus_dir and path.is_relative_to(corpus_dir) else path.name
    return describe(raw, clean_text, blocks, doc_text, doc_id or doc_id_for(path, corpus_dir), source)
