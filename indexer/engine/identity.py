"""The identity of everything that shapes an index: when it changes, a build re-reads everything and
an index built by other code is refused at open (with how to rebuild)."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from pathlib import Path

from indexer.ingest.manifest import MANIFEST_FORMAT

# The libraries whose versions (and data) shape what gets indexed: segmentation, conversion, codec.
FINGERPRINT_PACKAGES = ("jieba", "opencc", "whoosh-reloaded")
FINGERPRINT_FOLDERS = ("ingest", "language", "engine")
FINGERPRINT_MODULES = ("models.py", "config.py", "errors.py")  # what those packages import from the top


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Identity of everything that shapes an index: when it changes, re-read everything.

    That is every module and data file of the ingest, language and engine packages (the engine
    writes the segments, caches and substring postings), the top-level modules they import, the versions of jieba, OpenCC and Whoosh, and jieba's dictionary.
    """
    package = Path(__file__).resolve().parent.parent
    files = {package / name for name in FINGERPRINT_MODULES}
    for folder in FINGERPRINT_FOLDERS:
        files |= {p for p in (package / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix in (".py", ".txt", ".json", ".toml")}
    digest = hashlib.blake2b(digest_size=16)
    digest.update(str(MANIFEST_FORMAT).encode())
    for name in FINGERPRINT_PACKAGES:
        digest.update(f"{name}=={_version(name)}\0".encode())
    for path in sorted(files):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(_jieba_dictionary())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def _jieba_dictionary() -> bytes:
    """jieba's main dictionary (what its segmentation is made of), or nothing if not found."""
    import jieba

    path = Path(jieba.__file__).resolve().parent / "dict.txt"
    return path.read_bytes() if path.is_file() else b""
