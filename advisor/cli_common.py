"""What every CLI command shares: settings, logging to a file, and one-line errors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer

from advisor.settings import Settings
from ontology.errors import SymbiosisError

__all__ = ["friendly", "settings_from_env"]

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("symbiosis")


def settings_from_env() -> Settings:
    """Read the settings and send logs to ``<data>/logs/symbiosis.log``."""
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
    """Show a `SymbiosisError` as one line on stderr and exit 1; the traceback goes to the log."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SymbiosisError as e:
            log.exception("command failed")
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
