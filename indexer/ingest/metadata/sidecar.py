"""Sidecar files: NAME.meta.toml beside NAME.txt supplies or overrides a document's metadata
(NAME.txt.meta.toml, if present, applies to that one file and wins).

    symbols = ["A/75/345", "S/2020/901"]   # [] = the document has no symbol of its own
    title = "联合国同各区域组织及其他组织的合作"
    doc_type = "报告"                        # or an English alias: "report"
    doc_date = "2020-09-11"                  # "" = no date
    original_language = "en"
    job_number = "20-11877"
    period = 2020                            # or [2020, 2021]: the year(s) a Repertoire covers
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path
from typing import Any

from indexer.config import SIDECAR_SUFFIX
from indexer.errors import SidecarError
from indexer.language.dates import parse_iso_date
from indexer.language.doctypes import DOC_TYPES, doc_type_from_alias
from indexer.language.symbols import normalize_symbol

KEYS = ("symbols", "title", "doc_type", "doc_date", "original_language", "job_number", "period", "language")


def sidecar_path(source: Path) -> Path:
    """Where the sidecar of `source` lives: corpus/S_2021_130.txt -> corpus/S_2021_130.meta.toml."""
    return source.with_name(source.stem + SIDECAR_SUFFIX)


def sidecar_paths(source: Path) -> list[Path]:
    """NAME.meta.toml, then NAME.EXT.meta.toml (for one format only, when x.txt and x.pdf share a folder)."""
    return [sidecar_path(source), source.with_name(source.name + SIDECAR_SUFFIX)]


def _display(path: Path) -> str:
    """The path as the user typed it, relative to the working directory when it is below it."""
    try:
        return os.path.relpath(path) if path.is_absolute() and path.resolve().is_relative_to(Path.cwd()) else str(path)
    except (OSError, ValueError):
        return str(path)


def _string(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SidecarError(where, key, f"{value!r} is not a string")
    return value.strip()


def _check(where: str, key: str, value: Any) -> Any:
    """One key's value, validated and normalised."""
    if key == "symbols":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(s, str) and s.strip() for s in items):
            raise SidecarError(where, key, f"{value!r} is not a list of symbols (e.g. [\"S/2021/130\"])")
        return tuple(dict.fromkeys(normalize_symbol(s) for s in items))
    if key == "doc_type":
        canonical = doc_type_from_alias(_string(where, key, value))
        if canonical is None:
            raise SidecarError(where, key, f"{value!r} is not a document type (use one of {', '.join(DOC_TYPES)})")
        return canonical
    if key == "doc_date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        text = _string(where, key, value)
        if text == "":
            return None
        iso = parse_iso_date(text)
        if iso is None:
            raise SidecarError(where, key, f"{value!r} is not a date (use YYYY-MM-DD)")
        return iso
    if key == "period":
        return _period(where, value)
    return _string(where, key, value) or None


def _period(where: str, value: Any) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value]
    years: list[int] = []
    for item in items:
        try:
            year = int(item)
        except (TypeError, ValueError):
            year = 0
        if not 1945 <= year <= 2100 or isinstance(item, bool | float):
            raise SidecarError(where, "period", f"{item!r} is not a year (use e.g. 2020 or [2020, 2021])")
        years.append(year)
    return tuple(sorted(set(years)))


def load_sidecar(source: Path) -> dict[str, Any]:
    """The validated fields of `source`'s sidecars ({} when none); the more specific file wins per key."""
    fields: dict[str, Any] = {}
    for path in sidecar_paths(source):
        if path.is_file():
            fields.update(read_sidecar(path))
    return fields


def read_sidecar(path: Path) -> dict[str, Any]:
    """One sidecar file, validated; SidecarError names the file and the key."""
    where = _display(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SidecarError(where, None, f"not valid TOML ({exc})") from None
    except OSError as exc:
        raise SidecarError(where, None, f"cannot be read ({exc.strerror})") from None
    for key in data:
        if key not in KEYS:
            raise SidecarError(where, key, f"unknown key (known keys: {', '.join(KEYS)})")
    return {key: _check(where, key, value) for key, value in data.items()}
