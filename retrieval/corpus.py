"""A corpus on disk: documents added incrementally, embedded, indexed in FAISS and linked to entities.

Layout of ``folder``: ``store.sqlite`` (documents, chunks, full-text index, mentions) and the vector index files
with their ``manifest.json``. Adding files embeds only the new chunks. Each document is written as ``pending``
first and marked ``indexed`` once its vectors are saved, so an interrupted run is finished by the next `open`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ontology.errors import DocumentError, IndexMismatchError
from retrieval.chunking import chunk_text
from retrieval.documents import SUFFIXES, read_document
from retrieval.embedding import Embedder
from retrieval.index import APPROX_THRESHOLD, VectorIndex
from retrieval.linking import EntityLinker
from retrieval.search import HybridSearcher
from retrieval.store import ChunkStore, DocumentRow, MentionRow

__all__ = ["AddResult", "Corpus", "expand_paths"]

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
_EMBED_BATCH = 256


@dataclass(frozen=True, slots=True)
class AddResult:
    """What happened to one file."""

    path: str
    status: str  # added | skipped | failed
    doc_id: str | None = None
    chunks: int = 0
    message: str = ""


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: the files given, and supported files found under folders given (sorted)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out


class Corpus:
    """Documents, chunks, vectors and entity mentions kept in step."""

    def __init__(
        self,
        folder: Path,
        embedder: Embedder,
        *,
        linker: EntityLinker | None = None,
        max_words: int = 150,
        approx_threshold: int = APPROX_THRESHOLD,
    ) -> None:
        self.folder = folder
        self.embedder = embedder
        self.linker = linker
        self.max_words = max_words
        self.approx_threshold = approx_threshold
        self.store: ChunkStore | None = None
        self.index: VectorIndex | None = None

    # ---------------------------------------------------------------- lifecycle

    def open(self) -> list[str]:
        """Open the store and index (creating them if new), finishing any interrupted ingest.

        Returns:
            Ids of documents whose interrupted ingest was completed now.

        Raises:
            IndexMismatchError: the saved index does not fit the model or the stored documents.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        self.store = ChunkStore(self.folder / "store.sqlite")
        name, dim = self.embedder.name, self.embedder.dimension
        if (self.folder / "manifest.json").exists():
            self.index, _ = VectorIndex.load(self.folder, model=name, dimension=dim)
            self.index.approx_threshold = self.approx_threshold
            self._check_consistency()
        else:
            if self.store.documents("indexed"):
                raise IndexMismatchError(
                    f"{self.folder} holds documents but no vector index; run `symbiosis index rebuild`"
                )
            self.index = VectorIndex(name, dim, approx_threshold=self.approx_threshold)
        return self._resume()

    def open_store_only(self) -> None:
        """Open the document store with an empty index, for `rebuild`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.store = ChunkStore(self.folder / "store.sqlite")
        self.index = VectorIndex(self.embedder.name, self.embedder.dimension, approx_threshold=self.approx_threshold)

    def close(self) -> None:
        """Close the store."""
        if self.store is not None:
            self.store.close()

    def _check_consistency(self) -> None:
        assert self.store is not None and self.index is not None
        if not self.store.indexed_chunk_ids() <= self.index.ids():
            raise IndexMismatchError(
                f"the vector index in {self.folder} lacks vectors for stored chunks; run `symbiosis index rebuild`"
            )

    def _resume(self) -> list[str]:
        assert self.store is not None and self.index is not None
        pending = self.store.pending()
        if not pending:
            return []
        chunks = [c for d in pending for c in self.store.chunks(d.doc_id)]
        self.index.remove(np.array([c.chunk_id for c in chunks], dtype=np.int64))
        self._embed_and_link(chunks)
        self._commit([d.doc_id for d in pending])
        log.warning("completed the interrupted ingest of %s", ", ".join(d.doc_id for d in pending))
        return [d.doc_id for d in pending]

    # ---------------------------------------------------------------- ingest

    def add(self, paths: Iterable[Path], progress: Progress | None = None) -> list[AddResult]:
        """Ingest files (and folders); unchanged content is skipped, bad files are reported and skipped."""
        assert self.store is not None and self.index is not None, "call open() first"
        files = expand_paths(paths)
        results: list[AddResult] = []
        batch_docs: list[str] = []
        batch_chunks: list = []
        for n, path in enumerate(files, 1):
            if progress:
                progress(n, len(files), path.name)
            try:
                doc = read_document(path)
            except DocumentError as e:
                results.append(AddResult(str(path), "failed", message=e.reason))
                continue
            known = self.store.find_by_hash(doc.content_hash)
            if known is not None:
                results.append(
                    AddResult(str(path), "skipped", known.doc_id, message=f"already indexed as {known.doc_id}")
                )
                continue
            if self.store.get(doc.doc_id) is not None:
                results.append(
                    AddResult(str(path), "failed", doc.doc_id, message=f"another document already has id {doc.doc_id}")
                )
                continue
            pieces = chunk_text(doc.text, max_words=self.max_words)
            ids = self.store.add_document(
                doc.doc_id,
                str(path),
                doc.title,
                doc.language,
                doc.metadata,
                doc.content_hash,
                [(c.ordinal, c.section, c.text) for c in pieces],
            )
            batch_docs.append(doc.doc_id)
            batch_chunks.extend(self.store.chunks(ids=ids))
            results.append(AddResult(str(path), "added", doc.doc_id, len(ids)))
            if len(batch_chunks) >= _EMBED_BATCH:
                self._embed_and_link(batch_chunks)
                self._commit(batch_docs)
                batch_docs, batch_chunks = [], []
        if batch_docs:
            self._embed_and_link(batch_chunks)
            self._commit(batch_docs)
        return results

    def _embed_and_link(self, chunks: list) -> None:
        assert self.store is not None and self.index is not None
        if not chunks:
            return
        texts = [f"{c.section}. {c.text}" if c.section else c.text for c in chunks]
        vectors = self.embedder.encode(texts)
        self.index.add(np.array([c.chunk_id for c in chunks], dtype=np.int64), vectors)
        if self.linker is not None:
            found = self.linker.link(texts, vectors, self._parks(chunks))
            rows = [
                MentionRow(c.chunk_id, m.entity_iri, m.score, m.method, m.surface)
                for c, mentions in zip(chunks, found, strict=True)
                for m in mentions
            ]
            self.store.replace_mentions(rows, [c.chunk_id for c in chunks])

    def _parks(self, chunks: list) -> list[str | None]:
        """Each chunk's park (its document's front matter ``park``), to disambiguate company names."""
        assert self.store is not None
        from ontology.namespace import ID_PREFIXES

        parks: dict[str, str | None] = {}
        for c in chunks:
            if c.doc_id not in parks:
                doc = self.store.get(c.doc_id)
                park = str(doc.metadata.get("park") or "") if doc else ""
                prefix, _, rest = park.partition(":")
                parks[c.doc_id] = ID_PREFIXES[prefix] + rest if prefix in ID_PREFIXES and rest else None
        return [parks[c.doc_id] for c in chunks]

    def _commit(self, doc_ids: list[str]) -> None:
        """Save vectors, then mark the documents indexed: a crash in between leaves them pending, to resume."""
        assert self.store is not None and self.index is not None
        self.index.save(self.folder, self.store.corpus_hash(include=doc_ids))
        self.store.mark_indexed(doc_ids)

    # ---------------------------------------------------------------- maintenance

    def remove(self, doc_id: str) -> int:
        """Remove a document, its chunks, vectors and mentions; returns the number of chunks removed."""
        assert self.store is not None and self.index is not None
        ids = self.store.remove(doc_id)
        if not ids:
            return 0
        self.index.remove(np.array(ids, dtype=np.int64))
        self.index.save(self.folder, self.store.corpus_hash())
        return len(ids)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Re-embed every stored chunk into a fresh index (after a model change); returns the chunk count."""
        assert self.store is not None
        self.index = VectorIndex(self.embedder.name, self.embedder.dimension, approx_threshold=self.approx_threshold)
        docs = self.store.documents()
        total = 0
        for n, d in enumerate(docs, 1):
            if progress:
                progress(n, len(docs), d.doc_id)
            chunks = self.store.chunks(d.doc_id)
            self._embed_and_link(chunks)
            total += len(chunks)
        self._commit([d.doc_id for d in docs])
        return total

    def relink(self) -> int:
        """Recompute entity mentions for every chunk (after the knowledge base changed)."""
        assert self.store is not None and self.linker is not None
        chunks = self.store.chunks()
        for i in range(0, len(chunks), _EMBED_BATCH):
            batch = chunks[i : i + _EMBED_BATCH]
            texts = [f"{c.section}. {c.text}" if c.section else c.text for c in batch]
            found = self.linker.link(texts, self.embedder.encode(texts), self._parks(batch))
            rows = [
                MentionRow(c.chunk_id, m.entity_iri, m.score, m.method, m.surface)
                for c, ms in zip(batch, found, strict=True)
                for m in ms
            ]
            self.store.replace_mentions(rows, [c.chunk_id for c in batch])
        return len(chunks)

    def documents(self) -> list[DocumentRow]:
        """Stored documents with chunk counts."""
        assert self.store is not None
        return self.store.documents()

    def searcher(self, expand: Callable[[str], list[str]] | None = None) -> HybridSearcher:
        """A searcher over this corpus."""
        assert self.store is not None and self.index is not None
        return HybridSearcher(self.store, self.index, self.embedder, expand)
