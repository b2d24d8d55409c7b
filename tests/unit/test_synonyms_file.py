"""The rules of mappings/synonyms_fr.txt that its header states, checked on the file itself."""

from __future__ import annotations

import unicodedata

import mappings


def fold(term: str) -> str:
    decomposed = unicodedata.normalize("NFKD", term.strip().lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def rules() -> list[tuple[int, list[str], list[str] | None, bool]]:
    """(line number, left side, right side or None for an equivalence, in the English part)."""
    out = []
    english = False
    for number, line in enumerate(mappings.synonyms_file().read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if line.startswith("# English"):
            english = True
        if not line or line.startswith("#"):
            continue
        if "=>" in line:
            left, right = line.split("=>")
            out.append(
                (number, [fold(t) for t in left.split(",")], [fold(t) for t in right.split(",")], english)
            )
        else:
            out.append((number, [fold(t) for t in line.split(",")], None, english))
    return out


def test_a_one_way_rule_keeps_the_words_typed():
    for number, left, right, _ in rules():
        if right is not None:
            assert set(left) <= set(right), f"line {number} drops {sorted(set(left) - set(right))}"


def test_no_word_starts_two_rules():
    seen: dict[str, int] = {}
    for number, left, _, _ in rules():
        for term in left:
            assert term not in seen, f"{term!r} is on line {seen[term]} and line {number}"
            seen[term] = number


def test_english_words_only_ever_add_french_words():
    english = [(number, right) for number, _, right, is_english in rules() if is_english]
    assert len(english) >= 60
    for number, right in english:
        assert right is not None, f"line {number}: English rules are one way"


# Typed, they may be rewritten (one way); but no other word's search may bring them in, each
# having another meaning: « bas » (low; Bas-Saint-Laurent), « sucrerie » (stems like « sucre »),
# « pinotte » (stems like « pinot »), « liqueur » (a spirit), « laveuse » (like « raton laveur »),
# « email » (like « émaillé »).
NEVER_ADDED = frozenset(
    {"bas", "sucrerie", "sucreries", "pinotte", "pinottes", "liqueur", "liqueurs", "laveuse", "email"}
)  # fmt: skip
# English words that are also French words (« pie » is a magpie, « raisins » are grapes,
# « patisserie » is « pâtisserie » unaccented): never rewritten, so a French search never is.
FRENCH_TOO = frozenset(
    {"pie", "pies", "raisins", "date", "dates", "lime", "limes", "sole", "porter", "diner", "pain",
     "plant", "patisserie"}
)  # fmt: skip


def test_ambiguous_words_are_never_added_to_another_search():
    for number, left, right, _ in rules():
        added = set(left) if right is None else set(right) - set(left)
        assert not added & NEVER_ADDED, f"line {number} adds {sorted(added & NEVER_ADDED)}"


def test_english_words_that_are_french_words_are_not_rewritten():
    for number, left, _, _ in rules():
        assert not set(left) & FRENCH_TOO, f"line {number} rewrites {sorted(set(left) & FRENCH_TOO)}"
