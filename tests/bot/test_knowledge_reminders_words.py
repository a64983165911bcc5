"""Asking for a due-date reminder in words (bot/knowledge_reminders.asks): the ways people write it, the
ways to leave it, and that nothing ordinary (the training data, every other story) is read as an opt-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot import knowledge_reminders
from bot.knowledge import KnowledgeBase
from bot.turn import DialogueState, Turn
from tests.support.turns import bare_turn, ordinary_texts

ROOT = Path(__file__).resolve().parents[2]


def turn(knowledge: KnowledgeBase, text: str, **state: Any) -> Turn:
    return bare_turn(knowledge.settings, text, state=DialogueState(**state), knowledge=knowledge)


@pytest.mark.parametrize(
    "text",
    [
        "recuérdame cuando vence el predial",
        "recordame cuando vence el predial che",
        "avisame la fecha del predial porfa",
        "Avísame la fecha del impuesto predial",
        "me puedes recordar cuando hay que pagar el predial?",
        "recuerdame el pago del predial",
        "kiero un recordatorio del predial",
        "remind me when property tax is due",
        "can you remind me of the property tax deadline?",
        "notify me when the property tax is due",
        "set a reminder for property tax",
    ],
)
def test_asking_names_the_topic_with_dates(knowledge_base: KnowledgeBase, text: str) -> None:
    asked = turn(knowledge_base, text)
    assert knowledge_reminders.asks(asked)
    assert [t.slug for t in asked.notes["reminder"]["topics"]][:1] == ["impuesto-predial"]
    assert asked.notes["reminder"]["sure"] and not asked.notes["reminder"]["leave"]


@pytest.mark.parametrize(
    "text",
    ["ya no me recuerdes el predial", "no me recuerden mas lo del predial",
     "stop reminding me of property tax", "cancela el recordatorio del predial"],
)  # fmt: skip
def test_leaving_names_the_topic(knowledge_base: KnowledgeBase, text: str) -> None:
    asked = turn(knowledge_base, text)
    assert knowledge_reminders.asks(asked)
    assert asked.notes["reminder"]["leave"]
    assert [t.slug for t in asked.notes["reminder"]["topics"]][:1] == ["impuesto-predial"]


@pytest.mark.parametrize(
    "text",
    ["cuando vence el predial", "tell me when property tax is due", "donde pago el predial",
     "recuérdame mi código de caso", "this is a reminder that the streetlight is still out",
     "avisenme cuando arreglen el bache", "avisame de los cortes de agua", "Recuérdame apagar el horno",
     "Cancela mi recordatorio para la cita de mi doctor", "remind me to call mom"],
)  # fmt: skip
def test_a_question_or_a_report_is_not_an_ask(knowledge_base: KnowledgeBase, text: str) -> None:
    assert not knowledge_reminders.asks(turn(knowledge_base, text))


def test_without_the_knowledge_base_nothing_is_an_ask(knowledge_base: KnowledgeBase) -> None:
    off = turn(knowledge_base, "recuérdame cuando vence el predial")
    off.knowledge = None
    assert not knowledge_reminders.asks(off)


def _ordinary_texts() -> list[str]:
    """What citizens say in the training data and in every story that is not about reminders."""
    return ordinary_texts(("reminders",))


def test_no_ordinary_message_asks_for_a_reminder(knowledge_base: KnowledgeBase) -> None:
    texts = _ordinary_texts()
    assert len(texts) > 1000
    assert [t for t in texts if knowledge_reminders.asks(turn(knowledge_base, t))] == []
