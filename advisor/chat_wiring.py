"""Composition of the chat advisor: one graph client, the linker, the report index and the optional model.

`ChatService` is built once per process (CLI call or app) and shared by every conversation; it is safe for
concurrent use (the Neo4j driver pools connections; searches and graph reads hold no shared mutable state).
"""

from __future__ import annotations

import threading
from functools import cached_property

from advisor import retrieval_wiring as rw
from advisor.chat import ChatAdvisor, ChatAnswer, ChatSession
from advisor.chat_tools import Toolbox
from advisor.facts import GraphFacts, load_facts
from advisor.settings import Settings
from advisor.wiring import graph_client
from kg.graph import GraphClient
from ontology.errors import SymbiosisError
from ontology.lexicon import Lexicon
from retrieval.linking import EntityLinker
from retrieval.search import HybridSearcher

__all__ = ["ChatService"]


class ChatService:
    """The chat advisor over the configured graph, corpus and model; `close()` when done."""

    def __init__(self, settings: Settings, *, passages: bool = True, llm: bool = True) -> None:
        self.settings = settings
        self._passages = passages
        self._use_llm = llm
        self._lock = threading.Lock()
        self._facts: GraphFacts | None = None
        self._corpus = None

    @cached_property
    def client(self) -> GraphClient:
        """One client for the whole service (the driver pools its connections)."""
        return graph_client(self.settings)

    def facts(self) -> GraphFacts:
        """The advisor's facts, read from the graph once."""
        with self._lock:
            if self._facts is None:
                self._facts = load_facts(self.client)
                if not self._facts.materials:
                    raise SymbiosisError("the graph holds no knowledge base; run `symbiosis kg load` first")
            return self._facts

    def _searcher(self) -> HybridSearcher | None:
        if not self._passages or not (self.settings.data_dir / "index").exists():
            return None
        self._corpus = rw.open_corpus(self.settings, link=False)
        return self._corpus.searcher(expand=self.linker.expand_query)

    @cached_property
    def linker(self) -> EntityLinker:
        """The lexical entity linker (no embedding model needed to route questions)."""
        return rw.make_linker()

    @cached_property
    def advisor(self) -> ChatAdvisor:
        """The advisor with its tools and, if configured, the language model."""
        lexicon = Lexicon(rw.knowledge_records().nodes)
        tools = Toolbox(self.client, lexicon, searcher=self._searcher(), facts=self.facts)
        model, name = None, ""
        if self._use_llm and self.settings.llm.provider != "none":
            from advisor.llm import chat_model, describe

            model, name = chat_model(self.settings.llm), describe(self.settings.llm)
        return ChatAdvisor(tools, self.linker, model=model, model_name=name)

    def session(self) -> ChatSession:
        """A new conversation."""
        return ChatSession(self.advisor)

    def ask(self, question: str) -> ChatAnswer:
        """A one-off question (no history)."""
        return self.advisor.answer(question)[0]

    def close(self) -> None:
        """Release the graph driver and the corpus."""
        if "client" in self.__dict__:
            self.client.close()
        if self._corpus is not None:
            self._corpus.close()

    def __enter__(self) -> ChatService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
