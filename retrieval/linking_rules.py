"""Noun phrases headed by a site word ("cement plants", "the refinery", "CSBP's ammonia plant") for the linker.

English names a kind of site by its head noun and what it makes: "<X> plant / works / mill / refinery / smelter".
Such a phrase is read in one of two ways:

- generic (a plural, or "a" / "an"): the industry whose names contain X ("cement plants" -> cement manufacturing,
  "a coal-fired station" -> coal-fired power generation); coordinated modifiers share the head ("cement and lime
  kilns", "fertiliser and chemical plants");
- definite and singular ("the", a possessive, or a heading): one site, so the company of the passage's park whose
  name has that head and those words or the industry's names ("the refinery" in a Kalundborg document is the
  Kalundborg refinery). Without such a company the phrase falls back to the generic reading.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ontology.records import NodeRecord
from ontology.text import fold
from retrieval.linking_text import Word, marked, normalise

__all__ = ["HEADS", "VI_HEADS", "Phrase", "SiteResolver", "site_phrases", "vi_site_phrases"]

HEADS = {"plant", "mill", "refinery", "biorefinery", "smelter", "company", "maker", "producer", "manufacturer"}
# heads too generic to name an industry on their own word ("the company" says nothing about what it makes)
_NO_INDUSTRY = {"company"}
# heads that name the same kind of site: "paper plant" is a "paper mill" when no industry is called "paper plant"
_SAME_SITE = ("plant", "mill", "factory", "works")
_DEFINITE = {"the", "this", "that", "its", "their", "our", "his", "her"}
_INDEFINITE = {"a", "an", "one", "another", "each", "every", "any", "some", "many", "most", "all", "no"}
_ARTICLES = {"a", "an", "the"}
_STOP = _DEFINITE | _INDEFINITE | {"and", "or", "of", "in", "at", "to", "for", "from", "by", "with", "on", "as", "s"}
_MAX_MODIFIER = 3
_MAX_GROUPS = 6
_MIN_COVER = 0.25  # share of an industry name the modifiers must cover
_MIN_SHARED = 0.6  # share of an industry name's words a company's name must hold to be of that industry


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase with a site head.

    Attributes:
        start: index of its first word (a modifier of the first coordinated group, or the head).
        head: index of the head word.
        groups: the modifiers, one tuple of keys per coordinated group, the head's own group last.
        definite: singular with "the", a possessive or at the start of a heading.
    """

    start: int
    head: int
    groups: tuple[tuple[str, ...], ...]
    definite: bool


def _joined(w: Word) -> bool:
    """The word follows the previous one within a phrase (a space or a hyphen, no punctuation)."""
    return w.sep.strip(" -") == ""


def _modifiers(ws: Sequence[Word], end: int) -> int:
    """Index of the first modifier of the group of words ending just before ``end`` (``end`` when there is none)."""
    if end == 0 or ws[end - 1].key in _STOP or ws[end - 1].key.isdigit():
        return end
    j = end - 1
    if ws[end - 1].key in HEADS:
        return end
    while j > 0 and end - j < _MAX_MODIFIER and _joined(ws[j]) and ws[j - 1].key not in _STOP | HEADS:
        if ws[j - 1].key.isdigit():
            break
        j -= 1
    return j


def site_phrases(ws: Sequence[Word]) -> list[Phrase]:
    """The site phrases of a passage, left to right."""
    phrases = []
    for h, w in enumerate(ws):
        if w.key not in HEADS:
            continue
        first = _modifiers(ws, h) if _joined(w) else h
        groups = [tuple(x.key for x in ws[first:h])]
        start = first
        # coordinated modifiers: "cement, chemical, paper and power plants"
        while len(groups) < _MAX_GROUPS and start >= 2 and groups[0]:
            if ws[start].sep.strip(" ") == ",":
                end = start
            elif ws[start - 1].key in ("and", "or") and _joined(ws[start]):
                end = start - 1
            elif ws[start - 1].key in _ARTICLES and ws[start - 2].key in ("and", "or") and _joined(ws[start - 1]):
                end = start - 2  # "a coal-fired and an oil-fired cogeneration plant"
            else:
                break
            article = end == start - 2  # each modifier has its article, so each may be several words
            j = _modifiers(ws, end) if article else max(_modifiers(ws, end), end - 1)  # "steel, cement and paper works"
            if j == end or ws[end - 1].plural:
                break  # "boilers or effluent plants": a plural is a noun of its own, not a modifier of the head
            if article and (j == 0 or ws[j - 1].key not in _ARTICLES):
                break  # an article on one side only: "burns coal and an oil-fired plant" is not coordination
            groups.insert(0, tuple(x.key for x in ws[j:end]))
            start = j
        det = ws[start - 1] if start > 0 and _joined(ws[start]) else None
        heading = start == 0 or any(c in ws[start].sep for c in "\n*#")
        possessive = det is not None and det.key == "s" and ws[start - 1].sep in ("'", "\u2019")
        definite = not w.plural and (
            (det is not None and (det.key in _DEFINITE or possessive)) or (heading and det is None)
        )
        phrases.append(Phrase(start, h, tuple(groups), definite))
    return phrases


# Vietnamese puts the site word first: "nhà máy giấy" (paper mill), "ngành bia" (the beer industry)
VI_HEADS = {("nhà", "máy"), ("ngành",), ("xưởng",), ("công", "ty")}
_VI_STOP = {"và", "của", "cho", "tại", "ở", "trong", "có", "là", "được", "để", "này", "đó", "các", "những", "với",
            "từ", "thì", "mà", "một", "hai", "nhiều", "lớn", "nhỏ", "mới", "khác", "thường"}  # fmt: skip


def vi_site_phrases(ws: Sequence[Word]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Vietnamese site phrases: (start, end, modifier words with their marks) for "<site word> <what it makes>".

    The modifiers run until punctuation, a function word or a capitalised name ("nhà máy bia Heineken" -> "bia").
    """
    found = []
    for i in range(len(ws)):
        for head in VI_HEADS:
            n = len(head)
            if tuple(w.marked for w in ws[i : i + n]) != head or not all(_joined(w) for w in ws[i + 1 : i + n]):
                continue
            j = i + n
            while j < len(ws) and j - (i + n) < _MAX_MODIFIER and ws[j].sep == " " and ws[j].marked not in _VI_STOP:
                if ws[j].text[:1].isupper() or ws[j].key.isdigit():
                    break
                j += 1
            if j > i + n:
                found.append((i, j, tuple(w.marked for w in ws[i + n : j])))
    return found


class SiteResolver:
    """Resolves site phrases to industries and, in a park's context, to the park's companies."""

    def __init__(
        self,
        nodes: Iterable[NodeRecord],
        company_parks: dict[str, str],
        company_industries: dict[str, set[str]] | None = None,
    ) -> None:
        self.company_industries = company_industries or {}  # company IRI -> its industries' IRIs
        self._industry_names: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        self._company_words: dict[str, set[str]] = {}
        self._main_words: dict[str, set[str]] = {}  # the words of the name itself (`_main_name`)
        self._park_companies: dict[str, list[str]] = defaultdict(list)
        self._vocabulary: set[str] = set()
        self._vi_industry_names: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for node in nodes:
            self._vocabulary.update(w for name in node.props.get("names", []) for w in normalise(name).split())
            if node.label == "Industry":
                for name in node.props.get("names", []):
                    self._industry_names[node.iri].append(tuple(normalise(name).split()))
                for name in [node.props.get("label_vi", ""), *node.props.get("synonyms_vi", [])]:
                    if name:
                        self._vi_industry_names[node.iri].append(tuple(marked(str(name)).split()))
            elif node.label == "Company":
                label = str(node.props.get("label_en", ""))
                self._company_words[node.iri] = set(normalise(fold(label)).split())
                self._main_words[node.iri] = set(normalise(fold(_main_name(label))).split())
        for company, park in company_parks.items():
            if company in self._company_words:
                self._park_companies[park].append(company)

    def trim(self, modifiers: tuple[str, ...]) -> tuple[str, ...]:
        """The modifiers without leading words no entity name uses ("neighbouring cement" -> "cement")."""
        i = 0
        while i < len(modifiers) and modifiers[i] not in self._vocabulary:
            i += 1
        return modifiers[i:]

    def industries(self, modifiers: tuple[str, ...], head: str) -> set[str]:
        """The industry a "<modifiers> <head>" phrase names, if one stands out.

        From the longest tail of the (trimmed) modifiers down: an exact name ("cement plant") wins; otherwise the
        name holding the words in order that they cover best ("cement" covers half of "cement manufacturing"),
        if it is the only best and they cover at least a quarter of it.
        """
        trimmed = self.trim(modifiers)
        if head in _NO_INDUSTRY:
            return set()
        for k in range(len(trimmed), 0, -1):
            tail = trimmed[-k:]
            exact = {iri for iri, names in self._industry_names.items() if (*tail, head) in names}
            if not exact and head in _SAME_SITE:
                exact = {
                    iri
                    for iri, names in self._industry_names.items()
                    if any((*tail, other) in names for other in _SAME_SITE)
                }
            if exact:
                return exact
            best: dict[str, float] = {}
            for iri, names in self._industry_names.items():
                cover = max((k / len(n) for n in names if _contains(n, tail)), default=0.0)
                if cover >= _MIN_COVER:
                    best[iri] = cover
            top = [iri for iri, c in best.items() if c == max(best.values())]
            if top:
                return set(top) if len(top) == 1 else set()
        return set()

    def vi_industries(self, modifiers: tuple[str, ...]) -> set[str]:
        """The industries a Vietnamese "<site word> <modifiers>" phrase names: the best-covered Vietnamese names.

        From the longest head of the modifiers down (Vietnamese puts the main word first); at most two industries,
        and the modifiers must cover at least a quarter of the name.
        """
        exact = {
            iri
            for iri, names in self._vi_industry_names.items()
            for n in names
            if _strip_vi_lead(n) == modifiers  # "sản xuất bia" for "nhà máy bia"
        }
        if exact:
            return exact if len(exact) <= 2 else set()
        for k in range(len(modifiers), 0, -1):
            part = modifiers[:k]
            best: dict[str, float] = {}
            for iri, names in self._vi_industry_names.items():
                cover = max((k / len(n) for n in names if _contains(n, part)), default=0.0)
                if cover >= _MIN_COVER:
                    best[iri] = cover
            top = {iri for iri, c in best.items() if c == max(best.values())} if best else set()
            if top:
                return top if len(top) <= 2 else set()
        return set()

    def company(self, modifiers: tuple[str, ...], head: str, park: str) -> str | None:
        """The one company of ``park`` a definite "<modifiers> <head>" phrase refers to, if there is one.

        The company's name must hold the head and either the (trimmed) modifier words or most of a name of the
        industry they name ("the CHP plant" -> "... (combined heat and power plant)"); with no modifiers, the
        head alone must single out one company ("the refinery").
        """
        tail = self.trim(modifiers)
        if not tail and head == "company":
            return None
        local = self._park_companies.get(park, [])
        industries = self.industries(tail, head) if tail else set()
        if tail and not industries and not any(set(tail) <= self._company_words[c] for c in local):
            tail = ()  # "the new refinery": words that name neither an industry nor a company describe the site
        companies = [c for c in local if head == "company" or head in self._company_words[c]]
        if tail:
            names = [n for iri in industries for n in self._industry_names[iri]]
            companies = [
                c
                for c in companies
                if set(tail) <= self._company_words[c]
                or any(len(set(n) & self._company_words[c]) >= _MIN_SHARED * len(n) for n in names)
            ]
        if len(companies) > 1:  # "the refinery": the refinery itself, not the "buyer of refinery sulphur"
            companies = [c for c in companies if head == "company" or head in self._main_words[c]] or companies
        if not companies and industries:
            # "the cement works" when the park's one cement company is called "Cement Australia": by its industry
            companies = [c for c in local if self.company_industries.get(c, set()) & industries]
        return companies[0] if len(companies) == 1 else None


_WHERE = re.compile(r"\s(?:at|in|of|for|from|near|to|with)\s.*$")


def _main_name(label: str) -> str:
    """A company label without brackets and what follows its first preposition: what the company itself is.

    "Linde (AGA) hydrogen production unit at the Porvoo refinery" -> "Linde hydrogen production unit", so that
    "the refinery" in a Porvoo passage is the refinery, not the unit beside it.
    """
    return _WHERE.sub("", re.sub(r"\(.*?\)", " ", label))


_VI_LEAD = (("sản", "xuất"), ("nhà", "máy"), ("ngành",), ("công", "nghiệp"), ("xưởng",))


def _strip_vi_lead(name: tuple[str, ...]) -> tuple[str, ...]:
    """A Vietnamese industry name without its leading site or activity word ("sản xuất bia" -> "bia")."""
    for lead in _VI_LEAD:
        if name[: len(lead)] == lead:
            return name[len(lead) :]
    return name


def _contains(name: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(name[i : i + n] == part for i in range(len(name) - n + 1))
