"""The distributed backend for real: shards on two searchd nodes, a node killed, the CLI and the API.

Each test module cluster is started by the `undocs cluster` code on free ports (tests/sphinx_nodes.py)
and built from the seeds by `undocs build`; a node is killed with SIGKILL, as a crash would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import pytest

from indexer.config import Config
from indexer.engine import open_backend
from indexer.engine.sphinx import cluster
from indexer.engine.sphinx.backend import SphinxBackend
from indexer.engine.sphinx.nodes import shard_of
from indexer.errors import IndexMissingError
from indexer.models import SearchRequest
from indexer.search.service import SearchService
from tests.conftest import CORPUS, ROOT
from tests.sphinx_nodes import CLUSTERS, SKIP_REASON, port_free, searchd_missing
from tests.webui.serve_process import get

pytestmark = pytest.mark.skipif(searchd_missing(), reason=SKIP_REASON)
WEB_PORTS = range(5690, 5700)
QUERY = "安理会"


def undocs(index_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UNDOCS_BACKEND": "sphinx", "UNDOCS_INDEX": str(index_dir), "UNDOCS_CORPUS": str(CORPUS)}
    env.pop("UNDOCS_SPHINX_NODES", None)  # the nodes `undocs cluster start` wrote under the index
    return subprocess.run([sys.executable, "-m", "indexer.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def kill(node: cluster.NodeSpec) -> None:
    pid = cluster.pid_of(node)
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.05)


def search_all(service: SearchService, q: str = QUERY) -> Any:
    return service.search(SearchRequest(q=q, per_page=1000))


@pytest.fixture(scope="module")
def built(sphinx_clusters: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[cluster.NodeSpec]]:
    """Two nodes, the seeds built into them through the CLI."""
    index_dir = tmp_path_factory.mktemp("sphinx-cli") / "index"
    nodes = CLUSTERS.start(index_dir, nodes=2)
    result = undocs(index_dir, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "5 documents" in result.stdout
    return index_dir, nodes


def test_documents_are_spread_over_both_shards_by_their_id(built: tuple[Path, list[cluster.NodeSpec]]) -> None:
    index_dir, _ = built
    held = {s.node.address: s.passages for s in cluster.status(index_dir)}
    with SearchService(index_dir, Config(backend="sphinx")) as service:
        docs = [service.get_document(d) for d in service.doc_ids()]
    per_shard = [sum(len(d.passages) for d in docs if shard_of(d.doc_id, 2) == i) for i in (0, 1)]
    assert list(held.values()) == per_shard and all(per_shard)


def _get(port: int, path: str) -> tuple[int, str]:
    status, _, body = get(port, path)
    return status, body


@pytest.fixture(scope="module")
def server(built: tuple[Path, list[cluster.NodeSpec]]) -> Iterator[int]:
    """`undocs serve` on the sphinx backend, on a free port of 5690-5699."""
    index_dir, _ = built
    port = next(p for p in WEB_PORTS if port_free(p))
    env = {**os.environ, "UNDOCS_BACKEND": "sphinx", "UNDOCS_INDEX": str(index_dir), "UNDOCS_CORPUS": str(CORPUS),
           "UNDOCS_PORT": str(port)}
    env.pop("UNDOCS_SPHINX_NODES", None)
    proc = subprocess.Popen([sys.executable, "-m", "indexer.cli", "serve"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def test_cli_json_and_api_give_the_same_answer(built: tuple[Path, list[cluster.NodeSpec]], server: int) -> None:
    index_dir, _ = built
    result = undocs(index_dir, "search", "--json", "S/PRST/2021/9")
    assert result.returncode == 0, result.stderr
    cli = json.loads(result.stdout)
    status, body = _get(server, "/api/search?q=S/PRST/2021/9")
    api = json.loads(body)
    assert status == 200
    assert cli["hits"][0]["passage_id"] == api["hits"][0]["passage_id"] == "S_PRST_2021_9-p0"
    assert cli["warnings"] == api["warnings"] == []
    for data in (cli, api):
        data.pop("took_ms")
    assert cli == api


def test_a_killed_node_leaves_the_other_shard_and_a_warning(built: tuple[Path, list[cluster.NodeSpec]],
                                                            server: int) -> None:
    """Runs last in this module: it kills the second node."""
    index_dir, nodes = built
    with SearchService(index_dir, Config(backend="sphinx")) as service:
        whole = search_all(service)
        survivors = {h.passage_id for h in whole.hits if shard_of(h.doc_id, 2) == 0}
        assert whole.warnings == [] and 0 < len(survivors) < whole.total
        kill(nodes[1])
        time.sleep(1.1)  # the catalogue is re-checked each second
        partial = search_all(service)
    assert {h.passage_id for h in partial.hits} == survivors and partial.total == len(survivors)
    assert len(partial.warnings) == 1 and f"{nodes[1].host}:{nodes[1].api_port}" in partial.warnings[0]
    status, body = _get(server, f"/api/search?q={quote(QUERY)}&per_page=100")
    api = json.loads(body)
    assert status == 200 and api["total"] == len(survivors) and len(api["warnings"]) == 1
    status, page = _get(server, f"/?q={quote(QUERY)}")
    assert status == 200 and "结果不完整" in page and f"{nodes[1].host}:{nodes[1].api_port}" in page
    result = undocs(index_dir, "search", "--json", QUERY)
    assert result.returncode == 0 and json.loads(result.stdout)["warnings"]
    gone = sorted({h.doc_id for h in whole.hits} - {h.doc_id for h in partial.hits})[0]
    status, _ = _get(server, f"/api/doc/{quote(gone)}")
    assert status == 503  # on the dead node: may come back, not "no such document"


def test_nodes_without_an_index_say_to_build(sphinx_clusters: Any, tmp_path: Path) -> None:
    CLUSTERS.start(tmp_path / "index", nodes=1)
    with pytest.raises(IndexMissingError) as info, SearchService(tmp_path / "index", Config(backend="sphinx")) as service:
        service.search(SearchRequest(q="东盟"))
    assert "run `undocs build` first" in str(info.value)


def test_with_the_first_node_down_the_next_one_aggregates(sphinx_clusters: Any, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    nodes = CLUSTERS.start(index_dir, nodes=2)
    backend = open_backend(Config(backend="sphinx"), index_dir)
    shutil.copytree(CORPUS, tmp_path / "corpus")
    backend.build(tmp_path / "corpus", workers=1)
    service = SearchService(backend=backend)
    whole = search_all(service)
    survivors = {h.passage_id for h in whole.hits if shard_of(h.doc_id, 2) == 1}
    kill(nodes[0])
    time.sleep(1.1)
    partial = search_all(service)
    service.close()
    assert {h.passage_id for h in partial.hits} == survivors and survivors
    assert partial.warnings and all(nodes[0].address in w or f"{nodes[0].host}:{nodes[0].api_port}" in w
                                    for w in partial.warnings)


def test_a_shrunk_file_leaves_no_old_passages_on_its_shard(sphinx_clusters: Any, tmp_path: Path) -> None:
    from indexer.ingest.pipeline import ingest

    index_dir, corpus = tmp_path / "index", tmp_path / "corpus"
    CLUSTERS.start(index_dir, nodes=2)
    corpus.mkdir()
    shutil.copy(CORPUS / "S_PRST_2021_9.txt", corpus)
    shutil.copy(CORPUS / "S_2021_130.txt", corpus)
    backend = open_backend(Config(backend="sphinx"), index_dir)
    backend.build(corpus, workers=1)
    before = len(backend.document("S_PRST_2021_9").passages)
    path = corpus / "S_PRST_2021_9.txt"
    path.write_text("\n\n".join(path.read_text(encoding="utf-8").split("\n\n")[:4]) + "\n", encoding="utf-8")
    report = backend.build(corpus, workers=1)
    want = ingest(path, corpus)
    got = backend.document("S_PRST_2021_9")
    held = sum(s.passages or 0 for s in cluster.status(index_dir))
    other = len(backend.document("S_2021_130").passages)
    backend.close()
    assert report.reread == ["S_PRST_2021_9.txt"] and len(want.passages) < before
    assert [p.text for p in got.passages] == [p.text for p in want.passages]
    assert held == len(want.passages) + other


SAME = [("非洲联盟", {}), ("安理会", {}), ('"区域和次区域组织"', {}), ("妇女 和平 安全", {}), ("和平 NOT 冲突", {}),
        ("东南亚国家联盟 OR 欧洲联盟", {}), ("COVID-19", {}), ("第2532(2020)号决议", {}), ("S/PRST/2021", {}),
        ("ref:S/PRST/2021/9", {}), ("title:区域组织", {}), ("合作", {"date_from": "2020-06", "date_to": "2021"}),
        ("和平", {"speaker": "秘书长"}), ("发言", {"speaker": "主席"}), ("安全", {"doc_type": "主席声明"}),
        ("区域", {"symbol": "S/PRST"}), ("东盟 火星基地", {}), ("-冲突 和平 OR 伙伴", {}), ("date:>2020 区域", {}),
        ("charter:VIII 区域", {}), ("宪章:第六章", {}), ("安全 OR charter:52", {})]


@pytest.mark.parametrize(("q", "filters"), SAME, ids=[q for q, _ in SAME])
def test_both_backends_find_the_same_passages(two_backends: tuple[SearchService, SearchService], q: str,
                                              filters: dict[str, str]) -> None:
    """Totals, the passages of every page, facets, expansions and unmatched words agree; only the
    order may differ (each backend ranks by its own scoring: BM25F with boosts / Sphinx BM25 and field weights)."""
    embedded, sphinx = (s.search(SearchRequest(q=q, per_page=1000, **filters)) for s in two_backends)
    assert (sphinx.total, sphinx.facets, sphinx.expansions, sphinx.unmatched) == (
        embedded.total, embedded.facets, embedded.expansions, embedded.unmatched)
    assert {h.passage_id for h in sphinx.hits} == {h.passage_id for h in embedded.hits}
    spans = {h.passage_id: h.spans for h in embedded.hits}
    assert all(h.spans == spans[h.passage_id] for h in sphinx.hits)


@pytest.fixture(scope="module")
def two_backends(sphinx_clusters: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SearchService,
                                                                                                    SearchService]]:
    root = tmp_path_factory.mktemp("same")
    CLUSTERS.start(root / "sphinx", nodes=2)
    services = []
    for name in ("embedded", "sphinx"):
        backend = open_backend(Config(backend=name), root / name)
        assert backend.build(CORPUS, workers=1).documents == 5
        services.append(SearchService(backend=backend))
    yield services[0], services[1]
    for service in services:
        service.close()


def test_cluster_commands_start_report_and_stop_nodes(sphinx_clusters: Any, tmp_path: Path) -> None:
    base = next(p for p in range(9300, 9390) if all(port_free(p + k) for k in (0, 6, 10, 16)))
    index_dir = tmp_path / "index"
    started = undocs(index_dir, "cluster", "start", "--nodes", "2", "--port", str(base), "--index", str(index_dir))
    try:
        assert started.returncode == 0, started.stderr
        assert started.stdout.splitlines()[-1] == (
            f"export UNDOCS_BACKEND=sphinx UNDOCS_SPHINX_NODES=127.0.0.1:{base},127.0.0.1:{base + 10}")
        assert (index_dir / "cluster" / "node1" / "searchd.conf").is_file()
        status = undocs(index_dir, "cluster", "status", "--index", str(index_dir))
        assert status.returncode == 0 and status.stdout.count("running (pid") == 2 and "0 passages" in status.stdout
    finally:
        stopped = undocs(index_dir, "cluster", "stop", "--index", str(index_dir))
    assert stopped.stdout.startswith("stopped 2 node(s)")
    after = undocs(index_dir, "cluster", "status", "--index", str(index_dir))
    assert after.returncode == 1 and after.stdout.count(": down") == 2


FIRST_PAGE = [("安全理事会", {}), ("维持和平", {}), ("区域组织", {}), ("非洲联盟", {}), ("集体安全", {}), ("人道主义 援助", {}),
              ("冲突 预防", {}), ("妇女 和平 安全", {}), ("秘书长 报告", {}), ("恐怖主义", {}), ("调解", {}), ("安理会", {}),
              ("伙伴关系", {}), ("安全", {"doc_type": "主席声明"}), ("和平", {"speaker": "秘书长"})]


def test_first_pages_share_most_passages_and_differ_in_order(two_backends: tuple[SearchService, SearchService]) -> None:
    """How the orders differ: Sphinx ranks by BM25 and the matched fields' weights (ranker=bm25, title
    and heading 2), the embedded backend by BM25F with boosts, one of them for the typed words standing
    together (compile.PROXIMITY_BOOST), which Sphinx leaves out; Sphinx's statistics are per shard.
    Where more than ten passages match, about two thirds of the embedded first ten are also Sphinx's
    first ten (with fewer, the same passages); over all these queries 73% (proximity_bm25 gave 73%,
    sph04 74%). Totals, facets and the typed-first tiers are the same (tests above)."""
    overlap, few = {}, []
    for q, filters in FIRST_PAGE:
        embedded, sphinx = (s.search(SearchRequest(q=q, **filters)) for s in two_backends)
        assert sphinx.total == embedded.total, q
        first = {h.passage_id for h in embedded.hits}
        shared = len(first & {h.passage_id for h in sphinx.hits}) / len(first)
        (overlap.__setitem__(q, shared) if embedded.total > 10 else few.append(shared))
    assert few and all(s == 1.0 for s in few)
    assert 0.55 <= sum(overlap.values()) / len(overlap) < 0.9 and min(overlap.values()) < 0.5, overlap


def test_an_expansion_that_matches_nothing_is_remembered_for_the_generation(
        two_backends: tuple[SearchService, SearchService]) -> None:
    """A search is compiled as if every word and expansion matches, its probes in the same batch; one
    that matches nothing (非盟 is in no seed) is remembered for the generation, so the next search
    drops it at once, with the same answer as the embedded backend both times."""
    embedded, sphinx = two_backends
    want = embedded.search(SearchRequest(q="非洲联盟"))
    backend = cast(SphinxBackend, sphinx.backend)
    first = sphinx.search(SearchRequest(q="非洲联盟"))
    assert '(@pairs "非盟")' in backend.catalog().absent
    again = sphinx.search(SearchRequest(q="非洲联盟"))
    assert (first.total, first.expansions, first.facets) == (again.total, again.expansions, again.facets) == (
        want.total, want.expansions, want.facets)
    assert [h.passage_id for h in first.hits] == [h.passage_id for h in again.hits]
