"""A rating in the citizen's words, and the rule that takes it only while the question stands."""

from __future__ import annotations

from typing import Any

import pytest

from bot import dialogue, ratings
from bot.rating_words import rating_in
from bot.settings import Settings
from bot.settings_loading import load_settings
from tests.bot.test_rules import turn

RATINGS = {
    "5": 5, "un 4": 4, "cinco": 5, "excelente": 5, "malo": 2, "meh 3": 3, "4/5": 4, "5 de 5": 5,
    "⭐⭐⭐⭐": 4, "★★★☆☆": 3, "le doy un 5": 5, "te pongo un cuatro": 4, "muy bueno": 5, "muy malo": 1,
    "no muy bueno": 2, "no estuvo mal": 3, "pésimo": 1, "más o menos": 3, "regular": 3,
    "Excelente, muchas gracias!": 5, "bien bueno": 5,  # MX
    "chévere": 5, "bacán": 5, "re bien": 5, "bárbaro, un 10": 5, "de diez": 5, "joya": 5,  # CO, CL/PE, AR
    "fatal": 1, "guay": 5,  # ES
    "una atención excelente": 5, "I'd give it a 4": 4, "4 out of 5": 4, "not bad": 3, "terrible": 1,
    "great, thanks": 5, "so-so": 3, "good": 4, "five stars": 5,
}  # fmt: skip
NOT_RATINGS = (
    "hay un bache en la calle 5", "calle 5", "gracias", "ok", "no", "si", "hola", "4 o 5",
    "quiero reportar otro problema", "¿y mi caso F4Q-488?", "humano", "menu", "", "⭐" * 7,
    "excelente pero el hueco sigue ahí", "bueno malo",
)  # fmt: skip


@pytest.mark.parametrize(("said", "rating"), RATINGS.items())
def test_a_rating_in_the_citizens_words(said: str, rating: int) -> None:
    assert rating_in(said) == rating


@pytest.mark.parametrize("said", NOT_RATINGS)
def test_anything_else_is_not_a_rating(said: str) -> None:
    assert rating_in(said) is None


@pytest.fixture(scope="module")
def config() -> Settings:
    return load_settings(None, {})


def test_the_rule_holds_only_while_the_question_is_the_last_one_asked(config: Settings) -> None:
    asked: dict[str, Any] = {"choices": list(ratings.PAYLOADS), "rating_asked": 7}
    assert ratings.answer_of(turn(config, "un 4", **asked)) == 4
    assert ratings.answer_of(turn(config, "/rate_2", **asked)) == 2  # a button, or "2" on SMS
    assert ratings.answer_of(turn(config, "hay un bache en la 5", **asked)) is None
    assert ratings.answer_of(turn(config, "un 4")) is None  # nothing asked
    later: dict[str, Any] = {"choices": ["/affirm", "/deny"], "rating_asked": 7}
    assert ratings.answer_of(turn(config, "4", **later)) is None  # the bot asked something else since
    assert ratings.answer_of(turn(config, "/rate_4", **later)) == 4  # but its button still answers it


def test_an_emergency_or_a_person_wins_over_the_rating(config: Settings) -> None:
    names = [rule.name for rule in dialogue.RULES]
    assert names.index("emergency") < names.index("person") < names.index("rating")
    assert names.index("rating") < names.index("frustration")


def test_which_departments_ask(config: Settings) -> None:
    assert ratings.asks_in(config, "public_works") and ratings.asks_in(config, None)
    sanitation = config.departments["sanitation"].model_copy(update={"rate_conversations": False})
    off = config.model_copy(update={"departments": {**config.departments, "sanitation": sanitation}})
    assert not ratings.asks_in(off, "sanitation") and ratings.asks_in(off, "public_works")
    quiet = off.model_copy(update={"dialogue": off.dialogue.model_copy(update={"rate_conversations": False})})
    assert not ratings.asks_in(quiet, None) and not ratings.asks_in(quiet, "public_works")
