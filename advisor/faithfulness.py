"""Check that a language model's wording says nothing the evidence does not.

A reworded answer passes only if every number, every knowledge-base entity and every capitalised name in it can
be found in the grounded answer or its evidence, every citation `[n]` points to a piece of evidence, and it does
not echo instructions. The check is deliberately strict: a false alarm costs only the nicer wording (the grounded
answer is shown instead); a miss would show a park board an invented company or figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ontology.records import compact_iri
from ontology.text import fold
from retrieval.linking import EntityLinker

__all__ = ["CITATION", "FaithfulnessReport", "check_faithfulness"]

_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*(?:\s?%)?")
CITATION = re.compile(r"\[(\d+)\]")
# Capitalised word runs (2+ letters each) that are not at the start of a sentence: candidate proper names.
_NAME = re.compile(r"(?<![.!?:\n]\s)(?<!^)\b([A-Z][\w&'-]+(?:\s+[A-Z][\w&'-]+)*)")
_ECHO = re.compile(r"(ignore (all |any )?(previous|prior) instructions|system prompt|as an ai)", re.IGNORECASE)
_PROMPT_FORMAT = re.compile(r"<<<|>>>|^\s*(QUESTION|ANSWER|EVIDENCE):", re.MULTILINE)
_COMMON = {
    "i", "the", "this", "that", "these", "it", "its", "they", "there", "in", "on", "for", "a", "an", "and", "or",
    "yes", "no", "note", "however", "also", "both", "each", "eco", "industrial", "park", "parks", "ewc",
    "vietnam", "viet", "nam", "co2", "isic", "vsic", "symbiosis", "advisor", "source", "sources", "evidence",
    "documented", "based", "according", "knowledge", "base", "graph", "summary", "answer", "here", "we", "you",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FaithfulnessReport:
    """The verdict and, when it fails, each problem found (for logs and the UI)."""

    ok: bool
    problems: list[str] = field(default_factory=list)


def _numbers(text: str) -> set[str]:
    out = set()
    for raw in _NUMBER.findall(text):
        digits = re.sub(r"[,\s%]", "", raw).rstrip(".")
        if digits.endswith(".0"):
            digits = digits[:-2]
        if digits:
            out.add(digits)
    return out


def check_faithfulness(
    text: str,
    evidence_texts: Iterable[str],
    *,
    linker: EntityLinker | None = None,
    allowed_entities: Iterable[str] = (),
    citations: int = 0,
    reference: str | None = None,
) -> FaithfulnessReport:
    """Does ``text`` stay within the evidence?

    Args:
        text: the language model's answer.
        evidence_texts: the grounded answer and every evidence summary and source.
        linker: finds knowledge-base entities in the answer; each must be allowed or named in the evidence.
        allowed_entities: IRIs or compact ids the evidence is about.
        citations: how many pieces of evidence `[n]` may refer to.
        reference: the grounded answer; a rewording far longer than it is rejected (rambling, repetition).
    """
    problems: list[str] = []
    if len(text.strip()) < 20:
        problems.append("the answer is empty or too short")
    corpus = "\n".join(evidence_texts)
    folded_corpus = f" {fold(corpus)} "
    missing = sorted(_numbers(text) - _numbers(corpus) - {str(n) for n in range(1, citations + 1)})
    if missing:
        problems.append(f"numbers not in the evidence: {', '.join(missing[:5])}")
    refs = {int(n) for n in CITATION.findall(text)}
    bad_refs = sorted(n for n in refs if not 1 <= n <= citations)
    if bad_refs:
        problems.append(f"citations to evidence that does not exist: {bad_refs}")
    if _ECHO.search(text) or _PROMPT_FORMAT.search(text):
        problems.append("the answer echoes instructions or the prompt instead of answering")
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) > 10]
    if lines and max(lines.count(line) for line in lines) >= 3:
        problems.append("the answer repeats itself")
    if reference is not None and len(text) > 2.5 * len(reference) + 150:
        problems.append(f"the answer is much longer ({len(text):,} characters) than the grounded one")
    if linker is not None:
        allowed = {compact_iri(a) if a.startswith("http") else a for a in allowed_entities}
        allowed |= {compact_iri(m.entity_iri) for m in linker.link([corpus])[0]}
        for mention in linker.link([text])[0]:
            cid = compact_iri(mention.entity_iri)
            if cid not in allowed and f" {fold(mention.surface)} " not in folded_corpus:
                problems.append(f"names {mention.surface!r} ({cid}), which is not in the evidence")
    for name in dict.fromkeys(_NAME.findall(text)):
        words = [w for w in fold(name).split() if w not in _COMMON]
        if words and f" {' '.join(words)} " not in folded_corpus and not all(f" {w} " in folded_corpus for w in words):
            problems.append(f"names {name!r}, which is not in the evidence")
    return FaithfulnessReport(not problems, problems[:8])
