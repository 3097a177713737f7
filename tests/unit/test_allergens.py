"""Allergens: the EU's fourteen as a fixed vocabulary, and the allergy words of a free-text note.

The rule for notes is decided in pos_app/domain/allergens.py: allergy words and the allergens that are not ordinary
pizza words flag a note; ordinary pizza words (cheese, egg, fish, anchovies) flag only with an allergy word; whole
words only."""

from __future__ import annotations

import pytest

from pos_app.domain.allergens import ALLERGENS, Allergen, allergy_words, mentions_allergy, parse_allergens
from pos_app.domain.errors import ValidationFailedError
from pos_app.messages.types import AllergenName


def test_the_vocabulary_is_the_eu_fourteen_and_the_messages_offer_the_same_names() -> None:
    assert len(ALLERGENS) == 14
    assert {a.value for a in ALLERGENS} == set(AllergenName.__args__)  # type: ignore[attr-defined]


def test_parsing_keeps_each_allergen_once_in_the_vocabulary_order() -> None:
    assert parse_allergens(["milk", "gluten", "milk"]) == (Allergen.GLUTEN, Allergen.MILK)


def test_an_unknown_allergen_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationFailedError) as raised:
        parse_allergens(["gluten", "onions"], "pizza_items[0].allergies")
    assert list(raised.value.errors) == ["pizza_items[0].allergies"]
    assert "'onions' is not an allergen" in raised.value.errors["pizza_items[0].allergies"][0]


@pytest.mark.parametrize(
    "note",
    [
        "nut allergy!",
        "Customer is ALLERGIC to shellfish",
        "coeliac",
        "celiac please be careful",
        "gluten-free base",
        "dairy free",
        "no nuts",
        "peanuts",
        "lactose intolerant",
        "has an EpiPen",
        "egg allergy",
        "anaphylaxis risk",
        "sesame seeds on the side? no!",
        "extra peanut butter",
    ],
)
def test_notes_that_speak_of_an_allergy_are_flagged(note: str) -> None:
    assert mentions_allergy(note)


@pytest.mark.parametrize(
    "note",
    [
        "",
        "well done",
        "no basil, extra cheese",
        "no cheese",
        "cut in 8 slices",
        "ready in a minute",
        "nutmeg on the pumpkin",
        "coconut water",
        "butternut squash",
        "a doughnut for the kid",
        "eggplant instead of peppers",
        "extra anchovies",
        "ring the bell, don't be selfish",
    ],
)
def test_ordinary_notes_are_not_flagged(note: str) -> None:
    assert not mentions_allergy(note)


def test_the_words_found_are_listed_once_each_in_order() -> None:
    assert allergy_words("Nut allergy - really, NUT allergy; gluten free too") == ("nut", "allergy", "gluten free")
