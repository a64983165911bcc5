"""Issue 19, part A: each preferential-attention rule's predicate on its own, and where it sits in the
table (tests/bot/test_rules.py style: a parse given by hand, no database)."""

from __future__ import annotations

from datetime import timedelta

from bot import dialogue, ratings
from bot import preferential_dialogue as pd
from bot.settings import Settings
from storage.models import Citizen, Holder, utcnow
from tests.bot.test_rules import config, turn

__all__ = ["config"]  # a fixture, used by name
CUE = "tengo 82 años y vivo sola"


def names() -> list[str]:
    return [rule.name for rule in dialogue.RULES]


def test_the_offer_comes_after_the_report_and_every_pending_answer() -> None:
    order = names()
    for earlier in ("emergency", "pending_step", "publish_answer", "offer_answer", "link_answer", "rating"):
        assert order.index(earlier) < order.index("preferential_cue"), earlier
    for later in ("knowledge", "unsure", "report", "intent"):
        assert order.index("preferential_cue") < order.index(later), later


def test_the_citizen_s_own_requests_win_over_the_pending_question() -> None:
    order = names()
    for rule in ("preferential_withdraw", "preferential_ask", "plain", "normal"):
        assert order.index("emergency") < order.index(rule) < order.index("pending_step"), rule
    # "ya no quiero atención preferencial" is a withdrawal, never read as a request.
    assert order.index("preferential_withdraw") < order.index("preferential_ask")


def test_a_cue_with_nothing_open_is_offered_now(config: Settings) -> None:
    assert pd.has_cue(turn(config, CUE, "out_of_scope", 0.3))
    assert pd.has_cue(turn(config, CUE, "greet", 0.9))


def test_a_cue_in_a_report_waits(config: Settings) -> None:
    assert not pd.has_cue(turn(config, CUE, "report_pothole", 0.9))  # starts a report
    assert not pd.has_cue(turn(config, CUE, "out_of_scope", 0.3, step="location", service="pothole"))
    assert not pd.has_cue(turn(config, CUE, publish_asked=["ABC-123"]))
    assert not pd.has_cue(turn(config, CUE, offered_person=True))


def test_a_cue_gets_no_offer_once_offered_or_given_or_when_the_city_turns_it_off(config: Settings) -> None:
    assert not pd.has_cue(turn(config, CUE, preferential={"offered": True}))
    given = turn(config, CUE)
    given.citizen = Citizen(language="es", preferential="elderly")
    assert not pd.has_cue(given)
    dialogue_off = config.dialogue.model_copy(update={"offer_preferential": False})
    assert not pd.has_cue(turn(config.model_copy(update={"dialogue": dialogue_off}), CUE))


def test_a_button_is_no_cue(config: Settings) -> None:
    assert not pd.has_cue(turn(config, "/report_pothole", "report_pothole", 1.0))


def test_nothing_is_offered_while_a_person_holds_the_conversation(config: Settings) -> None:
    held = turn(config, CUE)
    held.conversation.holder = Holder.WAITING
    assert not pd.nothing_pending(held)


def test_a_cue_inside_a_report_is_kept_and_not_offered_in_that_turn(config: Settings) -> None:
    reporting = turn(config, CUE, "report_pothole", 0.9, step="photo", service="pothole")
    reporting.rule = "pending_step"
    pd.after(reporting)
    assert reporting.state.preferential == {"due": {"kind": "elderly", "words": CUE}}
    assert reporting.replies == []


def test_a_kept_cue_is_offered_once_nothing_is_pending(config: Settings) -> None:
    due = {"kind": "child", "words": "mi bebé"}
    later = turn(config, "gracias", "thanks", 0.9, preferential={"due": due})
    later.rule = "intent"
    pd.after(later)
    assert later.state.preferential["offered"] is True
    assert later.state.preferential["asked"] == {"step": "offer", "kind": "child", "words": "mi bebé"}
    assert "due" not in later.state.preferential
    assert [b.payload for b in later.replies[-1].buttons] == ["/affirm", "/deny"]


def test_an_emergency_turn_makes_no_offer_but_keeps_the_cue(config: Settings) -> None:
    urgent = turn(config, "hay fuego y mi mamá está en silla de ruedas", "emergency", 0.9)
    urgent.rule = "emergency"
    pd.after(urgent)
    assert urgent.replies == []
    assert urgent.state.preferential == {"due": {"kind": "disability", "words": urgent.text}}


def test_the_offer_is_answered_by_the_next_message_only(config: Settings) -> None:
    asked = {"asked": {"step": "offer", "kind": "elderly", "words": CUE}, "offered": True}
    assert pd.answers_offer(turn(config, "si", preferential=dict(asked)))
    assert pd.answers_offer(turn(config, "no gracias", preferential=dict(asked)))
    other = turn(config, "hay un hueco en la calle 10", "report_pothole", 0.9, preferential=dict(asked))
    assert not pd.answers_offer(other)
    assert other.state.preferential == {"offered": True}  # let go: the offer is not made again


def test_the_reason_is_a_button_or_a_cue(config: Settings) -> None:
    which = {"asked": {"step": "which", "words": "necesito atención preferencial"}}
    assert pd.kind_answered(turn(config, "/preferential_reading", preferential=dict(which))) == "reading"
    assert pd.kind_answered(turn(config, "estoy embarazada", preferential=dict(which))) == "pregnancy"
    assert pd.kind_answered(turn(config, "/preferential_nonsense", preferential=dict(which))) is None
    assert pd.kind_answered(turn(config, "hola", preferential=dict(which))) is None
    assert pd.kind_answered(turn(config, "/preferential_reading")) is None  # not asked


def test_back_to_usual_replies_only_for_a_citizen_who_asked_for_plain_ones(config: Settings) -> None:
    assert not pd.asks_usual(turn(config, "normal"))
    plain = turn(config, "normal")
    plain.citizen.plain_language = True
    assert pd.asks_usual(plain)


def test_a_rating_left_unanswered_does_not_hold_the_offer_back_for_ever(config: Settings) -> None:
    asked = turn(config, "gracias", rating_asked=7, choices=list(ratings.PAYLOADS))
    assert not pd.nothing_pending(asked)  # its buttons are the last: it is still the question
    moved_on = turn(config, "gracias", rating_asked=7, choices=["/report_problem"])
    assert pd.nothing_pending(moved_on)


def test_a_follow_up_question_in_time_holds_the_offer_back(config: Settings) -> None:
    def waiting(days: int) -> dict[str, object]:
        return {"id": 3, "step": "fixed", "until": (utcnow() + timedelta(days=days)).isoformat()}

    assert not pd.nothing_pending(turn(config, "gracias", followup=waiting(2)))
    assert pd.nothing_pending(turn(config, "gracias", followup=waiting(-1)))  # too late to answer
