"""Store documents, chunks and their entity mentions in Neo4j, so Cypher can join text and graph.

``(:Document)-[:HAS_CHUNK]->(:Chunk)-[:MENTIONS {score, method}]->(:Entity)``

The records come from retrieval as plain dicts keyed by the entity IRI; a sync replaces what the graph holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.graph import GraphClient

__all__ = ["sync_text_links"]

_CONSTRAINTS = (
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.doc_id IS UNIQUE",
    "CREATE CONSTRAINT chunk_key IF NOT EXISTS FOR (c:Chunk) REQUIRE c.key IS UNIQUE",
)
_DOCS = """
UNWIND $rows AS row
MERGE (d:Document {doc_id: row.doc_id})
SET d.title = row.title, d.language = row.language, d.path = row.path, d.kind = row.kind, d.park = row.park,
    d.sources = row.sources, d.sync = $sync
"""
_CHUNKS = """
UNWIND $rows AS row
MATCH (d:Document {doc_id: row.doc_id})
MERGE (c:Chunk {key: row.key})
SET c.chunk_id = row.chunk_id, c.doc_id = row.doc_id, c.ordinal = row.ordinal, c.section = row.section,
    c.text = row.text, c.sync = $sync
MERGE (d)-[:HAS_CHUNK]->(c)
"""
_MENTIONS = """
UNWIND $rows AS row
MATCH (c:Chunk {key: row.key})
MATCH (e:Entity {iri: row.iri})
MERGE (c)-[m:MENTIONS]->(e)
SET m.score = row.score, m.method = row.method, m.surface = row.surface, m.sync = $sync
"""
_STALE = (
    "MATCH (c:Chunk) WHERE c.sync <> $sync DETACH DELETE c",
    "MATCH (d:Document) WHERE d.sync <> $sync DETACH DELETE d",
    "MATCH (:Chunk)-[m:MENTIONS]->() WHERE m.sync <> $sync DELETE m",
)


def _batches(rows: Sequence[dict[str, Any]], size: int = 1000) -> list[Sequence[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def sync_text_links(
    client: GraphClient,
    documents: Sequence[dict[str, Any]],
    chunks: Sequence[dict[str, Any]],
    mentions: Sequence[dict[str, Any]],
    sync_id: str,
) -> dict[str, int]:
    """Make the graph's documents, chunks and mentions equal to these (batched, idempotent)."""
    for statement in _CONSTRAINTS:
        client.write(statement)
    for query, rows in ((_DOCS, documents), (_CHUNKS, chunks), (_MENTIONS, mentions)):
        for batch in _batches(rows):
            client.write(query, {"rows": list(batch), "sync": sync_id})
    for statement in _STALE:
        client.write(statement, {"sync": sync_id})
    linked = client.read("MATCH (:Chunk)-[m:MENTIONS]->(:Entity) RETURN count(m)").rows[0][0]
    return {"documents": len(documents), "chunks": len(chunks), "mentions": int(linked)}
