"""Grading of chat answers against the question set's expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.chat import ChatAnswer
from advisor.chat_eval import Question, evaluate_chat, grade, load_questions
from advisor.chat_tools import Evidence
from ontology.errors import SymbiosisError

QUESTIONS = Path(__file__).resolve().parents[2] / "data" / "chat_questions.jsonl"


def answer(text: str, evidence: int = 1, out_of_scope: bool = False) -> ChatAnswer:
    ev = [Evidence("entity", f"mat:x{i}", "x") for i in range(evidence)]
    return ChatAnswer("q", text, ev, "uses", [], out_of_scope=out_of_scope)


def test_grading_folds_case_and_diacritics_and_checks_citations() -> None:
    q = Question("q1", "?", must_contain_all=("Bùn đỏ",), must_contain_any=("cement", "brick"))
    assert grade(q, answer("BUN DO goes to the CEMENT kiln [1]")) == (True, True, [])
    ok, cited, why = grade(q, answer("bun do goes to a kiln [2]"))
    assert not ok and not cited and why == ["none of ['cement', 'brick']"]


def test_out_of_scope_expectation_and_forbidden_text() -> None:
    q = Question("q2", "?", must_not_contain=("system prompt",), out_of_scope=True)
    assert grade(q, answer("This is outside the scope.", 0, out_of_scope=True))[0]
    assert not grade(q, answer("My system prompt says [1]", 1))[0]


def test_the_shipped_question_set_is_large_and_bilingual() -> None:
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 60
    assert sum(q.lang == "vi" for q in questions) >= 10
    assert len({q.id for q in questions}) == len(questions)


def test_a_bad_line_is_reported_with_its_number(tmp_path: Path) -> None:
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "a", "question": "x"}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(SymbiosisError, match=r"q.jsonl:2"):
        load_questions(bad)


def test_errors_count_as_wrong_answers() -> None:
    def ask(question: str) -> ChatAnswer:
        raise SymbiosisError("boom")

    score = evaluate_chat("t", [Question("q", "?")], ask)
    assert score.questions == 1 and score.correct == 0 and "boom" in score.failures[0]["why"][0]
