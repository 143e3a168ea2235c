"""Word automatic numbering (numbering.xml) rendered as the text a reader sees: "5.", "(a)", "一.".

Why: UN paragraphs are cited by number, and in Word the number is not in the text but computed
from w:numPr (on the paragraph or its style) and the list's level definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE_DIGITS = "〇一二三四五六七八九"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True)
class Level:
    start: int
    fmt: str  # Word's numFmt: decimal, lowerLetter, upperRoman, chineseCounting, bullet, …
    text: str  # lvlText, "%1." — %n stands for level n-1's counter


def format_number(value: int, fmt: str) -> str:
    """One counter in one of Word's number formats."""
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = ""
        for amount, digits in _ROMAN:
            while value >= amount:
                roman, value = roman + digits, value - amount
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt.startswith(("chinese", "ideograph", "taiwanese")):
        return chinese_number(value)
    return str(value)


def chinese_number(value: int) -> str:
    """1..99 as 一 … 九十九 (larger values as digits): enough for UN section numbers."""
    if not 0 < value < 100:
        return str(value)
    tens, units = divmod(value, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CHINESE_DIGITS[tens] + "十")
    return head + (_CHINESE_DIGITS[units] if units else "")


class Numbering:
    """Counts list items through the document and renders each paragraph's label."""

    def __init__(self, document) -> None:
        """Read the list definitions (numbering.xml) and the list numbers styles carry."""
        self.levels: dict[str, dict[int, Level]] = {}  # numId -> ilvl -> Level
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numpr = _style_numpr(document)
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {a.get(f"{W}abstractNumId"): _levels(a) for a in root.iter(f"{W}abstractNum")}
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            levels = dict(abstract.get(ref.get(f"{W}val") if ref is not None else "", {}))
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                ilvl = int(override.get(f"{W}ilvl", "0"))
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = Level(int(start.get(f"{W}val", "1")), old.fmt, old.text)
            self.levels[num.get(f"{W}numId")] = levels

    def label(self, p) -> tuple[str, bool]:
        """(label text, is a bullet) for a paragraph; ("", False) when it is not numbered."""
        num_id, ilvl = self._numpr(p)
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return "", False
        level = levels[ilvl]
        if level.fmt == "bullet":
            return "", True
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        label = level.text
        for k in range(ilvl, -1, -1):
            lvl = levels.get(k)
            if lvl is not None:
                value = counts.get(k, lvl.start)
                label = label.replace(f"%{k + 1}", format_number(value, lvl.fmt))
        return label.strip(), False

    def _numpr(self, p) -> tuple[str | None, int]:
        """The list (numId) and level of a paragraph: its own numPr, else its style's."""
        numpr = p.find(f"{W}pPr/{W}numPr")
        num_id = ilvl = None
        if numpr is not None:
            num_id, ilvl = _numpr_values(numpr)
        style = p.find(f"{W}pPr/{W}pStyle")
        if num_id is None and style is not None:
            num_id, style_ilvl = self.style_numpr.get(style.get(f"{W}val"), (None, None))
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id == "0":  # numbering explicitly switched off
            return None, 0
        return num_id, ilvl or 0


def _numpr_values(numpr) -> tuple[str | None, int | None]:
    num = numpr.find(f"{W}numId")
    lvl = numpr.find(f"{W}ilvl")
    return (num.get(f"{W}val") if num is not None else None,
            int(lvl.get(f"{W}val")) if lvl is not None else None)


def _levels(abstract) -> dict[int, Level]:
    """An abstract list's levels: start value, number format, label template."""
    levels = {}
    for lvl in abstract.iterchildren(f"{W}lvl"):
        start = lvl.find(f"{W}start")
        fmt = lvl.find(f"{W}numFmt")
        text = lvl.find(f"{W}lvlText")
        levels[int(lvl.get(f"{W}ilvl", "0"))] = Level(
            int(start.get(f"{W}val", "1")) if start is not None else 1,
            fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
            text.get(f"{W}val", "") if text is not None else "",
        )
    return levels


def _style_numpr(document) -> dict[str, tuple[str | None, int | None]]:
    """style id -> (numId, ilvl), following basedOn so list styles inherited by a style count."""
    own: dict[str, tuple[str | None, int | None]] = {}
    based: dict[str, str] = {}
    for style in document.styles.element.iterchildren(f"{W}style"):
        style_id = style.get(f"{W}styleId")
        numpr = style.find(f"{W}pPr/{W}numPr")
        if numpr is not None:
            own[style_id] = _numpr_values(numpr)
        parent = style.find(f"{W}basedOn")
        if parent is not None:
            based[style_id] = parent.get(f"{W}val")
    resolved = {}
    for style_id in set(own) | set(based):
        seen, current = set(), style_id
        while current and current not in own and current not in seen:
            seen.add(current)
            current = based.get(current)
        if current in own:
            resolved[style_id] = own[current]
    return resolved
