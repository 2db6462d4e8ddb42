"""Link each tenant of a park file to ontology industries, processes and materials, with a confidence.

An ISIC/VSIC code is tried first, then the industry text (English or Vietnamese, diacritics optional, typos
tolerated), then the products. Declared processes and flows are matched to processes and materials. Anything
that does not resolve is reported, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.parkfile import Company, Flow
from ontology.lexicon import Lexicon, Match

__all__ = ["ResolvedCompany", "ResolvedFlow", "resolve_company"]

MIN_CONFIDENCE = 0.6


@dataclass(frozen=True, slots=True)
class ResolvedFlow:
    """A declared flow and the material it was matched to (None if unresolved)."""

    flow: Flow
    material: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class ResolvedCompany:
    """A tenant with its ontology links."""

    company: Company
    industries: tuple[str, ...]
    confidence: float
    method: str
    processes: tuple[str, ...] = ()
    outputs: tuple[ResolvedFlow, ...] = ()
    inputs: tuple[ResolvedFlow, ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def resolved(self) -> bool:
        """True when at least one industry was found."""
        return bool(self.industries)


def _best(matches: list[Match]) -> list[Match]:
    if not matches:
        return []
    top = matches[0].score
    return [m for m in matches if m.score >= top - 1e-9 and m.score >= MIN_CONFIDENCE]


def _flow(lexicon: Lexicon, flow: Flow) -> ResolvedFlow:
    found = _best(lexicon.lookup(flow.material, labels=["Material"]))
    return ResolvedFlow(flow, found[0].iri if found else None, found[0].score if found else 0.0)


def resolve_company(lexicon: Lexicon, company: Company) -> ResolvedCompany:
    """Resolve one tenant against the lexicon of the knowledge base."""
    problems: list[str] = []
    industries: list[Match] = []
    if company.isic:
        industries = _best(lexicon.lookup(f"ISIC {company.isic}", labels=["Industry"]))
        if not industries:
            problems.append(f"ISIC/VSIC code {company.isic} matches no industry in the knowledge base")
        elif len(industries) > 1 and company.industry:
            # several industries share the code: let the text pick among them when it can
            by_text = {m.iri for m in lexicon.lookup(company.industry, labels=["Industry"], limit=10)}
            narrowed = [m for m in industries if m.iri in by_text]
            industries = narrowed or industries
    if not industries and company.industry:
        industries = _best(lexicon.lookup(company.industry, labels=["Industry"]))
    if not industries:
        for product in company.products:
            industries = _best(lexicon.lookup(product, labels=["Industry"]))
            if industries:
                break
    if not industries and company.industry:
        problems.append(f"industry {company.industry!r} matches no industry in the knowledge base")
    processes: list[str] = []
    for text in company.processes:
        found = _best(lexicon.lookup(text, labels=["Process"]))
        if found:
            processes.append(found[0].iri)
        else:
            problems.append(f"process {text!r} matches no process in the knowledge base")
    outputs = tuple(_flow(lexicon, f) for f in company.outputs)
    inputs = tuple(_flow(lexicon, f) for f in company.inputs)
    for rf in (*outputs, *inputs):
        if rf.material is None:
            problems.append(f"material {rf.flow.material!r} matches no material in the knowledge base")
    return ResolvedCompany(
        company=company,
        industries=tuple(dict.fromkeys(m.iri for m in industries[:3])),
        confidence=round(min((m.score for m in industries[:3]), default=0.0), 3),
        method=industries[0].method if industries else "unresolved",
        processes=tuple(processes),
        outputs=outputs,
        inputs=inputs,
        problems=tuple(problems),
    )
