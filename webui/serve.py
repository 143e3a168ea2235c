"""`undocs serve` / `python -m webui`: bring the index up to date, then serve with waitress."""

from __future__ import annotations

import logging
import sys

from indexer.config import Config
from indexer.errors import BuildLockedError, IndexMissingError, UndocsError
from webui import close_engine, create_app

log = logging.getLogger(__name__)


def prepare_index(config: Config, progress: bool = True) -> None:
    """Run the incremental build so the index exists and matches the corpus before serving."""
    from indexer.engine import open_backend
    from indexer.engine.store import current_generation

    if not config.corpus_dir.is_dir():
        current_generation(config.index_dir)  # IndexMissingError when there is nothing to serve
        print(f"undocs: corpus folder {config.corpus_dir} not found; serving the existing index", file=sys.stderr)
        return
    try:
        report = open_backend(config).build(config.corpus_dir, full=False, progress=progress)
    except BuildLockedError as exc:
        current_generation(config.index_dir)  # nothing to serve yet: let the caller report it
        print(f"undocs: {exc}; serving the existing index", file=sys.stderr)
        return
    print(report.summary(), file=sys.stderr)
    if report.documents == 0 and not (config.index_dir / "CURRENT").exists():
        raise IndexMissingError(config.index_dir, f"no documents found in {config.corpus_dir}")


def serve(config: Config) -> None:
    """Build, then serve until interrupted (debug only with UNDOCS_DEBUG=1)."""
    from waitress import create_server

    logging.basicConfig(level=logging.DEBUG if config.debug else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    prepare_index(config)
    app = create_app(config)
    try:
        server = create_server(app, host=config.host, port=config.port, threads=max(4, 2 * config.workers),
                               ident="undocs", clear_untrusted_proxy_headers=True)
    except (OSError, ValueError) as exc:  # the address is taken, not ours or not an address: say so, no traceback
        raise UndocsError(f"cannot listen on {config.host}:{config.port}: {getattr(exc, 'strerror', None) or exc}") from exc
    print(f"undocs: serving {config.index_dir} on http://{config.host}:{config.port}/ (Ctrl-C to stop)",
          file=sys.stderr, flush=True)
    try:
        server.run()
    finally:
        close_engine(app)
