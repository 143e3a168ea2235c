"""The identity of everything that shapes an index: when it changes, a build re-reads everything and
an index built by other code is refused at open (with how to rebuild)."""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
from collections.abc import Iterable
from pathlib import Path

from indexer.ingest.manifest import MANIFEST_FORMAT

# The libraries whose versions (and data) shape what gets indexed: segmentation, conversion, codec.
FINGERPRINT_PACKAGES = ("jieba", "opencc", "whoosh-reloaded")
# Ingestion and the shared language data shape every document (readers are loaded by name, so the
# folders are taken whole); of the engine, what the writers import, found by following imports.
FINGERPRINT_FOLDERS = ("ingest", "language")
WRITERS = {"embedded": "engine/build.py", "sphinx": "engine/sphinx/build.py"}  # backend -> its writer
FINGERPRINT_MODULES = ("models.py", "config.py", "errors.py")  # what those packages import from the top
DATA_SUFFIXES = (".py", ".txt", ".json", ".toml")


@functools.lru_cache(maxsize=len(WRITERS))
def code_fingerprint(backend: str = "embedded") -> str:
    """Identity of everything that shapes an index: when it changes, re-read everything.

    That is every module and data file of the ingest and language packages, every engine module the
    writers import (segments, caches, substring postings, schema, analyzer, ...), the top-level
    modules, the versions of jieba, OpenCC and Whoosh, and jieba's dictionary. Engine modules only a
    searcher imports (scoring, query compilation) are left out: they change answers' speed, not the
    index, and must not force a rebuild; each backend's identity follows its own writer, so a change
    to the Sphinx rows does not make an embedded index stale.
    """
    package = Path(__file__).resolve().parent.parent
    files = {package / name for name in FINGERPRINT_MODULES}
    for folder in FINGERPRINT_FOLDERS:
        files |= {p for p in (package / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix in DATA_SUFFIXES}
    files |= writer_closure(package, [package / WRITERS[backend]])
    digest = hashlib.blake2b(digest_size=16)
    digest.update(str(MANIFEST_FORMAT).encode())
    for name in FINGERPRINT_PACKAGES:
        digest.update(f"{name}=={_version(name)}\0".encode())
    for path in sorted(files):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(_jieba_dictionary())
    return digest.hexdigest()


def writer_closure(package: Path, roots: Iterable[Path]) -> set[Path]:
    """The project modules reachable by import from `roots` (the writers), roots included."""
    seen: set[Path] = set()
    todo = [root for root in roots if root.is_file()]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo.extend(_imported_modules(package, path))
    return seen


def _imported_modules(package: Path, path: Path) -> list[Path]:
    """Modules of this package that `path` imports (`from indexer.x import y` may name module y)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    found = []
    for name in names:
        parts = name.split(".")
        if parts[0] != package.name:
            continue
        module = package.joinpath(*parts[1:]).with_suffix(".py")
        if len(parts) > 1 and module.is_file():  # a package's __init__ only re-exports: not followed
            found.append(module)
    return found


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
