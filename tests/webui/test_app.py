"""The app factory: configuration by Config, by mapping, or from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.config import Config
from webui import close_engine, create_app


def test_config_object_is_used_as_is(tmp_path: Path) -> None:
    config = Config(index_dir=tmp_path, max_per_page=7)
    assert create_app(config).config["UNDOCS"] is config


def test_mapping_sets_config_fields_and_flask_settings(tmp_path: Path) -> None:
    app = create_app({"index_dir": tmp_path, "max_query_chars": 20, "TESTING": True})
    assert app.config["UNDOCS"].index_dir == tmp_path
    assert app.config["UNDOCS"].max_query_chars == 20
    assert app.testing is True


def test_unknown_config_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="unknown config keys: index"):
        create_app({"index": tmp_path})


def test_environment_is_read_when_no_config_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNDOCS_INDEX", str(tmp_path))
    assert create_app().config["UNDOCS"].index_dir == tmp_path


def test_query_length_limit_comes_from_the_config(webui_index: Path) -> None:
    app = create_app({"index_dir": webui_index, "max_query_chars": 5})
    response = app.test_client().get("/api/search", query_string={"q": "区域和次区域组织"})
    close_engine(app)
    assert response.status_code == 400
    assert response.get_json() == {"error": "查询太长（8 个字符，最多 5 个）"}
