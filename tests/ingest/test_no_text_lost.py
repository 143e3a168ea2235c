"""Nothing of the text is lost between the reader and the passages.

The accounting, exactly: every non-whitespace character of the input ends up in a passage, a
footnote (its marker and text), CleanText.furniture or CleanText.links — except
  - the Markdown syntax that was stripped (`[`, `](#)`, `\\`), computed by unmarkdown.markdown_syntax,
  - the footnote markers taken out of the passage text (their number is kept once, in Footnote.marker),
and passages may contain text that is not in the input only where Block.added says so (table labels).
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.ingest import readers
from indexer.ingest.clean import clean
from indexer.ingest.clean.unmarkdown import markdown_syntax
from indexer.ingest.structure import structure
from indexer.models import RawText
from tests.conftest import CORPUS, SEEDS


def chars(text: str) -> Counter[str]:
    return Counter(c for c in text if not c.isspace())


def accounted(raw: RawText) -> tuple[Counter[str], Counter[str]]:
    """(what the input holds minus what may go, what the output holds minus what was added)."""
    clean_text = clean(raw)
    blocks, _ = structure(clean_text)
    expected = chars(raw.text) - chars(markdown_syntax(raw.text))
    output: Counter[str] = Counter()
    for block in blocks:
        output += chars(block.text)
        output -= chars("".join(block.added))
        for note in block.footnotes:
            output += chars(note.marker + note.text)
            if note.offset >= 0:
                expected -= chars(note.marker)
    for kept in (*clean_text.furniture, *clean_text.links):
        output += chars(kept)
    return expected, output


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_character_of_a_seed_is_accounted_for(name: str) -> None:
    expected, output = accounted(readers.read(CORPUS / SEEDS[name]))
    assert expected - output == Counter()  # nothing lost
    assert output - expected == Counter()  # nothing invented


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_footnote_is_attached_exactly_once(name: str) -> None:
    clean_text = clean(readers.read(CORPUS / SEEDS[name]))
    blocks, _ = structure(clean_text)
    attached = [note.marker for block in blocks for note in block.footnotes]
    assert sorted(attached) == sorted(clean_text.footnotes)


def _seed_paragraphs() -> list[str]:
    blocks, _ = structure(clean(readers.read(CORPUS / SEEDS["rep36"])))
    return [b.text for b in blocks if b.kind == "text" and not b.footnotes and len(b.text) > 60]


PARAGRAPHS = _seed_paragraphs()


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


@settings(max_examples=40, deadline=None)
@given(
    picks=st.lists(st.integers(min_value=0, max_value=len(PARAGRAPHS) - 1), min_size=1, max_size=4),
    width=st.integers(min_value=14, max_value=40),
)
def test_wrapped_paragraphs_come_back_whole(picks: list[int], width: int) -> None:
    """Any paragraphs, wrapped at any width PDF-style (indent, blank line between lines), reflow to themselves."""
    originals = [PARAGRAPHS[i] for i in picks]
    lines: list[str] = []
    for para in originals:
        wrapped = _wrap(para, width)
        lines.append(" " + wrapped[0])
        lines.extend(wrapped[1:])
    raw = RawText(source=CORPUS / "wrapped.txt", text="\n\n".join(lines) + "\n", encoding="utf-8", format="text")
    expected, output = accounted(raw)
    assert expected == output
    texts = [p.text.replace(" ", "") for p in clean(raw).paragraphs]
    assert texts == [p.replace(" ", "") for p in originals]


PIECES = st.sampled_from(
    [
        "安理会", "举行了", " 3 次会议", "。", "，", "957 ", " 958 ", "\n", "\n\n", " ", "  ", "__________________",
        "https://undocs.org/ch/S/2020/751", "S/2021/130", "21-01922 6/14", "*2105177*", "[58/316](#)", "\\(",
        "5. ", "二. 引言", "表 1", "• ", "¹", "* ", "第一场会议", "视频会议日期 视频会议记录 标题", "2020 年 7 月 24 日 S/2020/751 ",
        "a ", "(赞成-反对-弃权)", "COVID-19", "\U000f0001", "的信", " \n", "S/PV.8711 ", "(Resumption 1)",
        "会议记录和日期 分项 其他文件", "36.  联合国与区域", "第 2553(2020)号决议", "15-0-0", "12 月 4 日，",
    ]
)


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(PIECES, min_size=1, max_size=40), fmt=st.sampled_from(["text", "pdf"]))
def test_any_text_is_cleaned_without_loss(pieces: list[str], fmt: str) -> None:
    """Arbitrary mixes of the seeds' ingredients never crash and never lose a character."""
    text = "".join(pieces)
    raw = RawText(source=CORPUS / "mixed.txt", text=text, encoding="utf-8", format=fmt)
    expected, output = accounted(raw)
    assert expected == output
