"""Reading a follow-up's answer in the citizen's words: Spanish of several countries, English, typos."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot import dialogue, ways_out
from bot.followup_dialogue import answers_followup, fixed_answer, rating_of, reason_in
from bot.settings import Settings
from bot.words import fold
from nlu.base import Parse
from tests.bot.test_rules import config, turn

__all__ = ["config"]  # the fixture, shared with tests/bot/test_rules.py


@dataclass
class Said:
    """The little of a turn these readers look at."""

    text: str
    parse: Parse = field(init=False)

    def __post_init__(self) -> None:
        self.parse = Parse(self.text, "none", 0.0)

    @property
    def said(self) -> str:
        return fold(self.text)

    def is_confident(self) -> bool:
        return False


YES = [
    "si ya lo arreglaron",  # Colombia
    "sí, ya taparon el hueco",
    "sisas, ya quedó",
    "si señor ya lo repararon",
    "ya lo arreglaron gracias",
    "sí, ya está funcionando",  # Mexico
    "ya prende la luz",
    "si ya lo solucionaron, re bien",  # Argentina
    "sip",
    "yes fixed",
    "yes, it's been repaired",
    "all good now, fixed",
    "/affirm",
]
NO = [
    "nop sigue igual",
    "no todavia esta el hueco",
    "no, sigue igual",
    "no lo han arreglado",
    "todavía no",
    "aún no vienen",  # Mexico
    "no che, sigue roto",  # Argentina, voseo
    "nunca vinieron",
    "no se ha arreglado nada",  # "no se ha…" is a no, not "no sé"
    "nope still there",
    "not fixed",
    "it's still broken",
    "/deny",
]
UNKNOWN = [
    "ni idea",
    "no sé",
    "nose",
    "no se, no he pasado por ahi",
    "no estoy seguro",
    "quién sabe",
    "no sabría decirte",  # Spain
    "I don't know",
    "not sure",
    "idk",
    "/dont_know",
]


@pytest.mark.parametrize("text", YES)
def test_yes(text: str) -> None:
    assert fixed_answer(Said(text)) == "yes"  # type: ignore[arg-type]


@pytest.mark.parametrize("text", NO)
def test_no(text: str) -> None:
    assert fixed_answer(Said(text)) == "no"  # type: ignore[arg-type]


@pytest.mark.parametrize("text", UNKNOWN)
def test_dont_know(text: str) -> None:
    assert fixed_answer(Said(text)) == "unknown"  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["hay un bache nuevo en la 10", "¿cómo va mi caso?", "/menu", "hola"])
def test_other_messages_are_not_an_answer(text: str) -> None:
    assert fixed_answer(Said(text)) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [("nop sigue igual", True), ("no todavia esta el hueco", True), ("no", False), ("todavía no", False),
     ("not yet", False), ("/deny", False), ("no, el hueco está más grande", True)],
)  # fmt: skip
def test_a_no_that_says_more_carries_its_reason(text: str, reason: bool) -> None:
    assert (reason_in(Said(text)) == text) is reason  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "rating"),
    [("4", 4), ("un 4", 4), ("4/5", 4), ("le doy un cinco", 5), ("five stars", 5), ("⭐⭐⭐", 3),
     ("una estrella", 1), ("le pongo una calificacion de cinco", 5), ("10", None), ("gracias", None)],
)  # fmt: skip
def test_ratings(text: str, rating: int | None) -> None:
    assert rating_of(Said(text)) == rating  # type: ignore[arg-type]


# --- The rule's predicate, with the turns of tests/bot/test_rules.py. ---
FIXED = {"id": 1, "step": "fixed", "until": "2099-01-01T00:00:00+00:00"}


def test_the_rule_comes_before_a_cancel_which_would_read_already_fixed_as_never_mind(
    config: Settings,
) -> None:
    names = [rule.name for rule in dialogue.RULES]
    assert names.index("followup_answer") < names.index("cancel")
    pending = turn(config, "si ya lo arreglaron", followup=dict(FIXED))
    assert answers_followup(pending) and ways_out.wants_to_cancel(pending)  # the order decides


def test_the_answer_waits_while_something_else_is_open_or_a_person_is_asked_for(config: Settings) -> None:
    assert not answers_followup(turn(config, "si", step="confirm", service="pothole", followup=dict(FIXED)))
    assert not answers_followup(turn(config, "si", offered_person=True, followup=dict(FIXED)))
    assert not answers_followup(turn(config, "no, quiero hablar con una persona", followup=dict(FIXED)))
    assert not answers_followup(turn(config, "si"))  # nothing asked


def test_the_questions_after_the_first_take_the_next_message_only(config: Settings) -> None:
    rating = turn(config, "4", followup={"id": 1, "step": "rating"})
    assert answers_followup(rating) and rating.state.followup == {}  # gone from the state already
    comment = turn(
        config, "hay un bache nuevo en la 10", "report_pothole", followup={"id": 1, "step": "comment"}
    )
    assert not answers_followup(comment)  # a new report, not a comment
    assert answers_followup(turn(config, "muy amables", followup={"id": 1, "step": "comment"}))
