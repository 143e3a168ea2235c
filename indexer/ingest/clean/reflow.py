"""Lines -> paragraphs: join lines broken mid-sentence, keep real paragraphs apart, spot headings.

Why these rules: Chinese has no hyphenation, so a wrapped line just stops. What ends a paragraph
in an extracted PDF is a line that stops short of the text width, or a next line that is
indented, numbered, bulleted or a heading. A page break (furniture, links, footnotes) shifts
the next line's indent by one, so there only a full last line followed by an unindented line
continues. Conversions with one paragraph per line ("flow" wrapping) are joined only where a long
line stops mid-sentence (a page break the converter kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from indexer.ingest.clean.lines import Line, display_width, is_terminal, join_text, strip_sentinels, tidy
from indexer.ingest.clean.sentences import LINES, is_heading_line, is_sentence_per_line, sentence_units
from indexer.ingest.clean.sentences import PROCEDURE_RE as PROCEDURE_LINE_RE
from indexer.language.genres import SELF, line_genre

WRAPPED = "wrapped"  # lines broken at the text width, as a PDF's text layer has them
FLOW = "flow"  # one paragraph per line
FULL = 0.8  # a line at least this share of the text width did not end its paragraph
BULLET_RE = re.compile(r"^[•·●▪■◦]\s*")
NUMBERED_RE = re.compile(r"^\d{1,3}\.(?:\s+|(?=[^\d\s.]))")
DATE_LEAD_RE = re.compile(r"^\d{1,2}\s?月\s?\d{1,2}\s?日[，,]")
ZH_SECTION_RE = re.compile(r"^[一二三四五六七八九十]+[.、．]\s*\S")
REP_SECTION_RE = re.compile(r"^\d+\.\s{2,}\S")
SESSION_RE = re.compile(r"^第[一二三四五六七八九十百]+(?:场会议|部分|章|节)\s*$")
TITLE_RE = re.compile(r"^(?:摘要|目录|附录|附件(?:[一二三四五六七八九十]+)?|秘书长的(?:报告|说明)|安全理事会主席声明|.{0,80}的(?:同文)?信(?:的附件)?)$")
REPORT_TITLE_RE = re.compile(r"^秘书长的(?:报告|说明)$")
CLAUSE_END = ("，", ",", "；", ";")
FLOW_SHORT = 40  # in flow text, a line shorter than this that stops mid-sentence is a title


@dataclass
class Unit:
    """Lines joined into one candidate paragraph."""

    lines: list[Line] = field(default_factory=list)
    text: str = ""
    kind: str = "text"

    @property
    def first(self) -> Line:
        return self.lines[0]


def detect_wrapping(lines: list[Line], fmt: str) -> str:
    """WRAPPED for lines broken at the text width (line length ≈ text width), FLOW for one paragraph per
    line, LINES for one sentence per line (see sentences.py)."""
    if fmt != "text" or not lines:
        return FLOW
    if is_sentence_per_line(lines, fmt):
        return LINES
    widths = sorted(display_width(x.text) for x in lines)
    if widths[len(widths) // 2] > 90:
        return FLOW
    finished = sum(is_terminal(x.text) for x in lines) / len(lines)  # wrapped lines mostly stop mid-sentence
    indented = sum(x.indent > 0 for x in lines) / len(lines)  # only a paragraph's first line is indented
    return WRAPPED if finished < 0.45 or 0 < indented < 0.6 else FLOW


def text_width(lines: list[Line]) -> int:
    """The width of a full line: the median of the lines long enough to be body text."""
    widths = [display_width(x.text) for x in lines]
    long = [w for w in widths if w >= 30]
    return int(median(long)) if long else max(widths, default=80)


def is_pattern_heading(text: str) -> bool:
    if "。" in text:  # first: a paragraph being joined is measured at each line it gains
        return False
    plain = tidy(strip_sentinels(text))
    if is_terminal(plain):
        return False
    return bool(
        ZH_SECTION_RE.match(plain) or REP_SECTION_RE.match(text) or SESSION_RE.match(plain) or TITLE_RE.match(plain)
    )


def strong_start(line: Line) -> bool:
    """A line that starts a paragraph wherever it stands (a letter title "…的信" may also end a wrapped line)."""
    plain = tidy(strip_sentinels(line.text))
    numbered = ZH_SECTION_RE.match(plain) or REP_SECTION_RE.match(line.text) or SESSION_RE.match(plain)
    return bool(BULLET_RE.match(line.text) or (numbered and is_pattern_heading(line.text)) or " | " in line.text)


def effective_indent(line: Line) -> int:
    """After a page break (links, furniture, or no blank line) extraction indents one space more."""
    return line.indent - (1 if line.page_break or not line.blank_before else 0)


def _title_line(line: Line, width: int | None = None) -> bool:
    """A line naming the document's genre that stands whole: a letter's or an agenda's own title line
    ("…给秘书长的同文信", "…届常会临时议程*"), short of the text width when `width` is given."""
    plain = tidy(strip_sentinels(line.text))
    if is_terminal(plain):
        return False
    genre = line_genre(plain)
    if genre is None:
        return False
    return display_width(plain) < FULL * width if width else genre[1] == SELF


HANGING_RE = re.compile(r"^\d{1,3}\.\s{2,}(?=\S)")  # "12.    Kumar先生(印度)说，…": text set at a tab stop


def _hanging(unit: Unit, line: Line) -> bool:
    """A line set at the text column of a hanging paragraph number goes on that paragraph."""
    m = HANGING_RE.match(unit.first.text)
    return bool(m) and line.indent == unit.first.indent + display_width(m.group()) and not NUMBERED_RE.match(line.text)


def _continues_wrapped(unit: Unit, line: Line, width: int) -> bool:
    last = unit.lines[-1]
    if PROCEDURE_LINE_RE.match(line.text) or HANGING_RE.match(line.text):
        return False  # "下午1时散会。" stands alone; a number set before a tab stop opens a paragraph
    if _hanging(unit, line):
        return True
    if strong_start(line) or (is_pattern_heading(unit.text) and display_width(last.text) < FULL * width):
        return False
    if _title_line(line, width) or (len(unit.lines) == 1 and (_title_line(last) or TITLE_RE.match(unit.text))):
        return False
    if is_terminal(unit.text) and (DATE_LEAD_RE.match(line.text) or NUMBERED_RE.match(line.text)):
        return False  # "…的支持。" then "12 月 4 日，安理会…" or "5. …": a new paragraph whatever the indent
    if unit.text.rstrip().endswith((*CLAUSE_END, "：", ":")) and NUMBERED_RE.match(line.text):
        return False  # a preambular "…原则，" or an operative "…；" then "1. 重申…": the next paragraph
    return display_width(last.text) >= FULL * width and effective_indent(line) <= 0


def _continues_flow(unit: Unit, line: Line) -> bool:
    if strong_start(line) or line.indent > 0 or NUMBERED_RE.match(line.text) or is_terminal(unit.text):
        return False
    if is_pattern_heading(unit.text):
        return False
    last = strip_sentinels(unit.lines[-1].text).rstrip()
    if len(last) >= FLOW_SHORT or last.endswith(("——", "—", "-")):
        return True
    return line.text.startswith("(") and not re.match(r"^\([a-z0-9]{1,3}\)\s", line.text)


def units(lines: list[Line], wrapping: str, width: int) -> list[Unit]:
    """Group lines into candidate paragraphs."""
    out: list[Unit] = []
    for line in lines:
        if out:
            unit = out[-1]
            joins = _continues_wrapped(unit, line, width) if wrapping == WRAPPED else _continues_flow(unit, line)
            if joins:
                unit.lines.append(line)
                unit.text = join_text(unit.text, line.text)
                continue
        out.append(Unit(lines=[line], text=line.text))
    return out


def classify(items: list[Unit], wrapping: str, width: int) -> list[Unit]:
    """Kinds: bullet, heading (by pattern, or a short title line before text), stub (a short line)."""
    for unit in items:
        plain = strip_sentinels(unit.text)
        if BULLET_RE.match(plain):
            unit.kind = "bullet"
        elif " | " in plain:
            unit.kind = "table_row"
        elif is_pattern_heading(unit.text) or _marked_heading(unit, wrapping):
            unit.kind = "heading"
        elif is_stub(unit, wrapping, width):
            unit.kind = "stub"
    return items


def _marked_heading(unit: Unit, wrapping: str) -> bool:
    """Text in the seeds' shape indents headings by two spaces (as readers/blocks.py to_text writes them)."""
    plain = tidy(strip_sentinels(unit.text))
    return wrapping != WRAPPED and unit.first.indent >= 2 and not is_terminal(plain) and "。" not in plain


def is_stub(unit: Unit, wrapping: str, width: int) -> bool:
    """A short line that ends no sentence: a title or an item of a list, decided by what surrounds it."""
    plain = tidy(strip_sentinels(unit.text))
    if is_terminal(plain) or "。" in plain or len(plain) > 60 or plain.endswith(CLAUSE_END):
        return False  # a title never ends in a comma: "…的重要作用，" is a preambular paragraph
    if wrapping == LINES:
        return len(plain) < FLOW_SHORT and is_heading_line(plain)
    if wrapping != WRAPPED:
        return len(plain) < FLOW_SHORT
    return len(unit.lines) <= 2 and display_width(unit.lines[-1].text) < FULL * width


def _list_text(group: list[Unit]) -> str:
    """A run of short lines as one list, items apart; a line without the lead most items share
    ("联合国同…的合作") is the wrapped end of the item before ("…条约组织" + "筹备委员会的合作")."""
    plains = [tidy(strip_sentinels(u.text)) for u in group]
    leads = [x[:3] for x in plains if len(x) > 3]
    lead = max(set(leads), key=leads.count) if len(leads) >= 3 else ""
    if not lead or leads.count(lead) * 2 < len(group):
        return " ".join(u.text for u in group)
    text = group[0].text
    for unit, plain in zip(group[1:], plains[1:], strict=True):
        text = join_text(text, unit.text) if not plain.startswith(lead) else f"{text} {unit.text}"
    return text


def resolve_stubs(items: list[Unit], wrapping: str) -> list[Unit]:
    """A lone short line before text (or right under a heading) is a heading; a run of them, a list."""
    out: list[Unit] = []
    group: list[Unit] = []

    def flush(next_kind: str | None) -> None:
        if not group:
            return
        after_heading = bool(out) and out[-1].kind == "heading"
        if len(group) == 1 and (after_heading or next_kind in ("text", "bullet", "table_row")):
            group[0].kind = "heading"
            out.append(group[0])
        else:
            merged = Unit(lines=[x for u in group for x in u.lines], text=_list_text(group))
            out.append(merged)
        group.clear()

    for unit in items:
        if unit.kind == "stub":
            if group and wrapping == WRAPPED and effective_indent(unit.first) >= 1:
                flush("stub")
            group.append(unit)
            continue
        if group and unit.kind == "heading" and REPORT_TITLE_RE.match(unit.text):
            title = group.pop()  # the cover's last line before "秘书长的报告" is the report's title
            flush("stub")
            title.kind = "heading"
            out.append(title)
        flush(unit.kind)
        out.append(unit)
    flush(None)
    for unit in out:
        if unit.kind == "stub":
            unit.kind = "text"
    return out


def reflow(lines: list[Line], wrapping: str, width: int) -> list[Unit]:
    """The whole rule chain for one stretch of body text."""
    grouped = sentence_units(lines, Unit) if wrapping == LINES else units(lines, wrapping, width)
    return resolve_stubs(classify(grouped, wrapping, width), wrapping)
