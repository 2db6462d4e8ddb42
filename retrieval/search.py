"""Hybrid passage search: FAISS vectors and BM25 over folded text, fused by reciprocal rank.

Vietnamese queries work in two ways: the lexical side matches folded Vietnamese words directly, and an optional
``expand`` function (entity names found in the query, in English) gives the English-only embedding model words it
understands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from retrieval.embedding import Embedder
from retrieval.index import VectorIndex
from retrieval.store import ChunkStore

__all__ = ["HybridSearcher", "PassageHit"]

RRF_K = 60


@dataclass(frozen=True, slots=True)
class PassageHit:
    """One passage that answers a query."""

    chunk_id: int
    doc_id: str
    title: str
    section: str
    text: str
    score: float
    sources: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    vector_rank: int | None = None
    lexical_rank: int | None = None


class HybridSearcher:
    """Searches one corpus (store + index) with one embedder."""

    def __init__(
        self,
        store: ChunkStore,
        index: VectorIndex,
        embedder: Embedder,
        expand: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.store = store
        self.index = index
        self.embedder = embedder
        self.expand = expand

    def search(self, query: str, *, top_k: int = 5, entity: str | None = None, pool: int = 50) -> list[PassageHit]:
        """The ``top_k`` best passages for ``query``, optionally only those linked to ``entity`` (an IRI)."""
        query = query.strip()
        if not query:
            return []
        extra = self.expand(query) if self.expand else []
        expanded = " ".join([query, *extra])
        allowed = self.store.chunks_mentioning(entity) if entity else None
        if allowed is not None and not allowed:
            return []
        vector = self.embedder.encode([expanded])
        width = pool if allowed is None else max(pool, len(self.index))
        vector_hits = [(i, s) for i, s in self.index.search(vector, width)[0] if allowed is None or i in allowed]
        lexical_hits = [
            (i, s) for i, s in self.store.lexical_search(expanded, width) if allowed is None or i in allowed
        ]
        fused: dict[int, float] = {}
        v_rank = {cid: r for r, (cid, _) in enumerate(vector_hits[:pool])}
        l_rank = {cid: r for r, (cid, _) in enumerate(lexical_hits[:pool])}
        for ranks in (v_rank, l_rank):
            for cid, rank in ranks.items():
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda c: (-fused[c], c))[:top_k]
        return self._hits(best, fused, v_rank, l_rank)

    def _hits(
        self, ids: list[int], fused: dict[int, float], v_rank: dict[int, int], l_rank: dict[int, int]
    ) -> list[PassageHit]:
        chunks = {c.chunk_id: c for c in self.store.chunks(ids=ids)}
        mentions: dict[int, list[dict[str, Any]]] = {}
        for m in self.store.mentions(ids):
            mentions.setdefault(m.chunk_id, []).append({"iri": m.entity_iri, "score": m.score, "method": m.method})
        docs: dict[str, Any] = {}
        hits = []
        for cid in ids:
            chunk = chunks.get(cid)
            if chunk is None:
                continue
            if chunk.doc_id not in docs:
                docs[chunk.doc_id] = self.store.get(chunk.doc_id)
            doc = docs[chunk.doc_id]
            hits.append(
                PassageHit(
                    chunk_id=cid,
                    doc_id=chunk.doc_id,
                    title=doc.title if doc else chunk.doc_id,
                    section=chunk.section,
                    text=chunk.text,
                    score=round(fused[cid] * (RRF_K + 1) / 2, 4),  # 1.0 = ranked first by both
                    sources=list((doc.metadata.get("sources") if doc else None) or []),
                    entities=sorted(mentions.get(cid, []), key=lambda e: -e["score"]),
                    vector_rank=v_rank.get(cid),
                    lexical_rank=l_rank.get(cid),
                )
            )
        return hits
