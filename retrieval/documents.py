"""Read documents users give us (.md, .txt, .html, .pdf, .docx) into plain text with metadata.

Each reader is a proper parser for its format (YAML front matter, an HTML parser, pypdf, python-docx); text files
of unknown encoding are decoded with charset detection. Anything unusable raises `DocumentError` naming the file
and the reason, so a batch can report it and go on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from ontology.errors import DocumentError
from ontology.text import decode_bytes

__all__ = ["MAX_BYTES", "SUFFIXES", "ParsedDocument", "read_document"]

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
MAX_BYTES = 50 * 1024 * 1024  # a 50 MB report is already unusually large; beyond that, say so
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A document as text, with what we know about it."""

    path: Path
    doc_id: str
    title: str
    text: str
    content_hash: str
    language: str = "en"
    metadata: dict[str, Any] = field(default_factory=dict)


def _decode(raw: bytes, path: Path) -> str:
    text = decode_bytes(raw)
    if text is None:
        raise DocumentError(path, "not text: no character encoding fits (binary file?)")
    _reject_binary(text, path)
    return text


def _reject_binary(text: str, path: Path) -> None:
    sample = text[:20000]
    if not sample:
        return
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    if "\x00" in sample or controls / len(sample) > 0.02:
        raise DocumentError(path, "looks like binary data, not text")


class _TextFromHTML(HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "svg", "head"}
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        if tag in self._BLOCK:
            self.parts.append("\n")
        if tag in ("h1", "h2", "h3"):
            self.parts.append("## ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def _read_html(raw: bytes, path: Path) -> tuple[str, str]:
    parser = _TextFromHTML()
    parser.feed(_decode(raw, path))
    parser.close()
    text = re.sub(r"[ \t]+", " ", "".join(parser.parts))
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    return text, parser.title.strip()


def _read_pdf(path: Path) -> tuple[str, str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError(path, "the PDF is encrypted; save an unprotected copy and add that")
            except (NotImplementedError, PdfReadError) as e:
                raise DocumentError(path, f"the PDF is encrypted and cannot be opened ({e})") from e
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str((reader.metadata or {}).get("/Title") or "")
    except DocumentError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as e:
        raise DocumentError(path, f"unreadable PDF ({type(e).__name__}: {e})") from e
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise DocumentError(path, "the PDF has no extractable text (scanned images need OCR first)")
    return text, title


def _read_docx(path: Path) -> tuple[str, str]:
    import zipfile

    from docx import Document as DocxDocument
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = DocxDocument(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DocumentError(path, f"unreadable .docx ({type(e).__name__})") from e
    parts = []
    for para in doc.paragraphs:
        style = (para.style.name if para.style is not None else "") or ""
        text = para.text.strip()
        if text:
            parts.append(f"## {text}" if style.startswith("Heading") else text)
    for table in doc.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                parts.append(" | ".join(cells))
    return "\n\n".join(parts), (doc.core_properties.title or "").strip()


def _front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise DocumentError(path, f"invalid YAML front matter{where}") from e
    if not isinstance(meta, dict):
        raise DocumentError(path, "front matter must be a YAML mapping")
    return meta, text[match.end() :]


def read_document(path: Path, *, max_bytes: int = MAX_BYTES) -> ParsedDocument:
    """Read one file into a `ParsedDocument`.

    Raises:
        DocumentError: unsupported type, too large, empty, binary, encrypted or malformed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(path, f"unsupported file type {suffix or '(none)'}; use one of {', '.join(SUFFIXES)}")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise DocumentError(path, f"cannot read the file ({e.strerror})") from e
    if size == 0:
        raise DocumentError(path, "the file is empty")
    if size > max_bytes:
        raise DocumentError(path, f"the file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit; split it")
    raw = path.read_bytes()
    meta: dict[str, Any] = {}
    title = ""
    if suffix == ".pdf":
        text, title = _read_pdf(path)
    elif suffix == ".docx":
        text, title = _read_docx(path)
    elif suffix in (".html", ".htm"):
        text, title = _read_html(raw, path)
    else:
        meta, text = _front_matter(_decode(raw, path), path)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise DocumentError(path, "no text left after parsing")
    title = str(meta.get("title") or title or _first_heading(text) or path.stem)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc_id = str(meta.get("id") or f"{_slug(path.stem)}-{digest[:8]}")
    language = str(meta.get("language") or _guess_language(text))
    return ParsedDocument(path, doc_id, title, text, digest, language, meta)


def _first_heading(text: str) -> str:
    for line in text.splitlines()[:20]:
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def _slug(text: str) -> str:
    from ontology.text import slugify

    return slugify(text)[:60] or "document"


_VI_MARKS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def _guess_language(text: str) -> str:
    sample = text[:5000]
    return "vi" if len(_VI_MARKS.findall(sample)) > len(sample) * 0.02 else "en"
