"""Closed namespace of the ontology's terms; `tests/unit/ontology` keeps it in step with `schema.ttl`."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["ID", "SYM", "SYM_IRI", "ID_IRI", "ID_PREFIXES"]

SYM_IRI = "https://w3id.org/symbiosis/ont#"
ID_IRI = "https://w3id.org/symbiosis/id/"

# Prefix -> IRI folder for entity identifiers; used in files and to shorten IRIs for people.
ID_PREFIXES = {
    "ind": f"{ID_IRI}industry/",
    "proc": f"{ID_IRI}process/",
    "mat": f"{ID_IRI}material/",
    "use": f"{ID_IRI}use/",
    "park": f"{ID_IRI}park/",
    "co": f"{ID_IRI}company/",
    "ex": f"{ID_IRI}exchange/",
    "fig": f"{ID_IRI}figure/",
    "src": f"{ID_IRI}source/",
}

ID = Namespace(ID_IRI)


class SYM(DefinedNamespace):
    """Terms of the Symbiosis Advisor ontology (classes, properties, annotations)."""

    _fail = True
    _NS = Namespace(SYM_IRI)

    # classes
    Industry: URIRef
    Process: URIRef
    Material: URIRef
    Use: URIRef
    Park: URIRef
    Company: URIRef
    Exchange: URIRef
    Figure: URIRef
    Source: URIRef
    # annotations
    graphLabel: URIRef
    graphType: URIRef
    graphKey: URIRef
    # object properties
    runsProcess: URIRef
    produces: URIRef
    consumes: URIRef
    isKindOf: URIRef
    parentIndustry: URIRef
    material: URIRef
    usedBy: URIRef
    substitutes: URIRef
    precedent: URIRef
    inPark: URIRef
    inIndustry: URIRef
    provider: URIRef
    receiver: URIRef
    documentedIn: URIRef
    aboutPark: URIRef
    # datatype properties
    isicCode: URIRef
    vsicCode: URIRef
    sector: URIRef
    description: URIRef
    kind: URIRef
    ewcCode: URIRef
    vnWasteCode: URIRef
    hazardous: URIRef
    conditions: URIRef
    category: URIRef
    quantity: URIRef
    unit: URIRef
    year: URIRef
    status: URIRef
    country: URIRef
    region: URIRef
    lat: URIRef
    lon: URIRef
    metric: URIRef
    value: URIRef
    url: URIRef
    publisher: URIRef
