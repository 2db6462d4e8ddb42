"""Retrieval for real: the packaged MiniLM model, the corpora/ folder, FAISS, and links stored in Neo4j."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor import retrieval_wiring as rw
from advisor.settings import Settings
from kg.graph import GraphClient

pytestmark = [pytest.mark.neo4j, pytest.mark.model, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def indexed(indexed_settings: Settings) -> Settings:
    return indexed_settings


@pytest.fixture(scope="module")
def settings(indexed_settings: Settings) -> Settings:
    return indexed_settings


def test_corpus_meets_the_documented_size() -> None:
    docs = sorted((ROOT / "corpora").glob("*.md"))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in docs)
    vietnamese = [p for p in docs if "\nlanguage: vi" in p.read_text(encoding="utf-8")[:2000]]
    assert len(docs) >= 40 and words >= 60_000 and len(vietnamese) >= 5


def test_every_corpus_document_names_its_sources() -> None:
    from retrieval.documents import read_document

    for path in sorted((ROOT / "corpora").glob("*.md")):
        meta = read_document(path).metadata
        assert meta.get("sources"), path
        assert all(s.get("url") and s.get("title") and s.get("year") for s in meta["sources"]), path


def test_re_adding_the_corpus_changes_nothing(indexed: Settings) -> None:
    results = rw.add_documents(indexed, [ROOT / "corpora"])
    assert {r.status for r in results} == {"skipped"}


@pytest.mark.parametrize(
    ("query", "expected_doc_prefix"),
    [
        ("Who takes steam from the Asnæs power station?", "kalundborg"),
        ("fly ash quality limits for concrete", "stream-coal-fly-ash"),
        ("recycled water from the water reclamation plant to industry in Western Australia", "kwinana"),
        ("tro bay dùng làm phụ gia xi măng", "stream-coal-fly-ash"),
    ],
)
def test_search_finds_the_right_document(indexed: Settings, query: str, expected_doc_prefix: str) -> None:
    hits = rw.search_passages(indexed, query, top_k=5)
    assert any(h.doc_id.startswith(expected_doc_prefix) for h in hits), [h.doc_id for h in hits]
    assert all(h.sources for h in hits)


def test_vietnamese_question_finds_vietnamese_passages(indexed: Settings) -> None:
    hits = rw.search_passages(indexed, "khu công nghiệp Amata tiết kiệm bao nhiêu CO2", top_k=5)
    assert any("amata" in h.doc_id for h in hits)


def test_entity_filter_keeps_only_linked_passages(indexed: Settings) -> None:
    hits = rw.search_passages(indexed, "uses in construction", top_k=5, entity="mat:fly-ash")
    assert hits and all(any(e["iri"].endswith("/fly-ash") for e in h.entities) for h in hits)


def test_links_are_in_neo4j_and_joinable_with_cypher(indexed: Settings, graph: GraphClient) -> None:
    rows = graph.read(
        "MATCH (d:Document)-[:HAS_CHUNK]->(c:Chunk)-[m:MENTIONS]->(p:Park {id: 'park:kalundborg'}) "
        "RETURN d.doc_id AS doc, count(c) AS chunks, max(m.score) AS best ORDER BY chunks DESC"
    ).records()
    assert rows and rows[0]["doc"].startswith("kalundborg") and rows[0]["best"] > 0.5
    methods = {r[0] for r in graph.read("MATCH (:Chunk)-[m:MENTIONS]->() RETURN DISTINCT m.method").rows}
    assert {"label", "synonym"} <= methods


def test_cli_search_json_and_corpus_add_with_a_bad_file(indexed: Settings, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYMBIOSIS_", "NEO4J_"))}
    env.update(
        SYMBIOSIS_DATA_DIR=str(indexed.data_dir),
        NEO4J_URI=str(indexed.neo4j.uri),
        NEO4J_PASSWORD=indexed.neo4j.password.get_secret_value() if indexed.neo4j.password else "",
        HF_HUB_OFFLINE="1",
    )
    symbiosis = Path(sys.executable).with_name("symbiosis")
    good = tmp_path / "visit.md"
    good.write_text("# Site visit\n\nThe brewery in the park sends spent grain to a cattle farm nearby.\n")
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not a real pdf")
    out = subprocess.run(
        [symbiosis, "corpus", "add", str(good), str(bad), "--format", "json"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 2, out.stderr
    statuses = {Path(r["path"]).name: r for r in json.loads(out.stdout)}
    assert statuses["visit.md"]["status"] == "added" and statuses["scan.pdf"]["status"] == "failed"
    out = subprocess.run(
        [symbiosis, "search", "spent grain cattle", "--format", "json", "--top", "3"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert any(h["title"] == "Site visit" for h in json.loads(out.stdout))


def test_linking_quality_on_the_labelled_passages() -> None:
    from advisor.retrieval_wiring import embedder, make_linker
    from retrieval.evaluation import evaluate_linking, load_gold

    gold = load_gold(ROOT / "tests" / "data" / "linking_gold.jsonl")
    assert len(gold) >= 150 and sum(g.park is not None for g in gold) > 50
    emb = embedder(Settings())
    score = evaluate_linking(make_linker(emb), gold, emb)
    # measured F1 0.734, precision 0.790 on all 312 passages (README); a regression guard, the aim (0.80) is not met
    assert score.f1 >= 0.71 and score.precision >= 0.76
