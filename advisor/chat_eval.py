"""Score the chat advisor on a question set: the facts each answer must contain, and valid citations.

A question passes when its answer contains every string of ``must_contain_all``, at least one of
``must_contain_any`` (if given), none of ``must_not_contain``, and is (or is not) flagged out of scope as
``out_of_scope`` says. Matching ignores case and diacritics. Citations are valid when an in-scope answer cites at
least one piece of evidence and every ``[n]`` in it points to one.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.chat import ChatAnswer
from advisor.faithfulness import CITATION
from ontology.errors import SymbiosisError
from ontology.text import fold

__all__ = ["ChatScore", "Question", "evaluate_chat", "grade", "load_questions"]


@dataclass(frozen=True, slots=True)
class Question:
    """One labelled question."""

    id: str
    question: str
    lang: str = "en"
    kind: str = ""
    must_contain_all: tuple[str, ...] = ()
    must_contain_any: tuple[str, ...] = ()
    must_not_contain: tuple[str, ...] = ()
    out_of_scope: bool = False


@dataclass(slots=True)
class ChatScore:
    """Share correct and with valid citations, per method, with latencies and the failures."""

    method: str
    questions: int = 0
    correct: int = 0
    cited: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    model_kept: int = 0

    @property
    def accuracy(self) -> float:
        """Share of questions answered correctly."""
        return self.correct / self.questions if self.questions else 0.0

    @property
    def citation_rate(self) -> float:
        """Share of answers whose citations are valid."""
        return self.cited / self.questions if self.questions else 0.0

    def percentile(self, p: float) -> float:
        """Latency percentile in milliseconds."""
        if not self.latencies_ms:
            return 0.0
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(p) - 1]


def load_questions(path: Path) -> list[Question]:
    """Read the JSON-lines question set; a bad line is reported with its number."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            questions.append(
                Question(
                    id=row["id"],
                    question=row["question"],
                    lang=row.get("lang", "en"),
                    kind=row.get("kind", ""),
                    must_contain_all=tuple(row.get("must_contain_all", ())),
                    must_contain_any=tuple(row.get("must_contain_any", ())),
                    must_not_contain=tuple(row.get("must_not_contain", ())),
                    out_of_scope=bool(row.get("out_of_scope", False)),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise SymbiosisError(f"{path}:{number}: not a valid question ({exc})") from exc
    return questions


def grade(q: Question, answer: ChatAnswer) -> tuple[bool, bool, list[str]]:
    """(correct, citations valid, reasons it is wrong)."""
    text = f" {fold(answer.text)} "
    why = [f"missing {s!r}" for s in q.must_contain_all if fold(s) not in text]
    if q.must_contain_any and not any(fold(s) in text for s in q.must_contain_any):
        why.append(f"none of {list(q.must_contain_any)}")
    why += [f"contains {s!r}" for s in q.must_not_contain if fold(s) in text]
    if q.out_of_scope != answer.out_of_scope:
        why.append(f"out_of_scope is {answer.out_of_scope}, expected {q.out_of_scope}")
    refs = [int(n) for n in CITATION.findall(answer.text)]
    valid = bool(refs) and all(1 <= n <= len(answer.evidence) for n in refs)
    cited = not refs if answer.out_of_scope else valid
    return not why, cited, why


def evaluate_chat(method: str, questions: list[Question], ask: Callable[[str], ChatAnswer]) -> ChatScore:
    """Ask every question (each on its own, no history) and grade the answers."""
    score = ChatScore(method)
    for q in questions:
        start = time.perf_counter()
        try:
            answer = ask(q.question)
        except SymbiosisError as exc:
            score.questions += 1
            score.failures.append({"id": q.id, "question": q.question, "why": [f"error: {exc}"]})
            continue
        score.latencies_ms.append((time.perf_counter() - start) * 1000)
        correct, cited, why = grade(q, answer)
        score.questions += 1
        score.correct += correct
        score.cited += cited
        score.model_kept += bool(answer.llm.get("used"))
        kind = score.by_kind.setdefault(q.kind or "?", [0, 0])
        kind[0] += correct
        kind[1] += 1
        if not correct:
            score.failures.append({"id": q.id, "question": q.question, "why": why, "intent": answer.intent})
    return score
