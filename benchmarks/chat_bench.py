"""Chat benchmark: answer latency without a language model and with the local SmolLM2 model.

Run (needs a loaded graph and, for passages, an indexed corpus; uses the settings):
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/chat_bench.py [--llm-questions 5]

Every question of tests/data/chat_questions.jsonl is answered once without a model (after one warm-up
question, so model and index loading are not counted). The baseline, measured in the same run, is one trivial
Neo4j round trip (`RETURN 1`) and one hybrid passage search: an answer costs several of each. Results are written
to benchmarks/results/chat.md.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from pathlib import Path

from advisor.chat_eval import load_questions
from advisor.chat_wiring import ChatService
from advisor.settings import LLMSettings, Settings
from ontology.errors import SymbiosisError

ROOT = Path(__file__).resolve().parents[1]


def _ms(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[94]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--llm-questions", type=int, default=5)
    args = parser.parse_args()
    questions = [q.question for q in load_questions(ROOT / "tests" / "data" / "chat_questions.jsonl")]
    settings = Settings()
    with ChatService(settings, llm=False) as service:
        service.ask("What can fly ash be used for?")  # warm-up: linker, index, model
        rtt, search, answers = [], [], []
        for q in questions:
            t = time.perf_counter()
            service.client.read("RETURN 1")
            rtt.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            service.advisor.tools.passages(q, top_k=2)
            search.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            with contextlib.suppress(SymbiosisError):  # a refused question still counts its time
                service.ask(q)
            answers.append((time.perf_counter() - t) * 1000)
    llm_times = []
    llm_settings = settings.model_copy(update={"llm": LLMSettings(provider="llamacpp", max_tokens=160)})
    with ChatService(llm_settings, passages=False) as service:
        service.ask("What can fly ash be used for?")
        for q in questions[: args.llm_questions]:
            t = time.perf_counter()
            service.ask(q)
            llm_times.append((time.perf_counter() - t) * 1000)
    rows = [
        ("Neo4j round trip `RETURN 1` (baseline)", len(rtt), *_ms(rtt)),
        ("hybrid passage search, top 2 (baseline)", len(search), *_ms(search)),
        ("chat answer, no LLM", len(answers), *_ms(answers)),
        ("chat answer, SmolLM2-135M rewording + check (max 160 tokens)", len(llm_times), *_ms(llm_times)),
    ]
    p50 = statistics.median(answers)
    lines = [
        "# Chat benchmark",
        "",
        f"Questions of `tests/data/chat_questions.jsonl`, one pass, after a warm-up question. Produced by "
        f"`benchmarks/chat_bench.py`, {time.strftime('%Y-%m-%d')}, 2-core machine.",
        "",
        "| what | n | p50 (ms) | p95 (ms) |",
        "|---|---|---|---|",
        *[f"| {name} | {n} | {a:.1f} | {b:.1f} |" for name, n, a, b in rows],
        "",
        f"A grounded answer's median is {p50 / statistics.median(rtt):.0f}x a bare Neo4j round trip and "
        f"{p50 / statistics.median(search):.1f}x one passage search (an answer runs 1-6 graph queries and usually "
        "one search). The local model's time is almost all token generation on the CPU.",
    ]
    out = ROOT / "benchmarks" / "results" / "chat.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
