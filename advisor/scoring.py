"""Deterministic scoring of candidate exchanges, with named features. All weights live in `WEIGHTS`.

score = resolution x (w_precedent * precedent + w_fit * technical_fit + w_quantity * quantity + w_distance * distance)
        - hazard_penalty (if the material is hazardous)

- ``precedent`` (0-1): documented exchanges between similar industries elsewhere, by park: each park counts its
  best industry-similarity product once; 1 - exp(-sum / 1.5), so one exact precedent gives 0.49, three give 0.86.
- ``technical_fit`` (0-1): best graph evidence: the receiver consumes the material (1.0) or a documented use
  points to the receiver's process (0.9) or industry (0.8); 0.1 less per taxonomy hop to a more general material.
  A use that replaced a water grade the receiver consumes counts 0.6 (water substitution).
- ``quantity`` (0-1): min/max of declared supply and demand in the same unit family; 0.5 when unknown.
- ``distance`` (0-1): exp(-km / 15) from coordinates; 0.5 when unknown.
- ``resolution`` (0-1): the lower confidence of the two tenants' industry resolution.

Before scoring, candidates are pruned to the `advisor.matching.RECEIVERS_PER_OUTPUT` (20) receivers per provider
and output with the best `evidence_score` (the precedent and technical-fit terms). A chain through an
intermediary (`advisor.chains`) scores `chain_discount` x the lower of its two legs' scores; an energy cascade
(hotter supply, colder demand) has technical fit `advisor.matching.CASCADE_FIT` (0.85).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from advisor.facts import GraphFacts

if TYPE_CHECKING:
    from advisor.matching import Candidate

__all__ = ["WEIGHTS", "Features", "evidence_score", "score_candidate"]

WEIGHTS = {
    "precedent": 0.45,
    "technical_fit": 0.35,
    "quantity": 0.10,
    "distance": 0.10,
    "hazard_penalty": 0.10,
    "precedent_scale": 1.5,
    "distance_km_scale": 15.0,
    "chain_discount": 0.8,
}
UNKNOWN = 0.5


@dataclass(frozen=True, slots=True)
class Features:
    """The named features of one suggestion."""

    precedent: float
    precedent_parks: tuple[str, ...]
    technical_fit: float
    quantity: float | None
    distance_km: float | None
    distance: float | None
    resolution: float
    hazardous: bool
    score: float

    def with_score(self, score: float) -> Features:
        """A copy with another score (faster than dataclasses.replace, which matters for large parks)."""
        return Features(
            self.precedent, self.precedent_parks, self.technical_fit, self.quantity, self.distance_km,
            self.distance, self.resolution, self.hazardous, score,
        )  # fmt: skip

    def as_dict(self) -> dict[str, object]:
        """Plain values for JSON."""
        return {
            "precedent": round(self.precedent, 3),
            "precedent_parks": list(self.precedent_parks),
            "technical_fit": round(self.technical_fit, 3),
            "quantity_match": None if self.quantity is None else round(self.quantity, 3),
            "distance_km": None if self.distance_km is None else round(self.distance_km, 2),
            "distance": None if self.distance is None else round(self.distance, 3),
            "resolution_confidence": round(self.resolution, 3),
            "hazardous": self.hazardous,
        }


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _quantity(facts: GraphFacts, c: Candidate) -> float | None:
    family = {m for m, _ in facts.ancestors(c.material)}
    supply = [f.flow.annual() for f in c.provider.outputs if f.material in family]
    demand = [f.flow.annual() for f in c.receiver.inputs if f.material in family]
    pairs = [(s, d) for s in supply if s for d in demand if d and s[1] == d[1]]
    if not pairs:
        return None
    s, d = pairs[0][0][0], pairs[0][1][0]
    return min(s, d) / max(s, d) if max(s, d) > 0 else None


def _evidence_terms(c: Candidate) -> tuple[tuple[str, ...], float, float]:
    by_park: dict[str, float] = {}
    for ev in c.evidence:
        if ev.type == "precedent" and ev.park:
            by_park[ev.park] = max(by_park.get(ev.park, 0.0), ev.fit)
    precedent = 1 - math.exp(-sum(by_park.values()) / WEIGHTS["precedent_scale"])
    fit = max((ev.fit for ev in c.evidence if ev.type in ("need", "use")), default=0.0)
    return tuple(sorted(by_park, key=lambda p: (-by_park[p], p))), precedent, fit


def evidence_score(c: Candidate) -> float:
    """The evidence part of the score (precedent and technical fit), used to prune before full scoring."""
    _, precedent, fit = _evidence_terms(c)
    return WEIGHTS["precedent"] * precedent + WEIGHTS["technical_fit"] * fit


def score_candidate(facts: GraphFacts, c: Candidate, cache: dict[int, tuple] | None = None) -> Features:
    """Compute the features and the score of one candidate.

    ``cache`` (by ``id`` of the evidence list, which tenants of one profile share) saves recomputing the evidence
    terms; pass one dict per batch of candidates that stay alive while it is used.
    """
    if cache is None:
        parks, precedent, fit = _evidence_terms(c)
    else:
        terms = cache.get(id(c.evidence))
        if terms is None:
            terms = cache[id(c.evidence)] = _evidence_terms(c)
        parks, precedent, fit = terms
    quantity = _quantity(facts, c) if c.provider.outputs and c.receiver.inputs else None
    pc, rc = c.provider.company, c.receiver.company
    km = None
    if None not in (pc.lat, pc.lon, rc.lat, rc.lon):
        km = _haversine_km(pc.lat, pc.lon, rc.lat, rc.lon)  # type: ignore[arg-type]
    distance = math.exp(-km / WEIGHTS["distance_km_scale"]) if km is not None else None
    resolution = min(c.provider.confidence, c.receiver.confidence)
    material = facts.materials.get(c.material)
    hazardous = bool(material and material.hazardous)
    raw = (
        WEIGHTS["precedent"] * precedent
        + WEIGHTS["technical_fit"] * fit
        + WEIGHTS["quantity"] * (UNKNOWN if quantity is None else quantity)
        + WEIGHTS["distance"] * (UNKNOWN if distance is None else distance)
    )
    score = resolution * raw - (WEIGHTS["hazard_penalty"] if hazardous else 0.0)
    return Features(precedent, parks, fit, quantity, km, distance, resolution, hazardous, round(max(score, 0.0), 4))
