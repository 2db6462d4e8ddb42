"""``symbiosis opportunities`` and ``symbiosis evaluate opportunities``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from advisor import advisor_wiring as aw
from advisor.cli_common import settings_from_env
from advisor.output import render_rows

__all__ = ["evaluate_opportunities", "opportunities"]


def opportunities(
    park_files: list[Path] = typer.Argument(..., help="Park files (.yaml, .json, .csv, .xlsx)."),
    top: int = typer.Option(20, "--top", help="How many suggestions per park."),
    fmt: str = typer.Option("json", "--format", help="json, csv, md, html or xlsx"),
    output: Path | None = typer.Option(None, "-o", "--output", help="File (one park) or folder (several)."),
    holdout: list[str] = typer.Option([], "--holdout", help="Documented case (park id) to hide; repeatable."),
) -> None:
    """Suggest, rank and justify exchanges between a park's tenants."""
    from advisor.parkfile import read_park_file
    from advisor.report import BINARY_FORMATS, FORMATS, render

    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    if fmt in BINARY_FORMATS and output is None:
        raise typer.BadParameter("xlsx needs -o FILE", param_hint="--format")
    settings = settings_from_env()
    parks = [read_park_file(p) for p in park_files]  # all files are checked before any work
    if len(parks) > 1:
        from rich.progress import Progress

        with Progress(transient=False, console=Console(stderr=True)) as bar:
            task = bar.add_task("parks", total=len(parks))
            results = aw.advise_parks(
                settings, parks, top_k=top, holdout=tuple(holdout),
                on_park=lambda done, _total, name: bar.update(task, completed=done, description=name[:40]),
            )  # fmt: skip
    else:
        results = aw.advise_parks(settings, parks, top_k=top, holdout=tuple(holdout))
    for path, advice in zip(park_files, results, strict=True):
        body = render(advice, fmt)
        if output is None:
            typer.echo(body.decode("utf-8"))
        else:
            target = output if len(park_files) == 1 and output.suffix else output / f"{path.stem}.{fmt}"
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(body)
            tmp.replace(target)  # never a half-written report
            typer.echo(f"wrote {target} ({len(advice.opportunities)} suggestions)", err=True)


def evaluate_opportunities(
    fmt: str = typer.Option("table", "--format", help="table or json"),
    min_exchanges: int = typer.Option(3, help="Cases need at least this many documented exchanges."),
) -> None:
    """Leave-one-case-out backtest: recall of documented exchanges at 10, 20 and 2n, and MRR."""
    settings = settings_from_env()
    results = aw.run_backtest(settings, min_exchanges=min_exchanges)
    pairs = sum(r.pairs for r in results)

    def random_2n(r: object) -> float:
        """Expected recall@2n of a random ordering of all directed pairs of the case's companies."""
        possible = max(r.companies * (r.companies - 1), 1)  # type: ignore[attr-defined]
        return min(1.0, 2 * r.pairs / possible)  # type: ignore[attr-defined]

    micro = {
        "cases": len(results),
        "pairs": pairs,
        "recall@10": sum(r.found_at_10 for r in results) / pairs,
        "recall@20": sum(r.found_at_20 for r in results) / pairs,
        "recall@2n": sum(r.found_at_2n for r in results) / pairs,
        "MRR": sum(r.reciprocal_rank for r in results) / len(results),
        "random_recall@2n": sum(random_2n(r) * r.pairs for r in results) / pairs,
    }
    if fmt == "json":
        typer.echo(json.dumps({"micro": micro, "cases": [_row(r) for r in results]}, indent=2))
        return
    rows = [
        (r.park, r.companies, r.pairs, f"{r.found_at_10 / r.pairs:.2f}", f"{r.found_at_20 / r.pairs:.2f}",
         f"{r.found_at_2n / r.pairs:.2f}", f"{random_2n(r):.2f}", f"{r.reciprocal_rank:.2f}", r.candidates)
        for r in results
    ]  # fmt: skip
    m = {k: f"{v:.2f}" for k, v in micro.items()}
    rows.append(("micro-average", "", pairs, m["recall@10"], m["recall@20"], m["recall@2n"], m["random_recall@2n"],
                 m["MRR"], ""))  # fmt: skip
    header = ("case", "companies", "pairs", "recall@10", "recall@20", "recall@2n", "random@2n", "RR", "candidates")
    typer.echo(render_rows(header, rows))


def _row(r: object) -> dict[str, object]:
    return {k: getattr(r, k) for k in r.__slots__}  # type: ignore[attr-defined]
