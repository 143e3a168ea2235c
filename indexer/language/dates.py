"""Dates: the document date from its header, and the event dates a passage tells, as ISO strings.

Event dates keep their precision: "2020-12-04", "2018-12", "2019".  A day without a year ("12 月 4 日")
takes the year of the nearest full date before it in the passage, else the year the document covers.
Not event dates (by decision): year ranges ("2021-2025 年", a plan's span), years inside 《…》 titles
("《2030 年议程》"), "YYYY 年议程"/"YYYY 年可持续发展议程" names, and resolution years ("2532(2020)").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from indexer.language.normalize import nfkc

MONTHS_EN = {
    m: i
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december"),
        start=1,
    )
}
ENGLISH_DATE_RE = re.compile(r"\b(?P<d>\d{1,2})\s+(?P<m>[A-Za-z]+)\s+(?P<y>(?:19|20)\d{2})\b")
CHINESE_DATE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")

# One date expression: [YYYY 年] [M 月] D 日, then more days of the same month: "、10 日和 13 日", "至 13 日".
_DAY_RUN_RE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"(?P<more>(?:\s*(?:、|和|及|与|至|到|-|–|—|,|，)\s*\d{1,2}\s*日)*)"
)
_MORE_DAY_RE = re.compile(r"(\d{1,2})\s*日")
# "2018 年 12 月", and more months of that year: "2020 年 3 月至 5 月", "2019 年 6 月和 7 月"
_MONTH_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d{1,2}\s*日)"
    r"(?P<more>(?:\s*(?:、|和|及|至|到|-|–|—)\s*\d{1,2}\s*月(?!\s*\d{1,2}\s*日))*)"
)
_MORE_MONTH_RE = re.compile(r"(\d{1,2})\s*月")
_YEAR_RE = re.compile(r"(?<![\d\-–—至到~])(?P<y>(?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)(?!\s*(?:可持续发展)?议程)")
# "2019 和 2020 年", "2017、2018 和 2019 年": the years before the last one, which _YEAR_RE takes
_LISTED_YEAR_RE = re.compile(
    r"(?<![\d\-–—至到~/])(?P<y>(?:19|20)\d{2})(?=\s*(?:、|和|及|与|，|,)\s*"
    r"(?:(?:19|20)\d{2}\s*(?:、|和|及|与|，|,)\s*)*(?:19|20)\d{2}\s*年(?!\s*\d{1,2}\s*月)(?!\s*(?:可持续发展)?议程))"
)
_YEAR_RANGE_RE = re.compile(r"(?:19|20)\d{2}\s*(?:年\s*)?(?:-|–|—|至|到|~)\s*(?:19|20)\d{2}\s*年")
_BOOK_TITLE_RE = re.compile(r"《[^》]*》")
_CONTEXT_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月")  # context_year


def make_date(year: int, month: int, day: int) -> str | None:
    """ISO date, or None when the calendar has no such day (2 月 30 日)."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def english_date(text: str) -> str | None:
    """The first "19 April 2021" in `text` as ISO."""
    for m in ENGLISH_DATE_RE.finditer(text):
        month = MONTHS_EN.get(m.group("m").lower())
        if month:
            return make_date(int(m.group("y")), month, int(m.group("d")))
    return None


def chinese_date(text: str) -> str | None:
    """The first full "2021 年 2 月 8 日" in `text` as ISO."""
    m = CHINESE_DATE_RE.search(unicodedata.normalize("NFKC", text))
    return make_date(int(m.group("y")), int(m.group("m")), int(m.group("d"))) if m else None


def parse_iso_date(text: str) -> str | None:
    """"2020-09-11" -> "2020-09-11"; anything else (or an impossible day) -> None."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    return make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    """Replace matches by spaces, keeping offsets, so later patterns skip them."""
    return pattern.sub(lambda m: " " * len(m.group()), text)


def event_dates(text: str, default_year: int | None = None) -> tuple[list[str], list[str]]:
    """(ISO dates in order of first mention, problems) for the dates a passage tells."""
    text = nfkc(text)
    if "年" not in text and "月" not in text:  # every form below names a year or a month
        return [], []
    text = _blank(_blank(text, _BOOK_TITLE_RE), _YEAR_RANGE_RE)
    found: list[tuple[int, str]] = []
    problems: list[str] = []
    year = default_year
    for m in _DAY_RUN_RE.finditer(text):
        if m.group("y"):
            year = int(m.group("y"))
        if year is None:
            continue  # a day without any year to give it: not guessed
        month = int(m.group("m"))
        for day in [int(m.group("d")), *(int(d) for d in _MORE_DAY_RE.findall(m.group("more")))]:
            iso = make_date(year, month, day)
            if iso:
                found.append((m.start(), iso))
            else:
                problems.append(f"'{month} 月 {day} 日' is not a real date ({year})")
    text = _blank(text, _DAY_RUN_RE)
    for m in _MONTH_RE.finditer(text):
        for month in [int(m.group("m")), *(int(x) for x in _MORE_MONTH_RE.findall(m.group("more")))]:
            if 1 <= month <= 12:
                found.append((m.start(), f"{m.group('y')}-{month:02d}"))
            else:
                problems.append(f"'{m.group('y')} 年 {month} 月' is not a real month")
    text = _blank(text, _MONTH_RE)
    for m in _YEAR_RE.finditer(text):
        found.append((m.start(), m.group("y")))
    for m in _LISTED_YEAR_RE.finditer(text):
        found.append((m.start(), m.group("y")))
    found.sort()
    return list(dict.fromkeys(iso for _, iso in found)), problems


def context_year(text: str) -> int | None:
    """The year of the last "YYYY 年 M 月" in `text`: the year a following day without one belongs to."""
    text = nfkc(text)
    if "年" not in text:
        return None
    years = _CONTEXT_YEAR_RE.findall(text)
    return int(years[-1]) if years else None
