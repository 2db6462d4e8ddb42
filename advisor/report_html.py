"""The board report: a self-contained HTML page (summary, network diagram, ranked table, evidence) and an XLSX.

Every piece of text from the park file or the knowledge base is HTML-escaped; the diagram is inline SVG, so the
page needs nothing from the network.
"""

from __future__ import annotations

import io
import math
from html import escape
from typing import Any

from advisor.impacts import summary
from advisor.scoring import WEIGHTS

__all__ = ["network_svg", "render_html", "render_xlsx"]

_COLOURS = {"material": "#8c6d31", "energy": "#d62728", "water": "#1f77b4", "service": "#2ca02c"}


def network_svg(data: dict[str, Any], size: int = 640) -> str:
    """Tenants on a circle, one arrow per suggested exchange, coloured by category."""
    ops = data["opportunities"]
    ids = sorted({o["from"] for o in ops} | {o["to"] for o in ops})
    names = {o["from"]: o["from_name"] for o in ops} | {o["to"]: o["to_name"] for o in ops}
    margin = 220  # room for labels left and right of the circle
    centre, radius = size / 2, size / 2 - 60
    pos = {
        cid: (margin + centre + radius * math.cos(2 * math.pi * i / max(len(ids), 1) - math.pi / 2),
              centre + radius * math.sin(2 * math.pi * i / max(len(ids), 1) - math.pi / 2))
        for i, cid in enumerate(ids)
    }  # fmt: skip
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size + 2 * margin} {size}" '
        f'width="{size + 2 * margin}" height="{size}" '
        'role="img" aria-label="Network of proposed exchanges">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    for o in ops:
        (x1, y1), (x2, y2) = pos[o["from"]], pos[o["to"]]
        colour = _COLOURS.get(o["category"], "#555")
        width = 1 + 3 * float(o["score"])
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{width:.1f}" stroke-opacity="0.7" marker-end="url(#arrow)">'
            f"<title>#{o['rank']} {escape(o['flow'])}</title></line>"
        )
    for cid, (x, y) in pos.items():
        label = names[cid] if len(names[cid]) <= 40 else names[cid][:39] + "…"
        anchor = "start" if x > margin + centre + 1 else "end" if x < margin + centre - 1 else "middle"
        dx = 10 if anchor == "start" else -10 if anchor == "end" else 0
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="#333"><title>{escape(names[cid])}</title></circle>'
        )
        parts.append(
            f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" font-size="11" text-anchor="{anchor}">{escape(label)}</text>'
        )
    legend_y = size - 20
    for i, (cat, colour) in enumerate(_COLOURS.items()):
        parts.append(f'<rect x="{10 + i * 110}" y="{legend_y - 9}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{26 + i * 110}" y="{legend_y + 1}" font-size="11">{cat}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def render_html(data: dict[str, Any]) -> str:
    """The full report as one HTML page."""
    park, ops = data["park"], data["opportunities"]
    e = escape
    rows = "\n".join(
        f"<tr><td>{o['rank']}</td><td>{e(o['from_name'])}</td><td>{e(o['to_name'])}</td><td>{e(o['flow'])}</td>"
        f"<td>{e(o['category'])}</td><td>{o['score']:.3f}</td><td>{len(o['features']['precedent_parks'])}</td>"
        f"<td>{e(summary(o['impacts']))}</td><td>{e('; '.join(o['flags'])) or '-'}</td></tr>"
        for o in ops
    )
    sections = []
    for o in ops:
        items = "\n".join(
            f"<li><b>{e(ev['type'])}</b> <code>{e(ev['id'])}</code>: {e(ev['summary'])}"
            + (f"<br><small>source: {e('; '.join(ev['source']))}</small>" if ev["source"] else "")
            + "</li>"
            for ev in o["evidence"]
        )
        features = ", ".join(f"{e(k)} {e(str(v))}" for k, v in o["features"].items())
        imp = o["impacts"]
        impact = (
            f"<p><small>impact estimate ({e(imp['basis'])}): {e(summary(imp))}. {e(' '.join(imp['assumptions']))} "
            f"Sources: {e('; '.join(imp['sources']))}</small></p>"
            if imp.get("estimated")
            else ""
        )
        sections.append(
            f"<section><h3>{o['rank']}. {e(o['from_name'])} → {e(o['to_name'])}: {e(o['flow'])}</h3>"
            f"<p>{e(o['justification'])}</p>{impact}<p><small>features: {features}</small></p><ul>{items}</ul>"
            "</section>"
        )
    unresolved = "".join(
        f"<li>{e(u['id'])} {e(u['name'])}: {e('; '.join(u['problems']) or 'no industry found')}</li>"
        for u in data["unresolved"]
    )
    weights = ", ".join(f"{e(k)} {v}" for k, v in WEIGHTS.items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Symbiosis opportunities: {e(park["name"])}</title>
<style>body{{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:4px 6px;font-size:13px;text-align:left}}
th{{background:#f3f3f3}}section{{border-top:1px solid #ddd;margin-top:1em}}small{{color:#555}}</style></head>
<body>
<h1>Symbiosis opportunities: {e(park["name"])}</h1>
<p>{park["companies"]} tenants, {len(park["resolved"])} matched to the knowledge base;
{park["candidates_considered"]} candidate exchanges considered; the best {len(ops)} are listed below, each with the
evidence behind it. Scores compare suggestions within this park; they are not probabilities.</p>
<h2>Proposed exchanges</h2>
{network_svg(data)}
<table><thead><tr><th>#</th><th>from</th><th>to</th><th>flow</th><th>category</th><th>score</th>
<th>precedent parks</th><th>impact (low-high)</th><th>flags</th></tr></thead><tbody>
{rows}
</tbody></table>
<h2>Evidence for each suggestion</h2>
{"".join(sections)}
<h2>Tenants not (fully) matched</h2><ul>{unresolved or "<li>none</li>"}</ul>
<h2>Method</h2><p>Deterministic score from named features; weights: {weights} (advisor/scoring.py).</p>
</body></html>
"""


def render_xlsx(data: dict[str, Any]) -> bytes:
    """A workbook with the opportunities, their evidence, and the unresolved tenants."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "opportunities"
    ws.append(["rank", "from", "from_name", "to", "to_name", "via", "flow", "material", "category", "score",
               "precedent", "technical_fit", "impacts", "flags", "justification"])  # fmt: skip
    for o in data["opportunities"]:
        f = o["features"]
        ws.append([o["rank"], o["from"], o["from_name"], o["to"], o["to_name"], o.get("via") or "", o["flow"],
                   o["material"], o["category"], o["score"], f["precedent"], f["technical_fit"],
                   summary(o["impacts"]) if o["impacts"].get("estimated") else "", "; ".join(o["flags"]),
                   o["justification"]])  # fmt: skip
    ev = wb.create_sheet("evidence")
    ev.append(["rank", "type", "id", "summary", "source"])
    for o in data["opportunities"]:
        for item in o["evidence"]:
            ev.append([o["rank"], item["type"], item["id"], item["summary"], "; ".join(item["source"])])
    un = wb.create_sheet("unresolved")
    un.append(["id", "name", "problems"])
    for u in data["unresolved"]:
        un.append([u["id"], u["name"], "; ".join(u["problems"])])
    for sheet in wb.worksheets:  # text that looks like a formula must stay text
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    cell.value = "'" + cell.value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
