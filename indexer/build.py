"""corpus -> index. PLACEHOLDER: full rebuild into a new generation, then switch CURRENT atomically."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from indexer import readers
from indexer.errors import UndocsError
from indexer.pipeline import doc_id_for, ingest
from indexer.schema import make_schema, passage_fields
from indexer.store import ABBREVIATIONS_FILE, CURRENT_FILE


@dataclass
class BuildReport:
    documents: int = 0
    passages: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [f"indexed {self.documents} documents, {self.passages} passages in {self.seconds:.1f} s"]
        if self.failed:
            lines.append(f"skipped {len(self.failed)} file(s):")
            lines += [f"  {name}: {reason}" for name, reason in self.failed]
        return "\n".join(lines)


def build_index(corpus_dir: Path, index_dir: Path, full: bool = False, progress: bool = True) -> BuildReport:
    start = time.perf_counter()
    report = BuildReport()
    index_dir.mkdir(parents=True, exist_ok=True)
    generation = index_dir / f"gen-{time.time_ns()}"
    generation.mkdir()
    ix = whoosh_index.create_in(str(generation), make_schema())
    writer = ix.writer()
    abbreviations: dict[str, str] = {}
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file() and readers.is_supported(p)):
        try:
            doc = ingest(path, corpus_dir, doc_id_for(path, corpus_dir))
        except UndocsError as exc:
            report.failed.append((path.name, str(exc)))
            continue
        for passage in doc.passages:
            writer.add_document(**passage_fields(doc, passage))
        abbreviations.update(doc.abbreviations)
        report.documents += 1
        report.passages += len(doc.passages)
    writer.commit()
    (generation / ABBREVIATIONS_FILE).write_text(json.dumps(abbreviations, ensure_ascii=False), encoding="utf-8")
    old = (index_dir / CURRENT_FILE).read_text().strip() if (index_dir / CURRENT_FILE).exists() else None
    tmp = index_dir / f"{CURRENT_FILE}.tmp"
    tmp.write_text(generation.name, encoding="utf-8")
    os.replace(tmp, index_dir / CURRENT_FILE)
    if old and (index_dir / old).is_dir():
        shutil.rmtree(index_dir / old, ignore_errors=True)
    report.seconds = time.perf_counter() - start
    return report
