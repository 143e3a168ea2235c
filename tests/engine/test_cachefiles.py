"""Verified side files: what was written reads back; any edit, truncation or pickle is refused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from indexer.engine import cachefiles
from indexer.errors import IndexDamagedError

ARRAYS = {"positions": np.array([3, 1, 4, 1, 5], dtype=np.int32), "keys": np.array([2, 7], dtype=np.uint64)}


@pytest.fixture()
def written(tmp_path: Path) -> Path:
    path = tmp_path / "cache.json"
    cachefiles.write(path, {"format": 1, "rows": [0, 1]}, ARRAYS)
    return path


def test_what_was_written_reads_back(written: Path) -> None:
    body, arrays = cachefiles.read(written)
    assert body["rows"] == [0, 1] and sorted(body["arrays"]) == ["keys", "positions"]
    assert arrays["positions"].tolist() == [3, 1, 4, 1, 5] and arrays["keys"].dtype == np.uint64


def test_the_manifest_digest_must_match(written: Path) -> None:
    assert cachefiles.read(written, cachefiles.digest(written.read_bytes()))[0]["rows"] == [0, 1]
    with pytest.raises(cachefiles.CacheError, match="manifest"):
        cachefiles.read(written, "0" * 32)


def edit_body(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("[0,1]", "[0,2]"), encoding="utf-8")


def replace_with_objects(path: Path) -> None:
    np.save(cachefiles.array_path(path, "keys"), np.array([{"a": 1}, None], dtype=object), allow_pickle=True)


@pytest.mark.parametrize(("damage", "message"), [
    (edit_body, "checksum"),
    (lambda p: p.write_bytes(p.read_bytes()[:-3]), "checksum"),
    (lambda p: p.write_bytes(b"\x80\x04K\x01."), "not a cache header"),
    (lambda p: cachefiles.array_path(p, "positions").write_bytes(
        cachefiles.array_path(p, "positions").read_bytes()[:-4]), "positions.npy was changed"),
    (replace_with_objects, "keys.npy was changed"),
    (lambda p: cachefiles.array_path(p, "keys").unlink(), "keys.npy unreadable"),
])
def test_damage_is_detected(written: Path, damage: object, message: str) -> None:
    damage(written)  # type: ignore[operator]
    with pytest.raises(cachefiles.CacheError, match=message):
        cachefiles.read(written)


def objects_with_a_matching_crc(path: Path) -> None:
    """A pickled object array, listed with its own CRC and a header whose checksum fits."""
    replace_with_objects(path)
    body = json.loads(path.read_text(encoding="utf-8").split("\n", 1)[1])
    body["arrays"]["keys"]["crc32"] = cachefiles.crc32_file(cachefiles.array_path(path, "keys"))
    text = json.dumps(body).encode("utf-8")
    path.write_bytes(f"{cachefiles.MAGIC} {cachefiles.digest(text)}\n".encode("ascii") + text)


@pytest.mark.parametrize("sliced", [(), ("keys",)])
def test_object_arrays_are_refused_even_with_a_matching_crc(written: Path, sliced: tuple[str, ...]) -> None:
    objects_with_a_matching_crc(written)
    with pytest.raises(cachefiles.CacheError, match=r"keys\.npy unreadable"):
        cachefiles.read(written, sliced=sliced)


def test_sliced_arrays_read_what_was_written(written: Path) -> None:
    _, arrays = cachefiles.read(written, sliced=("positions",))
    positions = arrays["positions"]
    assert isinstance(positions, cachefiles.DiskArray) and isinstance(arrays["keys"], np.ndarray)
    assert len(positions) == 5 and positions.dtype == np.int32 and positions.shape == (5,)
    assert positions[1:4].tolist() == [1, 4, 1] and positions[np.int64(3) : np.int64(5)].tolist() == [1, 5]
    assert positions[3:1].tolist() == [] and positions[-2:].tolist() == [1, 5]
    assert int(positions[0]) == 3 and int(positions[-1]) == 5
    assert np.asarray(positions).tolist() == [3, 1, 4, 1, 5]
    assert np.zeros(6, dtype=np.int8)[np.asarray(positions)].tolist() == [0] * 5
    with pytest.raises(IndexError):
        positions[5]
    with pytest.raises(IndexError, match="contiguous"):
        positions[::2]


def test_a_sliced_array_survives_its_file_being_removed(written: Path) -> None:
    """A generation being served keeps its arrays readable when a newer build removes its folder."""
    _, arrays = cachefiles.read(written, sliced=("positions",))
    cachefiles.array_path(written, "positions").unlink()
    assert arrays["positions"][2:5].tolist() == [4, 1, 5]



def test_a_sliced_array_cut_short_under_a_searcher_says_the_index_is_damaged(written: Path) -> None:
    """Not a traceback, not a crash (a memory map would raise SIGBUS): the one-line rebuild message."""
    _, arrays = cachefiles.read(written, sliced=("positions",))
    path = cachefiles.array_path(written, "positions")
    path.write_bytes(path.read_bytes()[:-8])  # the last two int32 values gone
    assert arrays["positions"][0:3].tolist() == [3, 1, 4]
    with pytest.raises(IndexDamagedError, match=r"positions\.npy is shorter than its header says.*undocs build --full"):
        arrays["positions"][2:5]
