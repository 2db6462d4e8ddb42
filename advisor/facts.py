"""What the advisor reads from the graph: industries, processes, materials, uses and documented exchanges.

`load_facts` runs a handful of Cypher queries (kg/queries.py) and keeps the answers in memory, so matching a
park of thousands of tenants needs no further round trips. `GraphFacts.without` hides documented cases (parks)
for backtests: their exchanges, and any use whose only evidence comes from them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from kg import queries as q
from kg.graph import GraphClient

__all__ = ["ExchangeFact", "GraphFacts", "IndustryFact", "MaterialFact", "UseFact", "load_facts"]

_ALL = 10_000_000


@dataclass(frozen=True, slots=True)
class IndustryFact:
    """An industry, its processes and ISIC code."""

    iri: str
    label: str
    isic: str
    processes: tuple[str, ...]
    parent: str | None


@dataclass(frozen=True, slots=True)
class MaterialFact:
    """A material with its kind, hazard status and parents in the taxonomy."""

    iri: str
    label: str
    kind: str
    hazardous: bool
    ewc: str | None
    vn_code: str | None
    parents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UseFact:
    """A documented "material can be used by process/industry" statement."""

    iri: str
    material: str
    target: str
    target_label: str
    conditions: str | None
    substitutes: tuple[str, ...]
    sources: tuple[str, ...]
    precedents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExchangeFact:
    """A documented exchange between two companies of a park."""

    iri: str
    provider: str
    provider_name: str
    receiver: str
    receiver_name: str
    provider_industries: tuple[str, ...]
    receiver_industries: tuple[str, ...]
    material: str
    category: str
    status: str
    year: int | None
    description: str | None
    park: str
    park_name: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class GraphFacts:
    """Everything the matcher needs, indexed for lookups."""

    industries: dict[str, IndustryFact]
    materials: dict[str, MaterialFact]
    process_outputs: dict[str, tuple[str, ...]]
    process_inputs: dict[str, tuple[str, ...]]
    uses: tuple[UseFact, ...]
    exchanges: tuple[ExchangeFact, ...]
    sources: dict[str, dict[str, Any]]
    hidden_parks: frozenset[str] = frozenset()
    uses_by_material: dict[str, list[UseFact]] = field(default_factory=dict)
    _ancestors: dict[tuple[str, int], list[tuple[str, int]]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[UseFact]] = defaultdict(list)
        for use in self.uses:
            index[use.material].append(use)
        object.__setattr__(self, "uses_by_material", dict(index))

    def ancestors(self, material: str, depth: int = 3) -> list[tuple[str, int]]:
        """The material and its more general kinds, with the number of KIND_OF hops (cached; do not modify)."""
        cached = self._ancestors.get((material, depth))
        if cached is not None:
            return cached
        out, frontier, seen = [(material, 0)], [material], {material}
        for d in range(1, depth + 1):
            nxt = []
            for m in frontier:
                fact = self.materials.get(m)
                for parent in fact.parents if fact else ():
                    if parent not in seen:
                        seen.add(parent)
                        nxt.append(parent)
                        out.append((parent, d))
            frontier = nxt
        self._ancestors[(material, depth)] = out
        return out

    def without(self, parks: set[str], park_sources: set[str], park_exchanges: set[str]) -> GraphFacts:
        """A copy that cannot see the given parks: their exchanges, and uses evidenced only by them."""
        exchanges = tuple(e for e in self.exchanges if e.park not in parks)
        uses = tuple(u for u in self.uses if (set(u.sources) - park_sources) or (set(u.precedents) - park_exchanges))
        return replace(self, exchanges=exchanges, uses=uses, hidden_parks=frozenset(parks) | self.hidden_parks)


def _rows(client: GraphClient, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return client.read(query, params, row_limit=_ALL, timeout_s=120).records()


def load_facts(client: GraphClient) -> GraphFacts:
    """Read the facts from Neo4j (a few queries, a second or two).

    Rows and collected lists are sorted, so the facts (and every ranking tie broken by their order) are the same
    whatever order the database returns them in: two servers loaded with one knowledge base give one answer.
    """
    industries = {
        r["industry"]: IndustryFact(
            r["industry"], r["label"], str(r["isic"] or ""), tuple(sorted(r["processes"])), r["parent"]
        )
        for r in _rows(client, q.INDUSTRY_PROCESSES)
    }
    outputs: dict[str, list[str]] = defaultdict(list)
    inputs: dict[str, list[str]] = defaultdict(list)
    for r in _rows(client, q.PROCESS_FLOWS):
        (outputs if r["direction"] == "PRODUCES" else inputs)[r["process"]].append(r["material"])
    materials = {
        r["iri"]: MaterialFact(
            r["iri"], r["label"], r["kind"], bool(r["hazardous"]), r["ewc"], r["vn_code"], tuple(sorted(r["parents"]))
        )
        for r in _rows(client, q.MATERIALS)
    }
    uses = tuple(
        UseFact(
            r["use"], r["material"], r["target"], r["target_label"], r["conditions"],
            tuple(sorted(r["substitutes"])), tuple(sorted(r["sources"])), tuple(sorted(r["precedents"])),
        )
        for r in _rows(client, q.USES)
    )  # fmt: skip
    exchanges = tuple(
        ExchangeFact(
            r["exchange"], r["provider"], r["provider_name"], r["receiver"], r["receiver_name"],
            tuple(sorted(r["provider_industries"])), tuple(sorted(r["receiver_industries"])),
            r["material"], r["category"],
            r["status"], r["year"], r["description"], r["park"], r["park_name"], tuple(sorted(r["sources"])),
        )
        for r in _rows(client, q.EXCHANGES)
    )  # fmt: skip
    sources = {r["iri"]: r for r in _rows(client, q.SOURCES)}
    return GraphFacts(
        industries=industries,
        materials=materials,
        process_outputs={k: tuple(v) for k, v in outputs.items()},
        process_inputs={k: tuple(v) for k, v in inputs.items()},
        uses=uses,
        exchanges=exchanges,
        sources=sources,
    )


def hide_parks(client: GraphClient, facts: GraphFacts, parks: list[str]) -> GraphFacts:
    """Facts without the given documented cases (for ``--holdout`` and backtests)."""
    sources: set[str] = set()
    exchanges: set[str] = set()
    for park in parks:
        row = _rows(client, q.PARK_SOURCES, {"park": park})
        if row:
            sources |= set(row[0]["sources"])
            exchanges |= set(row[0]["exchanges"])
    return facts.without(set(parks), sources, exchanges)
