"""Ranked, justified opportunity lists for a park: resolution -> candidates -> scores -> evidence and prose.

The justification is composed only from the evidence attached to the suggestion (graph path, precedents with
their sources, documented uses with their conditions), so every company, material and number in it can be
traced. `Opportunity` is the stable record behind every output format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from advisor.chains import find_chains
from advisor.facts import GraphFacts
from advisor.impacts import estimate
from advisor.matching import Candidate, find_candidates
from advisor.parkfile import ParkFile
from advisor.resolve import ResolvedCompany, resolve_company
from advisor.scoring import Features, score_candidate
from ontology.lexicon import Lexicon
from ontology.records import compact_iri

__all__ = ["DIVERSITY_DECAY", "Opportunity", "ParkAdvice", "advise", "diversify", "rank", "ranked_pairs"]

DIVERSITY_DECAY = 0.85


@dataclass(frozen=True, slots=True)
class Opportunity:
    """One suggested exchange."""

    rank: int
    provider: str
    receiver: str
    material: str
    material_label: str
    category: str
    score: float
    features: Features
    justification: str
    evidence: list[dict[str, Any]]
    flags: list[str]
    impacts: dict[str, Any]
    via: str | None = None

    def as_dict(self, names: dict[str, str]) -> dict[str, Any]:
        """The documented JSON shape of one opportunity."""
        return {
            "rank": self.rank,
            "from": self.provider,
            "to": self.receiver,
            "from_name": names.get(self.provider, self.provider),
            "to_name": names.get(self.receiver, self.receiver),
            "via": self.via,
            "via_name": names.get(self.via, self.via) if self.via else None,
            "flow": self.material_label,
            "material": compact_iri(self.material),
            "category": self.category,
            "score": self.score,
            "features": self.features.as_dict(),
            "justification": self.justification,
            "evidence": self.evidence,
            "impacts": self.impacts,
            "flags": self.flags,
        }


@dataclass(frozen=True, slots=True)
class ParkAdvice:
    """Everything produced for one park."""

    park: ParkFile
    companies: list[ResolvedCompany]
    opportunities: list[Opportunity]
    candidates_considered: int
    holdout: tuple[str, ...] = ()
    passages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON shape: park, opportunities, unresolved."""
        names = {c.company.id: c.company.name for c in self.companies}
        return {
            "park": {
                "id": self.park.id,
                "name": self.park.name,
                "country": self.park.country,
                "companies": len(self.companies),
                "resolved": [
                    {
                        "id": c.company.id,
                        "industries": [compact_iri(i) for i in c.industries],
                        "confidence": c.confidence,
                        "method": c.method,
                    }
                    for c in self.companies
                    if c.resolved
                ],
                "candidates_considered": self.candidates_considered,
                "holdout": list(self.holdout),
            },
            "opportunities": [o.as_dict(names) for o in self.opportunities],
            "unresolved": [
                {"id": c.company.id, "name": c.company.name, "problems": list(c.problems)}
                for c in self.companies
                if not c.resolved or c.problems
            ],
        }


def _source_text(facts: GraphFacts, iri: str) -> str:
    s = facts.sources.get(iri)
    if not s:
        return compact_iri(iri)
    return f"{s.get('title')} ({s.get('year')}) {s.get('url')}"


def _label(facts: GraphFacts, iri: str) -> str:
    m = facts.materials.get(iri)
    if m:
        return m.label
    ind = facts.industries.get(iri)
    return ind.label if ind else compact_iri(iri)


def _evidence(facts: GraphFacts, c: Candidate) -> list[dict[str, Any]]:
    if c.via is not None:  # the chain itself, then the evidence of each leg
        ev = c.evidence[0]
        row = {"type": "chain", "id": ev.id, "summary": f"chain: {ev.detail}",
               "path": [compact_iri(p) for p in ev.path], "source": []}  # fmt: skip
        return [row, *_evidence(facts, c.legs[0])[:3], *_evidence(facts, c.legs[1])[:3]]
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ev in sorted(c.evidence, key=lambda e: (-e.fit, e.type, e.id)):
        if ev.id in seen:
            continue
        seen.add(ev.id)
        if ev.type == "precedent":
            summary = f"documented exchange: {ev.detail}"
        elif ev.type == "use":
            summary = f"documented use: {_label(facts, ev.path[-2] if len(ev.path) > 1 else c.material)} by {ev.detail}"
        else:
            summary = f"{_label(facts, c.material)} is an input of {c.receiver.company.name}'s processes"
        rows.append(
            {
                "type": ev.type,
                "id": compact_iri(ev.id),
                "summary": summary,
                "path": [compact_iri(p) for p in ev.path],
                "source": [_source_text(facts, s) for s in ev.sources if s in facts.sources][:3],
            }
        )
    return rows[:8]


def _justification(facts: GraphFacts, c: Candidate, f: Features, evidence: list[dict[str, Any]]) -> str:
    """Grounded prose: every name and number comes from the candidate and its evidence."""
    p, r = c.provider.company.name, c.receiver.company.name
    material = _label(facts, c.material)
    if c.via is not None:
        onward = _label(facts, c.legs[1].material)
        return (
            f"{p} could send {material} to {c.via.company.name}, which turns it into {onward} for {r}. "
            f"Both steps are suggestions of their own: {evidence[0]['summary'].removeprefix('chain: ')}."
        )
    parts = [f"{p} could supply {material} to {r}."]
    fits = [e for e in evidence if e["type"] in ("use", "need")]
    if fits:
        parts.append(f"The knowledge graph supports it: {fits[0]['summary']}.")
    precedents = [e for e in evidence if e["type"] == "precedent"]
    if precedents:
        parks = len(f.precedent_parks)
        parts.append(
            f"It has {len(precedents)} documented precedent(s) in {parks} park(s), e.g. "
            f"{precedents[0]['summary'].removeprefix('documented exchange: ')}."
        )
    if f.quantity is not None:
        parts.append(f"Declared supply and demand match to {f.quantity:.0%}.")
    if f.distance_km is not None:
        parts.append(f"The two sites are {f.distance_km:.1f} km apart.")
    return " ".join(parts)


def _flags(facts: GraphFacts, c: Candidate) -> list[str]:
    m = facts.materials.get(c.material)
    flags = []
    if m and m.hazardous:
        code = f" (EWC {m.ewc})" if m.ewc else ""
        vn = f", Vietnamese code {m.vn_code}" if m.vn_code else ""
        flags.append(
            f"hazardous waste{code}{vn}: in Viet Nam only licensed transport and treatment (Circular 02/2022/TT-BTNMT)"
        )
    evidence = [e for leg in c.legs for e in leg.evidence] if c.via is not None else c.evidence
    if not any(e.type == "precedent" for e in evidence):
        flags.append("no documented precedent: technical fit only, check with both companies")
    if min(x.confidence for x in (c.provider, c.receiver, *([c.via] if c.via else []))) < 0.8:
        flags.append("industry matched with low confidence: confirm the tenants' activities")
    return flags


def advise(
    facts: GraphFacts,
    lexicon: Lexicon,
    park: ParkFile,
    *,
    top_k: int = 20,
    holdout: tuple[str, ...] = (),
    progress: Callable[[str], None] | None = None,
) -> ParkAdvice:
    """Rank the exchanges worth brokering between the tenants of ``park``."""
    say = progress or (lambda _m: None)
    companies, scored = rank(facts, lexicon, park)
    say(f"resolved {sum(c.resolved for c in companies)} of {len(companies)} tenants; {len(scored)} candidates")
    opportunities = []
    for position, (features, c) in enumerate(scored[:top_k], 1):
        evidence = _evidence(facts, c)
        label = _label(facts, c.material)
        if c.via is not None:
            label = f"{label} via {c.via.company.name} as {_label(facts, c.legs[1].material)}"
        impacts = estimate(facts, c.provider, c.via or c.receiver, c.material)
        if c.via is not None and impacts.get("estimated"):
            impacts["assumptions"].append("Counted once, for the residue sent to the intermediary.")
        opportunities.append(
            Opportunity(
                rank=position,
                provider=c.provider.company.id,
                receiver=c.receiver.company.id,
                material=c.material,
                material_label=label,
                category=c.category,
                score=features.score,
                features=features,
                justification=_justification(facts, c, features, evidence),
                evidence=evidence,
                flags=_flags(facts, c),
                impacts=impacts,
                via=c.via.company.id if c.via else None,
            )
        )
    return ParkAdvice(park, companies, opportunities, len(scored), holdout)


def rank(
    facts: GraphFacts, lexicon: Lexicon, park: ParkFile
) -> tuple[list[ResolvedCompany], list[tuple[Features, Candidate]]]:
    """Resolve the tenants, find and score the candidates and the chains through them; best first (ties by ids)."""
    companies = [resolve_company(lexicon, c) for c in park.companies]
    cache: dict[int, tuple] = {}
    direct = [(score_candidate(facts, c, cache), c) for c in find_candidates(facts, companies)]
    scored = sorted(direct + find_chains(facts, direct), key=lambda fc: (-fc[0].score, fc[1].key))
    return companies, diversify(scored)


def diversify(scored: list[tuple[Features, Candidate]]) -> list[tuple[Features, Candidate]]:
    """Re-rank so suppliers competing for one receiver's demand do not fill the list.

    Each earlier suggestion with the same receiver and material multiplies the score by `DIVERSITY_DECAY` (0.85):
    a tenant needs its steam (or acid, or water) from one or two neighbours, so the fifth "steam for the
    refinery" is an alternative to the first, not a new opportunity. One provider sending the same material to
    many receivers is not demoted: a hub (a power or steam plant, a water works) really does serve many tenants,
    and each of those flows is a deal of its own. Chains count like direct suggestions.
    """
    seen: dict[tuple[str, str], int] = {}
    out = []
    for features, c in scored:
        key = (c.receiver.company.id, c.material)
        repeats = seen.get(key, 0)
        if repeats:
            features = features.with_score(round(features.score * DIVERSITY_DECAY**repeats, 4))
        out.append((features, c))
        seen[key] = repeats + 1
    return sorted(out, key=lambda fc: (-fc[0].score, fc[1].key))


def ranked_pairs(facts: GraphFacts, lexicon: Lexicon, park: ParkFile) -> list[tuple[str, str]]:
    """Directed (provider, receiver) pairs in rank order, each pair once: what the backtest scores.

    Chains are left out: the documented cases list direct exchanges, and each leg of a chain is ranked itself.
    """
    seen: dict[tuple[str, str], None] = {}
    for _, c in rank(facts, lexicon, park)[1]:
        if c.via is not None:
            continue
        seen.setdefault((c.provider.company.id, c.receiver.company.id), None)
    return list(seen)
