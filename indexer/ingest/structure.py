"""CleanText -> Blocks: paragraph numbers, heading paths, footnotes and spans, in reading order.

Why levels by pattern: UN documents number their chapters ("二. …", "36.  …", "第一场会议",
"表 1"); unnumbered short headings ("非洲联盟") sit one level below the last numbered one and
replace each other. Document titles ("…的信", "安全理事会主席声明") are passages but not part of
the path, which would otherwise repeat the title on every passage.
"""

from __future__ import annotations

import re

from indexer.models import Block, CleanText, Footnote, Paragraph

SEPARATOR = " › "
PARAGRAPH_NUMBER_RE = re.compile(r"^(\d{1,3})\.(?:\s+|(?=[^\d\s.]))")
CHAPTER_RE = re.compile(r"^(?:[一二三四五六七八九十]+[.、．]|\d+\.\s*|第[一二三四五六七八九十百]+(?:场会议|部分|章))")
TABLE_RE = re.compile(r"^表\s*\d+")
PART_RE = re.compile(r"^(?:附录|附件)")
TITLE_RE = re.compile(r"^目录$|临时议程\*?$|(?:的(?:同文)?信|的(?:同文)?信的附件|的普通照会|主席声明|秘书长的(?:报告|说明)|提交的工作文件|会议简要记录)\*?$")
BLOCK_SEPARATOR = "\n\n"


def heading_level(text: str) -> int | None:
    """0 annex/appendix, 1 numbered chapter or session, 2 table or unnumbered; None: title only."""
    if TITLE_RE.search(text):
        return None
    if PART_RE.match(text):
        return 0
    if CHAPTER_RE.match(text):
        return 1
    return 2


def normalise_heading(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def paragraph_number(para: Paragraph) -> str | None:
    if para.kind == "heading":
        return None
    match = PARAGRAPH_NUMBER_RE.match(para.text)
    return match.group(1) if match else None


class HeadingPath:
    """The stack of open headings; a heading closes those at its level and below."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []
        self.previous_was_heading = False

    def enter(self, text: str) -> None:
        level = heading_level(text)
        if level is None:
            if self.previous_was_heading and self.stack and self.stack[-1][0] == 2:
                self.stack.pop()  # "联合国同…的合作" over "秘书长的报告": both are the document's title
            return
        if level == 2 and self.previous_was_heading and self.stack and self.stack[-1][0] == 2:
            level = 3  # a subtitle right under an unnumbered heading
        if level == 2 and self.stack and self.stack[-1][0] >= 2 and not self.previous_was_heading:
            while self.stack and self.stack[-1][0] >= 2:
                self.stack.pop()
        self.stack = [(lv, t) for lv, t in self.stack if lv < level]
        self.stack.append((level, normalise_heading(text)))

    def path(self) -> str:
        return SEPARATOR.join(t for _, t in self.stack)


def structure(clean_text: CleanText) -> tuple[list[Block], str]:
    """Return the blocks and the cleaned document text their spans point into."""
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0
    path = HeadingPath()
    for para in clean_text.paragraphs:
        text = normalise_heading(para.text) if para.kind == "heading" else para.text
        if para.kind == "heading":
            path.enter(text)
        footnotes = tuple(
            Footnote(marker=ref.marker, text=ref.text or clean_text.footnotes.get(ref.marker, ""), offset=ref.offset)
            for ref in para.refs
        )
        heading = path.path()
        blocks.append(
            Block(
                text=text, paragraph=paragraph_number(para), heading=heading, span=(offset, offset + len(text)),
                footnotes=footnotes, kind=para.kind, added=para.added,
            )
        )
        path.previous_was_heading = para.kind == "heading"
        parts.append(text)
        offset += len(text) + len(BLOCK_SEPARATOR)
    return blocks, BLOCK_SEPARATOR.join(parts)
