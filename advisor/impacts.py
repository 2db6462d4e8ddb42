"""Impact estimates for a suggested exchange: CO2, fresh water and money as low-high ranges with their assumptions.

The factors live in ``advisor/data/impact_factors.yaml``: per material family, per unit (t, MWh or m3) of the
exchanged flow, low and high figures for t CO2e avoided, m3 of fresh water saved and USD saved, each with a
stated assumption and the public sources it was derived from. A factor applies to the materials it lists and to
every more specific kind of them (the knowledge base's taxonomy); the most specific one wins.

When the park file declares the flow (the provider's output or the receiver's input, see
`advisor.parkfile.Flow.annual`) the ranges are annual totals for that quantity (the smaller of supply and demand
when both are declared); otherwise they are per unit of flow. Without a factor the estimate says why not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from advisor.facts import GraphFacts
from advisor.resolve import ResolvedCompany

__all__ = ["FACTORS_PATH", "ImpactFactor", "ImpactTable", "estimate", "load_factors", "summary"]

FACTORS_PATH = Path(__file__).with_name("data") / "impact_factors.yaml"
_MATERIAL_NS = "https://w3id.org/symbiosis/id/material/"
_BASE_UNIT = {"t/yr": "t", "m3/yr": "m3", "MWh/yr": "MWh"}
_METRICS = ("co2_t", "water_m3", "usd")


@dataclass(frozen=True, slots=True)
class ImpactFactor:
    """Low-high impact figures per unit of one material family."""

    id: str
    materials: tuple[str, ...]
    unit: str
    co2_t: tuple[float, float]
    water_m3: tuple[float, float]
    usd: tuple[float, float]
    assumption: str
    sources: tuple[str, ...]
    per_tonne: float | None = None  # units of `unit` in one tonne of the flow (steam: MWh per t), if convertible


@dataclass(frozen=True, slots=True)
class ImpactTable:
    """All factors, indexed by material IRI, and their sources."""

    by_material: dict[str, ImpactFactor]
    sources: dict[str, dict[str, Any]]

    def factor_for(self, facts: GraphFacts, material: str) -> ImpactFactor | None:
        """The factor of the material or of its nearest more general kind."""
        for general, _hops in sorted(facts.ancestors(material, depth=6), key=lambda mh: mh[1]):
            factor = self.by_material.get(general)
            if factor is not None:
                return factor
        return None

    def source_text(self, key: str) -> str:
        """``title (year) url`` of a source key."""
        s = self.sources[key]
        return f"{s['title']} ({s['year']}) {s['url']}"


def _pair(value: Any, where: str) -> tuple[float, float]:
    low, high = (float(v) for v in value)
    if not 0 <= low <= high:
        raise ValueError(f"{where}: need 0 <= low <= high, got {value!r}")
    return low, high


@lru_cache(maxsize=4)
def load_factors(path: Path = FACTORS_PATH) -> ImpactTable:
    """Read and check the factor file (cached)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = dict(data["sources"])
    by_material: dict[str, ImpactFactor] = {}
    for row in data["factors"]:
        where = f"{path.name}: factor {row.get('id')!r}"
        missing = [s for s in row["sources"] if s not in sources]
        if missing or not row["sources"] or not str(row.get("assumption", "")).strip():
            raise ValueError(f"{where}: needs an assumption and known sources (unknown: {missing})")
        if row["unit"] not in ("t", "MWh", "m3"):
            raise ValueError(f"{where}: unit must be t, MWh or m3")
        factor = ImpactFactor(
            id=row["id"],
            materials=tuple(row["materials"]),
            unit=row["unit"],
            co2_t=_pair(row["co2_t"], where),
            water_m3=_pair(row["water_m3"], where),
            usd=_pair(row["usd"], where),
            assumption=" ".join(str(row["assumption"]).split()),
            sources=tuple(row["sources"]),
            per_tonne=float(row["per_tonne"]) if row.get("per_tonne") is not None else None,
        )
        for slug in factor.materials:
            if _MATERIAL_NS + slug in by_material:
                raise ValueError(f"{where}: material {slug!r} already has a factor")
            by_material[_MATERIAL_NS + slug] = factor
    return ImpactTable(by_material, sources)


def _declared(facts: GraphFacts, provider: ResolvedCompany, receiver: ResolvedCompany, material: str):
    """(quantity, base unit, who declared it) from the park file, or None."""
    family = {m for m, _ in facts.ancestors(material)}
    supply = [a for f in provider.outputs if f.material in family and (a := f.flow.annual())]
    demand = [a for f in receiver.inputs if f.material in family and (a := f.flow.annual())]
    for s in supply:
        for d in demand:
            if s[1] == d[1]:
                return min(s[0], d[0]), s[1], "smaller of declared supply and demand"
    if supply:
        return supply[0][0], supply[0][1], "declared supply"
    if demand:
        return demand[0][0], demand[0][1], "declared demand"
    return None


def _sig(x: float) -> float:
    """Two significant figures (whole numbers from 100 up)."""
    if x == 0:
        return 0.0
    rounded = float(f"{x:.2g}")
    return float(round(rounded)) if abs(rounded) >= 100 else rounded


def estimate(
    facts: GraphFacts,
    provider: ResolvedCompany,
    receiver: ResolvedCompany,
    material: str,
    table: ImpactTable | None = None,
) -> dict[str, Any]:
    """The ``impacts`` object of one suggestion (documented in the README)."""
    table = table or load_factors()
    factor = table.factor_for(facts, material)
    if factor is None:
        label = facts.materials[material].label if material in facts.materials else material
        return {"estimated": False, "reason": f"no impact factor covers {label} (advisor/data/impact_factors.yaml)"}
    assumptions = [factor.assumption]
    declared = _declared(facts, provider, receiver, material)
    amount = None
    if declared is not None:
        qty, base, who = declared
        unit = _BASE_UNIT.get(base)
        if unit == factor.unit:
            amount = qty
        elif unit == "t" and factor.per_tonne is not None:
            amount = qty * factor.per_tonne
            assumptions.append(f"{qty:,.0f} t/yr converted at {factor.per_tonne} {factor.unit} per t.")
        else:
            assumptions.append(f"The {who} is in {base}, which this factor (per {factor.unit}) cannot use.")
    if amount is not None:
        basis = f"declared quantity {qty:,.0f} {base} ({who})"
        scale, per = amount, "yr"
    else:
        basis = f"per {factor.unit} (no usable quantity declared)"
        scale, per = 1.0, factor.unit
    out: dict[str, Any] = {"estimated": True, "basis": basis, "per": per, "factor": factor.id}
    for metric in _METRICS:
        low, high = getattr(factor, metric)
        out[metric] = [_sig(low * scale), _sig(high * scale)]
    out["assumptions"] = assumptions
    out["sources"] = [table.source_text(s) for s in factor.sources]
    return out


def _range(values: list[float]) -> str:
    def fmt(x: float) -> str:
        if abs(x) >= 1_000_000:
            return f"{x / 1_000_000:.3g}M"
        if abs(x) >= 1_000:
            return f"{x / 1_000:.3g}k"
        return f"{x:g}"

    low, high = values
    return fmt(low) if low == high else f"{fmt(low)}-{fmt(high)}"


def summary(impacts: dict[str, Any]) -> str:
    """A compact one-cell rendering: ``CO2 1.2k-3.4k t, water 0 m3, USD 10k-60k per yr``; ``-`` if none."""
    if not impacts.get("estimated"):
        return "-"
    parts = [f"CO2 {_range(impacts['co2_t'])} t"]
    if any(impacts["water_m3"]):
        parts.append(f"water {_range(impacts['water_m3'])} m3")
    parts.append(f"USD {_range(impacts['usd'])}")
    return ", ".join(parts) + f" per {impacts['per']}"
