"""Readers: path -> RawText, one module per format.

Adding a format is one module with a `read(path) -> RawText` function and one line in READERS.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from indexer.config import max_document_bytes
from indexer.errors import ReadError
from indexer.models import RawText

# suffix -> module under indexer.ingest.readers; imported on first use so a missing
# optional library only affects its own format.
READERS: dict[str, str] = {
    ".txt": "text",
    ".md": "text",
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "docx",  # only to say clearly that the old binary format must be saved as .docx
    ".html": "html",
    ".htm": "html",
}


TEXT_FORMATS = ("text", "html")  # read whole into memory: their size is checked before reading


def _check_size(path: Path, size: int, what: str) -> None:
    """Refuse, by name and with the limit, a document too big to read, clean and segment in one piece."""
    limit = max_document_bytes()
    if size > limit:
        raise ReadError(path, f"too big: {size / 2**20:.1f} MB{what}, over the limit of {limit // 2**20} MB for one "
                              "document; split it into parts (or raise UNDOCS_MAX_FILE_MB)")


def supported_suffixes() -> tuple[str, ...]:
    return tuple(sorted(READERS))


def is_supported(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in READERS and not name.endswith(".meta.toml") and not name.startswith(".")


def read(path: Path) -> RawText:
    """Read any supported file; every failure is a ReadError naming the file and the reason."""
    if path.is_dir():
        raise ReadError(path, "is a folder; give one document in it (e.g. corpus/S_2021_130.txt)")
    if path.name.lower().endswith(".meta.toml"):
        raise ReadError(path, "is a sidecar (metadata for the document beside it); give the document itself")
    module_name = READERS.get(path.suffix.lower())
    if module_name is None:
        readable = ", ".join(s for s in supported_suffixes() if s != ".doc")  # .doc is only refused clearly
        raise ReadError(path, f"unsupported file type {path.suffix!r} (supported: {readable})")
    module = importlib.import_module(f"indexer.ingest.readers.{module_name}")
    try:
        if module_name in TEXT_FORMATS:
            _check_size(path, path.stat().st_size, "")
        raw = module.read(path)
        _check_size(path, len(raw.text.encode("utf-8")), " of text")
        return raw
    except ReadError:
        raise
    except OSError as exc:
        raise ReadError(path, f"cannot open: {exc.strerror or exc}") from exc
