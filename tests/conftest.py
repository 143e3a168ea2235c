"""Session fixtures: the real corpus, ingested once; the real index, built once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from indexer.ingest.pipeline import ingest
from indexer.models import Document, Hit
from indexer.search.service import SearchService

# In CI the property tests are derandomised: the same examples every run, so a red run is reproducible.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Short names for the five seed documents in corpus/.
SEEDS = {
    "rep36": "repertoire-2020-part1-sec36-regional-cooperation.txt",
    "rep35": "repertoire-2020-part1-sec35-maintenance-of-peace.txt",
    "prst": "S_PRST_2021_9.txt",
    "report": "A_75_345-S_2020_901.txt",
    "letter": "S_2021_130.txt",
}


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, Document]:
    """Each seed ingested once, by short name."""
    return {name: ingest(CORPUS / file, CORPUS) for name, file in SEEDS.items()}


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real Whoosh index built from corpus/ by the real builder, once per session."""
    from indexer.engine.build import build_index

    target = tmp_path_factory.mktemp("index")
    report = build_index(CORPUS, target, progress=False)
    assert report.failed == []
    return target


def highlight(hit: Hit) -> str:
    """A hit's fragments as the web UI and the JSON API show them (spans -> <mark>)."""
    from webui.markup import fragments_html

    return fragments_html(hit.text, hit.spans, hit.fragments)


def marked(service: SearchService, text: str, q: str) -> str:
    """A whole text with the query's terms marked, as the document page shows it."""
    from webui.markup import mark_html

    return mark_html(text, service.marks(text, q))


@pytest.fixture(scope="session")
def sphinx_clusters() -> Iterator[Any]:
    """searchd clusters started on demand (tests/sphinx_nodes.py), all stopped at the end of the session."""
    from tests.sphinx_nodes import clusters_fixture

    yield from clusters_fixture()
