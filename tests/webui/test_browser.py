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


def test_concordance_page_aligns_sorts_and_charts(page: Any) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/kwic")
    page.locator("#q").fill('"区域和次区域组织"')
    page.locator("#vs").fill("区域组织")
    page.get_by_role("button", name="生成索引行").click()
    page.wait_for_url(re.compile(r"/kwic\?q="))
    assert _search_url_params(page) == {"q": '"区域和次区域组织"', "vs": "区域组织"}
    matches = page.locator("table.kwic-lines td.km mark")
    expect(matches.first).to_be_visible()
    total = int(page.locator("p.total strong").inner_text())
    assert matches.count() == total >= 30  # the seeds' 30 and the test note's
    lefts = {round(box["x"]) for box in (m.bounding_box() for m in matches.all()[:12]) if box}
    assert len(lefts) == 1  # every match starts in the same column
    assert page.locator("svg.usage-chart rect.bar.s1").count() >= 1
    assert page.locator("svg.usage-chart rect.bar.s2").count() >= 1
    assert "2021" in page.locator("svg.usage-chart").text_content()
    page.screenshot(path=str(ARTIFACTS / "kwic.png"), full_page=True)

    page.get_by_role("link", name="右侧上下文").click()
    page.wait_for_url(re.compile(r"sort=right"))
    rights = page.locator("table.kwic-lines td.km .kr").all_inner_texts()
    from indexer.language.normalize import compact_text, normalize

    compared = [compact_text(normalize(r))[:10] for r in rights]  # sorted as search compares text (，as ,)
    assert compared == sorted(compared) and len(set(compared)) > 10

    page.locator("table.kwic-lines td.km a").first.click()
    page.wait_for_url(re.compile(r"/doc/[^?]+\?q=.*#p\d+$"))
    target = page.locator(f"section.passage#{page.url.rsplit('#', 1)[1]}")
    expect(target).to_be_in_viewport()
    assert target.locator("mark", has_text="区域和次区域组织").count() >= 1


def test_citation_copy_button_puts_the_citation_on_the_clipboard(browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    try:
        page = context.new_page()
        page.goto("/doc/A_75_345-S_2020_901#p145")
        passage = page.locator("section.passage#p145")
        button = passage.locator("button.copy")
        expect(button).to_be_visible()
        button.click()
        expect(button).to_have_text("已复制")
        expected = f"A/75/345，第 108 段，{live_server.url}/doc/A_75_345-S_2020_901#p145"
        assert page.evaluate("navigator.clipboard.readText()") == expected
        page.locator("header.doc-head button.copy").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("联合国大会. ") and copied.endswith("https://undocs.org/ch/A/75/345.")

        page.goto("/?q=%E5%AE%AA%E7%AB%A0")
        page.locator("li.hit").first.locator("button.copy").click()
        first_cite = page.locator("li.hit").first.locator(".cite-text").inner_text()
        assert page.evaluate("navigator.clipboard.readText()") == first_cite
        assert first_cite.startswith("安全理事会惯例汇编") and f"{live_server.url}/doc/repertoire-" in first_cite
    finally:
        context.close()


def test_citations_are_plain_text_without_javascript(browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/doc/S_PRST_2021_9")
        cite = page.locator("section.passage#p3 .cite-text")
        expect(cite).to_have_text(f"S/PRST/2021/9，{live_server.url}/doc/S_PRST_2021_9#p3")
        expect(page.locator("section.passage#p3 button.copy")).to_be_hidden()
        page.goto("/kwic?q=%E5%AE%AA%E7%AB%A0")
        assert page.locator("svg.usage-chart rect.bar").count() >= 2  # the chart needs no script
    finally:
        context.close()
