"""Advisor benchmark: opportunity lists for synthetic parks of growing size, and how time grows.

Run (needs a loaded graph; uses the settings, e.g. NEO4J_URI or the managed server):
    .venv/bin/python benchmarks/advisor_bench.py [--sizes 50 500 1000 5000]

Tenants are drawn at random (fixed seed) from the knowledge base's industries, named by their English label.
Reported: resolution, candidate generation + scoring, and total time, with the candidate count.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from advisor.facts import load_facts
from advisor.opportunities import advise
from advisor.parkfile import Company, ParkFile
from advisor.retrieval_wiring import knowledge_records
from advisor.settings import Settings
from advisor.wiring import graph_client
from ontology.lexicon import Lexicon

ROOT = Path(__file__).resolve().parents[1]


def synthetic_park(n: int, industries: list[tuple[str, str]], seed: int = 11) -> ParkFile:
    rng = random.Random(seed)
    companies = []
    for i in range(n):
        label, isic = rng.choice(industries)
        companies.append(
            Company(id=f"c{i}", name=f"{label} #{i}", industry=label, isic=isic if isic.isdigit() else None)
        )
    return ParkFile(id=f"synthetic-{n}", name=f"Synthetic park of {n}", companies=companies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "advisor.md")
    args = parser.parse_args()
    records = knowledge_records()
    lexicon = Lexicon(records.nodes)
    industries = sorted(
        (str(n.props["label_en"]), str(n.props.get("isic", ""))) for n in records.nodes if n.label == "Industry"
    )
    with graph_client(Settings()) as client:
        t = time.perf_counter()
        facts = load_facts(client)
        load_s = time.perf_counter() - t
    rows = []
    for n in args.sizes:
        park = synthetic_park(n, industries)
        t = time.perf_counter()
        advice = advise(facts, lexicon, park, top_k=50)
        total = time.perf_counter() - t
        rows.append((n, advice.candidates_considered, total))
        print(rows[-1], flush=True)
    lines = [
        "# Advisor benchmark",
        "",
        f"Synthetic parks (tenants drawn from the {len(industries)} knowledge-base industries, seed 11), top 50 "
        f"suggestions; facts read from Neo4j once in {load_s:.1f} s. Produced by `benchmarks/advisor_bench.py`, "
        f"{time.strftime('%Y-%m-%d')}, 2-core machine.",
        "",
        "| companies | candidates | time (s) | time per company (ms) |",
        "|---|---|---|---|",
    ]
    lines += [f"| {n:,} | {c:,} | {s:.1f} | {1000 * s / n:.1f} |" for n, c, s in rows]
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
