"""Text normalisation shared by every matcher: Vietnamese diacritics folded, case and spacing ignored."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["decode_bytes", "fold", "slugify"]

_SPACES = re.compile(r"[\s\-_/,;:()\[\]\"'’.]+")
# letters that Unicode does not decompose into a base letter plus a mark
_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss", "œ": "oe"})


def fold(text: str) -> str:
    """Lower-case ``text``, drop diacritics (``đ`` -> ``d``) and collapse punctuation and spaces.

    >>> fold("Nhà máy Xi-măng  Đồng Nai")
    'nha may xi mang dong nai'
    """
    text = text.translate(_LETTERS)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()


def slugify(text: str) -> str:
    """An ASCII slug for identifiers: ``"Tro bay than"`` -> ``"tro-bay-than"``."""
    return fold(text).replace(" ", "-")


def decode_bytes(raw: bytes) -> str | None:
    """Text from bytes: UTF-8 (with or without BOM) first, else the most likely encoding; None if none fits."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        return None if best is None else str(best)
