"""A FAISS vector index that is saved with a manifest and refuses to load against the wrong model or corpus.

The raw vectors are kept beside the FAISS index (``vectors.npy``, ``ids.npy``), so removing documents or
switching the index kind never needs re-embedding. Exact inner-product search (``IndexFlatIP``) is used up to
`APPROX_THRESHOLD` vectors; past that an HNSW graph index, whose query time grows far slower (see
``benchmarks/retrieval_bench.py`` for the measurements behind the threshold).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

from ontology.errors import IndexMismatchError

__all__ = ["APPROX_THRESHOLD", "IndexManifest", "VectorIndex"]

APPROX_THRESHOLD = 50_000
MANIFEST = "manifest.json"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class IndexManifest:
    """What an index was built with; compared on load."""

    model: str
    dimension: int
    normalised: bool
    kind: str
    count: int
    corpus_hash: str
    format_version: int = FORMAT_VERSION
    saved_at: str = ""


class VectorIndex:
    """Vectors keyed by int64 chunk ids, searchable by inner product (cosine on unit vectors)."""

    def __init__(self, model: str, dimension: int, *, approx_threshold: int = APPROX_THRESHOLD) -> None:
        self.model = model
        self.dimension = dimension
        self.approx_threshold = approx_threshold
        self._vectors = np.zeros((0, dimension), dtype=np.float32)
        self._ids = np.zeros((0,), dtype=np.int64)
        self._faiss: faiss.Index = self._new_index(0)

    # ---------------------------------------------------------------- building

    @property
    def kind(self) -> str:
        """``flat`` (exact) or ``hnsw`` (approximate), chosen by size."""
        return "hnsw" if len(self._ids) >= self.approx_threshold else "flat"

    def __len__(self) -> int:
        return int(len(self._ids))

    def _new_index(self, size: int) -> faiss.Index:
        if size >= self.approx_threshold:
            inner = faiss.IndexHNSWFlat(self.dimension, 32, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = 80
            inner.hnsw.efSearch = 64
        else:
            inner = faiss.IndexFlatIP(self.dimension)
        return faiss.IndexIDMap2(inner)

    def _rebuild(self) -> None:
        self._faiss = self._new_index(len(self._ids))
        if len(self._ids):
            self._faiss.add_with_ids(self._vectors, self._ids)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors (rows must be unit length) under ``ids``; an id already present is replaced."""
        ids = np.asarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (len(ids), self.dimension):
            raise ValueError(f"expected {len(ids)} vectors of dimension {self.dimension}, got {vectors.shape}")
        if np.isin(ids, self._ids).any():
            self.remove(ids)
        was = self.kind
        self._vectors = np.concatenate([self._vectors, vectors])
        self._ids = np.concatenate([self._ids, ids])
        if self.kind != was:
            self._rebuild()
        else:
            self._faiss.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> int:
        """Drop the vectors of ``ids``; returns how many were present."""
        keep = ~np.isin(self._ids, np.asarray(ids, dtype=np.int64))
        removed = int((~keep).sum())
        if removed:
            self._vectors, self._ids = self._vectors[keep], self._ids[keep]
            self._rebuild()
        return removed

    def ids(self) -> set[int]:
        """Every id in the index."""
        return {int(i) for i in self._ids}

    # ---------------------------------------------------------------- querying

    def search(self, query: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """For each query row, up to ``k`` (id, score) pairs, best first."""
        if len(self._ids) == 0 or k <= 0:
            return [[] for _ in range(len(query))]
        scores, ids = self._faiss.search(np.ascontiguousarray(query, dtype=np.float32), min(k, len(self._ids)))
        return [
            [(int(i), float(s)) for i, s in zip(row_ids, row_scores, strict=True) if i != -1]
            for row_ids, row_scores in zip(ids, scores, strict=True)
        ]

    # ---------------------------------------------------------------- persistence

    def save(self, folder: Path, corpus_hash: str) -> IndexManifest:
        """Write the index, its vectors and its manifest; files are replaced atomically."""
        folder.mkdir(parents=True, exist_ok=True)
        manifest = IndexManifest(
            self.model, self.dimension, True, self.kind, len(self), corpus_hash, saved_at=time.strftime("%FT%T%z")
        )
        _atomic(folder / "vectors.npy", lambda p: np.save(p, self._vectors))
        _atomic(folder / "ids.npy", lambda p: np.save(p, self._ids))
        _atomic(folder / "index.faiss", lambda p: faiss.write_index(self._faiss, str(p)))
        _atomic(folder / MANIFEST, lambda p: p.write_text(json.dumps(asdict(manifest), indent=2)))
        return manifest

    @classmethod
    def load(
        cls, folder: Path, *, model: str, dimension: int, corpus_hash: str | None = None
    ) -> tuple[VectorIndex, IndexManifest]:
        """Load a saved index, refusing one built with another model or dimension, or for another corpus.

        Raises:
            IndexMismatchError: what differs, and that ``symbiosis index rebuild`` fixes it.
        """
        fix = "run `symbiosis index rebuild` to rebuild it from the stored documents"
        try:
            raw = json.loads((folder / MANIFEST).read_text())
            manifest = IndexManifest(**raw)
        except (OSError, ValueError, TypeError) as e:
            raise IndexMismatchError(f"the index in {folder} has no readable manifest ({e}); {fix}") from e
        problems = []
        if manifest.format_version != FORMAT_VERSION:
            problems.append(f"format {manifest.format_version} (expected {FORMAT_VERSION})")
        if manifest.model != model:
            problems.append(f"model {manifest.model!r} (configured: {model!r})")
        if manifest.dimension != dimension:
            problems.append(f"dimension {manifest.dimension} (model gives {dimension})")
        if not manifest.normalised:
            problems.append("vectors not normalised")
        if corpus_hash is not None and manifest.corpus_hash != corpus_hash:
            problems.append("it was built for a different set of documents")
        if problems:
            raise IndexMismatchError(f"the index in {folder} does not fit: {'; '.join(problems)}; {fix}")
        index = cls(model, dimension)
        try:
            index._vectors = np.load(folder / "vectors.npy")
            index._ids = np.load(folder / "ids.npy")
            index._faiss = faiss.read_index(str(folder / "index.faiss"))
        except (OSError, ValueError, RuntimeError) as e:
            raise IndexMismatchError(f"the index files in {folder} are damaged ({e}); {fix}") from e
        if len(index._ids) != manifest.count or index._faiss.ntotal != manifest.count:
            raise IndexMismatchError(f"the index in {folder} is incomplete (count differs from manifest); {fix}")
        return index, manifest


def _atomic(path: Path, write: object) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    if path.suffix == ".npy":
        tmp = path.with_name(f".{path.stem}.tmp.npy")  # np.save appends .npy otherwise
    write(tmp)  # type: ignore[operator]
    os.replace(tmp, path)
