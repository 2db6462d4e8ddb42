"""Retrieval benchmark: indexing throughput against raw `SentenceTransformer.encode`, and query latency by size.

Run: .venv/bin/python benchmarks/retrieval_bench.py [--sizes 1000 10000 100000] [--out benchmarks/results/retrieval.md]

1. Throughput: the chunks of corpora/ are embedded by a bare `model.encode` (the baseline) and indexed by
   `Corpus.add` (parse, chunk, store, embed, FAISS, save; entity linking off), in the same run, best of 3.
2. Latency: synthetic stores of N chunks (random text from the corpus vocabulary, random unit vectors) are
   searched with the full hybrid searcher (query embedding + FAISS + BM25 + fusion), exact and HNSW index.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from retrieval.chunking import chunk_text
from retrieval.corpus import Corpus
from retrieval.documents import read_document
from retrieval.embedding import SentenceTransformerEmbedder
from retrieval.index import VectorIndex
from retrieval.search import HybridSearcher
from retrieval.store import ChunkStore

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "fly ash in cement",
    "steam from the power station to the refinery",
    "tro trấu làm nhiên liệu lò hơi",
    "treated wastewater reused for cooling",
    "gypsum from flue gas desulphurisation",
    "spent grain as animal feed",
    "waste heat for district heating",
    "bùn thải xử lý nước thải",
]


def throughput(embedder: SentenceTransformerEmbedder, repeats: int = 3) -> dict[str, float]:
    docs = [read_document(p) for p in sorted((ROOT / "corpora").glob("*.md"))]
    texts = [f"{c.section}. {c.text}" if c.section else c.text for d in docs for c in chunk_text(d.text, max_words=150)]
    model = embedder._load()
    model.encode(texts[:64], batch_size=64)  # warm-up
    raw, ours = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        raw.append(time.perf_counter() - t)
        folder = Path(tempfile.mkdtemp())
        corpus = Corpus(folder, embedder)
        corpus.open()
        t = time.perf_counter()
        results = corpus.add([ROOT / "corpora"])
        ours.append(time.perf_counter() - t)
        n_chunks = sum(r.chunks for r in results)
        corpus.close()
        shutil.rmtree(folder)
    return {
        "chunks": float(len(texts)),
        "indexed_chunks": float(n_chunks),
        "raw_chunks_per_s": len(texts) / min(raw),
        "ours_chunks_per_s": n_chunks / min(ours),
    }


def synthetic_store(folder: Path, n: int, dim: int, vocab: list[str], seed: int = 7) -> tuple[ChunkStore, np.ndarray]:
    rng = np.random.default_rng(seed)
    store = ChunkStore(folder / "store.sqlite")
    batch = 5000
    for start in range(0, n, batch):
        size = min(batch, n - start)
        chunks = [(i, "", " ".join(rng.choice(vocab, 80))) for i in range(size)]
        store.add_document(f"doc{start}", "", f"synthetic {start}", "en", {}, f"h{start}", chunks)
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return store, vectors


def latency(embedder: SentenceTransformerEmbedder, sizes: list[int], runs: int = 60) -> list[tuple]:
    words = " ".join(read_document(p).text for p in sorted((ROOT / "corpora").glob("*.md"))).split()
    vocab = sorted({w.strip(".,;:()").lower() for w in words if w.isalpha()})
    rows = []
    for n in sizes:
        folder = Path(tempfile.mkdtemp())
        store, vectors = synthetic_store(folder, n, embedder.dimension, vocab)
        ids = np.array([c.chunk_id for c in store.chunks()], dtype=np.int64)
        for kind, threshold in (("flat (exact)", 10**12), ("hnsw", 0)):
            index = VectorIndex(embedder.name, embedder.dimension, approx_threshold=threshold)
            t = time.perf_counter()
            index.add(ids, vectors)
            build = time.perf_counter() - t
            searcher = HybridSearcher(store, index, embedder)
            for q in QUERIES[:2]:
                searcher.search(q)  # warm-up
            times = []
            for i in range(runs):
                t = time.perf_counter()
                searcher.search(QUERIES[i % len(QUERIES)], top_k=5)
                times.append((time.perf_counter() - t) * 1000)
            qv = embedder.encode(QUERIES)
            faiss_times = []
            for i in range(runs):
                t = time.perf_counter()
                index.search(qv[[i % len(QUERIES)]], 50)
                faiss_times.append((time.perf_counter() - t) * 1000)
            rows.append(
                (n, kind, build, statistics.median(times), float(np.percentile(times, 95)),
                 statistics.median(faiss_times), float(np.percentile(faiss_times, 95)))
            )  # fmt: skip
            print(rows[-1], flush=True)
        store.close()
        shutil.rmtree(folder)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "retrieval.md")
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    tp = throughput(embedder)
    print(tp, flush=True)
    rows = latency(embedder, args.sizes)
    lines = [
        "# Retrieval benchmark",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {__import__('os').cpu_count()} cores; "
        f"model all-MiniLM-L6-v2 (CPU); {time.strftime('%Y-%m-%d')}. Produced by `benchmarks/retrieval_bench.py`.",
        "",
        "## Indexing throughput (corpora/, entity linking off, best of 3)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| chunks | {tp['indexed_chunks']:.0f} |",
        f"| raw `SentenceTransformer.encode` (baseline) | {tp['raw_chunks_per_s']:.1f} chunks/s |",
        f"| `Corpus.add` (parse, chunk, store, embed, FAISS, save) | {tp['ours_chunks_per_s']:.1f} chunks/s |",
        f"| ratio ours / raw | {tp['ours_chunks_per_s'] / tp['raw_chunks_per_s']:.2f} |",
        "",
        "## Query latency (hybrid search, top 5; synthetic chunks)",
        "",
        "| chunks | vector index | build (s) | search p50 (ms) | search p95 (ms) "
        "| FAISS only p50 (ms) | FAISS only p95 (ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, kind, build, p50, p95, f50, f95 in rows:
        lines.append(f"| {n:,} | {kind} | {build:.1f} | {p50:.1f} | {p95:.1f} | {f50:.2f} | {f95:.2f} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
