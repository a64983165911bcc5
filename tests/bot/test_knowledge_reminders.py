"""Due-date reminders (issue 17): opting in by the answer's button or in words records exactly what was
shown; the job queues one broadcast per topic date, however many workers run it; the sender sends it on the
day, never in quiet hours, as the template outside the WhatsApp window, never to the erased."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.broadcasts import send_pass
from bot.erasure import erase_citizen
from bot.knowledge import KnowledgeBase
from bot.knowledge_files import DueDate
from bot.pipeline import Pipeline
from bot.reminder_job import queue_reminders
from bot.settings import Settings
from nlu.base import Classifier
from storage import broadcasts as rows
from storage.models import (
    Broadcast,
    ChannelIdentity,
    Conversation,
    Direction,
    Holder,
    Message,
    Subscription,
)
from tests.support.channels import with_secrets
from tests.support.conversation import Citizen as Talker

TOPIC = "recordar:impuesto-predial"
OCCASION = "impuesto-predial@2027-04-30"
# Bogotá (config.yml's city) is UTC-5: 15:00 UTC is 10:00 there.
DAY_BEFORE = datetime(2027, 4, 26, 15, 0, tzinfo=UTC)
REMINDER_DAY = datetime(2027, 4, 27, 15, 0, tzinfo=UTC)
NIGHT = datetime(2027, 4, 28, 3, 30, tzinfo=UTC)  # 22:30 on the 27th in Bogotá: quiet hours
DUE_DAY = datetime(2027, 4, 30, 15, 0, tzinfo=UTC)
DAY_AFTER = datetime(2027, 5, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def talker(
    make_pipeline: Callable[..., Pipeline], builtin_classifier: Classifier, knowledge_base: KnowledgeBase
) -> Callable[..., Talker]:
    """A citizen talking to the real classifier and the example knowledge base."""
    pipeline = make_pipeline(builtin_classifier, knowledge_base)
    return lambda address, channel="rest": Talker(pipeline, address, channel)


async def citizen_of(sessions: async_sessionmaker[AsyncSession], address: str) -> int:
    async with sessions() as session:
        found = await session.scalar(
            select(ChannelIdentity.citizen_id).where(ChannelIdentity.address == address)
        )
        assert found is not None
        return found


async def subscriptions(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[int, str, str, str, str]]:
    async with sessions() as session:
        found = await session.scalars(select(Subscription).order_by(Subscription.id))
        return [(s.citizen_id, s.topic, s.status, s.channel, s.shown) for s in found.all()]


async def reminders_to(sessions: async_sessionmaker[AsyncSession], citizen_id: int) -> list[Message]:
    async with sessions() as session:
        found = await session.scalars(
            select(Message)
            .where(Message.citizen_id == citizen_id, Message.direction == Direction.OUT)
            .where(Message.author == "system")
            .order_by(Message.id)
        )
        return list(found.all())


async def opted(
    talker: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], address: str
) -> int:
    person = talker(address)
    await person.says("/recordar impuesto-predial")
    return await citizen_of(sessions, address)


async def statuses(sessions: async_sessionmaker[AsyncSession]) -> dict[int | None, str]:
    async with sessions() as session:
        broadcast = await session.scalar(select(Broadcast).where(Broadcast.occasion == OCCASION))
        assert broadcast is not None
        found = await rows.deliveries_of(session, broadcast.id)
        return {d.citizen_id: f"{d.status}:{d.reason}" if d.reason else d.status for d in found}


# --- Opting in. ---


async def test_the_button_payload_subscribes_with_the_words_shown_and_nobody_else(
    talker: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana, beto = talker("web-ana-4c1f0e9b2d"), talker("web-beto-7d2e1a0c3f")
    await beto.says("hola")
    replies = await ana.says("/recordar impuesto-predial")
    ana_id = await citizen_of(sessions, ana.address)
    [(who, topic, status, channel, shown)] = await subscriptions(sessions)
    assert (who, topic, status, channel) == (ana_id, TOPIC, "active", "rest")
    assert shown in [r.text for r in replies]  # the record is exactly the reply the citizen read
    assert "27 de abril" in shown and "BAJA" in shown and "entre las 8:00 y las 20:00" in shown


async def test_buttons_only_for_a_topic_with_a_date_still_to_come(
    talker: Callable[..., Talker], knowledge_base: KnowledgeBase
) -> None:
    from bot import knowledge_reminders

    person = talker("web-dora-1a2b3c4d5e")
    await person.says("hola")
    turns: list[object] = []
    predial, horario = knowledge_base.topics["impuesto-predial"], knowledge_base.topics["horario-alcaldia"]

    class Grab:  # a turn's stand-in: `buttons` reads only the settings and the language
        settings, language = person.pipeline.settings, "es"

        def button(self, key: str, payload: str) -> tuple[str, str]:
            turns.append((key, payload))
            return (key, payload)

    assert knowledge_reminders.buttons(Grab(), predial)  # type: ignore[arg-type]
    assert turns == [("button_remind", "/recordar impuesto-predial")]
    assert knowledge_reminders.buttons(Grab(), horario) == ()  # type: ignore[arg-type]
    past = DueDate(date(2020, 4, 30), {"es": "venció"})
    gone = predial.__class__(**{**predial.__dict__, "dates": (past,)})
    assert knowledge_reminders.buttons(Grab(), gone) == ()  # type: ignore[arg-type]


async def test_forged_payloads_subscribe_nobody(
    talker: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A payload typed by hand for a topic that does not exist, a path, or a topic without dates."""
    mallory = talker("web-mallory-9e8d7c6b5a")
    for forged in ("/recordar ../../etc/passwd", "/recordar no-existe", "/recordar horario-alcaldia",
                   "/recordar impuesto-predial; DROP TABLE subscriptions", "/recordar"):  # fmt: skip
        await mallory.says(forged)
    assert await subscriptions(sessions) == []


async def test_an_erased_citizen_loses_the_reminder_and_gets_nothing(
    talker: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    gone = await opted(talker, sessions, "web-gone-3b4c5d6e7f")
    later = await opted(talker, sessions, "web-later-8a9b0c1d2e")
    async with sessions() as session, session.begin():
        await erase_citizen(session, settings, gone, by="citizen")
    assert [s[0] for s in await subscriptions(sessions)] == [later]  # the erased one's subscription went
    await queue_reminders(sessions, settings, REMINDER_DAY)
    assert await statuses(sessions) == {later: "queued"}
    async with sessions() as session, session.begin():
        await erase_citizen(session, settings, later, by="citizen")  # erased after it was queued
    await send_pass(sessions, settings, REMINDER_DAY)
    assert set((await statuses(sessions)).values()) <= {"skipped:erased"}
    assert await reminders_to(sessions, gone) == [] and await reminders_to(sessions, later) == []


# --- Queueing: one broadcast per occasion. ---


async def test_two_runs_at_once_queue_one_broadcast_and_later_runs_add_only_new_citizens(
    talker: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    first = [await opted(talker, sessions, f"web-vecino-{n}f3e2d1c0b") for n in range(3)]
    await asyncio.gather(*(queue_reminders(sessions, settings, REMINDER_DAY) for _ in range(3)))
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(Broadcast))
        broadcast = await session.scalar(select(Broadcast).where(Broadcast.occasion == OCCASION))
    assert count == 1 and broadcast is not None
    assert (broadcast.kind, broadcast.topic) == ("reminder", TOPIC)
    assert set((await statuses(sessions)).keys()) == set(first)
    newcomer = await opted(talker, sessions, "web-nuevo-6a5b4c3d2e")
    await asyncio.gather(
        queue_reminders(sessions, settings, REMINDER_DAY + timedelta(hours=1)),
        queue_reminders(sessions, settings, REMINDER_DAY + timedelta(hours=1)),
    )
    assert set((await statuses(sessions)).keys()) == {*first, newcomer}
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 1


async def test_nothing_is_queued_before_the_reminder_day_nor_after_the_date(
    talker: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await opted(talker, sessions, "web-eva-2d3e4f5a6b")
    assert sum((await queue_reminders(sessions, settings, DAY_BEFORE)).values()) == 0
    assert sum((await queue_reminders(sessions, settings, DAY_AFTER)).values()) == 0
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 0


# --- Sending. ---


async def test_the_reminder_is_its_own_text_sent_in_the_day_not_in_quiet_hours(
    talker: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    rosa = await opted(talker, sessions, "web-rosa-5e6f7a8b9c")
    await queue_reminders(sessions, settings, NIGHT)
    assert (await send_pass(sessions, settings, NIGHT))["quiet"] == 1
    assert await reminders_to(sessions, rosa) == []
    morning = NIGHT + timedelta(hours=9)  # 7:30 in Bogotá: still quiet
    assert (await send_pass(sessions, settings, morning))["quiet"] == 1
    assert (await send_pass(sessions, settings, morning + timedelta(hours=1)))["sent"] == 1
    [reminder] = await reminders_to(sessions, rosa)
    assert reminder.text == (
        "⏰ Recordatorio: vence el pago del predial con 10% de descuento el 30 de abril. Impuesto predial: "
        "https://www.ejemplo.gov.co/predial\nPara no recibir más recordatorios, escribe BAJA."
    )
    await queue_reminders(sessions, settings, morning + timedelta(hours=2))
    await send_pass(sessions, settings, morning + timedelta(hours=2))
    assert len(await reminders_to(sessions, rosa)) == 1  # not twice


async def test_a_reminder_waiting_past_its_date_is_dropped_as_expired(
    talker: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    held = await opted(talker, sessions, "web-held-0a1b2c3d4e")
    async with sessions() as session, session.begin():
        conversation = await session.scalar(select(Conversation).where(Conversation.citizen_id == held))
        assert conversation is not None
        conversation.holder = Holder.STAFF  # with a person for days: the reminder waits
    await queue_reminders(sessions, settings, REMINDER_DAY)
    assert (await send_pass(sessions, settings, DUE_DAY))["waiting"] == 1  # on the date itself: still
    assert (await send_pass(sessions, settings, DAY_AFTER))["skipped"] == 1
    assert await statuses(sessions) == {held: "skipped:expired"}


async def test_baja_after_queueing_skips_it_as_opted_out(
    talker: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    person = talker("web-baja-7f8e9d0c1b")
    await person.says("/recordar impuesto-predial")
    who = await citizen_of(sessions, person.address)
    await queue_reminders(sessions, settings, REMINDER_DAY)
    await person.says("BAJA")
    await send_pass(sessions, settings, REMINDER_DAY)
    assert await statuses(sessions) == {who: "skipped:opted_out"}
    assert await reminders_to(sessions, who) == []


@pytest.mark.parametrize("template", ["HXabcdef0123456789abcdef0123456789", None])
async def test_on_whatsapp_outside_the_window_only_the_reminder_template_goes(
    talker: Callable[..., Talker],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    template: str | None,
) -> None:
    knowledge = settings.knowledge.model_copy(update={"reminder_template_sid": template})
    settings = with_secrets(
        settings.model_copy(update={"knowledge": knowledge}), twilio_whatsapp_from="+14155238886"
    )
    rosa = talker("+573001234567", "whatsapp")
    await rosa.says("recuerdame cuando vence el predial")
    who = await citizen_of(sessions, rosa.address)
    await queue_reminders(sessions, settings, REMINDER_DAY)  # months after the citizen last wrote
    await send_pass(sessions, settings, REMINDER_DAY)
    sent = await reminders_to(sessions, who)
    if template is None:
        assert await statuses(sessions) == {who: "skipped:outside_window"}
        assert sent == []
        return
    [message] = sent
    assert message.channel == "whatsapp"
    assert message.raw is not None
    assert message.raw["template"]["sid"] == template
    [variable] = message.raw["template"]["variables"]
    assert variable.startswith("⏰ Recordatorio: vence el pago del predial")
    assert "\n" not in variable and variable.endswith("escribe BAJA.")  # no line break: WhatsApp refuses it
    assert await statuses(sessions) == {who: "sent"}


async def test_inside_the_whatsapp_window_it_goes_as_free_text(
    talker: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    rosa = talker("+573009876543", "whatsapp")
    await rosa.says("recuerdame cuando vence el predial")
    who = await citizen_of(sessions, rosa.address)
    async with sessions() as session, session.begin():
        identity = await session.scalar(select(ChannelIdentity).where(ChannelIdentity.citizen_id == who))
        assert identity is not None
        identity.last_inbound_at = REMINDER_DAY - timedelta(hours=2)  # wrote this morning
    await queue_reminders(sessions, settings, REMINDER_DAY)
    await send_pass(sessions, settings, REMINDER_DAY)
    [message] = await reminders_to(sessions, who)
    assert message.text.startswith("⏰ Recordatorio") and not (message.raw or {}).get("template")
