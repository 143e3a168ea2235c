"""UN Charter chapters and articles: Chinese and Arabic numerals, the normalised tags, their labels.

Shared by ingestion (ingest/metadata/charter.py finds the references in a passage) and the query
language (`charter:VIII`, `宪章:39`, `charter:第2条第7款`). A tag is a chapter as a Roman numeral
("VIII"), an article as a number ("39") or an article's paragraph as "2(7)".
"""

from __future__ import annotations

import re
import unicodedata

CHAPTERS = 19  # Chapter XIX: ratification and signature
ARTICLES = 111
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
         "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX")
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100}
NUMBER = r"[0-9]+|[零〇一二两三四五六七八九十百]+"
TAG_RE = re.compile(r"^(?:([IVX]+)|([0-9]+)(?:\(([0-9]+)\))?)$")
VALUE_RE = re.compile(rf"^第?({NUMBER})(章|条)(?:第?({NUMBER})款)?$")


def chinese_number(text: str) -> int | None:
    """"三十九" -> 39, "一百零三" -> 103, "十一" -> 11, "39" -> 39; None if not a number."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and not (digit == 0 or DIGITS[ch] == 0):
                return None  # "三九" is no number
            digit = DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
    return total + (digit or 0)


def chapter_tag(number: int) -> str | None:
    """Chapter 8 -> "VIII"; None outside the Charter's nineteen chapters."""
    return ROMAN[number - 1] if 1 <= number <= CHAPTERS else None


def article_tag(number: int, paragraph: int | None = None) -> str | None:
    """Article 2, paragraph 7 -> "2(7)"; None outside the Charter's 111 articles."""
    if not 1 <= number <= ARTICLES:
        return None
    return f"{number}({paragraph})" if paragraph else str(number)


def index_terms(tags: tuple[str, ...] | list[str]) -> list[str]:
    """What the index holds for a passage's tags: "2(7)" is also found by `charter:2`."""
    terms = list(tags) + [t.split("(")[0] for t in tags if "(" in t]
    return list(dict.fromkeys(terms))


def parse_tag(value: str) -> str | None:
    """A query value -> a tag: "VIII", "viii", "第八章", "8章", "39", "第三十九条", "2(7)", "第2条第7款"."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).replace("（", "(").replace("）", ")")
    m = TAG_RE.match(text.upper())
    if m and m.group(1):
        return m.group(1) if m.group(1) in ROMAN else None
    if m:
        paragraph = int(m.group(3)) if m.group(3) else None
        return None if paragraph == 0 else article_tag(int(m.group(2)), paragraph)
    m = VALUE_RE.match(text)
    if m is None:
        return None
    number = chinese_number(m.group(1))
    paragraph = chinese_number(m.group(3)) if m.group(3) else None
    if number is None or (m.group(3) and not paragraph):
        return None
    return chapter_tag(number) if m.group(2) == "章" and not m.group(3) else article_tag(number, paragraph)


def tag_label(tag: str) -> str:
    """How a tag is shown: "VIII" -> "第八章", "39" -> "第39条", "2(7)" -> "第2条第7款"."""
    if tag in ROMAN:
        return f"第{_chinese(ROMAN.index(tag) + 1)}章"
    m = TAG_RE.match(tag)
    if m and m.group(3):
        return f"第{m.group(2)}条第{m.group(3)}款"
    return f"第{tag}条"


def _chinese(number: int) -> str:
    """1..19 in Chinese numerals (chapter labels)."""
    names = "一二三四五六七八九"
    if number < 10:
        return names[number - 1]
    return "十" + (names[number - 11] if number > 10 else "")


def tag_order(tag: str) -> tuple[int, int, int]:
    """Chapters first in Charter order, then articles by number and paragraph."""
    if tag in ROMAN:
        return (0, ROMAN.index(tag), 0)
    m = TAG_RE.match(tag)
    if m is None or m.group(1):
        return (2, 0, 0)
    return (1, int(m.group(2)), int(m.group(3) or 0))
