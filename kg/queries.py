"""Every Cypher statement the code runs, as constants or pure builders. Always parameterised.

Labels and relationship types are spliced into text only by the builders below, and only from the ontology
(never from user input); `_check_name` enforces that they are plain identifiers.
"""

from __future__ import annotations

import re

__all__ = [
    "CASES",
    "EXCHANGES",
    "INDUSTRY_PROCESSES",
    "MATERIALS",
    "PARK_COMPANIES",
    "PARK_SOURCES",
    "PROCESS_FLOWS",
    "SOURCES",
    "USES",
    "CLEAR_STAGING",
    "EXPORT_NODES",
    "EXPORT_RELS",
    "DELETE_ALL_ENTITIES",
    "DELETE_STALE_NODES",
    "DELETE_STALE_RELS",
    "DELETE_THIS_STAGING",
    "ENTITY_LABEL",
    "GET_META",
    "LABEL_COUNTS",
    "REL_COUNTS",
    "SET_META",
    "STAGE_NODES",
    "STAGE_RELS",
    "constraint_for",
    "promote_nodes",
    "promote_rels",
]

ENTITY_LABEL = "Entity"
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a plain Neo4j identifier: {name!r}")
    return name


def constraint_for(label: str) -> str:
    """Uniqueness of ``iri`` for one label (idempotent)."""
    label = _check_name(label)
    return f"CREATE CONSTRAINT {label.lower()}_iri IF NOT EXISTS FOR (n:{label}) REQUIRE n.iri IS UNIQUE"


STAGING_INDEXES = (
    "CREATE INDEX kb_staging_load IF NOT EXISTS FOR (n:KBStaging) ON (n._kb_load)",
    "CREATE INDEX kb_staging_rel_load IF NOT EXISTS FOR (n:KBStagingRel) ON (n._kb_load)",
    "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.label_en, n.label_vi, n.names]",
)

CLEAR_STAGING = "MATCH (s) WHERE s:KBStaging OR s:KBStagingRel DETACH DELETE s"

STAGE_NODES = """
UNWIND $rows AS row
CREATE (s:KBStaging)
SET s = row.props, s._kb_load = $load_id, s._kb_label = row.label
"""

STAGE_RELS = """
UNWIND $rows AS row
CREATE (s:KBStagingRel)
SET s = row.props, s._kb_load = $load_id, s._kb_type = row.type, s._kb_start = row.start, s._kb_end = row.end
"""

DELETE_ALL_ENTITIES = "MATCH (n:Entity) DETACH DELETE n"


def promote_nodes(label: str, all_labels: tuple[str, ...]) -> str:
    """Merge staged nodes of ``label`` into the live graph, replacing their properties and labels."""
    label = _check_name(label)
    others = ":".join(_check_name(x) for x in all_labels)
    return f"""
MATCH (s:KBStaging {{_kb_load: $load_id, _kb_label: '{label}'}})
MERGE (n:{ENTITY_LABEL} {{iri: s.iri}})
SET n = properties(s)
REMOVE n._kb_load, n._kb_label, n:{others}
SET n:{label}, n.kb_load = $load_id
RETURN count(n) AS n
"""


def promote_rels(rel_type: str) -> str:
    """Merge staged relationships of ``rel_type`` between live nodes (one per ``key``)."""
    rel_type = _check_name(rel_type)
    return f"""
MATCH (s:KBStagingRel {{_kb_load: $load_id, _kb_type: '{rel_type}'}})
MATCH (a:{ENTITY_LABEL} {{iri: s._kb_start}})
MATCH (b:{ENTITY_LABEL} {{iri: s._kb_end}})
MERGE (a)-[r:{rel_type} {{key: s.key}}]->(b)
SET r = properties(s)
REMOVE r._kb_load, r._kb_type, r._kb_start, r._kb_end
SET r.kb_load = $load_id
RETURN count(r) AS n
"""


DELETE_STALE_NODES = "MATCH (n:Entity) WHERE n.kb_load <> $load_id DETACH DELETE n RETURN count(n) AS n"
DELETE_STALE_RELS = """
MATCH (:Entity)-[r]->(:Entity) WHERE r.kb_load IS NOT NULL AND r.kb_load <> $load_id
DELETE r RETURN count(r) AS n
"""
DELETE_THIS_STAGING = "MATCH (s) WHERE (s:KBStaging OR s:KBStagingRel) AND s._kb_load = $load_id DELETE s"

SET_META = """
MERGE (m:KBMeta {id: 'knowledge-base'})
SET m.version = $version, m.load_id = $load_id, m.loaded_at = datetime(), m.triples = $triples,
    m.nodes = $nodes, m.relationships = $rels
"""
GET_META = "MATCH (m:KBMeta {id: 'knowledge-base'}) RETURN m.version AS version, m.loaded_at AS loaded_at"

LABEL_COUNTS = """
MATCH (n:Entity) UNWIND [l IN labels(n) WHERE l <> 'Entity'] AS label
RETURN label, count(*) AS count ORDER BY label
"""
REL_COUNTS = """
MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS type, count(*) AS count ORDER BY type
"""

EXPORT_NODES = """
MATCH (n:Entity)
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, properties(n) AS props ORDER BY n.iri
"""
EXPORT_RELS = """
MATCH (a:Entity)-[r]->(b:Entity)
RETURN type(r) AS type, a.iri AS start, b.iri AS end, properties(r) AS props ORDER BY type, start, end, r.key
"""
CASES = """
MATCH (p:Park)
OPTIONAL MATCH (c:Company)-[:IN_PARK]->(p)
WITH p, count(DISTINCT c) AS companies
OPTIONAL MATCH (e:Exchange)-[:IN_PARK]->(p)
WITH p, companies, count(DISTINCT e) AS exchanges,
     count(DISTINCT CASE WHEN e.status = 'realised' THEN e END) AS realised
RETURN p.id AS id, p.label_en AS name, p.country AS country, companies, exchanges, realised
ORDER BY p.country, p.id
"""

# ---------------------------------------------------------------- advisor: facts about industries and materials

INDUSTRY_PROCESSES = """
MATCH (i:Industry)
OPTIONAL MATCH (i)-[:RUNS]->(p:Process)
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Industry)
RETURN i.iri AS industry, i.isic AS isic, i.label_en AS label, collect(DISTINCT p.iri) AS processes,
       parent.iri AS parent
ORDER BY industry, parent
"""
PROCESS_FLOWS = """
MATCH (p:Process)-[r:PRODUCES|CONSUMES]->(m:Material)
RETURN p.iri AS process, type(r) AS direction, m.iri AS material
ORDER BY process, direction, material
"""
MATERIALS = """
MATCH (m:Material)
OPTIONAL MATCH (m)-[:KIND_OF]->(g:Material)
RETURN m.iri AS iri, m.label_en AS label, m.kind AS kind, m.hazardous AS hazardous, m.ewc AS ewc,
       m.vn_code AS vn_code, collect(g.iri) AS parents
ORDER BY iri
"""
USES = """
MATCH (u:Use)-[:OF_MATERIAL]->(m:Material), (u)-[:USED_BY]->(t)
OPTIONAL MATCH (u)-[:SUBSTITUTES]->(s:Material)
OPTIONAL MATCH (u)-[:DOCUMENTED_IN]->(src:Source)
OPTIONAL MATCH (u)-[:PRECEDENT]->(e:Exchange)
RETURN u.iri AS use, m.iri AS material, t.iri AS target, t.label_en AS target_label, u.conditions AS conditions,
       collect(DISTINCT s.iri) AS substitutes, collect(DISTINCT src.iri) AS sources,
       collect(DISTINCT e.iri) AS precedents
ORDER BY use, target
"""
EXCHANGES = """
MATCH (e:Exchange)-[:PROVIDER]->(a:Company)-[:IN_INDUSTRY]->(ia:Industry),
      (e)-[:RECEIVER]->(b:Company)-[:IN_INDUSTRY]->(ib:Industry),
      (e)-[:OF_MATERIAL]->(m:Material), (e)-[:IN_PARK]->(p:Park)
OPTIONAL MATCH (e)-[:DOCUMENTED_IN]->(s:Source)
RETURN e.iri AS exchange, a.iri AS provider, a.label_en AS provider_name, b.iri AS receiver,
       b.label_en AS receiver_name, collect(DISTINCT ia.iri) AS provider_industries,
       collect(DISTINCT ib.iri) AS receiver_industries, m.iri AS material, e.category AS category,
       e.status AS status, e.year AS year, e.description AS description, p.iri AS park, p.label_en AS park_name,
       collect(DISTINCT s.iri) AS sources
ORDER BY exchange
"""
PARK_SOURCES = """
MATCH (p:Park {iri: $park})
OPTIONAL MATCH (p)-[:DOCUMENTED_IN]->(s1:Source)
OPTIONAL MATCH (e:Exchange)-[:IN_PARK]->(p)
OPTIONAL MATCH (e)-[:DOCUMENTED_IN]->(s2:Source)
OPTIONAL MATCH (f:Figure)-[:ABOUT]->(p)
OPTIONAL MATCH (f)-[:DOCUMENTED_IN]->(s3:Source)
RETURN collect(DISTINCT s1.iri) + collect(DISTINCT s2.iri) + collect(DISTINCT s3.iri) AS sources,
       collect(DISTINCT e.iri) AS exchanges
"""
SOURCES = "MATCH (s:Source) RETURN s.iri AS iri, s.title AS title, s.url AS url, s.year AS year"
# one industry per company (a park file names one), the same whatever order the database stores them in
PARK_COMPANIES = """
MATCH (c:Company)-[:IN_PARK]->(p:Park {iri: $park})
OPTIONAL MATCH (c)-[:IN_INDUSTRY]->(i:Industry)
WITH c, i ORDER BY i.iri
WITH c, collect(i)[0] AS i
RETURN c.iri AS iri, c.label_en AS name, i.isic AS isic, i.label_en AS industry
ORDER BY c.iri
"""
