"""Reflow of a run of short lines: a list keeps its items apart, a wrapped item is joined back."""

from __future__ import annotations

from indexer.models import Document


def test_report_agenda_item_wrapped_over_two_lines_is_one_item(seed_docs: dict[str, Document]) -> None:
    # corpus/A_75_345-S_2020_901.txt: "联合国同全面禁止核试验条约组织" / "筹备委员会的合作" (one item, wrapped)
    (agenda,) = [p for p in seed_docs["report"].passages if p.text.startswith("联合国同非洲联盟的合作")]
    assert "联合国同全面禁止核试验条约组织筹备委员会的合作 联合国同欧洲委员会的合作" in agenda.text
    assert "条约组织 筹备委员会" not in agenda.text
    # the other items stay apart
    assert "联合国同非洲联盟的合作 联合国同伊斯兰合作组织的合作" in agenda.text
    assert agenda.text.count(" 联合国同") == 25


def test_phrase_search_finds_the_rejoined_item(seed_docs: dict[str, Document]) -> None:
    texts = [p.text for p in seed_docs["report"].passages if "全面禁止核试验条约组织筹备委员会" in p.text]
    assert len(texts) == 3  # the agenda list, the heading of section 三 and paragraph 103
