"""Concordance (KWIC): every occurrence of a query's match, its left and right context aligned on it.

Engine-neutral: the search layer's plan (the normal query language and filters) goes to any
Backend, which lists every matching passage with its number of marks (Backend.occurrences); the
counts place each page, and only the passages of the page are read (Backend.hits_for) and their
lines cut at the Spans. A sort by left or right context asks the backend for the order of every line
(Backend.context_order: keys in the compacted normalised text, engine/contexts.py) and reads the
passages of the page only. Each line names its document, paragraph and date; the counts per year and per type
(occurrences and documents) are the "use over time" the web page charts.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import time
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import Any

from indexer.engine.backend import LineOrder, Occurrence, SearchPlan
from indexer.engine.querytree import Not
from indexer.errors import QueryError
from indexer.models import Hit, SearchRequest, Span

SORTS = ("date", "doc", "left", "right")
DEFAULT_WIDTH = 30
MIN_WIDTH, MAX_WIDTH = 5, 200
MAX_PASSAGES = 100_000  # one engine page this large: every passage of any realistic result set
CACHE_SIZE = 8  # concordances kept: paging and re-sorting one does not ask the engine again
CACHE_LINES = 200_000  # and no more lines than this in all (about 100 MB)
CACHE_SECONDS = 120.0  # and for this long at most (a new build is never served from them: kept per index state)
_SPACES_RE = re.compile(r"\s{2,}|[^\S ]")


@dataclass(frozen=True)
class KwicLine:
    """One occurrence: the match and what stands either side of it in the passage."""

    left: str
    match: str
    right: str
    doc_id: str
    symbols: tuple[str, ...]
    paragraph: str | None
    date: str | None
    url: str
    doc_type: str
    passage_id: str
    start: int  # offset of the match in the passage text

    def to_json(self) -> dict[str, Any]:
        """The `lines` entries of GET /api/kwic and `undocs kwic --json`."""
        return {"left": self.left, "match": self.match, "right": self.right, "doc_id": self.doc_id,
                "symbols": list(self.symbols), "paragraph": self.paragraph, "date": self.date, "url": self.url,
                "doc_type": self.doc_type, "passage_id": self.passage_id}


@dataclass(frozen=True)
class Usage:
    """Occurrences and documents per year and per type: how a phrasing is used over time."""

    by_year: dict[str, int] = field(default_factory=dict)  # occurrences
    docs_by_year: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)
    docs_by_type: dict[str, int] = field(default_factory=dict)
    undated: int = 0  # occurrences in passages without any date


@dataclass(frozen=True)
class Concordance:
    query: str
    total: int  # lines (occurrences), all pages
    passages: int  # passages the query matched (some match only in a footnote: no line)
    documents: int
    lines: tuple[KwicLine, ...]  # this page
    usage: Usage
    page: int = 1
    per_page: int = 100
    sort: str = "date"
    width: int = DEFAULT_WIDTH
    took_ms: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The GET /api/kwic shape."""
        return {
            "query": self.query, "total": self.total, "passages": self.passages, "documents": self.documents,
            "page": self.page, "per_page": self.per_page, "sort": self.sort, "width": self.width,
            "lines": [line.to_json() for line in self.lines],
            "by_year": self.usage.by_year, "docs_by_year": self.usage.docs_by_year,
            "by_type": self.usage.by_type, "docs_by_type": self.usage.docs_by_type,
            "undated": self.usage.undated, "took_ms": round(self.took_ms, 1),
        }


def check_options(sort: str, width: int) -> None:
    """QueryError for a sort or width the concordance does not know."""
    if sort not in SORTS:
        raise QueryError(f"未知的排序 {sort} / unknown sort {sort!r} (use {', '.join(SORTS)})")
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise QueryError(f"上下文宽度须在 {MIN_WIDTH}–{MAX_WIDTH} 个字之间 / width must be {MIN_WIDTH}–{MAX_WIDTH} "
                         f"characters (got {width})")


def plan_for(service: Any, request: SearchRequest) -> SearchPlan:
    """The request's plan, one engine page holding every match; QueryError without anything to line up."""
    # relevance: the cheapest order for an engine to produce (a sorted collection cost the embedded
    # backend a third of the time); the lines are put in date order here
    plan: SearchPlan = service.plan(replace(request, sort="relevance", page=1, per_page=1))
    if plan.query is None and not plan.mark_symbols:  # ref:/symbol: alone line up the symbol itself
        raise QueryError("索引行需要检索词、短语或文号，不能只有筛选条件 / a concordance needs a word, phrase or symbol "
                         "to line up, not only filters")
    if isinstance(plan.query, Not):
        raise QueryError("索引行需要要对齐的词：只有 NOT / - 的检索式没有可对齐的匹配 / a concordance needs something to "
                         "line up: a query of only NOT / - terms matches no words")
    return replace(plan, page=1, per_page=MAX_PASSAGES)


def one_line(text: str) -> str:
    """Context on one line: newlines and runs of spaces become one space."""
    return _SPACES_RE.sub(" ", text)


def hit_lines(hit: Hit, width: int) -> list[KwicLine]:
    """One line per span of the hit's text."""
    date = hit.doc_date or (min(hit.dates) if hit.dates else None)
    text = hit.text
    return [
        KwicLine(left=one_line(text[max(0, s.start - width) : s.start]), match=one_line(text[s.start : s.end]),
                 right=one_line(text[s.end : s.end + width]), doc_id=hit.doc_id, symbols=tuple(hit.symbols),
                 paragraph=hit.paragraph, date=date, url=hit.url, doc_type=hit.doc_type,
                 passage_id=hit.passage_id, start=s.start)
        for s in _spans(hit.spans)
    ]


def _spans(spans: Iterable[Span]) -> list[Span]:
    return [s for s in spans if s.end > s.start]


def _ordinal(line: KwicLine) -> int:
    tail = line.passage_id.rsplit("-p", 1)[-1]
    return int(tail) if tail.isdigit() else 0


SORT_KEYS: dict[str, Callable[[KwicLine], Any]] = {
    "date": lambda ln: (ln.date or "9999", ln.doc_id, _ordinal(ln), ln.start),
    "doc": lambda ln: (ln.doc_id, _ordinal(ln), ln.start),
}  # the context sorts ("left", "right") are the backend's: Backend.context_order


def usage(found: Iterable[Occurrence]) -> Usage:
    """Occurrences and distinct documents per year (of the passage's date) and per document type."""
    years: Counter[str] = Counter()
    types: Counter[str] = Counter()
    year_docs: dict[str, set[str]] = defaultdict(set)
    type_docs: dict[str, set[str]] = defaultdict(set)
    undated = 0
    for o in found:
        if not o.count:
            continue
        types[o.doc_type] += o.count
        type_docs[o.doc_type].add(o.doc_id)
        if o.date:
            years[o.date[:4]] += o.count
            year_docs[o.date[:4]].add(o.doc_id)
        else:
            undated += o.count
    return Usage(
        by_year=dict(sorted(years.items())), docs_by_year={y: len(year_docs[y]) for y in sorted(year_docs)},
        by_type=dict(types.most_common()), docs_by_type={t: len(type_docs[t]) for t, _ in types.most_common()},
        undated=undated,
    )


@dataclass
class _Found:
    """Every matching passage of one plan with its line count (date order), the passage orders and
    line ends per passage-level sort asked for so far, and the line orders of the context sorts."""

    plan: SearchPlan
    passages: tuple[Occurrence, ...]
    total: int
    documents: int
    usage: Usage
    made: float
    orders: dict[str, tuple[tuple[Occurrence, ...], list[int]]] = field(default_factory=dict)
    contexts: dict[tuple[str, int], LineOrder] = field(default_factory=dict)  # (sort, width) -> every line

    def order(self, sort: str) -> tuple[tuple[Occurrence, ...], list[int]]:
        """The passages in a passage-level sort ("date", "doc") and the running count of their lines."""
        if sort not in self.orders:
            rows = self.passages if sort == "date" else tuple(sorted(self.passages, key=lambda o: (o.doc_id, o.ordinal)))
            self.orders[sort] = (rows, list(accumulate(o.count for o in rows)))
        return self.orders[sort]

    def size(self) -> int:
        return len(self.passages) + sum(len(o.nth) for o in self.contexts.values())


class Concordancer:
    """Concordances over one SearchService, the recent ones kept so that pages and sorts are cheap;
    kept per state of the index (Backend.pinned), so a new build is never answered from old lines."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self._cache: dict[tuple[str, SearchPlan], _Found] = {}
        self._lock = threading.Lock()

    def concordance(self, request: SearchRequest, *, width: int = DEFAULT_WIDTH, sort: str = "date") -> Concordance:
        """The request's page of lines (request.page / per_page), sorted, with the usage of every line."""
        check_options(sort, width)
        started = time.perf_counter()
        plan = plan_for(self.service, request)
        per_page = max(1, request.per_page)
        page = max(1, request.page)
        start, stop = (page - 1) * per_page, page * per_page
        with self.service.backend.pinned() as state:
            found = self._found(state, plan)
            lines = self._page(found, sort, width, start, stop) if sort in ("date", "doc") else (
                self._context_page(found, sort, width, start, stop))
        return Concordance(
            query=request.q, total=found.total, passages=len(found.passages), documents=found.documents,
            lines=tuple(lines), usage=found.usage, page=page, per_page=per_page, sort=sort, width=width,
            took_ms=(time.perf_counter() - started) * 1000,
        )

    def usage(self, request: SearchRequest) -> Usage:
        """Only the usage over time of a query (the second, overlaid query of the page)."""
        plan = plan_for(self.service, request)
        with self.service.backend.pinned() as state:
            return self._found(state, plan).usage

    def _found(self, state: str, plan: SearchPlan) -> _Found:
        """The plan's passages in this state of the index (the caller holds it pinned)."""
        with self._lock:
            cached = self._cache.get((state, plan))
            if cached is not None and time.monotonic() - cached.made < CACHE_SECONDS:
                return cached
        passages = self.service.backend.occurrences(plan).passages
        made = _Found(plan, passages, sum(o.count for o in passages), len({o.doc_id for o in passages}),
                      usage(passages), time.monotonic())
        with self._lock:
            for key in [k for k in self._cache if k[0] != state]:  # another generation's lines: never again
                del self._cache[key]
            while self._cache and (len(self._cache) >= CACHE_SIZE
                                   or sum(c.size() for c in self._cache.values()) + made.size() > CACHE_LINES):
                self._cache.pop(min(self._cache, key=lambda k: self._cache[k].made))
            self._cache[(state, plan)] = made
        return made

    def _page(self, found: _Found, sort: str, width: int, start: int, stop: int) -> list[KwicLine]:
        """Lines start:stop of a passage-level sort: only the passages holding them are read."""
        rows, ends = found.order(sort)
        first = bisect_right(ends, start)
        last = min(bisect_left(ends, stop), len(rows) - 1)
        if first >= len(rows) or stop <= start:
            return []
        wanted = rows[first : last + 1]
        hits = self.service.backend.hits_for(found.plan, [o.passage_id for o in wanted if o.count])
        lines = sorted((line for hit in hits for line in hit_lines(hit, width)), key=SORT_KEYS[sort])
        skip = start - (ends[first] - rows[first].count)
        return lines[skip : skip + stop - start]

    def _context_page(self, found: _Found, sort: str, width: int, start: int, stop: int) -> list[KwicLine]:
        """Lines start:stop of a context sort: the backend orders every line by its key
        (Backend.context_order, kept per width); only the passages of the page are read."""
        key = (sort, width)
        if key not in found.contexts:
            found.contexts[key] = self.service.backend.context_order(found.plan, sort, width)
        order = found.contexts[key]
        wanted = order.lines(start, stop)
        hits = self.service.backend.hits_for(found.plan, list(dict.fromkeys(pid for pid, _ in wanted)))
        lines = {hit.passage_id: hit_lines(hit, width) for hit in hits}
        return [lines[pid][n] for pid, n in wanted if pid in lines and n < len(lines[pid])]


def concordance(service: Any, request: SearchRequest, *, width: int = DEFAULT_WIDTH, sort: str = "date") -> Concordance:
    """One concordance with nothing kept (the CLI)."""
    return Concordancer(service).concordance(request, width=width, sort=sort)


CSV_COLUMNS = ("doc_id", "symbols", "paragraph", "date", "doc_type", "left", "match", "right", "url")


def csv_text(found: Concordance, base_url: str = "") -> str:
    """UTF-8 CSV with a BOM (Excel reads it as UTF-8), a header and one row per occurrence."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in found.lines:
        writer.writerow([line.doc_id, " ".join(line.symbols), line.paragraph or "", line.date or "", line.doc_type,
                         line.left, line.match, line.right, base_url + line.url])
    return "\ufeff" + out.getvalue()
