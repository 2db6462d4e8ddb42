"""The managed Neo4j server, for real: start from a clean cache, round trips, safety, lifecycle, bad input."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.graph import GraphClient
from kg.runtime import resolve_distribution
from kg.server import NEO4J_VERSION, ManagedServer, ServerConfig
from ontology.errors import ConfigError, GraphAuthError, GraphUnavailableError, QueryError, ServerError
from tests.conftest import free_port, make_server

pytestmark = pytest.mark.neo4j


def test_session_server_started_from_a_clean_cache(neo4j_server: ManagedServer, neo4j_cache: Path) -> None:
    status = neo4j_server.status()
    assert status.running and status.version == NEO4J_VERSION
    manifest = json.loads(next(neo4j_cache.glob("neo4j-*/manifest.json")).read_text())
    assert manifest["version"] == NEO4J_VERSION
    assert any(name.startswith("plugins/apoc-core") for name in manifest["files"])


def test_password_file_is_private(neo4j_server: ManagedServer) -> None:
    assert neo4j_server.password_file.stat().st_mode & 0o777 == 0o600


def test_listens_on_loopback_only(neo4j_server: ManagedServer) -> None:
    conf = (neo4j_server.config.home / "conf" / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert f"server.bolt.listen_address=127.0.0.1:{neo4j_server.config.bolt_port}" in conf


def test_cypher_round_trip_and_apoc(graph: GraphClient) -> None:
    graph.write("MERGE (n:RoundTrip {id: $id}) SET n.label = $label", {"id": "rt-1", "label": "thạch cao FGD"})
    try:
        result = graph.read(
            "MATCH (n:RoundTrip {id: $id}) RETURN n.label AS label, apoc.version() AS apoc", {"id": "rt-1"}
        )
        assert result.records() == [{"label": "thạch cao FGD", "apoc": result.rows[0][1]}]
        assert result.rows[0][1].startswith("5.26")
    finally:
        graph.write("MATCH (n:RoundTrip) DETACH DELETE n")


def test_write_in_read_mode_is_refused_and_changes_nothing(graph: GraphClient) -> None:
    with pytest.raises(QueryError, match="read-only"):
        graph.read("CREATE (n:ShouldNotExist {id: 1}) RETURN n")
    with pytest.raises(QueryError, match="read-only"):
        graph.read("MATCH (n) WITH n LIMIT 1 SET n.touched = true")
    assert graph.read("MATCH (n:ShouldNotExist) RETURN count(n) AS c").rows == ((0,),)


def test_row_limit_and_timeout(graph: GraphClient) -> None:
    result = graph.read("UNWIND range(1, 50) AS i RETURN i", row_limit=10)
    assert len(result.rows) == 10 and result.truncated
    with pytest.raises(QueryError, match="time limit"):
        graph.read(
            "UNWIND range(1, 100000000) AS a UNWIND range(1, 100) AS b RETURN count(*) AS c",
            timeout_s=1.0,
        )


def test_client_disconnect_mid_transaction_leaves_nothing_half_written(
    graph: GraphClient, neo4j_server: ManagedServer
) -> None:
    graph.write("MERGE (n:DisconnectProbe {id: 'kept'}) SET n.value = 1")
    script = textwrap.dedent(
        f"""
        import sys, time
        from neo4j import GraphDatabase
        d = GraphDatabase.driver({neo4j_server.config.bolt_uri!r}, auth=("neo4j", {neo4j_server.password()!r}))
        s = d.session()
        tx = s.begin_transaction()
        tx.run("MATCH (n:DisconnectProbe {{id: 'kept'}}) SET n.value = 2").consume()
        tx.run("CREATE (:DisconnectProbe {{id: 'half'}})").consume()
        print("written", flush=True)
        time.sleep(60)
        """
    )
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
        finally:
            proc.kill()
    # The lock the dead client held is released and its writes are rolled back.
    deadline = time.monotonic() + 60
    while True:
        try:
            graph.write("MATCH (n:DisconnectProbe {id: 'kept'}) SET n.checked = true")
            break
        except QueryError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
    try:
        rows = graph.read("MATCH (n:DisconnectProbe) RETURN n.id AS id, n.value AS value ORDER BY id").records()
        assert rows == [{"id": "kept", "value": 1}]
    finally:
        graph.write("MATCH (n:DisconnectProbe) DETACH DELETE n")


def test_wrong_password_gives_a_clear_error(neo4j_server: ManagedServer) -> None:
    with (
        GraphClient.connect(neo4j_server.config.bolt_uri, "neo4j", "not-the-password") as client,
        pytest.raises(GraphAuthError) as err,
    ):
        client.verify()
    assert "refused the credentials" in str(err.value)
    assert "not-the-password" not in str(err.value)


def test_nothing_listening_gives_a_clear_error() -> None:
    with (
        GraphClient.connect(f"bolt://127.0.0.1:{free_port()}", "neo4j", "x") as client,
        pytest.raises(GraphUnavailableError, match="symbiosis db start"),
    ):
        client.verify()


# ---------------------------------------------------------------- lifecycle, on a second server


@pytest.fixture(scope="module")
def second_server(tmp_path_factory: pytest.TempPathFactory, neo4j_cache: Path) -> Iterator[ManagedServer]:
    server = make_server(tmp_path_factory.mktemp("neo4j-lifecycle"), neo4j_cache)
    yield server
    server.stop()


def test_start_is_idempotent_then_status_and_stop(second_server: ManagedServer) -> None:
    assert not second_server.status().running
    first = second_server.start()
    again = second_server.start()
    assert first.running and again.pid == first.pid
    status = second_server.status()
    assert status.version == NEO4J_VERSION and status.bolt_uri == second_server.config.bolt_uri
    assert status.memory_mb and status.memory_mb > 50
    assert second_server.stop() is True
    assert not second_server.status().running
    assert second_server.stop() is False
    assert "Stopped." in second_server.log_file.read_text()


def test_stale_pid_file_is_cleaned_up_on_start(second_server: ManagedServer) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    pid_file = second_server.config.home / "run" / "symbiosis-neo4j.json"
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(json.dumps({"pid": dead.pid}))
    status = second_server.status()
    assert not status.running and "stale" in status.detail
    try:
        assert second_server.start().running
    finally:
        second_server.stop()


def test_occupied_port_gives_a_clear_error_and_starts_nothing(tmp_path: Path, neo4j_cache: Path) -> None:
    server = make_server(tmp_path, neo4j_cache)
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", server.config.bolt_port))
        blocker.listen()
        with pytest.raises(ServerError, match=f"port {server.config.bolt_port}.*already in use"):
            server.start()
    assert not server.status().running


def test_missing_java_gives_a_clear_error(tmp_path: Path, neo4j_cache: Path) -> None:
    cfg = make_server(tmp_path, neo4j_cache).config
    server = ManagedServer(ServerConfig(**{**_fields(cfg), "java_home": tmp_path / "no-jdk"}))
    with pytest.raises(ConfigError, match="Java 17 or 21"):
        server.start()
    assert not server.status().running


def test_maven_unreachable_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ServerError, match="Maven could not resolve Neo4j"):
        resolve_distribution(tmp_path / "cache", NEO4J_VERSION, "5.26.19", maven_repo=tmp_path / "m2", offline=True)
    assert not any((tmp_path / "cache").glob("neo4j-*"))


def test_corrupt_cache_is_detected_and_repaired(tmp_path: Path, neo4j_cache: Path) -> None:
    source = next(neo4j_cache.glob("neo4j-*"))
    dist = resolve_distribution(tmp_path, NEO4J_VERSION, "5.26.19")  # from Maven's local repository
    assert dist.root.name == source.name
    jar = next(dist.lib.glob("neo4j-kernel-*.jar"))
    jar.write_bytes(b"truncated")
    repaired = resolve_distribution(tmp_path, NEO4J_VERSION, "5.26.19")
    assert next(repaired.lib.glob("neo4j-kernel-*.jar")).stat().st_size > 1000


def test_cli_db_commands_against_an_external_server(cli_env: dict[str, str]) -> None:
    symbiosis = Path(sys.executable).with_name("symbiosis")
    out = subprocess.run([symbiosis, "db", "status"], env=cli_env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "running: yes (external)" in out.stdout and NEO4J_VERSION in out.stdout
    out = subprocess.run([symbiosis, "db", "start"], env=cli_env, capture_output=True, text=True, check=False)
    assert out.returncode == 0 and "nothing to start" in out.stdout
    bad = {**cli_env, "NEO4J_PASSWORD": "wrong-one"}
    out = subprocess.run([symbiosis, "db", "status"], env=bad, capture_output=True, text=True, check=False)
    assert out.returncode == 1
    assert out.stderr.startswith("error: Neo4j at") and "wrong-one" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def _fields(cfg: ServerConfig) -> dict[str, object]:
    return {name: getattr(cfg, name) for name in cfg.__dataclass_fields__}


def test_managed_cli_start_status_stop(tmp_path: Path, neo4j_cache: Path) -> None:
    """The commands a user types, on a managed server of their own data folder."""
    symbiosis = Path(sys.executable).with_name("symbiosis")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYMBIOSIS_", "NEO4J_"))}
    env.update(
        SYMBIOSIS_DATA_DIR=str(tmp_path),
        SYMBIOSIS_NEO4J__BOLT_PORT=str(free_port()),
        SYMBIOSIS_NEO4J__HTTP_PORT=str(free_port()),
        SYMBIOSIS_NEO4J__HEAP="512m",
        SYMBIOSIS_NEO4J__PAGECACHE="128m",
    )
    # reuse the session's resolved jars so this test does not call Maven again
    (tmp_path / "cache").mkdir()
    source = next(neo4j_cache.glob("neo4j-*"))
    os.symlink(source, tmp_path / "cache" / source.name)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([symbiosis, *args], env=env, capture_output=True, text=True, check=False)

    assert run("db", "status").returncode == 3
    started = run("db", "start")
    try:
        assert started.returncode == 0, started.stderr
        assert "started" in started.stdout
        assert "already running" in run("db", "start").stdout
        status = run("db", "status")
        assert status.returncode == 0 and "running: yes" in status.stdout
        assert f"data folder: {tmp_path / 'neo4j'}" in status.stdout
    finally:
        stopped = run("db", "stop")
    assert stopped.returncode == 0 and "Neo4j stopped" in stopped.stdout
    assert run("db", "status").returncode == 3
