"""SQLite store for documents, chunks (with a full-text index over folded text) and entity mentions.

A document moves from ``pending`` (its chunks are stored, vectors may not be) to ``indexed`` (vectors saved).
`ChunkStore.pending()` lets an interrupted ingest be resumed; chunk ids are the FAISS ids.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology.text import fold

__all__ = ["ChunkRow", "ChunkStore", "DocumentRow", "MentionRow"]

_DOC_COLUMNS = "doc_id, path, title, language, metadata, content_hash, status"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, path TEXT, title TEXT NOT NULL, language TEXT, metadata TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE, status TEXT NOT NULL, added_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(folded, tokenize = 'unicode61');
CREATE TABLE IF NOT EXISTS mentions (
    chunk_id INTEGER NOT NULL REFERENCES chunks(chunk_id) ON DELETE CASCADE,
    entity_iri TEXT NOT NULL, score REAL NOT NULL, method TEXT NOT NULL, surface TEXT NOT NULL,
    PRIMARY KEY (chunk_id, entity_iri)
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_iri);
"""


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A stored document."""

    doc_id: str
    path: str
    title: str
    language: str
    metadata: dict[str, Any]
    content_hash: str
    status: str
    chunks: int = 0


@dataclass(frozen=True, slots=True)
class ChunkRow:
    """A stored chunk."""

    chunk_id: int
    doc_id: str
    ordinal: int
    section: str
    text: str


@dataclass(frozen=True, slots=True)
class MentionRow:
    """A chunk that mentions a knowledge-base entity."""

    chunk_id: int
    entity_iri: str
    score: float
    method: str
    surface: str


class ChunkStore:
    """Documents, chunks and mentions in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All statements inside commit together or not at all."""
        self._db.execute("BEGIN")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ---------------------------------------------------------------- documents

    def find_by_hash(self, content_hash: str) -> DocumentRow | None:
        """The document with this content, if stored."""
        row = self._db.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE content_hash = ?",
            (content_hash,),
        ).fetchone()
        return _doc(row) if row else None

    def get(self, doc_id: str) -> DocumentRow | None:
        """One document by id."""
        row = self._db.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        return _doc(row) if row else None

    def add_document(
        self,
        doc_id: str,
        path: str,
        title: str,
        language: str,
        metadata: dict[str, Any],
        content_hash: str,
        chunks: Iterable[tuple[int, str, str]],
    ) -> list[int]:
        """Store a document as ``pending`` with its chunks; returns the new chunk ids."""
        ids: list[int] = []
        with self.transaction() as db:
            db.execute(
                "INSERT INTO documents (doc_id, path, title, language, metadata, content_hash, status) "
                "VALUES (?, ?, ?, ?, ?, ?, 'pending')",
                (doc_id, path, title, language, json.dumps(metadata, ensure_ascii=False, default=str), content_hash),
            )
            for ordinal, section, text in chunks:
                cur = db.execute(
                    "INSERT INTO chunks (doc_id, ordinal, section, text) VALUES (?, ?, ?, ?)",
                    (doc_id, ordinal, section, text),
                )
                chunk_id = int(cur.lastrowid or 0)
                db.execute(
                    "INSERT INTO chunks_fts (rowid, folded) VALUES (?, ?)", (chunk_id, fold(f"{section} {text}"))
                )
                ids.append(chunk_id)
        return ids

    def mark_indexed(self, doc_ids: Iterable[str]) -> None:
        """Vectors of these documents are saved."""
        with self.transaction() as db:
            db.executemany("UPDATE documents SET status = 'indexed' WHERE doc_id = ?", [(d,) for d in doc_ids])

    def remove(self, doc_id: str) -> list[int]:
        """Delete a document with its chunks and mentions; returns the chunk ids removed."""
        ids = [r[0] for r in self._db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]
        with self.transaction() as db:
            db.executemany("DELETE FROM chunks_fts WHERE rowid = ?", [(i,) for i in ids])
            db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        return ids

    def documents(self, status: str | None = None) -> list[DocumentRow]:
        """All documents (optionally of one status) with their chunk counts, by id."""
        sql = (
            "SELECT d.doc_id, d.path, d.title, d.language, d.metadata, d.content_hash, d.status, count(c.chunk_id) "
            "FROM documents d LEFT JOIN chunks c ON c.doc_id = d.doc_id "
        )
        args: tuple[Any, ...] = ()
        if status:
            sql += "WHERE d.status = ? "
            args = (status,)
        sql += "GROUP BY d.doc_id ORDER BY d.doc_id"
        return [_doc(r[:7], r[7]) for r in self._db.execute(sql, args)]

    def indexed_chunk_ids(self) -> set[int]:
        """Ids of every chunk of an indexed document (one query)."""
        rows = self._db.execute(
            "SELECT c.chunk_id FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE d.status = 'indexed'"
        )
        return {r[0] for r in rows}

    def pending(self) -> list[DocumentRow]:
        """Documents whose ingest was interrupted before their vectors were saved."""
        return self.documents("pending")

    def corpus_hash(self, include: Iterable[str] = ()) -> str:
        """A hash of the indexed documents' contents (plus ``include``): the index manifest records it."""
        extra = set(include)
        digest = hashlib.sha256()
        for doc_id, content_hash, status in self._db.execute(
            "SELECT doc_id, content_hash, status FROM documents ORDER BY 1"
        ):
            if status == "indexed" or doc_id in extra:
                digest.update(f"{doc_id}:{content_hash}\n".encode())
        return digest.hexdigest()[:16]

    # ---------------------------------------------------------------- chunks and search

    def chunks(self, doc_id: str | None = None, ids: Iterable[int] | None = None) -> list[ChunkRow]:
        """Chunks of one document, or with the given ids, or all."""
        sql = "SELECT chunk_id, doc_id, ordinal, section, text FROM chunks"
        if ids is not None:
            id_list = list(ids)
            if not id_list:
                return []
            marks = ",".join("?" * len(id_list))
            rows = self._db.execute(f"{sql} WHERE chunk_id IN ({marks})", id_list)
        elif doc_id is not None:
            rows = self._db.execute(f"{sql} WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        else:
            rows = self._db.execute(f"{sql} ORDER BY chunk_id")
        return [ChunkRow(*r) for r in rows]

    def lexical_search(self, query: str, limit: int = 50) -> list[tuple[int, float]]:
        """BM25 over folded text: (chunk id, score) pairs, best first; any word may match."""
        words = [w for w in fold(query).split() if len(w) > 1]
        if not words:
            return []
        expr = " OR ".join(f'"{w}"' for w in words)
        rows = self._db.execute(
            "SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY 2 LIMIT ?",
            (expr, limit),
        )
        return [(int(r[0]), -float(r[1])) for r in rows]

    # ---------------------------------------------------------------- mentions

    def replace_mentions(self, mentions: Iterable[MentionRow], chunk_ids: Iterable[int]) -> None:
        """Set the mentions of these chunks (old ones are dropped)."""
        ids = list(chunk_ids)
        with self.transaction() as db:
            db.executemany("DELETE FROM mentions WHERE chunk_id = ?", [(i,) for i in ids])
            db.executemany(
                "INSERT OR REPLACE INTO mentions (chunk_id, entity_iri, score, method, surface) VALUES (?, ?, ?, ?, ?)",
                [(m.chunk_id, m.entity_iri, m.score, m.method, m.surface) for m in mentions],
            )

    def mentions(self, chunk_ids: Iterable[int] | None = None) -> list[MentionRow]:
        """Mentions of the given chunks, or all."""
        sql = "SELECT chunk_id, entity_iri, score, method, surface FROM mentions"
        if chunk_ids is None:
            return [MentionRow(*r) for r in self._db.execute(f"{sql} ORDER BY chunk_id, entity_iri")]
        id_list = list(chunk_ids)
        if not id_list:
            return []
        marks = ",".join("?" * len(id_list))
        return [MentionRow(*r) for r in self._db.execute(f"{sql} WHERE chunk_id IN ({marks})", id_list)]

    def chunks_mentioning(self, entity_iri: str) -> set[int]:
        """Ids of chunks linked to an entity."""
        return {r[0] for r in self._db.execute("SELECT chunk_id FROM mentions WHERE entity_iri = ?", (entity_iri,))}


def _doc(row: tuple[Any, ...], chunks: int = 0) -> DocumentRow:
    return DocumentRow(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6], chunks)
