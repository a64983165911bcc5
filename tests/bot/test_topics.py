"""Opting into topics (bot/topics.py): the rules' predicates on their own, what they must leave to the
report, and the attacks on someone else's choice (a forged button, a yes with nothing asked, another
citizen's BAJA, the carrier's STOP and START)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import export_zip, topics, ways_out
from bot.messages import InboundMessage
from bot.settings import Settings
from bot.settings_loading import load_settings
from bot.turn import DialogueState, Turn
from storage.citizen_data import of_citizen
from storage.models import ChannelIdentity, Subscription
from tests.support.conversation import Citizen as Talker
from tests.support.turns import bare_turn, ordinary_texts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def config() -> Settings:
    return load_settings(None, {})


def turn(config: Settings, text: str, **state: Any) -> Turn:
    return bare_turn(config, text, state=DialogueState(**state))


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("quiero recibir encuestas", ["encuestas"]),
        ("avisame de los cortes de agua", ["avisos_agua"]),
        ("Avísenme cuando haya cortes de agua", ["avisos_agua"]),
        ("quiero que me avisen de los cierres de vías", ["avisos_vias"]),
        ("alertas de cierres de vias en mi barrio", ["avisos_vias"]),
        ("suscribirme a avisos", []),
        ("Suscribirme", []),
        ("AVISOS", []),
        ("alertas", []),
        ("quiero participar", ["encuestas"]),
        ("me interesan las encuestas", ["encuestas"]),
        ("apúntame a las encuestas", ["encuestas"]),
        ("kiero resibir encuestas", ["encuestas"]),
        ("me podrían avisar cuando haya cortes de agua en mi sector?", ["avisos_agua"]),
        ("hola, ¿cómo me suscribo a las alertas?", []),
        ("I want water cut alerts", ["avisos_agua"]),
        ("please notify me about surveys", ["encuestas"]),
        ("sign me up for road closure alerts", ["avisos_vias"]),
        ("/topics", []),
        ("/topic avisos_agua", ["avisos_agua"]),
    ],
)
def test_asking_for_a_topic_is_an_opt_in(config: Settings, text: str, named: list[str]) -> None:
    asking = turn(config, text)
    assert topics.asks(asking)
    assert asking.notes["named"] == named


@pytest.mark.parametrize(
    "text",
    [
        "no hay agua en mi casa",
        "el aviso de la esquina se cayó",
        "avisenme cuando arreglen el bache",
        "avísame cuando vuelva el agua",
        "quiero reportar un corte de agua",
        "hay un corte de agua en todo el barrio desde ayer",
        "cierre de via por obras sin ningun aviso",
        "quiero saber como va mi caso",
        "let me know when my case is fixed",
        "I want to report a water leak on Main St",
        "the road closure sign fell over",
        "cortes de agua",
        "me pueden avisar cuando arreglen el bache",
        "pueden enviar una cuadrilla por el corte de agua",
        "no llegó el aviso del corte de agua",
        "nunca avisan de los cortes de agua",
    ],
)
def test_a_report_or_a_question_is_not_an_opt_in(config: Settings, text: str) -> None:
    assert not topics.asks(turn(config, text))


def test_a_forged_topic_button_names_no_topic(config: Settings) -> None:
    forged = turn(config, "/topic ../../etc/passwd")
    assert topics.asks(forged)
    assert forged.notes["named"] == []  # the real topics are listed instead


def _ordinary_texts() -> list[str]:
    """What citizens say in the training data and in every story that is not about topics on purpose."""
    return ordinary_texts(("topics", "opt_out", "reminders"))


def test_no_ordinary_message_is_an_opt_in_or_an_alta(config: Settings) -> None:
    texts = _ordinary_texts()
    assert len(texts) > 1000
    caught = [t for t in texts if topics.asks(turn(config, t)) or topics.says_come_back(turn(config, t))]
    assert caught == []


@pytest.mark.parametrize(
    "text",
    ["BAJA", "baja", "Parar", "SALIR", "STOP", "unsubscribe", "CANCELAR SUSCRIPCIÓN", "cancelar suscripcion",
     "¡Baja!", "Stop."],
)  # fmt: skip
def test_opt_out_words_whole_message_any_case(config: Settings, text: str) -> None:
    assert ways_out.says_stop(turn(config, text))


def test_ambiguous_stop_words_leave_an_open_report_instead(config: Settings) -> None:
    for text in ("salir", "parar", "para"):
        in_report = turn(config, text, flow="report", step="photo")
        assert not ways_out.says_stop(in_report)
        assert ways_out.wants_to_cancel(in_report)
    assert ways_out.says_stop(turn(config, "BAJA", flow="report", step="photo"))
    assert not ways_out.says_stop(turn(config, "quiero darme de baja del reporte de la calle 5"))


def test_alta_and_start_but_not_telegrams_start(config: Settings) -> None:
    assert topics.says_come_back(turn(config, "ALTA"))
    assert topics.says_come_back(turn(config, "Start"))
    assert not topics.says_come_back(turn(config, "/start"))


def test_an_opt_in_step_is_answered_by_the_next_message_only(config: Settings) -> None:
    asked = turn(config, "hay un bache en la 45", topics={"step": "confirm", "topic": "encuestas"})
    assert not topics.answers(asked)
    assert asked.state.topics == {}  # left: a "si" after it confirms nothing
    assert topics.answers(turn(config, "si", topics={"step": "confirm", "topic": "encuestas"}))
    assert topics.answers(turn(config, "el norte", topics={"step": "area", "topic": "avisos_agua"}))
    assert topics.answers(turn(config, "mejor no", topics={"step": "area", "topic": "avisos_agua"}))


# --- Through the pipeline: what is recorded, and for whom. ---


async def subscriptions(sessions: async_sessionmaker[AsyncSession], channel: str, address: str) -> list[Any]:
    async with sessions() as session:
        rows = await session.execute(
            select(Subscription.topic, Subscription.status, Subscription.area, Subscription.shown)
            .join(ChannelIdentity, ChannelIdentity.citizen_id == Subscription.citizen_id)
            .where(ChannelIdentity.channel == channel, ChannelIdentity.address == address)
            .order_by(Subscription.topic)
        )
        return [tuple(r) for r in rows.all()]


async def test_the_yes_records_exactly_what_was_shown(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = citizen("web-ana-5f3c9d27e1")
    await ana.says("avisame de los cortes de agua")
    await ana.presses("Norte")
    shown = ana.texts[-1]
    assert await subscriptions(sessions, "rest", ana.address) == []  # nothing before the yes
    await ana.presses("Sí, suscribirme")
    assert await subscriptions(sessions, "rest", ana.address) == [("avisos_agua", "active", "norte", shown)]


async def test_a_yes_with_nothing_asked_or_a_forged_button_records_nothing(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession]
) -> None:
    eve = citizen("web-eve-5f3c9d27e1")
    for forged in (
        "/affirm",
        "si",
        "/topic no_such_topic",
        "/area norte",
        "/area all",
        "/topic encuestas; --",
    ):
        await eve.says(forged)
    await eve.says("si")
    assert await subscriptions(sessions, "rest", eve.address) == []


async def test_one_citizens_baja_leaves_anothers_topics_alone(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana, bob = citizen("web-ana-5f3c9d27e1"), citizen("web-bob-5f3c9d27e1")
    for person in (ana, bob):
        await person.says("quiero recibir encuestas")
        await person.says("si")
    await bob.says("BAJA")
    assert len(bob.replies) == 1  # one reply naming what stops
    assert [r[1] for r in await subscriptions(sessions, "rest", ana.address)] == ["active"]
    assert [r[1] for r in await subscriptions(sessions, "rest", bob.address)] == ["paused"]


async def test_the_carriers_stop_and_start_pause_and_resume(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession]
) -> None:
    phone = "+573001234567"
    ana = citizen(phone, "sms")
    await ana.says("quiero recibir encuestas")
    await ana.says("si")
    await ana.send(InboundMessage("sms", phone, "tw-stop", text="STOP", command="opt_out"))
    assert ana.replies == []  # the carrier answers STOP itself
    assert [r[1] for r in await subscriptions(sessions, "sms", phone)] == ["paused"]
    await ana.send(InboundMessage("sms", phone, "tw-start", text="START", command="opt_in"))
    assert [r[1] for r in await subscriptions(sessions, "sms", phone)] == ["active"]


async def test_mis_datos_lists_the_topics(citizen: Callable[..., Talker]) -> None:
    ana = citizen("web-ana-5f3c9d27e1")
    await ana.says("avisame de los cortes de agua en el sur")
    await ana.says("si")
    await ana.says("BAJA")
    await ana.says("mis datos")
    assert "Temas: avisos de cortes de agua (Sur, en pausa)" in ana.text


async def test_the_export_holds_each_topic_with_what_was_shown_and_when(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    ana = citizen("web-ana-5f3c9d27e1")
    await ana.says("quiero recibir encuestas")
    shown = ana.texts[-1]
    await ana.says("si")
    async with sessions() as session:
        found = await session.scalar(select(ChannelIdentity).where(ChannelIdentity.address == ana.address))
        assert found is not None
        data = await of_citizen(session, found.citizen_id)
    assert data is not None
    rows = export_zip.tables(data, settings)
    [topic] = rows["temas"]
    assert (topic["tema"], topic["estado"], topic["texto_mostrado"]) == ("encuestas", "si", shown)
    assert topic["aceptado"]
    assert {"consentimiento": "tema_encuestas", "sobre": "toda_la_ciudad", "valor": "si"}.items() <= next(
        r for r in rows["consentimientos"] if r["consentimiento"] == "tema_encuestas"
    ).items()


def test_while_a_survey_is_answered_participar_is_left_to_it(config: Settings) -> None:
    answering = {"survey": 3, "question": "q1"}
    assert not topics.asks(turn(config, "quiero participar", survey=answering))
    assert not topics.asks(turn(config, "quiero recibir avisos de agua", survey=answering))
    assert topics.asks(turn(config, "ya no quiero encuestas", survey=answering))


def test_a_step_for_a_topic_the_city_removed_is_left(config: Settings) -> None:
    assert not topics.answers(turn(config, "si", topics={"step": "confirm", "topic": "gone", "shown": "…"}))


def test_any_rule_after_stop_leaves_the_step(config: Settings) -> None:
    menu = turn(config, "menu", topics={"step": "confirm", "topic": "encuestas", "shown": "…"})
    assert not topics.says_come_back(menu)
    assert menu.state.topics == {}  # "menú", then "si": nothing is confirmed
