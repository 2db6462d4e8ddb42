"""The chat advisor: a question in English or Vietnamese -> tools over the graph and the reports -> a cited answer.

Without a language model the question is routed deterministically: the entity linker finds the materials,
industries, parks and companies it names, and the question's form ("what can ... be used for", "who produces",
"is ... hazardous", "who in ... takes ...", "suggest exchanges for ...") picks the tool. The answer is composed from
the tools' facts only, each followed by the number of its evidence. With a language model configured
(`advisor.llm`), the model may reword that answer; `advisor.faithfulness` checks the wording against the evidence
and the grounded text is shown when the check fails.

Text from users and reports is data: it is matched against the knowledge base, never executed as instructions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from advisor.chat_router import Plan, QuestionIndex, detect_language, plan
from advisor.chat_tools import Evidence, Fact, Toolbox
from ontology.errors import SymbiosisError
from ontology.records import compact_iri
from retrieval.linking import EntityLinker

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

__all__ = ["MAX_QUESTION_CHARS", "ChatAdvisor", "ChatAnswer", "ChatSession"]

MAX_QUESTION_CHARS = 4000
MAX_FACTS = 10


@dataclass(slots=True)
class ChatAnswer:
    """A cited answer; `evidence[i]` is what `[i+1]` in the text refers to."""

    question: str
    text: str
    evidence: list[Evidence]
    intent: str
    entities: list[str]
    language: str = "en"
    out_of_scope: bool = False
    llm: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `symbiosis ask --format json` and the app."""
        return {
            "question": self.question,
            "answer": self.text,
            "intent": self.intent,
            "entities": self.entities,
            "language": self.language,
            "out_of_scope": self.out_of_scope,
            "evidence": [dict(e.as_dict(), ref=i) for i, e in enumerate(self.evidence, 1)],
            "llm": self.llm,
        }


class ChatAdvisor:
    """Answers questions with the toolbox; one instance serves many sessions (it keeps no per-user state)."""

    def __init__(
        self,
        tools: Toolbox,
        linker: EntityLinker,
        *,
        model: BaseChatModel | None = None,
        model_name: str = "",
    ) -> None:
        self.tools = tools
        self.linker = linker
        self.index = QuestionIndex(linker)
        self.model = model
        self.model_name = model_name
        self.label = lambda iri: self.index.labels.get(iri, compact_iri(iri))

    def answer(self, question: str, previous: Plan | None = None) -> tuple[ChatAnswer, Plan]:
        """A grounded, cited answer and the plan behind it (kept by the session for follow-ups)."""
        question = question.strip()
        if not question:
            raise SymbiosisError("the question is empty: ask about a material, an industry, a park or a company")
        if len(question) > MAX_QUESTION_CHARS:
            raise SymbiosisError(
                f"the question is {len(question):,} characters long; the limit is {MAX_QUESTION_CHARS:,}. "
                "Paste long tenant lists as a park file in the Park opportunities tab instead."
            )
        p = plan(question, self.index, previous)
        language = detect_language(question)
        header, facts = self._run(p, question)
        answer = self._compose(question, p, header, facts, language)
        if self.model is not None and answer.evidence and not answer.out_of_scope:
            self._reword(answer)
        return answer, p

    def _reword(self, answer: ChatAnswer) -> None:
        """Let the model reword the answer; keep its text only if it passes the faithfulness check."""
        from advisor.llm import reword_checked

        evidence = [f"{e.id}: {e.summary}. {e.source}".strip() for e in answer.evidence]
        text, problems = reword_checked(
            self.model,  # type: ignore[arg-type]
            answer.question,
            answer.text,
            evidence,
            linker=self.linker,
            allowed_entities=[*answer.entities, *(e.id for e in answer.evidence)],
        )
        if problems:
            answer.llm = {"model": self.model_name, "used": False, "rejected": text, "problems": problems}
        else:
            answer.llm = {"model": self.model_name, "used": True, "grounded": answer.text}
            answer.text = text

    def _run(self, p: Plan, question: str) -> tuple[str, list[Fact]]:
        t, label = self.tools, self.label
        mat, ind, park, co = p.first("mat"), p.first("ind") or p.first("proc"), p.first("park"), p.first("co")
        if p.intent == "cypher":
            return "Read-only Cypher result:", t.cypher(question)
        if p.intent == "out_of_scope":
            return (
                "This is outside what Symbiosis Advisor covers: by-product, energy and water exchanges between "
                "companies, the materials and industries involved, and documented eco-industrial parks. Try e.g. "
                '"what can fly ash be used for?" or "who in Kalundborg takes steam from the power station?"',
                [],
            )
        if p.intent == "opportunities" and park and len(p.tenants) < 2:
            facts, _ = t.opportunities((), park_iri=park)
            return f"Suggested exchanges between the companies the knowledge base lists for {label(park)}:", facts
        if p.intent == "opportunities":
            if len(p.tenants) < 2:
                return (
                    "Name at least two tenants (industries), e.g. 'suggest exchanges for: brewery, cement plant'.",
                    [],
                )
            facts, unresolved = t.opportunities(p.tenants)
            note = f" Not recognised: {', '.join(unresolved)}." if unresolved else ""
            return f"Suggested exchanges for {len(p.tenants)} tenants, best first.{note}", facts
        if p.intent == "hazard" and mat:
            return "", t.hazard(mat)
        if p.intent == "precedents":
            return self._precedents(mat, ind, park, co)
        if p.intent == "producers" and mat:
            return f"Who produces {label(mat)}:", t.producers(mat)
        if p.intent in ("outputs", "uses", "producers") and ind and not mat:
            named = t.output_named(ind, question) if p.intent == "uses" else None
            if named is None:
                return f"What {label(ind)} puts out, most reusable first:", t.outputs(ind)
            mat = named
        if p.intent == "outputs" and ind:
            return f"What {label(ind)} puts out, most reusable first:", t.outputs(ind)
        if p.intent == "uses" and mat:
            facts = t.uses(mat)
            if park:
                facts = t.exchanges(park=park, material=mat) + facts
            return f"Documented uses of {label(mat)}:", facts
        focus = park or co or mat or ind or next(iter(sum(p.entities.values(), [])), None)
        facts = t.describe(focus) if focus else []
        return "", facts + t.passages(question, top_k=2)

    def _precedents(self, mat: str | None, ind: str | None, park: str | None, co: str | None) -> tuple[str, list[Fact]]:
        """Exchanges narrowed by everything named; constraints are relaxed (industry, then material) if none fit."""
        attempts = [(park, mat, ind, co), (park, mat, None, co), (park, None, ind, co), (park, mat, None, None)]
        for pk, m, i, c in attempts:
            if not any((pk, m, i, c)):
                continue
            facts = self.tools.exchanges(park=pk, material=m, industry=i, company=c)
            if facts:
                named = [self.label(x) for x in (m, i, c) if x]
                where = f" in {self.label(pk)}" if pk else ""
                about = f" involving {', '.join(named)}" if named else ""
                if mat and not (park or co):  # a material question: documented uses complete the picture
                    facts = facts[:5] + self.tools.uses(mat)
                return f"Documented exchanges{where}{about}:", facts
        if mat:  # no exchange of it anywhere: say so, then what it can be used for
            return (f"No documented exchange matches; documented uses of {self.label(mat)}:",
                    self.tools.uses(mat))  # fmt: skip
        return "The knowledge base documents no exchange matching that.", []

    def _compose(self, question: str, p: Plan, header: str, facts: list[Fact], language: str) -> ChatAnswer:
        evidence: list[Evidence] = []
        lines = [header] if header else []
        for fact in facts[:MAX_FACTS]:
            if fact.evidence is None:
                lines.append(fact.text)
                continue
            if fact.evidence not in evidence:
                evidence.append(fact.evidence)
            lines.append(f"- {fact.text} [{evidence.index(fact.evidence) + 1}]")
        if not facts and p.intent not in ("out_of_scope", "cypher", "opportunities"):
            named = ", ".join(self.label(i) for i in sum(p.entities.values(), [])) or "this question"
            lines.append(f"The knowledge base and the reports hold nothing on {named} for this kind of question.")
        if language == "vi" and p.intent != "out_of_scope":
            lines.insert(0, "Theo cơ sở tri thức (tên riêng giữ nguyên tiếng Anh, kèm tên tiếng Việt nếu có):")
        elif language == "vi":
            lines.insert(0, "Câu hỏi này nằm ngoài phạm vi của Symbiosis Advisor (cộng sinh công nghiệp).")
        entities = [compact_iri(i) for i in sum(p.entities.values(), [])]
        return ChatAnswer(
            question, "\n".join(lines), evidence, p.intent, entities, language, p.intent == "out_of_scope"
        )


@dataclass(slots=True)
class ChatSession:
    """One user's conversation: the turns so far and the last plan (for follow-up questions)."""

    advisor: ChatAdvisor
    history: list[ChatAnswer] = field(default_factory=list)
    last_plan: Plan | None = None

    def ask(self, question: str) -> ChatAnswer:
        """Answer in the context of this conversation."""
        answer, self.last_plan = self.advisor.answer(question, self.last_plan)
        self.history.append(answer)
        return answer
