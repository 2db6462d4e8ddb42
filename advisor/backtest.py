"""Leave-one-case-out backtest of the advisor on the documented parks.

For each park, the advisor gets only its companies (name, industry), the park is hidden from the knowledge it may
use, and we measure how many documented exchanges it ranks highly.

Measured on directed provider -> receiver pairs: recall at k = 10, 20 and 2n (n = the case's documented pairs),
and the reciprocal rank of the first documented pair; per case and micro-averaged over all cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from advisor.facts import GraphFacts, hide_parks
from advisor.opportunities import ranked_pairs
from advisor.parkfile import Company, ParkFile
from kg import queries as q
from kg.graph import GraphClient
from ontology.lexicon import Lexicon
from ontology.records import compact_iri

__all__ = ["CaseResult", "backtest", "case_park_file"]

MIN_EXCHANGES = 3


@dataclass(frozen=True, slots=True)
class CaseResult:
    """Backtest numbers for one documented park."""

    park: str
    name: str
    companies: int
    pairs: int
    found_at_10: int
    found_at_20: int
    found_at_2n: int
    reciprocal_rank: float
    candidates: int


def case_park_file(client: GraphClient, park: str, name: str) -> ParkFile:
    """A park file holding only what a manager would know: each company's name and industry."""
    rows = client.read(q.PARK_COMPANIES, {"park": park}, row_limit=10_000).records()
    companies = [
        Company(
            id=compact_iri(r["iri"]),
            name=r["name"],
            industry=r["industry"],
            isic=r["isic"] if str(r["isic"] or "").isdigit() else None,
        )
        for r in rows
        if r["industry"] or r["isic"]
    ]
    return ParkFile(id=compact_iri(park), name=name, companies=companies)


def backtest(
    client: GraphClient,
    facts: GraphFacts,
    lexicon: Lexicon,
    *,
    min_exchanges: int = MIN_EXCHANGES,
    progress: Callable[[str], None] | None = None,
) -> list[CaseResult]:
    """Run the leave-one-case-out backtest over every park with at least ``min_exchanges`` exchanges."""
    by_park: dict[str, set[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for ex in facts.exchanges:
        by_park.setdefault(ex.park, set()).add((compact_iri(ex.provider), compact_iri(ex.receiver)))
        names[ex.park] = ex.park_name
    results = []
    for park in sorted(p for p, pairs in by_park.items() if len(pairs) >= min_exchanges):
        if progress:
            progress(names[park])
        gold = {pair for pair in by_park[park] if pair[0] != pair[1]}
        park_file = case_park_file(client, park, names[park])
        hidden = hide_parks(client, facts, [park])
        ranking = ranked_pairs(hidden, lexicon, park_file)
        position = {pair: i for i, pair in enumerate(ranking, 1)}
        ranks = sorted(position[p] for p in gold if p in position)
        n = len(gold)
        results.append(
            CaseResult(
                park=compact_iri(park),
                name=names[park],
                companies=len(park_file.companies),
                pairs=n,
                found_at_10=sum(r <= 10 for r in ranks),
                found_at_20=sum(r <= 20 for r in ranks),
                found_at_2n=sum(r <= 2 * n for r in ranks),
                reciprocal_rank=1.0 / ranks[0] if ranks else 0.0,
                candidates=len(ranking),
            )
        )
    return results
