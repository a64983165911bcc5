"""Answering a survey in the chat: buttons, numbers, words; a miss re-asked; skip; ENCUESTA again; closed;
only the citizens it reached; one answer per citizen whatever the channel. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.pipeline import Pipeline
from bot.settings import Settings
from nlu.base import Classifier
from storage.models import Delivery
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
    body, buttons, *_ = await surveys.send(sessions, settings, "telegram", "9100777")
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


async def test_sms_numbers_words_with_typos_a_miss_and_a_required_question(
    pipeline: Pipeline, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    luis = Citizen(pipeline, "+573001110001", "sms")
    await luis.says("buenas")
    body, buttons, *_ = await surveys.send(sessions, settings, "sms", "+573001110001")
    assert buttons == () and "1. Parque del barrio" in body and "4. Ciclovía" in body
    reply = await luis.says("mmm no se la verdad")
    assert "no entendí" in said(reply) and "1/4" in said(reply)  # asked again, politely
    reply = await luis.says("la bibloteca")  # a typo
    assert "2/4" in said(reply)
    reply = await luis.says("saltar")
    assert "no se puede saltar" in said(reply) and "2/4" in said(reply)
    reply = await luis.says("seguridad y transporte")
    assert "3/4" in said(reply)
    reply = await luis.says("cinco")
    assert "4/4" in said(reply)
    reply = await luis.says("Que pongan mas bancas en la plaza")
    assert "Gracias por responder" in said(reply)
    answers = {q: v for _, q, v in await surveys.answers_of(sessions, SLUG)}
    assert answers == {
        "obra": "biblioteca", "prioridades": ["seguridad", "transporte"], "barrio": 5,
        "idea": "Que pongan mas bancas en la plaza",
    }  # fmt: skip


async def test_a_second_miss_leaves_the_survey_and_the_message_is_handled_as_usual(
    pipeline: Pipeline, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    eva = Citizen(pipeline, "web-eva-1", "rest")
    await eva.says("hola")
    await surveys.send(sessions, settings, "rest", "web-eva-1")
    await eva.says("/sv:obra:parque")
    reply = await eva.says("que es esto")
    assert "no entendí" in said(reply)
    reply = await eva.says("hay un bache enorme en la calle 10")
    assert "3/4" not in said(reply) and "no entendí" not in said(reply)  # the report goes on as usual
    assert {q for _, q, _ in await surveys.answers_of(sessions, SLUG)} == {"obra"}  # what was answered stays


async def test_encuesta_starts_again_and_replaces_the_answers(
    pipeline: Pipeline, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sofia = Citizen(pipeline, "web-sofia-1", "rest")
    await sofia.says("hola")
    await surveys.send(sessions, settings, "rest", "web-sofia-1")
    for answer in ("/sv:obra:parque", "1", "/sv:barrio:2", "Un parque para perros"):
        await sofia.says(answer)
    reply = await sofia.says("quiero cambiar mi respuesta")
    assert "Empezamos de nuevo" in said(reply) and "1/4" in said(reply)
    for answer in ("/sv:obra:ciclovia", "todas", "/sv:barrio:4", "/skip"):
        reply = await sofia.says(answer)
    assert "Gracias por responder" in said(reply)
    answers = {q: v for _, q, v in await surveys.answers_of(sessions, SLUG)}
    keys = ["seguridad", "limpieza", "transporte", "cultura"]
    assert answers == {"obra": "ciclovia", "prioridades": keys, "barrio": 4}  # the idea skipped: gone


async def test_a_closed_survey_records_nothing(
    pipeline: Pipeline, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    tom = Citizen(pipeline, "web-tom-1", "rest")
    await tom.says("hello")
    await tom.says("english please")
    body, *_ = await surveys.send(sessions, settings, "rest", "web-tom-1")
    assert "Binding vote" in body
    await surveys.close(sessions, SLUG)
    reply = await tom.says("/sv:obra:parque")
    assert "closed on" in said(reply)
    assert await surveys.answers_of(sessions, SLUG) == []
    reply = await tom.says("survey")
    assert "no open surveys" in said(reply)


async def test_a_stranger_cannot_answer_a_survey_that_did_not_reach_them(
    pipeline: Pipeline, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = Citizen(pipeline, "web-ana-1", "rest")
    await ana.says("hola")
    await surveys.send(sessions, settings, "rest", "web-ana-1")
    mallory = Citizen(pipeline, "web-mallory-1", "rest")
    await mallory.says("hola")
    reply = await mallory.says("encuesta")
    assert "No tienes encuestas abiertas" in said(reply) and "quiero recibir encuestas" in said(reply)
    await mallory.says("/sv:obra:parque")  # the button's payload typed by hand
    await mallory.says("/sv_start:1")
    await mallory.says("/sv:obra:parque")
    assert await surveys.answers_of(sessions, SLUG) == []


async def test_two_linked_channels_answer_once(
    pipeline: Pipeline, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    web = Citizen(pipeline, "web-rosa-1", "rest")
    await web.says("hola")
    await web.says("vincular")
    code = said(web.replies).split("código es ")[1][:9]
    telegram = Citizen(pipeline, "9100888", "telegram")
    await telegram.says(f"vincular {code}")
    await web.says("sí")
    await surveys.send(sessions, settings, "telegram", "9100888")
    await telegram.says("/sv:obra:parque")
    await web.says("encuesta")
    await web.says("/sv:obra:biblioteca")
    await telegram.says("encuesta")
    await telegram.says("/sv:obra:alumbrado")
    answers = await surveys.answers_of(sessions, SLUG)
    assert len(answers) == 1 and answers[0][1:] == ("obra", "alumbrado")


async def test_another_flows_button_leaves_the_survey_at_once(
    pipeline: Pipeline, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ivan = Citizen(pipeline, "web-ivan-1", "rest")
    await ivan.says("hola")
    await surveys.send(sessions, settings, "rest", "web-ivan-1")
    await ivan.says("menú")
    reply = await ivan.says(ivan.replies[-1].buttons[0].payload)  # "Reportar un problema"
    assert "no entendí" not in said(reply) and "1/4" not in said(reply)


async def test_a_skipped_delivery_cannot_answer(
    pipeline: Pipeline, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A citizen the sender skipped (opted out meanwhile, say) has no survey to answer, even by payload."""
    zoe = Citizen(pipeline, "web-zoe-1", "rest")
    await zoe.says("hola")
    *_, delivery_id, _ = await surveys.send(sessions, settings, "rest", "web-zoe-1")
    async with sessions() as session, session.begin():
        await session.execute(update(Delivery).where(Delivery.id == delivery_id).values(status="skipped"))
    await zoe.says("/sv:obra:parque")
    reply = await zoe.says("encuesta")
    assert "No tienes encuestas abiertas" in said(reply)
    assert await surveys.answers_of(sessions, SLUG) == []
