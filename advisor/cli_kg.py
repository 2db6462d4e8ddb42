"""CLI commands over the knowledge graph: ``kg load | stats | export``, ``cypher`` and ``cases``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from advisor import wiring
from advisor.cli_common import friendly, settings_from_env
from advisor.output import render_rows
from ontology.validate import SCHEMA_PATH, parse_turtle

__all__ = ["kg_app", "register"]

kg_app = typer.Typer(help="Load, count and export the knowledge graph.", no_args_is_help=True)


class RowFormat(StrEnum):
    """Output formats for rows."""

    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(StrEnum):
    """Export formats."""

    ttl = "ttl"
    jsonld = "jsonld"
    csv = "csv"


@kg_app.command("load")
@friendly
def kg_load(
    reset: bool = typer.Option(False, "--reset", help="Drop the knowledge base in the graph and rebuild it."),
    force: bool = typer.Option(False, "--force", help="Reload even if this version is already loaded."),
    data: Path | None = typer.Option(None, help="Folder of Turtle files (default: the packaged knowledge base)."),
) -> None:
    """Validate the Turtle files (SHACL) and load them into Neo4j; nothing is written if a rule is broken."""
    settings = settings_from_env()
    report = wiring.load_knowledge_base(settings, data, reset=reset, force=force, progress=None)
    if report.skipped:
        typer.echo(f"knowledge base {report.version} is already loaded; nothing to do (--force to reload)")
        return
    typer.echo(
        f"loaded knowledge base {report.version}: {report.nodes} nodes, {report.relationships} relationships "
        f"({report.removed_nodes} nodes and {report.removed_relationships} relationships removed) "
        f"in {report.seconds:.1f} s"
    )


@kg_app.command("stats")
@friendly
def kg_stats(fmt: RowFormat = typer.Option(RowFormat.table, "--format", help="table, json or csv")) -> None:
    """Count nodes per label and relationships per type."""
    settings = settings_from_env()
    with wiring.graph_client(settings) as client:
        labels, rels = wiring.graph_counts(client)
    if fmt is RowFormat.json:
        typer.echo(json.dumps({"nodes": labels, "relationships": rels}, indent=2))
        return
    rows = [("node", k, v) for k, v in labels.items()] + [("relationship", k, v) for k, v in rels.items()]
    typer.echo(render_rows(("kind", "name", "count"), rows, fmt.value))


@kg_app.command("export")
@friendly
def kg_export(
    fmt: ExportFormat = typer.Option(..., "--format", help="ttl, jsonld or csv"),
    out: Path = typer.Option(..., "-o", "--output", help="File (ttl, jsonld) or folder (csv) to write."),
) -> None:
    """Write the graph in Neo4j back out as RDF (Turtle, JSON-LD) or CSV."""
    from kg.export import export_graph

    settings = settings_from_env()
    schema = parse_turtle(SCHEMA_PATH)
    with wiring.graph_client(settings) as client:
        written = export_graph(client, schema, fmt.value, out)
    typer.echo(f"wrote {written}")


def cypher(
    query: str = typer.Argument(..., help="A read-only Cypher query."),
    fmt: RowFormat = typer.Option(RowFormat.table, "--format", help="table, json or csv"),
    limit: int | None = typer.Option(None, help="Maximum rows (default from settings: 1000)."),
    timeout: float | None = typer.Option(None, help="Seconds before the query is stopped (default 30)."),
) -> None:
    """Run a read-only Cypher query (READ access mode, time limit, row limit); writes are refused."""
    settings = settings_from_env()
    with wiring.graph_client(settings) as client:
        result = client.read(
            query,
            timeout_s=timeout or settings.neo4j.query_timeout_s,
            row_limit=limit or settings.neo4j.row_limit,
        )
    typer.echo(render_rows(result.columns, result.rows, fmt.value))
    if result.truncated:
        typer.echo(f"(only the first {len(result.rows)} rows are shown; use --limit or LIMIT)", err=True)


def cases(fmt: RowFormat = typer.Option(RowFormat.table, "--format", help="table, json or csv")) -> None:
    """List the documented parks: id, name, country, company and exchange counts."""
    settings = settings_from_env()
    with wiring.graph_client(settings) as client:
        result = wiring.list_cases(client)
    typer.echo(render_rows(result.columns, result.rows, fmt.value))


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.add_typer(kg_app, name="kg")
    app.command("cypher")(friendly(cypher))
    app.command("cases")(friendly(cases))
