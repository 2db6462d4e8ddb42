"""Re-ranking of scored candidates for diversity."""

from __future__ import annotations

from advisor.matching import Candidate
from advisor.opportunities import DIVERSITY_DECAY, diversify
from advisor.scoring import Features
from tests.unit.advisor.toy_graph import MAT, tenant

STEAM = MAT + "process-steam"


def _scored(provider: str, receiver: str, score: float) -> tuple[Features, Candidate]:
    c = Candidate(tenant(provider, "cogeneration"), tenant(receiver, "dairy"), STEAM, "energy")
    return Features(0.0, (), 1.0, None, None, None, 1.0, False, score), c


def test_a_hub_supplying_many_receivers_is_not_demoted() -> None:
    scored = [_scored("hub", f"r{i}", 0.8) for i in range(5)] + [_scored("other", "x", 0.7)]
    ranked = diversify(scored)
    assert [f.score for f, _ in ranked[:5]] == [0.8] * 5
    assert ranked[-1][1].provider.company.id == "other"


def test_competing_suppliers_of_one_receiver_are_demoted() -> None:
    scored = [_scored("a", "r", 0.8), _scored("b", "r", 0.79), _scored("c", "r", 0.78), _scored("d", "x", 0.7)]
    ranked = diversify(scored)
    assert [c.provider.company.id for _, c in ranked] == ["a", "d", "b", "c"]
    assert ranked[2][0].score == round(0.79 * DIVERSITY_DECAY, 4)
    assert ranked[3][0].score == round(0.78 * DIVERSITY_DECAY**2, 4)
