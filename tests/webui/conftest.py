"""Web UI fixtures: the app over the real seed index, a test client, and a live waitress server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webui import create_app


@pytest.fixture(scope="session")
def app(index_dir: Path) -> Flask:
    """The app over the real index built from corpus/ (conftest `index_dir`)."""
    return create_app({"index_dir": index_dir, "corpus_dir": Path("/nonexistent"), "TESTING": True})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class LiveServer:
    url: str
    server: object
    thread: threading.Thread

    def stop(self) -> None:
        """Close every socket from inside the server's own loop thread, then join it."""
        from waitress import wasyncore

        self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))  # type: ignore[attr-defined]
        self.thread.join(timeout=10)
        self.server.task_dispatcher.shutdown()  # type: ignore[attr-defined]


def start_live_server(flask_app: Flask) -> LiveServer:
    """Serve `flask_app` with waitress over real HTTP on a free loopback port, in a background thread."""
    from waitress import create_server

    server = create_server(flask_app, host="127.0.0.1", port=0, threads=4, ident="undocs-test")
    thread = threading.Thread(target=server.run, name="waitress-live", daemon=True)
    thread.start()
    return LiveServer(f"http://127.0.0.1:{server.effective_port}", server, thread)


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[LiveServer]:
    server = start_live_server(app)
    yield server
    server.stop()
