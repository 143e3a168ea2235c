"""Abbreviations and synonyms: 东盟 ↔ 东南亚国家联盟, 安理会 ↔ 安全理事会.

Two sources, merged per index generation: the definitions mined from the corpus
(abbreviations.json, {short: full}) and the curated groups in data/synonyms.txt.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from indexer.language.normalize import normalize


@lru_cache(maxsize=1)
def curated_groups() -> tuple[tuple[str, ...], ...]:
    """The groups of data/synonyms.txt, normalised; one group per line, `#` starts a comment."""
    groups = []
    text = resources.files("indexer.language").joinpath("data/synonyms.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        members = tuple(dict.fromkeys(normalize(w) for w in line.split("#", 1)[0].split()))
        if len(members) >= 2:
            groups.append(members)
    return tuple(groups)


def expansion_map(abbreviations: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """term -> its equivalents (both directions), from mined abbreviations plus the curated groups."""
    links: dict[str, dict[str, None]] = {}

    def link(a: str, b: str) -> None:
        if a and b and a != b:
            links.setdefault(a, {})[b] = None
            links.setdefault(b, {})[a] = None

    for group in curated_groups():
        for member in group[1:]:
            link(group[0], member)
    for short, full in abbreviations.items():
        short_n, full_n = normalize(short).strip(), normalize(full).strip()
        if 2 <= len(short_n) < len(full_n) <= 40:
            link(short_n, full_n)
    return {term: tuple(others) for term, others in links.items()}
