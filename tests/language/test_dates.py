"""Dates: the document date from the header, and the event dates each passage tells, at their precision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.ingest.pipeline import ingest
from indexer.language.dates import chinese_date, english_date, event_dates, parse_iso_date


@pytest.mark.parametrize(
    ("text", "year", "dates"),
    [
        ("12 月 4 日，安理会成员就此项目举行视频会议", 2020, ["2020-12-04"]),
        ("2021 年 4 月 19 日，依照因 2019 冠状病毒病大流行所致特殊情况", None, ["2021-04-19"]),
        ("谨随函转递 2020 年 11 月 12 日和 13 日在纽约", None, ["2020-11-12", "2020-11-13"]),
        ("会议于 1 月 9 日、10 日和 13 日举行了两次续会", 2020, ["2020-01-09", "2020-01-10", "2020-01-13"]),
        ("2018 年 12 月，我与非洲联盟委员会主席签署了", None, ["2018-12"]),
        ("非洲联盟 2019 年主题", None, ["2019"]),
        ("2019 年 9 月 25 日在安理会启动，10 月 3 日再次", None, ["2019-09-25", "2019-10-03"]),
        ("下一个行动计划(2021-2025 年)", 2020, []),
        ("通过了关于 COVID-19 的第 2532(2020)号决议", 2020, []),
        ("《2030 年可持续发展议程》和非洲联盟《2063 年议程》", None, []),
        ("2019年5月，我前往太平洋地区", None, ["2019-05"]),
        ("1 月 30 日，安理会", None, []),  # no year known: not guessed
        ("2020 年 3 月至 5 月，疫情期间", None, ["2020-03", "2020-05"]),
        ("2019 年 12 月至 2020 年 1 月", None, ["2019-12", "2020-01"]),
    ],
)
def test_event_dates_resolve_to_iso_at_their_precision(text: str, year: int | None, dates: list[str]) -> None:
    assert event_dates(text, year) == (dates, [])


def test_impossible_day_is_reported_not_raised() -> None:
    assert event_dates("2 月 30 日，安理会", 2021) == ([], ["'2 月 30 日' is not a real date (2021)"])


def test_impossible_month_is_reported() -> None:
    assert event_dates("2020 年 13 月，安理会") == ([], ["'2020 年 13 月' is not a real month"])


def test_header_dates_in_both_languages() -> None:
    assert english_date("Distr.: General 19 April 2021") == "2021-04-19"
    assert english_date("11 September 2020") == "2020-09-11"
    assert chinese_date("2021 年 2 月 8 日芬兰常驻联合国代表给安全理事会主席的信") == "2021-02-08"
    assert parse_iso_date("2020-13-45") is None


def test_rep36_day_without_year_takes_the_period(seed_docs) -> None:
    doc = seed_docs["rep36"]
    first = next(p for p in doc.passages if p.text.startswith("1 月 30 日"))
    assert first.dates[0] == "2020-01-30"
    december = next(p for p in doc.passages if p.text.startswith("12 月 4 日"))
    assert december.dates[0] == "2020-12-04"


def test_letter_seminar_days_are_both_dated(seed_docs) -> None:
    doc = seed_docs["letter"]
    transmittal = next(p for p in doc.passages if p.text.startswith("谨随函转递"))
    assert transmittal.dates[:2] == ("2020-11-12", "2020-11-13")


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("2019 和 2020 年，德国与大不列颠及北爱尔兰联合王国两次担任共同执笔方。", ["2019", "2020"]),
        ("2017、2018 和 2019 年举行了磋商。", ["2017", "2018", "2019"]),
        ("第 2019 和 2020 号决议", []),  # no 年: not years
        ("《2019 和 2020 年报告》", []),  # a title
        ("S/2019/997 和 2020 年", ["2020"]),  # a symbol's year
    ],
)
def test_years_listed_before_one_nian_are_all_events(text: str, dates: list[str]) -> None:
    assert event_dates(text)[0] == dates


def test_letter_years_listed_together_are_both_dated(seed_docs) -> None:
    (passage,) = [p for p in seed_docs["letter"].passages if "2019 和 2020 年，德国与大不列颠" in p.text]
    assert "2019" in passage.dates and "2020" in passage.dates


def test_impossible_date_in_a_document_becomes_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_text("2021 年 2 月 30 日，安理会举行了会议；3 月 1 日，安理会再次开会。\n", encoding="utf-8")
    doc = ingest(path)
    assert doc.warnings == ("passage odd-p0: '2 月 30 日' is not a real date (2021); skipped",)
    assert [d for p in doc.passages for d in p.dates] == ["2021-03-01"]  # the year carries to the next day


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=dt.date(1945, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(["", " "]))
def test_any_written_chinese_date_reads_back(day: dt.date, sep: str) -> None:
    text = f"{day.year}{sep}年{sep}{day.month}{sep}月{sep}{day.day}{sep}日，安理会开会。"
    assert event_dates(text) == ([day.isoformat()], [])
    assert chinese_date(text) == day.isoformat()
