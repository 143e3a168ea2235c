"""Abbreviations defined in the text as 全称(简称): "东南亚国家联盟(东盟)" -> {"东盟": "东南亚国家联盟"};
Latin acronyms too: "冠状病毒病(COVID-19)" -> {"COVID-19": "冠状病毒病"}.

The full name is the run of Han characters before the bracket, trimmed at the start: the short form's
characters appear in order in the full name, so the full name starts at the last place from which they
still do ("…讨论联合国同东南亚国家联盟(东盟)" -> 东南亚国家联盟); a dropped leading "联合国"/"国际"/"世界"
is then put back ("联合国难民事务高级专员公署(难民署)").  Brackets that are not definitions — "(以英语发言)",
"(中国)", "(见附件)", "(2021-2025 年)", "(签名)" — fail these tests or are listed as non-definitions.
"""

from __future__ import annotations

import re

FULL_MAX = 40
DEFINITION_RE = re.compile(r"(?P<full>[\u4e00-\u9fff·]{2,40})[(（](?P<short>[\u4e00-\u9fff]{2,10})[)）]")  # what definitions() finds
_BRACKET_RE = re.compile(r"[(（](?P<short>[\u4e00-\u9fff]{2,10})[)）]")
_NAME_CHARS = frozenset(chr(c) for c in range(0x4E00, 0xA000)) | {"·"}
NOT_DEFINITIONS = re.compile(r"^(?:以.+发言|见.*|签名|续|草案|原文.*|赞成.*|节选|暂定|完)$")
DROPPED_PREFIXES = ("联合国", "国际", "世界")
# Latin acronyms: "冠状病毒病(COVID-19)"; their full name cannot be found by letters, so it starts after the
# last function word before the bracket ("这种关系在冠状病毒病(COVID-19)" -> 冠状病毒病).
ACRONYM_RE = re.compile(r"(?P<full>[\u4e00-\u9fff]{2,30})[(（](?P<short>[A-Z][A-Za-z]*[A-Z][A-Za-z0-9\-]*)[)）]")
_FUNCTION_CHARS = re.compile(r"[在的了和与同对是为及将从以由其于因使把被向这该各等]")
ACRONYM_FULL_CHARS = 12


def _is_subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def trim_full_name(candidate: str, short: str) -> str | None:
    """The full name inside `candidate` (text ending right before the bracket) for `short`, or None."""
    for start in range(len(candidate) - len(short), -1, -1):
        if candidate[start] == short[0] and _is_subsequence(short, candidate[start:]):
            full = candidate[start:]
            break
    else:
        return None
    extended = True
    while extended:
        extended = False
        for prefix in DROPPED_PREFIXES:
            head = candidate[: len(candidate) - len(full)]
            if head.endswith(prefix) and not full.startswith(prefix):
                full, extended = prefix + full, True
    return full if len(full) > len(short) else None


def find_abbreviations(text: str) -> dict[str, str]:
    """{short: full} for every 全称(简称) definition in `text`; the first definition of a short form wins."""
    found: dict[str, str] = {}
    for m in ACRONYM_RE.finditer(text):
        cut = max((f.end() for f in _FUNCTION_CHARS.finditer(m.group("full"))), default=0)
        full = m.group("full")[cut:]
        if 2 <= len(full) <= ACRONYM_FULL_CHARS and m.group("short") not in found:
            found[m.group("short")] = full
    for candidate, short in definitions(text):
        if short in found or NOT_DEFINITIONS.match(short):
            continue
        full = trim_full_name(candidate, short)
        if full:
            found[short] = full
    return found


def definitions(text: str) -> list[tuple[str, str]]:
    """(full, short) of each DEFINITION_RE match, in order, found from the brackets backwards: the
    regex itself tried up to 40 characters at every Han character of the document. A match is the
    bracket and the run of name characters before it, at most 40 and at least 2, not reaching back
    into the previous match."""
    out: list[tuple[str, str]] = []
    done = 0  # where the previous match ended
    for m in _BRACKET_RE.finditer(text):
        start = end = m.start()
        while start > max(done, end - FULL_MAX) and text[start - 1] in _NAME_CHARS:
            start -= 1
        if end - start >= 2:
            out.append((text[start:end], m.group("short")))
            done = m.end()
    return out
