"""Relaxing a search that found nothing: which words to keep, and when to look further away."""

from query_api.relaxation import MAX_RADIUS_KM, Relaxed, decide, wider_radius


def test_words_no_listing_contains_are_dropped():
    assert decide(["gâteau", "anniversaire"], [0, 12], None, 25) == Relaxed(["anniversaire"], ["gâteau"])


def test_when_every_word_is_found_but_not_together_the_most_common_is_dropped():
    assert decide(["saucisses", "maison"], [40, 900], None, 25) == Relaxed(["saucisses"], ["maison"])
    relaxed = decide(["fromage", "chèvre", "frais"], [900, 60, 300], None, 25)
    assert relaxed == Relaxed(["chèvre", "frais"], ["fromage"])
    assert relaxed.any_word  # of the two left, either may match


def test_nothing_within_the_radius_looks_four_times_as_far():
    assert decide(["miel"], [0], [2], 10) == Relaxed(["miel"], [], 40.0)
    assert decide(["miel", "bleu"], [0, 0], [3, 0], 10) == Relaxed(["miel"], ["bleu"], 40.0)


def test_the_wider_radius_is_capped():
    assert wider_radius(200) == MAX_RADIUS_KM


def test_nothing_anywhere_is_not_relaxed():
    assert decide(["zzyzx"], [0], [0], 25) is None
    assert decide(["zzyzx"], [0], None, 25) is None


def test_the_answer_says_what_was_relaxed():
    assert Relaxed(["miel"], ["maison"]).echo() == {"dropped": ["maison"], "matching": "all"}
    assert Relaxed(["miel", "pain"], []).echo() == {"dropped": [], "matching": "any"}
    assert Relaxed(["miel"], [], 40.0).echo() == {"dropped": [], "matching": "all", "radius_km": 40.0}


def test_with_a_location_every_word_further_away_comes_before_dropping_any():
    relaxed = decide(["sirop", "d'érable"], [12, 0], [40, 9], 25, whole_wide=9)
    assert relaxed == Relaxed(["sirop", "d'érable"], [], 100.0, every_word=True)
    assert not relaxed.any_word
    assert relaxed.echo() == {"dropped": [], "matching": "all", "radius_km": 100.0}


def test_words_found_only_far_away_widen_the_radius_to_all_of_quebec():
    # « oeufs » around Sherbrooke: none within 25 or 100 km, three 130 km away
    assert decide(["oeufs"], [0], [0], 25, 0, [3], 3) == Relaxed(["oeufs"], [], 2_000.0, every_word=True)
    # of two words, one found far away
    assert decide(["oeufs", "zzyzx"], [0, 0], [0, 0], 25, 0, [3, 0], 0) == Relaxed(
        ["oeufs"], ["zzyzx"], 2_000.0
    )


def test_some_words_nearer_win_over_every_word_far_away():
    relaxed = decide(["miel", "maison"], [40, 0], [90, 0], 25, 0, [300, 2], 2)
    assert relaxed == Relaxed(["miel"], ["maison"])
