"""Words of a passage for the entity linker: their forms, what separates them, and the passage's language.

The linker matches names on folded forms (no case, no diacritics), but some decisions need the original: a
capitalised word is a proper name and keeps its final "s" ("van Beers"), a Vietnamese syllable means different
things with different marks ("bia" beer, "bìa" cardboard), and "coal-fired" is one adjective, not the word "coal".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ontology.text import fold

__all__ = [
    "ADJECTIVE_SUFFIXES",
    "BRACKETS",
    "Word",
    "british",
    "citation_words",
    "in_proper_name",
    "language",
    "marked",
    "normalise",
    "normalise_word",
    "short_names",
    "words",
]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words for a site that people use interchangeably ("power station" = "power plant"); compared as one word.
SITE_WORDS = {"station": "plant", "stations": "plant", "works": "plant", "factory": "plant", "factories": "plant",
              "facility": "plant", "facilities": "plant", "plants": "plant"}  # fmt: skip
# One-word sites written as two words when matching: "steelworks" is "steel works", so the site rules see its head.
_COMPOUND_SITES = {"steelworks": "steel works", "steelwork": "steel works", "ironworks": "iron works",
                   "gasworks": "gas works", "sawmill": "saw mill", "sawmills": "saw mills",
                   "papermill": "paper mill", "papermills": "paper mills"}  # fmt: skip


def _split_compounds(folded: str) -> str:
    return " ".join(_COMPOUND_SITES.get(w, w) for w in folded.split())


# Letters only Vietnamese uses among the languages of the corpus (tone marks and the modified vowels).
_VI_LETTERS = set("ăâđêôơưàảãạằẳẵặầẩẫậèẻẽẹềểễệìỉĩịòỏõọồổỗộờởỡợùủũụừửữựỳỷỹỵ")
_EN_FUNCTION = {"the", "and", "of", "to", "in", "is", "are", "was", "a", "an", "for", "with", "from", "by", "its"}


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a passage.

    Attributes:
        text: as written.
        marked: lower case with diacritics kept (NFC), for Vietnamese names.
        key: folded, site words unified and an English plural reduced; what names are matched on.
        plural: the word was an English plural the key reduced.
        sep: the characters between the previous word and this one ("" for the first word).
    """

    text: str
    marked: str
    key: str
    plural: bool
    sep: str


def marked(text: str) -> str:
    """Lower case with diacritics kept and spacing collapsed: the form Vietnamese names are compared in."""
    return " ".join(m.group(0) for m in _WORD.finditer(unicodedata.normalize("NFC", text).casefold()))


# American spellings read as British ones, so "sulfur", "fertilizer" and "aluminum" match the names as written.
_SPELLINGS = {"aluminum": "aluminium", "fiber": "fibre", "fibers": "fibres", "vapor": "vapour", "center": "centre",
              "centers": "centres", "liter": "litre", "liters": "litres", "mold": "mould"}  # fmt: skip
_US_IZE = re.compile(r"(?<=\w{3})iz(?=(?:e|er|ers|ed|es|ing|ation|ations)$)")


def british(folded: str) -> str:
    """The British spelling of a folded English word: "sulfuric" -> "sulphuric", "fertilizer" -> "fertiliser"."""
    w = _SPELLINGS.get(folded, folded)
    if "sulf" in w:
        w = w.replace("sulf", "sulph")
    return _US_IZE.sub("is", w) if "iz" in w else w  # the check spares most words the regex


def normalise_word(folded: str, *, proper: bool = False) -> tuple[str, bool]:
    """A folded word's key and whether it was a plural: British spelling, site words unified, "plants" -> "plant".

    A proper name (``proper``) keeps its last letter: "Beers" is a surname, not beer.
    """
    folded = folded if proper else british(folded)
    w = SITE_WORDS.get(folded, folded)
    plural = w != folded and folded.endswith("s") and folded != "works"  # "the works" may be one site
    if not proper and len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is", "gas")):
        w, plural = w[:-1], True
    if w.endswith("ie") and plural and len(w) > 5:  # "refineries" -> "refinerie" -> "refinery"
        w = w[:-2] + "y"
    return w, plural


def normalise(folded: str) -> str:
    """Folded text with site words unified and simple English plurals reduced ("cement plants" -> "cement plant")."""
    return " ".join(normalise_word(w)[0] for w in _split_compounds(folded).split())


def words(text: str) -> list[Word]:
    """The words of ``text`` with their forms; a word folds to one or more keys ("Ørsted" -> "orsted")."""
    out: list[Word] = []
    end = 0
    for m in _WORD.finditer(text):
        raw = m.group(0)
        sep = text[end : m.start()] if out else ""
        end = m.end()
        proper = raw[:1].isupper() and bool(out) and not _sentence_start(sep)
        for i, piece in enumerate(_split_compounds(fold(raw)).split()):
            key, plural = normalise_word(piece, proper=proper)
            out.append(Word(raw, marked(raw), key, plural, sep if i == 0 else ""))
    return out


def _sentence_start(sep: str) -> bool:
    return any(c in sep for c in ".!?:\n*•")


def language(ws: list[Word]) -> str:
    """``vi`` for Vietnamese with its marks, ``en`` for English, ``""`` when unsure (short or unmarked text)."""
    if not ws:
        return ""
    vi = sum(any(c in _VI_LETTERS for c in w.marked) for w in ws)
    en = sum(w.key in _EN_FUNCTION for w in ws)
    if vi >= max(2, len(ws) // 8):
        return "vi"
    if en >= max(2, len(ws) // 12):
        return "en"
    return ""


# "coal-fired", "grain-based", "alcohol-free": the first word describes the next noun and is not mentioned itself
ADJECTIVE_SUFFIXES = {"fired", "based", "free", "rich", "derived", "like", "type", "fuelled", "fueled"}
BRACKETS = re.compile(r"\s*\(.*?\)\s*")  # a bracketed aside: "(upgraded biogas)", "(Puerto Rico)"
# what a kind-of-thing name may end with without changing what it names ("oxygen gas", "diesel fuel")
_GENERIC_TAILS = {"gas", "fuel", "waste", "wastes", "stream", "streams"}
# words that start a qualifying clause ("digestate from anaerobic digestion", "residue used as fuel")
_FUNCTION_WORDS = {"and", "or", "of", "the", "a", "an", "to", "in", "on", "by", "s"}
_CLAUSE = re.compile(r"\s+\b(?:from|used|containing|for|after|before|below|above|with)\b.*$")


def short_names(label: str) -> set[str]:
    """Shorter forms of an English entity label that people write for the same thing.

    "Biomethane (upgraded biogas)" -> "biomethane"; "Digestate from anaerobic digestion" -> "digestate";
    "Oxygen gas" -> "oxygen"; "Plastic packaging waste" -> "plastic packaging"; "Sugar mill filter mud" ->
    "mill filter mud", "filter mud" (the two-word and longer tails). The caller keeps a form only when no other
    entity has it as a name or a form, so a form never makes a name ambiguous.
    """
    base = fold(_CLAUSE.sub("", BRACKETS.sub(" ", label)))
    forms = {base}
    parts = base.split()
    if len(parts) >= 2 and parts[-1] in _GENERIC_TAILS:
        forms.add(" ".join(parts[:-1]))
    if not {"and", "or"} & set(parts):  # "causticising and lime kiln": "lime kiln" is not its name
        forms.update(  # not from the second half of a hyphenated adjective: "bagasse-fired cogeneration"
            " ".join(parts[start:])
            for start in range(1, len(parts) - 1)
            if parts[start] not in _FUNCTION_WORDS | ADJECTIVE_SUFFIXES
        )
    return {f for f in forms if f and f != fold(label)}


_YEAR = re.compile(r"(1[89]|20)\d\d[a-z]?")
# words that open a parenthesis about time or quantity, not a source: "(from 1987)", "(about 17,000 t in 2007)"
_NOT_A_SOURCE = {"from", "in", "since", "until", "till", "by", "after", "before", "about", "around", "c", "ca",
                 "circa", "to", "for", "between", "up", "as", "of", "at", "per", "each", "e", "i", "ie", "eg",
                 "approx", "approximately", "over", "under", "mid", "early", "late", "end"}  # fmt: skip


def in_proper_name(ws: Sequence[Word], start: int, end: int) -> bool:
    """Whether the words ``ws[start:end]`` are capitalised inside a longer proper name, not at a sentence start.

    "Halifax Regional Municipality", "China Steel Corporation", "Svensk Biogas": a common noun written with a
    capital next to other capitalised words is part of a name. Acronyms ("Dunkirk LNG terminal") are not.
    """
    span = ws[start:end]
    if not all(w.text[:1].isupper() and not w.text.isupper() for w in span):
        return False
    if start == 0 or _sentence_start(span[0].sep):
        return False
    before = ws[start - 1].text[:1].isupper() and span[0].sep == " "
    after = end < len(ws) and ws[end].text[:1].isupper() and ws[end].sep == " "
    return before or after


def citation_words(ws: list[Word]) -> set[int]:
    """Indexes of the words inside a bracketed citation: "(Ørsted 2018)", "(NAP 1997; Jacobsen 2006)".

    A part of a bracket (split at ";") is a citation when a year ends its first eight words or is followed by a
    comma ("(symbiosis.dk 2022, "Green energy")"), and it does not open with a word of time or quantity ("(from
    1987)" is a date, not a source).
    """
    cited: set[int] = set()
    part: list[int] = []
    depth = 0

    def close() -> None:
        years = [k for k, i in enumerate(part[:8]) if _YEAR.fullmatch(ws[i].text)]
        if years and ws[part[0]].key not in _NOT_A_SOURCE:
            y = years[0]
            if y == len(part) - 1 or ws[part[y + 1]].sep.strip()[:1] in (",", ":"):
                cited.update(part)
        part.clear()

    for i, w in enumerate(ws):
        for c in w.sep:
            if c == "(":
                depth += 1
                part.clear()
            elif c == ")":
                close()
                depth = max(0, depth - 1)
            elif c == ";" and depth:
                close()
        if depth:
            part.append(i)
    close()  # a bracket the passage ends in
    return cited
