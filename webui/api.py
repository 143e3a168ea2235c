"""JSON API: GET /api/search (the `undocs search --json` shape) and GET /api/doc/<doc_id>."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request

from webui import get_config, get_engine
from webui.markup import results_json
from webui.params import parse_search_args
from webui.views import DOC_ID_RE

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> dict[str, Any]:
    """SearchResults.to_json() with each hit's highlight; bad parameters are QueryError -> {"error": …} with 400."""
    search_request = parse_search_args(request.args, get_config())
    return results_json(get_engine().search(search_request))


@bp.get("/doc/<path:doc_id>")
def document(doc_id: str) -> dict[str, Any]:
    """Document.to_json(): metadata and every passage."""
    if not DOC_ID_RE.match(doc_id):
        abort(404)
    return get_engine().get_document(doc_id).to_json()
