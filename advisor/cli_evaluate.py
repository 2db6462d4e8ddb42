"""``symbiosis evaluate ...``: quality measurements printed as tables."""

from __future__ import annotations

import json
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
    errors: int = typer.Option(0, help="Also list this many passages the linker got wrong (with the embedding)."),
    split: str = typer.Option("dev", help="Split whose errors --errors lists: dev, test or all."),
) -> None:
    """Precision, recall and F1 of the entity linker on the labelled passages, per method and split.

    DEV (g001-g110, d001 on) is where errors may be read while improving the linker; TEST (g111 on) is only scored.
    """
    from retrieval.evaluation import SPLITS, evaluate_splits, load_gold

    if split not in SPLITS:
        raise typer.BadParameter(f"use one of {', '.join(SPLITS)}", param_hint="--split")
    settings = settings_from_env()
    examples = load_gold(gold)
    embedder = rw.embedder(settings)
    linker = rw.make_linker(embedder)
    by_method = [evaluate_splits(linker, examples), evaluate_splits(linker, examples, embedder)]
    scores = [(name, s) for per_split in by_method for name, s in per_split.items()]
    if fmt == "json":
        payload = [
            {"method": s.method, "split": name, "examples": s.examples, "precision": s.precision, "recall": s.recall,
             "f1": s.f1}
            for name, s in scores
        ]  # fmt: skip
        typer.echo(json.dumps(payload, indent=2))
    else:
        rows = [
            (s.method, name, s.examples, s.true_positives, s.false_positives, s.false_negatives,
             f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
            for name, s in scores
        ]  # fmt: skip
        header = ("method", "split", "passages", "tp", "fp", "fn", "precision", "recall", "f1")
        typer.echo(render_rows(header, rows))
        for err in by_method[-1][split].errors[:errors]:
            typer.echo(f"{err['id']}: missed {err['missed']} wrong {err['wrong']}")
