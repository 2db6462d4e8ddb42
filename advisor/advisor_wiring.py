"""Composition of the advisor: facts from the graph, the lexicon, and runs over park files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from advisor.backtest import CaseResult, backtest
from advisor.facts import GraphFacts, hide_parks, load_facts
from advisor.opportunities import ParkAdvice, advise
from advisor.parkfile import ParkFile
from advisor.retrieval_wiring import entity_iri, knowledge_records
from advisor.settings import Settings
from advisor.wiring import graph_client
from kg.graph import GraphClient
from ontology.lexicon import Lexicon

__all__ = ["PASSAGES_PER_SUGGESTION", "advise_parks", "run_backtest"]

PASSAGES_PER_SUGGESTION = 2


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
    passages: bool = True,
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
    results = _with_passages(settings, facts, results) if passages else results
    return _reworded(settings, results) if settings.llm.provider != "none" else results


def _reworded(settings: Settings, results: list[ParkAdvice]) -> list[ParkAdvice]:
    """Let the configured model reword each justification; keep a wording only if it passes the faithfulness check.

    A kept wording is marked with the flag "justification worded by <model>, checked against the evidence"; a
    rejected one leaves the grounded text and the flag "model wording discarded: <reasons>".
    """
    from advisor.llm import chat_model, describe, reword_checked
    from advisor.retrieval_wiring import make_linker

    model, name, linker = chat_model(settings.llm), describe(settings.llm), make_linker()
    out = []
    for advice in results:
        names = {c.company.id: c.company.name for c in advice.companies}
        ops = []
        for o in advice.opportunities:
            evidence = [f"{e['id']}: {e['summary']}. {'; '.join(e['source'])}" for e in o.evidence]
            question = f"Why could {names[o.provider]} supply {o.material_label} to {names[o.receiver]}?"
            text, problems = reword_checked(model, question, o.justification, evidence, linker=linker)  # type: ignore[arg-type]
            if not problems:
                o = replace(o, justification=text, flags=[*o.flags, f"justification worded by {name}, checked"])
            else:
                o = replace(o, flags=[*o.flags, f"model wording discarded: {'; '.join(problems)[:200]}"])
            ops.append(o)
        out.append(replace(advice, opportunities=ops))
    return out


def _with_passages(settings: Settings, facts: GraphFacts, results: list[ParkAdvice]) -> list[ParkAdvice]:
    """Add the best report passages about each suggestion's flow to its evidence (when an index exists).

    The search is restricted to passages linked to the exchanged material and ranked against the material and
    the two tenants' industries; each passage keeps its document id (``doc#chunk``) and the document's sources.
    """
    if not (settings.data_dir / "index" / "manifest.json").exists():
        return results
    from advisor.chat_tools import quote, source_text
    from advisor.retrieval_wiring import open_corpus

    corpus = open_corpus(settings, link=False)
    try:
        searcher = corpus.searcher()
        out = []
        for advice in results:
            industries = {c.company.id: c.industries for c in advice.companies}

            def label(company: str, _industries: dict[str, tuple[str, ...]] = industries) -> str:
                found = [facts.industries[i].label for i in _industries.get(company, ()) if i in facts.industries]
                return found[0] if found else ""

            ops = []
            for o in advice.opportunities:
                query = f"{o.material_label} {label(o.provider)} {label(o.receiver)}"
                hits = searcher.search(query, top_k=PASSAGES_PER_SUGGESTION, entity=o.material)
                extra = [
                    {
                        "type": "passage",
                        "id": f"{h.doc_id}#{h.chunk_id}",
                        "summary": f'"{quote(h.text, 240)}" ({h.title})',
                        "path": [],
                        "source": [source_text(h.sources)] if h.sources else [],
                    }
                    for h in hits
                ]
                if extra:
                    note = f" A report passage discusses this flow: {hits[0].title} [{extra[0]['id']}]."
                    o = replace(o, evidence=[*o.evidence, *extra], justification=o.justification + note)
                ops.append(o)
            out.append(replace(advice, opportunities=ops))
        return out
    finally:
        corpus.close()


def run_backtest(settings: Settings, *, min_exchanges: int = 3) -> list[CaseResult]:
    """The leave-one-case-out backtest over the documented parks."""
    lexicon = Lexicon(knowledge_records().nodes)
    with graph_client(settings) as client:
        return backtest(client, _facts(client), lexicon, min_exchanges=min_exchanges)
