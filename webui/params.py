"""URL query parameters -> SearchRequest, with a clear 400 message for every bad form.

The whole search state lives in the URL (q, type, from, to, speaker, symbol, sort, page, per_page),
so this module also builds the URLs that add or drop one parameter (facets, chips, pagination).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from indexer.config import Config
from indexer.errors import QueryError
from indexer.language.doctypes import DOC_TYPES, doc_type_from_alias
from indexer.models import SearchRequest

# URL parameter names in the order they appear in generated URLs.
PARAMS = ("q", "type", "from", "to", "speaker", "symbol", "sort", "page", "per_page")
FILTERS = ("type", "from", "to", "speaker", "symbol")
SORTS = {"relevance": "相关度", "-date": "最新", "date": "最早"}
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
FILTER_LABELS = {"type": "类型", "from": "起始日期", "to": "结束日期", "speaker": "发言者", "symbol": "文号"}


def _text(args: Mapping[str, str], name: str, limit: int) -> str | None:
    value = (args.get(name) or "").strip()
    if len(value) > limit:
        raise QueryError(f"{FILTER_LABELS.get(name, '查询')}太长（{len(value)} 个字符，最多 {limit} 个）")
    return value or None


def parse_date(value: str | None, name: str) -> str | None:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date); anything else is a QueryError."""
    if not value:
        return None
    m = DATE_RE.match(value)
    if not m:
        raise QueryError(f"{FILTER_LABELS[name]}“{value}”格式不对：请写 YYYY、YYYY-MM 或 YYYY-MM-DD，例如 2020-12-04")
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        date(year, month, day)
    except ValueError:
        raise QueryError(f"{FILTER_LABELS[name]}“{value}”不是有效日期") from None
    return value


def parse_doc_type(value: str | None) -> str | None:
    """A Chinese canonical type or an English alias -> the canonical name."""
    if not value:
        return None
    canonical = doc_type_from_alias(value)
    if canonical is None:
        raise QueryError(f"未知的文件类型“{value}”：可用 {'、'.join(DOC_TYPES)}")
    return canonical


def parse_int(value: str | None, name: str, default: int) -> int:
    """A positive integer parameter (page, per_page), ASCII digits only."""
    text = (value or "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise QueryError(f"{name} 必须是正整数（收到“{text[:40]}”）")
    return int(text)


def parse_search_args(args: Mapping[str, str], config: Config) -> SearchRequest:
    """Validate every parameter; per_page above the maximum is capped, not refused."""
    limit = config.max_query_chars
    q = _text(args, "q", limit) or ""
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise QueryError(f"未知的排序方式“{sort[:40]}”：可用 {'、'.join(SORTS)}")
    date_from = parse_date(_text(args, "from", 10 + 30), "from")
    date_to = parse_date(_text(args, "to", 10 + 30), "to")
    if date_from and date_to and _pad(date_from, "0") > _pad(date_to, "9"):
        raise QueryError(f"起始日期 {date_from} 晚于结束日期 {date_to}")
    page = parse_int(args.get("page"), "page", 1)
    if page > 10_000:
        raise QueryError(f"page 太大（{page}，最多 10000）")
    per_page = min(parse_int(args.get("per_page"), "per_page", config.per_page), config.max_per_page)
    return SearchRequest(
        q=q,
        doc_type=parse_doc_type(_text(args, "type", 40)),
        date_from=date_from,
        date_to=date_to,
        speaker=_text(args, "speaker", limit),
        symbol=_text(args, "symbol", limit),
        sort=sort,
        page=page,
        per_page=per_page,
    )


def _pad(value: str, digit: str) -> str:
    """Compare partial dates: 2020 as the start is 2020-00-00, as the end 2020-99-99."""
    return (value + f"-{digit}{digit}-{digit}{digit}")[:10]


def is_active(request: SearchRequest) -> bool:
    """Whether there is anything to search for (a query or a filter)."""
    return bool(request.q or request.doc_type or request.date_from or request.date_to or request.speaker
                or request.symbol)


def current_args(args: Mapping[str, str]) -> dict[str, str]:
    """The known, non-empty parameters of the current URL, in canonical order."""
    return {name: args[name].strip() for name in PARAMS if (args.get(name) or "").strip()}


def args_with(args: Mapping[str, str], drop: tuple[str, ...] = (), **changes: str | int | None) -> dict[str, str]:
    """The search parameters with some changed or removed; changing a filter resets the page."""
    params = {k: v for k, v in current_args(args).items() if k not in drop}
    if any(k != "page" for k in changes) or drop:
        params.pop("page", None)
    for key, value in changes.items():
        key = key.rstrip("_")  # from_ -> from
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return {k: params[k] for k in PARAMS if k in params}


def url_with(args: Mapping[str, str], drop: tuple[str, ...] = (), **changes: str | int | None) -> str:
    """The search URL of args_with(…)."""
    ordered = args_with(args, drop, **changes)
    return "/?" + urlencode(ordered) if ordered else "/"


def search_url(args: Mapping[str, str]) -> str:
    return "/?" + urlencode(current_args(args)) if current_args(args) else "/"
