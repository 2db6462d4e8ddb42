"""Shared fixtures: one real Neo4j server for the whole test session, on free ports, in a temporary folder.

The server never touches the user's graph: its home, cache and password live under pytest's temp folder, and
it is stopped when the session ends.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.settings import Neo4jSettings, Settings
from kg.graph import GraphClient
from kg.server import ManagedServer, ServerConfig

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_server(root: Path, cache_dir: Path | None = None) -> ManagedServer:
    return ManagedServer(
        ServerConfig(
            home=root / "neo4j",
            cache_dir=cache_dir or root / "cache",
            bolt_port=free_port(),
            http_port=free_port(),
            heap="768m",
            pagecache="256m",
        )
    )


@pytest.fixture(scope="session")
def neo4j_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Neo4j jar cache that starts empty for this session (so a clean-cache start is always exercised)."""
    return tmp_path_factory.mktemp("neo4j-cache")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory, neo4j_cache: Path) -> Iterator[ManagedServer]:
    server = make_server(tmp_path_factory.mktemp("neo4j-session"), neo4j_cache)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def graph(neo4j_server: ManagedServer) -> Iterator[GraphClient]:
    with GraphClient.connect(neo4j_server.config.bolt_uri, "neo4j", neo4j_server.password()) as client:
        yield client


@pytest.fixture
def cli_env(neo4j_server: ManagedServer, tmp_path: Path) -> dict[str, str]:
    """Environment that points the `symbiosis` CLI at the session server (as a user's own Neo4j)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYMBIOSIS_", "NEO4J_"))}
    env.update(
        SYMBIOSIS_DATA_DIR=str(tmp_path / "data"),
        NEO4J_URI=neo4j_server.config.bolt_uri,
        NEO4J_USER="neo4j",
        NEO4J_PASSWORD=neo4j_server.password(),
        HF_HUB_OFFLINE="1",
    )
    return env


@pytest.fixture(scope="session")
def indexed_settings(
    tmp_path_factory: pytest.TempPathFactory, neo4j_server: ManagedServer, graph: GraphClient
) -> Settings:
    """Settings of a user whose graph holds the full knowledge base and whose index holds corpora/ (built once)."""
    from advisor import retrieval_wiring as rw
    from kg.loader import KnowledgeGraphLoader

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("indexed-data"),
        neo4j=Neo4jSettings(uri=neo4j_server.config.bolt_uri, password=neo4j_server.password()),
    )
    KnowledgeGraphLoader(graph).load(rw.knowledge_records())
    results = rw.add_documents(settings, [ROOT / "corpora"])
    assert results and all(r.status == "added" for r in results), [r for r in results if r.status != "added"]
    return settings
