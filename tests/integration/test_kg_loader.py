"""Loading Turtle into the real Neo4j: validation first, idempotence, atomic swap, reset, export."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib.compare import isomorphic

from kg.export import export_graph, read_records
from kg.graph import GraphClient
from kg.loader import KnowledgeGraphLoader
from ontology.errors import QueryError, ShapeViolationError, TurtleSyntaxError
from ontology.records import to_records
from ontology.validate import SCHEMA_PATH, load_knowledge_base, parse_turtle

pytestmark = pytest.mark.neo4j

MINI = Path(__file__).resolve().parents[1] / "data" / "kb-mini"


def snapshot(client: GraphClient) -> str:
    nodes, rels = read_records(client)
    return json.dumps(
        [
            sorted((n.iri, n.label, sorted(n.props.items())) for n in nodes),
            sorted((r.type, r.start, r.end, sorted(r.props.items())) for r in rels),
        ],
        default=str,
    )


@pytest.fixture
def empty_graph(graph: GraphClient) -> Iterator[GraphClient]:
    graph.write("MATCH (n) WHERE n:Entity OR n:KBMeta OR n:KBStaging OR n:KBStagingRel DETACH DELETE n")
    yield graph
    graph.write("MATCH (n) WHERE n:Entity OR n:KBMeta OR n:KBStaging OR n:KBStagingRel DETACH DELETE n")


def copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(MINI, target)
    return target


def test_load_creates_nodes_relationships_and_constraints(empty_graph: GraphClient) -> None:
    records = to_records(load_knowledge_base(MINI))
    report = KnowledgeGraphLoader(empty_graph).load(records)
    assert (report.nodes, report.skipped) == (17, False)
    labels, rels = KnowledgeGraphLoader(empty_graph).counts()
    assert labels == {
        "Company": 2, "Exchange": 1, "Figure": 1, "Industry": 2, "Material": 6,
        "Park": 1, "Process": 2, "Source": 1, "Use": 1,
    }  # fmt: skip
    assert rels["SUPPLIES"] == 1 and rels["CAN_BE_USED_BY"] == 1 and rels["PRODUCES"] == 3
    constraints = {r[0] for r in empty_graph.read("SHOW CONSTRAINTS YIELD name RETURN name").rows}
    assert {"entity_iri", "material_iri", "exchange_iri"} <= constraints
    row = empty_graph.read(
        "MATCH (a:Company)-[s:SUPPLIES]->(b:Company) RETURN a.label_en, b.label_en, s.material, s.year"
    ).rows[0]
    assert row == ("Test Power Co", "Test Cement JSC", "https://w3id.org/symbiosis/id/material/t-fly-ash", 2019)
    folded = empty_graph.read("MATCH (i:Industry) WHERE 'nha may xi mang thu' IN i.names RETURN i.id").rows
    assert folded == (("ind:t-cement",),)


def test_loading_twice_changes_nothing(empty_graph: GraphClient) -> None:
    records = to_records(load_knowledge_base(MINI))
    loader = KnowledgeGraphLoader(empty_graph)
    loader.load(records)
    before = snapshot(empty_graph)
    assert loader.load(records).skipped
    forced = loader.load(records, force=True)
    assert not forced.skipped and forced.removed_nodes == 0 and forced.removed_relationships == 0
    assert snapshot(empty_graph) == before


def test_a_changed_file_updates_and_removes_what_is_gone(empty_graph: GraphClient, tmp_path: Path) -> None:
    loader = KnowledgeGraphLoader(empty_graph)
    loader.load(to_records(load_knowledge_base(MINI)))
    kb = copy_kb(tmp_path)
    text = (kb / "mini.ttl").read_text()
    text = text.replace(
        "mat:t-coal ; sym:produces mat:t-fly-ash , mat:t-steam", "mat:t-coal ; sym:produces mat:t-fly-ash"
    )
    text = text.replace('"Test steam"@en', '"Test steam renamed"@en')
    (kb / "mini.ttl").write_text(text)
    report = loader.load(to_records(load_knowledge_base(kb)))
    assert report.removed_relationships == 1 and report.removed_nodes == 0
    assert empty_graph.read("MATCH (m:Material {id: 'mat:t-steam'}) RETURN m.label_en").rows == (
        ("Test steam renamed",),
    )
    assert empty_graph.read("MATCH (:Process {id: 'proc:t-boiler'})-[:PRODUCES]->(m) RETURN count(m)").rows == ((1,),)


def test_shacl_violation_names_file_subject_and_rule_and_loads_nothing(
    empty_graph: GraphClient, tmp_path: Path
) -> None:
    KnowledgeGraphLoader(empty_graph).load(to_records(load_knowledge_base(MINI)))
    before = snapshot(empty_graph)
    kb = copy_kb(tmp_path)
    (kb / "bad.ttl").write_text(
        "@prefix sym: <https://w3id.org/symbiosis/ont#> .\n"
        "@prefix ex: <https://w3id.org/symbiosis/id/exchange/> .\n"
        "@prefix co: <https://w3id.org/symbiosis/id/company/> .\n"
        "@prefix mat: <https://w3id.org/symbiosis/id/material/> .\n"
        "@prefix park: <https://w3id.org/symbiosis/id/park/> .\n"
        "ex:no-source a sym:Exchange ; sym:provider co:t-plant ; sym:receiver co:t-works ;\n"
        '  sym:material mat:t-steam ; sym:category "energy" ; sym:status "realised" ; sym:inPark park:t-park .\n'
        'mat:no-label a sym:Material ; sym:kind "waste" ; sym:hazardous false .\n'
    )
    with pytest.raises(ShapeViolationError) as err:
        load_knowledge_base(kb)
    text = str(err.value)
    assert (
        "bad.ttl: https://w3id.org/symbiosis/id/exchange/no-source: an exchange needs at least one sym:documentedIn"
        in text
    )
    assert "bad.ttl: https://w3id.org/symbiosis/id/material/no-label: needs exactly one rdfs:label" in text
    assert snapshot(empty_graph) == before


def test_malformed_turtle_names_file_and_line(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    (kb / "broken.ttl").write_text(
        "@prefix sym: <https://w3id.org/symbiosis/ont#> .\n\nsym:a sym:b sym:c ;\n  sym:d .\n"
    )
    with pytest.raises(TurtleSyntaxError) as err:
        load_knowledge_base(kb)
    assert err.value.path.name == "broken.ttl" and err.value.line == 4
    assert "broken.ttl:4" in str(err.value)


def test_duplicate_ids_unknown_terms_and_dangling_references_are_refused(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    head = (MINI / "mini.ttl").read_text().split("src:test a sym:Source")[0]
    (kb / "dup.ttl").write_text(
        head
        + 'mat:t-coal a sym:Material ; rdfs:label "Coal again"@en , "Than"@vi ;\n'
        + '  sym:kind "resource" ; sym:hazardous false .\n'
        + 'mat:t-new a sym:Material ; rdfs:label "Test fly ash"@en , "Tro"@vi ;\n'
        + '  sym:kind "waste" ; sym:hazardous false ;\n'
        + '  sym:isKindOf mat:does-not-exist ; sym:colour "red" .\n'
    )
    with pytest.raises(ShapeViolationError) as err:
        load_knowledge_base(kb)
    rules = {v.rule for v in err.value.violations}
    assert {"duplicate-id", "duplicate-label", "dangling-reference", "unknown-term"} <= rules


class FailingClient(GraphClient):
    """The real client, made to fail at a chosen point of a load."""

    def __init__(self, inner: GraphClient, fail_on: Callable[[str], bool], in_swap: bool = False) -> None:
        super().__init__(inner.driver, uri=inner.uri, database=inner.database)
        self.fail_on = fail_on
        self.in_swap = in_swap

    def write(self, query: str, params: Any = None) -> dict[str, int]:
        if self.fail_on(query):
            raise QueryError("injected failure", query)
        return super().write(query, params)

    def write_transaction(self, work: Any) -> Any:
        if not self.in_swap:
            return super().write_transaction(work)

        def broken(tx: Any) -> Any:
            work(tx)  # everything is written inside the transaction ...
            raise QueryError("injected failure after the swap ran")  # ... then it is rolled back

        return super().write_transaction(broken)

    def close(self) -> None:  # the session fixture owns the driver
        pass


@pytest.mark.parametrize("where", ["staging", "swap"])
def test_failure_mid_load_leaves_the_previous_graph_intact(
    empty_graph: GraphClient, tmp_path: Path, where: str
) -> None:
    KnowledgeGraphLoader(empty_graph).load(to_records(load_knowledge_base(MINI)))
    before = snapshot(empty_graph)
    kb = copy_kb(tmp_path)
    (kb / "mini.ttl").write_text((kb / "mini.ttl").read_text().replace('"Test coal"@en', '"Test coal v2"@en'))
    new = to_records(load_knowledge_base(kb))
    if where == "staging":
        failing = FailingClient(empty_graph, lambda query: "KBStagingRel" in query and "UNWIND" in query)
    else:
        failing = FailingClient(empty_graph, lambda query: False, in_swap=True)
    with pytest.raises(QueryError, match="injected failure"):
        KnowledgeGraphLoader(failing, batch_size=5).load(new)
    assert snapshot(empty_graph) == before
    # the next load clears leftover staging and succeeds
    KnowledgeGraphLoader(empty_graph).load(new)
    assert empty_graph.read("MATCH (n) WHERE n:KBStaging OR n:KBStagingRel RETURN count(n)").rows == ((0,),)
    assert empty_graph.read("MATCH (m:Material {id: 'mat:t-coal'}) RETURN m.label_en").rows == (("Test coal v2",),)


def test_reset_rebuilds_and_keeps_other_data(empty_graph: GraphClient) -> None:
    loader = KnowledgeGraphLoader(empty_graph)
    records = to_records(load_knowledge_base(MINI))
    loader.load(records)
    empty_graph.write("MATCH (m:Material {id: 'mat:t-coal'}) SET m.stray = 1")
    empty_graph.write("MERGE (:UserNote {id: 'keep-me'})")
    try:
        loader.load(records, reset=True)
        assert empty_graph.read("MATCH (m:Material {id: 'mat:t-coal'}) RETURN m.stray").rows == ((None,),)
        assert empty_graph.read("MATCH (n:UserNote) RETURN count(n)").rows == ((1,),)
        assert loader.counts()[0]["Material"] == 6
    finally:
        empty_graph.write("MATCH (n:UserNote) DELETE n")


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_export_round_trips_to_the_source_rdf(empty_graph: GraphClient, tmp_path: Path, fmt: str) -> None:
    kb = load_knowledge_base(MINI)
    KnowledgeGraphLoader(empty_graph).load(to_records(kb))
    out = export_graph(empty_graph, parse_turtle(SCHEMA_PATH), fmt, tmp_path / f"kb.{fmt}")
    from rdflib import Graph

    exported = Graph().parse(out, format="turtle" if fmt == "ttl" else "json-ld")
    assert isomorphic(exported, kb.data)


def test_export_csv(empty_graph: GraphClient, tmp_path: Path) -> None:
    KnowledgeGraphLoader(empty_graph).load(to_records(load_knowledge_base(MINI)))
    out = export_graph(empty_graph, parse_turtle(SCHEMA_PATH), "csv", tmp_path / "csv")
    nodes = (out / "nodes.csv").read_text(encoding="utf-8").splitlines()
    rels = (out / "relationships.csv").read_text(encoding="utf-8").splitlines()
    assert nodes[0] == "iri,id,label,label_en,label_vi,properties" and len(nodes) == 18
    assert rels[0] == "start,type,end,properties" and len(rels) == 27
    assert any("Tro bay thử" in line for line in nodes)
