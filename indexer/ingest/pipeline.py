"""One file through the whole ingest pipeline: extract -> clean -> structure -> metadata."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.ingest import readers
from indexer.ingest.clean import clean
from indexer.ingest.metadata import describe
from indexer.ingest.structure import structure
from indexer.models import Document

# Letters of any script stay (a corpus of "安理会决议.txt", "联合国报告.txt" must not all become "doc").
_UNSAFE_ID_RE = re.compile(r"[^\w.\-]+")


def doc_id_for(path: Path, corpus_dir: Path | None = None) -> str:
    """A stable, URL-safe id from the file's place in the corpus (never a path the web UI opens)."""
    rel = path.relative_to(corpus_dir) if corpus_dir and path.is_relative_to(corpus_dir) else Path(path.name)
    stem = rel.with_suffix("").as_posix().replace("/", "~")
    slug = _UNSAFE_ID_RE.sub("_", stem).strip("_.") or "doc"
    return slug[:120]


def ingest(path: Path, corpus_dir: Path | None = None, doc_id: str | None = None) -> Document:
    """Read and understand one file. Raises ReadError/SidecarError with a clear message."""
    raw = readers.read(path)
    clean_text = clean(raw)
    blocks, doc_text = structure(clean_text)
    source = path.relative_to(corpus_dir).as_posix() if corpus_dir and path.is_relative_to(corpus_dir) else path.name
    return describe(raw, clean_text, blocks, doc_text, doc_id or doc_id_for(path, corpus_dir), source)
