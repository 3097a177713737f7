"""Allergens: the fourteen the EU requires a food business to declare, and the allergy words of a free-text note.

Menu items and toppings carry the allergens they contain; a line of an order carries the customer's allergies;
the kitchen ticket shows an ALLERGY band when a line has either customer allergies or a note that speaks of one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache

from pos_app.domain.errors import ValidationFailedError


class Allergen(StrEnum):
    GLUTEN = "gluten"
    CRUSTACEANS = "crustaceans"
    EGGS = "eggs"
    FISH = "fish"
    PEANUTS = "peanuts"
    SOY = "soy"
    MILK = "milk"
    NUTS = "nuts"
    CELERY = "celery"
    MUSTARD = "mustard"
    SESAME = "sesame"
    SULPHITES = "sulphites"
    LUPIN = "lupin"
    MOLLUSCS = "molluscs"


ALLERGENS: tuple[Allergen, ...] = tuple(Allergen)


def parse_allergens(values: Iterable[str], field_name: str = "allergens") -> tuple[Allergen, ...]:
    """`values` as allergens, each once, in the vocabulary's order; an unknown name is a 400 naming the field."""
    wanted = set()
    for value in values:
        try:
            wanted.add(Allergen(value))
        except ValueError:
            names = ", ".join(a.value for a in ALLERGENS)
            problem = f"'{value}' is not an allergen; use: {names}"
            raise ValidationFailedError.for_fields({field_name: [problem]}) from None
    return tuple(a for a in ALLERGENS if a in wanted)


def join_allergens(allergens: Iterable[str]) -> str:
    """Stored form: comma-separated names ('' for none)."""
    return ",".join(allergens)


def split_allergens(stored: str | None) -> tuple[str, ...]:
    return tuple(name for name in (stored or "").split(",") if name)


# Allergy words in free text ------------------------------------------------------------------------------------------
#
# The rule, decided for a pizza kitchen (tests/unit/test_allergens.py holds it):
# - Words that say "this is about an allergy" flag a note on their own: allergy, allergic, intolerance, intolerant,
#   coeliac/celiac, anaphylaxis, EpiPen, and "<allergen>-free" / "<allergen> free" (gluten-free, dairy free, nut-free).
# - Names of the allergens that are not ordinary pizza vocabulary flag a note on their own too: gluten, lactose,
#   dairy, nut(s), peanut(s), the tree nuts, shellfish, sesame, lupin, sulphites. This includes "peanut butter" on
#   purpose: peanut traces are exactly what the kitchen must keep apart, and a band too many is cheaper than one
#   missed.
# - Ordinary pizza words that happen to be allergens (cheese, milk, egg, fish, anchovies, mustard, celery, soy, "no
#   cheese") do not flag alone: "no cheese" is a taste, not an allergy; with an allergy word they do ("egg allergy").
# - Whole words only: nutmeg, coconut, butternut, doughnut, minute, eggplant, selfish are not allergy words.

_INTENT = r"allerg\w*|intoleran\w*|coeliac|celiac|an(?:a)?phyla\w*|epi-?pens?"
_ALLERGEN_WORDS = (
    r"gluten|wheat|lactose|dairy|nuts?|peanuts?|tree\s+nuts?|almonds?|hazelnuts?|walnuts?|cashews?|pecans?|"
    r"pistachios?|macadamias?|brazil\s+nuts?|shellfish|crustaceans?|molluscs?|sesame|lupin|sulph?ites?|sulfites?"
)
_FREE_OF = r"(?:gluten|wheat|dairy|lactose|milk|nut|peanut|egg|fish|shellfish|soy|soya|sesame|celery|mustard)[\s-]+free"
_PATTERN = re.compile(rf"\b(?:{_FREE_OF}|{_INTENT}|{_ALLERGEN_WORDS})\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def allergy_words(text: str) -> tuple[str, ...]:
    """The allergy words of `text`, lowercased, each once, in the order they appear. Kept for the texts seen last:
    the kitchen queue reads every open ticket's notes on each refresh, and most notes repeat ("well done")."""
    found: list[str] = []
    for match in _PATTERN.finditer(text or ""):
        word = re.sub(r"\s+", " ", match.group(0).lower())
        if word not in found:
            found.append(word)
    return tuple(found)


def mentions_allergy(text: str) -> bool:
    """Whether a free-text note speaks of an allergy (see the rule above)."""
    return _PATTERN.search(text or "") is not None
