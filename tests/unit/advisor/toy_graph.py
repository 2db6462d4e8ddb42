"""A small hand-made graph for advisor unit tests (no Neo4j)."""

from __future__ import annotations

from advisor.facts import GraphFacts, IndustryFact, MaterialFact
from advisor.parkfile import Company, Flow
from advisor.resolve import ResolvedCompany, ResolvedFlow

MAT = "https://w3id.org/symbiosis/id/material/"
IND = "https://w3id.org/symbiosis/id/industry/"
PROC = "https://w3id.org/symbiosis/id/process/"


def material(slug: str, kind: str, *parents: str) -> MaterialFact:
    """A material fact."""
    return MaterialFact(MAT + slug, slug.replace("-", " "), kind, False, None, None, tuple(MAT + p for p in parents))


def toy_facts() -> GraphFacts:
    """Brewery, biogas plant, dairy, coal power, cement and glass, with their processes."""
    materials = [
        material("combustion-ash", "waste"),
        material("fly-ash", "by-product", "combustion-ash"),
        material("coal-fly-ash", "by-product", "fly-ash"),
        material("brewers-spent-grain", "by-product"),
        material("biogas", "energy"),
        material("steam", "energy"),
        material("process-steam", "energy", "steam"),
        material("waste-heat", "energy"),
        material("waste-heat-high-grade", "energy", "waste-heat"),
        material("waste-heat-low-grade", "energy", "waste-heat"),
        material("hot-water", "energy"),
        material("beer", "resource"),
        material("clinker", "resource"),
        material("coal", "resource"),
        material("electricity", "energy"),
        material("shared-knowledge", "service"),
    ]
    industries = {
        IND + "brewery": IndustryFact(IND + "brewery", "Brewery", "1103", (PROC + "brewing",), None),
        IND + "biogas-plant": IndustryFact(IND + "biogas-plant", "Biogas plant", "3821", (PROC + "ad",), None),
        IND + "dairy": IndustryFact(IND + "dairy", "Dairy", "1050", (PROC + "dairy",), None),
        IND + "power-coal": IndustryFact(IND + "power-coal", "Coal power", "3510", (PROC + "boiler",), None),
        IND + "cement": IndustryFact(IND + "cement", "Cement", "2394", (PROC + "kiln",), None),
        IND + "glass": IndustryFact(IND + "glass", "Glass", "2310", (PROC + "furnace",), None),
    }
    outputs = {
        PROC + "brewing": (MAT + "beer", MAT + "brewers-spent-grain"),
        PROC + "ad": (MAT + "biogas",),
        PROC + "dairy": (MAT + "waste-heat-low-grade",),
        PROC + "boiler": (MAT + "electricity", MAT + "coal-fly-ash", MAT + "process-steam"),
        PROC + "kiln": (MAT + "clinker",),
        PROC + "furnace": (MAT + "waste-heat-high-grade",),
    }
    inputs = {
        PROC + "brewing": (MAT + "process-steam",),
        PROC + "ad": (MAT + "brewers-spent-grain",),
        PROC + "dairy": (MAT + "biogas", MAT + "hot-water", MAT + "process-steam"),
        PROC + "boiler": (MAT + "coal",),
        PROC + "kiln": (MAT + "fly-ash",),
        PROC + "furnace": (MAT + "electricity",),
    }
    return GraphFacts(
        industries=industries,
        materials={m.iri: m for m in materials},
        process_outputs=outputs,
        process_inputs=inputs,
        uses=(),
        exchanges=(),
        sources={},
    )


def tenant(
    cid: str,
    industry: str,
    *,
    outputs: tuple[tuple[str, float, str], ...] = (),
    lat: float | None = None,
    lon: float | None = None,
) -> ResolvedCompany:
    """A resolved tenant of one industry; ``outputs`` as (material slug, quantity, unit)."""
    flows = tuple(ResolvedFlow(Flow(material=slug, quantity=q, unit=u), MAT + slug, 1.0) for slug, q, u in outputs)
    company = Company(id=cid, name=f"{industry} {cid}", industry=industry, lat=lat, lon=lon)
    return ResolvedCompany(company, (IND + industry,), 1.0, "code", outputs=flows)
