"""Gradio app: a thin layer over `advisor.chat_wiring` and `advisor.app_wiring` (no logic lives here).

Tabs: Advisor chat, Park opportunities, Explore, Cypher console, Reports, Status. Every handler turns a
`SymbiosisError` into a message on the page (`gr.Error`), never a stack trace. API names (for `gradio_client`):
``/ask``, ``/park``, ``/explore``, ``/cypher``, ``/reports``, ``/status``.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from advisor import app_wiring as aw
from advisor import wiring
from advisor.chat import ChatSession
from advisor.chat_wiring import ChatService
from advisor.settings import Settings
from ontology.errors import SymbiosisError

__all__ = ["build", "launch"]

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # nothing leaves the machine

EXAMPLE_QUESTIONS = [
    "What can the rice mills in Tra Noc do with husk?",
    "Who in Kalundborg takes steam from the power station?",
    "Is FGD gypsum hazardous in Vietnam?",
    "Suggest exchanges for: brewery, cement plant, coal power plant",
    "Tro bay dùng làm gì?",
]


def _status_markdown(settings: Settings) -> str:
    rows = wiring.system_status(settings)
    lines = ["| Component | Ready | Detail |", "|---|---|---|"]
    lines += [f"| {name} | {'yes' if ok else 'no'} | {detail} |" for name, ok, detail in rows]
    return "\n".join(lines)


def _evidence_markdown(evidence: list[dict[str, str]]) -> str:
    lines = []
    for e in evidence:
        source = f" — {e['source']}" if e.get("source") else ""
        lines.append(f"**[{e['ref']}]** `{e['id']}` ({e['type']}): {e['summary']}{source}")
    return "\n\n".join(lines) or "No evidence (nothing was looked up)."


def _errors(func: Any) -> Any:
    """Show a SymbiosisError as a message in the page."""

    @functools.wraps(func)  # keeps the signature and type hints Gradio builds the API from
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SymbiosisError as exc:
            raise gr.Error(str(exc)) from None

    return wrapper


def build(settings: Settings, service: ChatService | None = None) -> gr.Blocks:
    """Build the app's UI for the given settings (one shared `ChatService` serves every user)."""
    service = service or ChatService(settings)

    @_errors
    def ask(question: str) -> dict[str, Any]:
        """One question, no history: the answer with its evidence (JSON)."""
        return service.ask(question).as_dict()

    def chat(message: str, history: list[dict[str, Any]], session: ChatSession | None) -> Iterator[Any]:
        history = list(history or [])
        if session is None:
            session = service.session()
        history.append({"role": "user", "content": message})
        try:
            answer = session.ask(message).as_dict()
        except SymbiosisError as exc:
            history.append({"role": "assistant", "content": f"⚠️ {exc}"})
            yield history, session, "", "", ""
            return
        history.append({"role": "assistant", "content": ""})
        words = answer["answer"].split(" ")
        for i in range(0, len(words), 12):  # stream the composed answer a few words at a time
            history[-1]["content"] = " ".join(words[: i + 12])
            yield history, session, "", "", ""
            time.sleep(0.01)
        evidence = _evidence_markdown(answer["evidence"])
        if answer["evidence"]:
            history.append(
                {
                    "role": "assistant",
                    "content": evidence,
                    "metadata": {"title": f"Evidence ({len(answer['evidence'])} items)", "status": "done"},
                }
            )
        note = ""
        if answer["llm"]:
            used = answer["llm"].get("used")
            problems = "; ".join(answer["llm"].get("problems", []))
            note = f"Worded by {answer['llm']['model']}." if used else f"Model wording discarded ({problems})."
        yield history, session, "", evidence, note

    @_errors
    def park(upload: str | None, example: str | None, top_k: float, progress: gr.Progress = gr.Progress()) -> Any:  # noqa: B008
        path = Path(upload) if upload else (aw.EXAMPLES / example if example else None)
        if path is None:
            raise SymbiosisError("upload a park file (.yaml, .json, .csv, .xlsx) or pick an example")
        result = aw.run_park(settings, path, top_k=int(top_k), progress=lambda f, m: progress(f, desc=m))
        return result.summary, result.rows, result.svg, result.files

    @_errors
    def explore(text: str) -> Any:
        return aw.explore(service, text)

    @_errors
    def cypher(query: str) -> Any:
        columns, rows, note = aw.run_cypher(service, query)
        return pd.DataFrame(rows, columns=columns), note

    @_errors
    def reports(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> Any:  # noqa: B008
        if not files:
            raise SymbiosisError("choose one or more documents (.md, .txt, .html, .pdf, .docx)")
        return aw.ingest_reports(
            settings, [Path(f) for f in files], lambda done, total, name: progress((done, total), desc=name)
        )

    examples = aw.cypher_examples()
    parks = sorted(p.name for p in aw.EXAMPLES.glob("*.yaml"))
    with gr.Blocks(title="Symbiosis Advisor") as demo:
        gr.Markdown("# Symbiosis Advisor\nIndustrial-symbiosis opportunities for eco-industrial parks.")
        with gr.Tab("Advisor chat"):
            session = gr.State(None)
            chatbot = gr.Chatbot(label="Advisor", height=480)
            with gr.Row():
                box = gr.Textbox(placeholder="Ask in English or Vietnamese…", show_label=False, scale=5)
                send = gr.Button("Ask", variant="primary", scale=1)
            note = gr.Markdown()
            with gr.Accordion("Evidence of the last answer", open=False):
                evidence = gr.Markdown()
            gr.Examples(EXAMPLE_QUESTIONS, inputs=box)
            for trigger in (box.submit, send.click):
                trigger(chat, [box, chatbot, session], [chatbot, session, box, evidence, note], api_name=False)
            gr.api(ask, api_name="ask")
        with gr.Tab("Park opportunities"):
            with gr.Row():
                upload = gr.File(
                    label="Park file", file_types=[".yaml", ".yml", ".json", ".csv", ".xlsx"], type="filepath"
                )
                example = gr.Dropdown(parks, label="…or an example park", value=None)
                top_k = gr.Slider(5, 50, value=20, step=1, label="Suggestions")
            run = gr.Button("Find opportunities", variant="primary")
            summary = gr.Markdown()
            table = gr.Dataframe(headers=aw.TABLE_COLUMNS, label="Ranked exchanges", wrap=True)
            picture = gr.HTML(label="Network of proposed exchanges")
            downloads = gr.File(label="Downloads (CSV, XLSX, HTML report)", file_count="multiple")
            run.click(park, [upload, example, top_k], [summary, table, picture, downloads], api_name="park")
        with gr.Tab("Explore"):
            with gr.Row():
                entity = gr.Textbox(label="Entity", placeholder="fly ash, cement, Kalundborg, Novo Nordisk…", scale=4)
                look = gr.Button("Show", scale=1)
            title = gr.Markdown()
            graph_picture = gr.HTML()
            neighbours = gr.Dataframe(headers=["relationship", "dir", "kind", "label", "id"], label="Neighbours")
            passages = gr.Markdown()
            look.click(explore, entity, [title, graph_picture, neighbours, passages], api_name="explore")
            entity.submit(explore, entity, [title, graph_picture, neighbours, passages], api_name=False)
        with gr.Tab("Cypher console"):
            pick = gr.Dropdown(list(examples), label="Example queries", value=None)
            query = gr.Code(label="Cypher (read-only)", language="sql", lines=6)
            go = gr.Button("Run", variant="primary")
            rows_note = gr.Markdown()
            result = gr.Dataframe(label="Result", wrap=True)
            pick.change(lambda t: examples.get(t, ""), pick, query, api_name=False)
            go.click(cypher, query, [result, rows_note], api_name="cypher")
        with gr.Tab("Reports"):
            docs = gr.File(label="Documents", file_count="multiple", type="filepath",
                           file_types=[".md", ".txt", ".html", ".htm", ".pdf", ".docx"])  # fmt: skip
            add = gr.Button("Index", variant="primary")
            added = gr.Dataframe(headers=["file", "status", "chunks", "message"], label="Files")
            mentioned = gr.Dataframe(headers=["document", "entity", "as written", "mentions"], label="Entities")
            add.click(reports, docs, [added, mentioned], api_name="reports")
        with gr.Tab("Status"):
            status = gr.Markdown(_status_markdown(settings))
            refresh = gr.Button("Refresh")
            refresh.click(lambda: _status_markdown(settings), outputs=status, api_name="status")
    return demo


def launch(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Serve the app (blocking)."""
    auth = None
    if settings.app.username and settings.app.password:
        auth = (settings.app.username, settings.app.password.get_secret_value())
    service = ChatService(settings)
    demo = build(settings, service)
    # load the linker, the index and the model while the page opens, so the first question is not slow
    threading.Thread(target=lambda: service.advisor, daemon=True).start()
    demo.queue(default_concurrency_limit=4)
    demo.launch(
        server_name=host or settings.app.host,
        server_port=port or settings.app.port,
        auth=auth,
        show_error=True,
    )
