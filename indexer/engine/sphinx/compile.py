"""Query syntax tree (engine/querytree.py) -> a SphinxQL MATCH() expression and WHERE filters.

Each plain word matches where all its jieba words occur (field `text`) OR where it occurs as typed
(field `pairs`, its character pairs as a phrase); abbreviations add their other form. Typed forms rank
first: the backend asks for the query without expansions first and then for what only the
expansions add, rather than trusting a tiny weight (Sphinx's term boosts change IDF, and the
shared characters of 东盟 and 东南亚国家联盟 would score alike). A word that matches nothing in
the whole index is dropped from its AND and reported, as in the embedded backend. Top-level
field and date filters become attribute conditions (multi-value keys, strings, date numbers); a
date range inside OR or NOT becomes the date tokens covering it (tokens.date_cover).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from indexer.engine import querytree as ast
from indexer.engine.sphinx.tokens import (
    ALL_TOKEN,
    LEAD_TOKEN,
    date_cover,
    date_high,
    date_low,
    encode,
    key,
    pairs,
    units,
    words,
)
from indexer.errors import QueryError
from indexer.language.normalize import normalize, segment
from indexer.language.spans import Needle

Matches = Callable[[str], bool]  # does this MATCH() expression match any passage?
SYMBOL_FIELDS = "@(symbols,symprefixes)"
REF_FIELDS = "@(refs,refprefixes)"
EVERY = f"(@each {ALL_TOKEN})"
NO_DATE = "_znone_"  # no passage has it: an empty date range
MAX_TOKEN = 41  # Sphinx cuts tokens at 42 characters: a shorter one matches exactly itself


@dataclass(frozen=True)
class Expr:
    """A MATCH() sub-expression with and without abbreviation expansions; `negative`: a NOT."""

    full: str
    typed: str
    negative: bool = False


@dataclass
class Compiled:
    """What a backend needs to run a query and to mark its hits."""

    full: str | None = None  # every alternative
    typed: str | None = None  # without the expansions (ranks first)
    symbol_first: str | None = None  # a symbol-only query: that document's first passage leads
    needles: list[Needle] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)
    expansions: dict[str, list[str]] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)  # the typed words, to rank title/heading matches up

    @property
    def boost(self) -> str | None:
        """An optional MATCH() part (MAYBE) for the typed words in the title or heading, as the
        embedded backend's heading boost: it changes weights, never which passages match."""
        words = list(dict.fromkeys(self.heads))
        return f"(@(title,heading) {any_of(words)})" if words and self.symbol_first is None else None


def phrase(text: str) -> str | None:
    """Exact occurrence after normalisation: the character pairs as a phrase of the `pairs` field
    (one character: the `chars` field), every other pair left as `*` (phrase_cover)."""
    found = units(text)
    if len(found) == 1:
        return f"(@chars {found[0]})"
    return f'(@pairs "{" ".join(phrase_cover(pairs(found)))}")' if found else None


def phrase_cover(terms: list[str]) -> list[str]:
    """The pairs of a phrase with every odd one but the last written `*` (Sphinx: any token there):
    pairs 0, 2, 4, … and the last still hold every unit at its place, so the phrase matches where
    the whole one does, and the engine reads a third to a half fewer posting lists (安全 * 理事 事会)."""
    last = len(terms) - 1
    return [t if i % 2 == 0 or i == last else "*" for i, t in enumerate(terms)]


class Compiler:
    def __init__(self, expansions: dict[str, tuple[str, ...]], matches: Matches | None = None) -> None:
        self.expansions = expansions
        self.matches = matches  # None: compile only for highlighting
        self.out = Compiled()

    def compile(self, node: ast.Node | None) -> Compiled:
        expr = self.node(node, False) if node is not None else None
        if isinstance(node, ast.Symbol) and expr is not None:
            enc = encode(node.symbol)
            own = f"(({SYMBOL_FIELDS} {enc}) (@each {LEAD_TOKEN})) | ({REF_FIELDS} {enc})"
            expr = Expr(own, own)
            self.out.symbol_first = node.symbol
        if expr is not None:
            self.out.full, self.out.typed = positive(expr.full, expr.negative), positive(expr.typed, expr.negative)
        return self.out

    def node(self, node: ast.Node, negated: bool) -> Expr | None:
        if isinstance(node, ast.Word):
            return self.word(node.text, negated)
        if isinstance(node, ast.Phrase):
            norm = normalize(node.text).strip()
            q = phrase(norm)
            return self.checked(node.text, norm, Expr(q, q) if q else None, negated, [])
        if isinstance(node, ast.Symbol):
            q = f"(@(symbols,symprefixes,refs,refprefixes) {encode(node.symbol)})"
            if not negated:
                self.out.symbols.append(node.symbol)
                if self.matches is not None and not self.matches(q):
                    self.out.unmatched.append(node.raw)
                    return None
            return Expr(q, q)
        if isinstance(node, ast.Not):
            child = self.node(node.child, not negated)
            return Expr(child.full, child.typed, not child.negative) if child is not None else None
        if isinstance(node, (ast.And, ast.Or)):
            children = [e for e in (self.node(c, negated) for c in node.children) if e is not None]
            return combine(children, isinstance(node, ast.And))
        if isinstance(node, ast.Field):
            return self.field(node, negated)
        if isinstance(node, ast.DateRange):  # inside OR/NOT (top-level ones are attribute filters)
            tokens = date_cover(*date_bounds(node))
            q = f"(@each {any_of(tokens) if tokens else NO_DATE})"
            return Expr(q, q)
        raise QueryError(f"不支持的查询部分 / unsupported query part: {type(node).__name__}")

    def field(self, node: ast.Field, negated: bool) -> Expr | None:
        if node.name == "title":
            terms = words(node.value)
            q = f"(@(title,heading) {' '.join(terms)})" if terms else None
        elif node.name in ("symbol", "ref"):
            if not negated:
                self.out.symbols.append(node.value)
            q = f"({SYMBOL_FIELDS if node.name == 'symbol' else REF_FIELDS} {encode(node.value)})"
        else:
            name = {"type": "doctype", "speaker": "speakers", "charter": "charter"}[node.name]
            q = f"(@{name} {encode(node.value)})"
        return Expr(q, q) if q else None

    def word(self, text: str, negated: bool) -> Expr | None:
        norm = normalize(text).strip().strip("*?")  # 安理* : every word is already a substring search
        terms = [t for t, _, _ in segment(norm)]
        if not terms:
            return None  # punctuation only
        sub = phrase(norm)
        if terms == [norm] and sub is not None:  # one jieba word: its occurrences are exactly the substring's
            full = any_of([sub, *(self.expansion(norm, e) for e in self.expansions.get(norm, ()))])
            return self.checked(text, norm, Expr(full, sub), negated, terms)
        parts = [self.term(t) for t in terms]
        words_full = "(" + " ".join(f for f, _ in parts) + ")"
        words_typed = "(" + " ".join(t for _, t in parts) + ")"
        extra = [self.expansion(norm, e) for e in self.expansions.get(norm, ())] if len(terms) > 1 else []
        expr = Expr(any_of([words_full, sub, *extra]), any_of([words_typed, sub]))
        return self.checked(text, norm, expr, negated, terms)

    def term(self, term: str) -> tuple[str, str]:
        """One jieba word of a longer word, with its own expansions (full, typed)."""
        own = f"(@text {encode(term)})"
        alts = [self.expansion(term, e) for e in self.expansions.get(term, ())]
        return any_of([own, *alts]), own

    def expansion(self, typed: str, other: str) -> str | None:
        """The other form of an abbreviation; None if it occurs nowhere (or `typed` is in it)."""
        if typed in other:  # every occurrence of `other` already matches `typed`
            return None
        terms = [encode(t) for t, _, _ in segment(other)]
        sub = phrase(other)
        single = len(terms) == 1 and sub is not None
        q = any_of([*([f"(@text {' '.join(terms)})"] if terms and not single else []), sub])
        if q is None or (self.matches is not None and not self.matches(q)):
            return None
        used = self.out.expansions.setdefault(typed, [])
        if other not in used:
            used.append(other)
        self.out.needles.append(other)
        return q

    def checked(self, text: str, norm: str, expr: Expr | None, negated: bool, terms: list[str]) -> Expr | None:
        """Record a positive word for highlighting; drop it if it matches nothing at all."""
        if negated or expr is None:
            return expr
        if self.matches is not None and not self.matches(expr.full):
            self.out.unmatched.append(text)
            return None
        self.out.needles.append((norm, tuple(t for t in terms if len(t) > 1) if len(terms) > 1 else ()))
        self.out.heads += [encode(t) for t in terms]
        return expr


def any_of(alts: Sequence[str | None]) -> str:
    found = [a for a in alts if a]
    return found[0] if len(found) == 1 else "(" + " | ".join(found) + ")"


def positive(text: str, negative: bool) -> str:
    return f"{EVERY} -{text}" if negative else text


def combine(children: list[Expr], conjunction: bool) -> Expr | None:
    """AND: positives side by side, NOTs subtracted; OR: alternatives (a NOT alternative is
    everything but it)."""
    if not children:
        return None
    if len(children) == 1:
        return children[0]
    if not conjunction:
        return Expr("(" + " | ".join(f"({positive(c.full, c.negative)})" for c in children) + ")",
                    "(" + " | ".join(f"({positive(c.typed, c.negative)})" for c in children) + ")")
    pos = [c for c in children if not c.negative]
    neg = [c for c in children if c.negative]
    if not pos:
        return Expr("(" + " ".join(c.full for c in neg) + ")", "(" + " ".join(c.typed for c in neg) + ")", True)
    # subtract the full form of a NOT either way: its expansions are excluded too
    minus = "".join(f" -{c.full}" for c in neg)
    return Expr("(" + " ".join(c.full for c in pos) + minus + ")", "(" + " ".join(c.typed for c in pos) + minus + ")")


def date_bounds(node: ast.DateRange) -> tuple[int, int]:
    """A date range as date numbers (tokens.date_low), both ends inclusive."""
    low = 0
    if node.start:
        low = date_high(node.start[:-1]) + 1 if node.start.endswith("~") else date_low(node.start)
    high = 99999999
    if node.end:
        high = date_low(node.end[:-1]) - 1 if node.end.endswith("!") else date_high(node.end)
    return low, high


def where(filters: Sequence[ast.Node], speakers: Callable[[str], list[str]]) -> tuple[str, list[object]] | None:
    """Attribute conditions ANDed (SQL with %s, args); None if no passage can pass (an unknown speaker).

    speaker: is exact when some passage has exactly that speaker (a facet click), else a substring
    of a known speaker's name: `speakers(value)` gives the names it stands for."""
    conds: list[str] = []
    args: list[object] = []
    for node in filters:
        if isinstance(node, ast.DateRange):
            conds.append("datekeys BETWEEN %s AND %s")
            args += list(date_bounds(node))
        elif isinstance(node, ast.Field) and node.name in ("symbol", "ref"):
            conds.append(f"{'symkeys' if node.name == 'symbol' else 'refkeys'} = %s")
            args.append(key(node.value))
        elif isinstance(node, ast.Field) and node.name == "type":
            conds.append("doc_type = %s")
            args.append(node.value)
        elif isinstance(node, ast.Field) and node.name == "charter":
            conds.append("charterkeys = %s")
            args.append(key(node.value))
        elif isinstance(node, ast.Field) and node.name == "speaker":
            names = speakers(node.value)
            if not names:
                return None
            conds.append(f"speakerkeys IN ({', '.join(['%s'] * len(names))})")
            args += [key(normalize(n)) for n in names]
    return " AND ".join(conds), args


def same_weight(node: ast.Node) -> bool:
    """A filter whose MATCH() part adds the same weight to every passage it lets through (type: one
    token in each passage's `doctype`), so the ranked page may match it instead of filtering."""
    return isinstance(node, ast.Field) and node.name == "type"


@dataclass(frozen=True)
class Filters:
    """Top-level filters as MATCH() parts (posting lists intersected) and attribute conditions."""

    match: list[str]
    where: str  # SQL with %s
    args: list[object]


def split(filters: Sequence[ast.Node], speakers: Callable[[str], list[str]],
          in_match: Callable[[ast.Node], bool]) -> Filters | None:
    """The filters `in_match` accepts as MATCH() parts where their tokens are exact, the others as
    attribute conditions (`where`); None if no passage can pass."""
    parts: list[str] = []
    rest: list[ast.Node] = []
    for node in filters:
        part = filter_part(node, speakers) if in_match(node) else None
        if part is None:
            rest.append(node)
        else:
            parts.append(part)
    cond = where(rest, speakers)
    return None if cond is None else Filters(parts, cond[0], cond[1])


def filter_part(node: ast.Node, speakers: Callable[[str], list[str]]) -> str | None:
    """One filter as a MATCH() part holding exactly the passages its attribute condition lets
    through; None where a token would be cut (Sphinx keeps 42 characters) or no speaker is named."""
    if isinstance(node, ast.DateRange):
        tokens = date_cover(*date_bounds(node)) or [NO_DATE]
        return f"(@each {any_of(tokens)})"
    if not isinstance(node, ast.Field):
        return None
    if node.name == "speaker":
        tokens = [encode(normalize(n)) for n in dict.fromkeys(speakers(node.value))]
    else:
        tokens = [encode(node.value)]
    fields = {"symbol": SYMBOL_FIELDS, "ref": REF_FIELDS, "type": "@doctype", "charter": "@charter",
              "speaker": "@speakers"}
    if node.name not in fields or not tokens or any(len(t) > MAX_TOKEN for t in tokens):
        return None
    return f"({fields[node.name]} {any_of(tokens)})"


def and_of(parts: Sequence[str | None]) -> str | None:
    """MATCH() parts ANDed (None: no part)."""
    found = [p for p in parts if p]
    return " ".join(f"({p})" for p in found) if found else None
