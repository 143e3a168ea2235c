"""A real browser (Debian's chromium through Playwright) against the app served by waitress over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"browser tests need Debian's chromium at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert errors == [], f"browser console errors (CSP?): {errors}"


def _search_url_params(page: Any) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(page.url).query))


def test_search_filter_facet_hit_and_document(page: Any) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("区域组织")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/\?q="))
    expect(page.locator("li.hit").first).to_be_visible()
    assert _search_url_params(page) == {"q": "区域组织"}

    page.locator("details.filters > summary").click()
    page.select_option("#f-type", "主席声明")
    page.fill("#f-from", "2021-01-01")
    page.fill("#f-to", "2021-12-31")
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url(re.compile(r"type="))
    assert _search_url_params(page) == {"q": "区域组织", "type": "主席声明", "from": "2021-01-01", "to": "2021-12-31"}
    expect(page.locator("a.chip", has_text="类型：主席声明")).to_be_visible()
    types = page.locator("li.hit .meta .type").all_inner_texts()
    assert types and set(types) == {"主席声明"}

    page.locator("aside.facets a", has_text="2021").first.click()
    page.wait_for_url(re.compile(r"from=2021&to=2021"))
    assert _search_url_params(page)["from"] == "2021"
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    page.go_back()
    page.wait_for_url(re.compile(r"from=2021-01-01"))
    expect(page.locator("#f-from")).to_have_value("2021-01-01")
    page.go_forward()
    page.wait_for_url(re.compile(r"from=2021&to=2021"))

    page.locator("li.hit h2 a").first.click()
    page.wait_for_url(re.compile(r"/doc/S_PRST_2021_9\?q=.*#p\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"section.passage#{anchor}")
    expect(target).to_be_in_viewport()
    assert target.evaluate("el => el.matches(':target')")
    assert target.locator("mark").count() >= 1
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.screenshot(path=str(ARTIFACTS / "document.png"))


def test_cited_by_and_symbol_links(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/doc/S_PRST_2021_9")
    page.locator("section.cited-by a", has_text="测试用说明").first.click()
    page.wait_for_url(re.compile(r"/doc/webui-citing-note#p\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"section.passage#{anchor}")).to_contain_text("S/PRST/2021/9")

    page.locator(f"section.passage#{anchor} a.sym", has_text="S/PRST/2021/9").click()
    page.wait_for_url(re.compile(r"/doc/S_PRST_2021_9$"))
    expect(page.locator("h1")).to_be_visible()
    official = page.locator("a.official").first
    assert official.get_attribute("href") == "https://undocs.org/ch/S/PRST/2021/9"

    page.keyboard.press("/")  # the keyboard way back to searching, from any page
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("东盟")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/\?q=%E4%B8%9C%E7%9B%9F$"))
    expect(page.locator("p.expanded")).to_have_text("也搜索了：东南亚国家联盟")


def test_markup_in_a_document_is_text_in_the_browser(page: Any) -> None:
    page.goto("/doc/webui-citing-note")
    assert page.locator("section.passage b").count() == 0
    assert page.locator("section.passage script").count() == 0
    assert "<b>这不是粗体</b>" in page.locator("div.passages").inner_text()


def test_phone_width_search_page(browser: Any, live_server: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/?q=%E4%B8%9C%E7%9B%9F")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        page.screenshot(path=str(ARTIFACTS / "search-phone.png"), full_page=False)
        page.goto("/doc/S_PRST_2021_9")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "document-phone.png"), full_page=False)
    finally:
        context.close()
