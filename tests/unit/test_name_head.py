"""What a French product name names: its words before the first qualifier (pure)."""

from __future__ import annotations

import pytest

from indexer.records.text import name_head


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("Épices à steak, 75 g", "Épices"),
        ("Bifteck de surlonge", "Bifteck"),
        ("Sirop d'érable pur, ambré, 540 ml", "Sirop"),
        ("Sirop d’érable", "Sirop"),  # a typographic apostrophe too
        ("Tarte aux myrtilles", "Tarte"),
        ("Lapin en chocolat noir, 200 g", "Lapin"),
        ("Chocolat noir 70 %, 100 g", "Chocolat noir"),
        ("Fromage La Fleur des champs, 250 g", "Fromage La"),  # two words at most
        ("Steak haché et oignons", "Steak haché"),
        ("Café (moulu)", "Café"),
        ("Pure maple syrup", "Pure maple"),
    ],
)
def test_the_head_is_the_words_before_the_first_preposition_or_comma(name, head):
    assert name_head(name) == head


def test_a_name_that_starts_with_a_qualifier_keeps_its_first_word():
    assert name_head("De la confiture") == "De la"  # never empty
    assert name_head("Aux fines herbes, tartinade") == "Aux fines"
