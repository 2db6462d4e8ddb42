from pathlib import Path

import pytest

from ontology.errors import DocumentError
from retrieval.chunking import chunk_text, split_sentences
from retrieval.documents import read_document


def make_pdf(path: Path, text: str, password: str | None = None) -> Path:
    """A one-page PDF with real text, written with pypdf."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner")
    with open(path, "wb") as out:
        writer.write(out)
    return path


def test_markdown_front_matter_gives_id_title_language_and_sources(tmp_path: Path) -> None:
    f = tmp_path / "note.md"
    f.write_text(
        "---\nid: fly-ash-note\ntitle: Fly ash\nlanguage: en\n"
        "sources:\n  - {title: T, url: 'https://x.org', year: 2020}\n---\n# Fly ash\n\nFly ash replaces clinker.\n",
        encoding="utf-8",
    )
    doc = read_document(f)
    assert (doc.doc_id, doc.title, doc.language) == ("fly-ash-note", "Fly ash", "en")
    assert doc.metadata["sources"][0]["year"] == 2020
    assert doc.text.startswith("# Fly ash")


def test_vietnamese_text_in_a_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "ghi-chu.txt"
    text = "Tro bay từ nhà máy nhiệt điện được dùng làm phụ gia xi măng. " * 5
    f.write_bytes(text.encode("utf-16"))
    doc = read_document(f)
    assert "nhà máy nhiệt điện" in doc.text and doc.language == "vi"


def test_html_keeps_text_and_drops_scripts(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>Steam</title><script>var x = 'ignore me';</script></head>"
        "<body><h1>Steam network</h1><p>The power station supplies steam &amp; heat.</p></body></html>"
    )
    doc = read_document(f)
    assert doc.title == "Steam" and "supplies steam & heat" in doc.text and "ignore me" not in doc.text


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    f = make_pdf(tmp_path / "report.pdf", "Fly ash from the boiler goes to cement.")
    assert "Fly ash from the boiler goes to cement." in read_document(f).text


def test_encrypted_pdf_is_refused_with_a_clear_reason(tmp_path: Path) -> None:
    locked = make_pdf(tmp_path / "locked.pdf", "Confidential inventory.", password="secret")
    with pytest.raises(DocumentError, match="encrypted"):
        read_document(locked)


def test_docx_paragraphs_headings_and_tables(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Bagasse", level=1)
    d.add_paragraph("Bagasse fuels the sugar mill boilers.")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Quantity"
    table.rows[0].cells[1].text = "280 kg per tonne of cane"
    f = tmp_path / "note.docx"
    d.save(f)
    text = read_document(f).text
    assert "## Bagasse" in text and "fuels the sugar mill" in text and "280 kg per tonne" in text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("junk.txt", bytes(range(256)) * 40, "binary"),
        ("photo.jpg", b"\xff\xd8\xff", "unsupported file type"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "unreadable .docx"),
        ("broken.pdf", b"%PDF-1.4 garbage", "PDF"),
        ("bad-front.md", b"---\nid: [unclosed\n---\ntext\n", "front matter"),
    ],
)
def test_bad_files_raise_a_document_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(DocumentError, match=reason) as err:
        read_document(f)
    assert name in str(err.value)


def test_a_200_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with open(f, "wb") as out:
        out.truncate(200 * 1024 * 1024)  # sparse: takes no disk space
    with pytest.raises(DocumentError, match="over the 52 MB limit"):
        read_document(f)


def test_sentences_keep_abbreviations() -> None:
    text = "Fly ash (e.g. Class F) is used. It replaces clinker! Does it work? Yes."
    assert split_sentences(text) == ["Fly ash (e.g. Class F) is used.", "It replaces clinker!", "Does it work?", "Yes."]


def test_chunks_are_sentence_aligned_bounded_and_overlapping() -> None:
    sentences = [f"Sentence number {i} talks about steam and ash." for i in range(40)]
    chunks = chunk_text("## Heat\n\n" + " ".join(sentences), max_words=40, overlap=1)
    assert len(chunks) > 5
    for c in chunks:
        assert c.section == "Heat" and len(c.text.split()) <= 40
        assert c.text.endswith(".")
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert a.text.split(". ")[-1].rstrip(".") in b.text  # last sentence repeated


def test_a_very_long_sentence_is_split_on_words() -> None:
    chunks = chunk_text("word " * 500, max_words=100)
    assert all(len(c.text.split()) <= 100 for c in chunks) and len(chunks) == 5
