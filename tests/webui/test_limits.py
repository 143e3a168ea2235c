"""A real `undocs serve` under bad input and deliberate limits: malformed requests over HTTP, an over-long
URL, over-large headers and bodies, and many long queries in parallel beside short ones.

Only non-timing properties are asserted (every request answered, none 5xx); benchmarks/starve.py
measures how long the short queries wait.
"""

from __future__ import annotations

import http.client
import itertools
import json
import random
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from indexer.engine.budget import MAX_TERMS
from tests import malformed
from tests.webui.serve_process import Served, get, raw_get, undocs_serve
from tests.webui.test_bad_input import REFUSED_OR_OK, SEED, _where, specific
from webui.security import MAX_URL_BYTES
from webui.serve import SERVER_LIMITS

N_SERVED = 150
# Legal queries near the 500-character limit (and within the engine's term bound): long ORs of common
# words, phrases, date ranges.
WORDS = ["安全理事会", "联合国", "秘书长", "会员国", "区域组织", "合作", "和平", "发展", "人权", "国际", "维持和平",
         "东盟", "非洲联盟", "决议", "报告"]
LONG_QUERIES = [
    " OR ".join((WORDS * 5)[:MAX_TERMS])[:490].rsplit(" OR ", 1)[0],
    " ".join(f'"{a}{b}"' for a, b in itertools.pairwise(WORDS)) + " OR 区域",
    " OR ".join(f"date:{year}" for year in range(1960, 2030))[:490].rsplit(" OR ", 1)[0],
    " OR ".join(f"({a} {b})" for a, b in zip(WORDS, reversed(WORDS), strict=True)),
]


@pytest.fixture(scope="module")
def served(webui_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with undocs_serve(webui_corpus, tmp_path_factory.mktemp("limits-index")) as server:
        yield server
    assert "Traceback" not in server.stderr, server.stderr


def _json(status: int, body: str | bytes) -> dict[str, object]:
    assert status < 500, (status, body)
    return json.loads(body)


def test_a_sample_of_malformed_parameters_over_http(served: Served) -> None:
    statuses = set()
    for params in malformed.generate(N_SERVED, random.Random(SEED + 3)):
        status, headers, body = get(served.port, "/api/search?" + urlencode(params))
        statuses.add(status)
        if status == 431:  # the request line alone is over waitress's 32 KB header limit: refused before the app
            assert body.startswith("Request Header Fields Too Large"), body
            continue
        assert status in REFUSED_OR_OK and headers["Content-Type"] == "application/json", _where(params)
        if status != 200:
            assert specific(_json(status, body)["error"]), _where(params)
        page_status, _, page = get(served.port, "/?" + urlencode(params))
        assert page_status in REFUSED_OR_OK and "Traceback" not in page, _where(params)
    assert {200, 400} <= statuses


@pytest.mark.parametrize("target", [
    b"/api/search?q=%ff%fe", b"/api/search?q=\xff\xfe\xfd", b"/api/search?q=%E4%B8", b"/api/search?q=\xe4\xb8",
    b"/api/search?q=%00", b"/api/search?q=%0d%0aSet-Cookie:x=1", b"/api/search?q=%%%", b"/api/search?q=a&q=b&q=(",
    b"/api/search?page=%EF%BC%91&q=x", b"/api/search?q=\xe4\xb8\x9c\xe7\x9b\x9f)", b"/api/search?;q=1",
    b"/api/doc/%2e%2e%2f%2e%2e%2fetc%2fpasswd", b"/api/doc/\xff", b"/api/doc/S_PRST_2021_9%00",
])
def test_raw_malformed_request_targets(served: Served, target: bytes) -> None:
    status, headers, body = raw_get(served.port, target)
    assert status in (200, 400, 404) and headers["Content-Type"] == "application/json", (status, body)
    data = _json(status, body)
    assert status == 200 or specific(str(data["error"]))
    assert "Set-Cookie" not in headers


def test_an_over_long_url_is_414_with_the_limit(served: Served) -> None:
    query = "%E4%B8%9C" * (MAX_URL_BYTES // 9 + 10)
    status, _, body = raw_get(served.port, b"/api/search?q=" + query.encode())
    size = len("/api/search") + len("q=" + query)
    assert status == 414
    assert _json(status, body) == {"error": f"网址太长（{size} 字节，最多 16384 字节）/ URL too long ({size} bytes, "
                                            "at most 16384)"}
    status, _, page = raw_get(served.port, b"/?q=" + query.encode())
    assert status == 414 and "网址太长" in page.decode("utf-8")


def _send(port: int, request: bytes) -> tuple[int, bytes]:
    """Send a whole request; the server may answer and close before reading all of it (then it resets)."""
    data = b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            for start in range(0, len(request), 4096):
                sock.sendall(request[start:start + 4096])
            while chunk := sock.recv(65536):
                data += chunk
        except (ConnectionResetError, BrokenPipeError):
            while chunk := _recv_or_empty(sock):
                data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def _recv_or_empty(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def test_over_large_headers_and_bodies_are_refused_and_the_server_goes_on(served: Served) -> None:
    big_header = b"X-Filler: " + b"a" * SERVER_LIMITS["max_request_header_size"] + b"\r\n"
    status, _ = _send(served.port, b"GET /api/search?q=x HTTP/1.1\r\nHost: h\r\n" + big_header + b"Connection: close\r\n\r\n")
    assert status == 431
    body = b"q=" + b"a" * (SERVER_LIMITS["max_request_body_size"] + 1)
    status, _ = _send(served.port, b"POST /api/search HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n"
                      b"Connection: close\r\n\r\n%s" % (len(body), body))
    assert status == 413
    status, reply = _send(served.port, b"POST /api/search HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
                          b"Connection: close\r\n\r\nq=x")
    assert status == 405 and json.loads(reply) == {"error": "此网站只读：只接受 GET 和 HEAD 请求。"}
    assert get(served.port, "/api/search?q=%E4%B8%9C%E7%9B%9F")[0] == 200


def _search(port: int, q: str) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", "/api/search?" + urlencode({"q": q, "per_page": 100}))
        response = conn.getresponse()
        data = json.loads(response.read())
        return response.status, int(data.get("total", -1))
    finally:
        conn.close()


def test_parallel_long_queries_and_short_ones_are_all_answered(served: Served) -> None:
    expected = {q: _search(served.port, q) for q in [*LONG_QUERIES, "东盟"]}
    assert all(status == 200 and total > 0 for status, total in expected.values()), expected
    with ThreadPoolExecutor(max_workers=24) as pool:
        long_runs = [pool.submit(_search, served.port, LONG_QUERIES[i % len(LONG_QUERIES)]) for i in range(60)]
        short_runs = [pool.submit(_search, served.port, "东盟") for _ in range(20)]
        answers = [f.result() for f in long_runs] + [f.result() for f in short_runs]
    assert answers[:60] == [expected[LONG_QUERIES[i % len(LONG_QUERIES)]] for i in range(60)]
    assert answers[60:] == [expected["东盟"]] * 20
