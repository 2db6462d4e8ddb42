"""Turn the validated RDF knowledge base into plain node and relationship records for a property graph.

The mapping comes from the schema: a class's ``sym:graphLabel`` is the node label, an object property's
``sym:graphType`` the relationship type, a datatype property's ``sym:graphKey`` the node property. Two
shortcut relationships are derived so common questions need one hop:

- ``(Material)-[:CAN_BE_USED_BY {use, conditions}]->(Process|Industry)`` from each ``sym:Use``;
- ``(Company)-[:SUPPLIES {exchange, material, category, status, year}]->(Company)`` from each ``sym:Exchange``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from ontology.namespace import ID_PREFIXES, SYM
from ontology.text import fold
from ontology.validate import KnowledgeBase

__all__ = ["GraphRecords", "NodeRecord", "RelRecord", "REL_PROPERTY_KEYS", "compact_iri", "from_records", "to_records"]

# Properties a relationship may carry; relationships with a ``key`` are merged per key (one per exchange/use).
REL_PROPERTY_KEYS = ("key", "use", "conditions", "exchange", "material", "category", "status", "year")
# Datatype properties that may repeat: stored as a list under "<key>s" plus the first value under "<key>".
_REPEATABLE = {"url"}


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """One node: its IRI, Neo4j label and properties (plain Python values)."""

    iri: str
    label: str
    props: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RelRecord:
    """One relationship between two IRIs."""

    type: str
    start: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GraphRecords:
    """Everything to load, and a content hash that identifies this version of the knowledge base."""

    nodes: tuple[NodeRecord, ...]
    rels: tuple[RelRecord, ...]
    version: str
    triples: int

    @property
    def labels(self) -> tuple[str, ...]:
        """Node labels present, sorted."""
        return tuple(sorted({n.label for n in self.nodes}))

    @property
    def rel_types(self) -> tuple[str, ...]:
        """Relationship types present, sorted."""
        return tuple(sorted({r.type for r in self.rels}))


def compact_iri(iri: str) -> str:
    """``https://w3id.org/symbiosis/id/material/fly-ash`` -> ``mat:fly-ash``."""
    for prefix, base in ID_PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def _python(value: Literal) -> Any:
    py = value.toPython()
    if isinstance(py, Decimal):
        return float(py)
    if isinstance(py, bool | int | float | str):
        return py
    return str(value)


def _mapping(schema: Graph) -> tuple[dict[URIRef, str], dict[URIRef, str], dict[URIRef, str]]:
    labels = {URIRef(c): str(v) for c, v in schema.subject_objects(SYM.graphLabel)}
    types = {URIRef(p): str(v) for p, v in schema.subject_objects(SYM.graphType)}
    keys = {URIRef(p): str(v) for p, v in schema.subject_objects(SYM.graphKey)}
    return labels, types, keys


def _node_props(data: Graph, s: URIRef, keys: dict[URIRef, str]) -> dict[str, Any]:
    props: dict[str, Any] = {"iri": str(s), "id": compact_iri(str(s))}
    labels: dict[str, list[str]] = defaultdict(list)
    label_lang = ""
    for lab in sorted(data.objects(s, RDFS.label)):
        labels[getattr(lab, "language", None) or "en"].append(str(lab))
        label_lang = getattr(lab, "language", None) or ""
    synonyms: dict[str, list[str]] = defaultdict(list)
    for alt in data.objects(s, SKOS.altLabel):
        synonyms[getattr(alt, "language", None) or "en"].append(str(alt))
    title = data.value(s, DCTERMS.title)
    # nodes without a label of their own (exchanges, uses, sources) get one for display, flagged as generated
    props["label_en"] = (labels.get("en") or labels.get("vi") or [str(title or compact_iri(str(s)))])[0]
    props["label_generated"] = not labels
    if labels.get("vi"):
        props["label_vi"] = labels["vi"][0]
    else:
        props["label_lang"] = label_lang  # companies: a name in one language, kept as written
    props["synonyms_en"] = sorted(synonyms.get("en", []))
    props["synonyms_vi"] = sorted(synonyms.get("vi", []))
    everything = [props["label_en"], *labels.get("vi", []), *props["synonyms_en"], *props["synonyms_vi"]]
    props["names"] = sorted({fold(n) for n in everything if fold(n)})
    if title is not None:
        props["title"] = str(title)
    multi: dict[str, list[Any]] = defaultdict(list)
    for p, o in data.predicate_objects(s):
        if p not in keys or not isinstance(o, Literal):
            continue
        key = keys[p]
        if o.language == "vi":
            key = f"{key}_vi"
        multi[key].append(_python(o))
    for key, values in multi.items():
        values = sorted(values, key=str)
        if key in _REPEATABLE:
            props[f"{key}s"] = values
        props[key] = values[0]
    return props


def to_records(kb: KnowledgeBase) -> GraphRecords:
    """Map a validated knowledge base to node and relationship records."""
    data, schema = kb.data, kb.schema
    class_labels, rel_types, keys = _mapping(schema)
    nodes: list[NodeRecord] = []
    typed: dict[URIRef, str] = {}
    for s, cls in data.subject_objects(RDF.type):
        if isinstance(s, URIRef) and cls in class_labels:
            typed[s] = class_labels[cls]
    for s in sorted(typed):
        nodes.append(NodeRecord(str(s), typed[s], _node_props(data, s, keys)))

    rels: list[RelRecord] = []
    for s, p, o in data:
        if p in rel_types and isinstance(o, URIRef) and s in typed and o in typed:
            rels.append(RelRecord(rel_types[p], str(s), str(o), {"key": ""}))

    for use in data.subjects(RDF.type, SYM.Use):
        material, target = data.value(use, SYM.material), data.value(use, SYM.usedBy)
        conditions = data.value(use, SYM.conditions)
        rels.append(
            RelRecord(
                "CAN_BE_USED_BY",
                str(material),
                str(target),
                {"key": str(use), "use": str(use), "conditions": str(conditions) if conditions else None},
            )
        )
    for ex in data.subjects(RDF.type, SYM.Exchange):
        year = data.value(ex, SYM.year)
        rels.append(
            RelRecord(
                "SUPPLIES",
                str(data.value(ex, SYM.provider)),
                str(data.value(ex, SYM.receiver)),
                {
                    "key": str(ex),
                    "exchange": str(ex),
                    "material": str(data.value(ex, SYM.material)),
                    "category": str(data.value(ex, SYM.category)),
                    "status": str(data.value(ex, SYM.status)),
                    "year": int(year.toPython()) if year is not None else None,
                },
            )
        )
    rels.sort(key=lambda r: (r.type, r.start, r.end, r.props.get("key", "")))
    digest = hashlib.sha256()
    for line in sorted(data.serialize(format="nt").splitlines()):
        digest.update(line.encode())
    return GraphRecords(tuple(nodes), tuple(rels), digest.hexdigest()[:16], len(data))


def _literal(key: str, value: Any, datatype_of: dict[str, URIRef]) -> Literal:
    if key.endswith("_vi"):
        return Literal(value, lang="vi")
    if key in ("description", "conditions"):
        return Literal(value, lang="en")
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))
    if isinstance(value, float):
        return Literal(Decimal(repr(value)))
    return Literal(value, datatype=datatype_of.get(key))


def from_records(nodes: Iterable[NodeRecord], rels: Iterable[RelRecord], schema: Graph) -> Graph:
    """Rebuild RDF from property-graph records (the inverse of `to_records`, minus derived shortcuts)."""
    class_labels, rel_types, keys = _mapping(schema)
    cls_of = {v: k for k, v in class_labels.items()}
    prop_of_type = {v: k for k, v in rel_types.items()}
    prop_of_key = {v: k for k, v in keys.items()}
    datatype_of = {"url": URIRef("http://www.w3.org/2001/XMLSchema#anyURI")}
    g = Graph()
    for prefix, base in ID_PREFIXES.items():
        g.bind(prefix, base)
    g.bind("sym", str(SYM._NS))
    g.bind("skos", str(SKOS))
    g.bind("dcterms", str(DCTERMS))
    for n in nodes:
        s = URIRef(n.iri)
        g.add((s, RDF.type, cls_of[n.label]))
        p = n.props
        if p.get("label_generated"):
            pass
        elif "label_vi" not in p:
            g.add((s, RDFS.label, Literal(p["label_en"], lang=p.get("label_lang") or None)))
        else:
            g.add((s, RDFS.label, Literal(p["label_en"], lang="en")))
            g.add((s, RDFS.label, Literal(p["label_vi"], lang="vi")))
        for lang in ("en", "vi"):
            for syn in p.get(f"synonyms_{lang}", []):
                g.add((s, SKOS.altLabel, Literal(syn, lang=lang)))
        if "title" in p:
            g.add((s, DCTERMS.title, Literal(p["title"])))
        for key, value in p.items():
            base_key = key[:-3] if key.endswith("_vi") else key
            if key == "urls" or base_key not in prop_of_key or (base_key in _REPEATABLE and "urls" in p):
                continue
            g.add((s, prop_of_key[base_key], _literal(key, value, datatype_of)))
        for url in p.get("urls", []):
            g.add((s, prop_of_key["url"], Literal(url, datatype=datatype_of["url"])))
    for r in rels:
        if r.type in prop_of_type:
            g.add((URIRef(r.start), prop_of_type[r.type], URIRef(r.end)))
    return g
