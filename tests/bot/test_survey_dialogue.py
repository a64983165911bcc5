"""Answering a survey in the chat: buttons, numbers, words; a miss re-asked; skip; ENCUESTA again; closed;
only the citizens it reached; one answer per citizen whatever the channel. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.pipeline import Pipeline
from bot.settings import Settings
from nlu.base import Classifier
from tests.support import surveys
from tests.support.conversation import Citizen

SLUG = "presupuesto-2027"


@pytest.fixture
def pipeline(make_pipeline: Callable[[Classifier], Pipeline], builtin_classifier: Classifier) -> Pipeline:
    return make_pipeline(builtin_classifier)


def said(replies: list) -> str:  # type: ignore[type-arg]
    return "\n".join(r.text for r in replies)


async def test_the_whole_survey_by_button_numbers_and_words(
    pipeline: Pipeline, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = Citizen(pipeline, "9100777", "telegram")
    await ana.says("hola")
    body, buttons, _ = await surveys.send(sessions, settings, "telegram", "9100777")
    assert "Consulta vinculante" in body and "4 preguntas" in body and "1/4" in body
    assert [b.title for b in buttons][:2] == ["Parque del barrio", "Más alumbrado"]
    ana.replies = []
    reply = await ana.says("/sv:obra:biblioteca")
    assert "2/4" in said(reply)
    reply = await ana.says("la 1 y la 3")
    assert "3/4" in said(reply)
    reply = await ana.says("5 estrellas")
    assert "4/4" in said(reply)
    reply = await ana.says("saltar")
    assert "Gracias por responder" in said(reply) and "ENCUESTA" in said(reply)
    answers = await surveys.answers_of(sessions, SLUG)
    assert [(q, v) for _, q, v in answers] == [
        ("barrio", 5),
        ("obra", "biblioteca"),
        ("prioridades", ["seguridad", "transporte"]),
    ]
