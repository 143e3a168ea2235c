"""Passage text + what the query matched -> escaped HTML with <mark>, whole or as fragments.

Spans come from searching the normalised needles in the normalised passage text, mapped back to
the original through the offset map of analysis.normalize_with_offsets, so marks never drift.
Fragments are whole sentences (cut at 。！？；), merged where they touch.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from indexer.language.normalize import compact, normalize, normalize_with_offsets
from indexer.language.symbols import find_symbols

SENTENCE_RE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』)）]*|\n|$)")
_REF_BEFORE_RE = re.compile(r"第\s*$")
_REF_AFTER_RE = re.compile(r"\s*号决议")
MAX_FRAGMENTS = 3
LEAD_CHARS = 160  # shown when nothing in the passage text matched (a filter-only query)


Needle = str | tuple[str, tuple[str, ...]]  # a string, or (whole word, its parts)


def find_spans(text: str, needles: Sequence[Needle], symbols: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Merged (start, end) spans of `text` where a needle or a symbol (or its prefix) occurs.

    A needle (whole, parts) marks the parts only where the whole word does not occur, so a word
    found as typed is not also sprinkled with marks on its pieces elsewhere.
    """
    norm, starts, ends = normalize_with_offsets(text)
    comp, keep = compact(norm)
    spans: list[tuple[int, int]] = []
    for needle in needles:
        whole, parts = (needle, ()) if isinstance(needle, str) else needle
        found = _occurrences(comp, whole)
        if not found:
            found = [span for part in parts for span in _occurrences(comp, part)]
        spans += [(starts[keep[a]], ends[keep[b - 1]]) for a, b in found]
    if symbols:
        for start, end, symbol in find_symbols(text):
            if any(symbol == s or (symbol.startswith(s) and not symbol[len(s)].isalnum()) for s in symbols):
                spans.append(_whole_reference(text, start, end))
    return merge(spans)


def _whole_reference(text: str, start: int, end: int) -> tuple[int, int]:
    """"第 2532(2020)号决议" marked whole, not only its "2532(2020)"."""
    before = _REF_BEFORE_RE.search(text, max(0, start - 4), start)
    after = _REF_AFTER_RE.match(text, end)
    return (before.start() if before else start, after.end() if after else end)


def _occurrences(comp: str, needle: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of the needle's comparison form in the compacted text."""
    needle = compact(normalize(needle))[0].strip()
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


def _word_bounded(comp: str, start: int, end: int) -> bool:
    """A Latin/number needle must not start or end inside a longer Latin word or number."""
    before = comp[start - 1] if start else " "
    after = comp[end] if end < len(comp) else " "
    first, last = comp[start], comp[end - 1]
    return not (
        (first.isascii() and first.isalnum() and before.isascii() and before.isalnum())
        or (last.isascii() and last.isalnum() and after.isascii() and after.isalnum())
    )


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """text[start:end] escaped, with the spans inside it wrapped in <mark>."""
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(html.escape(text[pos:s], quote=False))
        out.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end], quote=False))
    return "".join(out)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, ending after 。！？； (and a closing quote)."""
    return [(m.start(), m.end()) for m in SENTENCE_RE.finditer(text) if m.end() > m.start()]


def fragments(text: str, spans: list[tuple[int, int]], limit: int = MAX_FRAGMENTS) -> str:
    """The sentences holding marks, merged where they touch, joined by …; the lead if none."""
    if not spans:
        cut = sentences(text)[0][1] if text else 0
        if cut > LEAD_CHARS * 2:  # one very long sentence: stop at a comma, not mid-word
            comma = max(text.rfind(c, 0, LEAD_CHARS) for c in "，、,：")
            cut = comma + 1 if comma > 0 else LEAD_CHARS
        return mark(text, [], 0, cut) + ("…" if cut < len(text) else "")
    chosen: list[tuple[int, int]] = []
    for start, end in sentences(text):
        if any(s < end and start < e for s, e in spans):
            if chosen and chosen[-1][1] >= start:
                chosen[-1] = (chosen[-1][0], end)
            else:
                chosen.append((start, end))
    parts = [mark(text, spans, s, e).strip() for s, e in chosen[:limit]]
    head = "…" if chosen and chosen[0][0] > 0 else ""
    tail = "…" if chosen and chosen[min(limit, len(chosen)) - 1][1] < len(text.rstrip()) else ""
    return head + " … ".join(parts) + tail


def highlight_whole(text: str, needles: Sequence[Needle], symbols: Sequence[str] = ()) -> str:
    """The whole text escaped, every match marked (the document page)."""
    return mark(text, find_spans(text, needles, symbols))
