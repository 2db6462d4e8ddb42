"""Composition root: turns `Settings` into the objects the CLI and the app use.

Library code never reads settings; it receives what this module builds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from advisor.settings import Settings
from kg.graph import GraphClient, QueryResult
from kg.loader import LoadReport
from kg.server import ManagedServer, ServerConfig

__all__ = [
    "graph_client",
    "graph_counts",
    "list_cases",
    "load_knowledge_base",
    "managed_server",
    "server_config",
    "system_status",
]


def server_config(settings: Settings) -> ServerConfig:
    """The managed server's configuration from the settings."""
    n = settings.neo4j
    return ServerConfig(
        home=settings.neo4j_home,
        cache_dir=settings.data_dir / "cache",
        version=n.version,
        apoc_version=n.apoc_version,
        bolt_port=n.bolt_port,
        http_port=n.http_port,
        heap=n.heap,
        pagecache=n.pagecache,
        tx_memory=n.tx_memory,
        java_home=n.java_home,
        start_timeout_s=n.start_timeout_s,
    )


def managed_server(settings: Settings) -> ManagedServer | None:
    """The local server this project manages, or None when the user points at their own Neo4j."""
    return ManagedServer(server_config(settings)) if settings.neo4j.managed else None


def graph_client(settings: Settings) -> GraphClient:
    """A client for the configured graph: the user's server if ``uri`` is set, else the managed one."""
    n = settings.neo4j
    server = managed_server(settings)
    if server is None:
        password = n.password.get_secret_value() if n.password else None
        return GraphClient.connect(n.uri or "", n.user, password, n.database)
    return GraphClient.connect(server.config.bolt_uri, "neo4j", server.password(), n.database)


def system_status(settings: Settings) -> list[tuple[str, bool, str]]:
    """What is ready and what is not: (component, ready, detail) rows for the app's status panel."""
    from ontology.errors import SymbiosisError

    rows: list[tuple[str, bool, str]] = []
    try:
        with graph_client(settings) as client:
            version = client.verify()
            count = client.read("MATCH (n) RETURN count(n) AS n").rows[0][0]
        rows.append(("Neo4j", True, f"Neo4j {version} at {client.uri}"))
        rows.append(
            (
                "Knowledge base",
                count > 0,
                f"{count} nodes loaded" if count else "not loaded yet: run `symbiosis kg load`",
            )
        )
    except SymbiosisError as e:
        rows.append(("Neo4j", False, str(e)))
        rows.append(("Knowledge base", False, "unknown until Neo4j answers"))
    manifest = settings.data_dir / "index" / "manifest.json"
    if manifest.exists():
        import json

        info = json.loads(manifest.read_text())
        rows.append(("Report index", True, f"{info['count']} passages embedded with {info['model']} ({info['kind']})"))
    else:
        rows.append(("Report index", False, "not built yet: run `symbiosis corpus add corpora`"))
    from advisor.llm import describe

    rows.append(("Language model", True, describe(settings.llm)))
    return rows


def load_knowledge_base(
    settings: Settings,
    data_dir: Path | None = None,
    *,
    reset: bool = False,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> LoadReport:
    """Validate the Turtle files and load them into the configured graph."""
    from kg.loader import KnowledgeGraphLoader
    from ontology.records import to_records
    from ontology.validate import DATA_DIR
    from ontology.validate import load_knowledge_base as parse_and_validate

    kb = parse_and_validate(data_dir or DATA_DIR)
    records = to_records(kb)
    with graph_client(settings) as client:
        return KnowledgeGraphLoader(client).load(records, reset=reset, force=force, progress=progress)


def graph_counts(client: GraphClient) -> tuple[dict[str, int], dict[str, int]]:
    """Node counts per label and relationship counts per type of the knowledge base."""
    from kg.loader import KnowledgeGraphLoader

    return KnowledgeGraphLoader(client).counts()


def list_cases(client: GraphClient) -> QueryResult:
    """Documented parks with their company and exchange counts."""
    from kg import queries

    return client.read(queries.CASES)
