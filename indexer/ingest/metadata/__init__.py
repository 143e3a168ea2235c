"""Document and passage metadata: header + sidecar for the document; dates, speakers, references per passage.

blocks -> Passages.  The sidecar (NAME.meta.toml) wins over what the header tells; see indexer/sidecar.py.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import fields

from indexer.ingest.metadata.abbreviations import find_abbreviations
from indexer.ingest.metadata.bodyhead import repertoire_title
from indexer.ingest.metadata.charter import charter_tags
from indexer.ingest.metadata.header import read_header
from indexer.ingest.metadata.sidecar import load_sidecar
from indexer.ingest.metadata.speakers import PROCEDURE_RE, STAGE_RE, passage_speakers, speaker_turns
from indexer.ingest.metadata.summary_turns import summary_speakers
from indexer.language.dates import context_year, event_dates
from indexer.language.doctypes import infer_doc_type
from indexer.language.normalize import to_simplified
from indexer.language.symbols import find_symbols, symbol_from_url
from indexer.models import Block, CleanText, Document, Passage, RawText

log = logging.getLogger(__name__)

VERBATIM = "会议记录"
SUMMARY = "简要记录"
REPERTOIRE = "汇编"


def period_from_title(title: str) -> tuple[int, ...]:
    """The years a Repertoire names in its title: "安全理事会惯例汇编（2020年）" -> (2020,)."""
    m = re.search(r"[（(]\s*((?:19|20)\d{2})\s*(?:[-–—至]\s*((?:19|20)\d{2}))?\s*年?\s*[)）]", title)
    if not m:
        return ()
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    return tuple(range(first, last + 1)) if 0 <= last - first <= 10 else ()


def default_year(period: tuple[int, ...], doc_date: str | None) -> int | None:
    """The year for a day without one ("12 月 4 日"): the single year covered, else the document's year."""
    doc_year = int(doc_date[:4]) if doc_date else None
    if len(period) == 1:
        return period[0]
    if period:
        return doc_year if doc_year in period else None
    return doc_year


def block_references(block: Block, own: Iterable[str]) -> tuple[str, ...]:
    """Symbols cited in the passage text and its footnotes, without the document's own."""
    own = set(own)
    texts = [block.text, *(f.text for f in block.footnotes)]
    found = (s for text in texts for _, _, s in find_symbols(text))
    return tuple(s for s in dict.fromkeys(found) if s not in own)


def link_symbols(links: Iterable[str]) -> list[str]:
    """The symbols of the undocs.org link runs (entries may be URLs or bare symbols)."""
    found: list[str] = []
    for link in links:
        symbol = symbol_from_url(link) if "://" in link else None
        found.extend([symbol] if symbol else [s for _, _, s in find_symbols(link)])
    return found


def _turn_speakers(text: str, turn: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """A verbatim passage's speakers: the turn going on (unless a new one opens it) plus turns begun in it."""
    if PROCEDURE_RE.match(text):
        return (), []
    if STAGE_RE.match(text):
        return (), turn  # a stage direction ("…在陪同下进入大会堂。") is nobody's speech and ends no turn
    turns = speaker_turns(text)
    names = ([] if turns and turns[0][0] == 0 else turn) + [n for _, names in turns for n in names]
    return tuple(dict.fromkeys(names)), (turns[-1][1] if turns else turn)


_PASSAGE_FIELDS = {f.name for f in fields(Passage)}
_SET_HERE = {"text", "paragraph", "heading", "span", "footnotes", "kind", "dates", "speakers", "references",
             "charter"}


def _carried(block: Block) -> dict[str, object]:
    """Block fields that Passage also has but describe() does not set (e.g. `added`, if models grow it)."""
    return {f.name: getattr(block, f.name) for f in fields(Block) if f.name in _PASSAGE_FIELDS - _SET_HERE}


def _passages(blocks: list[Block], doc_id: str, symbols: tuple[str, ...], doc_type: str,
              period: tuple[int, ...], year: int | None, warnings: list[str]) -> tuple[Passage, ...]:
    """Each block with its dates, speakers and references; date problems are appended to `warnings`."""
    passages: list[Passage] = []
    turn: list[str] = []
    context: int | None = None  # without a period, a day without a year takes the last year the text named
    for i, block in enumerate(blocks):
        passage_id = f"{doc_id}-p{i}"
        dates, problems = event_dates(block.text, year if period else context or year)
        context = context_year(block.text) or context
        warnings.extend(f"passage {passage_id}: {problem}; skipped" for problem in problems)
        if doc_type == VERBATIM:  # turns read in simplified characters: "主席(以英語發言)：" too
            speakers, turn = _turn_speakers(to_simplified(block.text), turn)
        elif doc_type == SUMMARY:
            speakers, turn = summary_speakers(to_simplified(block.text), block.kind, turn)
        else:
            speakers = tuple(passage_speakers(block.text))
        passages.append(Passage(
            passage_id=passage_id, doc_id=doc_id, ordinal=i, text=block.text, paragraph=block.paragraph,
            heading=block.heading, span=block.span, footnotes=block.footnotes, dates=tuple(dates),
            speakers=speakers, references=block_references(block, symbols), kind=block.kind,
            charter=charter_tags([block.text, *(f.text for f in block.footnotes)]),
            **_carried(block),
        ))
    return tuple(passages)


def _overrides(side: dict, told: dict) -> list[str]:
    """Warnings where the sidecar replaces a different value the document itself tells."""
    return [
        f"sidecar sets {key} to {_show(side[key])} (the text says {_show(value)})"
        for key, value in told.items()
        if key in side and value and side[key] != value
    ]


def _show(value: object) -> str:
    return " ".join(value) if isinstance(value, tuple) else str(value)


def describe(raw: RawText, clean_text: CleanText, blocks: list[Block], doc_text: str, doc_id: str, source: str) -> Document:
    """Attach document metadata (header, sidecar) and per-passage metadata to the blocks."""
    header = read_header(raw.text, (*raw.furniture, *clean_text.furniture))
    side = load_sidecar(raw.source)
    symbols = side.get("symbols", header.symbols)
    title = side.get("title", header.title)
    doc_type = side.get("doc_type") or infer_doc_type(symbols, title, list(header.head_lines))
    if doc_type == REPERTOIRE and "title" not in side:
        title = repertoire_title(list(header.head_lines)) or title
    doc_date = side.get("doc_date", header.doc_date)
    warnings = list(raw.warnings)
    warnings += _overrides(side, {"symbols": header.symbols, "doc_date": header.doc_date,
                                  "original_language": header.original_language, "job_number": header.job_number})
    period = side.get("period") or (period_from_title(title) if doc_type == REPERTOIRE else ())
    passages = _passages(blocks, doc_id, symbols, doc_type, period, default_year(period, doc_date), warnings)
    references = [r for p in passages for r in p.references]
    references += [s for s in link_symbols(clean_text.links) if s not in symbols]
    all_text = "\n".join([b.text for b in blocks] + [f.text for b in blocks for f in b.footnotes])
    log.debug("%s: %s %s %s, %d passages", doc_id, doc_type, symbols, doc_date, len(passages))
    return Document(
        doc_id=doc_id, source=source, encoding=raw.encoding, symbols=tuple(symbols), title=title,
        doc_type=doc_type, doc_date=doc_date, language=side.get("language") or "zh",
        original_language=side.get("original_language", header.original_language),
        job_number=side.get("job_number", header.job_number),
        abbreviations=find_abbreviations(all_text), references=tuple(dict.fromkeys(references)),
        warnings=tuple(warnings), passages=passages, text=doc_text,
    )
