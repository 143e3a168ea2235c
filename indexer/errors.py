"""The UndocsError family: each error says what went wrong and what to do next."""

from __future__ import annotations

import re

_BREAKS_RE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


class UndocsError(Exception):
    """Base class; `status` is the HTTP status the web UI answers with."""

    status = 400
    exit_code = 2

    def __str__(self) -> str:
        """Always one line: a typed newline or control character (echoed from a query, a file name) is a space."""
        return _BREAKS_RE.sub(" ", super().__str__())


class ReadError(UndocsError):
    """A corpus file could not be read (empty, binary, undecodable, corrupt, encrypted)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class SidecarError(UndocsError):
    """A NAME.meta.toml file has an unknown key or a bad value."""

    def __init__(self, path: object, key: str | None, reason: str) -> None:
        where = f"{path}" + (f" [{key}]" if key else "")
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.key = key


class ConfigError(UndocsError):
    """An UNDOCS_* environment variable or a command-line setting has an unusable value."""


class QueryError(UndocsError):
    """The user's query or a filter is malformed; the message says what to change."""


class IndexMissingError(UndocsError):
    """No usable index: the user must run `undocs build`."""

    status = 503

    def __init__(self, index_dir: object, detail: str = "") -> None:
        msg = f"no usable index at {index_dir}"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg + "; run `undocs build` first")


class IndexDamagedError(IndexMissingError):
    """The index is there but unusable (garbled CURRENT, a missing or truncated file): rebuild it."""

    def __init__(self, index_dir: object, detail: str) -> None:
        UndocsError.__init__(self, f"the index at {index_dir} is damaged ({detail}); "
                                   "rebuild it with `undocs build --full`")
        self.detail = detail


class IndexWriteError(UndocsError):
    """The build could not write (a full disk, a read-only folder); the previous index is untouched."""

    exit_code = 1

    def __init__(self, index_dir: object, reason: str) -> None:
        super().__init__(f"cannot finish the build: {reason}; the previous index at {index_dir} is unchanged "
                         "and still searchable")


class IndexOutdatedError(IndexMissingError):
    """The index was built by other code, libraries or dictionaries: it must be rebuilt."""

    def __init__(self, index_dir: object, detail: str) -> None:
        UndocsError.__init__(self, f"the index at {index_dir} {detail}; rebuild it with `undocs build --full`")


class BuildLockedError(UndocsError):
    """Another build holds the lock."""

    status = 409


class NotFoundError(UndocsError):
    status = 404


class NodeDownError(UndocsError):
    """No node of a distributed search engine answers (or the one holding a document is down)."""

    status = 503
