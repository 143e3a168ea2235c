"""Plain dataclasses passed between the pipeline stages.

ingest: extract (readers) -> RawText (+ ReaderBlocks from PDF/DOCX/HTML) -> clean -> CleanText -> structure -> [Block] -> metadata -> Document
engine: Documents -> a generation on disk; SearchPlan -> ranked Hits with Spans (engine/backend.py)
search: SearchRequest -> SearchResults(hits); only webui/ and the terminal printer turn Spans into markup.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class NoteMark:
    """A footnote reference where a reader saw it: `offset` into its block's text, `note` indexes
    RawText.footnotes (markers such as "*" or "a" may repeat; the index does not)."""

    marker: str
    offset: int
    note: int | None = None  # None: a raised marker without a footnote text in the file


@dataclass(frozen=True)
class ReaderBlock:
    """One unit of text exactly as a layout-aware reader (PDF, DOCX, HTML) found it.

    kind: "heading" | "paragraph" | "table_row" (cells joined by " | ") | "list_item"
    | "furniture" (a line printed on the first page's header/footer: the masthead metadata reads).
    """

    kind: str
    text: str  # whitespace squashed; a list item's label is not in it
    level: int | None = None  # a heading's outline level (1 = top) when the source states one
    label: str | None = None  # a list item's number as shown ("5.", "(a)", "一.") or its bullet "•"
    notes: tuple[NoteMark, ...] = ()

    @property
    def shown(self) -> str:
        """The text as printed: the label, then the text (note offsets shift by the label)."""
        return f"{self.label} {self.text}" if self.label else self.text


@dataclass(frozen=True)
class RawText:
    """What a reader got out of a file, before any cleaning."""

    source: Path
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "gb18030", "pdf", "docx", "html"
    format: str  # "text", "pdf", "docx", "html"
    warnings: tuple[str, ...] = ()
    # Layout-aware readers (PDF/DOCX/HTML) hand over what they know: the blocks in reading order
    # (clean uses them instead of guessing the structure back from `text`, which is their
    # serialisation in the seeds' shape, see readers/blocks.py to_text), and the document-level parts.
    footnotes: tuple[tuple[str, str], ...] = ()  # (marker, text) from a real footnote part
    furniture: tuple[str, ...] = ()  # running heads/footers a layout-aware reader dropped ("S/2021/130", "21-01922 6/14")
    blocks: tuple[ReaderBlock, ...] = ()  # empty for plain text: clean's rules find the structure


@dataclass(frozen=True)
class FootnoteRef:
    """A footnote marker found in a paragraph, removed from its text at `offset`."""

    marker: str
    offset: int
    text: str = ""  # the footnote's text (markers such as "*" or "a" may repeat within a document)


@dataclass(frozen=True)
class Paragraph:
    """One logical paragraph of cleaned text (lines re-joined, furniture removed)."""

    text: str
    refs: tuple[FootnoteRef, ...] = ()
    kind: str = "text"  # "text" | "heading" | "table_row" | "bullet"
    added: tuple[str, ...] = ()  # text inserted for readability (table column labels), not from the source


@dataclass(frozen=True)
class CleanText:
    """The output of clean: paragraphs in reading order plus what was set aside."""

    paragraphs: tuple[Paragraph, ...]
    footnotes: dict[str, str] = field(default_factory=dict)  # marker -> footnote text
    links: tuple[str, ...] = ()  # the undocs.org link runs, as symbols or URLs
    furniture: tuple[str, ...] = ()  # removed page headers/footers/job numbers, for metadata


@dataclass(frozen=True)
class Footnote:
    marker: str
    text: str
    offset: int = -1  # where the marker stood in the passage text (-1: unknown)


@dataclass(frozen=True)
class Block:
    """A passage before metadata: the output of structure."""

    text: str
    paragraph: str | None  # the document's own number, "5" for "5. …"
    heading: str  # heading path joined with " › "
    span: tuple[int, int]  # character span in the cleaned document text
    footnotes: tuple[Footnote, ...] = ()
    kind: str = "text"
    added: tuple[str, ...] = ()  # text inserted for readability (table column labels), not from the source


@dataclass(frozen=True)
class Passage:
    passage_id: str  # f"{doc_id}-p{ordinal}"
    doc_id: str
    ordinal: int
    text: str
    paragraph: str | None
    heading: str
    span: tuple[int, int]
    footnotes: tuple[Footnote, ...] = ()
    dates: tuple[str, ...] = ()  # ISO, at their precision: "2020-12-04", "2020-12", "2020"
    speakers: tuple[str, ...] = ()
    references: tuple[str, ...] = ()  # normalised symbols cited
    kind: str = "text"
    charter: tuple[str, ...] = ()  # UN Charter chapters/articles cited: "VIII", "39", "2(7)" (language/charter.py)

    @property
    def anchor(self) -> str:
        return f"p{self.ordinal}"


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str  # path relative to the corpus root, for display only
    encoding: str
    symbols: tuple[str, ...]
    title: str
    doc_type: str  # Chinese canonical: 决议 主席声明 会议记录 信函 报告 说明 汇编 其他
    doc_date: str | None  # ISO date
    language: str = "zh"
    original_language: str | None = None
    job_number: str | None = None
    abbreviations: dict[str, str] = field(default_factory=dict)  # short -> full
    references: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    passages: tuple[Passage, ...] = ()
    text: str = ""  # the cleaned document text the passage spans point into

    def to_json(self) -> dict[str, Any]:
        """The `undocs inspect --json` shape."""
        return {**self.meta_json(), "passages": [passage_json(p) for p in self.passages]}

    def meta_json(self) -> dict[str, Any]:
        """Everything but the passages and the text, field by field (asdict deep-copied them all, once
        per document of a build, to throw them away)."""
        data: dict[str, Any] = {}
        for f in fields(self):
            if f.name not in ("passages", "text"):
                value = getattr(self, f.name)
                data[f.name] = list(value) if isinstance(value, tuple) else dict(value) if isinstance(value, dict) else value
        return data


def passage_json(passage: Passage) -> dict[str, Any]:
    data = asdict(passage)
    data["span"] = list(passage.span)
    data["footnotes"] = [asdict(f) for f in passage.footnotes]
    for key in ("dates", "speakers", "references", "charter"):
        data[key] = list(data[key])
    return data


@dataclass(frozen=True)
class Span:
    """Where a query part matched: offsets into a passage's text (or a footnote's)."""

    start: int
    end: int
    term: str  # the query part that matched (a word, a phrase, an expansion or a symbol), normalised


@dataclass(frozen=True)
class Hit:
    passage_id: str
    doc_id: str
    symbols: list[str]
    title: str
    doc_type: str
    doc_date: str | None
    dates: list[str]
    speakers: list[str]
    heading: str
    paragraph: str | None
    text: str
    spans: tuple[Span, ...]  # every match in `text`, in order, not overlapping
    fragments: tuple[tuple[int, int], ...]  # the windows of `text` to show (whole sentences around the spans)
    url: str
    score: float
    charter: list[str] = field(default_factory=list)  # Charter chapters/articles the passage cites

    def to_json(self) -> dict[str, Any]:
        """The hit's fields; spans as {start, end, term}, fragments as [start, end] (markup: webui/markup.py).

        Built field by field: dataclasses.asdict deep-copies recursively and cost more than the search."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("symbols", "dates", "speakers", "charter"):
            data[name] = list(data[name])
        data["spans"] = [{"start": s.start, "end": s.end, "term": s.term} for s in self.spans]
        data["fragments"] = [list(f) for f in self.fragments]
        return data


@dataclass(frozen=True)
class SearchRequest:
    """A query and its filters, as the CLI and the web UI both receive them."""

    q: str = ""
    doc_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    speaker: str | None = None
    symbol: str | None = None
    sort: str = "relevance"  # relevance | date | -date
    page: int = 1
    per_page: int = 10


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    page: int
    per_page: int
    expansions: dict[str, list[str]]
    facets: dict[str, dict[str, int]]
    hits: list[Hit]
    unmatched: list[str] = field(default_factory=list)  # typed words that match nothing
    took_ms: float = 0.0
    warnings: list[str] = field(default_factory=list)  # e.g. a search node down: results are partial
    partial: bool = False  # the search stopped at its time bound: some matches may be missing

    def to_json(self) -> dict[str, Any]:
        """The `undocs search --json` / `GET /api/search` shape."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "expansions": self.expansions,
            "facets": self.facets,
            "unmatched": self.unmatched,
            "warnings": self.warnings,
            "took_ms": round(self.took_ms, 1),
            "partial": self.partial,
            "hits": [h.to_json() for h in self.hits],
        }
