"""The chat advisor's tools: each answers one kind of question from the graph or the corpus, with evidence.

A tool returns `Fact`s: one sentence each, with the evidence it rests on (an entity, a documented use, an
exchange with its sources, a report passage). The chat composes answers only from these facts, so every name and
number it shows can be traced to an id. Tools never write: graph reads go through `GraphClient.read` (READ mode).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.facts import GraphFacts
from advisor.opportunities import advise
from advisor.parkfile import Company, ParkFile
from kg import queries_chat as q
from kg.graph import GraphClient
from ontology.lexicon import Lexicon
from ontology.namespace import ID_PREFIXES
from ontology.records import compact_iri
from ontology.text import fold
from retrieval.search import HybridSearcher

__all__ = ["Evidence", "Fact", "Toolbox", "quote", "source_text"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Something an answer rests on: a graph entity, use, exchange, opportunity, passage or query."""

    kind: str
    id: str
    summary: str
    source: str = ""

    def as_dict(self) -> dict[str, str]:
        """Plain values for JSON and the UI."""
        return {"type": self.kind, "id": self.id, "summary": self.summary, "source": self.source}


@dataclass(frozen=True, slots=True)
class Fact:
    """One sentence of an answer and the evidence behind it (None for connecting text)."""

    text: str
    evidence: Evidence | None = None


def source_text(sources: Sequence[dict[str, Any]] | None) -> str:
    """'Title (year) URL; ...' for the sources attached to a row (empty entries skipped)."""
    parts = []
    for s in sources or []:
        if s and s.get("title"):
            year = f" ({s['year']})" if s.get("year") else ""
            url = f" {s['url']}" if s.get("url") else ""
            parts.append(f"{s['title']}{year}{url}")
    return "; ".join(parts)


def quote(text: str, limit: int = 280) -> str:
    """A passage on one line, cut at a word boundary to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rsplit(" ", 1)[0] + "..."


def _bilingual(en: str | None, vi: str | None) -> str:
    if vi and en and vi.casefold() != en.casefold():
        return f"{en} ({vi})"
    return en or vi or "?"


class Toolbox:
    """Read-only tools over one graph client, the lexicon and (optionally) the report index."""

    def __init__(
        self,
        client: GraphClient,
        lexicon: Lexicon,
        *,
        searcher: HybridSearcher | None = None,
        facts: Callable[[], GraphFacts] | None = None,
        limit: int = 8,
    ) -> None:
        self.client = client
        self.lexicon = lexicon
        self.searcher = searcher
        self._facts = facts
        self.limit = limit
        self._search_lock = threading.Lock()

    def _rows(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return self.client.read(query, {"limit": self.limit, **params}, row_limit=200).records()

    # --- entities -------------------------------------------------------------------------------------------
    def describe(self, iri: str) -> list[Fact]:
        """What the knowledge base says about one entity (park, company, material, industry, process)."""
        kind = compact_iri(iri).split(":", 1)[0]
        if kind == "park":
            return self._park(iri)
        if kind == "co":
            return self._company(iri)
        rows = self._rows(q.ENTITY_SUMMARY, iri=iri)
        if not rows:
            return []
        r = rows[0]
        name = _bilingual(r["label_en"], r["label_vi"])
        ev = Evidence("entity", r["id"], name, source_text(r["sources"]))
        facts = [Fact(f"{name} [{r['id']}]" + (f": {r['description']}" if r.get("description") else "."), ev)]
        if kind == "mat":
            facts += self.hazard(iri)
        if r.get("isic"):
            vsic = f", VSIC {r['vsic']}" if r.get("vsic") else ""
            facts.append(Fact(f"{r['label_en']} is ISIC Rev.4 {r['isic']}{vsic}.", ev))
        if r.get("broader"):
            facts.append(Fact(f"{r['label_en']} is a kind of {', '.join(r['broader'])}.", ev))
        return facts

    def _park(self, iri: str) -> list[Fact]:
        rows = self._rows(q.PARK_SUMMARY, iri=iri)
        if not rows:
            return []
        r = rows[0]
        name = _bilingual(r["name"], r["label_vi"])
        ev = Evidence("entity", r["id"], name, source_text(r["sources"]))
        where = ", ".join(x for x in (r.get("region"), r.get("country")) if x)
        facts = [
            Fact(f"{name} [{r['id']}] is a park in {where}." + (f" {r['description']}" if r["description"] else ""), ev)
        ]
        if r["companies"]:
            shown = ", ".join(r["some_companies"])
            facts.append(Fact(f"The knowledge base lists {r['companies']} of its companies (e.g. {shown}) and "
                              f"{r['exchanges']} documented exchanges.", ev))  # fmt: skip
        for f in r["figures"]:
            if f.get("metric"):
                facts.append(Fact(f"Reported: {f['metric']} {f['value']} {f['unit'] or ''} ({f['year']}).", ev))
        return facts

    def _company(self, iri: str) -> list[Fact]:
        rows = self._rows(q.COMPANY_SUMMARY, iri=iri)
        if not rows:
            return []
        r = rows[0]
        ev = Evidence("entity", r["id"], r["name"])
        inds = ", ".join(r["industries"]) or "an unrecorded industry"
        park = f" in {r['park']}" if r["park"] else ""
        text = f"{r['name']} [{r['id']}] is a company{park} ({inds}); it supplies {r['supplies']} and receives "
        facts = [Fact(text + f"{r['receives']} documented exchanges.", ev)]
        return facts + self.exchanges(company=iri)

    def hazard(self, iri: str) -> list[Fact]:
        """Hazardous status and codes (EWC, Vietnamese list) of a material."""
        rows = self._rows(q.ENTITY_SUMMARY, iri=iri)
        if not rows:
            return []
        r = rows[0]
        ev = Evidence("entity", r["id"], _bilingual(r["label_en"], r["label_vi"]), source_text(r["sources"]))
        if r["hazardous"] is None and not r["ewc"]:
            return [Fact(f"The knowledge base records no hazard classification for {r['label_en']}.", ev)]
        status = "is classed as hazardous" if r["hazardous"] else "is not classed as hazardous"
        codes = []
        if r["ewc"]:
            codes.append(f"EWC code {r['ewc']}")
        if r["vn_code"]:
            codes.append(f"Vietnamese waste code {r['vn_code']}")
        text = f"{r['label_en']} {status}" + (f" ({', '.join(codes)})" if codes else "") + "."
        facts = [Fact(text, ev)]
        if not r["ewc"]:  # a general name: the codes belong to its narrower kinds
            for x in self._rows(q.MATERIAL_NARROWER, iri=iri):
                if x["ewc"] or x["vn_code"]:
                    kind = "hazardous" if x["hazardous"] else "not hazardous"
                    vn = f", Vietnamese code {x['vn_code']}" if x["vn_code"] else ""
                    xev = Evidence("entity", x["id"], _bilingual(x["label"], x["label_vi"]))
                    facts.append(Fact(f"{x['label']}: EWC {x['ewc'] or '-'}{vn} ({kind}).", xev))
        if r["hazardous"]:
            facts.append(Fact("In Viet Nam a hazardous waste may only be moved and treated by licensed operators "
                              "(Circular 02/2022/TT-BTNMT).", ev))  # fmt: skip
        return facts

    # --- flows ----------------------------------------------------------------------------------------------
    def uses(self, iri: str) -> list[Fact]:
        """Documented uses of a material (and its broader kinds), then processes that consume it."""
        facts = []
        for r in self._rows(q.MATERIAL_USES, iri=iri):
            cond = f" ({r['conditions']})" if r.get("conditions") else ""
            ev = Evidence("use", r["id"], f"{r['material']} used by {r['user']}", source_text(r["sources"]))
            facts.append(Fact(f"{r['material']} can be used by {r['user']}{cond}.", ev))
        if len(facts) < 3:
            for r in self._rows(q.MATERIAL_CONSUMERS, iri=iri):
                inds = f" ({', '.join(r['industries'])})" if r["industries"] else ""
                ev = Evidence("process", r["id"], f"{r['process']} consumes {r['material']}")
                facts.append(Fact(f"{r['process']}{inds} takes {r['material']} as an input.", ev))
        return facts

    def producers(self, iri: str) -> list[Fact]:
        """Processes and industries that put out a material."""
        facts = []
        for r in self._rows(q.MATERIAL_PRODUCERS, iri=iri):
            inds = f" in {', '.join(r['industries'])}" if r["industries"] else ""
            ev = Evidence("process", r["id"], f"{r['process']} produces {r['material']}")
            facts.append(Fact(f"{r['process']}{inds} produces {r['material']}.", ev))
        return facts

    def outputs(self, iri: str) -> list[Fact]:
        """What an industry's processes put out, most reusable first."""
        facts = []
        for r in self._rows(q.INDUSTRY_OUTPUTS, iri=iri):
            haz = f", hazardous (EWC {r['ewc']})" if r["hazardous"] else (f", EWC {r['ewc']}" if r["ewc"] else "")
            ev = Evidence("entity", r["id"], _bilingual(r["material"], r["label_vi"]))
            facts.append(Fact(f"{_bilingual(r['material'], r['label_vi'])} from {', '.join(r['processes'])} "
                              f"({r['kind']}{haz}; {r['uses']} documented uses).", ev))  # fmt: skip
        return facts

    def output_named(self, industry: str, question: str) -> str | None:
        """The industry output the question names by part of its label ("husk" -> Rice husk), if exactly one."""
        words = {w for w in fold(question).split() if len(w) >= 4}
        hits = []
        for r in self.client.read(q.INDUSTRY_OUTPUTS, {"iri": industry, "limit": 100}).records():
            label_words = set(fold(r["material"]).split()) | set(fold(r["label_vi"] or "").split())
            if words & label_words:
                hits.append(r["id"])
        if len(hits) != 1:
            return None
        prefix, _, rest = hits[0].partition(":")
        return ID_PREFIXES[prefix] + rest

    def exchanges(
        self,
        *,
        park: str | None = None,
        material: str | None = None,
        industry: str | None = None,
        company: str | None = None,
    ) -> list[Fact]:
        """Documented exchanges, narrowed by whichever of park, material, industry and company are given."""
        rows = self._rows(q.EXCHANGES_FILTERED, park=park, material=material, industry=industry, company=company)
        facts = []
        for r in rows:
            since = f" since {r['year']}" if r.get("year") else ""
            qty = f", {r['quantity']:,.0f} {r['unit']}" if r.get("quantity") and r.get("unit") else ""
            ev = Evidence(
                "exchange", r["id"], f"{r['provider']} -> {r['receiver']}: {r['flow']}", source_text(r["sources"])
            )
            facts.append(Fact(f"In {r['park']}, {r['provider']} supplies {r['flow']} to {r['receiver']} "
                              f"({r['status']}{since}{qty}).", ev))  # fmt: skip
        return facts

    # --- text, parks, queries -------------------------------------------------------------------------------
    def passages(self, query: str, *, entity: str | None = None, top_k: int = 2) -> list[Fact]:
        """Report passages that bear on the question (hybrid search), quoted briefly with their documents."""
        if self.searcher is None:
            return []
        facts = []
        with self._search_lock:  # one SQLite connection and one FAISS index, shared by the app's users
            hits = self.searcher.search(query, top_k=top_k, entity=entity)
        for hit in hits:
            ev = Evidence("passage", f"{hit.doc_id}#{hit.chunk_id}", hit.title, source_text(hit.sources))
            facts.append(Fact(f'From "{hit.title}": "{quote(hit.text)}"', ev))
        return facts

    def opportunities(
        self, tenants: Sequence[str], *, park_iri: str | None = None, top_k: int = 5
    ) -> tuple[list[Fact], list[str]]:
        """Suggested exchanges between tenants described in words, or between a park's companies in the graph.

        ``tenants`` are phrases ("a brewery", "cement plant"); with ``park_iri`` the tenants are the companies the
        knowledge base lists for that park (its documented exchanges then count as precedents).
        """
        if self._facts is None:
            return [], list(tenants)
        if park_iri is not None:
            from advisor.backtest import case_park_file

            park = case_park_file(self.client, park_iri, compact_iri(park_iri))
        else:
            companies = [
                Company(id=f"t{i}", name=f"Tenant {i}: {t}", industry=t) for i, t in enumerate(tenants, 1) if t.strip()
            ]
            park = ParkFile(id="chat", name="Tenant list from the chat", companies=companies)
        if not park.companies:
            return [], list(tenants)
        advice = advise(self._facts(), self.lexicon, park, top_k=top_k)
        names = {c.company.id: c.company.name for c in advice.companies}
        unresolved = [c.company.name for c in advice.companies if not c.resolved]
        facts = []
        for o in advice.opportunities:
            p, r = names[o.provider], names[o.receiver]
            precedent = next((e for e in o.evidence if e["type"] == "precedent"), None)
            source = "; ".join(precedent["source"]) if precedent else ""
            ev = Evidence("opportunity", f"{o.provider}->{o.receiver}:{compact_iri(o.material)}",
                          f"{p} -> {r}: {o.material_label} (score {o.score:.2f})", source)  # fmt: skip
            facts.append(Fact(f"{o.rank}. {o.justification}", ev))
        return facts, unresolved

    def cypher(self, query: str, *, row_limit: int = 20) -> list[Fact]:
        """Run read-only Cypher given by the user; the rows become the answer (a write is refused by Neo4j)."""
        result = self.client.read(query, timeout_s=10.0, row_limit=row_limit)
        ev = Evidence("query", "cypher", query.strip()[:200])
        facts = [Fact(f"The query returned {len(result.rows)} row(s){' (truncated)' if result.truncated else ''}.", ev)]
        for row in result.rows:
            facts.append(Fact("; ".join(f"{c}: {v}" for c, v in zip(result.columns, row, strict=True)), ev))
        return facts

    def neighbourhood(self, iri: str, *, limit: int = 40) -> list[dict[str, Any]]:
        """An entity's direct neighbours: rows of (rel, outgoing, other id, label, kind) for the explorer."""
        return self.client.read(q.NEIGHBOURHOOD, {"iri": iri, "limit": limit}).records()
