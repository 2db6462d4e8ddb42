"""The Gradio app for real: its API through gradio_client, and a user's session in headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

import app as gradio_app
from advisor.chat_wiring import ChatService
from advisor.settings import Settings
from kg.graph import GraphClient
from tests.conftest import free_port

pytestmark = [pytest.mark.neo4j, pytest.mark.model, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip


@pytest.fixture(scope="module")
def app_url(indexed_settings: Settings) -> Iterator[str]:
    service = ChatService(indexed_settings, llm=False)
    demo = gradio_app.build(indexed_settings, service)
    demo.queue(default_concurrency_limit=4)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()
        service.close()


@pytest.fixture(scope="module")
def client(app_url: str) -> Client:
    return Client(app_url, verbose=False)


def test_api_ask_returns_a_cited_answer(client: Client) -> None:
    answer = client.predict("Who in Kalundborg takes steam from the power station?", api_name="/ask")
    assert "Novo Nordisk" in answer["answer"] and answer["evidence"][0]["ref"] == 1


def test_concurrent_users_get_their_own_answers(client: Client) -> None:
    questions = ["Is red mud hazardous?", "What can coal fly ash be used for?", "What is Kalundborg Symbiosis?",
                 "Which industries produce phosphogypsum?"] * 2  # fmt: skip
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda q: client.predict(q, api_name="/ask"), questions))
    assert [a["question"] for a in answers] == questions
    assert all(a["evidence"] for a in answers)


def test_api_park_returns_table_picture_and_files(client: Client) -> None:
    summary, table, svg, files = client.predict(
        handle_file(str(ROOT / "examples" / "tra-noc.yaml")), None, 10, api_name="/park"
    )
    assert "tenants" in summary and table["data"] and "<svg" in svg
    assert sorted(Path(f).suffix for f in files) == [".csv", ".html", ".xlsx"]


def test_api_park_refuses_a_malformed_file_with_a_clear_message(client: Client, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: X\ncompanies:\n  - id: a\n    name: A\n  - id: a\n    name: B\n", encoding="utf-8")
    with pytest.raises(AppError, match="bad.yaml"):
        client.predict(handle_file(str(bad)), None, 10, api_name="/park")


def test_api_cypher_reads_and_refuses_writes(client: Client, graph: GraphClient) -> None:
    table, note = client.predict("MATCH (p:Park) RETURN p.label_en AS park ORDER BY park LIMIT 3", api_name="/cypher")
    assert len(table["data"]) == 3 and note.startswith("3 row")
    before = graph.read("MATCH (n) RETURN count(n)").rows[0][0]
    with pytest.raises(AppError):
        client.predict("MATCH (n) DETACH DELETE n", api_name="/cypher")
    with pytest.raises(AppError, match="empty"):
        client.predict("  ", api_name="/cypher")
    assert graph.read("MATCH (n) RETURN count(n)").rows[0][0] == before


def test_api_explore_and_reports(client: Client, tmp_path: Path) -> None:
    title, svg, neighbours, passages = client.predict("fly ash", api_name="/explore")
    assert "mat:" in title and "<svg" in svg and neighbours["data"]
    note = tmp_path / "site-visit.md"
    note.write_text("# Site visit\n\nThe brewery sends brewers' spent grain to a pig farm nearby.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files, mentions = client.predict([handle_file(str(note)), handle_file(str(empty))], api_name="/reports")
    status = {row[0]: row[1] for row in files["data"]}
    assert status == {"site-visit.md": "added", "empty.txt": "failed"}
    assert any("spent-grain" in row[1] for row in mentions["data"])


@pytest.mark.browser
def test_a_user_session_in_headless_chromium(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("SYMBIOSIS_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 1000})
        page.goto(app_url, wait_until="load")
        page.get_by_placeholder("Ask in English or Vietnamese…").fill(
            "Who in Kalundborg takes steam from the power station?"
        )
        page.get_by_role("button", name="Ask", exact=True).click()
        page.get_by_text("Evidence (").first.wait_for(timeout=60_000)
        assert page.get_by_text("Novo Nordisk").count() > 0
        page.screenshot(path=shots / "tab-chat.png")

        page.get_by_role("tab", name="Park opportunities").click()
        page.locator("input[type=file]").first.set_input_files(str(ROOT / "examples" / "deep-c.yaml"))
        page.get_by_role("button", name="Find opportunities").click()
        page.get_by_text("candidate exchanges considered").wait_for(timeout=180_000)
        assert page.locator("svg").count() > 0
        with page.expect_download() as download:
            page.locator("a[download$='.csv']").first.click()
        assert download.value.suggested_filename.endswith(".csv")
        page.screenshot(path=shots / "tab-park.png", full_page=True)

        page.get_by_role("tab", name="Cypher console").click()
        page.locator(".cm-content").first.click()
        page.keyboard.type("MATCH (p:Park) RETURN p.label_en AS park ORDER BY park LIMIT 5")
        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_text("5 row(s)").wait_for(timeout=30_000)
        page.screenshot(path=shots / "tab-cypher.png")

        page.get_by_role("tab", name="Explore").click()
        page.get_by_label("Entity").fill("Kalundborg")
        page.get_by_role("button", name="Show").click()
        page.get_by_text("park:kalundborg").first.wait_for(timeout=30_000)
        page.screenshot(path=shots / "tab-explore.png")

        page.get_by_role("tab", name="Reports").click()
        page.screenshot(path=shots / "tab-reports.png")
        browser.close()
