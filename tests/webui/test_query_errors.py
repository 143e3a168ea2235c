"""Queries the engine refuses (nothing to search for, a field value that is no symbol): 400 with its message."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(("q", "message"), [
    ("*", "没有可检索的词（只有标点或通配符） / nothing to search for (only punctuation or wildcards)"),
    ("ref:xyz", "不是有效的文号：xyz（ref: 需要文号，如 S/2020/1179、S/PRST/2021/9 或其开头 S/PRST）"),
])
def test_refused_query_is_400_with_the_engine_message(client: FlaskClient, q: str, message: str) -> None:
    page = client.get("/", query_string={"q": q})
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    api = client.get("/api/search", query_string={"q": q})
    assert api.status_code == 400
    assert message in api.get_json()["error"]
