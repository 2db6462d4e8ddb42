"""Gradio app: a thin layer over `advisor.wiring` (no logic lives here)."""

from __future__ import annotations

import gradio as gr

from advisor import wiring
from advisor.settings import Settings

__all__ = ["build", "launch"]


def _status_markdown(settings: Settings) -> str:
    rows = wiring.system_status(settings)
    lines = ["| Component | Ready | Detail |", "|---|---|---|"]
    lines += [f"| {name} | {'yes' if ok else 'no'} | {detail} |" for name, ok, detail in rows]
    return "\n".join(lines)


def build(settings: Settings) -> gr.Blocks:
    """Build the app's UI for the given settings."""
    with gr.Blocks(title="Symbiosis Advisor") as demo:
        gr.Markdown("# Symbiosis Advisor\nIndustrial-symbiosis opportunities for eco-industrial parks.")
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
    build(settings).launch(
        server_name=host or settings.app.host,
        server_port=port or settings.app.port,
        auth=auth,
        show_error=True,
    )
