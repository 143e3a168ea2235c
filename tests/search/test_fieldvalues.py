"""Field values as a user types them (speaker:, 发言者:) find what the indexer stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.engine.querytree import Field
from indexer.models import SearchRequest
from indexer.search.fieldvalues import field_node
from indexer.search.service import SearchService


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("越南代表", "越南"),  # the README's own example: 发言者:越南代表
        ("越南", "越南"),
        ("法国常驻代表", "法国"),
        ("英国代表", "联合王国"),
        ("安理会主席", "安全理事会主席"),
        ("东盟秘书长", "东盟秘书长"),
        ("欧盟外交与安全政策高级代表", "欧盟外交与安全政策高级代表"),  # an office, not a state's representative
        ("秘书", "秘书"),  # not a name: kept for the substring match
        ("代表", "代表"),
    ],
)
def test_speaker_value_takes_the_indexed_form(typed: str, stored: str) -> None:
    assert field_node("speaker", typed) == Field("speaker", stored)


@pytest.fixture(scope="module")
def engine(index_dir: Path) -> Iterator[SearchService]:
    with SearchService(index_dir) as eng:
        yield eng


@pytest.mark.parametrize("q", ["发言者:越南代表", "speaker:越南代表", "speaker:越南"])
def test_speaker_as_written_in_the_text_finds_the_passage(engine: SearchService, q: str) -> None:
    # rep36: "最后，越南代表表示希望这次会议创造的势头延续到未来"
    results = engine.search(SearchRequest(q=q, per_page=100))
    texts = [h.text for h in results.hits]
    assert any("越南代表表示希望这次会议创造的势头延续到未来" in t for t in texts)
    assert all("越南" in h.speakers for h in results.hits)


def test_speaker_filter_in_the_request_is_normalised_too(engine: SearchService) -> None:
    typed = engine.search(SearchRequest(q="", speaker="越南代表", per_page=100))
    stored = engine.search(SearchRequest(q="", speaker="越南", per_page=100))
    assert typed.total == stored.total >= 2
