"""Composition of the retrieval side: the embedder, the corpus on disk, entity links, and their sync to Neo4j."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from advisor.settings import Settings
from advisor.wiring import graph_client
from kg.textlinks import sync_text_links
from ontology.errors import SymbiosisError
from ontology.lexicon import Lexicon
from ontology.namespace import ID_PREFIXES
from ontology.records import GraphRecords, to_records
from ontology.validate import DATA_DIR, load_knowledge_base
from retrieval.corpus import AddResult, Corpus
from retrieval.embedding import SentenceTransformerEmbedder
from retrieval.linking import EntityLinker, company_industries, company_parks
from retrieval.search import PassageHit

__all__ = [
    "PACKAGED_CORPUS",
    "add_documents",
    "embedder",
    "entity_iri",
    "knowledge_records",
    "make_linker",
    "open_corpus",
    "open_corpus_for_rebuild",
    "search_passages",
    "sync_links",
]

PACKAGED_CORPUS = Path(__file__).resolve().parents[1] / "corpora"


@lru_cache(maxsize=4)
def knowledge_records(data_dir: Path = DATA_DIR) -> GraphRecords:
    """The knowledge base as records (parsed and integrity-checked; SHACL runs at load time)."""
    return to_records(load_knowledge_base(data_dir, shacl=False))


@lru_cache(maxsize=2)
def _embedder(model: str, device: str) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(model, device=device)


def embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """The configured embedding model (loaded once per process)."""
    return _embedder(settings.retrieval.model, settings.retrieval.device)


def make_linker(embedder: SentenceTransformerEmbedder | None = None) -> EntityLinker:
    """The entity linker over the current knowledge base."""
    records = knowledge_records()
    return EntityLinker(
        records.nodes,
        embedder,
        company_parks=company_parks(records.rels),
        company_industries=company_industries(records.rels),
    )


def open_corpus(settings: Settings, *, link: bool = True) -> Corpus:
    """The user's corpus under ``<data>/index``, opened (interrupted ingests are completed)."""
    embedder = _embedder(settings.retrieval.model, settings.retrieval.device)
    linker = make_linker(embedder) if link else None
    corpus = Corpus(settings.data_dir / "index", embedder, linker=linker, max_words=settings.retrieval.chunk_words)
    corpus.open()
    return corpus


def open_corpus_for_rebuild(settings: Settings) -> Corpus:
    """The corpus with a fresh index in memory, for `Corpus.rebuild` (the saved one may not fit any more)."""
    embedder = _embedder(settings.retrieval.model, settings.retrieval.device)
    corpus = Corpus(
        settings.data_dir / "index",
        embedder,
        linker=make_linker(embedder),
        max_words=settings.retrieval.chunk_words,
    )
    (settings.data_dir / "index" / "manifest.json").unlink(missing_ok=True)
    corpus.open_store_only()
    return corpus


def add_documents(
    settings: Settings, paths: Iterable[Path], progress: Callable[[int, int, str], None] | None = None
) -> list[AddResult]:
    """Ingest files into the corpus and sync documents, chunks and mentions to the graph."""
    corpus = open_corpus(settings)
    try:
        results = corpus.add(list(paths), progress)
        sync_links(settings, corpus)
    finally:
        corpus.close()
    return results


def sync_links(settings: Settings, corpus: Corpus) -> dict[str, int]:
    """Write the corpus's documents, chunks and entity mentions into Neo4j."""
    assert corpus.store is not None
    docs = corpus.store.documents("indexed")
    doc_rows = [
        {
            "doc_id": d.doc_id,
            "title": d.title,
            "language": d.language,
            "path": d.path,
            "kind": d.metadata.get("kind"),
            "park": d.metadata.get("park"),
            "sources": [str(s.get("url", "")) for s in d.metadata.get("sources", []) if isinstance(s, dict)],
        }
        for d in docs
    ]
    indexed = {d.doc_id for d in docs}
    chunks = [c for c in corpus.store.chunks() if c.doc_id in indexed]
    chunk_rows = [
        {
            "key": f"{c.doc_id}#{c.ordinal}",
            "chunk_id": c.chunk_id,
            "doc_id": c.doc_id,
            "ordinal": c.ordinal,
            "section": c.section,
            "text": c.text,
        }
        for c in chunks
    ]
    keys = {c.chunk_id: f"{c.doc_id}#{c.ordinal}" for c in chunks}
    mention_rows = [
        {"key": keys[m.chunk_id], "iri": m.entity_iri, "score": m.score, "method": m.method, "surface": m.surface}
        for m in corpus.store.mentions()
        if m.chunk_id in keys
    ]
    sync_id = f"{corpus.store.corpus_hash()}-{knowledge_records().version}"
    with graph_client(settings) as client:
        return sync_text_links(client, doc_rows, chunk_rows, mention_rows, sync_id)


def entity_iri(text: str) -> str:
    """An entity given as IRI, compact id (``mat:fly-ash``) or name (``tro bay``) -> its IRI."""
    if text.startswith("http"):
        return text
    prefix, _, rest = text.partition(":")
    if rest and prefix in ID_PREFIXES:
        return ID_PREFIXES[prefix] + rest
    matches = Lexicon(knowledge_records().nodes).lookup(text, limit=1)
    if not matches:
        raise SymbiosisError(f"no entity called {text!r} in the knowledge base; try `symbiosis cypher` to look it up")
    return matches[0].iri


def search_passages(settings: Settings, query: str, *, top_k: int = 5, entity: str | None = None) -> list[PassageHit]:
    """Hybrid search over the corpus, optionally restricted to passages linked to an entity."""
    corpus = open_corpus(settings, link=False)
    linker = make_linker()
    try:
        searcher = corpus.searcher(expand=linker.expand_query)
        return searcher.search(query, top_k=top_k, entity=entity_iri(entity) if entity else None)
    finally:
        corpus.close()
