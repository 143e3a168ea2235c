"""Read-only, locked-down responses: GET/HEAD only, security headers, errors as plain sentences."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from indexer.errors import UndocsError

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
ALLOWED_METHODS = ("GET", "HEAD")
INTERNAL_ERROR = "服务器内部出错了，请稍后再试。错误已记录。"
HTTP_MESSAGES = {
    404: "找不到这个页面或文档。",
    405: "此网站只读：只接受 GET 和 HEAD 请求。",
    413: "请求太大。",
}
# The longest legal search URL (a 500-character query and two 500-character filters, all percent-encoded
# Chinese) is about 14 KB; anything longer is refused before parsing. README "Limits".
MAX_URL_BYTES = 16 * 1024


def init_app(app: Flask) -> None:
    app.before_request(_only_get)
    app.before_request(_url_not_too_long)
    app.after_request(_add_headers)
    app.register_error_handler(UndocsError, _undocs_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _internal_error)


def _only_get() -> None:
    if request.method not in ALLOWED_METHODS:
        raise MethodNotAllowed(valid_methods=list(ALLOWED_METHODS))


def _url_not_too_long() -> Response | None:
    size = len(request.environ.get("PATH_INFO", "").encode("latin-1", "replace")) + len(
        request.environ.get("QUERY_STRING", ""))
    if size <= MAX_URL_BYTES:
        return None
    return error_response(f"网址太长（{size} 字节，最多 {MAX_URL_BYTES} 字节）/ URL too long ({size} bytes, "
                          f"at most {MAX_URL_BYTES})", 414)


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "public, max-age=3600")
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(message: str, status: int) -> Response:
    """JSON {"error": …} under /api/, else the HTML error page."""
    if wants_json():
        response = jsonify({"error": message})
    else:
        response = Response(render_template("error.html", message=message, status=status), mimetype="text/html")
    response.status_code = status
    return response


def _undocs_error(exc: UndocsError) -> Response:
    if exc.status >= 500:
        log.warning("%s: %s", type(exc).__name__, exc)
    return error_response(str(exc), exc.status)


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    response = error_response(HTTP_MESSAGES.get(status, exc.name), status)
    if isinstance(exc, MethodNotAllowed):
        response.headers["Allow"] = ", ".join(ALLOWED_METHODS)
    return response


def _internal_error(exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(INTERNAL_ERROR, 500)
