"""jieba's tokenizer with its accurate-mode cut of a Chinese run made faster, the words unchanged.

jieba 0.42.1 (pinned ==) cuts each run of Chinese characters in `Tokenizer.__cut_DAG`: the words of
the prefix dictionary that start at each character (the DAG), the most probable route through them
(the sum of log frequencies, right to left), then the hidden Markov model of `jieba.finalseg` for
each stretch of single characters that is not itself a word. That function was a third of the
build's time, mostly in Python-level overhead (a dict of lists, a generator of tuples per character
for `max`). `Segmenter` overrides it with the same steps on plain lists, the same floating-point
operations in the same order and the same tie-break (of two equally probable routes the longer
first word), so every cut is the one jieba gives; tests/language/test_segmenter.py compares the two
on the corpus texts and on generated strings. Everything else (dictionary, `add_word`, the blocks a
sentence is split into, search mode) is jieba's own.
"""

from __future__ import annotations

from math import log

import jieba
from jieba import finalseg


class Segmenter(jieba.Tokenizer):  # type: ignore[misc]
    """A jieba.Tokenizer whose accurate-mode cut of a Chinese block is `cut_block` (same words)."""

    def cut_block(self, block: str) -> list[str]:
        """The words of one block of Chinese characters, as jieba's `__cut_DAG` gives them (HMM on)."""
        self.check_initialized()
        freq = self.FREQ
        ends = word_ends(block, freq)
        route = best_route(block, ends, freq, log(self.total))
        return _words(block, route, freq)

    _Tokenizer__cut_DAG = cut_block  # what Tokenizer.cut calls for each block (name-mangled in jieba)


def word_ends(block: str, freq: dict[str, int]) -> list[list[int] | tuple[int]]:
    """For each start, the last index of every dictionary word starting there (jieba's get_DAG):
    freq holds every prefix of every word, with 0 for the prefixes that are not words."""
    n = len(block)
    out: list[list[int] | tuple[int]] = []
    for k in range(n):
        found = []
        i = k
        frag = block[k]
        while frag in freq:
            if freq[frag]:
                found.append(i)
            i += 1
            if i >= n:
                break
            frag = block[k:i + 1]
        out.append(found or (k,))
    return out


def best_route(block: str, ends: list[list[int] | tuple[int]], freq: dict[str, int], logtotal: float) -> list[int]:
    """For each start, the end of the word the most probable route takes (jieba's calc): the same
    sums as `log(freq or 1) - logtotal + best[next]`; on a tie the later end wins, as max() of
    (score, end) tuples decides."""
    n = len(block)
    best = [0.0] * (n + 1)
    route = [0] * n
    for start in range(n - 1, -1, -1):
        options = ends[start]
        if len(options) == 1:
            end = options[0]
            best[start] = log(freq.get(block[start:end + 1]) or 1) - logtotal + best[end + 1]
            route[start] = end
            continue
        top = None
        chosen = start
        for end in options:  # ascending: >= keeps the later end on a tie
            score = log(freq.get(block[start:end + 1]) or 1) - logtotal + best[end + 1]
            if top is None or score >= top:
                top, chosen = score, end
        best[start] = top  # type: ignore[assignment]
        route[start] = chosen
    return route


def _words(block: str, route: list[int], freq: dict[str, int]) -> list[str]:
    """The route's words; a stretch of single characters that is not a word goes to the HMM."""
    out: list[str] = []
    single = ""
    start = 0
    n = len(block)
    while start < n:
        stop = route[start] + 1
        if stop - start == 1:
            single += block[start]
        else:
            if single:
                _flush(single, freq, out)
                single = ""
            out.append(block[start:stop])
        start = stop
    if single:
        _flush(single, freq, out)
    return out


def _flush(single: str, freq: dict[str, int], out: list[str]) -> None:
    if len(single) == 1:
        out.append(single)
    elif not freq.get(single):
        out.extend(finalseg.cut(single))
    else:
        out.extend(single)
