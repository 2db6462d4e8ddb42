"""The entity linker's rules, each on a tiny knowledge base made here."""

from __future__ import annotations

from functools import partial

from ontology.records import NodeRecord, RelRecord
from ontology.text import fold
from retrieval.evaluation import GoldExample, split_gold
from retrieval.linking import EntityLinker, company_parks
from retrieval.linking_rules import site_phrases
from retrieval.linking_text import british, language, short_names, words

ID = "https://w3id.org/symbiosis/id/"
PARK = ID + "park/p"


def node(kind: str, slug: str, label: str, synonyms: tuple[str, ...] = (), vi: tuple[str, ...] = ()) -> NodeRecord:
    names = sorted({fold(n) for n in (label, *synonyms, *vi)})
    props = {"label_en": label, "synonyms_en": list(synonyms), "synonyms_vi": list(vi), "names": names}
    return NodeRecord(f"{ID}{kind.lower()}/{slug}", kind, props)


NODES = [
    node("Industry", "cement", "Cement manufacturing", ("cement plant",)),
    node("Industry", "power-coal", "Coal-fired power generation", ("coal power plant",)),
    node("Industry", "refining", "Petroleum refining", ("oil refinery",)),
    node("Industry", "paper", "Pulp and paper manufacturing", ("paper mill", "printing paper")),
    node("Industry", "tissue", "Tissue paper converting", ("toilet paper",)),
    node("Material", "coal", "Coal", vi=("than",)),
    node("Material", "beer", "Beer"),
    node("Material", "cardboard", "Cardboard", vi=("giấy bìa",)),
    node("Material", "steam", "Steam", vi=("hơi",)),
    node("Park", "p", "Portside Industrial Park"),
    node("Company", "refinery", "Portside oil refinery (Acme Oil)"),
    node("Company", "station", "Portside Power Station"),
    node("Company", "neste", "Nestor Porvoo cracker"),
]
RELS = [RelRecord("IN_PARK", f"{ID}company/{c}", PARK) for c in ("refinery", "station", "neste")]


def linked(text: str, park: str | None = None, nodes: list[NodeRecord] = NODES) -> set[str]:
    """The entities linked in ``text``, as "kind/slug"."""
    linker = EntityLinker(nodes, company_parks=company_parks(RELS))
    [found] = linker.link([text], parks=[park])
    return {m.entity_iri.removeprefix(ID) for m in found}


def slugs_in(linker: EntityLinker, text: str, park: str | None = None) -> set[str]:
    """The slugs of the entities ``linker`` links in ``text`` ("bor-a" for .../company/bor-a)."""
    [found] = linker.link([text], parks=[park])
    return {m.entity_iri.rsplit("/", 1)[-1] for m in found}


def test_plural_head_noun_names_the_industry() -> None:
    assert "industry/cement" in linked("Fly ash is sold to cement plants in the region.")
    assert "industry/cement" in linked("The coast has steel, cement and paper works.")


def test_coordinated_modifiers_may_each_have_an_article() -> None:
    assert "industry/power-coal" in linked("Two refineries and a coal-fired and an oil-fired power plant.")
    assert "industry/cement" not in linked("It ships cement and a paper plant is next door.")


def test_plant_mill_and_works_name_the_same_kind_of_site() -> None:
    # "paper" alone fits the paper and the tissue industry equally; "paper plant" is a "paper mill"
    assert "industry/paper" in linked("The coast holds chemical and paper plants.")
    assert "industry/tissue" not in linked("The coast holds chemical and paper plants.")
    assert "industry/paper" not in linked("The coast holds a paper refinery.")


def test_hyphenated_adjective_is_not_the_material_but_names_the_industry() -> None:
    found = linked("It was long a coal-fired station burning imported fuel.")
    assert "material/coal" not in found
    assert "industry/power-coal" in found
    assert "material/coal" in linked("The station burns coal from the port.")


def test_definite_site_in_a_park_is_the_parks_company() -> None:
    found = linked("A pipeline brought lake water to the new refinery in 1961.", PARK)
    assert "company/refinery" in found and "industry/refining" not in found
    assert "company/station" in linked("The refinery sends cooling water to the power station.", PARK)
    # without the park context, or for an indefinite site, nothing is guessed
    assert "company/refinery" not in linked("A pipeline brought lake water to the new refinery in 1961.")
    assert "company/refinery" not in linked("The region has an oil refinery and a port.", PARK)


def test_capitalised_word_keeps_its_plural_s() -> None:
    assert "material/beer" not in linked("Van Beers and colleagues compared the two regions.")
    assert "material/beer" in linked("The brewery sells beers and spent grain.")


def test_vietnamese_names_need_their_marks_and_a_vietnamese_passage() -> None:
    assert "material/cardboard" in linked("Các doanh nghiệp thu gom giấy bìa và nhựa để tái chế trong khu.")
    assert "material/cardboard" not in linked("Các doanh nghiệp thu gom giấy bia và nhựa để tái chế trong khu.")
    assert "material/coal" not in linked("The plant is larger than the one next to it and uses more water.")
    # a single Vietnamese syllable is mostly part of a compound: "lò hơi" is a boiler, not steam
    assert "material/steam" not in linked("Tro từ lò hơi của nhà máy được dùng làm gạch không nung.")


def test_leading_proper_name_of_a_company_is_a_short_name_when_capitalised() -> None:
    assert "company/neste" in linked("Nestor and its neighbours studied heat exports.", PARK)
    assert "company/neste" not in linked("a nestor of the industry spoke first.", PARK)


def test_site_phrases_read_determiners_and_coordination() -> None:
    [p] = site_phrases(words("Slag goes to CSBP's ammonia plant."))
    assert p.definite and p.groups == (("ammonia",),)
    [p] = site_phrases(words("It holds cement and lime plants."))
    assert not p.definite and p.groups == (("cement",), ("lime",))


def test_language_is_told_from_marks_and_function_words() -> None:
    assert language(words("Tro bay từ nhà máy nhiệt điện được dùng làm xi măng.")) == "vi"
    assert language(words("The ash from the power station goes to the cement plant.")) == "en"
    assert language(words("tro bay")) == ""


def test_gold_splits_by_id() -> None:
    gold = [GoldExample(i, "x", frozenset()) for i in ("g001", "g110", "g111", "g207", "d001", "d300")]
    assert [g.id for g in split_gold(gold, "dev")] == ["g001", "g110", "d001", "d300"]
    assert [g.id for g in split_gold(gold, "test")] == ["g111", "g207"]
    assert len(split_gold(gold, "all")) == 6


def test_short_forms_of_labels_are_names_only_when_unambiguous() -> None:
    assert short_names("Digestate from anaerobic digestion") == {"digestate"}
    assert {"oxygen"} <= short_names("Oxygen gas")
    assert "filter mud" in short_names("Sugar mill filter mud")
    assert not any(f.startswith("and") for f in short_names("Oily rags, absorbents and filters"))
    nodes = [
        node("Material", "digestate", "Digestate from anaerobic digestion"),
        node("Material", "gypsum-a", "Gypsum from acid neutralisation"),
        node("Material", "fgd-gypsum", "FGD gypsum"),
        node("Material", "bricks", "Non-fired bricks"),
    ]
    nodes[3].props["label_vi"] = "Gạch không nung và gạch block bê tông"
    [found] = EntityLinker(nodes).link(["The digestate and the gypsum go to farms."])
    assert {m.entity_iri.rsplit("/", 1)[-1] for m in found} == {"digestate"}  # "gypsum" is in another name
    [vi] = EntityLinker(nodes).link(["Tro lò hơi được dùng làm gạch không nung thay vì chôn lấp."])
    assert [m.entity_iri.rsplit("/", 1)[-1] for m in vi] == ["bricks"]


def test_bracketed_aliases_are_proper_names_and_acronyms_not_descriptions() -> None:
    nodes = [
        node("Company", "sk", "SK Energy Ulsan complex (refinery)"),
        node("Company", "jac", "Jurong Aromatics Corporation (JAC)"),
        node("Company", "bor-a", "Borealis Porvoo (olefins and polyolefins)"),
        node("Company", "bor-b", "Borealis Stenungsund cracker"),
        node("Company", "k-oil", "Kalundborg oil refinery"),
        node("Company", "k-heat", "Kalundborg heat utility"),
        node("Park", "k", "Kalundborg Symbiosis"),
    ]
    parks = {ID + "company/bor-a": ID + "park/porvoo", ID + "company/bor-b": ID + "park/sten"}
    parks |= {ID + f"company/{c}": ID + "park/k" for c in ("k-oil", "k-heat")}
    linker = EntityLinker(nodes, company_parks=parks)

    slugs = partial(slugs_in, linker)

    assert "sk" not in slugs("The refinery exports steam.")
    assert "jac" in slugs("Steam goes to JAC next door.") and "jac" not in slugs("a jac of all trades")
    assert "bor-a" not in slugs("Olefins and polyolefins are made here.")
    assert slugs("Borealis and its neighbours export heat.", ID + "park/porvoo") == {"bor-a"}
    assert slugs("Kalundborg is a port town.") == {"k"}


def test_vietnamese_site_phrase_names_the_industry_head_first() -> None:
    brewing = node("Industry", "brewing", "Beer brewing")
    brewing.props["label_vi"] = "Sản xuất bia"
    paper = node("Industry", "paper", "Paper manufacturing")
    paper.props["label_vi"] = "Sản xuất giấy"
    footwear = node("Industry", "shoes", "Footwear")
    footwear.props["label_vi"] = "Sản xuất giày"
    linker = EntityLinker([brewing, paper, footwear])

    slugs = partial(slugs_in, linker)

    assert slugs("Ở ngành bia, khí sinh học thường được thu hồi từ nước thải.") == {"brewing"}
    assert slugs("Khu có nhiều nhà máy giấy và một nhà máy giày.") == {"paper", "shoes"}  # marks tell them apart
    assert slugs("Nhà máy Heineken thu hồi khí sinh học.") == set()  # a name, not what the plant makes


def test_park_names_proper_names_and_longer_names_in_the_text() -> None:
    nodes = [
        node("Park", "kw", "Kwinana Industrial Area"),
        node("Park", "gt", "Guitang Group sugar complex (Guigang)"),
        node("Park", "gl", "Gladstone industrial region"),
        node("Company", "bp", "BP Refinery (Kwinana)"),
        node("Company", "novo", "Novozymes Kalundborg (enzyme production)"),
        node("Company", "vl", "Viet Lang Forest Products"),
        node("Company", "hk", "Heineken Vietnam brewery"),
    ]
    parks = {ID + "company/bp": ID + "park/kw", ID + "company/novo": ID + "park/k"}
    parks |= {ID + "company/vl": ID + "park/hk", ID + "company/hk": ID + "park/hk"}
    linker = EntityLinker(nodes, company_parks=parks)

    slugs = partial(slugs_in, linker)

    # a place's name in a company's brackets names the place; a park's leading proper name is a short name
    assert slugs("Van Beers compared Gladstone with Kwinana.") == {"gl", "kw"}
    assert slugs("At Guitang the liquor goes to an alkali recovery plant.") == {"gt"}
    # a capitalised plural keeps its "s" in the text, so the name is also kept as written
    assert slugs("Water from Novo Nordisk and Novozymes leaves treatment warm.") == {"novo"}
    # the start of a longer proper name is not the short name: a site, or a name the label does not continue
    assert slugs("Gladstone Power Station sells its output to the smelter.") == set()
    assert slugs("Zinc Oxide Viet Nam takes the dust.") == set()
    assert slugs("Viet Lang sells wood offcuts; Heineken Viet Nam recovers biogas.") == {"vl", "hk"}


def test_citations_acronyms_and_compound_sites() -> None:
    nodes = [
        node("Company", "orsted", "Orsted Asnaes station"),
        node("Material", "dap", "Diammonium phosphate", ("DAP", "MAP")),
        node("Material", "grain", "Grain screenings", ("cleanings",)),
        node("Industry", "steel", "Iron and steel making", ("steel plant",)),
        node("Industry", "steam", "Steam supply", ("boiler plant",)),
    ]
    linker = EntityLinker(nodes)

    slugs = partial(slugs_in, linker)

    # a name in a citation is a source; a bracket about time is not a citation
    assert slugs("Biomethane reaches the refinery (Orsted 2018).") == set()
    assert slugs("Steam went to Orsted (from 1987) and then to the town.") == {"orsted"}
    # an acronym in the knowledge base matches only in capitals; a plural name's key is not a common word
    assert slugs("The aim is to map flows across tenants.") == set()
    assert slugs("MAP and DAP are fertilisers.") == {"dap"}
    assert slugs("Water is used for cleaning.") == set()
    # "steelworks" is a steel plant; a plural ends a coordination ("boilers or effluent plants")
    assert slugs("Slag from two steelworks goes to cement.") == {"steel"}
    assert "steam" not in slugs("Tenants avoid building their own boilers or effluent plants.")


def test_definite_site_is_the_parks_company_of_that_industry() -> None:
    nodes = [
        node("Industry", "cement", "Cement manufacturing", ("cement plant",)),
        node("Industry", "refining", "Petroleum refining", ("oil refinery",)),
        node("Company", "ca", "Cement Australia Fisherman's Landing"),
        node("Company", "ref", "Portside oil refinery"),
    ]
    parks = {ID + "company/ca": PARK, ID + "company/ref": PARK}
    industries = {ID + "company/ca": {ID + "industry/cement"}}
    linker = EntityLinker(nodes, company_parks=parks, company_industries=industries)

    slugs = partial(slugs_in, linker, park=PARK)

    assert "ca" in slugs("Fly ash goes to the regional cement works.")
    assert "ref" in slugs("A pipeline brought lake water to the new refinery.")


def test_places_and_common_words_are_not_park_names_and_capitalised_nouns_in_names_are_not_mentions() -> None:
    nodes = [
        node("Park", "shb", "South Humber Bank industrial area (Immingham)"),
        node("Park", "bar", "Barceloneta pharmaceutical cluster (Puerto Rico)"),
        node("Park", "gua", "Guayama industrial symbiosis (Puerto Rico)"),
        node("Material", "south", "Southern ore", ("south",)),  # "south" is written in lower case somewhere
        node("Material", "biogas", "Biogas"),
        node("Industry", "admin", "Public administration", ("municipality",)),
        node("Process", "cog", "Bagasse-fired cogeneration"),
    ]
    linker = EntityLinker(nodes)

    slugs = partial(slugs_in, linker)

    assert slugs("The South Humber Bank hosts two refineries.") == {"shb"}
    assert "shb" not in slugs("It lies on the South coast of the island.")
    assert slugs("Puerto Rico has two documented clusters: Barceloneta and Guayama.") == {"bar", "gua"}
    assert slugs("Svensk Biogas built a plant; biogas fuels buses.") == {"biogas"}
    assert slugs("Burnside lies in Halifax Regional Municipality.") == set()
    assert slugs("A coal-fired cogeneration plant sells steam.") == set()


def test_a_phrase_that_shortens_one_name_is_a_partial_mention_checked_by_the_passage() -> None:
    from retrieval.linking_partial import PartialNames

    nodes = [
        node("Material", "gbfs", "Granulated blast furnace slag"),
        node("Material", "pbfs", "Pelletised blast furnace slag"),
        node("Material", "ss", "Steel slag"),
    ]
    shortenings = PartialNames(nodes, exact={"steel slag"})

    def match(text: str) -> str | None:
        ws = words(text)
        iri = shortenings.match(ws, 0, len(ws))
        return iri.rsplit("/", 1)[-1] if iri else None

    assert match("granulated slag") == "gbfs"
    assert match("furnace slag") is None  # two names fit equally: too vague
    assert match("steel slag") is None  # a whole name is the exact matcher's
    assert match("slag granulated") is None  # the head must be the name's last word
    assert match("recovery plant") is None  # a site phrase is read by the site rules
    # without embeddings to check the passage is about the entity, a partial mention is not kept
    assert EntityLinker(nodes).link(["The granulated slag is ground."]) == [[]]


def test_american_spellings_match_british_names() -> None:
    nodes = [node("Material", "acid", "Sulphuric acid"), node("Industry", "fert", "Fertiliser manufacturing")]
    found = linked("Sulfuric acid goes to the fertilizer manufacturing plant.", nodes=nodes)
    assert found == {"material/acid", "industry/fert"}
    assert british("desulfurization") == "desulphurisation"
    assert [british(w) for w in ("size", "aluminum", "citizen")] == ["size", "aluminium", "citizen"]


def test_a_material_that_only_says_what_a_site_makes_is_not_mentioned() -> None:
    nodes = [*NODES, node("Material", "cement", "Portland cement", ("cement",)), node("Material", "lime", "Lime")]
    found = partial(linked, nodes=nodes)
    assert found("Fly ash is sold to cement makers.") == {"industry/cement"}
    assert "material/cement" not in found("The bay holds steel, cement and paper plants.")
    # named outside the site phrase as well: a mention
    assert "material/cement" in found("Cement plants grind clinker into cement.")


def test_the_site_a_company_stands_beside_is_not_that_company() -> None:
    nodes = [
        node("Company", "neste", "Neste Porvoo refinery"),
        node("Company", "linde", "Linde (AGA) hydrogen production unit at the Porvoo refinery"),
    ]
    rels = [RelRecord("IN_PARK", f"{ID}company/{c}", PARK) for c in ("neste", "linde")]
    linker = EntityLinker(nodes, company_parks=company_parks(rels))
    assert slugs_in(linker, "The boilers burn the refinery's own side streams.", PARK) == {"neste"}


def test_an_industry_named_beside_a_company_of_that_industry_describes_the_company() -> None:
    nodes = [
        node("Industry", "fert", "Fertiliser manufacturing", ("fertiliser plant",)),
        node("Industry", "beer", "Brewing", vi=("sản xuất bia",)),
        node("Company", "supra", "Supra fertiliser plant, Landskrona"),
        node("Company", "heineken", "Heineken Da Nang Brewery", vi=("Nhà máy bia Heineken Đà Nẵng",)),
        node("Company", "other", "Acme Chemicals"),
    ]
    company_industries = {f"{ID}company/supra": {f"{ID}industry/fert"}, f"{ID}company/heineken": {f"{ID}industry/beer"}}
    linker = EntityLinker(nodes, company_industries=company_industries)
    slugs = partial(slugs_in, linker)
    assert slugs("Heat came from the Supra fertiliser plant.") == {"supra"}
    assert slugs("Biogas is recovered at Nhà máy bia Heineken Đà Nẵng.") == {"heineken"}
    # beside a company of another industry, or named elsewhere in the passage as well: the industry is mentioned
    assert slugs("Acme Chemicals fertiliser plant.") == {"other", "fert"}
    assert slugs("The Supra fertiliser plant is one of many: every fertiliser plant emits CO2.") == {"supra", "fert"}


def test_a_short_form_other_names_are_built_on_is_a_general_term_not_a_name() -> None:
    nodes = [
        node("Material", "sorted", "Sorted non-ferrous metal"),
        node("Industry", "smelting", "Non-ferrous metal smelting"),
        node("Material", "scrap", "Non-ferrous metal scrap"),
        node("Material", "gbfs", "Granulated blast furnace slag"),
    ]
    found = partial(linked, nodes=nodes)
    assert found("The plant recovers non-ferrous metal from ash.") == set()
    assert found("Granulated slag and blast furnace slag are ground.") == {"material/gbfs"}


def test_set_phrases_and_general_terms_are_not_names() -> None:
    nodes = [
        node("Industry", "glass", "Greenhouse vegetable growing", ("greenhouse",), vi=("nhà kính",)),
        node("Material", "kg", "Kieselguhr filter cake"),
    ]
    found = partial(linked, nodes=nodes)
    assert found("Greenhouse gases fell, while CO2 went to the greenhouses.") == {"industry/glass"}
    assert found("Giảm phát thải khí nhà kính.") == set()
    assert found("Rau trồng trong nhà kính.") == {"industry/glass"}
    # "filter cake" is any filter's cake, not a short name of the kieselguhr one
    assert found("The filter cake is landfilled.") == set()
    assert found("The kieselguhr filter cake is landfilled.") == {"material/kg"}
