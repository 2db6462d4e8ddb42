"""Names of companies and parks for the entity linker, and the knowledge-base facts it reads about companies.

A company or park is rarely written out in full: "Neste" for "Neste Porvoo refinery", "Kwinana" for "Kwinana
Industrial Area", "JAC" for "Jurong Aromatics Corporation (JAC)". These helpers derive such short names from the
labels, with care not to turn a place ("(Puerto Rico)") or a common word ("South") into a name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from ontology.records import NodeRecord, RelRecord
from ontology.text import fold
from retrieval.linking_text import BRACKETS

__all__ = [
    "LINKED_LABELS",
    "alias_names",
    "company_industries",
    "company_parks",
    "lowercase_words",
    "name_variants",
    "park_names",
    "proper_prefixes",
]

LINKED_LABELS = ("Industry", "Process", "Material", "Park", "Company")


def company_parks(rels: Iterable[RelRecord]) -> dict[str, str]:
    """Company IRI -> park IRI, from the knowledge base's IN_PARK relationships."""
    return {r.start: r.end for r in rels if r.type == "IN_PARK" and "/company/" in r.start}


def company_industries(rels: Iterable[RelRecord]) -> dict[str, set[str]]:
    """Company IRI -> the IRIs of its industries, from the knowledge base's IN_INDUSTRY relationships."""
    found: dict[str, set[str]] = defaultdict(set)
    for r in rels:
        if r.type == "IN_INDUSTRY" and "/company/" in r.start:
            found[r.start].add(r.end)
    return dict(found)


_ALIAS_SPLIT = re.compile(r"\s*(?:[,;/]|\bformerly\b|\bnow\b|\bowned by\b|\bsince\b|\bpart of\b|\bwith\b)\s*")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,5}")
_LEGAL = re.compile(r"\b(jsc|ltd|co|inc|corp|corporation|limited|plc|a s|gmbh|ag|sa|bv|pty|llc)\b")
_PARK_WORDS = re.compile(
    r"\b(eco industrial park|industrial symbiosis|symbiosis|industrial park|industrial area|industrial zone|"
    r"industrial region|industrial estate|chemical industry park|chemicals park|cluster|complex|eco town|"
    r"khu cong nghiep sinh thai|khu cong nghiep|kcn|network|region|area|park)\b"
)


def name_variants(node: NodeRecord, vocabulary: set[str] | frozenset[str] = frozenset()) -> tuple[set[str], set[str]]:
    """Short names people use for a company or a park, and the acronyms among them.

    A company without its bracketed owner or legal form, and each proper name in the brackets ("Equinor",
    "formerly Statoil", the acronym "JAC"; not a description such as "refinery" or "olefins and polyolefins"). A
    park without words like "industrial park" or "symbiosis" ("Kalundborg Symbiosis" -> "kalundborg") and its
    leading proper name ("Guitang Group sugar complex" -> "guitang group", and "guitang" unless the word is
    written in lower case elsewhere, in ``vocabulary``: "South Humber Bank" is not "south"). A park's brackets
    name its place ("(Puerto Rico)", "(Norrköping)"), which is not the park, unless they hold an acronym.
    """
    name = str(node.props.get("label_en", ""))
    base = fold(BRACKETS.sub(" ", name))
    variants = {base, " ".join(_LEGAL.sub(" ", base).split())}
    acronyms = set()
    for inner in re.findall(r"\((.*?)\)", name):
        for piece in _ALIAS_SPLIT.split(inner):
            if _ACRONYM.fullmatch(piece):
                acronyms.add(fold(piece))
            elif any(w[:1].isupper() for w in piece.split()) and node.label != "Park":
                variants.add(fold(piece))
    if node.label == "Park":
        for n in [base, *node.props.get("names", [])]:
            variants.add(" ".join(_PARK_WORDS.sub(" ", n).split()))
        leading = re.match(r"(?:[A-Z][^\W\d_]*\s?)+", BRACKETS.sub(" ", name))  # "Guitang Group sugar complex"
        if leading:
            run = fold(leading.group(0)).split()
            variants.add(" ".join(run))
            if run[0] not in vocabulary:
                variants.add(run[0])
    return {v for v in variants if len(v) >= 4}, acronyms


def lowercase_words(nodes: Iterable[NodeRecord]) -> set[str]:
    """Words the knowledge base writes in lower case somewhere (so common words, not proper names).

    Only the linked kinds count: other nodes (exchanges, sources) carry ids such as "ex:kilpilahti-neste-steam"
    as their label, whose words are not prose.
    """
    seen: set[str] = set()
    for node in nodes:
        if node.label not in LINKED_LABELS:
            continue
        props = node.props
        for text in [props.get("label_en", ""), *props.get("synonyms_en", []), props.get("description", "")]:
            seen.update(fold(w) for w in re.findall(r"[^\W\d_]+", str(text)) if w.islower())
    return seen


def proper_prefixes(label: str, vocabulary: set[str]) -> list[str]:
    """Folded leading proper names of a company label: "Showa Denko (now Resonac)" -> "showa", "showa denko".

    The capitalised words the label starts with, when the first is never written in lower case elsewhere.
    """
    run = []
    for token in BRACKETS.sub(" ", label).replace(",", " , ").split():
        if not token[:1].isupper():
            break
        run.append(token)
    first = fold(run[0]) if run else ""
    if not first or any(w in vocabulary for w in first.split()):
        return []
    return [fold(" ".join(run[:k])) for k in range(1, len(run) + 1)]


def alias_names(nodes: Iterable[NodeRecord], vocabulary: set[str]) -> list[tuple[str, set[str], set[str]]]:
    """The short names (`name_variants`) the linker may use for parks and companies: (IRI, names, acronyms).

    Parks come first, as a place's name in a company's brackets ("BP Refinery (Kwinana)") names the place. A name
    two parks share is a region ("Guangxi", "Shandong"), and a park's name is not a company's. A park's one-word
    name is neither a common word ("port") nor a word of another park's names.
    """
    variants = [(node, *name_variants(node, vocabulary)) for node in nodes if node.label in ("Company", "Park")]
    variants.sort(key=lambda v: v[0].label != "Park")
    park_count = Counter(n for node, names, _ in variants if node.label == "Park" for n in names)
    park_words = {
        node.iri: {w for n in node.props.get("names", []) for w in n.split()}
        for node, _, _ in variants
        if node.label == "Park"
    }
    found = []
    for node, names, acronyms in variants:
        names = names - {n for n, k in park_count.items() if k > 1 or node.label == "Company"}
        if node.label == "Park":
            names = {
                n
                for n in names
                if " " in n
                or (n not in vocabulary and not any(n in ws for iri, ws in park_words.items() if iri != node.iri))
            }
        found.append((node.iri, names, acronyms))
    return found


def park_names(nodes: Iterable[NodeRecord], vocabulary: set[str]) -> set[str]:
    """Every short name of every park (before `alias_names` drops the shared and common ones)."""
    return {n for node in nodes if node.label == "Park" for n in name_variants(node, vocabulary)[0]}
