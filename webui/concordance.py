"""The concordance: the page /kwic and GET /api/kwic (lines aligned on the match, use over time).

Parameters: q (required), vs (a second query whose use over time is overlaid), sort
(date | doc | left | right), width (context characters each side), page, per_page, and the search
filters (type, from, to, speaker, symbol). Bad values are a 400 with a sentence saying what to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request
from markupsafe import Markup

from indexer.config import Config
from indexer.errors import QueryError
from indexer.models import SearchRequest
from indexer.search.concordance import (
    DEFAULT_WIDTH,
    MAX_PASSAGES,
    SORTS,
    Concordance,
    Concordancer,
    Usage,
    check_options,
    csv_text,
)
from webui import get_config, get_engine
from webui.chart import Series, usage_svg
from webui.params import parse_int, parse_search_args
from webui.present import with_query

bp = Blueprint("kwic", __name__)
KWIC_KEY = "undocs.kwic"
PARAMS = ("q", "vs", "type", "from", "to", "speaker", "symbol", "sort", "width", "page", "per_page")
SORT_LABELS = {"date": "日期", "doc": "文件", "left": "左侧上下文", "right": "右侧上下文"}
DEFAULT_PER_PAGE, MAX_PER_PAGE = 100, 1000


@dataclass(frozen=True)
class KwicArgs:
    request: SearchRequest
    sort: str = "date"
    width: int = DEFAULT_WIDTH
    vs: str = ""


def parse_kwic_args(args: Mapping[str, str], config: Config) -> KwicArgs:
    """The search parameters as for `/`, plus sort, width and vs; QueryError for a bad one."""
    plain = {k: v for k, v in args.items() if k not in ("sort", "per_page", "width", "vs")}
    search = parse_search_args(plain, config)
    if not search.q:
        raise QueryError("请输入要做索引行的词语、短语或文号（参数 q） / empty query: give q=…")
    sort = (args.get("sort") or "date").strip()
    width = parse_int(args.get("width"), "width", DEFAULT_WIDTH)
    check_options(sort, width)
    per_page = min(parse_int(args.get("per_page"), "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    vs = (args.get("vs") or "").strip()
    if len(vs) > config.max_query_chars:
        raise QueryError(f"对比检索式太长（{len(vs)} 个字符，最多 {config.max_query_chars} 个）")
    return KwicArgs(replace(search, per_page=per_page), sort, width, vs)


def get_concordancer() -> Concordancer:
    """One per app, over the app's SearchService: it keeps recent concordances for paging."""
    kwic = current_app.extensions.get(KWIC_KEY)
    if kwic is None or kwic.service is not get_engine():
        kwic = current_app.extensions[KWIC_KEY] = Concordancer(get_engine())
    return kwic


def kwic_url(args: Mapping[str, str], **changes: str | int | None) -> str:
    """/kwic with some parameters changed (changing anything but the page goes back to page 1)."""
    params = {k: args[k] for k in PARAMS if args.get(k)}
    if any(k != "page" for k in changes):
        params.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "/kwic?" + urlencode({k: params[k] for k in PARAMS if k in params})


def run(parsed: KwicArgs) -> tuple[Concordance, Usage | None]:
    kwic = get_concordancer()
    found = kwic.concordance(parsed.request, width=parsed.width, sort=parsed.sort)
    other = kwic.usage(replace(parsed.request, q=parsed.vs)) if parsed.vs else None
    return found, other


@bp.get("/api/kwic")
def kwic_api() -> dict[str, Any]:
    """Concordance.to_json(), plus "vs": the second query's use over time when asked for."""
    parsed = parse_kwic_args(request.args, get_config())
    found, other = run(parsed)
    data = found.to_json()
    if other is not None:
        data["vs"] = {"query": parsed.vs, "by_year": other.by_year, "docs_by_year": other.docs_by_year,
                      "by_type": other.by_type, "docs_by_type": other.docs_by_type}
    return data


@bp.get("/api/kwic.csv")
def kwic_csv() -> Response:
    """Every line (not a page) as CSV, UTF-8 with BOM, one row per occurrence, for a spreadsheet."""
    parsed = parse_kwic_args(request.args, get_config())
    everything = replace(parsed.request, page=1, per_page=MAX_PASSAGES * 100)
    found = get_concordancer().concordance(everything, width=parsed.width, sort=parsed.sort)
    response = Response(csv_text(found, request.url_root.rstrip("/")), mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=kwic.csv"
    return response


@dataclass
class KwicPage:
    args: dict[str, str]
    error: str | None = None
    found: Concordance | None = None
    other: Usage | None = None
    vs: str = ""
    chart: Markup = field(default_factory=Markup)
    rows: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # year, n, docs (, vs n, vs docs)
    sorts: list[tuple[str, str, bool]] = field(default_factory=list)
    prev_url: str | None = None
    next_url: str | None = None
    links: list[str] = field(default_factory=list)  # per line: the paragraph, the query marked


def build_page(args: dict[str, str], parsed: KwicArgs, found: Concordance, other: Usage | None) -> KwicPage:
    page = KwicPage(args=args, found=found, other=other, vs=parsed.vs)
    series = [Series(parsed.request.q, found.usage.by_year, found.usage.docs_by_year, "s1")]
    if other is not None:
        series.append(Series(parsed.vs, other.by_year, other.docs_by_year, "s2"))
    page.chart = usage_svg(series)
    years = sorted({*found.usage.by_year, *(other.by_year if other else {})})
    page.rows = [(y, found.usage.by_year.get(y, 0), found.usage.docs_by_year.get(y, 0),
                  other.by_year.get(y, 0) if other else 0, other.docs_by_year.get(y, 0) if other else 0)
                 for y in years]
    page.sorts = [(label, kwic_url(args, sort=None if key == "date" else key), key == parsed.sort)
                  for key, label in SORT_LABELS.items()]
    last = max(1, -(-found.total // found.per_page))
    page.prev_url = kwic_url(args, page=found.page - 1 if found.page > 2 else None) if 1 < found.page <= last + 1 else None
    page.next_url = kwic_url(args, page=found.page + 1) if found.page < last else None
    page.links = [with_query(line.url, parsed.request.q) for line in found.lines]
    return page


@bp.get("/kwic")
def kwic_page() -> tuple[str, int]:
    args = {k: request.args[k].strip() for k in PARAMS if (request.args.get(k) or "").strip()}
    if not args.get("q"):
        return render_template("kwic.html", page=KwicPage(args=args), sorts=SORTS), 200
    try:
        parsed = parse_kwic_args(request.args, get_config())
        found, other = run(parsed)
    except QueryError as exc:
        return render_template("kwic.html", page=KwicPage(args=args, error=str(exc)), sorts=SORTS), 400
    return render_template("kwic.html", page=build_page(args, parsed, found, other), sorts=SORTS), 200
