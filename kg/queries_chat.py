"""Cypher behind the chat advisor's tools (read-only, parameterised; entity IRIs come from the linker).

Kept apart from `kg.queries` (loading, export, advisor facts) so the chat's questions can be read in one place.
Every query returns plain columns with the sources needed to cite the answer.
"""

from __future__ import annotations

__all__ = [
    "COMPANY_SUMMARY",
    "ENTITY_SUMMARY",
    "EXCHANGES_FILTERED",
    "INDUSTRY_OUTPUTS",
    "MATERIAL_CONSUMERS",
    "MATERIAL_PRODUCERS",
    "MATERIAL_NARROWER",
    "MATERIAL_USES",
    "NEIGHBOURHOOD",
    "PARK_SUMMARY",
]

# Any entity: its labels and properties worth showing.
ENTITY_SUMMARY = """
MATCH (n:Entity {iri: $iri})
RETURN n.id AS id, labels(n) AS labels, n.label_en AS label_en, n.label_vi AS label_vi,
       n.description AS description, n.kind AS kind, n.hazardous AS hazardous, n.ewc AS ewc,
       n.vn_code AS vn_code, n.isic AS isic, n.vsic AS vsic, n.country AS country,
       [(n)-[:KIND_OF]->(g) | g.label_en] AS broader,
       [(n)-[:DOCUMENTED_IN]->(s:Source) | {title: s.title, url: s.url, year: s.year}] AS sources
"""

# Documented uses of a material or of its broader kinds (two taxonomy hops up), with conditions and sources.
MATERIAL_USES = """
MATCH (m:Material {iri: $iri})-[:KIND_OF*0..2]->(g:Material)<-[:OF_MATERIAL]-(u:Use)-[:USED_BY]->(t)
OPTIONAL MATCH (u)-[:DOCUMENTED_IN]->(s:Source)
WITH u, g, t, collect(DISTINCT {title: s.title, url: s.url, year: s.year})[..2] AS sources
RETURN u.id AS id, g.label_en AS material, t.label_en AS user, u.conditions AS conditions, sources,
       g.iri = $iri AS direct
ORDER BY direct DESC, user
LIMIT $limit
"""

# Processes (and their industries) that take a material, or one of its narrower kinds, as an input.
MATERIAL_CONSUMERS = """
MATCH (m:Material {iri: $iri})<-[:KIND_OF*0..2]-(x:Material)<-[:CONSUMES]-(p:Process)
OPTIONAL MATCH (i:Industry)-[:RUNS]->(p)
RETURN p.id AS id, p.label_en AS process, x.label_en AS material, collect(DISTINCT i.label_en)[..3] AS industries
ORDER BY process
LIMIT $limit
"""

# Processes and industries whose outputs are the material or one of its narrower kinds.
MATERIAL_PRODUCERS = """
MATCH (m:Material {iri: $iri})<-[:KIND_OF*0..2]-(x:Material)<-[:PRODUCES]-(p:Process)
OPTIONAL MATCH (i:Industry)-[:RUNS]->(p)
RETURN p.id AS id, p.label_en AS process, x.label_en AS material, collect(DISTINCT i.label_en)[..3] AS industries,
       collect(DISTINCT i.id)[..3] AS industry_ids
ORDER BY size(industries) DESC, process
LIMIT $limit
"""

# What an industry's processes put out, with the number of documented uses of each output (or its kinds).
INDUSTRY_OUTPUTS = """
MATCH (i:Entity {iri: $iri})-[:RUNS]->(p:Process)-[:PRODUCES]->(m:Material)
OPTIONAL MATCH (m)-[:KIND_OF*0..2]->(:Material)<-[:OF_MATERIAL]-(u:Use)
RETURN m.id AS id, m.label_en AS material, m.label_vi AS label_vi, m.kind AS kind, m.hazardous AS hazardous,
       m.ewc AS ewc, collect(DISTINCT p.label_en)[..2] AS processes, count(DISTINCT u) AS uses
ORDER BY uses DESC, material
LIMIT $limit
"""

# Documented exchanges, optionally narrowed to a park, a material family, an industry or a company (either side).
EXCHANGES_FILTERED = """
MATCH (e:Exchange)-[:PROVIDER]->(a:Company), (e)-[:RECEIVER]->(b:Company), (e)-[:OF_MATERIAL]->(m:Material),
      (e)-[:IN_PARK]->(p:Park)
WHERE ($park IS NULL OR p.iri = $park)
  AND ($material IS NULL OR EXISTS { (m)-[:KIND_OF*0..3]->(:Material {iri: $material}) }
       OR EXISTS { (:Material {iri: $material})-[:KIND_OF*1..2]->(m) })
  AND ($company IS NULL OR a.iri = $company OR b.iri = $company)
  AND ($industry IS NULL OR EXISTS { (a)-[:IN_INDUSTRY]->(:Industry)-[:PART_OF*0..2]->(:Industry {iri: $industry}) }
       OR EXISTS { (b)-[:IN_INDUSTRY]->(:Industry)-[:PART_OF*0..2]->(:Industry {iri: $industry}) })
OPTIONAL MATCH (e)-[:DOCUMENTED_IN]->(s:Source)
RETURN e.id AS id, p.label_en AS park, a.label_en AS provider, b.label_en AS receiver, m.label_en AS flow,
       e.category AS category, e.status AS status, e.year AS year, e.quantity AS quantity, e.unit AS unit,
       collect(DISTINCT {title: s.title, url: s.url, year: s.year})[..2] AS sources
ORDER BY park, year, provider
LIMIT $limit
"""

# A park: country, region, tenants, exchanges, figures.
PARK_SUMMARY = """
MATCH (p:Park {iri: $iri})
OPTIONAL MATCH (c:Company)-[:IN_PARK]->(p)
WITH p, c, COUNT { (c)-[:SUPPLIES]-() } AS degree ORDER BY degree DESC, c.label_en
WITH p, count(DISTINCT c) AS companies, collect(c.label_en)[..8] AS some_companies
OPTIONAL MATCH (e:Exchange)-[:IN_PARK]->(p)
WITH p, companies, some_companies, count(DISTINCT e) AS exchanges
OPTIONAL MATCH (f:Figure)-[:ABOUT]->(p)
WITH p, companies, some_companies, exchanges,
     collect(DISTINCT {metric: f.metric, value: f.value, unit: f.unit, year: f.year})[..4] AS figures
RETURN p.id AS id, p.label_en AS name, p.label_vi AS label_vi, p.country AS country, p.region AS region,
       p.description AS description, companies, some_companies, exchanges, figures,
       [(p)-[:DOCUMENTED_IN]->(s:Source) | {title: s.title, url: s.url, year: s.year}][..2] AS sources
"""

# A company: its park, industries and the exchanges it takes part in.
COMPANY_SUMMARY = """
MATCH (c:Company {iri: $iri})
OPTIONAL MATCH (c)-[:IN_PARK]->(p:Park)
OPTIONAL MATCH (c)-[:IN_INDUSTRY]->(i:Industry)
RETURN c.id AS id, c.label_en AS name, c.description AS description, p.label_en AS park, p.id AS park_id,
       collect(DISTINCT i.label_en) AS industries,
       COUNT { (c)-[:SUPPLIES]->() } AS supplies, COUNT { ()-[:SUPPLIES]->(c) } AS receives
"""

# An entity and its direct neighbours (for the explorer's picture), Chunk/Document nodes left out.
NEIGHBOURHOOD = """
MATCH (n:Entity {iri: $iri})-[r]-(m:Entity)
RETURN n.id AS id, n.label_en AS label, type(r) AS rel, startNode(r) = n AS outgoing, m.id AS other_id,
       m.label_en AS other_label, [x IN labels(m) WHERE x <> 'Entity'][0] AS other_kind
ORDER BY rel, other_label
LIMIT $limit
"""

# Narrower kinds of a material with their codes ("fly ash" -> coal fly ash 10 01 02, incinerator fly ash 19 01 13*).
MATERIAL_NARROWER = """
MATCH (x:Material)-[:KIND_OF*1..2]->(:Material {iri: $iri})
RETURN x.id AS id, x.label_en AS label, x.label_vi AS label_vi, x.hazardous AS hazardous, x.ewc AS ewc,
       x.vn_code AS vn_code
ORDER BY x.ewc IS NULL, label
LIMIT $limit
"""
