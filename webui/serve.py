"""`undocs serve` / `python -m webui`: bring the index up to date, then serve with waitress."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

from indexer.config import Config
from indexer.errors import BuildLockedError, IndexWriteError, UndocsError
from webui import close_engine, create_app

log = logging.getLogger(__name__)


def prepare_index(config: Config, progress: bool = True) -> None:
    """Run the incremental build so the index exists and matches the corpus before serving."""
    from indexer.engine import open_backend

    backend = open_backend(config)
    if not config.corpus_dir.is_dir():
        _check_servable(backend)  # IndexMissingError when there is nothing (usable) to serve
        print(f"undocs: corpus folder {config.corpus_dir} not found; serving the existing index", file=sys.stderr)
        return
    try:
        report = backend.build(config.corpus_dir, full=False, progress=progress)
    except (BuildLockedError, IndexWriteError) as exc:
        _check_servable(backend)  # nothing (usable) to serve yet: let the caller report it
        print(f"undocs: {exc}; serving the existing index", file=sys.stderr)
        return
    print(report.summary(), file=sys.stderr)
    if report.documents == 0:
        raise UndocsError(f"nothing to serve: no document in {config.corpus_dir} could be indexed; "
                          "add .txt, .pdf, .docx or .html files or point --corpus at them")


def _check_servable(backend: Any) -> None:
    """Open the live index once (IndexMissingError or a damaged-index error if it cannot serve)."""
    try:
        backend.document_ids()
    finally:
        backend.close()


_NON_ASCII_RE = re.compile(rb"[\x80-\xff]")


def percent_encode_request_line(header_plus: bytes) -> bytes:
    """Raw UTF-8 in the request line (curl 'http://…/api/search?q=东盟') percent-encoded, as a browser sends it.

    Waitress answers such a request with a plain-text "Bad URI" before the app sees it.
    """
    end = header_plus.find(b"\r\n")
    line = header_plus if end < 0 else header_plus[:end]
    encoded = _NON_ASCII_RE.sub(lambda m: b"%%%02X" % m.group()[0], line)
    return encoded if end < 0 else encoded + header_plus[end:]


def _channel_class() -> type:
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser

    class Utf8RequestParser(HTTPRequestParser):
        def parse_header(self, header_plus: bytes) -> None:
            super().parse_header(percent_encode_request_line(header_plus))

    class Utf8Channel(HTTPChannel):
        parser_class = Utf8RequestParser

    return Utf8Channel


# Limits set on purpose (README "Limits"): a read-only GET API needs no request body; the request line and
# headers fit a 16 KB URL (webui.security.MAX_URL_BYTES) with room to spare; idle connections are closed.
SERVER_LIMITS = {
    "max_request_header_size": 32 * 1024,  # request line + headers; above: 431 from waitress
    "max_request_body_size": 16 * 1024,  # above: 413 from waitress (bodies are never read: GET/HEAD only)
    "connection_limit": 100,  # open connections; more wait in the listen backlog
    "channel_timeout": 60,  # seconds an idle connection is kept
}


def server_threads(workers: int) -> int:
    """Request threads: 2 per build worker (one CPU-bound search each, one waiting on I/O), 4 to 32."""
    return min(32, max(4, 2 * workers))


def make_server(app: Any, host: str, port: int, threads: int) -> Any:
    """A waitress server for the app, accepting raw UTF-8 URLs; UndocsError if it cannot listen."""
    from waitress import create_server
    from waitress.server import BaseWSGIServer

    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="undocs",
                               clear_untrusted_proxy_headers=True, **SERVER_LIMITS)
    except (OSError, ValueError) as exc:  # the address is taken, not ours or not an address: say so, no traceback
        raise UndocsError(f"cannot listen on {host}:{port}: {getattr(exc, 'strerror', None) or exc}") from exc
    channel = _channel_class()
    for listener in [server, *getattr(server, "map", {}).values()]:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = channel
    return server


def serve(config: Config) -> None:
    """Build, then serve until interrupted (debug only with UNDOCS_DEBUG=1)."""
    logging.basicConfig(level=logging.DEBUG if config.debug else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    prepare_index(config)
    app = create_app(config)
    server = make_server(app, config.host, config.port, threads=server_threads(config.workers))
    print(f"undocs: serving {config.index_dir} on http://{config.host}:{config.port}/ with {server.adj.threads} "
          "threads (Ctrl-C to stop)",
          file=sys.stderr, flush=True)
    try:
        server.run()
    finally:
        close_engine(app)
