"""What every search needs to know about the documents, read from the `docs` rows once per build.

The document ids, their symbols (symbol_map, citations), the abbreviation pairs (expansions, merged
in file order as the embedded build merges them) and the speakers' names (speaker facets come back
as keys; a speaker: filter that names part of a name matches every speaker whose name holds it).
A reader reloads it when the stamp row on the first node changes (every build writes a new one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from indexer.engine.sphinx.conf import DOCS_ALL, PASSAGES_ALL
from indexer.engine.sphinx.nodes import Nodes
from indexer.engine.sphinx.rows import STAMP_ID, live
from indexer.engine.sphinx.tokens import facet_key, key
from indexer.language.expansion import expansion_map
from indexer.language.normalize import normalize

PAGE = 5000
MAX_ABSENT = 10_000
MAX_RETIRED = 1000  # generations with retired rows still stored (normally 2): more, and rows.live's expression is used


@dataclass(frozen=True)
class Live:
    """The passages a reader of one generation sees, as SphinxQL (rows.live): plain attribute filters
    where the generations that retired rows still stored are known (an expression costs 7% of a
    search), else the expression. `column` goes in the select list, `where` in the WHERE."""

    column: str
    where: str

    @staticmethod
    def of(generation: int, retired: list[int] | None) -> Live:
        """Rows born by `generation` and not retired by it: `retired`, the generations ≤ it that
        retired rows still stored (None: unknown). Rows retired later have a larger `dead`."""
        g = int(generation)
        if retired is None:
            return Live(f", {live(g)}", "live = 1")
        gone = f" AND dead NOT IN ({', '.join(str(int(d)) for d in retired)})" if retired else ""
        return Live("", f"born <= {g}{gone}")


@dataclass
class Catalog:
    stamp: str
    generation: int = 0  # the build generation whose rows this catalogue (and its readers) see
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)  # doc_id -> document JSON
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    symbol_map: dict[str, str] = field(default_factory=dict)
    speakers: dict[int, str] = field(default_factory=dict)  # speaker key -> name
    charter: dict[int, str] = field(default_factory=dict)  # Charter tag key -> tag
    facets: dict[int, tuple[str, str]] = field(default_factory=dict)  # rows.facet_keys key -> (facet, value)
    warnings: list[str] = field(default_factory=list)  # nodes whose documents are missing
    live: Live = Live("", "born <= 0")  # the passages this catalogue's readers see
    absent: set[str] = field(default_factory=set)  # MATCH() expressions no live passage matches

    def remember_absent(self, exprs: Iterable[str]) -> None:
        """Expressions that match nothing in this generation (its rows never change): a search with
        such a word is compiled without it at once, not asked twice. A few thousand at most."""
        if len(self.absent) > MAX_ABSENT:
            self.absent = set()
        self.absent.update(exprs)

    def speakers_like(self, value: str) -> list[str]:
        """Names a speaker: filter stands for: the exact one if known, else those containing it."""
        exact = [n for n in self.speakers.values() if normalize(n) == value]
        return exact or sorted(n for n in self.speakers.values() if value in normalize(n))


def read_stamp(nodes: Nodes) -> tuple[str | None, list[str]]:
    """The published build's stamp (every node holds a copy; the newest one answering counts)."""
    answer = nodes.read(f"SELECT info FROM {DOCS_ALL} WHERE id = {STAMP_ID}")
    stamps = sorted((json.loads(info).get("generation", 0), info) for (info,) in answer.rows)
    return (stamps[-1][1] if stamps else None), answer.warnings


def load(nodes: Nodes, stamp: str) -> Catalog:
    """Every document row live in the stamp's generation, a page at a time in id order."""
    catalog = Catalog(stamp, int(json.loads(stamp).get("generation", 0)) if stamp else 0)
    last = STAMP_ID
    while True:
        answer = nodes.read(f"SELECT id, doc_id, info, passages, {live(catalog.generation)} FROM {DOCS_ALL} "
                            f"WHERE id > %s AND live = 1 ORDER BY id ASC LIMIT {PAGE} OPTION max_matches={PAGE}",
                            (last,))
        catalog.warnings = list(dict.fromkeys([*catalog.warnings, *answer.warnings]))
        for _id, doc_id, info, count, _live in answer.rows:
            catalog.docs[doc_id] = {**json.loads(info), "passage_count": int(count)}
        if len(answer.rows) < PAGE:
            break
        last = answer.rows[-1][0]
    abbreviations: dict[str, str] = {}
    for _doc_id, info in sorted(catalog.docs.items(), key=lambda item: item[1].get("source", "")):
        for short, long in (info.get("abbreviations") or {}).items():
            abbreviations.setdefault(short, long)
        catalog.facets.setdefault(facet_key("type", info.get("doc_type") or ""), ("type", info.get("doc_type") or ""))
        for name in info.get("speakers") or ():
            catalog.speakers.setdefault(key(normalize(name)), name)
            catalog.facets.setdefault(facet_key("speaker", normalize(name)), ("speaker", name))
        for term in info.get("charter_terms") or ():
            catalog.charter.setdefault(key(term), term)
            catalog.facets.setdefault(facet_key("charter", term), ("charter", term))
    catalog.live = Live.of(catalog.generation, retired(nodes, catalog.generation))
    catalog.expansions = expansion_map(abbreviations)
    catalog.symbol_map = {s: doc_id for doc_id, d in sorted(catalog.docs.items()) for s in d.get("symbols", [])}
    return catalog


def retired(nodes: Nodes, generation: int) -> list[int] | None:
    """The generations ≤ `generation` whose retired passages are still stored (a build purges those of
    two builds before; later builds retire with larger numbers, so the list holds for this generation)."""
    answer = nodes.read(f"SELECT GROUPBY() AS d, COUNT(*) AS n FROM {PASSAGES_ALL} WHERE dead > 0 AND dead <= {int(generation)} "
                        f"GROUP BY dead LIMIT {MAX_RETIRED} OPTION max_matches={MAX_RETIRED}")
    found = sorted(int(d) for d, *_ in answer.rows)
    return None if len(found) >= MAX_RETIRED else found
