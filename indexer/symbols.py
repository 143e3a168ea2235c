"""UN document symbols: find them in text and normalise them ("s/res/2532 (2020)" -> "S/RES/2532(2020)")."""

from __future__ import annotations

import re
import unicodedata

# A/75/345, S/2020/751, S/PRST/2021/9, S/PV.8711, S/RES/2532(2020), A/RES/75/1, A/73/328-S/2018/592 (two)
SYMBOL_RE = re.compile(
    r"(?<![A-Za-z0-9/])"
    r"(?P<symbol>(?:A|S|E|ST|A/RES|S/RES|S/PRST|S/PV|A/PV|A/C\.\d)"
    r"(?:/[A-Z]{1,6}(?:\.\d+)?)*"
    r"(?:[/.]\d+(?:\.\d+)?)+"
    r"(?:/(?:Add|Rev|Corr)\.\d+)*"
    r"(?:\s?\(\d{4}\))?)"
    r"(?![0-9])",
    re.IGNORECASE,
)
# 第 2532(2020)号决议, 2532(2020)号决议, 第 2532 (2020) 号决议
RESOLUTION_REF_RE = re.compile(r"(?:第\s*)?(?P<number>\d{3,4})\s*\(\s*(?P<year>(?:19|20)\d{2})\s*\)\s*号决议")


def normalize_symbol(text: str) -> str:
    """Canonical form: NFKC, upper case, no spaces, S/RES/N (YYYY) -> S/RES/N(YYYY)."""
    s = unicodedata.normalize("NFKC", text).strip().upper()
    s = re.sub(r"\s+", "", s)
    s = s.replace("/ADD.", "/Add.").replace("/REV.", "/Rev.").replace("/CORR.", "/Corr.")
    return s.rstrip(".,;，。；")


def find_symbols(text: str) -> list[tuple[int, int, str]]:
    """Every symbol and resolution reference in `text`, as (start, end, normalised symbol)."""
    found: list[tuple[int, int, str]] = []
    for m in SYMBOL_RE.finditer(text):
        found.append((m.start(), m.end(), normalize_symbol(m.group("symbol"))))
    for m in RESOLUTION_REF_RE.finditer(text):
        found.append((m.start(), m.end(), f"S/RES/{m.group('number')}({m.group('year')})"))
    found.sort()
    return found
