from pathlib import Path

import pytest

from advisor.settings import Settings
from advisor.wiring import managed_server


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for key in list(os.environ):
        if key.startswith(("SYMBIOSIS_", "NEO4J_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


def test_defaults_use_a_managed_server_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "/tmp/xdg")
    s = Settings()
    assert s.data_dir == Path("/tmp/xdg/symbiosis")
    assert s.neo4j.managed and s.neo4j.bolt_port == 7687
    assert managed_server(s) is not None


def test_environment_overrides_nested_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYMBIOSIS_DATA_DIR", "/srv/sym")
    monkeypatch.setenv("SYMBIOSIS_NEO4J__HEAP", "2g")
    monkeypatch.setenv("SYMBIOSIS_NEO4J__BOLT_PORT", "17687")
    s = Settings()
    assert s.data_dir == Path("/srv/sym") and s.neo4j.heap == "2g" and s.neo4j.bolt_port == 17687
    assert s.neo4j_home == Path("/srv/sym/neo4j")


def test_conventional_neo4j_variables_select_an_external_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://example.databases.neo4j.io")
    monkeypatch.setenv("NEO4J_USER", "alice")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    s = Settings()
    assert not s.neo4j.managed and s.neo4j.user == "alice"
    assert managed_server(s) is None
    assert "s3cret" not in repr(s)


def test_toml_file_is_read_and_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "symbiosis.toml").write_text('data_dir = "/from/toml"\n[neo4j]\nheap = "3g"\npagecache = "1g"\n')
    monkeypatch.setenv("SYMBIOSIS_NEO4J__HEAP", "4g")
    s = Settings()
    assert s.data_dir == Path("/from/toml") and s.neo4j.pagecache == "1g" and s.neo4j.heap == "4g"
