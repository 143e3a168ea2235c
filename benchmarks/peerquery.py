"""One undocs query (string + filters) as the peers read it: jieba tokens in AND/OR/NOT groups.

What an engineer would write in front of a word index fed with jieba tokens: the query is cut
into whitespace-separated parts (a quoted part is one), `OR` joins its neighbours, `NOT` negates the
next part, and each part is cut by jieba into tokens, searched as a phrase when there are several.
Filters map onto fields: document type and speaker by exact value, a symbol filter by prefix, a
year range on the date. There is no expansion (aliases, traditional forms, symbol variants) and no
substring recall: a word jieba cuts differently in the text and in the query is not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PART_RE = re.compile(r'"[^"]*"|\S+')
WORD_CHAR_RE = re.compile(r"\w")

Phrase = tuple[str, ...]  # one token = a term


@dataclass(frozen=True)
class Filters:
    """Field restrictions; dates are YYYYMMDD integers (00 for an unknown month or day)."""

    doc_type: str | None = None
    speaker: str | None = None
    symbol_prefix: str | None = None
    date_from: int | None = None
    date_to: int | None = None


@dataclass(frozen=True)
class PeerQuery:
    """must: groups of which each must match one phrase; must_not: phrases that must not match."""

    must: tuple[tuple[Phrase, ...], ...]
    must_not: tuple[Phrase, ...]
    filters: Filters
    sort: str  # relevance | date | -date

    @property
    def match_all(self) -> bool:
        return not self.must


def translate(q: str, params: dict[str, str]) -> PeerQuery:
    """The peer query of an undocs query string and its SearchRequest parameters."""
    must: list[list[Phrase]] = []
    must_not: list[Phrase] = []
    join = negate = False
    for part in PART_RE.findall(q.strip()):
        if part in ("OR", "NOT"):
            join, negate = part == "OR", part == "NOT"
            continue
        phrase = tokens(part.strip('"'))
        if not phrase or part == "*":
            continue
        if negate:
            must_not.append(phrase)
        elif join and must:
            must[-1].append(phrase)
        else:
            must.append([phrase])
        join = negate = False
    return PeerQuery(tuple(map(tuple, must)), tuple(must_not), filters(params), params.get("sort", "relevance"))


def tokens(text: str) -> Phrase:
    """jieba's tokens of a query part, lowercased, as the index holds them (punctuation dropped)."""
    import jieba

    jieba.setLogLevel(60)
    return tuple(t.lower() for t in jieba.cut(text) if WORD_CHAR_RE.search(t))


def filters(params: dict[str, str]) -> Filters:
    """SearchRequest filter parameters as field restrictions."""
    start, end = params.get("date_from"), params.get("date_to")
    return Filters(
        doc_type=params.get("doc_type"), speaker=params.get("speaker"), symbol_prefix=params.get("symbol"),
        date_from=date_key(start) if start else None,
        date_to=date_key(end, last=True) if end else None)


def date_key(iso: str | None, last: bool = False) -> int | None:
    """"2020-12-04" -> 20201204, "2020-12" -> 20201200 (…99 as an upper bound), None stays None."""
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")[:3]]
    fill = 99 if last else 0
    while len(parts) < 3:
        parts.append(fill)
    return parts[0] * 10_000 + parts[1] * 100 + parts[2]
