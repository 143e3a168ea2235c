"""Page contexts for the search page: facets, chips, sort links, pagination and suggestions as plain data."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from indexer.language.charter import tag_label
from indexer.models import Hit, SearchRequest, SearchResults
from indexer.search.citation import paragraph_citation, permalink
from webui.params import FILTER_LABELS, SORTS, args_with, search_url, url_with
from webui.present import with_query

FACET_LABELS = {"type": "类型", "year": "年份", "speaker": "发言者", "charter": "《宪章》"}
FACET_LIMIT = 12


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int | None = None
    active: bool = False


@dataclass(frozen=True)
class HitView:
    hit: Hit
    number: int
    url: str
    citation: str = ""  # symbol, paragraph, permalink (indexer/search/citation.py)
    charter: tuple[Link, ...] = ()  # the Charter chapters/articles the passage cites, each a search


@dataclass
class SearchPage:
    args: dict[str, str]
    request: SearchRequest | None
    results: SearchResults | None = None
    error: str | None = None
    hits: list[HitView] = field(default_factory=list)
    facets: list[tuple[str, list[Link]]] = field(default_factory=list)
    chips: list[Link] = field(default_factory=list)
    sorts: list[Link] = field(default_factory=list)
    pages: list[Link] = field(default_factory=list)
    prev_url: str | None = None
    next_url: str | None = None
    suggestions: list[Link] = field(default_factory=list)
    expanded: list[str] = field(default_factory=list)


def _facet_change(name: str, value: str, args: Mapping[str, str]) -> dict[str, str]:
    if name == "year":
        return {"from_": value, "to": value}
    if name == "charter":  # no URL parameter of its own: the field goes into the query
        return {"q": f"{args.get('q', '')} charter:{value}".strip()}
    return {name: value}


def _facet_active(name: str, value: str, args: Mapping[str, str]) -> bool:
    if name == "year":
        return args.get("from") == value and args.get("to") == value
    if name == "charter":
        return f"charter:{value}" in args.get("q", "").split()
    return args.get(name) == value


def _facet_label(name: str, value: str) -> str:
    return tag_label(value) if name == "charter" else value


def charter_links(tags: list[str]) -> tuple[Link, ...]:
    """A hit's Charter tags, each a search for every passage citing that chapter or article."""
    return tuple(Link(tag_label(t), "/?" + urlencode({"q": f"charter:{t}"})) for t in tags)


def hit_citation(hit: Hit, base_url: str) -> str:
    """The citation to copy under a hit: symbol, paragraph number, permalink."""
    ordinal = hit.url.rsplit("#p", 1)[-1]
    url = permalink(base_url, hit.doc_id, int(ordinal)) if ordinal.isdigit() else base_url.rstrip("/") + hit.url
    return paragraph_citation(hit.symbols, hit.title, hit.paragraph, url)


def facet_links(results: SearchResults, args: Mapping[str, str]) -> list[tuple[str, list[Link]]]:
    """Each facet value as a link adding that filter to the current URL (year: from=to=YYYY)."""
    groups = []
    for name, label in FACET_LABELS.items():
        counts = results.facets.get(name) or {}
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if name == "charter":  # Charter order, as the engine counts them
            ordered = list(counts.items())
        if name == "year":
            ordered = sorted(counts.items(), reverse=True)
        links = [
            Link(_facet_label(name, str(value)), url_with(args, **_facet_change(name, str(value), args)), count,
                 _facet_active(name, str(value), args))
            for value, count in ordered[:FACET_LIMIT]
        ]
        if links:
            groups.append((label, links))
    return groups


def chip_links(args: Mapping[str, str]) -> list[Link]:
    """Active filters, each a link to the same search without it."""
    return [Link(f"{FILTER_LABELS[name]}：{args[name]}", url_with(args, drop=(name,)))
            for name in FILTER_LABELS if args.get(name)]


def sort_links(args: Mapping[str, str], current: str) -> list[Link]:
    return [Link(label, url_with(args, sort=None if key == "relevance" else key), active=key == current)
            for key, label in SORTS.items()]


def page_links(args: Mapping[str, str], results: SearchResults) -> tuple[list[Link], str | None, str | None]:
    """A window of page numbers around the current page, plus previous/next."""
    last = max(1, -(-results.total // results.per_page))
    current = results.page
    window = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    links = [Link(str(n), url_with(args, page=None if n == 1 else n), active=n == current) for n in window]
    prev_url = url_with(args, page=None if current == 2 else current - 1) if 1 < current <= last + 1 else None
    next_url = url_with(args, page=current + 1) if current < last else None
    return (links if last > 1 else []), prev_url, next_url


_QUOTES_RE = re.compile(r"[\"“”「」『』]")
_EMPTY_QUOTES_RE = re.compile(r"\"\s*\"|“\s*”|「\s*」|『\s*』")


Count = Callable[[Mapping[str, str]], int]  # search parameters -> number of results


def suggestions(args: Mapping[str, str], results: SearchResults, count: Count | None = None) -> list[Link]:
    """What to change when nothing matched: drop a filter, unquote, search an expansion, drop a word.

    With `count`, each suggestion is tried first and offered only if it finds something; one that
    still finds nothing under the current filters is offered without them, and says so.
    """
    if results.total:  # a page past the end: only the way back helps
        return [Link("回到第 1 页", url_with(args, page=None))]
    found = []
    for label, changed in _candidates(args, results):
        link = _checked(label, changed, count)
        if link is not None:
            found.append(link)
    return found


def _candidates(args: Mapping[str, str], results: SearchResults) -> list[tuple[str, dict[str, str]]]:
    found = [(f"去掉筛选条件“{FILTER_LABELS[n]}：{args[n]}”", args_with(args, drop=(n,)))
             for n in FILTER_LABELS if args.get(n)]
    q = args.get("q", "")
    if _QUOTES_RE.search(q):
        unquoted = " ".join(_QUOTES_RE.sub(" ", q).split())
        if unquoted:
            found.append((f"不加引号搜索：{unquoted}", args_with(args, q=unquoted)))
    for expanded in results.expansions.values():
        for full in expanded:
            found.append((f"只搜索：{full}", args_with(args, q=full)))
    for word in results.unmatched:
        rest = _EMPTY_QUOTES_RE.sub(" ", q.replace(word, " "))
        rest = " ".join(rest.split())
        if rest and rest != q and re.search(r"\w", rest):
            found.append((f"去掉没有匹配的词“{word}”", args_with(args, q=rest)))
    return found


def _checked(label: str, changed: dict[str, str], count: Count | None) -> Link | None:
    """The suggestion as a link if it finds something (as is, or else without any filter)."""
    if count is None:
        return Link(label, search_url(changed))
    total = count(changed)
    if total:
        return Link(label, search_url(changed), total)
    unfiltered = {k: v for k, v in changed.items() if k not in FILTER_LABELS}
    if unfiltered == changed or not unfiltered.get("q"):
        return None
    total = count(unfiltered)
    return Link(f"{label}（不限筛选条件）", search_url(unfiltered), total) if total else None


def build_search_page(args: Mapping[str, str], request: SearchRequest, results: SearchResults,
                      count: Count | None = None, base_url: str = "") -> SearchPage:
    start = (results.page - 1) * results.per_page + 1
    page = SearchPage(args=dict(args), request=request, results=results)
    page.hits = [HitView(h, start + i, with_query(h.url, request.q), hit_citation(h, base_url), charter_links(h.charter))
                 for i, h in enumerate(results.hits)]
    page.facets = facet_links(results, args)
    page.chips = chip_links(args)
    page.sorts = sort_links(args, request.sort)
    page.pages, page.prev_url, page.next_url = page_links(args, results)
    page.expanded = [full for values in results.expansions.values() for full in values]
    if not results.hits:
        page.suggestions = suggestions(args, results, count)
    return page
