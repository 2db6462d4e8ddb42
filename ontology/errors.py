"""Errors raised by Symbiosis Advisor.

Every package raises a member of one family, so callers can catch `SymbiosisError` and show one clear line::

    SymbiosisError
    ├── ConfigError                  settings or environment are wrong (missing Java, bad toml)
    ├── OntologyError                the Turtle knowledge base is unusable
    │   ├── TurtleSyntaxError        a file does not parse (.path, .line)
    │   └── ShapeViolationError      SHACL or integrity rules are broken (.violations)
    ├── KnowledgeGraphError          Neo4j could not do what was asked
    │   ├── ServerError              the local server cannot be resolved, started or stopped
    │   ├── GraphUnavailableError    nothing answers at the configured URI
    │   ├── GraphAuthError           the credentials were refused
    │   └── QueryError               a query failed, was refused as a write, or timed out (.query)
    └── RetrievalError               documents, embeddings or the index are unusable
        ├── DocumentError            one file cannot be read (.path, .reason)
        ├── ModelError               the embedding model cannot be loaded
        └── IndexMismatchError       a saved index does not fit the current model or corpus
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ConfigError",
    "DocumentError",
    "IndexMismatchError",
    "ModelError",
    "RetrievalError",
    "GraphAuthError",
    "GraphUnavailableError",
    "KnowledgeGraphError",
    "OntologyError",
    "QueryError",
    "ServerError",
    "ShapeViolationError",
    "SymbiosisError",
    "TurtleSyntaxError",
    "Violation",
]


class SymbiosisError(Exception):
    """Root of every error this project raises on purpose."""


class ConfigError(SymbiosisError):
    """Settings or the environment prevent a command from running."""


class OntologyError(SymbiosisError):
    """The Turtle knowledge base cannot be used."""


class TurtleSyntaxError(OntologyError):
    """A Turtle file does not parse."""

    def __init__(self, path: Path, line: int | None, detail: str) -> None:
        self.path = path
        self.line = line
        self.detail = detail
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: Turtle syntax error: {detail}")


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: where (file, subject), which rule, and what the shape says."""

    path: str
    subject: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.subject}: {self.message} [{self.rule}]"


class ShapeViolationError(OntologyError):
    """SHACL shapes or integrity checks failed; nothing was loaded."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        head = "\n".join(f"  {v}" for v in violations[:20])
        more = f"\n  ... and {len(violations) - 20} more" if len(violations) > 20 else ""
        super().__init__(f"{len(violations)} knowledge-base rule(s) broken, nothing loaded:\n{head}{more}")


class KnowledgeGraphError(SymbiosisError):
    """Neo4j could not do what was asked."""


class ServerError(KnowledgeGraphError):
    """The managed local Neo4j server could not be resolved, started or stopped."""


class GraphUnavailableError(KnowledgeGraphError):
    """Nothing answers at the configured Neo4j URI."""


class GraphAuthError(KnowledgeGraphError):
    """Neo4j refused the credentials."""


class QueryError(KnowledgeGraphError):
    """A Cypher query failed, was refused, or timed out."""

    def __init__(self, message: str, query: str | None = None) -> None:
        self.query = query
        super().__init__(message)


class RetrievalError(SymbiosisError):
    """Documents, embeddings or the index are unusable."""


class DocumentError(RetrievalError):
    """One file cannot be ingested; the rest of a batch goes on."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ModelError(RetrievalError):
    """The embedding model cannot be loaded."""


class IndexMismatchError(RetrievalError):
    """A saved index was built with another model, dimension or corpus."""
