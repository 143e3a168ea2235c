"""The cover header: symbols (never body citations), title, date, original language, job number."""

from __future__ import annotations

from indexer.ingest.metadata.header import header_symbols, read_header
from tests.conftest import CORPUS, FIXTURES, SEEDS


def _header(name: str):
    return read_header((CORPUS / SEEDS[name]).read_text(encoding="utf-8"))


def test_prst_cover() -> None:
    h = _header("prst")
    assert h.symbols == ("S/PRST/2021/9",)  # not S/2020/372, cited in the body
    assert h.title == "安全理事会主席声明"
    assert h.doc_date == "2021-04-19"
    assert h.original_language == "en"
    assert h.job_number == "21-05177"


def test_letter_symbol_from_page_header_and_date_from_title() -> None:
    h = _header("letter")
    assert h.symbols == ("S/2021/130",)
    assert h.title == "2021 年 2 月 8 日芬兰常驻联合国代表给安全理事会主席的信"
    assert h.doc_date == "2021-02-08"
    assert h.job_number == "21-01922"  # from the page footer "21-01922 6/14"


def test_report_header_without_symbol_line() -> None:
    h = _header("report")
    assert h.symbols == ()
    assert h.doc_date == "2020-09-11"
    assert h.original_language == "en"


def test_repertoire_table_symbols_are_not_its_own() -> None:
    assert _header("rep35").symbols == ()  # "S/2020/920" alone on a line of a table
    assert _header("rep36").symbols == ()


def test_two_symbols_on_one_cover_line() -> None:
    assert header_symbols(["联合国   A/73/328–S/2018/592", "大会"]) == ("A/73/328", "S/2018/592")


def test_furniture_symbols_count() -> None:
    assert header_symbols(["正文"], furniture=("S/2021/130",)) == ("S/2021/130",)


def test_verbatim_cover() -> None:
    h = read_header((FIXTURES / "S_PV_9999.txt").read_text(encoding="utf-8"))
    assert h.symbols == ("S/PV.9999",)
    assert h.title == "安全理事会第9999次会议"
    assert h.doc_date == "2021-06-01"


def test_resolution_text_without_masthead() -> None:
    text = "S/RES/2532 (2020)\n\n第 2532(2020)号决议\n\n2020 年 7 月 1 日安全理事会第 8736 次会议通过\n\n安全理事会，\n"
    h = read_header(text)
    assert h.symbols == ("S/RES/2532(2020)",)
    assert h.title == "第 2532(2020)号决议"
    assert h.doc_date == "2020-07-01"
