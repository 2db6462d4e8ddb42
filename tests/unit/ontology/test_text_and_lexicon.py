from pathlib import Path

import pytest

from ontology.lexicon import Lexicon
from ontology.records import to_records
from ontology.text import fold, slugify
from ontology.validate import load_knowledge_base

MINI = Path(__file__).resolve().parents[2] / "data" / "kb-mini"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Nhà máy Xi-măng  Đồng Nai", "nha may xi mang dong nai"),
        ("thạch cao FGD", "thach cao fgd"),
        ("Asnæs Power Station (Ørsted)", "asnaes power station orsted"),
        ("  ", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_slugify() -> None:
    assert slugify("Tro bay than") == "tro-bay-than"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(to_records(load_knowledge_base(MINI)).nodes)


@pytest.mark.parametrize(
    ("text", "iri_end", "method"),
    [
        ("Test cement", "industry/t-cement", "exact"),
        ("nha may xi mang thu", "industry/t-cement", "exact"),
        ("Test cement plant", "industry/t-cement", "normalised"),
        ("ISIC 2394", "industry/t-cement", "code"),
        ("2399", "industry/t-cement", "code"),
        ("tro bay", "material/t-fly-ash", "exact"),
        ("Tset fly ahs", "material/t-fly-ash", "fuzzy"),
        ("Test", "park/t-park", "partial"),
    ],
)
def test_lookup(lexicon: Lexicon, text: str, iri_end: str, method: str) -> None:
    matches = lexicon.lookup(text, limit=10)
    hit = next(m for m in matches if m.iri.endswith(iri_end))
    assert hit.method == method and 0 < hit.score <= 1


def test_lookup_filters_by_label_and_ignores_unknown_words(lexicon: Lexicon) -> None:
    assert all(m.label == "Material" for m in lexicon.lookup("tro bay", labels=["Material"]))
    assert lexicon.lookup("zzzz qqqq") == []
    assert lexicon.lookup("") == []
