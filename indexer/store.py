"""Where the live index is: index_dir/CURRENT names the generation directory in use.

A build writes a complete new generation and then replaces CURRENT atomically (os.replace), so a
crash at any point leaves the previous generation complete and searchable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from indexer.errors import IndexMissingError

CURRENT_FILE = "CURRENT"
MANIFEST_FILE = "manifest.json"
ABBREVIATIONS_FILE = "abbreviations.json"


def current_generation(index_dir: Path) -> Path:
    """The live generation directory; IndexMissingError if there is none."""
    pointer = index_dir / CURRENT_FILE
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissingError(index_dir, "no index has been built here") from None
    except OSError as exc:
        raise IndexMissingError(index_dir, f"cannot read {pointer.name}: {exc.strerror}") from None
    generation = index_dir / name
    if not name or "/" in name or not generation.is_dir():
        raise IndexMissingError(index_dir, f"{CURRENT_FILE} points to a missing generation {name!r}")
    return generation


def open_index(index_dir: Path) -> Any:
    """Open the live Whoosh index read-only; IndexMissingError (never a traceback) if unusable."""
    from whoosh import index as whoosh_index

    generation = current_generation(index_dir)
    try:
        return whoosh_index.open_dir(str(generation), readonly=True)
    except Exception as exc:  # Whoosh raises many types for a damaged index
        raise IndexMissingError(index_dir, f"the index is damaged ({type(exc).__name__})") from exc


def read_json(generation: Path, name: str, default: Any) -> Any:
    try:
        return json.loads((generation / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
