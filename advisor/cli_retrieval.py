"""CLI commands over documents: ``corpus add | list | remove``, ``index rebuild``, ``search``."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from tqdm import tqdm

from advisor import retrieval_wiring as rw
from advisor.cli_common import friendly, settings_from_env
from advisor.output import render_rows

__all__ = ["register"]

corpus_app = typer.Typer(help="Add, list and remove the documents the advisor searches.", no_args_is_help=True)
index_app = typer.Typer(help="Maintain the vector index.", no_args_is_help=True)


class _Bar:
    """A progress bar on stderr for long runs (hidden for a single file)."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if total < 2:
            return
        if self.bar is None:
            self.bar = tqdm(total=total, unit=self.unit, leave=False)
        self.bar.set_postfix_str(name[-40:])
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@corpus_app.command("add")
@friendly
def corpus_add(
    paths: list[Path] = typer.Argument(..., help="Files (.md .txt .html .pdf .docx) or folders."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Ingest documents: parse, chunk, embed, index and link to entities; unchanged files are skipped."""
    settings = settings_from_env()
    bar = _Bar("file")
    try:
        results = rw.add_documents(settings, paths, bar)
    finally:
        bar.close()
    if fmt == "json":
        typer.echo(json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False))
    else:
        rows = [(r.status, r.doc_id or "", r.chunks, r.path, r.message) for r in results]
        typer.echo(render_rows(("status", "document", "chunks", "path", "message"), rows))
        counts = {s: sum(r.status == s for r in results) for s in ("added", "skipped", "failed")}
        typer.echo(f"{counts['added']} added, {counts['skipped']} unchanged, {counts['failed']} failed")
    if any(r.status == "failed" for r in results):
        raise typer.Exit(2)


@corpus_app.command("list")
@friendly
def corpus_list(fmt: str = typer.Option("table", "--format", help="table, json or csv")) -> None:
    """List the indexed documents."""
    corpus = rw.open_corpus(settings_from_env(), link=False)
    try:
        docs = corpus.documents()
    finally:
        corpus.close()
    rows = [(d.doc_id, d.title, d.language, d.chunks, d.status, d.path) for d in docs]
    typer.echo(render_rows(("document", "title", "language", "chunks", "status", "path"), rows, fmt))


@corpus_app.command("remove")
@friendly
def corpus_remove(doc_ids: list[str] = typer.Argument(..., help="Document ids, as `corpus list` shows them.")) -> None:
    """Remove documents with their chunks, vectors and entity links."""
    settings = settings_from_env()
    corpus = rw.open_corpus(settings, link=False)
    try:
        for doc_id in doc_ids:
            n = corpus.remove(doc_id)
            typer.echo(f"removed {doc_id} ({n} chunks)" if n else f"no document {doc_id}")
        rw.sync_links(settings, corpus)
    finally:
        corpus.close()


@index_app.command("rebuild")
@friendly
def index_rebuild() -> None:
    """Re-embed every stored chunk into a new index (after changing the model) and relink entities."""
    settings = settings_from_env()
    corpus = rw.open_corpus_for_rebuild(settings)
    bar = _Bar("doc")
    try:
        n = corpus.rebuild(bar)
        rw.sync_links(settings, corpus)
    finally:
        bar.close()
        corpus.close()
    typer.echo(f"rebuilt the index: {n} chunks with {settings.retrieval.model}")


def search(
    query: str = typer.Argument(..., help="What to look for, in English or Vietnamese."),
    entity: str | None = typer.Option(None, help="Only passages linked to this entity (id, IRI or name)."),
    top: int = typer.Option(5, "--top", help="How many passages."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Find report passages (hybrid lexical + vector ranking), with their sources and linked entities."""
    hits = rw.search_passages(settings_from_env(), query, top_k=top, entity=entity)
    if fmt == "json":
        typer.echo(json.dumps([asdict(h) for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        typer.echo("no passages found")
    for rank, h in enumerate(hits, 1):
        sources = "; ".join(f"{s.get('title')} ({s.get('year')})" for s in h.sources[:2]) or "no source listed"
        ents = ", ".join(e["iri"].rsplit("/", 2)[-1] for e in h.entities[:6])
        typer.echo(f"{rank}. [{h.doc_id} #{h.chunk_id}] {h.title} / {h.section}  score {h.score:.3f}")
        typer.echo(f"   {h.text[:400]}")
        typer.echo(f"   source: {sources}\n   entities: {ents}\n")


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.add_typer(corpus_app, name="corpus")
    app.add_typer(index_app, name="index")
    app.command("search")(friendly(search))
