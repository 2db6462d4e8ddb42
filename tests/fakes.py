"""Fakes for unit tests: deterministic, fast, no model files."""

from __future__ import annotations

import hashlib

import numpy as np

from ontology.text import fold


class HashingEmbedder:
    """Bag-of-words vectors by hashing folded words: similar texts share words, so they score higher."""

    def __init__(self, dimension: int = 64, name: str = "hashing-test") -> None:
        self.name = name
        self.dimension = dimension
        self.calls = 0
        self.texts_encoded = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts_encoded += len(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in fold(text).split():
                h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                out[row, h % self.dimension] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out
