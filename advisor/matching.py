"""Find candidate exchanges between the tenants of a park, with the evidence for each.

Three kinds of evidence, all read from the graph (`advisor.facts`):

- ``need``: the provider's output (or a more general kind of it) is an input of the receiver's processes;
- ``use``: a documented use says the output can be used by one of the receiver's processes or its industry;
- ``precedent``: a documented exchange elsewhere went from a similar industry to a similar industry.

Outputs are inferred from the tenant's industry processes unless the tenant declares its outputs, which then
replace them; the same holds for inputs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from advisor.facts import ExchangeFact, GraphFacts, UseFact
from advisor.resolve import ResolvedCompany

__all__ = ["Candidate", "Evidence", "find_candidates", "industry_similarity"]

EXCHANGEABLE_KINDS = ("waste", "by-product", "energy", "water", "service")
_CATEGORY = {"energy": "energy", "water": "water", "service": "service"}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason to suggest an exchange."""

    type: str  # need | use | precedent
    id: str
    fit: float
    detail: str
    park: str | None = None
    sources: tuple[str, ...] = ()
    path: tuple[str, ...] = ()


@dataclass
class Candidate:
    """A possible flow of one material from one tenant to another."""

    provider: ResolvedCompany
    receiver: ResolvedCompany
    material: str
    category: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        """Provider id, receiver id, material IRI."""
        return (self.provider.company.id, self.receiver.company.id, self.material)


def industry_similarity(facts: GraphFacts, a: str, b: str) -> float:
    """1 for the same industry; 0.9 same ISIC class; 0.7 same group; 0.5 same division or parent; else 0."""
    if a == b:
        return 1.0
    fa, fb = facts.industries.get(a), facts.industries.get(b)
    if fa is None or fb is None:
        return 0.0
    if fa.parent == b or fb.parent == a:
        return 0.7
    ia, ib = fa.isic, fb.isic
    if not (ia.isdigit() and ib.isdigit()):
        return 0.0
    for n, score in ((4, 0.9), (3, 0.7), (2, 0.5)):
        if len(ia) >= n and len(ib) >= n and ia[:n] == ib[:n]:
            return score
    if fa.parent is not None and fa.parent == fb.parent:
        return 0.5
    return 0.0


def _processes(facts: GraphFacts, c: ResolvedCompany) -> set[str]:
    procs = set(c.processes)
    for ind in c.industries:
        fact = facts.industries.get(ind)
        if fact:
            procs.update(fact.processes)
    return procs


def _outputs(facts: GraphFacts, c: ResolvedCompany, processes: set[str]) -> set[str]:
    declared = {f.material for f in c.outputs if f.material}
    if declared:
        return declared
    out = set()
    for p in processes:
        for m in facts.process_outputs.get(p, ()):
            fact = facts.materials.get(m)
            if fact and fact.kind in EXCHANGEABLE_KINDS:
                out.add(m)
    return out


def _inputs(facts: GraphFacts, c: ResolvedCompany, processes: set[str]) -> set[str]:
    declared = {f.material for f in c.inputs if f.material}
    if declared:
        return declared
    return {m for p in processes for m in facts.process_inputs.get(p, ())}


def _category(facts: GraphFacts, material: str) -> str:
    fact = facts.materials.get(material)
    return _CATEGORY.get(fact.kind if fact else "", "material")


def find_candidates(facts: GraphFacts, companies: list[ResolvedCompany]) -> list[Candidate]:
    """All candidate exchanges among ``companies`` with their evidence (unscored)."""
    tenants = [c for c in companies if c.resolved]
    found: dict[tuple[str, str, str], Candidate] = {}

    def add(p: ResolvedCompany, r: ResolvedCompany, material: str, category: str, ev: Evidence) -> None:
        key = (p.company.id, r.company.id, material)
        if key not in found:
            found[key] = Candidate(p, r, material, category)
        found[key].evidence.append(ev)

    # receivers indexed by what they take: a needed material, or a process/industry a use points to
    procs = {c.company.id: _processes(facts, c) for c in tenants}
    by_need: dict[str, list[ResolvedCompany]] = defaultdict(list)
    by_target: dict[str, list[ResolvedCompany]] = defaultdict(list)
    for r in tenants:
        for m in _inputs(facts, r, procs[r.company.id]):
            by_need[m].append(r)
        for t in (*procs[r.company.id], *r.industries):
            by_target[t].append(r)

    for p in tenants:
        for m in sorted(_outputs(facts, p, procs[p.company.id])):
            category = _category(facts, m)
            for general, hops in facts.ancestors(m):
                for r in by_need.get(general, ()):
                    if r.company.id != p.company.id:
                        path = (m, general) if hops else (m,)
                        add(p, r, m, category, Evidence("need", general, 1.0 - 0.1 * hops, "input of", path=path))
                for use in facts.uses_by_material.get(general, ()):
                    for r in by_target.get(use.target, ()):
                        if r.company.id != p.company.id:
                            fit = (0.9 if use.target in procs[r.company.id] else 0.8) - 0.1 * hops
                            add(p, r, m, category, _use_evidence(use, fit, m, general))

    for ex in facts.exchanges:
        _add_precedent(facts, tenants, ex, add)
    return _merge_related(facts, list(found.values()))


def _merge_related(facts: GraphFacts, candidates: list[Candidate]) -> list[Candidate]:
    """Fold a pair's candidates whose materials are kinds of one another (process steam / steam) into one."""
    by_pair: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in sorted(candidates, key=lambda c: c.key):
        by_pair[(c.provider.company.id, c.receiver.company.id)].append(c)
    merged: list[Candidate] = []
    for group in by_pair.values():
        kept: list[Candidate] = []
        # the most specific material (most ancestors) absorbs its more general relatives
        for c in sorted(group, key=lambda c: (-len(facts.ancestors(c.material)), c.material)):
            family = {m for m, _ in facts.ancestors(c.material)}
            host = next(
                (k for k in kept if c.material in {m for m, _ in facts.ancestors(k.material)} or k.material in family),
                None,
            )
            if host is None:
                kept.append(c)
            else:
                host.evidence.extend(c.evidence)
        merged.extend(kept)
    return sorted(merged, key=lambda c: c.key)


def _use_evidence(use: UseFact, fit: float, material: str, general: str) -> Evidence:
    path = (material, general, use.target) if general != material else (material, use.target)
    return Evidence("use", use.iri, round(fit, 3), use.target_label, sources=use.sources + use.precedents, path=path)


def _add_precedent(facts: GraphFacts, tenants: list[ResolvedCompany], ex: ExchangeFact, add: object) -> None:
    def best(c: ResolvedCompany, industries: tuple[str, ...]) -> float:
        return max((industry_similarity(facts, a, b) for a in c.industries for b in industries), default=0.0)

    providers = [(c, s) for c in tenants if (s := best(c, ex.provider_industries)) > 0]
    if not providers:
        return
    receivers = [(c, s) for c in tenants if (s := best(c, ex.receiver_industries)) > 0]
    for p, sp in providers:
        for r, sr in receivers:
            if p.company.id == r.company.id:
                continue
            ev = Evidence(
                "precedent",
                ex.iri,
                round(sp * sr, 3),
                f"{ex.provider_name} -> {ex.receiver_name} ({ex.park_name}, {ex.status})",
                park=ex.park,
                sources=ex.sources,
                path=(ex.provider, ex.material, ex.receiver),
            )
            add(p, r, ex.material, ex.category, ev)  # type: ignore[operator]
