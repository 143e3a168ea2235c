"""The engine seam: what the search layer, the CLI and the web UI may ask of an index.

`Backend` is a typing.Protocol in the project's own types; its docstrings are the contract a second
backend (a distributed engine) must meet, and tests/engine/test_backend_conformance.py checks it
against every backend. Nothing outside indexer/engine/ knows how a backend stores or scores.

The query arrives parsed (engine/querytree.py) and split by the search layer into the part to rank
and the filters every passage must pass. Results come back as models.Hit: the passage, its
document's metadata, its score, the Spans where the query matched (offsets into the passage text,
each with the query part) and the fragment windows to show. Nothing here is markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from indexer.engine.querytree import Node
from indexer.models import Document, Hit, Passage, Span

if TYPE_CHECKING:
    from indexer.engine.build import BuildReport

SORTS = ("relevance", "date", "-date")
CONTEXT_SORTS = ("left", "right")  # Backend.context_order: by what precedes / follows each match
TOP_SPEAKERS = 30  # the speaker facet: the most frequent, equal counts by name
ALL_MATCHES = 100_000  # a page this large holds every match of any realistic query


@dataclass(frozen=True)
class SearchPlan:
    """A parsed query, ready for a backend: what to rank, what to filter, which page."""

    query: Node | None  # the ranked part; None: every passage the filters let through (needs filters)
    filters: tuple[Node, ...] = ()  # Field (symbol, ref, type, speaker) and DateRange nodes, ANDed
    sort: str = "relevance"  # one of SORTS
    page: int = 1  # 1-based
    per_page: int = 10
    mark_symbols: tuple[str, ...] = ()  # symbols from symbol:/ref: filters, marked in the hits too


@dataclass(frozen=True)
class EngineResults:
    """One page of ranked passages and what the whole result set looks like."""

    total: int  # passages matching, all pages
    hits: tuple[Hit, ...]  # this page, best first (or by date for the date sorts)
    facets: dict[str, dict[str, int]]  # "type", "year", "speaker" -> value -> passages, over all matches
    expansions: dict[str, list[str]] = field(default_factory=dict)  # typed form -> forms also searched
    unmatched: tuple[str, ...] = ()  # typed words or symbols that match nothing in the index
    warnings: tuple[str, ...] = ()  # e.g. a search node down: these results lack its shard
    partial: bool = False  # the query ran out of time: hits, total and facets cover part of the matches


@dataclass(frozen=True)
class Occurrence:
    """One matching passage as a concordance needs it: where it stands and how often it is marked."""

    passage_id: str
    doc_id: str
    ordinal: int
    date: str  # the document's date, else the passage's earliest; "" for none
    doc_type: str
    count: int  # the non-empty spans search() would mark in its Hit (0: it matched only elsewhere)


@dataclass(frozen=True)
class Occurrences:
    """Every passage a plan matches, in date order (undated last, then doc_id, ordinal)."""

    passages: tuple[Occurrence, ...]
    warnings: tuple[str, ...] = ()
    partial: bool = False


@dataclass(frozen=True)
class LineOrder:
    """Every line of a plan (one per non-empty span its Hit would carry) in a context order: line i
    is span nth[i] (among its passage's non-empty spans, in text order, from 0) of passages[which[i]]."""

    passages: tuple[str, ...]  # passage ids, each once
    which: tuple[int, ...]
    nth: tuple[int, ...]
    warnings: tuple[str, ...] = ()
    partial: bool = False

    @classmethod
    def of(cls, lines: Sequence[tuple[str, int]], warnings: tuple[str, ...] = (), partial: bool = False) -> LineOrder:
        """From (passage_id, nth) per line, in order."""
        index: dict[str, int] = {}
        which = tuple(index.setdefault(pid, len(index)) for pid, _ in lines)
        return cls(tuple(index), which, tuple(n for _, n in lines), warnings, partial)

    def lines(self, start: int = 0, stop: int | None = None) -> list[tuple[str, int]]:
        """(passage_id, nth) of lines start:stop."""
        return [(self.passages[w], n) for w, n in zip(self.which[start:stop], self.nth[start:stop], strict=True)]


def occurrence_of(hit: Hit) -> Occurrence:
    """What search() says of one passage, as an Occurrence (a backend without a faster way, tests)."""
    tail = hit.passage_id.rsplit("-p", 1)[-1]
    return Occurrence(hit.passage_id, hit.doc_id, int(tail) if tail.isdigit() else 0,
                      hit.doc_date or (min(hit.dates) if hit.dates else ""), hit.doc_type,
                      sum(1 for s in hit.spans if s.end > s.start))


def date_order(found: Occurrences | tuple[Occurrence, ...]) -> tuple[Occurrence, ...]:
    """Occurrences sorted as Occurrences.passages promises."""
    rows = found.passages if isinstance(found, Occurrences) else found
    return tuple(sorted(rows, key=lambda o: (o.date == "", o.date, o.doc_id, o.ordinal)))


@runtime_checkable
class Backend(Protocol):
    """An index of Documents' passages that answers SearchPlans. Thread-safe: one instance serves
    every request of a server; it follows the index when a build publishes a new generation."""

    def build(self, corpus_dir: Path, *, full: bool = False, progress: bool = False,
              workers: int | None = None) -> BuildReport:
        """Bring the index in line with the corpus folder: read new and changed files (every file
        with `full`), drop the passages of deleted ones, and publish the result atomically — a
        search during the build sees the old index whole, never a mix. Files that cannot be read are
        listed in the report with a reason; the others are indexed. BuildLockedError while another
        build of the same index runs."""
        ...

    def search(self, plan: SearchPlan) -> EngineResults:
        """Passages matching plan.query (every word: as a jieba word or an exact substring of the
        normalised text, plus abbreviation expansions at a lower weight) that pass every filter.
        Relevance: BM25F-like, the document a symbol query names first. "date"/"-date": by the
        passage's date, then doc_id, then ordinal. total and facets cover every match, not the page.
        A word matching nothing is dropped from its AND and listed in `unmatched`. A distributed
        backend with a node down answers from the other shards and says so in `warnings` (never an
        error while one node answers). IndexMissingError when no index was built."""
        ...

    def occurrences(self, plan: SearchPlan) -> Occurrences:
        """Every passage search(plan) matches (its sort and page ignored), each with the number of
        non-empty spans its Hit would carry, in date order — without building Hits, so that a
        concordance of thousands of lines counts them all and reads the text of one page only."""
        ...

    def hits_for(self, plan: SearchPlan, passage_ids: Sequence[str]) -> list[Hit]:
        """The Hits search(plan) gives these passages (text, metadata, the query's spans; neither
        score nor fragments are computed: 0 and ()), in the order asked; ids the plan does not
        match are left out. A concordance reads the passages of its page, or all for a context sort."""
        ...

    def context_order(self, plan: SearchPlan, side: str, width: int) -> LineOrder:
        """Every line of the passages occurrences(plan) lists, sorted by context: each line's key is
        engine/contexts.py line_keys (its match and the `width` characters either side, in the
        compacted normalised text of its passage, the left one read backwards); "left" orders by
        (before, match, after), "right" by (match, after, before); equal keys by doc_id, ordinal,
        then place in the passage. A concordance sorted by context reads the text of one page only."""
        ...

    def document(self, doc_id: str) -> Document:
        """The document with every passage in reading order. NotFoundError for an unknown id."""
        ...

    def passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        """The passages with these ids, in the order asked; unknown ids are left out."""
        ...

    def citing(self, doc_id: str, limit: int = 50) -> list[Hit]:
        """Passages of other documents whose references cite one of this document's symbols,
        newest first, with the cited symbol marked. NotFoundError for an unknown id."""
        ...

    def symbol_map(self) -> dict[str, str]:
        """Normalised symbol -> doc_id of every document in the index that carries it."""
        ...

    def document_ids(self) -> list[str]:
        """Every document in the index, sorted."""
        ...

    def marks(self, text: str, query: Node | None) -> tuple[Span, ...]:
        """Where the query's terms (with the expansions this index knows) occur in `text`: the
        document page marks every passage and footnote with the query of the hit it came from."""
        ...

    def pinned(self) -> AbstractContextManager[str]:
        """Within the block, every call this thread makes is answered from one state of the index,
        even if a build publishes a new one meanwhile (a page asks several questions); yields a name
        for that state. Other threads are not held up and see new states as usual."""
        ...

    def close(self) -> None:
        """Release open files; the backend may be used again afterwards (it reopens)."""
        ...
