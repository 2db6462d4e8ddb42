"""Every leaf industry in the knowledge base runs at least one process, so the advisor can say what it uses and emits."""

from __future__ import annotations

import re

import pytest

from ontology.records import GraphRecords, NodeRecord, RelRecord, compact_iri, to_records
from ontology.validate import load_knowledge_base

# An ISIC section letter ("C") marks a catch-all for partners whose activity the sources do not state; it has no
# typical inputs and outputs to describe.
_SECTION_ONLY = re.compile(r"^[A-U]$")


def leaf_industries_without_process(records: GraphRecords) -> list[str]:
    """Industries that no narrower industry points to (PART_OF) and that run no process (RUNS), as compact IRIs."""
    industries = {n.iri: n for n in records.nodes if n.label == "Industry"}
    parents = {r.end for r in records.rels if r.type == "PART_OF"}
    running = {r.start for r in records.rels if r.type == "RUNS"}
    return sorted(
        compact_iri(iri)
        for iri, node in industries.items()
        if iri not in parents and iri not in running and not _SECTION_ONLY.match(str(node.props.get("isic", "")))
    )


@pytest.fixture(scope="module")
def records() -> GraphRecords:
    # SHACL is covered by `python -m ontology.validate` and the integration suite; skipping it keeps this fast.
    return to_records(load_knowledge_base(shacl=False))


def test_every_leaf_industry_runs_a_process(records: GraphRecords) -> None:
    assert leaf_industries_without_process(records) == []


def test_reports_a_leaf_without_process_but_not_a_parent_or_a_catch_all() -> None:
    base = "https://w3id.org/symbiosis/id/industry/"

    def industry(slug: str, isic: str) -> NodeRecord:
        return NodeRecord(base + slug, "Industry", {"isic": isic})

    nodes = (industry("food", "10"), industry("dairy", "1050"), industry("brewing", "1103"), industry("any", "C"))
    rels = (
        RelRecord("PART_OF", base + "dairy", base + "food"),
        RelRecord("PART_OF", base + "brewing", base + "food"),
        RelRecord("RUNS", base + "dairy", "https://w3id.org/symbiosis/id/process/cheese-making"),
    )
    fake = GraphRecords(nodes, rels, version="test", triples=0)
    assert leaf_industries_without_process(fake) == ["ind:brewing"]
