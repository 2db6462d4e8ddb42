"""Load the knowledge base into Neo4j: validated first, staged in batches, then swapped in atomically.

1. `ontology.validate` parses and checks every Turtle file; a broken rule raises before anything is written.
2. Uniqueness constraints (``iri`` per label) and indexes are created first.
3. Nodes and relationships are written in batched ``UNWIND`` transactions to *staging* nodes, invisible to
   queries over the live labels. A failure here leaves the live graph exactly as it was; leftover staging is
   cleared by the next load.
4. One transaction merges the staging into the live graph (``MERGE`` on ``iri``), removes what the new version no
   longer has, and records the version. Loading the same files twice changes nothing.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j

from kg import queries as q
from kg.graph import GraphClient
from ontology.records import REL_PROPERTY_KEYS, GraphRecords

__all__ = ["KnowledgeGraphLoader", "LoadReport"]

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load did."""

    version: str
    nodes: int
    relationships: int
    removed_nodes: int
    removed_relationships: int
    skipped: bool
    seconds: float


def _batches(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class KnowledgeGraphLoader:
    """Writes `GraphRecords` into Neo4j through a `GraphClient`."""

    def __init__(self, client: GraphClient, *, batch_size: int = 500) -> None:
        self.client = client
        self.batch_size = batch_size

    def ensure_schema(self, labels: Iterable[str]) -> None:
        """Create the uniqueness constraints and indexes (idempotent)."""
        for label in (q.ENTITY_LABEL, *sorted(set(labels))):
            self.client.write(q.constraint_for(label))
        for statement in q.STAGING_INDEXES:
            self.client.write(statement)

    def loaded_version(self) -> str | None:
        """Version hash of the knowledge base in the graph, or None if none was loaded."""
        rows = self.client.read(q.GET_META).rows
        return str(rows[0][0]) if rows else None

    def load(
        self,
        records: GraphRecords,
        *,
        reset: bool = False,
        force: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> LoadReport:
        """Load ``records``; skip if the same version is already loaded (unless ``force`` or ``reset``).

        ``reset`` drops every knowledge-base node first (in the same final transaction), rebuilding from scratch.
        """
        started = time.perf_counter()
        say = progress or (lambda _msg: None)
        self.ensure_schema(records.labels)
        if not (reset or force) and self.loaded_version() == records.version:
            say(f"knowledge base {records.version} is already loaded; nothing to do")
            return LoadReport(records.version, len(records.nodes), len(records.rels), 0, 0, True, 0.0)

        load_id = uuid.uuid4().hex
        self.client.write(q.CLEAR_STAGING)
        node_rows = [{"label": n.label, "props": n.props} for n in records.nodes]
        for i, batch in enumerate(_batches(node_rows, self.batch_size)):
            self.client.write(q.STAGE_NODES, {"rows": list(batch), "load_id": load_id})
            say(f"staged nodes batch {i + 1}")
        rel_rows = [
            {
                "type": r.type,
                "start": r.start,
                "end": r.end,
                "props": {k: r.props.get(k) for k in REL_PROPERTY_KEYS if r.props.get(k) is not None},
            }
            for r in records.rels
        ]
        for i, batch in enumerate(_batches(rel_rows, self.batch_size)):
            self.client.write(q.STAGE_RELS, {"rows": list(batch), "load_id": load_id})
            say(f"staged relationships batch {i + 1}")

        def swap(tx: neo4j.ManagedTransaction) -> tuple[int, int]:
            params: dict[str, Any] = {"load_id": load_id}
            if reset:
                tx.run(q.DELETE_ALL_ENTITIES).consume()
            for label in records.labels:
                tx.run(q.promote_nodes(label, records.labels), params).consume()
            removed_nodes = tx.run(q.DELETE_STALE_NODES, params).single(strict=True)["n"]
            for rel_type in records.rel_types:
                tx.run(q.promote_rels(rel_type), params).consume()
            removed_rels = tx.run(q.DELETE_STALE_RELS, params).single(strict=True)["n"]
            tx.run(
                q.SET_META,
                {
                    **params,
                    "version": records.version,
                    "triples": records.triples,
                    "nodes": len(records.nodes),
                    "rels": len(records.rels),
                },
            ).consume()
            tx.run(q.DELETE_THIS_STAGING, params).consume()
            return removed_nodes, removed_rels

        say("swapping the new version in (one transaction)")
        removed_nodes, removed_rels = self.client.write_transaction(swap)
        seconds = time.perf_counter() - started
        log.info("loaded knowledge base %s in %.1f s", records.version, seconds)
        return LoadReport(
            records.version, len(records.nodes), len(records.rels), removed_nodes, removed_rels, False, seconds
        )

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Live node counts per label and relationship counts per type."""
        labels = {str(r[0]): int(r[1]) for r in self.client.read(q.LABEL_COUNTS).rows}
        rels = {str(r[0]): int(r[1]) for r in self.client.read(q.REL_COUNTS).rows}
        return labels, rels
