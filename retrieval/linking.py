"""Link chunks of text to the knowledge-base entities they talk about.

Two methods, each with a score:

- ``label`` / ``synonym``: a label or synonym of an entity occurs in the text (folded, so with or without
  Vietnamese diacritics), longest match first, on word boundaries. A name shared by several entities splits its
  score between them. Very short or generic names are ignored.
- ``embedding``: the chunk's embedding is close to an entity's description (name, synonyms, description), for
  mentions that use other words ("the plasterboard maker" for a plasterboard plant).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ontology.records import NodeRecord, RelRecord
from ontology.text import fold
from retrieval.embedding import Embedder

__all__ = ["EntityLinker", "Mention", "company_parks"]

LINKED_LABELS = ("Industry", "Process", "Material", "Park", "Company")
_MAX_NGRAM = 8
# Names too generic to mean one entity when they appear alone in a sentence.
_STOP_NAMES = {
    "water", "energy", "waste", "power", "heat", "ash", "oil", "gas", "sludge", "plastic", "paper", "steel", "ethanol",
    "product", "products", "material", "materials", "by product", "by products", "residue", "residues", "process",
    "industry", "manufacturing", "production", "plant", "factory", "company", "park", "nuoc", "dien", "nhiet",
    "rac", "bun", "tro", "khi", "dau", "nhua", "giay", "thep", "the", "and", "or", "to", "in", "of", "at", "from",
}  # fmt: skip
_BRACKETS = re.compile(r"\s*\(.*?\)\s*")
# Words for a site that people use interchangeably ("power station" = "power plant"); compared as one word.
_SITE_WORDS = {"station": "plant", "stations": "plant", "works": "plant", "factory": "plant", "factories": "plant",
               "facility": "plant", "facilities": "plant", "plants": "plant"}  # fmt: skip


def _normalise(folded: str) -> str:
    """Folded text with site words unified and simple English plurals reduced ("cement plants" -> "cement plant")."""
    out = []
    for w in folded.split():
        w = _SITE_WORDS.get(w, w)
        if len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


def company_parks(rels: Iterable[RelRecord]) -> dict[str, str]:
    """Company IRI -> park IRI, from the knowledge base's IN_PARK relationships."""
    return {r.start: r.end for r in rels if r.type == "IN_PARK" and "/company/" in r.start}


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity a chunk mentions, with the evidence for the link."""

    entity_iri: str
    score: float
    method: str
    surface: str


_ALIAS_SPLIT = re.compile(r"\s*(?:[,;/]|\bformerly\b|\bnow\b|\bowned by\b|\bsince\b|\bpart of\b|\bwith\b)\s*")
_LEGAL = re.compile(r"\b(jsc|ltd|co|inc|corp|corporation|limited|plc|a s|gmbh|ag|sa|bv|pty|llc)\b")
_PARK_WORDS = re.compile(
    r"\b(eco industrial park|industrial symbiosis|symbiosis|industrial park|industrial area|industrial zone|"
    r"industrial region|industrial estate|chemical industry park|chemicals park|cluster|complex|eco town|"
    r"khu cong nghiep sinh thai|khu cong nghiep|kcn|network|region|area|park)\b"
)


def _name_variants(node: NodeRecord) -> set[str]:
    """Short names people use for a company or a park.

    A company without its bracketed owner or legal form, and each alias in the brackets; a park without words
    like "industrial park" or "symbiosis" ("Kalundborg Symbiosis" -> "kalundborg").
    """
    name = str(node.props.get("label_en", ""))
    base = fold(_BRACKETS.sub(" ", name))
    variants = {base, " ".join(_LEGAL.sub(" ", base).split())}
    for inner in re.findall(r"\((.*?)\)", name):
        variants.update(fold(piece) for piece in _ALIAS_SPLIT.split(inner))
    if node.label == "Park":
        for n in [base, *node.props.get("names", [])]:
            variants.add(" ".join(_PARK_WORDS.sub(" ", n).split()))
    return {v for v in variants if len(v) >= 4}


class EntityLinker:
    """Finds entity mentions in text; build once per knowledge-base version."""

    def __init__(
        self,
        nodes: Iterable[NodeRecord],
        embedder: Embedder | None = None,
        *,
        company_parks: dict[str, str] | None = None,
        embedding_threshold: float = 0.62,
        max_embedding_links: int = 3,
    ) -> None:
        self.embedder = embedder
        self.company_parks = company_parks or {}
        self.embedding_threshold = embedding_threshold
        self.max_embedding_links = max_embedding_links
        self._names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.entities: list[NodeRecord] = []
        variants: list[tuple[NodeRecord, set[str]]] = []
        for node in nodes:
            if node.label not in LINKED_LABELS:
                continue
            self.entities.append(node)
            primary = {fold(str(node.props.get("label_en", ""))), fold(str(node.props.get("label_vi", "")))}
            for name in node.props.get("names", []):
                if self._usable(name):
                    kind = "label" if name in primary else "synonym"
                    for key in {name, _normalise(name)}:
                        if (node.iri, kind) not in self._names[key]:
                            self._names[key].append((node.iri, kind))
            if node.label in ("Company", "Park"):
                variants.append((node, _name_variants(node)))
        # a short name is kept only if it is not already the name of something else ("refinery", "steam")
        for node, names in variants:
            for name in names:
                taken = any(iri != node.iri for iri, _ in self._names.get(name, []))
                if self._usable(name) and not taken and (node.iri, "label") not in self._names[name]:
                    self._names[name].append((node.iri, "alias"))
        self._entity_vectors: np.ndarray | None = None

    @staticmethod
    def _usable(name: str) -> bool:
        return len(name) >= 3 and name not in _STOP_NAMES and not name.isdigit()

    def _lexical(self, text: str) -> dict[str, Mention]:
        words = _normalise(fold(text)).split()
        found: dict[str, Mention] = {}
        i = 0
        while i < len(words):
            matched = 0
            for n in range(min(_MAX_NGRAM, len(words) - i), 0, -1):
                name = " ".join(words[i : i + n])
                entries = self._names.get(name)
                if not entries:
                    continue
                share = 1.0 / len(entries)
                for iri, kind in entries:
                    score = {"label": 1.0, "synonym": 0.9}.get(kind, 0.8) * share
                    if iri not in found or found[iri].score < score:
                        found[iri] = Mention(iri, round(score, 3), kind, name)
                matched = n
                break
            i += matched or 1
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
        results = [self._lexical(t) for t in texts]
        for found, park in zip(results, parks or [None] * len(texts), strict=True):
            if park is None:
                continue
            for iri in [i for i, m in found.items() if m.method != "label" and self.company_parks.get(i, park) != park]:
                del found[iri]
        if self.embedder is not None and vectors is not None and len(texts) and self.entities:
            sims = vectors @ self._entity_matrix().T
            for row, found, park_of in zip(sims, results, parks or [None] * len(texts), strict=True):
                best = np.argsort(-row)[: self.max_embedding_links]
                for j in best:
                    score = float(row[j])
                    iri = self.entities[j].iri
                    elsewhere = park_of is not None and self.company_parks.get(iri, park_of) != park_of
                    if score >= self.embedding_threshold and iri not in found and not elsewhere:
                        found[iri] = Mention(iri, round(score, 3), "embedding", str(self.entities[j].props["label_en"]))
        return [sorted(r.values(), key=lambda m: (-m.score, m.entity_iri)) for r in results]

    def expand_query(self, text: str) -> list[str]:
        """English names of the entities a query mentions ("tro bay" -> "Fly ash"), to help the embedding model."""
        by_iri = {e.iri: e for e in self.entities}
        names = []
        for mention in sorted(self._lexical(text).values(), key=lambda m: -m.score)[:5]:
            node = by_iri.get(mention.entity_iri)
            if node is not None:
                names.append(str(node.props.get("label_en", "")))
        return [n for n in dict.fromkeys(names) if n]
