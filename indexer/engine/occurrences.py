"""How many spans find_spans would mark in each matching passage, counted from the substring postings.

Why: a concordance of a common word needs the number of lines of every matching passage (the
counts per year and type, where a page starts) but the text of one page only. Reading and scanning
every passage's text cost ~1.4 s at ×100 for 16,000 passages. Each needle's occurrences are in the
bigram postings (substring.py) with their place in the passage's compacted text; a passage whose
marks are all whole needles with a character between them has exactly one span per occurrence
(in a text that normalises a character to several, more characters between them). A passage where
the count could differ from find_spans (a symbol to mark, a needle falling back to its parts, two
occurrences close enough that their spans may merge in the original text) is counted from its text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from indexer.engine.compile import Compiled
from indexer.engine.substring import SubstringIndex

MAX_PIECE = 18  # the most characters normalize() makes of one (NFKC of U+FDFA)
APART = 2 * MAX_PIECE  # compacted characters between two marks that can never touch in the text


def mark_counts(found: np.ndarray, compiled: Compiled, substrings: SubstringIndex, expands: np.ndarray,
                exact: Callable[[int], int]) -> np.ndarray:
    """Per docnum of `found` (int64, distinct) its number of spans; `expands[i]`: normalize() makes
    more characters of some character of found[i]'s text; `exact(docnum)` counts one passage from
    its text where the postings cannot say."""
    counts = np.zeros(len(found), dtype=np.int64)
    if not len(found):
        return counts
    if compiled.symbols:
        unsure = np.ones(len(found), dtype=bool)
    else:
        counts, unsure = _from_postings(found, compiled, substrings, expands)
    for i in np.flatnonzero(unsure).tolist():
        counts[i] = exact(int(found[i]))
    return counts


@dataclass(frozen=True)
class Spots:
    """Every needle occurrence in the passages of `found`, by (docnum, start): docs, starts and ends
    in the passage's compacted text, slot (index in `found`); unsure: per passage of `found`,
    whether find_spans could mark it otherwise than one span per occurrence."""

    docs: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    slot: np.ndarray
    unsure: np.ndarray


def _from_postings(found: np.ndarray, compiled: Compiled, substrings: SubstringIndex,
                   expands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(counts, unsure) per passage of `found` from the needles' occurrences."""
    spotted = spots(found, compiled, substrings, expands)
    return np.bincount(spotted.slot, minlength=len(found)).astype(np.int64), spotted.unsure


def spots(found: np.ndarray, compiled: Compiled, substrings: SubstringIndex, expands: np.ndarray) -> Spots:
    """The needles' occurrences in `found` (int64, distinct docnums). Two marks with a character
    between them never touch in a text that normalises one character to one; where a character
    became several, the characters between must be more than two of those can make."""
    order = np.argsort(found)
    ordered = found[order]
    docs, starts, ends = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    unsure = np.zeros(len(found), dtype=bool)
    for needle in compiled.needles:
        whole, parts = (needle, ()) if isinstance(needle, str) else needle
        form = SubstringIndex.needle(whole)
        d, at = substrings.spots(form)
        keep = np.isin(d, ordered)
        d, at = d[keep], at[keep]
        if parts:  # where the whole word does not occur, find_spans marks its parts instead
            unsure |= ~np.isin(found, d)
        docs.append(d)
        starts.append(at)
        ends.append(at + len(form))
    d, a, b = np.concatenate(docs), np.concatenate(starts), np.concatenate(ends)
    by = np.lexsort((a, d))
    d, a, b = d[by], a[by], b[by]
    slot = order[np.searchsorted(ordered, d)]
    apart = np.where(expands[slot[1:]], APART, 1)
    near = (d[1:] == d[:-1]) & (a[1:] < b[:-1] + apart)
    unsure[slot[1:][near]] = True
    return Spots(d, a, b, slot, unsure)
