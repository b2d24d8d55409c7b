"""The sample generator writes contract-valid, deterministic, realistically shaped data."""

import random
import re
import statistics
from collections import Counter, defaultdict

import orjson
import pytest

from indexer.records.schemas import MERCHANT, PRODUCT
from sample_data import generate, words
from sample_data.catalogue import gtin13
from sample_data.cities import quebec_cities, region_of
from sample_data.listings import listing_counts

MERCHANTS, LISTINGS, SEED = 50, 2_000, 7
QUEBEC_REGIONS = {
    "Bas-Saint-Laurent", "Saguenay–Lac-Saint-Jean", "Capitale-Nationale", "Mauricie", "Estrie", "Montréal",
    "Outaouais", "Abitibi-Témiscamingue", "Côte-Nord", "Nord-du-Québec", "Gaspésie–Îles-de-la-Madeleine",
    "Chaudière-Appalaches", "Laval", "Lanaudière", "Laurentides", "Montérégie", "Centre-du-Québec",
}  # fmt: skip
_EAST = ("Bas-Saint-Laurent", "Saguenay–Lac-Saint-Jean", "Capitale-Nationale", "Côte-Nord",
         "Gaspésie–Îles-de-la-Madeleine", "Chaudière-Appalaches")  # fmt: skip
_AROUND_MONTREAL = ("Laval", "Lanaudière", "Laurentides", "Montérégie")
AREA_CODES = {
    region: {"514", "438"} if region == "Montréal"
    else {"450"} if region in _AROUND_MONTREAL
    else {"418"} if region in _EAST
    else {"819"}
    for region in QUEBEC_REGIONS
}  # fmt: skip


def read_lines(path):
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def product_key(record):
    return record["gtin"] or (record["name"], record["brand"])


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    reports = []
    summary = generate(out, merchants=MERCHANTS, listings=LISTINGS, seed=SEED, progress=reports.append)
    return summary, reports


@pytest.fixture(scope="module")
def merchants(generated):
    return read_lines(generated[0].merchants_path)


@pytest.fixture(scope="module")
def products(generated):
    return read_lines(generated[0].products_path)


def test_every_merchant_line_passes_the_merchant_schema(merchants):
    for record in merchants:
        assert MERCHANT.validate(record) == {}, record["id"]


def test_every_product_line_passes_the_product_schema(products):
    for record in products:
        assert PRODUCT.validate(record) == {}, record["id"]


def test_counts_are_exact_and_the_summary_reports_them(generated, merchants, products):
    summary, _ = generated
    assert (summary.merchants, summary.listings) == (MERCHANTS, LISTINGS)
    assert len(merchants) == MERCHANTS
    assert len(products) == LISTINGS
    assert [m["id"] for m in merchants] == [f"m-{n:06d}" for n in range(1, MERCHANTS + 1)]
    assert len({p["id"] for p in products}) == LISTINGS


def test_every_product_belongs_to_a_generated_merchant(merchants, products):
    merchant_ids = {m["id"] for m in merchants}
    for record in products:
        assert record["merchant_id"] in merchant_ids
        assert re.fullmatch(r"p-\d{6}-\d{4,}", record["id"])
        assert record["id"][2:8] == record["merchant_id"][2:]


def test_files_are_utf8_json_lines_with_french_text_unescaped(generated):
    text = generated[0].products_path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert "\\u" not in text
    assert re.search(r"[éèàç]", text)


def test_same_seed_gives_byte_identical_files(generated, tmp_path):
    again = generate(tmp_path, merchants=MERCHANTS, listings=LISTINGS, seed=SEED)
    assert again.merchants_path.read_bytes() == generated[0].merchants_path.read_bytes()
    assert again.products_path.read_bytes() == generated[0].products_path.read_bytes()


def test_another_seed_gives_different_files(generated, tmp_path):
    other = generate(tmp_path, merchants=MERCHANTS, listings=LISTINGS, seed=SEED + 1)
    assert other.merchants_path.read_bytes() != generated[0].merchants_path.read_bytes()
    assert other.products_path.read_bytes() != generated[0].products_path.read_bytes()


def test_no_temporary_files_are_left_behind(generated):
    assert sorted(p.name for p in generated[0].merchants_path.parent.iterdir()) == [
        "merchants.jsonl",
        "products.jsonl",
    ]


def test_listings_per_merchant_have_a_heavy_tail(products):
    per_merchant = Counter(p["merchant_id"] for p in products)
    assert len(per_merchant) == MERCHANTS  # everyone has at least one listing
    counts = sorted(per_merchant.values())
    assert counts[-1] >= 10 * statistics.median(counts)


def test_large_runs_give_a_few_merchants_thousands_of_listings_and_most_tens():
    counts = listing_counts(22_000, 2_200_000, random.Random(1))
    assert sum(counts) == 2_200_000
    assert min(counts) >= 1
    assert 10 <= statistics.median(counts) < 100
    assert 1_000 <= max(counts) < 20_000
    assert 0 < sum(c >= 1_000 for c in counts) < 0.05 * len(counts)


@pytest.mark.parametrize(
    ("merchants", "listings"), [(1, 1), (7, 7), (10, 3), (3, 0), (50, 2_000), (999, 12_345)]
)
def test_listing_counts_sum_exactly_and_give_everyone_one_when_there_are_enough(merchants, listings):
    counts = listing_counts(merchants, listings, random.Random(3))
    assert len(counts) == merchants
    assert sum(counts) == listings
    assert min(counts) >= 0
    if listings >= merchants:
        assert min(counts) >= 1


def test_listings_without_merchants_are_refused():
    with pytest.raises(ValueError, match="at least one merchant"):
        listing_counts(0, 10, random.Random(0))


def test_about_fifteen_percent_of_listings_are_out_of_stock(products):
    quantities = [p["stock"]["quantity"] for p in products]
    assert 0.11 <= sum(q == 0 for q in quantities) / len(quantities) <= 0.19
    assert max(quantities) <= 200
    assert min(q for q in quantities if q) >= 1


def test_catalogue_items_are_listed_by_several_merchants(products):
    by_gtin, by_name_and_brand = defaultdict(set), defaultdict(set)
    for p in products:
        if p["gtin"]:
            by_gtin[p["gtin"]].add(p["merchant_id"])
        by_name_and_brand[(p["name"], p["brand"])].add(p["merchant_id"])
    assert any(len(ids) >= 2 for ids in by_gtin.values())
    assert sum(len(ids) >= 2 for ids in by_name_and_brand.values()) >= 20


def test_one_catalogue_item_keeps_its_name_brand_gtin_and_quebec_status_everywhere(products):
    first_seen = {}
    for p in products:
        facts = (p["name"], p["brand"], p["gtin"], p["quebec_product"], p["certifications"], p["categories"])
        assert first_seen.setdefault(product_key(p), facts) == facts


def test_a_merchant_lists_each_catalogue_item_once(products):
    listed = Counter((p["merchant_id"], product_key(p)) for p in products)
    assert max(listed.values()) == 1


def test_prices_of_one_item_stay_within_fifteen_percent_of_its_base(products):
    prices = defaultdict(list)
    for p in products:
        assert p["price"] >= 0
        assert round(p["price"], 2) == p["price"]
        prices[product_key(p)].append(p["price"])
    spreads = [max(v) / min(v) for v in prices.values() if len(v) >= 2]
    assert spreads
    assert max(spreads) <= 1.15 / 0.85 + 0.01


def test_gtins_are_thirteen_digits_with_a_valid_check_digit(products):
    gtins = {p["gtin"] for p in products if p["gtin"]}
    assert gtins
    for gtin in gtins:
        assert re.fullmatch(r"\d{13}", gtin)
        assert gtin13(gtin[:12]) == gtin


def test_gtin13_computes_the_gs1_check_digit():
    assert gtin13("400638133393") == "4006381333931"
    assert gtin13("003600029145") == "0036000291452"


def test_about_forty_percent_of_catalogue_items_are_quebec_products_most_certified(products):
    items = {product_key(p): p for p in products}.values()
    quebec = [p for p in items if p["quebec_product"]]
    assert 0.3 <= len(quebec) / len(items) <= 0.5
    assert sum(bool(p["certifications"]) for p in quebec) / len(quebec) >= 0.7
    assert not any(p["certifications"] for p in items if not p["quebec_product"])
    allowed = {"Aliments du Québec", "Aliments préparés au Québec", "Produit du Québec", "Québec Vrai",
               "Biologique Canada"}  # fmt: skip
    assert {c for p in quebec for c in p["certifications"]} <= allowed


def test_listings_fit_their_merchants_kinds(merchants, products):
    kinds = {m["id"]: m["categories"][1:] for m in merchants}
    families_of = {
        m_id: {words.FAMILIES[f].categories for k in ks for f in words.KINDS[k].families}
        for m_id, ks in kinds.items()
    }
    for p in products:
        assert tuple(p["categories"]) in families_of[p["merchant_id"]]


def test_merchant_categories_are_one_broad_category_and_one_or_two_kinds(merchants):
    broad = {"Alimentation", "Maison", "Mode", "Culture", "Santé"}
    for m in merchants:
        first, *kinds = m["categories"]
        assert first in broad
        assert 1 <= len(kinds) <= 2
        assert all(words.KINDS[k].broad == first for k in kinds)


def test_regions_are_quebec_administrative_regions(merchants):
    assert set(words.REGIONS) == QUEBEC_REGIONS
    assert {m["address"]["region"] for m in merchants} <= QUEBEC_REGIONS
    assert all(c.region in QUEBEC_REGIONS for c in quebec_cities())


def test_montreal_is_in_the_montreal_region(merchants):
    montreal = [m for m in merchants if m["address"]["city"] == "Montréal"]
    assert montreal, "Montréal is the most populous city; a sample of 50 merchants has some"
    assert {m["address"]["region"] for m in montreal} == {"Montréal"}
    assert {c.region for c in quebec_cities() if c.name == "Montréal"} == {"Montréal"}


@pytest.mark.parametrize(
    ("city", "region"),
    [
        ("Laval", "Laval"),
        ("Québec", "Capitale-Nationale"),
        ("Longueuil", "Montérégie"),
        ("Gatineau", "Outaouais"),
        ("Sherbrooke", "Estrie"),
        ("Saguenay", "Saguenay–Lac-Saint-Jean"),
        ("Trois-Rivières", "Mauricie"),
        ("Lévis", "Chaudière-Appalaches"),
        ("Terrebonne", "Lanaudière"),
        ("Rimouski", "Bas-Saint-Laurent"),
        ("Sept-Îles", "Côte-Nord"),
        ("Drummondville", "Centre-du-Québec"),
        ("Rouyn-Noranda", "Abitibi-Témiscamingue"),
        ("Saint-Jérôme", "Laurentides"),
        ("Brossard", "Montérégie"),
        ("Verdun", "Montréal"),
    ],
)
def test_cities_are_placed_in_their_region(city, region):
    assert {c.region for c in quebec_cities() if c.name == city} == {region}


def test_namesakes_outside_the_montreal_area_fall_back_to_the_nearest_centre():
    assert region_of("Sainte-Catherine", 45.40008, -73.58248) == "Montérégie"
    assert region_of("Sainte-Catherine", 46.31836, -72.56632) == "Mauricie"


def test_merchants_sit_within_a_few_kilometres_of_their_city(merchants):
    centres = {c.name: (c.lat, c.lon) for c in quebec_cities()}
    for m in merchants:
        lat, lon = centres[m["address"]["city"]]
        dy = (m["location"]["lat"] - lat) * 111.2
        dx = (m["location"]["lon"] - lon) * 111.2 * 0.7  # cos(45°) or less in southern Quebec
        assert (dx * dx + dy * dy) ** 0.5 <= 3.5


def test_addresses_and_phones_have_quebec_shapes(merchants):
    for m in merchants:
        address = m["address"]
        assert address["province"] == "QC"
        assert re.fullmatch(r"\d{1,4} \S.*", address["street"])
        assert re.fullmatch(r"[GHJ]\d[A-Z] \d[A-Z]\d", address["postal_code"])
        if address["region"] in ("Montréal", "Laval"):
            assert address["postal_code"][0] == "H"
        else:
            assert address["postal_code"][0] in "GJ"
        assert re.fullmatch(r"\+1 \d{3} 555-01\d\d", m["phone"])
        assert m["phone"][3:6] in AREA_CODES[address["region"]]


def test_services_websites_and_timestamps_follow_the_contract(merchants, products):
    for m in merchants:
        assert set(m["services"]) <= {"livraison", "cueillette", "achat_en_ligne"}
        assert m["website"] is None or re.fullmatch(r"https://[a-z0-9-]+\.example\.ca", m["website"])
    for record in [*merchants, *products]:
        assert re.fullmatch(r"202[56]-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["updated_at"])
        assert record["updated_at"] < "2026-11-20"  # in the past: updated_at orders later changes
    assert 0.3 <= sum(m["website"] is not None for m in merchants) / len(merchants) <= 0.9


def test_progress_reports_growing_counts_ending_at_the_total(generated, tmp_path):
    _, reports = generated
    assert reports[-1] == LISTINGS
    reports = []
    generate(tmp_path, merchants=20, listings=25_000, seed=1, progress=reports.append)
    assert reports == sorted(reports)
    assert len(reports) >= 2
    assert reports[-1] == 25_000
