"""The ``symbiosis`` command line: a thin layer over `advisor.wiring`.

Every command prints one clear line on failure (``error: ...``) and exits non-zero; tracebacks go to the log
file in the data folder.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer

from advisor import wiring
from advisor.settings import Settings
from ontology.errors import SymbiosisError

__all__ = ["app", "main"]

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    help="Symbiosis Advisor: industrial-symbiosis opportunities for eco-industrial parks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Manage the local Neo4j server (not used when NEO4J_URI is set).", no_args_is_help=True)
app.add_typer(db_app, name="db")

log = logging.getLogger("symbiosis")


def _settings() -> Settings:
    settings = Settings()
    _setup_logging(settings.data_dir)
    return settings


def _setup_logging(data_dir: Path) -> None:
    if logging.getLogger().handlers:
        return
    try:
        (data_dir / "logs").mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(data_dir / "logs" / "symbiosis.log", encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def friendly(func: F) -> F:
    """Show a `SymbiosisError` as one line and exit 1; log the traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SymbiosisError as e:
            log.exception("command failed")
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


@db_app.command("start")
@friendly
def db_start() -> None:
    """Start the local Neo4j server (resolving it with Maven on first use) and wait until it answers."""
    settings = _settings()
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
    settings = _settings()
    server = wiring.managed_server(settings)
    if server is None:
        typer.echo(f"using your Neo4j at {settings.neo4j.uri}; nothing to stop")
        return
    typer.echo("Neo4j stopped" if server.stop() else "Neo4j was not running")


@db_app.command("status")
@friendly
def db_status() -> None:
    """Print version, URI, data folder and whether the server runs; exit 3 if it does not."""
    settings = _settings()
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

    settings = _settings()
    gradio_app.launch(settings, host=host, port=port)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
