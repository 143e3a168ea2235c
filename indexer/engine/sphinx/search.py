"""One search on the aggregating node: the SELECT, its facets (GROUP BY), the two relevance tiers, the hits.

Relevance: Sphinx's BM25 ranker (and field weights) over the project's words; equal weights in (doc_id,
ordinal) order, so pages continue without overlap on any number of shards. Passages matching the
typed forms come first; then those only an abbreviation expansion finds (a second SELECT of the
full query minus the typed one). Facets and the total always cover the full query.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from indexer.engine.backend import TOP_SPEAKERS, EngineResults, SearchPlan
from indexer.engine.sphinx.catalog import Live
from indexer.engine.sphinx.compile import Compiled, Filters, and_of
from indexer.engine.sphinx.conf import PASSAGES_ALL
from indexer.engine.sphinx.nodes import Nodes
from indexer.engine.sphinx.tokens import key
from indexer.language.charter import tag_order
from indexer.language.spans import find_spans, fragment_windows
from indexer.models import Footnote, Hit, Passage

YEAR_KEYS = 1 << 32  # facet keys below this are years (tokens.facet_key)
COLUMNS = "passage_id, doc_id, ordinal, body, meta"
SYMBOL_FIRST_BONUS = 1_000_000
# BM25 plus the matched fields' weights, like the embedded backend's BM25F (no proximity): its first pages
# are as close to the embedded ones as proximity_bm25's (test_sphinx_cluster: 73% vs 73%, sph04 74%), and
# it reads no hit positions where no phrase needs them (proximity_bm25 read them for every match)
RANKER = "bm25"
SPARE_GROUPS = 1000  # room for the years (not in the catalogue) beside every named facet value
FIELD_WEIGHTS = "title=2, heading=2"  # what the title/heading MAYBE part (Compiled.boost) adds
ORDERS = {
    "relevance": "r DESC, doc_id ASC, ordinal ASC",
    "date": "date_asc ASC, doc_id ASC, ordinal ASC",
    "-date": "date_desc DESC, doc_id ASC, ordinal ASC",
}


class Names(Protocol):
    """Keys back to names (the catalogue)."""

    facets: dict[int, tuple[str, str]]  # facet key -> (facet, value)


@dataclass(frozen=True)
class SearchQuery:
    plan: SearchPlan
    compiled: Compiled
    page: Filters  # the page's filters: type: in MATCH() (the same weight everywhere), the rest attributes
    facets: Filters  # the facets' filters (unranked): in MATCH() wherever their tokens are exact
    live: Live  # the rows of the catalogue's build generation


def conditions(filters: Filters, live: Live, match: str | None, boost: str | None = None) -> tuple[str, list[Any]]:
    """WHERE MATCH(…) AND the attribute filters (match None: every passage the filters let through);
    `boost`: an optional MATCH() part that only adds weight (MAYBE)."""
    match = and_of([match, *filters.match])
    if match and boost:
        match = f"({match}) MAYBE {boost}"
    conds = (["MATCH(%s)"] if match else []) + [live.where] + ([filters.where] if filters.where else [])
    return f" WHERE {' AND '.join(conds)}", ([match] if match else []) + list(filters.args)


def select(q: SearchQuery, match: str | None, offset: int, count: int) -> tuple[str, list[Any]]:
    """The SELECT of one page of one tier."""
    score, args = "WEIGHT()", []
    if q.compiled.symbol_first:
        score = f"WEIGHT() + IF(ordinal = 0, IN(symkeys, %s), 0) * {SYMBOL_FIRST_BONUS}"
        args.append(key(q.compiled.symbol_first))
    boost = q.compiled.boost if q.plan.sort == "relevance" else None
    where, where_args = conditions(q.page, q.live, match, boost if match else None)
    sql = (f"SELECT {COLUMNS}, {score} AS r{q.live.column} FROM {PASSAGES_ALL}{where} ORDER BY {ORDERS[q.plan.sort]} "
           f"LIMIT {offset}, {count} OPTION max_matches={max(offset + count, 1)}, ranker={RANKER}, "
           f"field_weights=({FIELD_WEIGHTS})")
    return sql, args + where_args


def facet_statement(q: SearchQuery, match: str | None, names: Names) -> tuple[str, list[Any]]:
    """One GROUP BY of `facetkeys`, every facet value of a passage (type, years, speakers, Charter
    tags): the query is matched once for all four facets (a passage counts once per value)."""
    where, args = conditions(q.facets, q.live, match)
    groups = len(names.facets) + SPARE_GROUPS  # searchd allocates max_matches slots per query: no more
    return (f"SELECT GROUPBY() AS g, COUNT(*) AS n{q.live.column} FROM {PASSAGES_ALL}{where} "
            f"GROUP BY facetkeys LIMIT {groups} OPTION ranker=none, max_matches={groups}; "), args


def probe_statements(exprs: Sequence[str], live: Live) -> tuple[str, list[Any]]:
    """Does each MATCH() expression match any live passage? One statement each, stopped at the first match."""
    statement = (f"SELECT id{live.column} FROM {PASSAGES_ALL} WHERE MATCH(%s) AND {live.where} "
                 "LIMIT 1 OPTION ranker=none, cutoff=1; ")
    return statement * len(exprs), list(exprs)


def run_search(nodes: Nodes, q: SearchQuery, names: Names,
               probes: Sequence[str] = ()) -> tuple[EngineResults | None, dict[str, bool]]:
    """The page, the total and the facets of one plan. One batch: the facets of the full query and
    the page of the first tier (the typed forms, when expansions add a second tier); the total is
    the sum of the type facet (every passage has one type). The second tier only if the page
    reaches past the first. `probes`: expressions the compiler assumed to match, asked in the same
    batch (no round trip of their own); (None, their answers) if one does not."""
    plan, compiled = q.plan, q.compiled
    offset, count = (plan.page - 1) * plan.per_page, plan.per_page
    tiers = plan.sort == "relevance" and compiled.typed != compiled.full
    probe_sql, probe_args = probe_statements(probes, q.live)
    facets_sql, facets_args = facet_statement(q, compiled.full, names)
    page_sql, page_args = select(q, compiled.typed if tiers else compiled.full, offset, count)
    first = nodes.read(probe_sql + facets_sql + page_sql, probe_args + facets_args + page_args)
    known = {expr: bool(rows) for expr, rows in zip(probes, first.sets, strict=False)}
    if not all(known.values()):
        return None, known
    answers, rows = [first], first.rows
    if tiers and len(rows) < count:
        rest = f"({compiled.full}) -({compiled.typed})"
        more = nodes.read(*select(q, rest, max(0, offset - first.total), count - len(rows)))
        rows = rows + more.rows
        answers.append(more)
    hits = tuple(hit_of(row, compiled) for row in rows)
    warnings = tuple(dict.fromkeys(w for a in answers for w in a.warnings))
    facets = facets_of(first.sets[len(probes)], names)
    return EngineResults(sum(facets["type"].values()), hits, facets, warnings=warnings), known


def facets_of(groups: list[tuple[Any, ...]], names: Names) -> dict[str, dict[str, int]]:
    """The GROUP BY result set as the embedded backend reports facets (keys back to names)."""
    out: dict[str, dict[str, int]] = {"type": {}, "year": {}, "speaker": {}, "charter": {}}
    for value, n, *_ in groups:
        facet, name = ("year", str(value)) if int(value) < YEAR_KEYS else names.facets.get(int(value), ("", ""))
        if facet and int(n):
            out[facet][name] = out[facet].get(name, 0) + int(n)
    return {
        "type": out["type"],
        "year": dict(sorted(out["year"].items(), key=lambda kv: int(kv[0]))),
        "speaker": dict(sorted(out["speaker"].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SPEAKERS]),
        "charter": dict(sorted(out["charter"].items(), key=lambda kv: tag_order(kv[0]))),
    }


def passage_of(row: tuple[Any, ...]) -> Passage:
    passage_id, doc_id, ordinal, body, meta_text = row[:5]
    meta = json.loads(meta_text) if meta_text else {}
    return Passage(
        passage_id=passage_id, doc_id=doc_id, ordinal=int(ordinal), text=body or "",
        paragraph=meta.get("paragraph"), heading=meta.get("heading", ""), span=tuple(meta.get("span") or (0, 0)),
        footnotes=tuple(Footnote(m, t, o) for m, t, o in meta.get("footnotes", [])),
        dates=tuple(meta.get("dates", [])), speakers=tuple(meta.get("speakers", [])),
        references=tuple(meta.get("references", [])), kind=meta.get("kind", "text"),
        charter=tuple(meta.get("charter", [])),
    )


def hit_of(row: tuple[Any, ...], compiled: Compiled) -> Hit:
    """A result row as a Hit: spans found in the stored passage text, as the embedded backend does."""
    passage_id, doc_id, ordinal, body, meta_text, score = row[:6]
    meta = json.loads(meta_text) if meta_text else {}
    text = body or ""
    spans = find_spans(text, compiled.needles, compiled.symbols)
    return Hit(
        passage_id=passage_id, doc_id=doc_id, symbols=list(meta.get("symbols", [])),
        title=meta.get("title", ""), doc_type=meta.get("doc_type", ""), doc_date=meta.get("doc_date"),
        dates=list(meta.get("dates", [])), speakers=list(meta.get("speakers", [])),
        heading=meta.get("heading", ""), paragraph=meta.get("paragraph"), text=text,
        spans=spans, fragments=fragment_windows(text, spans), url=f"/doc/{doc_id}#p{ordinal}",
        score=round(float(score), 4), charter=list(meta.get("charter", [])),
    )
