"""Link chunks of text to the knowledge-base entities they talk about.

Two methods, each with a score:

- ``label`` / ``synonym``: a label or synonym of an entity occurs in the text (folded, so with or without
  Vietnamese diacritics), longest match first, on word boundaries. A name shared by several entities splits its
  score between them. Very short or generic names are ignored.
- ``head`` / ``reference``: a noun phrase headed by a site word ("cement plants", "the refinery"), read as an
  industry when generic and as the passage's park's company when definite (`retrieval.linking_rules` parses
  the phrases, `retrieval.linking_sites` applies them to the matched names).
- ``partial``: a phrase whose words shorten one name and end in its head ("granulated slag" for granulated blast
  furnace slag), kept only when the passage's embedding is close to that entity (`retrieval.linking_partial`).
- ``embedding``: the chunk's embedding is close to an entity's description (name, synonyms, description), for
  mentions that use other words ("the plasterboard maker" for a plasterboard plant).

Names in a citation ("(Ørsted 2018)") name a source and are skipped; a knowledge-base acronym ("MAP") matches only
in capitals; a capitalised common noun inside a proper name ("Svensk Biogas") is not a mention of the material.
Names are matched with some care for the language (`retrieval.linking_text`): Vietnamese names only in text that
is not English, with their diacritics where the text has them, and never as a lone syllable; a word in a
hyphenated adjective ("coal-fired") is not a mention; a capitalised word keeps its final "s"; a company's leading
proper name ("Neste") is a short name where the text capitalises it; a name several entities share goes to the
one closest to the passage when embeddings are at hand.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from ontology.records import NodeRecord
from ontology.text import fold
from retrieval.embedding import Embedder
from retrieval.linking_names import (
    LINKED_LABELS,
    alias_names,
    company_industries,
    company_parks,
    lowercase_words,
    park_names,
    proper_prefixes,
)
from retrieval.linking_partial import PartialNames
from retrieval.linking_rules import HEADS, SiteResolver
from retrieval.linking_sites import SCORES, Mention, SiteMentions, Span, keep_best
from retrieval.linking_text import (
    ADJECTIVE_SUFFIXES,
    Word,
    citation_words,
    in_proper_name,
    language,
    marked,
    normalise,
    short_names,
    words,
)

__all__ = ["LINKED_LABELS", "EntityLinker", "Mention", "company_industries", "company_parks"]

_MAX_NGRAM = 8
# Set phrases that hold a name but mean something else: read as a whole, so their words link nothing.
_NOT_NAMES = {normalise(fold(p)) for p in ("greenhouse gas", "greenhouse gases", "khí nhà kính")}
# Names too generic to mean one entity when they appear alone in a sentence.
_STOP_NAMES = {
    "water", "energy", "waste", "power", "heat", "ash", "oil", "gas", "sludge", "plastic", "paper", "steel", "ethanol",
    "product", "products", "material", "materials", "by product", "by products", "residue", "residues", "process",
    "industry", "manufacturing", "production", "plant", "factory", "company", "park", "nuoc", "dien", "nhiet",
    "rac", "bun", "tro", "khi", "dau", "nhua", "giay", "thep", "the", "and", "or", "to", "in", "of", "at", "from",
    # Vietnamese for factory, scrap, waste, infrastructure, by-product; English words that are mostly verbs
    "nha may", "phe lieu", "chat thai", "ha tang", "phu pham", "produce", "cleaning", "farming",
    # general terms that a longer label ends with ("Kieselguhr filter cake"), so not a short name of it
    "filter cake", "tail gas", "waste rock", "oily sludge", "spent acid", "mother liquor",
}  # fmt: skip
_SHORT_SHARED = 2  # a short form held by this many other entities' names is a general term

# kept for callers of the old private helper
_normalise = normalise

_KB_ACRONYM = re.compile(r"[A-Z][A-Z0-9&\-]*[A-Z0-9]s?")  # "MAP", "BF-BOF", "H2", "WWTPs"


def _keep_closest_of_shared(found: dict[str, Mention], sims: np.ndarray, index: dict[str, int]) -> None:
    """Keeps, of the entities sharing one matched name, the one whose description is closest to the passage.

    "cogeneration" names an industry and a process; the passage's embedding decides, and the kept one gets the
    whole score.
    """
    by_name: dict[str, list[str]] = defaultdict(list)
    for iri, m in found.items():
        if m.method in ("label", "synonym", "alias", "short") and iri in index:
            by_name[m.surface].append(iri)
    for surface, iris in by_name.items():
        if len(iris) < 2:
            continue
        best = max(iris, key=lambda i: sims[index[i]])
        for iri in iris:
            m = found.pop(iri)
            if iri == best:
                found[iri] = Mention(iri, round(min(1.0, m.score * len(iris)), 3), m.method, surface)


class EntityLinker:
    """Finds entity mentions in text; build once per knowledge-base version."""

    def __init__(
        self,
        nodes: Iterable[NodeRecord],
        embedder: Embedder | None = None,
        *,
        company_parks: dict[str, str] | None = None,
        company_industries: dict[str, set[str]] | None = None,
        embedding_threshold: float = 0.62,
        max_embedding_links: int = 3,
        partial_threshold: float = 0.4,
    ) -> None:
        self.embedder = embedder
        self.company_parks = company_parks or {}
        self.embedding_threshold = embedding_threshold
        self.max_embedding_links = max_embedding_links
        self.partial_threshold = partial_threshold
        self._names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        # (name, entity) -> the name as written in Vietnamese, for names that are only Vietnamese
        self._vi_forms: dict[tuple[str, str], set[str]] = {}
        # (name, company) pairs that are a proper name: matched only where the text capitalises it
        self._proper: set[tuple[str, str]] = set()
        # (name, entity) pairs the knowledge base writes as an acronym ("MAP", "FOG"): matched only in capitals
        self._caps: set[tuple[str, str]] = set()
        # (proper name, company) -> the word that follows that name in the company's label ("viet" -> "lang")
        self._proper_next: dict[tuple[str, str], str] = {}
        self._labels: dict[str, str] = {}
        self.entities: list[NodeRecord] = []
        nodes = list(nodes)
        vocabulary = lowercase_words(nodes)
        for node in nodes:
            if node.label not in LINKED_LABELS:
                continue
            self.entities.append(node)
            self._labels[node.iri] = node.label
            self._add_names(node)
        self._add_short_names()
        self._add_proper_names(nodes, vocabulary, park_names(nodes, vocabulary))
        # a short name is kept only if it is not already the name of something else ("refinery", "steam")
        for iri, names, acronyms in alias_names(nodes, vocabulary):
            for name in {k for n in names | acronyms for k in (n, normalise(n))}:
                taken = any(other != iri for other, _ in self._names.get(name, []))
                usable = self._usable(name) or (name in acronyms and name not in _STOP_NAMES)
                if usable and not taken and (iri, "label") not in self._names[name]:
                    self._names[name].append((iri, "alias"))
                    if name in acronyms:
                        self._proper.add((name, iri))
        self._sites = SiteMentions(SiteResolver(nodes, self.company_parks, company_industries), self._labels)
        self._partial = PartialNames(self.entities, set(self._names) | _STOP_NAMES)  # neither is shortened
        self._entity_vectors: np.ndarray | None = None
        self._index = {node.iri: j for j, node in enumerate(self.entities)}

    def _add_names(self, node: NodeRecord) -> None:
        props = node.props
        primary = {fold(str(props.get("label_en", ""))), fold(str(props.get("label_vi", "")))}
        english = {fold(str(n)) for n in [props.get("label_en", ""), *props.get("synonyms_en", [])]}
        vietnamese = {marked(str(n)) for n in [props.get("label_vi", ""), *props.get("synonyms_vi", [])] if n}
        written = [props.get("label_en", ""), *props.get("synonyms_en", []), *props.get("synonyms_vi", [])]
        lower = {fold(str(n)) for n in written if not _KB_ACRONYM.fullmatch(str(n))}
        acronyms = {fold(str(n)) for n in written if _KB_ACRONYM.fullmatch(str(n))} - lower
        for name in props.get("names", []):
            if not self._usable(name):
                continue
            kind = "label" if name in primary else "synonym"
            forms = {v for v in vietnamese if fold(v) == name} if name not in english else set()
            if forms and " " not in name and name != fold(str(props.get("label_vi", ""))):
                continue  # a one-syllable synonym is mostly part of a compound ("hơi" steam, "lò hơi" boiler)
            for key in {name, normalise(name)}:
                if not self._usable(key):
                    continue  # "cleanings" is a name, but its key "cleaning" is a common word
                if (node.iri, kind) not in self._names[key]:
                    self._names[key].append((node.iri, kind))
                if name in acronyms:
                    self._caps.add((key, node.iri))
                if forms:
                    self._vi_forms.setdefault((key, node.iri), set()).update(forms)

    def _add_short_names(self) -> None:
        """Shorter forms of the labels of materials, industries and processes (`short_names`), when unambiguous."""
        owners: dict[str, set[str]] = defaultdict(set)
        vi_forms: dict[str, set[str]] = defaultdict(set)
        for node in self.entities:
            if node.label in ("Material", "Industry", "Process"):
                for form in short_names(str(node.props.get("label_en", ""))):
                    owners[normalise(form)].add(node.iri)
                # Vietnamese puts the head first: "Gạch không nung và gạch block" -> "gạch không nung"
                label_vi = str(node.props.get("label_vi", ""))
                first = re.split(r",| và | hoặc ", label_vi)[0].strip()
                if node.label == "Material" and len(first.split()) >= 2 and fold(first) != fold(label_vi):
                    owners[fold(first)].add(node.iri)
                    vi_forms[fold(first)].add(marked(first))
        # a one-word form ("digestate") only where no other name uses the word ("gypsum" is in "FGD gypsum")
        word_owners: dict[str, set[str]] = defaultdict(set)
        phrase_owners: dict[str, set[str]] = defaultdict(set)  # "water treatment" -> all names holding it
        for name, entries in self._names.items():
            ws = name.split()
            for w in ws:
                word_owners[w].update(iri for iri, _ in entries)
            for n in range(2, len(ws) + 1):
                for k in range(len(ws) - n + 1):
                    phrase_owners[" ".join(ws[k : k + n])].update(iri for iri, _ in entries)
        for form, iris in owners.items():
            if " " not in form and word_owners.get(form, set()) - iris:
                continue
            if " " in form and len(phrase_owners.get(form, set()) - iris) >= _SHORT_SHARED:
                continue  # "water treatment", "non ferrous metal": a general term other names are built on
            if len(iris) == 1 and self._usable(form) and not self._names.get(form):
                iri = next(iter(iris))
                self._names[form].append((iri, "short"))
                if form in vi_forms:
                    self._vi_forms[(form, iri)] = vi_forms[form]

    def _add_proper_names(self, nodes: list[NodeRecord], vocabulary: set[str], park_names: set[str]) -> None:
        """Leading proper names of companies ("Neste" for "Neste Porvoo refinery").

        A name several companies of different parks share ("Borealis" in Porvoo and in Stenungsund) goes to all
        of them; `link` keeps the one in the passage's park, or the one closest to the passage. A park's name
        ("Kalundborg ...") or a name several companies of one park start with is a place, not a company.
        """
        owners: dict[str, set[str]] = defaultdict(set)
        for node in nodes:
            if node.label == "Company":
                prefixes = proper_prefixes(str(node.props.get("label_en", "")), vocabulary)
                for name, longer in zip(prefixes, [*prefixes[1:], None], strict=False):
                    owners[name].add(node.iri)  # as written: a capitalised word keeps its "s" ("Novozymes")
                    if longer is not None:
                        self._proper_next[(name, node.iri)] = longer.split()[-1]
        for name, iris in owners.items():
            parks = [self.company_parks.get(iri) for iri in iris]
            if len(iris) > 1 and (None in parks or len(set(parks)) < len(parks)):
                continue  # "Kalundborg" starts several names in one park: a place, not a company
            keys = {name, normalise(name)}
            if self._usable(name) and not any(self._names.get(k) for k in keys) and name not in park_names:
                for key in keys:
                    for iri in sorted(iris):
                        self._names[key].append((iri, "alias"))
                        self._proper.add((key, iri))
                        if (name, iri) in self._proper_next:
                            self._proper_next[(key, iri)] = self._proper_next[(name, iri)]

    @staticmethod
    def _usable(name: str) -> bool:
        return len(name) >= 3 and name not in _STOP_NAMES and not name.isdigit()

    def _allowed(self, name: str, iri: str, span: Sequence[Word], lang: str) -> bool:
        """Whether a matched name may mean ``iri`` here: language, Vietnamese marks and capitals agree."""
        forms = self._vi_forms.get((name, iri))
        if forms is not None:
            if lang == "en":
                return False
            if lang == "vi" and " ".join(w.marked for w in span) not in forms:
                return False
        if (name, iri) in self._caps and any(c.islower() for w in span for c in w.text.removesuffix("s")):
            return False
        return (name, iri) not in self._proper or span[0].text[:1].isupper()

    def _part_of_other_name(self, name: str, iri: str, span: Sequence[Word], after: Sequence[Word]) -> bool:
        """Whether a short name of a park or company is only the start of a longer proper name in the text.

        "Gladstone Power Station" is a power station, not the Gladstone region: capitalised words that follow the
        name and hold a site word make it another site's name. "Viet" in "Zinc Oxide Viet Nam" is not "Viet Lang":
        a company's leading name followed by a capitalised word its label does not continue with is another name.
        """
        if not span[0].text[:1].isupper():
            return False
        run = []
        for w in after:
            if w.sep != " " or not w.text[:1].isupper():
                break
            run.append(w)
        if not run:
            return False
        if any(w.key in HEADS for w in run):
            return True
        following = self._proper_next.get((name, iri))
        return following is not None and not following.startswith(run[0].key)

    def _spans(self, ws: Sequence[Word], lang: str) -> list[Span]:
        """Matched names, longest first from each position: (start, end, name, [(entity, kind)]).

        Names in a citation ("(Ørsted 2018)", "(Gladstone Area Promotion 2005)") name a source, not a mention.
        """
        cited = citation_words(ws)
        spans = []
        i = 0
        while i < len(ws):
            matched = 0
            for n in range(min(_MAX_NGRAM, len(ws) - i), 0, -1):
                after = ws[i + n] if i + n < len(ws) else None
                if after is not None and after.sep == "-" and after.key in ADJECTIVE_SUFFIXES:
                    continue
                if any(k in cited for k in range(i, i + n)):
                    continue
                name = " ".join(w.key for w in ws[i : i + n])
                if name in _NOT_NAMES:
                    matched = n
                    break
                span, rest = ws[i : i + n], ws[i + n : i + n + 4]
                inside_name = in_proper_name(ws, i, i + n)
                entries = [
                    (iri, kind)
                    for iri, kind in self._names.get(name, ())
                    if self._allowed(name, iri, span, lang)
                    and not (kind == "alias" and self._part_of_other_name(name, iri, span, rest))
                    and not (inside_name and self._labels[iri] not in ("Company", "Park"))
                ]
                if not entries and n >= 2 and lang != "vi" and not inside_name:
                    partial = self._partial.match(ws, i, i + n)
                    entries = [(partial, "partial")] if partial else []
                if entries:
                    spans.append((i, i + n, name, entries))
                    matched = n
                    break
            i += matched or 1
        return spans

    def _lexical(self, text: str, park: str | None = None) -> dict[str, Mention]:
        ws = words(text)
        lang = language(ws)
        spans = self._spans(ws, lang)
        found: dict[str, Mention] = {}
        for _, _, name, entries in spans:
            for iri, kind in entries:
                keep_best(found, Mention(iri, round(SCORES.get(kind, 0.8) / len(entries), 3), kind, name))
        self._sites.add(ws, lang, spans, found, park)
        return found

    def _entity_matrix(self) -> np.ndarray:
        if self._entity_vectors is None:
            assert self.embedder is not None
            texts = [
                ". ".join(
                    filter(
                        None,
                        [
                            str(e.props.get("label_en", "")),
                            ", ".join(e.props.get("synonyms_en", [])[:6]),
                            str(e.props.get("description", ""))[:300],
                        ],
                    )
                )
                for e in self.entities
            ]
            self._entity_vectors = self.embedder.encode(texts)
        return self._entity_vectors

    def link(
        self, texts: Sequence[str], vectors: np.ndarray | None = None, parks: Sequence[str | None] | None = None
    ) -> list[list[Mention]]:
        """Mentions for each text; ``vectors`` (the texts' embeddings) enables the embedding method.

        ``parks`` gives each text's park (from its document), when known: a company of another park is then kept
        only if its full name appears, since short names ("the refinery", "Statoil") mean the local company.
        """
        parks = list(parks) if parks is not None else [None] * len(texts)
        results = [self._lexical(t, park) for t, park in zip(texts, parks, strict=True)]
        for found, park in zip(results, parks, strict=True):
            if park is None:
                continue
            for iri in [i for i, m in found.items() if m.method != "label" and self.company_parks.get(i, park) != park]:
                del found[iri]
        if self.embedder is not None and vectors is not None and len(texts) and self.entities:
            sims = vectors @ self._entity_matrix().T
            for row, found in zip(sims, results, strict=True):
                _keep_closest_of_shared(found, row, self._index)
                for iri, m in list(found.items()):
                    if m.method == "partial" and row[self._index[iri]] < self.partial_threshold:
                        del found[iri]  # a shortened name is kept only where the passage is about its entity
            for row, found, park_of in zip(sims, results, parks, strict=True):
                best = np.argsort(-row)[: self.max_embedding_links]
                for j in best:
                    score = float(row[j])
                    iri = self.entities[j].iri
                    elsewhere = park_of is not None and self.company_parks.get(iri, park_of) != park_of
                    if score >= self.embedding_threshold and iri not in found and not elsewhere:
                        found[iri] = Mention(iri, round(score, 3), "embedding", str(self.entities[j].props["label_en"]))
        else:  # without embeddings a shortened name cannot be checked against the passage
            for found in results:
                for iri in [i for i, m in found.items() if m.method == "partial"]:
                    del found[iri]
        return [sorted(r.values(), key=lambda m: (-m.score, m.entity_iri)) for r in results]

    def expand_query(self, text: str) -> list[str]:
        """English names of the entities a query mentions ("tro bay" -> "Fly ash"), to help the embedding model."""
        by_iri = {e.iri: e for e in self.entities}
        names = []
        confirmed = [m for m in self._lexical(text).values() if m.method != "partial"]  # no passage to check them
        for mention in sorted(confirmed, key=lambda m: -m.score)[:5]:
            node = by_iri.get(mention.entity_iri)
            if node is not None:
                names.append(str(node.props.get("label_en", "")))
        return [n for n in dict.fromkeys(names) if n]
