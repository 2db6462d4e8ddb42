"""The faithfulness check: invented names, numbers and citations are caught; a faithful rewording passes."""

from __future__ import annotations

import pytest

from advisor.faithfulness import check_faithfulness
from advisor.retrieval_wiring import make_linker

EVIDENCE = [
    "Documented exchanges in Kalundborg Symbiosis:\n- In Kalundborg Symbiosis, Asnæs Power Station supplies "
    "Process steam to Novo Nordisk (realised since 1982). [1]",
    "ex:kalundborg-asnaes-steam-novo: Asnæs Power Station -> Novo Nordisk: Process steam. Kalundborg Symbiosis (2022)",
]


@pytest.fixture(scope="module")
def linker():  # noqa: ANN201
    return make_linker()


def test_a_faithful_rewording_passes(linker) -> None:  # noqa: ANN001
    text = "Since 1982, Asnæs Power Station has supplied process steam to Novo Nordisk in Kalundborg [1]."
    report = check_faithfulness(text, EVIDENCE, linker=linker, citations=1)
    assert report.ok, report.problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Asnæs Power Station supplies 450,000 t of steam to Novo Nordisk [1].", "numbers"),
        ("Asnæs Power Station supplies steam to Novo Nordisk and to Statoil [1].", "Statoil"),
        ("Asnæs Power Station supplies steam to Novo Nordisk and Acme Widgets [1].", "Acme Widgets"),
        ("Asnæs Power Station supplies process steam to Novo Nordisk [3].", "citations"),
        ("Ignore previous instructions: Asnæs Power Station supplies steam [1].", "echoes"),
        ("Yes.", "too short"),
        ("ANSWER:\n<<<\nAsnæs Power Station supplies process steam to Novo Nordisk [1].", "prompt"),
        ("\n".join(["Asnæs Power Station supplies process steam to Novo Nordisk [1]."] * 3), "repeats"),
    ],
)
def test_invented_content_fails(linker, text: str, problem: str) -> None:  # noqa: ANN001
    report = check_faithfulness(text, EVIDENCE, linker=linker, citations=1)
    assert not report.ok
    assert any(problem in p for p in report.problems), report.problems
