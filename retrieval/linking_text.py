"""Words of a passage for the entity linker: their forms, what separates them, and the passage's language.

The linker matches names on folded forms (no case, no diacritics), but some decisions need the original: a
capitalised word is a proper name and keeps its final "s" ("van Beers"), a Vietnamese syllable means different
things with different marks ("bia" beer, "bìa" cardboard), and "coal-fired" is one adjective, not the word "coal".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ontology.text import fold

__all__ = ["Word", "language", "marked", "normalise", "normalise_word", "short_names", "words"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words for a site that people use interchangeably ("power station" = "power plant"); compared as one word.
SITE_WORDS = {"station": "plant", "stations": "plant", "works": "plant", "factory": "plant", "factories": "plant",
              "facility": "plant", "facilities": "plant", "plants": "plant"}  # fmt: skip
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


def normalise_word(folded: str, *, proper: bool = False) -> tuple[str, bool]:
    """A folded word's key and whether it was a plural: site words unified, "plants" -> "plant".

    A proper name (``proper``) keeps its last letter: "Beers" is a surname, not beer.
    """
    w = SITE_WORDS.get(folded, folded)
    plural = w != folded and folded.endswith("s")
    if not proper and len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is", "gas")):
        w, plural = w[:-1], True
    if w.endswith("ie") and plural and len(w) > 5:  # "refineries" -> "refinerie" -> "refinery"
        w = w[:-2] + "y"
    return w, plural


def normalise(folded: str) -> str:
    """Folded text with site words unified and simple English plurals reduced ("cement plants" -> "cement plant")."""
    return " ".join(normalise_word(w)[0] for w in folded.split())


def words(text: str) -> list[Word]:
    """The words of ``text`` with their forms; a word folds to one or more keys ("Ørsted" -> "orsted")."""
    out: list[Word] = []
    end = 0
    for m in _WORD.finditer(text):
        raw = m.group(0)
        sep = text[end : m.start()] if out else ""
        end = m.end()
        proper = raw[:1].isupper() and bool(out) and not _sentence_start(sep)
        for i, piece in enumerate(fold(raw).split()):
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


_BRACKETS = re.compile(r"\s*\(.*?\)\s*")
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
    base = fold(_CLAUSE.sub("", _BRACKETS.sub(" ", label)))
    forms = {base}
    parts = base.split()
    if len(parts) >= 2 and parts[-1] in _GENERIC_TAILS:
        forms.add(" ".join(parts[:-1]))
    if not {"and", "or"} & set(parts):  # "causticising and lime kiln": "lime kiln" is not its name
        forms.update(
            " ".join(parts[start:]) for start in range(1, len(parts) - 1) if parts[start] not in _FUNCTION_WORDS
        )
    return {f for f in forms if f and f != fold(label)}
