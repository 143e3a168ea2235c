"""Verified, non-executable side files: a JSON header that checksums itself and numpy arrays.

Why: the search caches used to be pickles, which run code when read, trusted when their document
count matched (an edited cache gave wrong facets and no hits). Now a cache header is one line
"undocs-cache-1 <digest of the rest>" and a JSON body that lists each array file with its dtype,
shape and CRC-32; arrays are .npy files read with allow_pickle=False. Reading checks everything and raises
CacheError on any mismatch, so the caller recomputes instead of serving wrong results.

Small arrays are read whole into memory. The large ones a search reads a slice of (a term's postings,
a bigram's positions) are `DiskArray`s: each slice is read with os.pread when asked for, so the
searcher's memory holds what the current queries use, not every page any query ever touched (with
memory maps the searcher's RSS at ×1000 swung between 400 and 620 MiB with the page cache).
"""

from __future__ import annotations

import hashlib
import json
import os
import weakref
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from indexer.errors import IndexDamagedError

CHUNK = 8 * 2**20
MAGIC = "undocs-cache-1"  # first line: MAGIC, a space, the blake2b digest of the rest (the JSON body)


class CacheError(Exception):
    """A side file is missing, truncated, edited or of another format."""


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def crc32_file(path: Path) -> int:
    """CRC-32 of a file, read a chunk at a time (not mapped: the pages stay out of our RSS)."""
    crc = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def write(path: Path, body: dict[str, Any], arrays: dict[str, np.ndarray]) -> str:
    """Write the arrays beside `path` and then the header; returns the header's digest."""
    listed = {}
    for name, array in arrays.items():
        target = array_path(path, name)
        _atomic(target, lambda f, a=array: np.save(f, np.ascontiguousarray(a), allow_pickle=False))
        listed[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "crc32": crc32_file(target)}
    text = json.dumps({**body, "arrays": listed}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = text.encode("utf-8")
    data = f"{MAGIC} {digest(data)}\n".encode("ascii") + data
    _atomic(path, lambda f: f.write(data))
    return digest(data)


def read(path: Path, expected: str | None = None, sliced: tuple[str, ...] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header body and its arrays (those named in `sliced` as DiskArrays, the rest in memory);
    CacheError if anything does not check out.

    `expected`: the header's digest as the generation's manifest lists it, if it does."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CacheError("missing") from None
    if expected is not None and digest(data) != expected:
        raise CacheError("not the file the manifest lists")
    head, _, text = data.partition(b"\n")
    magic, _, checksum = head.decode("ascii", "replace").partition(" ")
    if magic != MAGIC:
        raise CacheError("not a cache header")
    if digest(text) != checksum:
        raise CacheError("its checksum does not match its content")
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise CacheError(f"not a cache header ({type(exc).__name__})") from None
    if not isinstance(body, dict) or not isinstance(body.get("arrays"), dict):
        raise CacheError("not a cache header")
    return body, {name: _array(array_path(path, name), spec, name in sliced) for name, spec in body["arrays"].items()}


def _array(path: Path, spec: dict[str, Any], sliced: bool) -> Any:
    try:
        if crc32_file(path) != spec["crc32"]:
            raise CacheError(f"{path.name} was changed (CRC-32)")
        array = DiskArray(path) if sliced else np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise CacheError(f"{path.name} unreadable ({type(exc).__name__})") from None
    if array.dtype.str != spec["dtype"] or list(array.shape) != spec["shape"]:
        raise CacheError(f"{path.name} is not the array its header lists")
    return array


class DiskArray:
    """A one-dimensional .npy array on disk, read a slice at a time (os.pread: thread-safe, no shared
    file position). Supports len(), [int], [start:stop] and np.asarray (the whole array)."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = header(f)
            offset = f.tell()
        if len(shape) != 1 or fortran or dtype.hasobject:
            raise ValueError("not a flat array of numbers")
        self.dtype, self.shape, self._offset, self._path = dtype, tuple(shape), offset, path
        self._fd = os.open(path, os.O_RDONLY)  # kept open: the generation's files may be removed under it
        weakref.finalize(self, os.close, self._fd)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1:
                raise IndexError("a DiskArray is read by contiguous slices")
            return self._read(start, max(stop - start, 0))
        index = int(key) + (len(self) if int(key) < 0 else 0)
        if not 0 <= index < len(self):
            raise IndexError(f"index {key} out of range")
        return self._read(index, 1)[0]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        whole = self._read(0, len(self))
        return whole if dtype is None else whole.astype(dtype)

    def _read(self, start: int, count: int) -> np.ndarray:
        size = self.dtype.itemsize
        data = os.pread(self._fd, count * size, self._offset + start * size)
        if len(data) != count * size:  # cut short under a live searcher (generations are never rewritten)
            raise IndexDamagedError(self._path.parent, f"{self._path.name} is shorter than its header says")
        return np.frombuffer(data, dtype=self.dtype)


def array_path(path: Path, name: str) -> Path:
    return path.with_name(f"{path.stem}.{name}.npy")


def _atomic(path: Path, fill: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        fill(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
