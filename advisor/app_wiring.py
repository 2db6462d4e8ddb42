"""What the Gradio app's tabs do, as plain functions over the same wiring as the CLI (no UI code here).

Each function takes the settings (or the shared `ChatService`) and returns plain data: tables as lists of rows,
pictures as SVG text, files as paths under a per-call temporary folder. Errors are `SymbiosisError`s with one
clear line; the app shows them as messages.
"""

from __future__ import annotations

import html
import math
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor import advisor_wiring as aw
from advisor import retrieval_wiring as rw
from advisor.chat_wiring import ChatService
from advisor.parkfile import read_park_file
from advisor.report import render
from advisor.report_html import network_svg
from ontology.errors import SymbiosisError
from ontology.records import compact_iri

__all__ = [
    "EXAMPLES",
    "ParkRun",
    "cypher_examples",
    "explore",
    "ingest_reports",
    "run_cypher",
    "run_park",
]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CYPHER_DOC = ROOT / "docs" / "cypher.md"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_MARGIN = 230  # room for labels left and right of the circle
PICTURE_NEIGHBOURS = 24  # more would be unreadable; the table lists them all
TABLE_COLUMNS = ["rank", "from", "to", "flow", "category", "score", "precedent parks", "flags"]


@dataclass(frozen=True, slots=True)
class ParkRun:
    """The outcome of one park run: summary, table rows, picture and downloadable files."""

    summary: str
    rows: list[list[Any]]
    svg: str
    files: list[str]


def run_park(
    settings: Any, path: Path, *, top_k: int = 20, progress: Callable[[float, str], None] | None = None
) -> ParkRun:
    """Opportunities for one park file: the ranked table, the network picture, CSV/XLSX/HTML files."""
    say = progress or (lambda _f, _m: None)
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        raise SymbiosisError(f"{path.name}: {path.stat().st_size:,} bytes; park files are limited to 10 MB")
    say(0.05, "reading the park file")
    park = read_park_file(path)
    say(0.2, f"ranking exchanges between {len(park.companies)} tenants")
    advice = aw.advise_parks(settings, [park], top_k=top_k)[0]
    say(0.8, "writing the reports")
    data = advice.as_dict()
    out = Path(tempfile.mkdtemp(prefix="symbiosis-park-"))
    files = []
    for fmt in ("csv", "xlsx", "html"):
        target = out / f"{park.id}-opportunities.{fmt}"
        target.write_bytes(render(advice, fmt))
        files.append(str(target))
    rows = [
        [o["rank"], o["from_name"], o["to_name"], o["flow"], o["category"], o["score"],
         ", ".join(o["features"]["precedent_parks"][:3]), "; ".join(o["flags"])]
        for o in data["opportunities"]
    ]  # fmt: skip
    unresolved = data["unresolved"]
    summary = (
        f"**{html.escape(park.name)}**: {len(park.companies)} tenants, {data['park']['candidates_considered']:,} "
        f"candidate exchanges considered, top {len(rows)} shown."
    )
    if unresolved:
        summary += " Not (fully) resolved: " + "; ".join(
            f"{u['name']} ({', '.join(u['problems']) or 'unknown industry'})" for u in unresolved
        )
    say(1.0, "done")
    return ParkRun(summary, rows, network_svg(data) if rows else "", files)


def cypher_examples(path: Path = CYPHER_DOC) -> dict[str, str]:
    """The example queries of docs/cypher.md, by title."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"^### (.+?)\n+```cypher\n(.*?)```", text, flags=re.MULTILINE | re.DOTALL)
    return {title.strip(): query.strip() for title, query in found}


def run_cypher(service: ChatService, query: str, *, row_limit: int = 500) -> tuple[list[str], list[list[Any]], str]:
    """Read-only Cypher: (columns, rows, note). Writes, bad syntax and time-outs raise a one-line error."""
    if not query.strip():
        raise SymbiosisError("the query is empty")
    result = service.client.read(query, timeout_s=service.settings.neo4j.query_timeout_s, row_limit=row_limit)
    note = f"{len(result.rows)} row(s)" + (f", cut at {row_limit}" if result.truncated else "")
    return list(result.columns), [[_cell(v) for v in row] for row in result.rows], note


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return str(value)
    return value


def explore(service: ChatService, text: str) -> tuple[str, str, list[list[Any]], str]:
    """An entity named by the user: (title, neighbourhood SVG, neighbour rows, linked passages as markdown)."""
    text = text.strip()
    if not text:
        raise SymbiosisError("type an entity: a material, industry, park or company (e.g. 'fly ash', 'Kalundborg')")
    matches = service.advisor.tools.lexicon.lookup(text, limit=1)
    if not matches:
        raise SymbiosisError(f"no entity called {text!r}; try another spelling or the Cypher console")
    iri = matches[0].iri
    label = service.advisor.index.labels.get(iri, matches[0].name)
    rows = service.advisor.tools.neighbourhood(iri)
    table = [
        [r["rel"], "->" if r["outgoing"] else "<-", r["other_kind"], r["other_label"], r["other_id"]] for r in rows
    ]
    facts = service.advisor.tools.passages(label, entity=iri, top_k=3)
    passages = "\n\n".join(f"{f.text}  \n*{f.evidence.id if f.evidence else ''}*" for f in facts)
    title = f"{label} ({compact_iri(iri)}, matched by {matches[0].method})"
    picture = neighbourhood_svg(label, rows[:PICTURE_NEIGHBOURS])
    return title, picture, table, passages or "No indexed passage mentions it."


def neighbourhood_svg(label: str, rows: list[dict[str, Any]], size: int = 560) -> str:
    """The entity in the middle, its neighbours on a circle, edges labelled by relationship type."""
    c = size / 2
    radius = size / 2 - 90
    width = size + 2 * _MARGIN
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{size}" font-family="sans-serif" '
             f'font-size="11" role="img" aria-label="Neighbourhood of {html.escape(label)}">']  # fmt: skip
    n = max(len(rows), 1)
    for i, r in enumerate(rows):
        angle = 2 * math.pi * i / n - math.pi / 2
        x, y = _MARGIN + c + radius * math.cos(angle), c + radius * math.sin(angle)
        parts.append(f'<line x1="{_MARGIN + c}" y1="{c}" x2="{x:.1f}" y2="{y:.1f}" stroke="#9aa" />')
        mx, my = (_MARGIN + c + x) / 2, (c + y) / 2
        arrow = "→" if r["outgoing"] else "←"
        parts.append(f'<text x="{mx:.1f}" y="{my:.1f}" fill="#577" font-size="9">{arrow}{html.escape(r["rel"])}</text>')
        anchor = "start" if x >= _MARGIN + c else "end"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#4a8" />')
        dx = 8 if anchor == "start" else -8
        text = html.escape(f"{r['other_label'] or r['other_id']} ({r['other_kind']})"[:48])
        parts.append(f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">{text}</text>')
    parts.append(f'<circle cx="{_MARGIN + c}" cy="{c}" r="9" fill="#e83" />')
    parts.append(
        f'<text x="{_MARGIN + c}" y="{c - 14}" text-anchor="middle" font-weight="bold">{html.escape(label)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def ingest_reports(
    settings: Any, paths: list[Path], progress: Callable[[int, int, str], None] | None = None
) -> tuple[list[list[Any]], list[list[Any]]]:
    """Add the user's documents: (one row per file: name, status, chunks, message), (entities they mention)."""
    results = rw.add_documents(settings, paths, progress)
    files = [[Path(r.path).name, r.status, r.chunks, r.message] for r in results]
    doc_ids = [r.doc_id for r in results if r.doc_id]
    mentions: list[list[Any]] = []
    if doc_ids:
        corpus = rw.open_corpus(settings, link=False)
        try:
            store = corpus.store
            assert store is not None
            for doc_id in doc_ids:
                chunk_ids = [c.chunk_id for c in store.chunks(doc_id)]
                counts: dict[tuple[str, str], int] = {}
                for m in store.mentions(chunk_ids):
                    key = (compact_iri(m.entity_iri), m.surface)
                    counts[key] = counts.get(key, 0) + 1
                for (entity, surface), n in sorted(counts.items(), key=lambda kv: -kv[1])[:25]:
                    mentions.append([doc_id, entity, surface, n])
        finally:
            corpus.close()
    return files, mentions
