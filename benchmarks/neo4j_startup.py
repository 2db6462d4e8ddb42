"""Measure the managed Neo4j server: cold first start (empty Maven repository), warm start, idle memory.

Run: .venv/bin/python benchmarks/neo4j_startup.py  (takes about two minutes; needs network to Maven Central)
"""

from __future__ import annotations

import socket
import tempfile
import time
from pathlib import Path

from kg.runtime import resolve_distribution
from kg.server import APOC_VERSION, NEO4J_VERSION, ManagedServer, ServerConfig


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        resolve_distribution(root / "cache", NEO4J_VERSION, APOC_VERSION, maven_repo=root / "m2")
        resolve_s = time.perf_counter() - t0
        server = ManagedServer(
            ServerConfig(home=root / "neo4j", cache_dir=root / "cache", bolt_port=free_port(), http_port=free_port())
        )
        t0 = time.perf_counter()
        server.start()
        first_start_s = time.perf_counter() - t0
        time.sleep(20)
        idle = server.status()
        server.stop()
        t0 = time.perf_counter()
        server.start()
        warm_s = time.perf_counter() - t0
        server.stop()
    print("| measure | value |")
    print("|---|---|")
    print(f"| Neo4j version | {idle.version} |")
    print(f"| Maven resolution, empty Maven repository | {resolve_s:.1f} s |")
    print(f"| first start after resolution (new store, initial password) | {first_start_s:.1f} s |")
    print(f"| cold first start in total | {resolve_s + first_start_s:.1f} s |")
    print(f"| warm start (jars cached, store exists) | {warm_s:.1f} s |")
    print(f"| idle server resident memory (20 s after start, heap 1g) | {idle.memory_mb:.0f} MB |")


if __name__ == "__main__":
    main()
