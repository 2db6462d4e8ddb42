"""Exchanges through one intermediary tenant, and energy cascades.

Chain: A's residue goes to an intermediary T whose process turns it into something B takes (brewery spent grain
-> biogas plant -> biogas to a neighbour; sludge -> cement kiln co-processing; food waste -> composting). T must
be a converting industry (`INTERMEDIARY_INDUSTRIES`: anaerobic digestion, rendering, composting, cement kilns,
waste-to-energy, wastewater treatment, biomass boilers, waste treatment) turning a residue that is not heat into
something that is not heat, or both legs must be heat (`HEAT`: a cascade, steam used by T leaves it as
lower-grade heat for B). The link is read from the graph: one of T's processes
consumes the residue (or a documented use of it points to that process or to T's industry) and produces what
goes on to B. Both legs must already be scored direct candidates; the chain scores `chain_discount` (scoring
WEIGHTS) x the lower leg score, and each intermediary keeps its `CHAINS_PER_INTERMEDIARY` best chains.

Cascade matching of direct exchanges: a hotter heat or steam supply also serves a colder heat demand
(`HEAT_CASCADE`), e.g. high-grade waste heat raises the low-pressure steam or hot water another tenant needs.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from advisor.facts import GraphFacts
from advisor.scoring import WEIGHTS, Features

if TYPE_CHECKING:
    from advisor.matching import Candidate

__all__ = ["CHAINS_PER_INTERMEDIARY", "HEAT_CASCADE", "INTERMEDIARY_INDUSTRIES", "cascade_targets", "find_chains"]

_MAT = "https://w3id.org/symbiosis/id/material/"
_IND = "https://w3id.org/symbiosis/id/industry/"
# supply (or a more specific kind of it) -> colder heat demands it can serve
HEAT_CASCADE: dict[str, tuple[str, ...]] = {
    "waste-heat-high-grade": ("steam", "process-steam", "low-pressure-steam", "waste-heat-medium-grade",
                              "waste-heat-low-grade", "hot-water", "district-heat"),
    "waste-heat-medium-grade": ("low-pressure-steam", "waste-heat-low-grade", "hot-water", "district-heat"),
    "steam": ("waste-heat-medium-grade", "waste-heat-low-grade", "hot-water", "district-heat"),
    "process-steam": ("low-pressure-steam",),
}  # fmt: skip
INTERMEDIARY_INDUSTRIES = frozenset(
    _IND + s
    for s in (
        "biogas-plant", "rendering", "composting-plant", "cement", "waste-incineration", "wastewater-treatment",
        "power-biomass", "waste-treatment",
    )
)  # fmt: skip
HEAT = frozenset(_MAT + s for s in ("waste-heat", "steam", "hot-water", "district-heat"))
CHAINS_PER_INTERMEDIARY = 10
LEGS_PER_SIDE = 12  # best incoming and outgoing legs of an intermediary that are combined


def cascade_targets(facts: GraphFacts, material: str) -> list[str]:
    """Colder heat demands a heat or steam supply can serve, beyond its own kinds."""
    family = [m for m, _ in facts.ancestors(material)]
    out: list[str] = []
    for m in family:
        for slug in HEAT_CASCADE.get(m.removeprefix(_MAT), ()):
            iri = _MAT + slug
            if iri not in family and iri not in out and iri in facts.materials:
                out.append(iri)
    return out


def _is_heat(facts: GraphFacts, material: str) -> bool:
    return any(m in HEAT for m, _ in facts.ancestors(material))


def _link(facts: GraphFacts, leg: Candidate, processes: set[str], received: str, passed_on: str) -> str | None:
    """A process of the intermediary that takes ``received`` and makes ``passed_on``, if the graph has one."""
    taken = {m for m, _ in facts.ancestors(received)}
    onward = {m for m, _ in facts.ancestors(passed_on)}
    targets = {u.target for m in taken for u in facts.uses_by_material.get(m, ())}
    by_industry = bool(targets & set(leg.receiver.industries))
    for process in sorted(processes):
        consumes = by_industry or process in targets or bool(taken & set(facts.process_inputs.get(process, ())))
        if not consumes:
            continue
        for out in facts.process_outputs.get(process, ()):
            if out in onward or passed_on in {m for m, _ in facts.ancestors(out)}:
                return process
    return None


def _label(facts: GraphFacts, iri: str) -> str:
    m = facts.materials.get(iri)
    return m.label if m else iri.rsplit("/", 1)[-1].replace("-", " ")


def find_chains(
    facts: GraphFacts, scored: list[tuple[Features, Candidate]], *, per_intermediary: int = CHAINS_PER_INTERMEDIARY
) -> list[tuple[Features, Candidate]]:
    """Chains A -> T -> B built from scored direct candidates A -> T and T -> B (best first per T)."""
    from advisor.matching import Candidate, Evidence, processes_of

    converters: dict[str, bool] = {}
    heat: dict[str, bool] = {}

    def heat_of(material: str) -> bool:
        if material not in heat:
            heat[material] = _is_heat(facts, material)
        return heat[material]

    into: dict[str, list[tuple[Features, Candidate]]] = defaultdict(list)
    out_of: dict[str, list[tuple[Features, Candidate]]] = defaultdict(list)
    for f, c in scored:
        if c.via is not None:
            continue
        for t, side in ((c.receiver, into), (c.provider, out_of)):
            tid = t.company.id
            if tid not in converters:
                converters[tid] = bool(INTERMEDIARY_INDUSTRIES & set(t.industries))
            if converters[tid] or heat_of(c.material):  # only legs that can be part of a chain
                side[tid].append((f, c))
    chains: list[tuple[Features, Candidate]] = []
    by_score = lambda fc: (-fc[0].score, fc[1].key)  # noqa: E731
    for tid in sorted(into.keys() & out_of.keys()):
        ins = heapq.nsmallest(LEGS_PER_SIDE, into[tid], key=by_score)
        outs = heapq.nsmallest(LEGS_PER_SIDE, out_of[tid], key=by_score)
        via = ins[0][1].receiver
        converter = converters[tid]
        processes = processes_of(facts, via)
        found: list[tuple[Features, Candidate]] = []
        for f1, c1 in ins:
            for f2, c2 in outs:
                if c2.receiver.company.id == c1.provider.company.id:
                    continue
                heat_in, heat_out = heat_of(c1.material), heat_of(c2.material)
                # a cascade passes heat on; a converter turns a residue (not its heat supply) into a new product
                if not ((heat_in and heat_out) or (converter and not heat_in and not heat_out)):
                    continue
                process = _link(facts, c1, processes, c1.material, c2.material)
                if process is None:
                    continue
                a, b = c1.provider.company, c2.receiver.company
                proc_label = _label(facts, process)
                ev = Evidence(
                    "chain",
                    f"{a.id}>{via.company.id}>{b.id}",
                    round(min(f1.score, f2.score), 3),
                    f"{a.name} -> {via.company.name} ({proc_label}) -> {b.name}: "
                    f"{_label(facts, c1.material)} becomes {_label(facts, c2.material)}",
                    sources=tuple(dict.fromkeys(s for e in (*c1.evidence, *c2.evidence) for s in e.sources)),
                    path=(a.id, c1.material, via.company.id, process, c2.material, b.id),
                )
                chain = Candidate(c1.provider, c2.receiver, c1.material, c2.category, [ev], via=via, legs=(c1, c2))
                weaker = f1 if f1.score <= f2.score else f2
                parks = tuple(dict.fromkeys((*f1.precedent_parks, *f2.precedent_parks)))
                score = round(WEIGHTS["chain_discount"] * min(f1.score, f2.score), 4)
                found.append((replace(weaker, precedent_parks=parks, score=score), chain))
        found.sort(key=lambda fc: (-fc[0].score, fc[1].key))
        best: dict[
            tuple[str, str, str, str], tuple[Features, Candidate]
        ] = {}  # one chain per provider, receiver and material: the best onward product
        for fc in found:
            best.setdefault(fc[1].key, fc)
        chains.extend(list(best.values())[:per_intermediary])
    return chains
