"""Mentions, and what the site phrases of a passage refer to, for the entity linker.

The linker first matches names (`retrieval.linking.EntityLinker._spans`). This module then reads the site phrases
(`retrieval.linking_rules`) against those matches:

- "the refinery" in a park's passage is the park's refinery company; "cement plants" is the cement industry;
- a proper name already names its site ("Gladstone Power Station", "Nhà máy bia Heineken"), so its words add no
  industry;
- a material named only to say what a site makes ("cement and lime kilns") is not a mention of the material;
- an industry named right beside a company of that industry ("the Supra fertiliser plant") describes the company.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.linking_rules import SiteResolver, site_phrases, vi_site_phrases
from retrieval.linking_text import Word

__all__ = ["SCORES", "Mention", "SiteMentions", "Span", "keep_best"]

# score of each lexical method; a name shared by several entities splits it between them
SCORES = {"label": 1.0, "synonym": 0.9, "head": 0.85, "short": 0.8, "partial": 0.75}

# a matched name: (first word, end, the name, [(entity IRI, kind of name)])
Span = tuple[int, int, str, list[tuple[str, str]]]


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity a chunk mentions, with the evidence for the link."""

    entity_iri: str
    score: float
    method: str
    surface: str


def keep_best(found: dict[str, Mention], mention: Mention) -> None:
    """Records ``mention`` unless the entity is already linked with a higher score."""
    if mention.entity_iri not in found or found[mention.entity_iri].score < mention.score:
        found[mention.entity_iri] = mention


def _add_industries(found: dict[str, Mention], industries: set[str], surface: str) -> None:
    """Links the industries a site phrase names, sharing the ``head`` score between them."""
    for iri in industries:
        keep_best(found, Mention(iri, round(SCORES["head"] / len(industries), 3), "head", surface))


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and e > start for s, e in spans)


class SiteMentions:
    """Adds and removes mentions according to the site phrases of a passage."""

    def __init__(self, resolver: SiteResolver, labels: dict[str, str]) -> None:
        self._resolver = resolver
        self._labels = labels  # entity IRI -> "Company", "Industry", ...

    def _of_kind(self, spans: list[Span], *kinds: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e, _, ent in spans if any(self._labels.get(i) in kinds for i, _ in ent)]

    def add(
        self, ws: Sequence[Word], lang: str, spans: list[Span], found: dict[str, Mention], park: str | None
    ) -> None:
        """Updates ``found`` (the name matches of ``spans``) with what the passage's site phrases say."""
        self._english(ws, spans, found, park)
        industry_spans = [(s, e, {i for i, _ in ent if self._labels.get(i) == "Industry"}) for s, e, _, ent in spans]
        if lang == "vi":
            named = self._of_kind(spans, "Company")
            for start, end, modifiers in vi_site_phrases(ws):
                if _overlaps(start, end, named):
                    continue  # "Nhà máy bia Heineken ...": part of a company's name, which names the company
                industries = self._resolver.vi_industries(modifiers)
                _add_industries(found, industries, " ".join(w.key for w in ws[start:end]))
                industry_spans.append((start, end, industries))
        self._drop_company_descriptions(spans, industry_spans, found)

    def _english(self, ws: Sequence[Word], spans: list[Span], found: dict[str, Mention], park: str | None) -> None:
        """The park's company for "the refinery", an industry for "cement plants"."""
        named = self._of_kind(spans, "Company", "Park")
        modifier_spans: list[tuple[int, int]] = []
        for phrase in site_phrases(ws):
            head = ws[phrase.head].key
            modifiers = ws[phrase.start : phrase.head]
            if _overlaps(phrase.start, phrase.head + 1, named) or any(
                w.text[:1].isupper() and w.sep.strip(" -") == "" for w in modifiers[1:]
            ):
                continue  # a proper name ("Gladstone Power Station") names its company itself
            surface = " ".join(w.key for w in ws[phrase.start : phrase.head + 1])
            company = self._resolver.company(phrase.groups[-1], head, park) if phrase.definite and park else None
            if company is not None:
                within = [s >= phrase.start and e <= phrase.head + 1 for s, e, _, _ in spans]
                inside = {iri for span, w in zip(spans, within, strict=True) if w for iri, _ in span[3]}
                outside = {iri for span, w in zip(spans, within, strict=True) if not w for iri, _ in span[3]}
                for iri in inside - outside:
                    if self._labels.get(iri) == "Industry":
                        found.pop(iri, None)
                if company not in found:
                    found[company] = Mention(company, 0.8, "reference", surface)
                continue
            resolved = False
            for group in phrase.groups:
                industries = self._resolver.industries(group, head)
                if len(industries) <= 2:
                    _add_industries(found, industries, " ".join((*group, head)))
                resolved = resolved or bool(industries)
            if resolved:
                modifier_spans.append((phrase.start, phrase.head))
        # "cement plants", "cement makers": a material named only to say what a site makes is not mentioned
        inside = [any(s >= a and e <= b for a, b in modifier_spans) for s, e, _, _ in spans]
        elsewhere = {iri for span, within in zip(spans, inside, strict=True) if not within for iri, _ in span[3]}
        named_here = ("label", "synonym", "short")
        for (_, _, _, entries), within in zip(spans, inside, strict=True):
            for iri in {iri for iri, _ in entries if within and iri not in elsewhere and iri in found}:
                if self._labels.get(iri) == "Material" and found[iri].method in named_here:
                    del found[iri]

    def _drop_company_descriptions(
        self, spans: list[Span], industry_spans: list[tuple[int, int, set[str]]], found: dict[str, Mention]
    ) -> None:
        """Drops an industry named right beside a company of that industry: it says what the company is.

        "The Supra fertiliser plant", "Nhà máy Giấy Xuân Mai" (the Xuan Mai paper mill) name one company.
        """
        companies = [(s, e, i) for s, e, _, ent in spans for i, _ in ent if self._labels.get(i) == "Company"]
        beside: set[str] = set()
        elsewhere: set[str] = set()
        for start, end, industries in industry_spans:
            near = {i for s, e, i in companies if e == start or s == end}
            kinds = set().union(*(self._resolver.company_industries.get(i, set()) for i in near))
            beside |= industries & kinds
            elsewhere |= industries - kinds
        for iri in beside - elsewhere:
            if iri in found and found[iri].method in ("label", "synonym", "head"):
                del found[iri]
