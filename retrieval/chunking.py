"""Split text into overlapping, sentence-aligned chunks that fit the embedding model's window.

Sentences are never cut; a chunk holds whole sentences up to ``max_words`` and the next chunk starts with the
last ``overlap`` sentences of the previous one, so a fact at a boundary is found from either side. Markdown
headings start a new chunk and are kept as the chunk's ``section``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Chunk", "chunk_text", "split_sentences"]

# A sentence ends at . ! ? or … followed by space and an upper-case letter, digit, quote or bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-ZÀ-ỸĐ0-9])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "et al.", "approx.", "no.", "fig.", "vs.", "dr.", "mr.", "ms.", "co.", "ltd.")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a document ready to embed."""

    ordinal: int
    text: str
    section: str


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, keeping common abbreviations intact."""
    pieces = _SENTENCE_END.split(paragraph.strip())
    sentences: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if sentences and sentences[-1].lower().endswith(_ABBREVIATIONS):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """(section heading, sentences) runs; a heading line starts a new run."""
    runs: list[tuple[str, list[str]]] = [("", [])]
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if not para:
            continue
        if para.startswith("#"):
            heading, _, rest = para.partition("\n")
            runs.append((heading.lstrip("#").strip(), []))
            para = rest.strip()
            if not para:
                continue
        lines = " ".join(line.strip() for line in para.splitlines())
        runs[-1][1].extend(split_sentences(lines))
    return [(h, s) for h, s in runs if s]


def _words(sentence: str) -> int:
    return len(sentence.split())


def chunk_text(text: str, *, max_words: int = 150, overlap: int = 1) -> list[Chunk]:
    """Chunks of at most ``max_words`` words (a single longer sentence is split on words), with overlap."""
    chunks: list[Chunk] = []
    for section, sentences in _blocks(text):
        expanded: list[str] = []
        for s in sentences:
            words = s.split()
            if len(words) <= max_words:
                expanded.append(s)
            else:
                expanded.extend(" ".join(words[i : i + max_words]) for i in range(0, len(words), max_words))
        start = 0
        while start < len(expanded):
            end, size = start, 0
            while end < len(expanded) and (size + _words(expanded[end]) <= max_words or end == start):
                size += _words(expanded[end])
                end += 1
            body = " ".join(expanded[start:end])
            chunks.append(Chunk(len(chunks), body, section))
            if end >= len(expanded):
                break
            start = max(end - overlap, start + 1)
    return chunks
