"""References to the UN Charter in a passage -> normalised tags ("VIII", "39", "2(7)").

A reference is a chain of chapters/articles right after the Charter's name (`《联合国宪章》第八章`,
`《宪章》第三十九条`, `《宪章》第六、第七和第八章`, `《宪章》第三十三至三十八条`, `《宪章》第 2 条第 7 款`),
or a bare `根据第七章` / `特别是第五十一条` in a passage that names the Charter elsewhere (the Council's
"acting under Chapter VII", "the Charter, in particular Article 51"). Other charters (`《东盟宪章》`) and a report's own chapters (`本报告第二章`) are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.language.charter import NUMBER, article_tag, chapter_tag, chinese_number
from indexer.language.normalize import nfkc

_SPACES_RE = re.compile(r"\s+")
CHARTER_RE = re.compile(r"《(?:联合国)?宪章》|(?<![\u4e00-\u9fff《])联合国宪章")
# after the name: "的", "所载", "规定的" may stand before the first 第
CHAIN_START_RE = re.compile(r"(?:的|所载的?|中的?|之)?(?=第)")
CONTEXT_RE = re.compile(rf"(?:根据|依照|按照|依据|援引|援用|特别是|尤其是)(?=第(?:{NUMBER})(?:章|条))")
ITEM_RE = re.compile(rf"(第)?({NUMBER})(章|条|款)?(?:第({NUMBER})款)?")
SEP_RE = re.compile(r"(、|和|及|以及|与|或|至|到|~|-|—|–)?(?=第|[0-9零〇一二两三四五六七八九十百])")
RANGE_SEPS = frozenset("至到~-—–")
MAX_RANGE = 20

Item = tuple[int, str | None, int | None, str | None]  # number, unit, paragraph, separator before


def charter_tags(texts: Iterable[str]) -> tuple[str, ...]:
    """The Charter chapters and articles the texts (a passage and its footnotes) cite, in order."""
    tags: list[str] = []
    for text in texts:
        text = nfkc(text)
        if "宪" not in text:  # the Charter's name (CHARTER_RE) is in every reference
            continue
        compact = _SPACES_RE.sub("", text)
        named = False
        for m in CHARTER_RE.finditer(compact):
            named = True
            start = CHAIN_START_RE.match(compact, m.end())
            if start is not None:
                tags += _tags(_chain(compact, start.end()))
        if named:
            for m in CONTEXT_RE.finditer(compact):
                tags += _tags(_chain(compact, m.end()))
    return tuple(dict.fromkeys(tags))


def _chain(text: str, pos: int) -> list[Item]:
    """The numbers from `pos` on, joined by 、和至…: "第六、第七和第八章" -> 6, 7, 8 (章)."""
    items: list[Item] = []
    sep: str | None = None
    while True:
        m = ITEM_RE.match(text, pos)
        if m is None or (not items and not m.group(1)) or (sep is None and items and not m.group(1)):
            break
        number = chinese_number(m.group(2))
        paragraph = chinese_number(m.group(4)) if m.group(4) else None
        if number is None:
            break
        items.append((number, m.group(3), paragraph, sep))
        pos = m.end()
        if m.group(3) is None and m.end() < len(text) and text[m.end()] not in "、和及与或至到~-—–":
            break
        s = SEP_RE.match(text, pos)
        if s is None:
            break
        sep, pos = s.group(1), s.end()
        if sep is None and not text.startswith("第", pos):
            break
    return items


def _tags(items: list[Item]) -> list[str]:
    """Units apply back to the numbers before them ("第六、第七和第八章"); ranges are expanded."""
    tags: list[str] = []
    unit: str | None = None
    resolved: list[tuple[int, str, int | None, str | None]] = []
    for number, own_unit, paragraph, sep in reversed(items):
        unit = own_unit or unit
        if unit is not None:
            resolved.append((number, unit, paragraph, sep))
    resolved.reverse()
    previous: tuple[int, str] | None = None
    article: int | None = None  # "第2条第4款和第7款": a lone 款 belongs to the last article
    for number, unit, paragraph, sep in resolved:
        if unit == "款":
            number, unit, paragraph = (article, "条", number) if article else (0, unit, None)
        article = number if unit == "条" else article
        if sep in RANGE_SEPS and previous and previous[1] == unit and 0 < number - previous[0] <= MAX_RANGE:
            tags += [t for n in range(previous[0] + 1, number) if (t := _tag(n, unit, None))]
        tag = _tag(number, unit, paragraph)
        if tag:
            tags.append(tag)
        previous = (number, unit)
    return tags


def _tag(number: int, unit: str, paragraph: int | None) -> str | None:
    if unit == "款":
        return None
    return chapter_tag(number) if unit == "章" else article_tag(number, paragraph)
