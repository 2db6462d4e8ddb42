import pytest
from rdflib import RDF, URIRef
from rdflib.namespace import OWL

from ontology.namespace import SYM, SYM_IRI
from ontology.validate import SCHEMA_PATH, parse_turtle


def _schema_terms() -> set[str]:
    g = parse_turtle(SCHEMA_PATH)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {
        str(s)[len(SYM_IRI) :]
        for kind in kinds
        for s in g.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(SYM_IRI)
    }


def test_python_namespace_matches_the_turtle_schema() -> None:
    declared = set(SYM.__annotations__)
    assert declared == _schema_terms()


def test_namespace_is_closed() -> None:
    with pytest.raises(AttributeError):
        _ = SYM.notATerm


def test_every_class_and_property_says_how_it_loads_into_neo4j() -> None:
    g = parse_turtle(SCHEMA_PATH)
    for cls in g.subjects(RDF.type, OWL.Class):
        assert g.value(cls, SYM.graphLabel) is not None, cls
    for prop in g.subjects(RDF.type, OWL.ObjectProperty):
        assert g.value(prop, SYM.graphType) is not None, prop
    for prop in g.subjects(RDF.type, OWL.DatatypeProperty):
        assert g.value(prop, SYM.graphKey) is not None, prop
