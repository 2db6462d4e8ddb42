"""Parse and validate the Turtle knowledge base: syntax, SHACL shapes and integrity rules.

Run ``python -m ontology.validate [FOLDER]`` to check the files; the loader calls `load_knowledge_base`, which
raises before anything is written if one rule is broken.
"""

from __future__ import annotations

import logging
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from ontology.errors import ShapeViolationError, TurtleSyntaxError, Violation
from ontology.namespace import ID_IRI, SYM, SYM_IRI

__all__ = ["KnowledgeBase", "DATA_DIR", "SCHEMA_PATH", "SHAPES_PATH", "load_knowledge_base", "parse_turtle"]

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = PACKAGE_DIR / "schema.ttl"
SHAPES_PATH = PACKAGE_DIR / "shapes.ttl"
DATA_DIR = PACKAGE_DIR / "data"

SH = Namespace("http://www.w3.org/ns/shacl#")
# Classes whose English labels must be unique: two materials called "fly ash" would split the graph.
_UNIQUE_LABEL_CLASSES = (SYM.Industry, SYM.Process, SYM.Material, SYM.Park)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """A validated knowledge base: the merged data graph, the schema, and where each subject was defined."""

    data: Graph
    schema: Graph
    origin: dict[URIRef, str]
    files: tuple[Path, ...]


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file, turning a syntax error into one that names the file and line."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as e:
        line = getattr(e, "lines", None)
        raise TurtleSyntaxError(path, None if line is None else line + 1, getattr(e, "_why", str(e))) from e
    except (ValueError, UnicodeDecodeError) as e:
        raise TurtleSyntaxError(path, None, str(e)) from e
    return graph


def _schema_terms(schema: Graph) -> set[URIRef]:
    return {s for s in schema.subjects() if isinstance(s, URIRef) and str(s).startswith(SYM_IRI)}


def _integrity_violations(
    data: Graph, schema: Graph, origin: dict[URIRef, str], defined_in: dict[URIRef, set[str]]
) -> list[Violation]:
    """Rules SHACL does not express well: unknown terms, dangling references, duplicates."""
    terms = _schema_terms(schema)
    object_props = set(schema.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#ObjectProperty")))
    out: list[Violation] = []

    def where(subject: URIRef) -> str:
        return origin.get(subject, "?")

    for s, p, o in data:
        if isinstance(p, URIRef) and str(p).startswith(SYM_IRI) and p not in terms:
            out.append(Violation(where(s), str(s), "unknown-term", f"unknown property {p}"))
        if p == RDF.type and isinstance(o, URIRef) and str(o).startswith(SYM_IRI) and o not in terms:
            out.append(Violation(where(s), str(s), "unknown-term", f"unknown class {o}"))
        if p in object_props:
            if isinstance(o, Literal):
                out.append(Violation(where(s), str(s), "reference", f"{p} must point to an entity, not {o!r}"))
            elif (o, RDF.type, None) not in data:
                out.append(Violation(where(s), str(s), "dangling-reference", f"{p} points to undefined {o}"))
        if isinstance(s, URIRef) and not str(s).startswith(ID_IRI):
            out.append(Violation(where(s), str(s), "iri", f"entity IRIs must start with {ID_IRI}"))

    for subject, files in defined_in.items():
        if len(files) > 1 and (subject, RDF.type, SYM.Source) not in data:
            out.append(
                Violation(
                    sorted(files)[0],
                    str(subject),
                    "duplicate-id",
                    f"defined in several files: {', '.join(sorted(files))}",
                )
            )

    for cls in _UNIQUE_LABEL_CLASSES:
        seen: dict[str, URIRef] = {}
        for s in sorted(data.subjects(RDF.type, cls)):
            for label in data.objects(s, RDFS.label):
                if isinstance(label, Literal) and label.language == "en":
                    key = str(label).strip().casefold()
                    if key in seen and seen[key] != s:
                        out.append(
                            Violation(
                                where(s),
                                str(s),
                                "duplicate-label",
                                f"English label {str(label)!r} also on {seen[key]}",
                            )
                        )
                    seen.setdefault(key, s)
    return out


def _shacl_violations(data: Graph, schema: Graph, origin: dict[URIRef, str]) -> list[Violation]:
    shapes = parse_turtle(SHAPES_PATH)
    conforms, report, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=schema,
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
    )
    if conforms:
        return []
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        path = report.value(result, SH.resultPath)
        rule = str(shape) if isinstance(shape, URIRef) else f"{report.value(result, SH.sourceConstraintComponent)}"
        if path is not None:
            rule = f"{rule.rsplit('#', 1)[-1]} on {str(path).rsplit('#', 1)[-1].rsplit('/', 1)[-1]}"
        out.append(Violation(origin.get(focus, "?"), str(focus), rule, str(message)))
    return sorted(out, key=lambda v: (v.path, v.subject, v.rule))


def load_knowledge_base(data_dir: Path = DATA_DIR, *, shacl: bool = True) -> KnowledgeBase:
    """Parse every ``*.ttl`` under ``data_dir`` and validate the whole.

    Raises:
        TurtleSyntaxError: a file does not parse.
        ShapeViolationError: SHACL or integrity rules are broken; ``.violations`` lists each with file and subject.
    """
    files = tuple(sorted(Path(data_dir).rglob("*.ttl")))
    schema = parse_turtle(SCHEMA_PATH)
    data = Graph()
    origin: dict[URIRef, str] = {}
    defined_in: dict[URIRef, set[str]] = defaultdict(set)
    for path in files:
        graph = parse_turtle(path)
        for s in set(graph.subjects()):
            if isinstance(s, URIRef):
                origin.setdefault(s, path.name)
        for s in graph.subjects(RDF.type, None):
            if isinstance(s, URIRef):
                defined_in[s].add(path.name)
                origin[s] = min(defined_in[s])
        data += graph
    for prefix, namespace in graph.namespaces() if files else []:
        data.bind(prefix, namespace)
    log.info("parsed %d files, %d triples", len(files), len(data))
    violations = _integrity_violations(data, schema, origin, defined_in)
    if shacl:
        violations += _shacl_violations(data, schema, origin)
    if violations:
        raise ShapeViolationError(violations)
    return KnowledgeBase(data=data, schema=schema, origin=origin, files=files)


def main(argv: list[str] | None = None) -> int:
    """Validate a folder of Turtle files and print a summary or the broken rules.

    ``--file NAME`` (repeatable) reports only the rules broken in those files, for authors working side by side.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    only: set[str] = set()
    while "--file" in args:
        i = args.index("--file")
        only.add(Path(args[i + 1]).name)
        del args[i : i + 2]
    folder = Path(args[0]) if args else DATA_DIR
    try:
        kb = load_knowledge_base(folder)
    except TurtleSyntaxError as e:
        sys.stderr.write(f"{e}\n")
        return 1
    except ShapeViolationError as e:
        shown = [v for v in e.violations if not only or v.path in only]
        sys.stderr.write("\n".join(str(v) for v in shown) + f"\n{len(shown)} rule(s) broken\n")
        return 1 if shown else 0
    counts = {str(cls).rsplit("#", 1)[-1]: len(set(kb.data.subjects(RDF.type, cls))) for cls in _counted()}
    sys.stdout.write(f"OK: {len(kb.files)} files, {len(kb.data)} triples, {counts}\n")
    return 0


def _counted() -> tuple[URIRef, ...]:
    return (
        SYM.Industry,
        SYM.Process,
        SYM.Material,
        SYM.Use,
        SYM.Park,
        SYM.Company,
        SYM.Exchange,
        SYM.Figure,
        SYM.Source,
    )


if __name__ == "__main__":
    raise SystemExit(main())
