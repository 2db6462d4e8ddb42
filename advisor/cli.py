"""The ``symbiosis`` command line: a thin layer over `advisor.wiring`.

Every command prints one clear line on failure (``error: ...``) and exits non-zero; tracebacks go to the log
file in the data folder.
"""

from __future__ import annotations

import sys

import typer

from advisor import wiring
from advisor.cli_advisor import evaluate_opportunities, opportunities
from advisor.cli_chat import register as register_chat
from advisor.cli_common import friendly, settings_from_env
from advisor.cli_evaluate import evaluate_app
from advisor.cli_kg import register as register_kg
from advisor.cli_retrieval import register as register_retrieval

__all__ = ["app", "main"]

app = typer.Typer(
    help="Symbiosis Advisor: industrial-symbiosis opportunities for eco-industrial parks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Manage the local Neo4j server (not used when NEO4J_URI is set).", no_args_is_help=True)
app.add_typer(db_app, name="db")
register_kg(app)
register_retrieval(app)
app.add_typer(evaluate_app, name="evaluate")
app.command("opportunities")(friendly(opportunities))
evaluate_app.command("opportunities")(friendly(evaluate_opportunities))
register_chat(app, evaluate_app)


@db_app.command("start")
@friendly
def db_start() -> None:
    """Start the local Neo4j server (resolving it with Maven on first use) and wait until it answers."""
    settings = settings_from_env()
    server = wiring.managed_server(settings)
    if server is None:
        with wiring.graph_client(settings) as client:
            version = client.verify()
        typer.echo(f"using your Neo4j {version} at {settings.neo4j.uri}; nothing to start")
        return
    before = server.status()
    status = server.start()
    verb = "already running" if before.running else "started"
    typer.echo(f"Neo4j {status.version} {verb} at {status.bolt_uri} (pid {status.pid}, data {status.home})")


@db_app.command("stop")
@friendly
def db_stop() -> None:
    """Stop the local Neo4j server cleanly."""
    settings = settings_from_env()
    server = wiring.managed_server(settings)
    if server is None:
        typer.echo(f"using your Neo4j at {settings.neo4j.uri}; nothing to stop")
        return
    typer.echo("Neo4j stopped" if server.stop() else "Neo4j was not running")


@db_app.command("status")
@friendly
def db_status() -> None:
    """Print version, URI, data folder and whether the server runs; exit 3 if it does not."""
    settings = settings_from_env()
    server = wiring.managed_server(settings)
    if server is None:
        with wiring.graph_client(settings) as client:
            version = client.verify()
        typer.echo(f"running: yes (external)\nversion: {version}\nuri: {settings.neo4j.uri}")
        return
    s = server.status()
    lines = [
        f"running: {'yes' if s.running else 'no'}",
        f"version: {s.version}",
        f"uri: {s.bolt_uri}",
        f"browser: {s.http_url}/browser/",
        f"data folder: {s.home}",
    ]
    if s.pid:
        lines.append(f"pid: {s.pid}")
    if s.memory_mb:
        lines.append(f"memory: {s.memory_mb:.0f} MB resident")
    if s.detail:
        lines.append(f"note: {s.detail}")
    typer.echo("\n".join(lines))
    if not s.running:
        raise typer.Exit(3)


@app.command("serve")
@friendly
def serve(
    host: str | None = typer.Option(None, help="Address to bind (default from settings: 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default from settings: 7860)."),
) -> None:
    """Launch the Gradio app at http://127.0.0.1:7860."""
    import app as gradio_app

    settings = settings_from_env()
    gradio_app.launch(settings, host=host, port=port)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
