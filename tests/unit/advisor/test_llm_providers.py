"""LLM provider settings: the OpenAI-compatible request carries max_tokens; no provider means no model."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from advisor.llm import chat_model, describe, reword, smollm2_path
from advisor.settings import LLMSettings
from ontology.errors import SymbiosisError


class _Endpoint(BaseHTTPRequestHandler):
    """A loopback stand-in for an OpenAI-compatible server that records request bodies."""

    bodies: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Endpoint.bodies.append(body)
        reply = {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": "Fly ash goes to cement [1]."}}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}  # fmt: skip
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_openai_compatible_requests_send_max_tokens_and_quote_the_evidence() -> None:
    server = HTTPServer(("127.0.0.1", 0), _Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = LLMSettings(provider="openai", model="m", base_url=f"http://127.0.0.1:{server.server_port}/v1",
                               max_tokens=77)  # fmt: skip
        text = reword(chat_model(settings), "What about fly ash?", "Fly ash: cement [1]", ["mat:fly-ash: Fly ash"])
    finally:
        server.shutdown()
        server.server_close()
    body = _Endpoint.bodies[-1]
    assert text == "Fly ash goes to cement [1]."
    assert body["max_tokens"] == 77 and body["temperature"] == 0
    user = body["messages"][-1]["content"]
    assert "<<<\nWhat about fly ash?\n>>>" in user and "[1] mat:fly-ash: Fly ash" in user
    assert body["messages"][0]["role"] == "system"


def test_provider_choices() -> None:
    assert chat_model(LLMSettings()) is None
    assert describe(LLMSettings()) == "none (grounded answers only)"
    with pytest.raises(SymbiosisError, match="MODEL"):
        chat_model(LLMSettings(provider="ollama"))
    assert chat_model(LLMSettings(provider="ollama", model="llama3.2")).num_predict == 400
    assert smollm2_path().suffix == ".gguf" and smollm2_path().stat().st_size > 50_000_000
    with pytest.raises(SymbiosisError, match="not found"):
        chat_model(LLMSettings(provider="llamacpp", model="/nonexistent.gguf"))
