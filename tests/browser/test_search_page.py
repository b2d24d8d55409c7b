"""The shopper search page at /, as a shopper uses it: in headless Chromium, against the app and the
real engine with the test corpus (tests/integration/corpus.py, around Trois-Rivières)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import AXE

SIROP = "/?q=sirop&near=Trois-Rivi%C3%A8res"
MERCHANTS = "/?quoi=commerces&near=Trois-Rivi%C3%A8res"


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def results(page):
    cards = page.locator("#liste .carte-resultat")
    expect(cards.first).to_be_visible()
    return cards


def test_the_page_is_served_at_the_root_in_french(page):
    page.goto("/")
    assert page.evaluate("document.documentElement.lang") == "fr-CA"
    expect(page.get_by_label("Que cherchez-vous ?")).to_be_visible()
    expect(page.get_by_role("button", name="Autour de moi")).to_be_visible()
    expect(page.locator("#carte .leaflet-container, #carte.leaflet-container")).to_have_count(1)


def test_typing_shows_suggestions_and_the_keyboard_picks_one(page):
    page.goto("/")
    box = page.locator("#q")
    box.press_sequentially("f")  # from the first letter
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Escape")
    expect(page.locator("#suggestions")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("ruiterie s")
    expect(page.get_by_role("option", name=re.compile("Fruiterie Saint-Louis"))).to_be_visible()
    for _ in range(page.get_by_role("option").count()):
        box.press("ArrowDown")
        active = box.get_attribute("aria-activedescendant")
        assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
        if "Fruiterie Saint-Louis" in page.locator(f"#{active}").inner_text():
            break
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/commerces/m-tr-08"))
    expect(page.locator("#fiche h2")).to_have_text("Fruiterie Saint-Louis")


def test_a_search_shows_results_markers_and_the_selection_on_both_sides(page):
    page.goto(SIROP)
    cards = results(page)
    expect(page.locator("#compris")).to_contain_text("près de Trois-Rivières")
    expect(cards.first.locator("mark").first).to_have_text(re.compile("sirop", re.I))  # highlight
    expect(page.locator("#carte .marqueur").first).to_be_attached()
    assert page.locator("#carte .marqueur").count() >= 2
    expect(page.locator(".badge.quebec").first).to_be_visible()
    expect(cards.first.locator(".magasins li").first).to_contain_text(re.compile(r"\d+( m| km)"))

    cards.first.locator(".meta").first.click()
    expect(cards.first).to_have_class(re.compile("choisi"))
    expect(page.locator("#carte .marqueur.choisi").first).to_be_attached()

    renders = page.evaluate("window.panier.renders")  # measured, not asserted: docs/benchmarks.md
    print(f"\nfirst render of a result page after the API answered: {renders[0]:.1f} ms")
    assert renders  # the page marks each render


def test_autour_de_moi_searches_around_the_browsers_position(page):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 46.35, "longitude": -72.55})  # Trois-Rivières
    page.goto("/?q=sirop")
    results(page)
    assert "lat" not in query(page)  # no position until the shopper asks
    page.get_by_role("button", name="Autour de moi").click()
    expect(page).to_have_url(re.compile(r"lat=46\.35"))
    assert query(page)["lon"] == ["-72.5500"] and "near" not in query(page)
    expect(results(page).first.locator(".magasins li").first).to_contain_text(re.compile(r"\d+( m| km)"))


def test_the_commerces_switch_searches_merchants(page):
    page.goto(SIROP)
    results(page)
    page.locator("label[for=quoi-commerces]").click()
    expect(page).to_have_url(re.compile("quoi=commerces"))
    expect(page.locator("#liste .badge.service").first).to_be_visible()
    expect(page.locator("#filtres legend", has_text="Services")).to_be_visible()


def test_a_facet_filters_and_its_count_matches(page):
    page.goto(MERCHANTS)
    results(page)
    facet = page.locator("[data-facette=category] button", has_text="Fromagerie")
    expected = int(facet.locator(".n").inner_text())
    facet.click()
    expect(page).to_have_url(re.compile("category=Fromagerie"))
    expect(page.locator("#liste .carte-resultat")).to_have_count(expected)
    expect(page.get_by_role("button", name="Retirer le filtre Catégorie : Fromagerie")).to_be_visible()


def test_back_restores_the_previous_search(page):
    page.goto(SIROP)
    first = results(page).first.locator("h3").inner_text()
    page.locator("#q").fill("miel")
    page.locator("#q").press("Enter")
    expect(page).to_have_url(re.compile("q=miel"))
    expect(results(page).first.locator("h3")).to_contain_text("Miel")
    page.go_back()
    expect(page.locator("#q")).to_have_value("sirop")
    expect(results(page).first.locator("h3")).to_have_text(first)


def test_a_product_page_a_merchant_page_and_back(page):
    page.goto(SIROP)
    title = results(page).first.locator("h3 a")
    name = title.inner_text()
    title.click()
    expect(page).to_have_url(re.compile(r"/produits/p-"))
    expect(page.locator("#fiche h2")).to_have_text(name)
    expect(page.locator("#fiche .magasins li").first).to_be_visible()
    store = page.locator("#fiche .magasins li a.nom").first
    merchant = store.inner_text()
    store.click()
    expect(page).to_have_url(re.compile(r"/commerces/m-"))
    expect(page.locator("#fiche h2")).to_have_text(merchant)
    expect(page.locator("#carte .marqueur")).to_have_count(1)
    page.go_back()
    expect(page.locator("#fiche h2")).to_have_text(name)
    page.go_back()
    expect(page.locator("#resultats")).to_be_visible()
    assert query(page)["q"] == ["sirop"]


def test_moving_the_map_offers_to_search_this_area(page):
    page.goto(SIROP)
    results(page)
    expect(page.locator("#zone")).to_be_hidden()
    page.locator(".leaflet-control-zoom-in").click()
    zone = page.get_by_role("button", name="Chercher dans cette zone")
    expect(zone).to_be_visible()
    zone.click()
    expect(page).to_have_url(re.compile("bbox="))
    expect(page.locator("#compris")).to_contain_text("Dans la zone de la carte")
    results(page)


def test_a_dead_end_offers_what_the_shopper_meant(page):
    page.goto("/?q=vromage&near=Trois-Rivi%C3%A8res")
    expect(page.locator("#compris")).to_contain_text("Vouliez-vous dire fromage")
    page.get_by_role("link", name="fromage", exact=True).click()
    expect(results(page).first).to_contain_text("Fromage")


def test_what_was_understood_is_said_with_a_literal_search(page):
    page.goto("/?q=sirop%20du%20qu%C3%A9bec%20%C3%A0%20trois-rivi%C3%A8res")
    expect(page.locator("#compris")).to_contain_text("autour de Trois-Rivières")
    page.get_by_role("link", name=re.compile("chercher exactement")).click()
    expect(page).to_have_url(re.compile("literal=true"))
    expect(page.locator("#compris")).to_contain_text("Recherche exacte")


def test_keyboard_only_search_and_open_a_result(page):
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link first
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("sirop")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "near"
    page.keyboard.type("Trois-Rivières")
    page.keyboard.press("Enter")
    results(page)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#liste h3')"):
            break
    else:
        pytest.fail("Tab never reached a result")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/produits/p-"))


@pytest.mark.parametrize(
    "path", ["/", SIROP, MERCHANTS, "/?q=vromage&near=Trois-Rivi%C3%A8res", "/produits/p-01"]
)
def test_axe_finds_no_serious_accessibility_violation(page, path):
    page.goto(path)
    page.wait_for_function("window.panier && window.panier.ready")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    print(
        f"\naxe-core {found['testEngine']['version']} on {path}: {len(found['violations'])} violations, "
        f"{len(serious)} serious or critical"
    )
    assert not serious, "\n".join(serious)


def test_a_phone_has_no_horizontal_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    for path in (SIROP, MERCHANTS, "/produits/p-01"):
        page.goto(path)
        page.wait_for_function("window.panier && window.panier.ready")
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], (path, width)


def test_the_page_s_own_content_security_policy_allows_what_it_loads(browser, base_url):
    context = browser.new_context(base_url=base_url)  # without bypass_csp
    tab = context.new_page()
    problems = []
    tab.on("console", lambda m: m.type == "error" and problems.append(m.text))
    tab.goto(SIROP)
    expect(tab.locator("#carte .marqueur").first).to_be_attached()
    context.close()
    assert not problems
