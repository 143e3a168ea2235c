"""Passage text + what the query matched -> Spans (offsets, the query part) and fragment windows.

Spans come from searching the normalised needles in the normalised passage text, mapped back to
the original through the offset map of normalize.normalize_with_offsets, so marks never drift.
Fragments are whole sentences (cut at 。！？；), merged where they touch. Nothing here makes markup:
webui/ and the terminal printer turn spans into <mark> or reverse video.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from indexer.language.normalize import compact, normalize, normalize_with_offsets
from indexer.language.symbols import find_symbols
from indexer.models import Span

SENTENCE_RE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』)）]*|\n|$)")
_REF_BEFORE_RE = re.compile(r"第\s*$")
_REF_AFTER_RE = re.compile(r"\s*号决议")
MAX_FRAGMENTS = 3
LEAD_CHARS = 160  # shown when nothing in the passage text matched (a filter-only query)


Needle = str | tuple[str, tuple[str, ...]]  # a string, or (whole word, its parts)


def find_spans(text: str, needles: Sequence[Needle], symbols: Sequence[str] = ()) -> tuple[Span, ...]:
    """Merged spans of `text` where a needle or a symbol (or its prefix) occurs, each with its term.

    A needle (whole, parts) marks the parts only where the whole word does not occur, so a word
    found as typed is not also sprinkled with marks on its pieces elsewhere.
    """
    norm, starts, ends = normalize_with_offsets(text)
    comp, keep = compact(norm)
    spans: list[Span] = []
    for needle in needles:
        whole, parts = (needle, ()) if isinstance(needle, str) else needle
        found = [(a, b, whole) for a, b in _occurrences(comp, whole)]
        if not found:
            found = [(a, b, part) for part in parts for a, b in _occurrences(comp, part)]
        spans += [Span(starts[keep[a]], ends[keep[b - 1]], term) for a, b, term in found]
    for start, end, symbol in find_symbols(text) if symbols else ():
        for wanted in symbols:
            if symbol == wanted or (symbol.startswith(wanted) and not symbol[len(wanted)].isalnum()):
                spans.append(Span(*_whole_reference(text, start, end), wanted))
                break
    return merge(spans)


def _whole_reference(text: str, start: int, end: int) -> tuple[int, int]:
    """"第 2532(2020)号决议" marked whole, not only its "2532(2020)"."""
    before = _REF_BEFORE_RE.search(text, max(0, start - 4), start)
    after = _REF_AFTER_RE.match(text, end)
    return (before.start() if before else start, after.end() if after else end)


def _occurrences(comp: str, needle: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of the needle's comparison form in the compacted text."""
    needle = _comparison_form(needle)
    found: list[tuple[int, int]] = []
    if not needle:
        return found
    at = comp.find(needle)
    while at >= 0:
        end = at + len(needle)
        if _word_bounded(comp, at, end):
            found.append((at, end))
        at = comp.find(needle, at + 1)
    return found


@lru_cache(maxsize=1024)
def _comparison_form(needle: str) -> str:
    """A needle as the compacted text holds it (the same few needles come for every hit of a query)."""
    return compact(normalize(needle))[0].strip()


def _word_bounded(comp: str, start: int, end: int) -> bool:
    """A Latin/number needle must not start or end inside a longer Latin word or number."""
    before = comp[start - 1] if start else " "
    after = comp[end] if end < len(comp) else " "
    first, last = comp[start], comp[end - 1]
    return not (
        (first.isascii() and first.isalnum() and before.isascii() and before.isalnum())
        or (last.isascii() and last.isalnum() and after.isascii() and after.isalnum())
    )


def merge(spans: Sequence[Span]) -> tuple[Span, ...]:
    """Overlapping or touching spans become one; its term names each query part once."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda x: (x.start, x.end)):
        if out and span.start <= out[-1].end:
            last = out[-1]
            term = last.term if span.term in last.term.split(" ") else f"{last.term} {span.term}"
            out[-1] = Span(last.start, max(last.end, span.end), term)
        else:
            out.append(span)
    return tuple(out)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, ending after 。！？； (and a closing quote)."""
    return [(m.start(), m.end()) for m in SENTENCE_RE.finditer(text) if m.end() > m.start()]


def fragment_windows(text: str, spans: Sequence[Span], limit: int = MAX_FRAGMENTS) -> tuple[tuple[int, int], ...]:
    """The sentences holding spans, merged where they touch (at most `limit`); the lead if none."""
    if not spans:
        cut = sentences(text)[0][1] if text else 0
        if cut > LEAD_CHARS * 2:  # one very long sentence: stop at a comma, not mid-word
            comma = max(text.rfind(c, 0, LEAD_CHARS) for c in "，、,：")
            cut = comma + 1 if comma > 0 else LEAD_CHARS
        return ((0, cut),)
    chosen: list[tuple[int, int]] = []
    for start, end in sentences(text):
        if any(s.start < end and start < s.end for s in spans):
            if chosen and chosen[-1][1] >= start:
                chosen[-1] = (chosen[-1][0], end)
            else:
                chosen.append((start, end))
    return tuple(_strip(text, start, end) for start, end in chosen[:limit])


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """The window without the whitespace at its ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def pieces(text: str, spans: Iterable[Span], start: int = 0, end: int | None = None) -> Iterator[tuple[str, bool]]:
    """text[start:end] cut at the spans' edges: (piece, inside a span), for whoever makes markup."""
    end = len(text) if end is None else end
    pos = start
    for span in spans:
        s, e = max(span.start, start), min(span.end, end)
        if s < e:
            if s > pos:
                yield text[pos:s], False
            yield text[s:e], True
            pos = e
    if end > pos:
        yield text[pos:end], False
