"""Deterministic routing of a chat question: which entities it names and which tool its form asks for.

Entities come from the retrieval entity linker plus a small question index of name variants people type in
questions: a label without its bracketed part ("Red mud" for "Red mud (bauxite residue)"), the bracketed part
itself, and a park's first distinctive word ("Ulsan"). The form is read from folded text (lower case, no
diacritics) with English and Vietnamese cue words; entities refine it (a question naming a park and asking "who"
wants precedents there; "what does a sugar mill produce" wants the industry's outputs).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ontology.records import compact_iri
from ontology.text import fold
from retrieval.linking import EntityLinker

__all__ = ["Plan", "QuestionIndex", "detect_language", "plan"]


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(parts) + r")\b")


_OPPORTUNITY = _rx(r"suggest\w*", r"recommend\w*", r"opportunit\w*", "ideas? for",
                   r"which exchanges (make|could|would)", "what exchanges could", r"tenants?", "we have",
                   "our park has", "tenant list", "goi y", "de xuat",
                   "co hoi", "danh sach doanh nghiep", "co the cong sinh", "cong sinh (gi|nhung gi)")  # fmt: skip
_HAZARD = _rx(r"hazard\w*", "dangerous", "toxic", "ewc", r"(waste )?codes?", "nguy hai", "ma chat thai", "ma",
              "doc hai")  # fmt: skip
_PRECEDENT = _rx(r"exchang\w*", r"precedents?", "documented", "has anyone", "have any parks?", "anyone", r"examples?",
                 r"received?", "trao doi", "tien le", "da co", "ai nhan", "ai cung cap", "vi du")  # fmt: skip
_WHO = _rx("who", "which (company|companies|firms?|tenants?)", "ai")
_PRODUCER = _rx(r"produc\w*", r"generat\w*", "comes? from", "come out", "sources? of", "where does",
                r"by-?products?", r"residues?", "sinh ra", "phat sinh", "thai ra", "tao ra", "nguon")  # fmt: skip
_ASKS_SOURCE = _rx(r"(which|what) (industr\w*|sectors?|process\w*|plants?|factories|activit\w*)", "who", "where",
                   "nganh nao", "nganh san xuat nao", "tu dau")  # fmt: skip
_USE = _rx("use", "used", "uses", "usage", r"reuse\w*", r"recycl\w*", "do with", r"valori\w*", r"outlets?",
           "turned into", "take", "instead of", "su dung", "dung", "tan dung", "tai che", "tai su dung", "lam gi",
           "xu ly")  # fmt: skip
_DESCRIBE = _rx("what is", "what are", "tell me about", "who is", "describe", "where is", "la gi", "gioi thieu",
                "thong tin", "o dau")  # fmt: skip
_CYPHER = re.compile(r"^\s*(match|optional match|call|return|with|unwind)\b", re.IGNORECASE)
_DOMAIN = _rx(r"wastes?", r"by-?products?", r"residues?", "symbiosis", r"exchang\w*", "eco-?industrial", r"recycl\w*",
              "reuse", r"emissions?", "co2", "wastewater", "effluent", "sludge", "heat", "steam", "circular",
              "decree", "chat thai", "cong nghiep", "tai che", "khu cong nghiep", "sinh thai", "nghi dinh",
              "thong tu")  # fmt: skip
_VI_WORDS = _rx("la gi", "nhung", "co the", "duoc", "khong", "nao", "cua", "cho", "nha may", "chat thai", "lam gi")
_VI_CHARS = re.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"\s*(?:[,;\n]|\band\b|\bplus\b|\bva\b|\bvà\b|\d+[.)]\s)\s*", re.IGNORECASE)
_TENANT_LEAD = re.compile(r"^(?:-|\*|a|an|the|one|two|three|four|several|some|\d+(?:\s*x)?)\s+", re.IGNORECASE)
# Words that are labels or synonyms of something but, in a question, nearly always mean something else.
_QUESTION_NOISE = {"produce", "product", "products", "use", "uses", "waste", "wastes", "residue", "residues",
                   "by product", "by products", "plant", "plants", "mill", "factory", "park", "water"}  # fmt: skip
_GENERIC_FIRST = {"industry", "industrial", "industri", "national", "chemical", "eco-industrial", "green", "north",
                  "south", "east", "west", "central", "greater", "port", "new"}  # fmt: skip
_BRACKETS = re.compile(r"\s*\(([^)]*)\)")


def detect_language(text: str) -> str:
    """'vi' when the text has Vietnamese letters or common Vietnamese words, else 'en'."""
    if _VI_CHARS.search(text) or _VI_WORDS.search(fold(text)):
        return "vi"
    return "en"


@dataclass(frozen=True, slots=True)
class Plan:
    """What the router decided: the tool to use and the entities, by kind ('mat', 'ind', 'park', ...)."""

    intent: str
    entities: dict[str, list[str]]
    tenants: tuple[str, ...] = ()
    follow_up: bool = False

    def first(self, kind: str) -> str | None:
        """The first entity of a kind, or None."""
        found = self.entities.get(kind)
        return found[0] if found else None


class QuestionIndex:
    """Entity names as people type them in questions, on top of the linker's labels and synonyms."""

    def __init__(self, linker: EntityLinker) -> None:
        self.linker = linker
        self.labels = {n.iri: str(n.props.get("label_en") or n.iri) for n in linker.entities}
        variants: dict[str, set[str]] = defaultdict(set)
        first_words: dict[str, set[str]] = defaultdict(set)
        for node in linker.entities:
            for label in (node.props.get("label_en"), node.props.get("label_vi")):
                if not label or "(" not in str(label):
                    continue
                variants[fold(_BRACKETS.sub(" ", str(label)))].add(node.iri)
                for inner in _BRACKETS.findall(str(label)):
                    variants[fold(inner)].add(node.iri)
            if node.label == "Park":
                words = fold(str(node.props.get("label_en", ""))).split()
                if words and len(words[0]) >= 5:
                    first_words[words[0]].add(node.iri)
        common = {w for n in linker.entities if n.label not in ("Park", "Company")
                  for w in fold(str(n.props.get("label_en", ""))).split()}  # fmt: skip
        for word, iris in first_words.items():
            if word not in common and word not in _GENERIC_FIRST:
                variants[word] = set(iris)  # the park wins over a company "(Ulsan)"
        # a variant naming several entities, or too short to be safe, is dropped
        self.variants = {v: next(iter(i)) for v, i in variants.items() if len(i) == 1 and len(v) >= 4}
        self.longest = max((len(v.split()) for v in self.variants), default=1)

    def entities(self, question: str) -> dict[str, list[str]]:
        """Entities named in the question by kind; a longer name wins over a name inside it."""
        found_surfaces = [(fold(m.surface), m.entity_iri, m.score) for m in self.linker.link([question])[0]]
        words = re.findall(r"\w+", fold(question))
        for n in range(self.longest, 0, -1):
            for i in range(len(words) - n + 1):
                phrase = " ".join(words[i : i + n])
                if phrase in self.variants:
                    found_surfaces.append((phrase, self.variants[phrase], 0.9))
        surfaces = [s for s, _, _ in found_surfaces]
        found: dict[str, list[str]] = {}
        for surface, iri, _score in sorted(found_surfaces, key=lambda t: (-len(t[0]), -t[2])):
            if surface in _QUESTION_NOISE:
                continue
            if any(surface != other and f" {surface} " in f" {other} " for other in surfaces):
                continue
            kind = compact_iri(iri).split(":", 1)[0]
            if iri not in found.setdefault(kind, []):
                found[kind].append(iri)
        return found


def _tenants(question: str, entities: dict[str, list[str]], index: QuestionIndex) -> tuple[str, ...]:
    """The tenants of a pasted list ("...: a brewery, a cement plant and a power plant"), one phrase each."""
    _, sep, tail = question.partition(":")
    text = tail if sep else question
    if not sep:
        match = re.search(r"\b(?:with|for|of|have|has|gom|gồm|có)\b(.*)$", question, re.IGNORECASE)
        text = match.group(1) if match else question
    text = re.split(r"[.?!]\s+(?=[A-Z])|\?\s*", text)[0] if not sep else re.split(r"\n\s*\n|\?", text)[0]
    items = [_TENANT_LEAD.sub("", i.strip(" .?!-*\t")).strip() for i in _LIST_SPLIT.split(text)]
    items = [i for i in items if len(i) >= 3]
    if len(items) >= 2:
        return tuple(items[:60])
    return tuple(index.labels[i] for kind in ("ind", "proc") for i in entities.get(kind, []) if i in index.labels)


def _intent(folded: str, entities: dict[str, list[str]]) -> str:
    kinds = set(entities)
    industries = len(entities.get("ind", [])) + len(entities.get("proc", []))
    if _OPPORTUNITY.search(folded) and (industries >= 2 or "\n" in folded or "," in folded or "park" in kinds):
        return "opportunities"
    if _HAZARD.search(folded) and "mat" in kinds:
        return "hazard"
    named_place = kinds & {"park", "co"}
    if _PRECEDENT.search(folded) or (named_place and _WHO.search(folded)):
        return "precedents"
    if _PRODUCER.search(folded) and ("mat" in kinds or "ind" in kinds or "proc" in kinds):
        if "mat" in kinds and (_ASKS_SOURCE.search(folded) or not ({"ind", "proc"} & kinds)):
            return "producers"
        if {"ind", "proc"} & kinds:
            return "outputs"
    if _USE.search(folded) or _WHO.search(folded):
        return "uses"
    if _PRODUCER.search(folded):
        return "producers"
    if _DESCRIBE.search(folded):
        return "describe"
    return ""


def plan(question: str, index: QuestionIndex, previous: Plan | None = None) -> Plan:
    """Route a question; a bare follow-up ("and slag?") reuses the last turn's intent or entities."""
    if _CYPHER.match(question):
        return Plan("cypher", {})
    folded = fold(question)
    entities = index.entities(question)
    intent = _intent(folded, entities)
    follow_up = False
    if previous is not None and previous.intent not in ("out_of_scope", "cypher", "passages"):
        if not entities and len(folded.split()) <= 12 and intent in ("", "describe"):
            return Plan(previous.intent, previous.entities, previous.tenants, follow_up=True)
        if not intent and entities and len(folded.split()) <= 6:
            intent, follow_up = previous.intent, True
    if intent == "opportunities":
        return Plan(intent, entities, _tenants(question, entities, index), follow_up)
    if not entities:
        return Plan("passages" if _DOMAIN.search(folded) else "out_of_scope", {}, (), follow_up)
    return Plan(intent or "describe", entities, (), follow_up)
