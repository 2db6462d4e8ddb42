"""Write a park's opportunity list as JSON, CSV, Markdown, an HTML board report or an XLSX workbook."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from advisor.impacts import summary
from advisor.opportunities import ParkAdvice
from advisor.scoring import WEIGHTS

__all__ = ["BINARY_FORMATS", "FORMATS", "render"]

FORMATS = ("json", "csv", "md", "html", "xlsx")
BINARY_FORMATS = ("xlsx",)


def render(advice: ParkAdvice, fmt: str) -> bytes:
    """The report in ``fmt``, as bytes (UTF-8 text for every format but xlsx)."""
    from advisor.report_html import render_html, render_xlsx

    data = advice.as_dict()
    writers = {
        "json": lambda: json.dumps(data, indent=2, ensure_ascii=False),
        "csv": lambda: _csv(data),
        "md": lambda: _markdown(data),
        "html": lambda: render_html(data),
    }
    if fmt == "xlsx":
        return render_xlsx(data)
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return writers[fmt]().encode("utf-8")


def _csv(data: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["rank", "from", "from_name", "to", "to_name", "via", "flow", "material", "category", "score",
                "precedent", "precedent_parks", "technical_fit", "impacts", "flags", "justification"])  # fmt: skip
    for o in data["opportunities"]:
        f = o["features"]
        w.writerow(
            [o["rank"], o["from"], o["from_name"], o["to"], o["to_name"], o.get("via") or "", o["flow"],
             o["material"], o["category"], o["score"], f["precedent"], ";".join(f["precedent_parks"]),
             f["technical_fit"], summary(o["impacts"]), " | ".join(o["flags"]), o["justification"]]
        )  # fmt: skip
    return buf.getvalue()


def _markdown(data: dict[str, Any]) -> str:
    park = data["park"]
    ops = data["opportunities"]
    lines = [
        f"# Symbiosis opportunities: {park['name']}",
        "",
        f"{park['companies']} tenants, {len(park['resolved'])} matched to the knowledge base; "
        f"{park['candidates_considered']} candidate exchanges considered, the best {len(ops)} below.",
        "",
        "| # | from | to | flow | category | score | precedents (parks) | impact (low-high) | flags |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for o in ops:
        parks = len(o["features"]["precedent_parks"])
        flags = "; ".join(o["flags"]) or "-"
        lines.append(
            f"| {o['rank']} | {o['from_name']} | {o['to_name']} | {o['flow']} | {o['category']} | "
            f"{o['score']:.3f} | {parks} | {summary(o['impacts'])} | {flags} |"
        )
    lines += ["", "## Evidence", ""]
    for o in ops:
        lines += [f"### {o['rank']}. {o['from_name']} -> {o['to_name']}: {o['flow']}", "", o["justification"], ""]
        imp = o["impacts"]
        if imp.get("estimated"):
            lines.append(f"- impact estimate ({imp['basis']}): {summary(imp)}. {' '.join(imp['assumptions'])} "
                         f"(sources: {'; '.join(imp['sources'])})")  # fmt: skip
        for e in o["evidence"]:
            src = "; ".join(e["source"]) or ("knowledge base: process inputs" if e["type"] == "need" else "none listed")
            lines.append(f"- {e['type']} `{e['id']}`: {e['summary']} (source: {src})")
        lines.append("")
    if data["unresolved"]:
        lines += ["## Tenants not (fully) matched", ""]
        lines += [
            f"- {u['id']} {u['name']}: {'; '.join(u['problems']) or 'no industry found'}" for u in data["unresolved"]
        ]
        lines.append("")
    weights = ", ".join(f"{k} {v}" for k, v in WEIGHTS.items())
    lines += ["## How the score is computed", "", f"Weights (advisor/scoring.py): {weights}.", ""]
    return "\n".join(lines)
