"""Charter references in passages: recognised after the Charter's name, normalised, others left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.ingest.metadata.charter import charter_tags
from indexer.ingest.pipeline import ingest
from indexer.models import Document

REALDOCS = Path(__file__).resolve().parents[2].parent / "shared" / "realdocs"


@pytest.mark.parametrize(("text", "tags"), [
    # resolutions and presidential statements
    ("安全理事会，根据《联合国宪章》第七章采取行动，", ("VII",)),
    ("又回顾《宪章》第二十五条规定会员国同意接受并履行安全理事会之决议，", ("25",)),
    ("重申《联合国宪章》第 2 条第 7 款所载的不干涉原则", ("2(7)",)),
    ("回顾《宪章》第2条第4款和第7款，", ("2(4)", "2(7)")),
    ("根据《宪章》第五十二条第三款和第五十三条，", ("52(3)", "53")),
    # reports, letters, the Repertoire
    ("安理会在《宪章》第六、第七和第八章之下采取的行动", ("VI", "VII", "VIII")),
    ("关于和平解决争端的《宪章》第三十三至三十八条", ("33", "34", "35", "36", "37", "38")),
    ("《联合国宪章》第七章第四十一条规定的措施", ("VII", "41")),
    ("秘书长根据《联合国宪章》第九十九条提请安理会注意", ("99",)),
    ("根据《联合国 宪章》第\n八章开展合作", ("VIII",)),  # a line break inside, as in a PDF
    ("联合国宪章第一百零三条规定", ("103",)),
    # "第七章" alone counts where the passage names the Charter
    ("安理会重申《宪章》的宗旨，并根据第七章采取行动。", ("VII",)),
    ("依照《联合国宪章》的规定，特别是第五十一条，", ("51",)),
])
def test_references_are_normalised(text: str, tags: tuple[str, ...]) -> None:
    assert charter_tags([text]) == tags


@pytest.mark.parametrize("text", [
    "《东南亚国家联盟宪章》第八章",  # another charter
    "《非洲联盟宪章》第三十九条",
    "见本报告第二章和第三章。",  # a report's own chapters
    "根据第七章采取行动",  # no Charter named in the passage
    "维护《宪章》。见本报告，特别是第二部分和第三节。",  # the Charter named, but no chapter or article after 特别是
    "维护《联合国宪章》所载宗旨和原则",  # the Charter without a chapter or article
    "《宪章》第二十章",  # there are nineteen chapters
    "《宪章》第一百一十二条",  # and 111 articles
])
def test_no_tag_without_a_charter_reference(text: str) -> None:
    assert charter_tags([text]) == ()


def test_a_footnote_counts_for_its_passage() -> None:
    assert charter_tags(["安理会与区域组织的合作。", "见《宪章》第五十四条。"]) == ("54",)


def test_seed_report_paragraph_108_cites_chapter_viii(seed_docs: dict[str, Document]) -> None:
    passage = next(p for p in seed_docs["report"].passages if p.paragraph == "108")
    assert passage.charter == ("VIII",)


def test_seed_statement_cites_chapter_viii_and_in_particular_chapter_vi(seed_docs: dict[str, Document]) -> None:
    tagged = [p for p in seed_docs["prst"].passages if p.charter]
    assert [p.charter for p in tagged] == [("VIII",), ("VI",)]
    assert "《联合国宪章》第八章" in tagged[0].text
    assert "《联合国宪章》，特别是第六章" in tagged[1].text


def test_seed_repertoire_tags(seed_docs: dict[str, Document]) -> None:
    tags = {t for p in seed_docs["rep35"].passages for t in p.charter}
    assert tags == {"VI", "VII", "VIII"}


def test_real_documents_naming_the_charter_without_an_article_get_no_tag() -> None:
    if not REALDOCS.is_dir():
        pytest.skip(f"no real documents at {REALDOCS}")
    docs = [ingest(path, REALDOCS) for path in sorted(REALDOCS.glob("*.txt"))]
    naming = [p for d in docs for p in d.passages if "宪章》" in p.text]
    assert len(naming) >= 5
    assert [p.charter for d in docs for p in d.passages if p.charter] == []
