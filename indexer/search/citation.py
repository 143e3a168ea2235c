"""Citations to copy: a paragraph (symbol, paragraph number, permalink) and a document (GB/T 7714).

Plain text, no markup: the web UI shows it as selectable text (and a copy button), the CLI prints it.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

UNDOCS_URL = "https://undocs.org/ch/"
# The issuing organ by symbol body (GB/T 7714: the "main responsible party").
AUTHORS = (("S/", "联合国安全理事会"), ("A/", "联合国大会"), ("E/", "联合国经济及社会理事会"),
           ("ST/", "联合国秘书处"), ("UNEP/", "联合国环境规划署"), ("TD/", "联合国贸易和发展会议"),
           ("DP/", "联合国开发计划署执行局"), ("CRC/", "儿童权利委员会"), ("CEDAW/", "消除对妇女歧视委员会"))
# GB/T 7714-2015 document type codes: R report, G collection (汇编), Z other; /OL: read online.
TYPE_CODES = {"报告": "R", "说明": "R", "汇编": "G"}


def permalink(base_url: str, doc_id: str, ordinal: int | None = None) -> str:
    """http://host/doc/<doc_id>#p<ordinal>: the paragraph's anchor on the document page."""
    url = f"{base_url.rstrip('/')}/doc/{quote(doc_id)}"
    return url if ordinal is None else f"{url}#p{ordinal}"


def paragraph_citation(symbols: list[str] | tuple[str, ...], title: str, paragraph: str | None, url: str) -> str:
    """"S/PRST/2021/9，第 3 段，http://…/doc/S_PRST_2021_9#p5" (the title when there is no symbol)."""
    parts = [symbols[0] if symbols else (title or "（无文号）")]
    if paragraph:
        parts.append(f"第 {paragraph} 段")
    parts.append(url)
    return "，".join(parts)


def author(symbols: list[str] | tuple[str, ...]) -> str:
    """The organ a symbol's body names; "联合国" when it names none we know."""
    for symbol in symbols:
        for prefix, name in AUTHORS:
            if symbol.startswith(prefix):
                return name
    return "联合国"


def gbt7714(symbols: list[str] | tuple[str, ...], title: str, doc_type: str, doc_date: str | None,
            url: str, accessed: dt.date) -> str:
    """A GB/T 7714-2015 reference to the document, e.g.
    "联合国安全理事会. 安全理事会主席声明: S/PRST/2021/9[Z/OL]. (2021-05-19)[2026-12-01]. https://undocs.org/ch/S/PRST/2021/9."
    """
    name = title or (symbols[0] if symbols else "")
    designation = f"{name}: {' / '.join(symbols)}" if symbols and symbols[0] not in name else name
    code = TYPE_CODES.get(doc_type, "Z")
    published = f"({doc_date})" if doc_date else ""
    link = UNDOCS_URL + quote(symbols[0], safe="/().") if symbols else url
    return f"{author(symbols)}. {designation}[{code}/OL]. {published}[{accessed.isoformat()}]. {link}."
