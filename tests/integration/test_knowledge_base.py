"""The whole knowledge base: valid, big enough, loaded into the real Neo4j, and queryable as documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import RDF

from kg.graph import GraphClient
from kg.loader import KnowledgeGraphLoader
from ontology.lexicon import Lexicon
from ontology.namespace import SYM
from ontology.records import GraphRecords, compact_iri, to_records
from ontology.validate import KnowledgeBase, load_knowledge_base

pytestmark = pytest.mark.neo4j

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cypher.md"
EXAMPLE = re.compile(r"### (\d+)\. (.+?)\n\n```cypher\n(.+?)```\n<!-- expect: (\{.*?\}) -->", re.S)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def records(kb: KnowledgeBase) -> GraphRecords:
    return to_records(kb)


@pytest.fixture(scope="module")
def loaded(graph: GraphClient, records: GraphRecords) -> GraphClient:
    graph.write("MATCH (n) WHERE n:Entity OR n:KBMeta OR n:KBStaging OR n:KBStagingRel DETACH DELETE n")
    KnowledgeGraphLoader(graph).load(records)
    return graph


def count(kb: KnowledgeBase, cls: object) -> int:
    return len(set(kb.data.subjects(RDF.type, cls)))


def test_content_meets_the_documented_minimums(kb: KnowledgeBase) -> None:
    assert count(kb, SYM.Industry) >= 150
    assert count(kb, SYM.Process) >= 150
    assert count(kb, SYM.Material) >= 400
    with_ewc = {s for s in kb.data.subjects(RDF.type, SYM.Material) if kb.data.value(s, SYM.ewcCode)}
    assert len(with_ewc) >= 250
    assert count(kb, SYM.Use) >= 600
    assert count(kb, SYM.Park) >= 20
    assert count(kb, SYM.Exchange) >= 300


def test_every_hazardous_ewc_entry_is_flagged(kb: KnowledgeBase) -> None:
    for s in kb.data.subjects(RDF.type, SYM.Material):
        code = kb.data.value(s, SYM.ewcCode)
        if code is not None and str(code).endswith("*"):
            assert kb.data.value(s, SYM.hazardous).toPython() is True, s


def test_reference_parks_are_documented_in_depth(loaded: GraphClient) -> None:
    rows = dict(
        loaded.read("MATCH (e:Exchange)-[:IN_PARK]->(p:Park) RETURN p.id, count(e)").rows  # type: ignore[arg-type]
    )
    assert rows["park:kalundborg"] >= 25
    assert rows["park:kwinana"] >= 20
    vietnam = {r[0] for r in loaded.read("MATCH (p:Park {country: 'VN'}) RETURN p.id").rows}
    assert {
        "park:deep-c-hai-phong",
        "park:amata-bien-hoa",
        "park:hiep-phuoc",
        "park:hoa-khanh",
        "park:tra-noc",
    } <= vietnam
    countries = loaded.read("MATCH (p:Park) RETURN count(DISTINCT p.country)").rows[0][0]
    assert countries >= 10


def test_kalundborg_figures_are_kept_per_year_and_source(loaded: GraphClient) -> None:
    rows = loaded.read(
        "MATCH (f:Figure)-[:ABOUT]->(:Park {id: 'park:kalundborg'}), (f)-[:DOCUMENTED_IN]->(s:Source) "
        "WHERE f.metric STARTS WITH 'co2' RETURN DISTINCT f.value, f.year, s.url"
    ).rows
    assert len({(value, year) for value, year, _ in rows}) >= 2


def test_every_exchange_and_use_has_evidence(loaded: GraphClient) -> None:
    assert loaded.read("MATCH (e:Exchange) WHERE NOT (e)-[:DOCUMENTED_IN]->(:Source) RETURN count(e)").rows == ((0,),)
    orphan_uses = loaded.read(
        "MATCH (u:Use) WHERE NOT (u)-[:DOCUMENTED_IN]->(:Source) AND NOT (u)-[:PRECEDENT]->(:Exchange) RETURN count(u)"
    )
    assert orphan_uses.rows == ((0,),)


def test_loaded_counts_match_the_turtle(loaded: GraphClient, kb: KnowledgeBase, records: GraphRecords) -> None:
    labels, rels = KnowledgeGraphLoader(loaded).counts()
    assert labels["Material"] == count(kb, SYM.Material)
    assert labels["Exchange"] == count(kb, SYM.Exchange)
    assert sum(labels.values()) == len(records.nodes)
    assert sum(rels.values()) == len(records.rels)


def test_loading_the_whole_knowledge_base_twice_changes_nothing(loaded: GraphClient, records: GraphRecords) -> None:
    before = KnowledgeGraphLoader(loaded).counts()
    report = KnowledgeGraphLoader(loaded).load(records, force=True)
    assert report.removed_nodes == 0 and report.removed_relationships == 0
    assert KnowledgeGraphLoader(loaded).counts() == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cement plant", "ind:cement"),
        ("nhà máy xi măng", "ind:cement"),
        ("nha may xi mang", "ind:cement"),
        ("ISIC 2394", "ind:cement"),
        ("FGD gypsum", "mat:fgd-gypsum"),
        ("desulphurisation gypsum", "mat:fgd-gypsum"),
        ("thach cao FGD", "mat:fgd-gypsum"),
        ("thạch cao FGD", "mat:fgd-gypsum"),
        ("tro bay", "mat:fly-ash"),
        ("tro trấu", "mat:rice-husk-ash"),
        ("ba mia", "mat:bagasse"),
        ("ceement plnt", "ind:cement"),
    ],
)
def test_lexicon_finds_entities_in_english_and_vietnamese(records: GraphRecords, text: str, expected: str) -> None:
    matches = Lexicon(records.nodes).lookup(text)
    assert expected in [compact_iri(m.iri) for m in matches]


def examples() -> list[tuple[str, str, str, dict[str, object]]]:
    found = [(n, title, query, json.loads(expect)) for n, title, query, expect in EXAMPLE.findall(DOCS.read_text())]
    return found


def test_the_docs_hold_at_least_15_examples() -> None:
    assert len(examples()) >= 15


@pytest.mark.parametrize(("number", "title", "query", "expect"), examples(), ids=[e[0] for e in examples()])
def test_documented_cypher_example(
    loaded: GraphClient, number: str, title: str, query: str, expect: dict[str, object]
) -> None:
    result = loaded.read(query)
    rows = result.records()
    assert len(rows) >= int(expect.get("min_rows", 1)), f"example {number} ({title}) returned {len(rows)} rows"
    if "columns" in expect:
        assert list(result.columns) == expect["columns"]
    flat = json.dumps(rows, ensure_ascii=False, default=str)
    for needle in expect.get("contains", []):  # type: ignore[attr-defined]
        assert needle in flat, f"example {number}: {needle!r} not in the answer"
    if "every_row_has" in expect:
        key = str(expect["every_row_has"])
        assert all(row[key] not in (None, "", []) for row in rows), f"example {number}: a row lacks {key}"
