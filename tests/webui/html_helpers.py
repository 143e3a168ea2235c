"""Small HTML helpers shared by the web UI tests."""

from __future__ import annotations

import re
from html import unescape

_TAG_RE = re.compile(r"<[^>]+>")


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def page_text(html: str) -> str:
    """Visible text with tags removed and whitespace collapsed."""
    return " ".join(unescape(_TAG_RE.sub(" ", html)).split())
