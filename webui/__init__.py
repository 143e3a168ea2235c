"""The Flask web UI: `create_app(config)` builds the app; the search engine is opened once per app."""

from __future__ import annotations

import threading
from dataclasses import fields, replace
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context

from indexer.config import Config

ENGINE_KEY = "undocs.engine"
GENERATION_HEADER = "X-Undocs-Generation"
_engine_lock = threading.Lock()


def create_app(config: Config | dict[str, Any] | None = None) -> Flask:
    """App factory. A dict may hold Config fields (lower case) and Flask settings (upper case)."""
    app = Flask(__name__)
    # "/doc//x" must be an unknown document (404), not a redirect to "/doc/x".
    app.url_map.merge_slashes = False
    undocs, flask_settings = _split_config(config)
    app.config.from_mapping(
        UNDOCS=undocs,
        DEBUG=undocs.debug,
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=16 * 1024,
        TEMPLATES_AUTO_RELOAD=undocs.debug,
    )
    app.config.update(flask_settings)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from webui import api, concordance, security, views
    from webui.markup import hit_highlight

    app.add_template_filter(hit_highlight, "highlight")
    security.init_app(app)
    app.after_request(_generation_header)
    app.teardown_request(_unpin)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(concordance.bp)
    return app


def _split_config(config: Config | dict[str, Any] | None) -> tuple[Config, dict[str, Any]]:
    if config is None:
        return Config(), {}
    if isinstance(config, Config):
        return config, {}
    names = {f.name for f in fields(Config)}
    unknown = [k for k in config if k.islower() and k not in names]
    if unknown:
        raise TypeError(f"unknown config keys: {', '.join(sorted(unknown))}")
    base = config.get("UNDOCS") if isinstance(config.get("UNDOCS"), Config) else Config()
    undocs = replace(base, **{k: v for k, v in config.items() if k in names})
    return undocs, {k: v for k, v in config.items() if not k.islower() and k != "UNDOCS"}


def get_config() -> Config:
    return current_app.config["UNDOCS"]


def get_engine() -> Any:
    """The app's SearchService, pinned to one generation for the rest of the request.

    A page asks the engine several questions (the document, its citations, the marks); a build that
    switches CURRENT meanwhile must not make one page from two generations. The generation's name
    goes out in the X-Undocs-Generation header.
    """
    engine = _shared_engine()
    if has_request_context() and "generation" not in g:
        pin = engine.pinned()
        g.generation = pin.__enter__()
        g.unpin = pin
    return engine


def _unpin(exc: BaseException | None) -> None:
    pin = g.pop("unpin", None)
    if pin is not None:
        pin.__exit__(None, None, None)


def _generation_header(response: Response) -> Response:
    if "generation" in g:
        response.headers[GENERATION_HEADER] = g.generation
    return response


def _shared_engine() -> Any:
    engine = current_app.extensions.get(ENGINE_KEY)
    if engine is None:
        from indexer.search.service import SearchService

        with _engine_lock:
            engine = current_app.extensions.get(ENGINE_KEY)
            if engine is None:
                engine = SearchService(get_config().index_dir, get_config())
                current_app.extensions[ENGINE_KEY] = engine
    return engine


def close_engine(app: Flask) -> None:
    """Release the engine's open index files (tests, server shutdown)."""
    engine = app.extensions.pop(ENGINE_KEY, None)
    close = getattr(engine, "close", None)
    if callable(close):
        close()
