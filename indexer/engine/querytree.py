"""The query syntax tree: what query.py produces and compile.py turns into a Whoosh query."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.errors import QueryError


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Symbol:
    symbol: str  # normalised
    raw: str


@dataclass(frozen=True)
class Field:
    name: str  # symbol | ref | type | speaker | title | charter
    value: str  # normalised value


@dataclass(frozen=True)
class DateRange:
    """Passages whose dates fall in [start, end] (ISO prefixes; None = open)."""

    start: str | None
    end: str | None


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Word | Phrase | Symbol | Field | DateRange | Not | And | Or


def fail(zh: str, en: str) -> QueryError:
    return QueryError(f"{zh} / {en}")
