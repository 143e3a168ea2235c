"""All configuration in one place: defaults, overridable by UNDOCS_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("embedded", "sphinx")  # UNDOCS_BACKEND values; engine.open_backend maps each to its backend


def _env_int(name: str, default: int, low: int, high: int) -> int:
    """A whole-number setting; a bad value stops with a message naming the variable (not a traceback)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        from indexer.errors import ConfigError

        raise ConfigError(f"{name}={value!r} is not a whole number from {low} to {high} (e.g. {name}={default})")
    return int(value)


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of a few names; anything else stops with a message listing them."""
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        from indexer.errors import ConfigError

        raise ConfigError(f"{name}={value!r} is not one of: {', '.join(choices)}")
    return value


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = field(default_factory=lambda: _env_path("UNDOCS_CORPUS", PROJECT_ROOT / "corpus"))
    index_dir: Path = field(default_factory=lambda: _env_path("UNDOCS_INDEX", PROJECT_ROOT / "index"))
    host: str = field(default_factory=lambda: os.environ.get("UNDOCS_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: _env_int("UNDOCS_PORT", 5000, 1, 65535))
    debug: bool = field(default_factory=lambda: os.environ.get("UNDOCS_DEBUG", "") == "1")
    workers: int = field(default_factory=lambda: _env_int("UNDOCS_WORKERS", os.cpu_count() or 1, 1, 256))
    backend: str = field(default_factory=lambda: _env_choice("UNDOCS_BACKEND", "embedded", BACKENDS))
    per_page: int = 10
    max_per_page: int = 100
    max_query_chars: int = 500
    query_deadline_ms: int = 400  # CPU ms; past it a search stops adding OR branches, flags its result partial


# One document's text is read, cleaned and segmented whole: above this the build refuses the file by name
# (a 9.9 MB text file peaked at 250 MB RSS and took ~2 min; see README "Limits").
MAX_DOCUMENT_MB = 10


def max_document_bytes() -> int:
    """The per-document size limit in bytes (UNDOCS_MAX_FILE_MB overrides MAX_DOCUMENT_MB)."""
    return _env_int("UNDOCS_MAX_FILE_MB", MAX_DOCUMENT_MB, 1, 1024) * 1024 * 1024


# File endings the readers understand; a reader module per format.
TEXT_SUFFIXES = (".txt", ".md")
SIDECAR_SUFFIX = ".meta.toml"
