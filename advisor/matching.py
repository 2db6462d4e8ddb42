"""Find candidate exchanges between the tenants of a park, with the evidence for each.

Three kinds of evidence, all read from the graph (`advisor.facts`):

- ``need``: the provider's output (or a more general kind of it) is an input of the receiver's processes;
- ``use``: a documented use says the output can be used by one of the receiver's processes or its industry;
- ``precedent``: a documented exchange elsewhere went from a similar industry to a similar industry.

Outputs are inferred from the tenant's industry processes unless the tenant declares its outputs, which then
replace them; the same holds for inputs. A hotter heat or steam supply also serves a colder heat demand (energy
cascade, `advisor.chains.HEAT_CASCADE`, fit 0.85).
A documented use in which an output replaces a water grade (treated wastewater for process water in dyeing)
also points to every tenant that consumes that water (fit `SUBSTITUTE_FIT`, 0.6).

Scale: tenants with the same profile (industries, declared processes and flows) have the same evidence, so the
evidence is gathered once per pair of profiles and then expanded to tenants, keeping for each provider and
output only the `RECEIVERS_PER_OUTPUT` receivers with the strongest evidence (nearest first among equals).
Without the pruning a park of n tenants has O(n^2) candidates; with it O(n).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from advisor.chains import cascade_targets
from advisor.facts import ExchangeFact, GraphFacts, UseFact
from advisor.resolve import ResolvedCompany
from advisor.scoring import evidence_score

__all__ = ["RECEIVERS_PER_OUTPUT", "Candidate", "Evidence", "find_candidates", "industry_similarity"]

EXCHANGEABLE_KINDS = ("waste", "by-product", "energy", "water", "service")
_CATEGORY = {"energy": "energy", "water": "water", "service": "service"}
RECEIVERS_PER_OUTPUT = 20  # receivers kept per provider and output material before scoring
CASCADE_FIT = 0.85
SUBSTITUTE_FIT = 0.6  # a documented use replaced a water grade elsewhere, and the receiver uses that water
PRODUCT_FIT = 0.6  # a neighbour's main product supplied by pipe or conveyor (a normal trade, hence lower)
_SORT_BY_DISTANCE_MAX = 200  # receivers of one profile sorted by distance only up to this many


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason to suggest an exchange."""

    type: str  # need | use | precedent | chain
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
    via: ResolvedCompany | None = None  # the intermediary of a chain
    legs: tuple[Candidate, ...] = ()  # a chain's two direct legs
    key: tuple[str, str, str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # provider id, receiver id, material IRI, intermediary id ("" for a direct exchange)
        via = self.via.company.id if self.via else ""
        self.key = (self.provider.company.id, self.receiver.company.id, self.material, via)


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


def processes_of(facts: GraphFacts, c: ResolvedCompany) -> set[str]:
    """The tenant's declared processes and those of its industries."""
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


def _products(facts: GraphFacts, c: ResolvedCompany, processes: set[str]) -> set[str]:
    """Main products (kind "resource") of the tenant's processes, unless it declares its outputs."""
    if any(f.material for f in c.outputs):
        return set()
    return {
        m
        for p in processes
        for m in facts.process_outputs.get(p, ())
        if (fact := facts.materials.get(m)) and fact.kind == "resource"
    }


def _inputs(facts: GraphFacts, c: ResolvedCompany, processes: set[str]) -> set[str]:
    declared = {f.material for f in c.inputs if f.material}
    if declared:
        return declared
    return {m for p in processes for m in facts.process_inputs.get(p, ())}


def _category(facts: GraphFacts, material: str) -> str:
    fact = facts.materials.get(material)
    return _CATEGORY.get(fact.kind if fact else "", "material")


def _profile(c: ResolvedCompany) -> tuple[tuple[str, ...], ...]:
    """What the evidence depends on: tenants with equal profiles get equal evidence."""
    return (
        tuple(sorted(c.industries)),
        tuple(sorted(c.processes)),
        tuple(sorted({f.material for f in c.outputs if f.material})),
        tuple(sorted({f.material for f in c.inputs if f.material})),
    )


def find_candidates(
    facts: GraphFacts, companies: list[ResolvedCompany], *, limit: int = RECEIVERS_PER_OUTPUT
) -> list[Candidate]:
    """Candidate exchanges among ``companies`` with their evidence (unscored), ``limit`` receivers per output."""
    groups: dict[tuple[tuple[str, ...], ...], list[ResolvedCompany]] = defaultdict(list)
    for c in companies:
        if c.resolved:
            groups[_profile(c)].append(c)
    members = {g[0].company.id: g for g in groups.values()}
    reps = [g[0] for g in groups.values()]
    return _expand(_profile_candidates(facts, reps, members), members, limit)


def _profile_candidates(
    facts: GraphFacts, reps: list[ResolvedCompany], members: dict[str, list[ResolvedCompany]]
) -> list[Candidate]:
    """Candidates between profile representatives (a profile may supply itself when it has two tenants)."""
    found: dict[tuple[str, str, str], Candidate] = {}

    def add(p: ResolvedCompany, r: ResolvedCompany, material: str, category: str, ev: Evidence) -> None:
        if p.company.id == r.company.id and len(members[p.company.id]) < 2:
            return
        key = (p.company.id, r.company.id, material)
        if key not in found:
            found[key] = Candidate(p, r, material, category)
        found[key].evidence.append(ev)

    # receivers indexed by what they take: a needed material, or a process/industry a use points to
    procs = {c.company.id: processes_of(facts, c) for c in reps}
    by_need: dict[str, list[ResolvedCompany]] = defaultdict(list)
    by_target: dict[str, list[ResolvedCompany]] = defaultdict(list)
    for r in reps:
        for m in _inputs(facts, r, procs[r.company.id]):
            by_need[m].append(r)
        for t in (*procs[r.company.id], *r.industries):
            by_target[t].append(r)

    for p in reps:
        for m in sorted(_outputs(facts, p, procs[p.company.id])):
            category = _category(facts, m)
            for general, hops in facts.ancestors(m):
                for r in by_need.get(general, ()):
                    path = (m, general) if hops else (m,)
                    add(p, r, m, category, Evidence("need", general, 1.0 - 0.1 * hops, "input of", path=path))
                for use in facts.uses_by_material.get(general, ()):
                    for r in by_target.get(use.target, ()):
                        fit = (0.9 if use.target in procs[r.company.id] else 0.8) - 0.1 * hops
                        add(p, r, m, category, _use_evidence(use, fit, m, general))
                    for ev, r in _water_substitutes(facts, use, m, general, hops, by_need):
                        add(p, r, m, category, ev)
            for colder in cascade_targets(facts, m):
                for r in by_need.get(colder, ()):
                    detail = "lower-temperature heat demand (energy cascade)"
                    add(p, r, m, category, Evidence("need", colder, CASCADE_FIT, detail, path=(m, colder)))
        for m in sorted(_products(facts, p, procs[p.company.id])):
            for general, hops in facts.ancestors(m):
                for r in by_need.get(general, ()):
                    path = (m, general) if hops else (m,)
                    ev = Evidence("need", general, PRODUCT_FIT - 0.1 * hops, "input of (product supply)", path=path)
                    add(p, r, m, "material", ev)

    similarity: dict[tuple[str, tuple[str, ...]], float] = {}
    for ex in facts.exchanges:
        _add_precedent(facts, reps, ex, add, similarity)
    return _merge_related(facts, list(found.values()))


def _km(a: ResolvedCompany, b: ResolvedCompany) -> float:
    ca, cb = a.company, b.company
    if None in (ca.lat, ca.lon, cb.lat, cb.lon):
        return math.inf
    dx = (cb.lon - ca.lon) * math.cos(math.radians((ca.lat + cb.lat) / 2))  # type: ignore[operator]
    return math.hypot(dx, cb.lat - ca.lat)  # type: ignore[operator]


def _expand(candidates: list[Candidate], members: dict[str, list[ResolvedCompany]], limit: int) -> list[Candidate]:
    """Tenant-level candidates: for each provider and material, the ``limit`` receivers with the best evidence."""
    by_output: dict[tuple[str, str], list[tuple[float, Candidate]]] = defaultdict(list)
    for c in candidates:
        by_output[(c.provider.company.id, c.material)].append((evidence_score(c), c))
    out: list[Candidate] = []
    for (rep, _material), group in by_output.items():
        group.sort(key=lambda sc: (-sc[0], sc[1].receiver.company.id))
        for p in members[rep]:
            taken = 0
            for _, c in group:
                pool = members[c.receiver.company.id]
                if len(pool) <= _SORT_BY_DISTANCE_MAX:
                    key = lambda r, p=p: (_km(p, r), -r.confidence, r.company.id)  # noqa: E731
                    receivers = sorted((r for r in pool if r is not p), key=key)
                else:  # a very large profile: in file order
                    receivers = [r for r in pool[: limit + 1] if r is not p]
                for r in receivers[: limit - taken]:
                    out.append(Candidate(p, r, c.material, c.category, c.evidence))
                taken += min(len(receivers), limit - taken)
                if taken >= limit:
                    break
    return sorted(out, key=lambda c: c.key)


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


def _water_substitutes(
    facts: GraphFacts,
    use: UseFact,
    material: str,
    general: str,
    hops: int,
    by_need: dict[str, list[ResolvedCompany]],
) -> list[tuple[Evidence, ResolvedCompany]]:
    """Receivers of a water that ``use`` documents ``material`` replacing at another process.

    Water grades are interchangeable after treatment (reclaimed water for process or cooling water), so a tenant
    that consumes the replaced water could take the output too. Fuels and feedstocks are not generalised this way:
    burners, kilns and recipes are specific, and nearly every tenant burns fuel (tried: it lowered the backtest).
    """
    found = []
    for sub in use.substitutes:
        fact = facts.materials.get(sub)
        if fact is None or fact.kind != "water":
            continue
        detail = f"{use.target_label} in place of {fact.label.lower()}, which this receiver also uses"
        path = (material, general, sub) if general != material else (material, sub)
        ev = Evidence("use", use.iri, round(SUBSTITUTE_FIT - 0.1 * hops, 3), detail,
                      sources=use.sources + use.precedents, path=path)  # fmt: skip
        found.extend((ev, r) for r in by_need.get(sub, ()))
    return found


def _use_evidence(use: UseFact, fit: float, material: str, general: str) -> Evidence:
    path = (material, general, use.target) if general != material else (material, use.target)
    return Evidence("use", use.iri, round(fit, 3), use.target_label, sources=use.sources + use.precedents, path=path)


def _add_precedent(
    facts: GraphFacts,
    tenants: list[ResolvedCompany],
    ex: ExchangeFact,
    add: object,
    cache: dict[tuple[str, tuple[str, ...]], float],
) -> None:
    def best(c: ResolvedCompany, industries: tuple[str, ...]) -> float:
        key = (c.company.id, industries)
        if key not in cache:
            cache[key] = max((industry_similarity(facts, a, b) for a in c.industries for b in industries), default=0.0)
        return cache[key]

    providers = [(c, s) for c in tenants if (s := best(c, ex.provider_industries)) > 0]
    if not providers:
        return
    receivers = [(c, s) for c in tenants if (s := best(c, ex.receiver_industries)) > 0]
    for p, sp in providers:
        for r, sr in receivers:
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
