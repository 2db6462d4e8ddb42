"""Talking to Neo4j: opening a driver, checking it, and running users' Cypher safely (read-only).

Errors from the driver are translated where they enter this package, so a user sees one line that says
what went wrong and what to do; passwords never appear in messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
from neo4j import Driver, GraphDatabase
from neo4j import exceptions as neo4j_errors

from ontology.errors import GraphAuthError, GraphUnavailableError, QueryError

__all__ = ["GraphClient", "QueryResult", "open_driver", "translate_errors"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Rows of a read query, capped at a limit."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    truncated: bool

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def open_driver(uri: str, user: str, password: str | None) -> Driver:
    """Create a driver; no network I/O happens until it is used."""
    auth = (user, password) if password is not None else None
    return GraphDatabase.driver(uri, auth=auth, connection_timeout=5.0, max_connection_lifetime=3600)


@contextmanager
def translate_errors(uri: str = "", query: str | None = None) -> Iterator[None]:
    """Turn driver exceptions into this project's errors with one clear line each."""
    try:
        yield
    except neo4j_errors.AuthError as e:
        raise GraphAuthError(
            f"Neo4j at {uri} refused the credentials (wrong user or password). "
            "Check NEO4J_USER / NEO4J_PASSWORD, or for the managed server the password file in the data folder."
        ) from e
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as e:
        raise GraphUnavailableError(
            f"no Neo4j answers at {uri} ({type(e).__name__}). Start it with `symbiosis db start`, "
            "or set NEO4J_URI to a running server."
        ) from e
    except neo4j_errors.Neo4jError as e:
        code = e.code or ""
        if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code or "WriteOnReadOnly" in code:
            raise QueryError(
                "refused: this console is read-only and the query tries to write (CREATE, MERGE, SET, DELETE, "
                "REMOVE, writing procedures). Rephrase it as a read query.",
                query,
            ) from e
        if "TransactionTimedOut" in code or "Terminated" in code:
            raise QueryError("the query ran past its time limit and was stopped; add LIMIT or narrow it.", query) from e
        message = (e.message or str(e)).strip().splitlines()[0][:400]
        raise QueryError(f"Neo4j rejected the query ({code.rsplit('.', 1)[-1] or 'error'}): {message}", query) from e
    except neo4j_errors.DriverError as e:
        raise QueryError(f"the Neo4j driver failed: {e}", query) from e


class GraphClient:
    """A Neo4j driver bound to one URI and database; no I/O until a method is called."""

    def __init__(self, driver: Driver, *, uri: str, database: str | None = None) -> None:
        self.driver = driver
        self.uri = uri
        self.database = database

    @classmethod
    def connect(cls, uri: str, user: str, password: str | None, database: str | None = None) -> GraphClient:
        """Build a client for ``uri`` (lazy: nothing is sent yet)."""
        return cls(open_driver(uri, user, password), uri=uri, database=database)

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the driver's connections."""
        self.driver.close()

    def verify(self) -> str:
        """Check connectivity and credentials; return the server version.

        Raises:
            GraphUnavailableError: nothing answers.
            GraphAuthError: the credentials were refused.
        """
        with translate_errors(self.uri):
            self.driver.verify_connectivity()
            records, _, _ = self.driver.execute_query(
                "CALL dbms.components() YIELD versions RETURN versions[0] AS version",
                routing_=neo4j.RoutingControl.READ,
                database_=self.database,
            )
        return str(records[0]["version"])

    def read(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_s: float = 30.0,
        row_limit: int = 1000,
    ) -> QueryResult:
        """Run Cypher in READ access mode with a server-side timeout; keep at most ``row_limit`` rows.

        Raises:
            QueryError: the query writes, is invalid, or times out.
        """
        text = query.strip()
        if not text:
            raise QueryError("the query is empty.", query)

        def work(tx: neo4j.ManagedTransaction) -> QueryResult:
            result = tx.run(text, dict(params or {}))
            columns = tuple(result.keys())
            rows: list[tuple[Any, ...]] = []
            truncated = False
            for record in result:
                if len(rows) >= row_limit:
                    truncated = True
                    break
                rows.append(tuple(_plain(v) for v in record.values()))
            return QueryResult(columns, tuple(rows), truncated)

        with (
            translate_errors(self.uri, text),
            self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session,
        ):
            return session.execute_read(neo4j.unit_of_work(timeout=timeout_s)(work))

    def write_transaction(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run ``work`` in one write transaction: all of it commits, or none of it."""
        with translate_errors(self.uri), self.driver.session(database=self.database) as session:
            return session.execute_write(work)

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> dict[str, int]:
        """Run one write transaction of our own (never user text); return the update counters."""
        with translate_errors(self.uri, query):
            summary = self.driver.execute_query(query, dict(params or {}), database_=self.database).summary
        return {k: v for k, v in vars(summary.counters).items() if isinstance(v, int) and v}


def _plain(value: Any) -> Any:
    """Graph values as plain Python (nodes and relationships become dicts) for tables and JSON."""
    if isinstance(value, neo4j.graph.Node):
        return {"_labels": sorted(value.labels), **dict(value)}
    if isinstance(value, neo4j.graph.Relationship):
        return {"_type": value.type, **dict(value)}
    if isinstance(value, neo4j.graph.Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
