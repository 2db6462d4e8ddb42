"""Find knowledge-base entities by name or code, in English or Vietnamese, with or without diacritics.

A user types "cement plant", "nhà máy xi măng", "nha may xi mang", "ISIC 2394" or "thach cao FGD"; the lexicon
returns the matching entities with a score and the method that matched:

- ``code``: an ISIC Rev.4 or VSIC 2018 code (a 4-digit class falls back to its group and division);
- ``exact``: a label or synonym, folded (case, diacritics, punctuation ignored);
- ``normalised``: the same after dropping words like "plant", "factory", "nhà máy", "công ty", "JSC";
- ``fuzzy``: close spelling (typos), by character similarity over candidates sharing a word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from ontology.records import NodeRecord
from ontology.text import fold

__all__ = ["Lexicon", "Match"]

# Words that name a facility or a legal form rather than what it does.
_GENERIC = {
    "plant", "factory", "facility", "works", "company", "co", "ltd", "jsc", "inc", "corp", "corporation",
    "limited", "group", "the", "a", "an", "of", "tnhh", "manufacturer", "producer", "industry", "industries",
}  # fmt: skip
_STOP = {"and", "with", "from", "for", "the", "incl", "including", "other", "products", "manufacturing", "production"}
# Vietnamese words are syllables ("xi" alone is not generic, "xi nghiep" is), so these go as whole phrases.
_GENERIC_PHRASES = ("nha may", "cong ty", "xi nghiep", "co phan", "san xuat", "nganh")
_CODE = re.compile(r"^(?:(isic|vsic)\s*(?:rev\s*4\s*)?)?([0-9]{2,5})$")
_NAMED_LABELS = ("Industry", "Process", "Material", "Park", "Company")
Keep = Callable[[Iterable[tuple[str, str, str]], float, str], None]


@dataclass(frozen=True, slots=True)
class Match:
    """One entity a text may refer to."""

    iri: str
    label: str
    name: str
    score: float
    method: str


def _strip_generic(folded: str) -> str:
    text = f" {folded} "
    for phrase in _GENERIC_PHRASES:
        text = text.replace(f" {phrase} ", " ")
    return " ".join(w for w in text.split() if w not in _GENERIC)


class Lexicon:
    """An in-memory index of entity names and codes built from node records."""

    def __init__(self, nodes: Iterable[NodeRecord]) -> None:
        self._names: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self._stripped: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self._by_word: dict[str, set[str]] = defaultdict(set)
        self._codes: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.labels: dict[str, str] = {}
        for node in nodes:
            if node.label not in _NAMED_LABELS:
                continue
            self.labels[node.iri] = node.label
            display = str(node.props.get("label_en", node.iri))
            for name in node.props.get("names", []):
                entry = (node.iri, node.label, name)
                self._names[name].append(entry)
                stripped = _strip_generic(name)
                if stripped and stripped != name:
                    self._stripped[stripped].append(entry)
                for word in name.split():
                    self._by_word[word].add(name)
            for key in ("isic", "vsic"):
                code = node.props.get(key)
                if code:
                    self._codes[str(code)].append((node.iri, node.label, f"{key.upper()} {code}: {display}"))

    def __len__(self) -> int:
        return len(self.labels)

    def lookup(self, text: str, *, labels: Iterable[str] | None = None, limit: int = 5) -> list[Match]:
        """Best matches for ``text``, optionally only entities with one of ``labels``; best first."""
        wanted = set(labels) if labels else None
        folded = fold(text)
        if not folded:
            return []
        found: dict[str, Match] = {}

        def keep(entries: Iterable[tuple[str, str, str]], score: float, method: str) -> None:
            for iri, label, name in entries:
                if wanted is not None and label not in wanted:
                    continue
                if iri not in found or found[iri].score < score:
                    found[iri] = Match(iri, label, name, round(score, 3), method)

        code = _CODE.match(folded.replace(" ", "")) or _CODE.match(folded)
        if code:
            self._by_code(code.group(2), keep)
        keep(self._names.get(folded, []), 1.0, "exact")
        stripped = _strip_generic(folded)
        if stripped and not found:
            keep(self._names.get(stripped, []), 0.95, "normalised")
            keep(self._stripped.get(stripped, []), 0.9, "normalised")
        if stripped and not found:
            self._partial(stripped, keep)
        if stripped and not found:
            self._fuzzy(stripped, keep)
        if stripped and not found:
            self._overlap(stripped, keep)
        return sorted(found.values(), key=lambda m: (-m.score, m.name, m.iri))[:limit]

    def _by_code(self, digits: str, keep: Keep) -> None:
        """Exact code first; else the codes sharing its group (3 digits) or division (2 digits)."""
        if self._codes.get(digits):
            keep(self._codes[digits], 1.0, "code")
            return
        for n, score in ((3, 0.8), (2, 0.6)):
            if len(digits) > n:
                related = [e for code, entries in self._codes.items() if code[:n] == digits[:n] for e in entries]
                if related:
                    keep(related, score, "code")
                    return

    def _partial(self, query: str, keep: Keep) -> None:
        """Names that contain every word of the query ("Kalundborg" in "Kalundborg Symbiosis")."""
        words = query.split()
        pools = [self._by_word.get(w, set()) for w in words]
        if not words or not all(pools):
            return
        for name in set.intersection(*pools):
            coverage = len(query) / max(len(name), 1)
            keep(self._names[name], 0.6 + 0.3 * coverage, "partial")

    def _overlap(self, query: str, keep: Keep) -> None:
        """Last resort for long descriptions: names sharing most of their words with the query.

        "port logistics and warehousing" finds "warehousing and logistics": score 0.7 x the share of the name's
        content words found in the query, when at least two content words and half the name are shared.
        """
        words = {w for w in query.split() if len(w) > 3 and w not in _GENERIC and w not in _STOP}
        candidates: set[str] = set()
        for w in words:
            candidates |= self._by_word.get(w, set())
        for name in candidates:
            content = {w for w in name.split() if len(w) > 3 and w not in _GENERIC and w not in _STOP}
            shared = content & words
            if len(shared) >= 2 and len(shared) / len(content) >= 0.5:
                keep(self._names[name], round(0.7 * len(shared) / len(content), 3), "overlap")

    def _fuzzy(self, query: str, keep: Keep) -> None:
        candidates: set[str] = set()
        for word in query.split():
            if len(word) < 3:
                continue
            candidates |= self._by_word.get(word, set())
            for known in self._by_word:
                close = abs(len(known) - len(word)) <= 2 and known[:2] == word[:2]
                if close and SequenceMatcher(None, word, known).ratio() >= 0.8:
                    candidates |= self._by_word[known]
        scored = []
        for name in candidates:
            for target in {name, _strip_generic(name)}:
                ratio = SequenceMatcher(None, query, target).ratio()
                if ratio >= 0.75:
                    scored.append((ratio, name))
        for ratio, name in sorted(scored, reverse=True)[:20]:
            keep(self._names[name], 0.85 * ratio, "fuzzy")
