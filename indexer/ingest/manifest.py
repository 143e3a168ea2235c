"""What is in the corpus and what changed since the last build: the manifest and the change plan.

The manifest (manifest.json in each generation) maps every corpus file to what was indexed from
it, so the next build re-reads only new or changed files: a file is unchanged if its size and
mtime (and its sidecars') are the same, or else if its content hash is the same.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.config import SIDECAR_SUFFIX
from indexer.ingest import readers
from indexer.ingest.pipeline import doc_id_for

log = logging.getLogger(__name__)

MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class SourceFile:
    """One supported corpus file, its unique document id and its stat signature (file + sidecars)."""

    path: Path
    rel: str
    doc_id: str
    stat: tuple[tuple[str, int, int], ...]


@dataclass
class Plan:
    """What a build has to do, relative to the previous generation's manifest."""

    to_read: list[SourceFile] = field(default_factory=list)
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)  # rel -> manifest entry, still valid
    to_delete: list[str] = field(default_factory=list)  # doc ids of removed files, to remove from the copied index
    previous: dict[str, dict[str, Any]] = field(default_factory=dict)  # rel -> entry of a re-read file's indexed version
    removed: list[str] = field(default_factory=list)  # files that left the corpus
    hashes: dict[str, str] = field(default_factory=dict)  # rel -> content hash, for files to read

    @property
    def sources(self) -> dict[str, SourceFile]:
        return {src.rel: src for src in self.to_read}


def sidecars_of(path: Path) -> list[Path]:
    """The sidecar files that describe `path`: NAME.meta.toml and NAME.EXT.meta.toml, if present."""
    candidates = (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX))
    return [p for p in dict.fromkeys(candidates) if p.is_file()]


def scan_corpus(corpus_dir: Path) -> tuple[list[SourceFile], list[str]]:
    """Every supported file under corpus_dir in a stable order, with unique ids, and the id warnings."""
    paths, warnings = corpus_paths(corpus_dir)
    ids, id_warnings = assign_doc_ids(paths, corpus_dir)
    warnings += id_warnings + orphan_sidecar_warnings(corpus_dir, paths)
    files = [
        SourceFile(path=p, rel=p.relative_to(corpus_dir).as_posix(), doc_id=ids[p], stat=stat_signature(p))
        for p in paths
    ]
    return files, warnings


def corpus_paths(corpus_dir: Path) -> tuple[list[Path], list[str]]:
    """Supported files under corpus_dir; a symbolic link leading outside it, or nowhere, is skipped and said so.

    Folders reached through a link are never walked (Path.rglob does not follow them); a link to a file
    inside the corpus is read like the file.
    """
    root = corpus_dir.resolve()
    paths: list[Path] = []
    warnings: list[str] = []
    for path in sorted(corpus_dir.rglob("*")):
        note = link_warning(path, corpus_dir, root) if path.is_symlink() else None
        if note:
            warnings.append(note)
        elif path.is_file() and readers.is_supported(path):
            paths.append(path)
    return paths, warnings


def link_warning(link: Path, corpus_dir: Path, root: Path) -> str | None:
    """Why a symbolic link is not followed (it leads nowhere or out of the corpus), or None to read it."""
    target = link.resolve()
    rel = link.relative_to(corpus_dir).as_posix()
    if not target.exists():
        return f"{rel} is a symbolic link to {target}, which does not exist; skipped" if readers.is_supported(
            link) else None
    if target.is_relative_to(root) or not (target.is_dir() or readers.is_supported(link)):
        return None
    return f"{rel} is a symbolic link to {target}, outside the corpus folder; not followed"


def orphan_sidecar_warnings(corpus_dir: Path, paths: list[Path]) -> list[str]:
    """A sidecar that describes no document (a typo in its name) would be silently ignored: say so."""
    used = {sidecar for path in paths for sidecar in sidecars_of(path)}
    return [
        f"{p.relative_to(corpus_dir).as_posix()} describes no document (expected NAME.meta.toml beside NAME.txt, "
        ".pdf, .docx, .html or .md); ignored"
        for p in sorted(corpus_dir.rglob("*" + SIDECAR_SUFFIX))
        if p.is_file() and not p.name.startswith(".") and p not in used
    ]


def assign_doc_ids(paths: list[Path], corpus_dir: Path) -> tuple[dict[Path, str], list[str]]:
    """Unique ids, deterministic for a given set of files: a.txt and a.pdf must not overwrite each other.

    Within a group sharing an id, the first path in sorted order keeps it; the others get their
    suffix appended ("a_pdf"), then a counter if that is taken too.
    """
    ids: dict[Path, str] = {}
    owner: dict[str, Path] = {}
    warnings: list[str] = []
    for path in sorted(paths):
        base = doc_id_for(path, corpus_dir)
        doc_id = base
        if doc_id in owner:
            doc_id = f"{base}_{path.suffix.lstrip('.').lower() or 'file'}"
            n = 2
            while doc_id in owner:
                doc_id, n = f"{base}_{n}", n + 1
            warnings.append(
                f"{path.relative_to(corpus_dir).as_posix()} has the same document id {base!r} as "
                f"{owner[base].relative_to(corpus_dir).as_posix()}; indexed as {doc_id!r}"
            )
        owner[doc_id] = path
        ids[path] = doc_id
    return ids, warnings


def stat_signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    """(name, size, mtime_ns) of the file and of each sidecar: cheap change detection."""
    signature = []
    for p in [path, *sidecars_of(path)]:
        st = p.stat()
        signature.append((p.name, st.st_size, st.st_mtime_ns))
    return tuple(signature)


def content_hash(path: Path) -> str:
    """Hash of the file and its sidecars: a touched but unchanged file is not re-read."""
    digest = hashlib.blake2b(digest_size=20)
    for p in [path, *sidecars_of(path)]:
        digest.update(p.name.encode("utf-8") + b"\0")
        digest.update(p.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def plan_changes(files: list[SourceFile], old_files: dict[str, dict[str, Any]] | None) -> Plan:
    """Compare the corpus with the old manifest; old_files None means a full build."""
    plan = Plan()
    old_files = old_files if old_files is not None else {}
    for src in files:
        entry = old_files.get(src.rel)
        if entry and entry.get("doc_id") == src.doc_id and _stat_equal(entry.get("stat"), src.stat):
            plan.kept[src.rel] = _recovered(entry)
            continue
        digest = content_hash(src.path)
        if entry and entry.get("doc_id") == src.doc_id and entry.get("hash") == digest:
            plan.kept[src.rel] = {**_recovered(entry), "stat": [list(s) for s in src.stat]}
            continue
        plan.to_read.append(src)
        plan.hashes[src.rel] = digest
        if entry and is_indexed(entry):
            plan.previous[src.rel] = entry  # replaced only once the new version is read
    present = {src.rel for src in files}
    for rel, entry in sorted(old_files.items()):
        if rel not in present:
            plan.removed.append(rel)
            if is_indexed(entry):
                plan.to_delete.append(entry["doc_id"])
    return plan


def is_indexed(entry: dict[str, Any]) -> bool:
    """Whether the entry's document is in the index: read fine, or a failed re-read kept its old version."""
    return "failed" not in entry or bool(entry.get("stale"))


def _recovered(entry: dict[str, Any]) -> dict[str, Any]:
    """A stale entry whose file is back to the content indexed: no longer failed."""
    if not entry.get("stale"):
        return entry
    return {k: v for k, v in entry.items() if k not in ("failed", "stale")}


def _stat_equal(recorded: Any, stat: tuple[tuple[str, int, int], ...]) -> bool:
    return isinstance(recorded, list) and [tuple(s) for s in recorded] == list(stat)
