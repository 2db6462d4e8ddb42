"""``symbiosis ask`` and ``symbiosis evaluate chat``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from advisor.cli_common import friendly, settings_from_env
from advisor.output import render_rows

__all__ = ["QUESTIONS", "register"]

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "data" / "chat_questions.jsonl"


def ask(
    question: str = typer.Argument(..., help="A question in English or Vietnamese."),
    fmt: str = typer.Option("text", "--format", help="text or json"),
    passages: bool = typer.Option(True, help="Also search the report index."),
) -> None:
    """Ask the advisor a question; the answer cites its evidence."""
    from advisor.chat_wiring import ChatService

    with ChatService(settings_from_env(), passages=passages) as service:
        answer = service.ask(question)
    if fmt == "json":
        typer.echo(json.dumps(answer.as_dict(), indent=2, ensure_ascii=False))
        return
    typer.echo(answer.text)
    if answer.evidence:
        typer.echo("\nEvidence:")
        for i, e in enumerate(answer.evidence, 1):
            source = f" — {e.source}" if e.source else ""
            typer.echo(f"[{i}] {e.kind} {e.id}: {e.summary}{source}")
    if answer.llm and not answer.llm.get("used"):
        typer.echo(f"(model wording discarded: {'; '.join(answer.llm.get('problems', []))})", err=True)


def evaluate_chat(
    questions: Path = typer.Option(QUESTIONS, help="JSON-lines question set."),
    llm: bool = typer.Option(False, "--llm", help="Also run with the configured model (default: local SmolLM2)."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    failures: int = typer.Option(0, help="List this many failed questions."),
) -> None:
    """Share of questions answered correctly and with valid citations, without and with a language model."""
    from advisor.chat_eval import evaluate_chat as run
    from advisor.chat_eval import load_questions
    from advisor.chat_wiring import ChatService

    settings = settings_from_env()
    qs = load_questions(questions)
    scores = []
    with ChatService(settings, llm=False) as service:
        scores.append(run("no LLM", qs, service.ask))
    if llm:
        if settings.llm.provider == "none":
            settings = settings.model_copy(update={"llm": settings.llm.model_copy(update={"provider": "llamacpp"})})
        with ChatService(settings) as service:
            scores.append(run(f"LLM: {settings.llm.provider} {settings.llm.model or 'SmolLM2-135M'}", qs, service.ask))
    if fmt == "json":
        payload = [
            {"method": s.method, "questions": s.questions, "correct": s.accuracy, "cited": s.citation_rate,
             "model_wording_kept": s.model_kept,
             "p50_ms": s.percentile(50), "p95_ms": s.percentile(95), "by_kind": s.by_kind, "failures": s.failures}
            for s in scores
        ]  # fmt: skip
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    rows = [
        (s.method, s.questions, f"{s.accuracy:.2f}", f"{s.citation_rate:.2f}", f"{s.percentile(50):.0f}",
         f"{s.percentile(95):.0f}", s.model_kept)
        for s in scores
    ]  # fmt: skip
    header = ("method", "questions", "correct", "cited", "p50 ms", "p95 ms", "model wording kept")
    typer.echo(render_rows(header, rows))
    kinds = sorted(scores[0].by_kind)
    per_kind = [(k, *[f"{s.by_kind[k][0]}/{s.by_kind[k][1]}" for s in scores]) for k in kinds]
    typer.echo(render_rows(("kind", *[s.method for s in scores]), per_kind))
    for f in scores[0].failures[:failures]:
        typer.echo(f"{f['id']}: {f['question']} -> {f.get('intent')}: {'; '.join(f['why'])}")


def register(app: typer.Typer, evaluate_app: typer.Typer) -> None:
    """Add ``ask`` and ``evaluate chat`` to the command line."""
    app.command("ask")(friendly(ask))
    evaluate_app.command("chat")(friendly(evaluate_chat))
