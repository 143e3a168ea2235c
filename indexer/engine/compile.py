"""Query syntax tree (query.py) -> Whoosh query, plus what the highlighter must mark.

Each plain word matches where all its jieba words occur (text field) OR where it occurs as typed
(exact substring, found by substring.py and fed to Whoosh as a DocSetQuery); abbreviations add their full forms
(and back) at a lower boost, so the typed form ranks first. Words that match nothing in the whole
index are dropped from their AND and reported as unmatched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh import matching
from whoosh import query as wq

from indexer.engine import querytree as ast
from indexer.engine.budget import Budget
from indexer.engine.substring import SubstringIndex
from indexer.language.normalize import normalize, segment
from indexer.language.spans import Needle

EXPANSION_BOOST = 0.02  # far below any match of the typed form: typed matches always rank first
PROXIMITY_BOOST = 2.0
HEADING_BOOST = 0.5
LEAD_BOOST = 1000.0


@dataclass
class Compiled:
    """A Whoosh query and what it needs for highlighting and reporting."""

    query: wq.Query | None = None
    needles: list[Needle] = field(default_factory=list)  # normalised strings (or word, parts) to mark
    symbols: list[str] = field(default_factory=list)  # normalised symbols (or prefixes) to mark
    expansions: dict[str, list[str]] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)  # positive words/phrases, in order
    words: list[str] = field(default_factory=list)  # their jieba words, for title/heading boosts


class Compiler:
    def __init__(self, expansions: dict[str, tuple[str, ...]], searcher: Any = None,
                 substrings: SubstringIndex | None = None, budget: Budget | None = None) -> None:
        self.expansions = expansions
        self.budget = budget  # past its deadline, OR branches still to compile are left out
        self.searcher = searcher  # when given, words matching nothing are dropped and reported
        self.substrings = substrings  # None: compile only for highlighting
        self.offsets = {id(s): offset for s, offset in searcher.leaf_searchers()} if searcher is not None else {}
        self.out = Compiled()

    def compile(self, node: ast.Node | None) -> Compiled:
        q = self.node(node, False) if node is not None else None
        if isinstance(node, ast.Symbol):
            q = self.symbol_first(node.symbol)
        self.out.query = self.boosted(q) if q is not None else None
        return self.out

    def node(self, node: ast.Node, negated: bool) -> wq.Query | None:
        if isinstance(node, ast.Word):
            return self.word(node.text, negated)
        if isinstance(node, ast.Phrase):
            return self.phrase(node.text, negated)
        if isinstance(node, ast.Symbol):
            q = symbol_query(node.symbol, ("symbols", "refs"))
            if not negated:
                self.out.symbols.append(node.symbol)
                if self.searcher is not None and not self.matches_any(q):
                    self.out.unmatched.append(node.raw)
                    return None
            return q
        if isinstance(node, ast.Not):
            child = self.node(node.child, not negated)
            return wq.Not(child) if child is not None else None
        if isinstance(node, (ast.And, ast.Or)):
            children = [q for q in (self.node(c, negated) for c in self.within_budget(node)) if q is not None]
            if not children:
                return None
            if len(children) == 1:
                return children[0]
            return wq.And(children) if isinstance(node, ast.And) else wq.Or(children)
        if isinstance(node, ast.Field) and node.name == "title":
            return self.title(node.value)
        if isinstance(node, ast.Field) and node.name in ("symbol", "ref") and not negated:
            self.out.symbols.append(node.value)
        return wq.ConstantScoreQuery(filter_query(node, self.searcher))

    def within_budget(self, node: ast.And | ast.Or) -> Iterator[ast.Node]:
        """The children to compile: an OR (not negated: a subset of its matches is still a
        correct partial answer) stops at the budget's deadline."""
        for number, child in enumerate(node.children):
            if number and isinstance(node, ast.Or) and self.budget is not None and self.budget.expired():
                return
            yield child

    @staticmethod
    def title(norm: str) -> wq.Query | None:
        """title:/标题: all words in the document title, or all in the passage's heading path."""
        terms = [t for t, _, _ in segment(norm)]
        if not terms:
            return None
        return wq.Or([wq.And([wq.Term(name, t) for t in terms]) for name in ("title", "heading")])

    def word(self, text: str, negated: bool) -> wq.Query | None:
        norm = normalize(text).strip().strip("*?")  # 安理* : every word is already a substring search
        terms = [t for t, _, _ in segment(norm)]
        if not terms:
            return None  # punctuation only
        sub = self.substring(norm)
        if terms == [norm] and sub is not None:  # one jieba word: its occurrences are exactly the substring's
            alts = [sub, *(self.expansion(norm, e) for e in self.expansions.get(norm, ()))]
        else:
            parts = [self.term_with_expansions(t) for t in terms]
            alts = [parts[0] if len(parts) == 1 else wq.And(parts), sub]
            alts += [self.expansion(norm, e) for e in self.expansions.get(norm, ()) if len(terms) > 1]
        q = wq.Or([a for a in alts if a is not None])
        return self.checked(text, norm, q, negated, terms)

    def phrase(self, text: str, negated: bool) -> wq.Query | None:
        norm = normalize(text).strip()
        q = self.substring(norm)
        if q is None and (self.substrings is not None or not norm):
            return None
        return self.checked(text, norm, q, negated, [])

    def checked(self, text: str, norm: str, q: wq.Query | None, negated: bool, terms: list[str]) -> wq.Query | None:
        """Record a positive word for highlighting; drop it if it matches nothing at all."""
        if negated:
            return q
        if q is not None and self.searcher is not None and not self.matches_any(q):
            self.out.unmatched.append(text)
            return None
        self.out.needles.append((norm, tuple(t for t in terms if len(t) > 1) if len(terms) > 1 else ()))
        self.out.typed.append(norm)
        self.out.words += [t for t in terms if len(t) > 1 or len(terms) == 1]
        return q

    def term_with_expansions(self, term: str) -> wq.Query:
        alts = [a for a in (self.expansion(term, e) for e in self.expansions.get(term, ())) if a is not None]
        q = wq.Term("text", term)
        return wq.Or([q, *alts]) if alts else q

    def expansion(self, typed: str, other: str) -> wq.Query | None:
        """The other form of an abbreviation, far below the typed form; None if it occurs nowhere."""
        if typed in other:  # every occurrence of `other` already matches `typed`
            return None
        terms = [t for t, _, _ in segment(other)]
        sub = self.substring(other)
        single = terms == [other] and sub is not None  # the substring alone finds every occurrence
        parts: list[wq.Query] = [wq.And([wq.Term("text", t) for t in terms])] if terms and not single else []
        q = any_of([*parts, *([sub] if sub is not None else [])], EXPANSION_BOOST)
        if self.searcher is not None and not self.matches_any(q):
            return None
        used = self.out.expansions.setdefault(typed, [])
        if other not in used:
            used.append(other)
        self.out.needles.append(other)
        return q

    def matches_any(self, q: wq.Query) -> bool:
        """Whether `q` matches some passage: substring sets answer at once (their Whoosh matcher
        would sort every docnum of every segment), other queries by Whoosh's first match."""
        if isinstance(q, DocSetQuery):
            return len(q.ids) > 0
        if type(q) is wq.Or:  # substring sets first: Whoosh's first match of an AND of common words is slow
            subs = sorted(q.subqueries, key=lambda sub: not isinstance(sub, DocSetQuery))
            return any(self.matches_any(sub) for sub in subs)
        return any(True for _ in self.searcher.docs_for_query(q))

    def substring(self, norm: str) -> wq.Query | None:
        """Exact occurrence after normalisation (whitespace inside Chinese text ignored)."""
        if self.substrings is None:
            return None
        needle = self.substrings.needle(norm)
        if not needle:
            return None
        return DocSetQuery(*self.substrings.match_arrays(needle), self.offsets, repr(needle))

    def symbol_first(self, symbol: str) -> wq.Query:
        """A symbol-only query: the document itself (its first passage), then what cites it."""
        own = wq.And([symbol_query(symbol, ("symbols",)), wq.Term("lead", "1")], boost=LEAD_BOOST)
        return wq.Or([own, symbol_query(symbol, ("refs",))])

    def boosted(self, q: wq.Query) -> wq.Query:
        """Optional boosts: the typed words standing together, and title/heading matches."""
        boosts: list[wq.Query] = []
        if len(self.out.typed) > 1:
            together = self.substring("".join(self.out.typed))
            if together is not None:
                boosts.append(any_of([together], PROXIMITY_BOOST))
        words = list(dict.fromkeys(self.out.words))
        if words:
            heads = [wq.Term(f, w) for w in words for f in ("title", "heading")]
            boosts.append(any_of(heads, HEADING_BOOST))
        return wq.AndMaybe(q, wq.Or(boosts)) if boosts else q


def any_of(queries: list[wq.Query], boost: float = 1.0) -> wq.Query:
    """Or with a boost that holds: Whoosh ignores the boost of an Or with a single child."""
    if len(queries) == 1:
        return queries[0].with_boost(queries[0].boost * boost)
    return wq.Or(queries, boost=boost)


def symbol_query(symbol: str, fields: tuple[str, ...]) -> wq.Query:
    """Exact symbol, or every symbol it is a prefix of (S/PRST/2020 -> S/PRST/2020/1 …)."""
    alts: list[wq.Query] = []
    for name in fields:
        alts.append(wq.Term(name, symbol, boost=2.0))
        alts += [wq.Prefix(name, symbol + sep) for sep in ("/", ".", "(")]
    return wq.Or(alts)


def filter_query(node: ast.Node, searcher: Any = None) -> wq.Query:
    """Field and date nodes as plain Whoosh queries (callers make them constant-score or docnum sets).

    speaker: is exact when some passage has exactly that speaker (a facet click), else a substring.
    """
    if isinstance(node, ast.DateRange):
        return date_query(node)
    assert isinstance(node, ast.Field)
    if node.name in ("symbol", "ref"):
        q: wq.Query = symbol_query(node.value, ("symbols",) if node.name == "symbol" else ("refs",))
    elif node.name == "type":
        q = wq.Term("doc_type", node.value)
    elif node.name == "charter":
        q = wq.Term("charter", node.value)
    elif searcher is not None and searcher.doc_frequency("speakers", node.value):
        q = wq.Term("speakers", node.value)
    else:
        q = wq.Wildcard("speakers", f"*{node.value}*")
    return q


def date_query(node: ast.DateRange) -> wq.Query:
    """ISO strings at any precision compare as text: [start, end + "~"] holds every date inside."""
    start = node.start
    if node.end is None:
        end, endexcl = None, False
    elif node.end.endswith("!"):
        end, endexcl = node.end[:-1], True
    else:
        end, endexcl = node.end + "~", False
    return wq.TermRange("dates", start, end, endexcl=endexcl)


class DocSetQuery(wq.Query):
    """Matches a precomputed set of global docnums with given weights (the substring postings' hits)."""

    def __init__(self, ids: np.ndarray, weights: np.ndarray, offsets: dict[int, int], label: str = "",
                 boost: float = 1.0) -> None:
        self.ids = ids  # global docnums, ascending (shared, read-only)
        self.scores = weights  # each one's weight
        self.offsets = offsets  # id(leaf searcher) -> its first global docnum
        self.label = label
        self.boost = boost
        self._cache: dict[tuple[int, float], tuple[list[int], list[float]]] = {}

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(docnums ascending, weights), the boost not applied."""
        return self.ids, self.scores

    @property
    def weights(self) -> dict[int, float]:
        """docnum -> weight (the boost not applied)."""
        return dict(zip(self.ids.tolist(), self.scores.tolist(), strict=True))

    def __repr__(self) -> str:
        return f"DocSetQuery({self.label}, {len(self.ids)} docs)"

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def is_leaf(self) -> bool:
        return True

    def copy(self) -> DocSetQuery:
        """Shares the weights (never changed): with_boost's deep copy took 20 ms at ×100."""
        return DocSetQuery(self.ids, self.scores, self.offsets, self.label, self.boost)

    def __deepcopy__(self, memo: dict[int, Any]) -> DocSetQuery:
        return self.copy()

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.ids)

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        key = (id(searcher), self.boost)
        if key not in self._cache:  # the same query is matched for the unmatched check and the search
            offset = self.offsets.get(id(searcher), 0)
            size = searcher.reader().doc_count_all()
            inside = (self.ids >= offset) & (self.ids < offset + size)
            self._cache[key] = ((self.ids[inside] - offset).tolist(), (self.scores[inside] * self.boost).tolist())
        ids, weights = self._cache[key]
        if not ids:
            return matching.NullMatcher()
        return _DocSetMatcher(ids, weights=weights)


class _DocSetMatcher(matching.ListMatcher):
    """ListMatcher whose block quality is computed once (Whoosh asks for it every few documents)."""

    def block_max_weight(self) -> float:
        if not hasattr(self, "_max_weight"):
            self._max_weight = max(self._weights)
        return self._max_weight

    def copy(self) -> _DocSetMatcher:
        return _DocSetMatcher(self._ids, self._weights, position=self._i)
