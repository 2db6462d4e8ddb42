"""Measure entity linking against a hand-labelled set: precision, recall and F1 over (passage, entity) pairs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ontology.errors import RetrievalError
from ontology.namespace import ID_PREFIXES
from retrieval.embedding import Embedder
from retrieval.linking import EntityLinker

__all__ = ["GoldExample", "LinkingScore", "evaluate_linking", "load_gold"]


@dataclass(frozen=True, slots=True)
class GoldExample:
    """A passage and the entities a person says it mentions."""

    id: str
    text: str
    entities: frozenset[str]
    park: str | None = None


@dataclass(frozen=True, slots=True)
class LinkingScore:
    """Micro-averaged scores over every (passage, entity) pair."""

    method: str
    examples: int
    true_positives: int
    false_positives: int
    false_negatives: int
    errors: list[dict[str, object]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of predicted links that are right."""
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of gold links that were found."""
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _iri(compact: str) -> str:
    prefix, _, rest = compact.partition(":")
    if prefix not in ID_PREFIXES or not rest:
        raise RetrievalError(f"gold entity {compact!r} is not a compact id like mat:fly-ash")
    return ID_PREFIXES[prefix] + rest


def _park_of(source: str | None, root: Path) -> str | None:
    """The park a passage's source document is about (its front matter ``park``), as an IRI."""
    if not source:
        return None
    from retrieval.documents import read_document

    try:
        park = read_document(root / source).metadata.get("park")
    except (OSError, RetrievalError):
        return None
    return _iri(str(park)) if park else None


def load_gold(path: Path) -> list[GoldExample]:
    """Read a JSON-lines gold file: {"id", "text", "entities": ["mat:fly-ash", ...], "source"} per line."""
    root = Path(path).resolve().parents[2]  # tests/data/<file> -> repository root, where "source" paths start
    parks: dict[str, str | None] = {}
    examples = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            source = row.get("source")
            if source not in parks:
                parks[source] = _park_of(source, root)
            entities = frozenset(_iri(e) for e in row["entities"])
            examples.append(GoldExample(str(row["id"]), str(row["text"]), entities, parks[source]))
        except (ValueError, KeyError, TypeError) as e:
            raise RetrievalError(f"{path}:{n}: not a gold example ({e})") from e
    return examples


def evaluate_linking(linker: EntityLinker, gold: list[GoldExample], embedder: Embedder | None = None) -> LinkingScore:
    """Score the linker on ``gold``; with ``embedder`` the embedding method takes part too."""
    texts = [g.text for g in gold]
    vectors = embedder.encode(texts) if embedder is not None else None
    found = linker.link(texts, vectors, [g.park for g in gold])
    tp = fp = fn = 0
    errors: list[dict[str, object]] = []
    for example, mentions in zip(gold, found, strict=True):
        predicted = {m.entity_iri for m in mentions}
        tp += len(predicted & example.entities)
        fp += len(predicted - example.entities)
        fn += len(example.entities - predicted)
        if predicted != example.entities:
            errors.append(
                {
                    "id": example.id,
                    "missed": sorted(example.entities - predicted),
                    "wrong": sorted(predicted - example.entities),
                }
            )
    method = "label+synonym+embedding" if embedder is not None else "label+synonym"
    return LinkingScore(method, len(gold), tp, fp, fn, errors)
