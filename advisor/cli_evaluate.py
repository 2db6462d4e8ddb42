"""``symbiosis evaluate ...``: quality measurements printed as tables."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import typer

from advisor import retrieval_wiring as rw
from advisor.cli_common import friendly, settings_from_env
from advisor.output import render_rows

__all__ = ["evaluate_app"]

evaluate_app = typer.Typer(help="Measure quality on labelled data.", no_args_is_help=True)
GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "linking_gold.jsonl"


@evaluate_app.command("linking")
@friendly
def evaluate_linking_cmd(
    gold: Path = typer.Option(GOLD, help="JSON-lines file of passages with their expected entities."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    errors: int = typer.Option(0, help="Also list this many passages the linker got wrong."),
) -> None:
    """Precision, recall and F1 of the entity linker on the labelled passages, per method."""
    from retrieval.evaluation import evaluate_linking, load_gold

    settings = settings_from_env()
    examples = load_gold(gold)
    embedder = rw.embedder(settings)
    linker = rw.make_linker(embedder)
    # the errors on g001-g028 were read while improving the linker; the rest were never looked at
    held_out = [g for g in examples if int(g.id.lstrip("g") or 0) > 28]
    scores = [
        evaluate_linking(linker, examples),
        evaluate_linking(linker, examples, embedder),
        evaluate_linking(linker, held_out, embedder),
    ]
    scores[2] = replace(scores[2], method=f"{scores[2].method} (unseen g029+)")
    if fmt == "json":
        payload = [
            {"method": s.method, "examples": s.examples, "precision": s.precision, "recall": s.recall, "f1": s.f1}
            for s in scores
        ]
        typer.echo(json.dumps(payload, indent=2))
    else:
        rows = [
            (s.method, s.examples, s.true_positives, s.false_positives, s.false_negatives,
             f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
            for s in scores
        ]  # fmt: skip
        typer.echo(render_rows(("method", "passages", "tp", "fp", "fn", "precision", "recall", "f1"), rows))
        for err in scores[-1].errors[:errors]:
            typer.echo(f"{err['id']}: missed {err['missed']} wrong {err['wrong']}")
