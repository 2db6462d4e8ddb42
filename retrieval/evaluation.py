"""Measure entity linking against a hand-labelled set: precision, recall and F1 over (passage, entity) pairs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ontology.errors import RetrievalError
from ontology.namespace import ID_PREFIXES
from retrieval.embedding import Embedder
from retrieval.linking import EntityLinker, Mention

__all__ = ["SPLITS", "GoldExample", "LinkingScore", "evaluate_linking", "evaluate_splits", "load_gold", "split_gold"]

# The gold passages are split once, by id: the linker's errors may be read on DEV while improving it; TEST is
# only ever scored (its passages, labels and errors are never printed), so its figures estimate unseen text.
# DEV is g001-g110 and d001 on (passages from documents no other passage comes from, added later); TEST is g111 on.
DEV_LAST = 110
SPLITS = ("all", "dev", "test")


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


def split_gold(gold: list[GoldExample], split: str) -> list[GoldExample]:
    """The examples of one split: ``all``, ``dev`` (g001-g110 and d001 on) or ``test`` (g111 on).

    Raises:
        RetrievalError: an unknown split name.
    """
    if split not in SPLITS:
        raise RetrievalError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    if split == "all":
        return list(gold)
    dev = split == "dev"
    return [g for g in gold if (g.id.startswith("d") or int(re.sub(r"\D", "", g.id) or 0) <= DEV_LAST) == dev]


def _score(method: str, gold: list[GoldExample], found: list[list[Mention]]) -> LinkingScore:
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
    return LinkingScore(method, len(gold), tp, fp, fn, errors)


def _method(embedder: Embedder | None) -> str:
    return "label+synonym+embedding" if embedder is not None else "label+synonym"


def _link(linker: EntityLinker, gold: list[GoldExample], embedder: Embedder | None) -> list[list[Mention]]:
    texts = [g.text for g in gold]
    vectors = embedder.encode(texts) if embedder is not None else None
    return linker.link(texts, vectors, [g.park for g in gold])


def evaluate_linking(linker: EntityLinker, gold: list[GoldExample], embedder: Embedder | None = None) -> LinkingScore:
    """Score the linker on ``gold``; with ``embedder`` the embedding method takes part too."""
    return _score(_method(embedder), gold, _link(linker, gold, embedder))


def evaluate_splits(
    linker: EntityLinker, gold: list[GoldExample], embedder: Embedder | None = None
) -> dict[str, LinkingScore]:
    """Scores on every split (``all``, ``dev``, ``test``), linking each passage once."""
    by_id = dict(zip((g.id for g in gold), _link(linker, gold, embedder), strict=True))
    scores = {}
    for split in SPLITS:
        part = split_gold(gold, split)
        scores[split] = _score(_method(embedder), part, [by_id[g.id] for g in part])
    return scores
