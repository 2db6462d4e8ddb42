"""Write the live graph back out as Turtle, JSON-LD or CSV (nodes.csv + relationships.csv)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg import queries as q
from kg.graph import GraphClient
from ontology.errors import SymbiosisError
from ontology.records import NodeRecord, RelRecord, from_records

__all__ = ["EXPORT_FORMATS", "export_graph", "read_records"]

EXPORT_FORMATS = ("ttl", "jsonld", "csv")
_INTERNAL = {"kb_load"}
_DERIVED = {"CAN_BE_USED_BY", "SUPPLIES"}


def read_records(client: GraphClient) -> tuple[list[NodeRecord], list[RelRecord]]:
    """All knowledge-base nodes and relationships currently in the graph."""
    limit = 10_000_000
    nodes = [
        NodeRecord(r["props"]["iri"], r["label"], {k: v for k, v in r["props"].items() if k not in _INTERNAL})
        for r in client.read(q.EXPORT_NODES, row_limit=limit, timeout_s=300).records()
    ]
    rels = [
        RelRecord(r["type"], r["start"], r["end"], {k: v for k, v in r["props"].items() if k not in _INTERNAL})
        for r in client.read(q.EXPORT_RELS, row_limit=limit, timeout_s=300).records()
    ]
    return nodes, rels


def export_graph(client: GraphClient, schema: Graph, fmt: str, out: Path) -> Path:
    """Export to ``out`` (a file for ttl/jsonld, a folder for csv); return what was written.

    Derived shortcut relationships (CAN_BE_USED_BY, SUPPLIES) are left out of RDF, which states them
    through the Use and Exchange nodes, and kept in CSV.
    """
    if fmt not in EXPORT_FORMATS:
        raise SymbiosisError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    nodes, rels = read_records(client)
    if not nodes:
        raise SymbiosisError("the graph holds no knowledge base to export; run `symbiosis kg load` first")
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        with open(out / "nodes.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["iri", "id", "label", "label_en", "label_vi", "properties"])
            for n in nodes:
                rest = {k: v for k, v in n.props.items() if k not in ("iri", "id", "label_en", "label_vi")}
                w.writerow(
                    [n.iri, n.props.get("id"), n.label, n.props.get("label_en"), n.props.get("label_vi"), _js(rest)]
                )
        with open(out / "relationships.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["start", "type", "end", "properties"])
            for r in rels:
                w.writerow([r.start, r.type, r.end, _js({k: v for k, v in r.props.items() if v not in ("", None)})])
        return out
    graph = from_records(nodes, [r for r in rels if r.type not in _DERIVED], schema)
    out.parent.mkdir(parents=True, exist_ok=True)
    graph.serialize(destination=out, format="turtle" if fmt == "ttl" else "json-ld", encoding="utf-8")
    return out


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
