"""Noun phrases that name an entity by some of its name's words: "granulated slag" for "Granulated blast furnace slag".

Writers shorten long names by dropping inner words. A phrase of two to four content words is read as such a
shortening when its words occur in that order in one name of a material, industry or process, and it ends in that
name's last word (its head: "granulated slag" is a slag, never a "slag granulator"). Only a phrase that fits one
entity best (the fewest words left out) is linked; a tie says the phrase is too vague to name either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ontology.records import NodeRecord
from ontology.text import fold
from retrieval.linking_rules import HEADS
from retrieval.linking_text import Word, normalise

__all__ = ["PartialNames"]

_KINDS = ("Material", "Industry", "Process")
_MAX_WORDS = 4
# words that never start or fill a shortened name
_FUNCTION = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "by", "for", "from", "with", "as", "its",
             "their", "this", "that", "these", "is", "are", "was", "be", "s", "per", "all", "some", "each"}  # fmt: skip


def _in_order(part: tuple[str, ...], name: tuple[str, ...]) -> bool:
    """Whether the words of ``part`` occur in ``name`` in the same order (not necessarily next to each other)."""
    it = iter(name)
    return all(w in it for w in part)


class PartialNames:
    """Index of the English names of materials, industries and processes by their last word."""

    def __init__(self, entities: Iterable[NodeRecord], exact: set[str]) -> None:
        """``exact``: the names the linker matches whole; a phrase that is one of them is left to that match."""
        self._by_head: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self._exact = exact
        for node in entities:
            if node.label not in _KINDS:
                continue
            for name in [node.props.get("label_en", ""), *node.props.get("synonyms_en", [])]:
                words = tuple(normalise(fold(str(name))).split())
                if len(words) >= 2:
                    self._by_head[words[-1]].append((words, node.iri))

    def match(self, ws: Sequence[Word], start: int, end: int) -> str | None:
        """The one entity the phrase ``ws[start:end]`` shortens the name of, if there is one."""
        span = ws[start:end]
        if not 2 <= len(span) <= _MAX_WORDS or any(w.key in _FUNCTION or w.key.isdigit() for w in span):
            return None
        if any(w.sep.strip(" -") for w in span[1:]):
            return None  # punctuation inside: not one phrase
        part = tuple(w.key for w in span)
        if " ".join(part) in self._exact or part[-1] in HEADS:
            return None  # "recovery plant" is a site phrase (`retrieval.linking_rules`)
        best: dict[str, int] = {}
        for name, iri in self._by_head.get(part[-1], ()):
            if len(name) > len(part) and _in_order(part, name):
                best[iri] = min(best.get(iri, len(name)), len(name))
        if not best:
            return None
        fewest = min(best.values())
        winners = [iri for iri, n in best.items() if n == fewest]
        return winners[0] if len(winners) == 1 else None
