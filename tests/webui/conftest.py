"""Web UI fixtures: the app over the real seed index, a test client, and a live waitress server."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webui import close_engine, create_app

WEBUI_FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A made-up note citing seed documents: the seeds never cite one another, so without it
# "cited by" and in-corpus symbol links would have nothing to show.
CITING_NOTE = "webui-citing-note"


@pytest.fixture(scope="session")
def webui_corpus(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five seeds plus the citing note, copied to a temporary corpus folder."""
    target = tmp_path_factory.mktemp("webui-corpus")
    for source in [*corpus_dir.iterdir(), *WEBUI_FIXTURES.iterdir()]:
        if source.is_file() and not source.name.startswith("."):
            shutil.copy2(source, target / source.name)
    return target


@pytest.fixture(scope="session")
def webui_index(webui_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real index of the seeds and the citing note, built once by the real builder."""
    from indexer.engine.build import build_index

    target = tmp_path_factory.mktemp("webui-index")
    report = build_index(webui_corpus, target, progress=False)
    assert report.failed == []
    return target


@pytest.fixture(scope="session")
def app(webui_index: Path, webui_corpus: Path) -> Iterator[Flask]:
    flask_app = create_app({"index_dir": webui_index, "corpus_dir": webui_corpus, "TESTING": True})
    yield flask_app
    close_engine(flask_app)


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
    from webui.serve import make_server

    server = make_server(flask_app, "127.0.0.1", 0, threads=4)  # the server `undocs serve` runs
    thread = threading.Thread(target=server.run, name="waitress-live", daemon=True)
    thread.start()
    return LiveServer(f"http://127.0.0.1:{server.effective_port}", server, thread)


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[LiveServer]:
    server = start_live_server(app)
    yield server
    server.stop()
