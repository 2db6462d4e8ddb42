"""Candidates at scale (profiles, pruning), energy cascades, water substitution and chains through one intermediary."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from advisor.chains import cascade_targets, find_chains
from advisor.facts import UseFact
from advisor.matching import SUBSTITUTE_FIT, find_candidates
from advisor.scoring import score_candidate
from tests.unit.advisor.toy_graph import MAT, PROC, material, tenant, toy_facts

USE = "https://w3id.org/symbiosis/id/use/"


def test_hot_supply_serves_colder_heat_demand() -> None:
    facts = toy_facts()
    assert MAT + "hot-water" in cascade_targets(facts, MAT + "waste-heat-high-grade")
    assert cascade_targets(facts, MAT + "waste-heat-low-grade") == []
    found = find_candidates(facts, [tenant("g", "glass"), tenant("d", "dairy")])
    heat = [c for c in found if c.key[:3] == ("g", "d", MAT + "waste-heat-high-grade")]
    assert heat and heat[0].category == "energy"
    assert any("energy cascade" in e.detail for e in heat[0].evidence)


def test_receivers_are_pruned_per_provider_and_output() -> None:
    facts = toy_facts()
    tenants = [tenant("p", "power-coal")] + [tenant(f"c{i}", "cement", lat=10 + i / 100, lon=106) for i in range(30)]
    tenants[0] = tenant("p", "power-coal", lat=10.0, lon=106.0)
    found = find_candidates(facts, tenants, limit=5)
    ash = [c for c in found if c.provider.company.id == "p" and c.material == MAT + "coal-fly-ash"]
    assert len(ash) == 5
    assert {c.receiver.company.id for c in ash} == {f"c{i}" for i in range(5)}  # the nearest ones
    unpruned = find_candidates(facts, tenants, limit=1000)
    assert len([c for c in unpruned if c.material == MAT + "coal-fly-ash"]) == 30


def test_tenants_of_one_profile_may_exchange_with_each_other() -> None:
    facts = toy_facts()
    found = find_candidates(facts, [tenant("d1", "dairy"), tenant("d2", "dairy"), tenant("g", "glass")])
    pairs = Counter((c.provider.company.id, c.receiver.company.id) for c in found)
    assert pairs[("g", "d1")] and pairs[("g", "d2")]
    assert all(p != r for p, r in pairs)


def test_chain_through_a_biogas_plant() -> None:
    facts = toy_facts()
    tenants = [tenant("b", "brewery"), tenant("ad", "biogas-plant"), tenant("d", "dairy")]
    scored = [(score_candidate(facts, c), c) for c in find_candidates(facts, tenants)]
    chains = find_chains(facts, scored)
    chain = next(c for _, c in chains if c.key == ("b", "d", MAT + "brewers-spent-grain", "ad"))
    assert chain.via is not None and chain.via.company.id == "ad"
    assert chain.category == "energy" and chain.legs[1].material == MAT + "biogas"
    path = chain.evidence[0].path
    assert path[0] == "b" and path[2] == "ad" and path[-1] == "d" and MAT + "biogas" in path
    f = next(f for f, c in chains if c is chain)
    legs = [f0.score for f0, c in scored if c in chain.legs]
    assert f.score < min(legs)


def test_no_chain_through_a_tenant_that_converts_nothing() -> None:
    facts = toy_facts()
    tenants = [tenant("b", "brewery"), tenant("c", "cement"), tenant("d", "dairy")]
    scored = [(score_candidate(facts, c), c) for c in find_candidates(facts, tenants)]
    assert not [c for _, c in find_chains(facts, scored) if c.via and c.via.company.id == "c"]


def test_documented_water_substitution_reaches_every_tenant_using_that_water() -> None:
    base = toy_facts()
    materials = dict(base.materials)
    for m in (material("treated-wastewater", "water"), material("process-water", "water")):
        materials[m.iri] = m
    reuse = UseFact(USE + "tww-dyeing", MAT + "treated-wastewater", PROC + "dyeing", "Textile dyeing", None,
                    (MAT + "process-water",), (), ())  # fmt: skip
    burn = UseFact(USE + "biogas-boiler", MAT + "biogas", PROC + "steam-boiler", "Steam boiler", None,
                   (MAT + "coal",), (), ())  # fmt: skip
    facts = replace(
        base,
        materials=materials,
        process_outputs={**base.process_outputs, PROC + "ad": (MAT + "biogas", MAT + "treated-wastewater")},
        process_inputs={**base.process_inputs, PROC + "kiln": (MAT + "fly-ash", MAT + "process-water")},
        uses=(reuse, burn),
    )
    found = find_candidates(facts, [tenant("ad", "biogas-plant"), tenant("c", "cement"), tenant("p", "power-coal")])
    water = [c for c in found if c.key[:3] == ("ad", "c", MAT + "treated-wastewater")]
    assert water and water[0].category == "water"
    assert water[0].evidence[0].fit == SUBSTITUTE_FIT and "in place of process water" in water[0].evidence[0].detail
    # the coal plant burns coal, which biogas replaced elsewhere, but fuels are not generalised
    assert not [c for c in found if c.key[:3] == ("ad", "p", MAT + "biogas")]
