"""Physical lines of an extracted text and the character tests the cleaning rules share.

Why a Line object: whether two lines belong to one paragraph depends on more than their text —
the indent, whether a page break (furniture, link run, footnote block) came between them, and
whether the source left a blank line. Each rule reads these facts instead of re-deriving them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

# A paragraph (or a line of one) ends here; a footnote sentinel after it does not change that.
TERMINAL = "。！？；：!?;:…"
CLOSERS = "”’」』)）》〉"
# Private-use characters stand in for footnote markers between the footnote and reflow rules.
SENTINEL_BASE = 0xF0000
_SENTINEL_RE = re.compile("[\U000f0000-\U000fffff]")
_CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’《》〈〉「」『』·—…]")
_CJK_PUNCT_RE = re.compile(r"[\u3000-\u303f\uff00-\uffef“”‘’《》〈〉「」『』·—…]")
_SPACED_HAN_RE = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?: [\u4e00-\u9fff]){2,}(?![\u4e00-\u9fff])")
_SPACES_RE = re.compile(r"[ \t\u00a0\u3000]+")


@dataclass(frozen=True)
class Line:
    """One non-blank physical line: its text without indent, and what surrounded it."""

    text: str
    indent: int  # leading spaces
    number: int  # 1-based line number in the source, for messages and ordering
    blank_before: bool  # a blank line separated it from the previous non-blank line
    page_break: bool = False  # furniture, a link run or a footnote block came just before it
    page: int = 0  # counts page breaks; footnotes are looked up on the same page
    trailing: bool = False  # the source line ended in a space (in a PDF table: the cell ends here)


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their indent; whitespace-only lines become `blank_before` flags."""
    out: list[Line] = []
    blank = False
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        raw = raw.replace("\u3000", " ").replace("\t", " ")
        trailing = raw.endswith(" ")
        raw = raw.rstrip()
        if not raw.strip():
            blank = True
            continue
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        out.append(Line(text=stripped, indent=indent, number=number, blank_before=blank, trailing=trailing))
        blank = False
    return out


def with_text(line: Line, text: str) -> Line:
    return line if text == line.text else replace(line, text=text)


def is_sentinel(char: str) -> bool:
    return bool(_SENTINEL_RE.match(char))


def has_sentinel(text: str) -> bool:
    return _SENTINEL_RE.search(text) is not None


def strip_sentinels(text: str) -> str:
    return _SENTINEL_RE.sub("", text)


def last_char(text: str) -> str:
    """The last visible character, ignoring footnote sentinels and spaces."""
    text = strip_sentinels(text).rstrip()
    return text[-1] if text else ""


def is_terminal(text: str) -> bool:
    """Does this text end a sentence (so a following line may start a new paragraph)?"""
    text = strip_sentinels(text).rstrip()
    while text and text[-1] in CLOSERS:
        text = text[:-1]
    return bool(text) and text[-1] in TERMINAL


def is_cjk(char: str) -> bool:
    return bool(char) and bool(_CJK_RE.match(char))


class _Widths(dict[str, int]):
    """Character -> columns (2 for East Asian wide and full-width), looked up once per character."""

    def __missing__(self, char: str) -> int:
        width = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if len(self) < 65536:  # a text of every code point must not grow it without end
            self[char] = width
        return width


_WIDTHS = _Widths()


@lru_cache(maxsize=16384)
def display_width(text: str) -> int:
    """Columns the text takes on the page: CJK characters count two (memoised: the wrapping and
    reflow rules measure each line several times)."""
    return sum(map(_WIDTHS.__getitem__, strip_sentinels(text)))


def join_text(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space next to CJK, one space between Latin words and digits."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    before, after = last_char(left), strip_sentinels(right)[:1]
    if not before or not after:
        return left + right
    if before in "([（《“‘/-—" or after in ")]）》”’，。、；：,.;:!?/-—%":
        return left + right
    if (before in ")）" and is_cjk(after)) or (after in "(（" and is_cjk(before)):
        return left + right
    if (is_cjk(before) and is_cjk(after)) or _CJK_PUNCT_RE.match(before) or _CJK_PUNCT_RE.match(after):
        return left + right
    return f"{left} {right}"


def tidy(text: str) -> str:
    """Collapse runs of spaces (tabs, no-break and ideographic spaces become one space too)."""
    if "  " in text or "\t" in text or "\u00a0" in text or "\u3000" in text:  # else nothing to collapse
        text = _SPACES_RE.sub(" ", text)
    return text.strip()


def unspace_han(text: str) -> str:
    """Letter-spaced Han in a table cell or masthead ("秘 书 长 的 信") -> "秘书长的信"."""
    return _SPACED_HAN_RE.sub(lambda m: m.group(0).replace(" ", ""), text)
