"""Composition of the advisor: facts from the graph, the lexicon, and runs over park files."""

from __future__ import annotations

from collections.abc import Callable

from advisor.backtest import CaseResult, backtest
from advisor.facts import GraphFacts, hide_parks, load_facts
from advisor.opportunities import ParkAdvice, advise
from advisor.parkfile import ParkFile
from advisor.retrieval_wiring import entity_iri, knowledge_records
from advisor.settings import Settings
from advisor.wiring import graph_client
from kg.graph import GraphClient
from ontology.lexicon import Lexicon

__all__ = ["advise_parks", "run_backtest"]


def _facts(client: GraphClient) -> GraphFacts:
    facts = load_facts(client)
    if not facts.materials:
        from ontology.errors import SymbiosisError

        raise SymbiosisError("the graph holds no knowledge base; run `symbiosis kg load` first")
    return facts


def advise_parks(
    settings: Settings,
    parks: list[ParkFile],
    *,
    top_k: int = 20,
    holdout: tuple[str, ...] = (),
    on_park: Callable[[int, int, str], None] | None = None,
) -> list[ParkAdvice]:
    """Opportunity lists for several parks (the facts are read once); ``on_park(done, total, name)`` after each."""
    lexicon = Lexicon(knowledge_records().nodes)
    with graph_client(settings) as client:
        facts = _facts(client)
        results = []
        for park in parks:
            hidden = tuple(entity_iri(h) for h in (*holdout, *park.holdout))
            view = hide_parks(client, facts, list(hidden)) if hidden else facts
            results.append(advise(view, lexicon, park, top_k=top_k, holdout=hidden))
            if on_park is not None:
                on_park(len(results), len(parks), park.name)
    return results


def run_backtest(settings: Settings, *, min_exchanges: int = 3) -> list[CaseResult]:
    """The leave-one-case-out backtest over the documented parks."""
    lexicon = Lexicon(knowledge_records().nodes)
    with graph_client(settings) as client:
        return backtest(client, _facts(client), lexicon, min_exchanges=min_exchanges)
