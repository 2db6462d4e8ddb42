"""Impact ranges: the factor file is complete and sourced, and estimates scale with declared quantities."""

from __future__ import annotations

from advisor.impacts import estimate, load_factors, summary
from tests.unit.advisor.toy_graph import MAT, tenant, toy_facts


def test_every_factor_has_an_assumption_sources_and_ordered_ranges() -> None:
    table = load_factors()
    assert len({f.id for f in table.by_material.values()}) >= 12
    for factor in table.by_material.values():
        assert factor.assumption and factor.sources
        for metric in (factor.co2_t, factor.water_m3, factor.usd):
            assert 0 <= metric[0] <= metric[1]
        for key in factor.sources:
            source = table.sources[key]
            assert source["title"] and str(source["url"]).startswith("http") and int(source["year"]) > 1990


def test_declared_quantity_gives_annual_ranges() -> None:
    facts = toy_facts()
    power = tenant("p", "power-coal", outputs=(("coal-fly-ash", 12000, "t/yr"),))
    cement = tenant("c", "cement")
    impacts = estimate(facts, power, cement, MAT + "coal-fly-ash")
    factor = load_factors().by_material[MAT + "fly-ash"]  # the nearest more general kind with a factor
    assert impacts["estimated"] is True and impacts["factor"] == factor.id
    assert impacts["basis"].startswith("declared quantity 12,000 t/yr")
    assert impacts["co2_t"] == [round(12000 * factor.co2_t[0]), round(12000 * factor.co2_t[1])]
    assert impacts["per"] == "yr" and impacts["assumptions"] and impacts["sources"]
    assert "CO2" in summary(impacts) and summary(impacts).endswith("per yr")


def test_without_quantity_the_ranges_are_per_unit() -> None:
    facts = toy_facts()
    impacts = estimate(facts, tenant("p", "power-coal"), tenant("c", "cement"), MAT + "coal-fly-ash")
    factor = load_factors().by_material[MAT + "fly-ash"]
    assert impacts["basis"].startswith("per t") and impacts["co2_t"] == list(factor.co2_t)


def test_steam_in_tonnes_is_converted_to_heat() -> None:
    facts = toy_facts()
    power = tenant("p", "power-coal", outputs=(("process-steam", 1000, "t/yr"),))
    impacts = estimate(facts, power, tenant("d", "dairy"), MAT + "process-steam")
    factor = load_factors().by_material[MAT + "steam"]
    assert impacts["per"] == "yr" and impacts["co2_t"][1] == round(1000 * factor.per_tonne * factor.co2_t[1])
    assert any("converted" in a for a in impacts["assumptions"])


def test_no_factor_says_why() -> None:
    facts = toy_facts()
    impacts = estimate(facts, tenant("a", "glass"), tenant("b", "dairy"), MAT + "shared-knowledge")
    assert impacts == {"estimated": False, "reason": impacts["reason"]} and "no impact factor" in impacts["reason"]
    assert summary(impacts) == "-"
