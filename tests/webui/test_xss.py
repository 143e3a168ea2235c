"""Script injection through every way in: a corpus of payloads (text, titles, symbols, speaker lines, file
names, sidecar fields) indexed by the real builder, and payloads as queries and filters. None reaches a
page as markup; in the real browser none runs (no `window.__xss`, no dialog, no injected element)."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.webui.xss_corpus import file_name, make_corpus
from webui import close_engine, create_app

# Tags the payloads bring and no page of ours uses; plus any script not ours (/static/…), any on* attribute,
# any javascript: URL.
FOREIGN_TAGS = {"img", "svg", "iframe", "object", "embed", "marquee", "math", "mtext", "style", "base", "video",
                "source", "textarea"}
URL_ATTRS = {"href", "src", "action", "data", "formaction", "srcdoc", "content"}


class _Injected(HTMLParser):
    """Collects every tag or attribute in a page that only an unescaped payload could have put there."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.counts: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1
        values = dict(attrs)
        if tag in FOREIGN_TAGS or (tag == "script" and not (values.get("src") or "").startswith("/static/")):
            self.found.append(f"<{tag} {attrs}>")
        if tag == "meta" and "http-equiv" in values:
            self.found.append(f"<meta {attrs}>")
        for name, value in attrs:
            if name.startswith("on") or (name in URL_ATTRS and (value or "").strip().lower().startswith("javascript:")):
                self.found.append(f"<{tag} {name}={value!r}>")


def injected(page: str) -> list[str]:
    parser = _Injected()
    parser.feed(page)
    parser.close()
    extra = [f"{tag} x{n}" for tag, n in parser.counts.items() if tag in ("html", "body", "title", "head") and n > 1]
    return parser.found + extra


@pytest.fixture(scope="module")
def xss(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, list[str], list[str]]]:
    """The app over the payload corpus: (app, payloads, document ids)."""
    from indexer.engine.build import build_index
    from indexer.search.service import SearchService

    corpus = tmp_path_factory.mktemp("xss-corpus")
    index = tmp_path_factory.mktemp("xss-index")
    payloads = make_corpus(corpus)
    report = build_index(corpus, index, progress=False)
    assert report.failed == [] and report.documents == len(payloads) + 10
    with SearchService(index) as service:
        doc_ids = service.doc_ids()
    app = create_app({"index_dir": index, "corpus_dir": corpus, "TESTING": True})
    yield app, payloads, doc_ids
    close_engine(app)


def _pages(payloads: list[str], doc_ids: list[str]) -> Iterator[tuple[str, dict[str, str]]]:
    """Every page a payload can reach: as query, as filter, in hits, facets, titles and documents."""
    yield "/", {"q": "跨站脚本测试", "per_page": "100"}
    yield "/", {"q": "type:信函 发言者", "per_page": "100"}
    for payload in payloads:
        yield "/", {"q": payload}
        yield "/", {"q": "跨站脚本测试 " + payload[:200]}
        yield "/", {"q": "测试", "speaker": payload[:200], "symbol": payload[:200], "type": payload[:30]}
        yield "/", {"q": "测试", "from": payload[:30], "sort": payload[:30], "page": payload[:30]}
    for doc_id in doc_ids:
        yield f"/doc/{doc_id}", {}
        yield f"/doc/{doc_id}", {"q": "跨站脚本测试 发言者"}
    yield f"/doc/{doc_ids[0]}", {"q": payloads[0]}


def test_no_payload_reaches_a_page_as_markup(xss: tuple[Flask, list[str], list[str]]) -> None:
    app, payloads, doc_ids = xss
    assert len(payloads) >= 50
    client = app.test_client()
    seen = 0
    for path, params in _pages(payloads, doc_ids):
        response = client.get(path, query_string=params)
        assert response.status_code in (200, 400), (path, params)
        page = response.get_data(as_text=True)
        assert injected(page) == [], (path, params)
        seen += page.count("window.__xss=1")
    assert seen > 1000  # the payloads are really on the pages, as text


def test_api_highlights_escape_the_payloads(xss: tuple[Flask, list[str], list[str]]) -> None:
    app, payloads, _ = xss
    results = app.test_client().get("/api/search", query_string={"q": "跨站脚本测试", "per_page": "100"}).get_json()
    assert results["total"] == len(payloads) + 10  # the letters and the meeting records
    highlights = "".join(hit["highlight"] for hit in results["hits"])
    assert injected(f"<div>{highlights}</div>") == []
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in highlights
    titles = {hit["title"] for hit in results["hits"] if hit["doc_id"].startswith("xss")}
    assert titles == {"测试标题" + p for p in payloads}  # the data itself is kept unchanged


def test_payload_file_names_keep_their_text_in_the_source_field(xss: tuple[Flask, list[str], list[str]]) -> None:
    app, payloads, doc_ids = xss
    client = app.test_client()
    sources = {client.get(f"/api/doc/{doc_id}").get_json()["source"] for doc_id in doc_ids}
    assert "xss02 <img src=x onerror=window.__xss=1>.txt" in sources
    named = [p for p in payloads if file_name(p) is not None]  # a slash cannot be in a file name
    assert len(named) >= 15 and all(any(s.endswith(f" {p}.txt") for s in sources) for p in named)


# --- the real browser --------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
INJECTED_JS = ("() => document.querySelectorAll('img, svg, iframe, object, embed, marquee, math, video, base, textarea, "
               "script:not([src^=\"/static/\"]), [onerror], [onload], [onfocus], [ontoggle], [onstart]').length")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"browser tests need Debian's chromium at {CHROMIUM}")
def test_no_payload_runs_in_the_browser(xss: tuple[Flask, list[str], list[str]]) -> None:
    from urllib.parse import urlencode

    from tests.webui.conftest import start_live_server

    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
    app, payloads, doc_ids = xss
    server = start_live_server(app)
    fired: list[str] = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(base_url=server.url)
            page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
            urls = [f"{path}?{urlencode(params)}" if params else path for path, params in _pages(payloads, doc_ids)]
            visited = _visit(page, urls[:2] + urls[2:2 + 4 * len(payloads):4] + urls[2 + 4 * len(payloads)::6]
                             + [f"/api/search?{urlencode({'q': '跨站脚本测试'})}"])
            browser.close()
    finally:
        server.stop()
    assert fired == []
    assert visited >= 60


def _visit(page: Any, urls: list[str]) -> int:
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__xss") is None, url
        assert page.evaluate(INJECTED_JS) == 0, url
    return len(urls)
