"""UN document symbols: find them in text and normalise them ("s/res/2532 (2020)" -> "S/RES/2532(2020)").

Used by metadata (references, the document's own symbols) and by the query side (symbol: filters),
so both agree on one canonical spelling.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

# A/75/345, S/2020/751, S/PRST/2021/9, S/PV.8711, S/RES/2532(2020), A/RES/75/1, A/C.1/75/L.1,
# S/2020/1/Add.1; "A/73/328-S/2018/592" is two symbols.  A symbol needs at least one digit.
SYMBOL_RE = re.compile(
    r"(?<![A-Za-z0-9/.])"
    r"(?P<symbol>(?:A|S|E|ST|UNEP|DP|TD|CRC|CEDAW)"
    r"(?:/[A-Z]{1,8})*"  # body and series: /RES, /PRST, /C
    r"(?:/\d+(?:\.\d+)?|/[A-Z]{1,8}\.\d+|\.\d+)"  # the first numbered part: /2020, /PV.8711, /C.1
    r"(?:/(?:[A-Z]{1,8}(?:\.\d+)?|\d+(?:\.\d+)?))*"  # the rest: /75, /L.1, /Add.1
    r"(?:\s?\((?:\d{4}|Resumption\s?\d+)\))?)"  # S/RES/2532 (2020), S/PV.8699 (Resumption 1)
    r"(?![0-9A-Za-z])",
    re.IGNORECASE,
)
_YEAR = r"\\?\(\s*(?:19|20)\d{2}\s*\\?\)(?:\]\(#\))?"
# 第 2532(2020)号决议, 2532(2020)号决议, 第 2532 (2020) 号决议
RESOLUTION_REF_RE = re.compile(r"(?:第\s*)?(?P<number>\d{1,4})\s*\\?\(\s*(?P<year>(?:19|20)\d{2})\s*\\?\)\s*号决议")
# Lists sharing one 号决议: "第 2250(2015)和 2419(2018)号决议", "第 2250(2015)号和第 2419(2018)号决议"
_RESOLUTION_LIST_RE = re.compile(
    rf"(?:第\s*)?\[?\d{{1,4}}\s*{_YEAR}\s*(?:号)?"
    rf"(?:\s*(?:、|和|及|与|以及|,|，)\s*(?:第\s*)?\[?\d{{1,4}}\s*{_YEAR}\s*(?:号)?)*\s*决议"
)
_RESOLUTION_ITEM_RE = re.compile(r"(?P<number>\d{1,4})\s*\\?\(\s*(?P<year>(?:19|20)\d{2})\s*\\?\)")
# General Assembly: "大会第 58/316 号决议" -> A/RES/58/316
GA_RESOLUTION_REF_RE = re.compile(r"第\s*(?P<session>\d{1,2})/(?P<number>\d{1,3})\s*号决议")
# https://undocs.org/ch/S/RES/2553(2020), https://undocs.org/zh/A/75/345, https://undocs.org/S/2020/1
UNDOCS_URL_RE = re.compile(
    r"https?://(?:www\.)?undocs\.org/(?:(?:ch|zh|en|fr|es|ru|ar)/)?(?P<symbol>[A-Za-z0-9/.()%\-]+)", re.IGNORECASE
)

# What a symbol or an undocs.org link cannot do without: a letter right before "/" or "." (the body
# letters before the first numbered part; "undocs.org"). The resolution references all end in 决议.
_LETTER_STOP_RE = re.compile(r"[A-Z][/.]", re.IGNORECASE)


def normalize_symbol(text: str) -> str:
    """Canonical form: NFKC, upper case, no spaces, S/RES/N (YYYY) -> S/RES/N(YYYY)."""
    s = unicodedata.normalize("NFKC", text).strip().upper()
    s = re.sub(r"\s+", "", s).replace("\\", "")
    s = s.replace("/ADD.", "/Add.").replace("/REV.", "/Rev.").replace("/CORR.", "/Corr.")
    s = s.replace("(RESUMPTION", "(Resumption")
    return s.rstrip(".,;，。；")


def symbol_from_url(url: str) -> str | None:
    """The symbol an undocs.org link points to, or None for any other URL."""
    m = UNDOCS_URL_RE.fullmatch(url.strip())
    return normalize_symbol(unquote(m.group("symbol"))) if m else None


def find_symbols(text: str) -> list[tuple[int, int, str]]:
    """Every symbol, undocs.org link and resolution reference in `text`, as (start, end, normalised symbol)."""
    if "决议" not in text and _LETTER_STOP_RE.search(text) is None:  # most passages: none of the four can match
        return []
    return scan_symbols(text)


def scan_symbols(text: str) -> list[tuple[int, int, str]]:
    """find_symbols without its first check (what the check must never change)."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, symbol: str) -> None:
        if not any(s < end and start < e for s, e in taken):
            found.append((start, end, symbol))
            taken.append((start, end))

    for m in UNDOCS_URL_RE.finditer(text):
        add(m.start(), m.end(), normalize_symbol(unquote(m.group("symbol"))))
    for m in SYMBOL_RE.finditer(text):
        add(m.start(), m.end(), normalize_symbol(m.group("symbol")))
    for m in _RESOLUTION_LIST_RE.finditer(text):
        for item in _RESOLUTION_ITEM_RE.finditer(m.group()):
            add(m.start() + item.start(), m.start() + item.end(), f"S/RES/{item.group('number')}({item.group('year')})")
    for m in GA_RESOLUTION_REF_RE.finditer(text):
        add(m.start("session"), m.end("number"), f"A/RES/{m.group('session')}/{m.group('number')}")
    found.sort()
    return found


def unique_symbols(text: str) -> list[str]:
    """The distinct symbols of `text`, in order of first appearance."""
    return list(dict.fromkeys(s for _, _, s in find_symbols(text)))
