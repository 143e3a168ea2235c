"""Guard on Whoosh internals: the project's segment writer writes what Whoosh's own writer writes.

BufferedSegmentWriter (engine/segments.py) replaces Whoosh's posting pool and feeds the codec
itself; it relies on private parts of whoosh-reloaded (see engine/INTERNALS.md). An upgrade or a
refactor that breaks them shows here: the same seed passages written both ways must give the same
terms, postings (docnum, weight, value), stored fields and field lengths.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index

from indexer.engine.schema import make_schema, passage_fields
from indexer.engine.segments import BufferedSegmentWriter
from indexer.models import Document


def _passages(seed_docs: dict[str, Document]) -> list[dict[str, Any]]:
    return [passage_fields(doc, p) for _, doc in sorted(seed_docs.items()) for p in doc.passages]


def _write(folder: Path, passages: list[dict[str, Any]], ours: bool) -> Any:
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = BufferedSegmentWriter(ix) if ours else ix.writer()
    for fields in passages:
        writer.add_document(**fields)
    writer.commit()
    return ix


@pytest.fixture(scope="module")
def readers(seed_docs: dict[str, Document], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    passages = _passages(seed_docs)
    ours = _write(tmp_path_factory.mktemp("ours"), passages, ours=True)
    theirs = _write(tmp_path_factory.mktemp("whoosh"), passages, ours=False)
    with ours.reader() as a, theirs.reader() as b:
        yield a, b


def _postings(reader: Any, fieldname: str, text: bytes) -> list[tuple[int, float, bytes | None]]:
    m = reader.postings(fieldname, text)
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value()))
        m.next()
    return out


def test_same_documents_and_stored_fields(readers: tuple[Any, Any]) -> None:
    ours, theirs = readers
    assert ours.doc_count_all() == theirs.doc_count_all() == 356  # the seeds' passages
    assert list(ours.iter_docs()) == list(theirs.iter_docs())


def test_same_terms_in_every_field(readers: tuple[Any, Any]) -> None:
    ours, theirs = readers
    ours_terms, their_terms = list(ours.all_terms()), list(theirs.all_terms())
    assert len(ours_terms) == 3914  # with the Charter tags VI, VII, VIII, 99; no ordinal or date_asc/desc terms
    assert ours_terms == their_terms
    for fieldname, text in ours_terms:
        assert ours.doc_frequency(fieldname, text) == theirs.doc_frequency(fieldname, text)
        assert ours.frequency(fieldname, text) == theirs.frequency(fieldname, text)


def test_same_postings(readers: tuple[Any, Any]) -> None:
    ours, theirs = readers
    for fieldname, text in ours.all_terms():
        assert _postings(ours, fieldname, text) == _postings(theirs, fieldname, text), (fieldname, text)


def test_same_field_lengths(readers: tuple[Any, Any]) -> None:
    ours, theirs = readers
    for fieldname in ("text", "title", "heading"):
        assert ours.field_length(fieldname) == theirs.field_length(fieldname) > 0
        assert [ours.doc_field_length(d, fieldname) for d in range(ours.doc_count_all())] == \
               [theirs.doc_field_length(d, fieldname) for d in range(theirs.doc_count_all())]
