"""Surveys and alerts queued for a topic's citizens and sent at the city's pace (a clock passed in): the
audience, the pace shared by every pass, the busy citizen who waits, the erased who is never reached."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.broadcasts import Refused, queue_alert, queue_survey, send_pass
from bot.settings import Settings
from storage import broadcasts as rows
from storage import surveys
from storage.models import (
    ChannelIdentity,
    Citizen,
    Conversation,
    Delivery,
    Direction,
    Holder,
    Message,
    Subscription,
    SubscriptionStatus,
    Survey,
)
from tests.support.channels import with_secrets
from tests.support.conversation import Citizen as Talker

# 10:00 in Bogotá (config.yml's city), a Monday: outside the quiet hours.
MORNING = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
WATER_CUT = {"es": "Mañana no hay agua de 8 a 14 h en el barrio.", "en": "No water tomorrow 8-14h."}


def paced(settings: Settings, per_minute: int) -> Settings:
    participation = settings.participation.model_copy(update={"per_minute": per_minute})
    return settings.model_copy(update={"participation": participation})


async def opted_in(
    talker: Talker,
    sessions: async_sessionmaker[AsyncSession],
    topic: str = "avisos_agua",
    area: str | None = "norte",
    first: str = "hola",
) -> int:
    """A citizen who wrote once (so they have a channel) and is opted into `topic` (the topics part's
    dialogue writes this row; here it is written directly)."""
    await talker.says(first)
    async with sessions() as session, session.begin():
        identity = await session.scalar(
            select(ChannelIdentity).where(ChannelIdentity.address == talker.address)
        )
        assert identity is not None
        session.add(
            Subscription(
                citizen_id=identity.citizen_id, topic=topic, area=area, channel=talker.channel, shown="…"
            )
        )
        return identity.citizen_id


async def alert(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, area: str | None = "norte"
) -> int:
    async with sessions() as session, session.begin():
        queued = await queue_alert(
            session, settings, topic="avisos_agua", area=area, words=WATER_CUT, now=MORNING
        )
        return queued.broadcast_id


async def statuses(sessions: async_sessionmaker[AsyncSession], broadcast_id: int) -> dict[int | None, str]:
    async with sessions() as session:
        found = await rows.deliveries_of(session, broadcast_id)
        return {d.citizen_id: f"{d.status}:{d.reason}" if d.reason else d.status for d in found}


async def notices_to(sessions: async_sessionmaker[AsyncSession], citizen_id: int) -> list[str]:
    async with sessions() as session:
        found = await session.scalars(
            select(Message.text).where(
                Message.citizen_id == citizen_id,
                Message.direction == Direction.OUT,
                Message.author == "system",
            )
        )
        return list(found.all())


async def test_pace_is_shared_by_passes_at_the_same_moment(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    settings = paced(settings, 2)
    for n in range(5):
        await opted_in(citizen(f"web-vecino-{n}a7f3e21c9"), sessions)
    broadcast_id = await alert(sessions, settings)
    assert (await send_pass(sessions, settings, MORNING))["sent"] == 2
    assert (await send_pass(sessions, settings, MORNING))["sent"] == 0  # another worker, same minute
    assert (await send_pass(sessions, settings, MORNING + timedelta(seconds=59)))["sent"] == 0
    assert (await send_pass(sessions, settings, MORNING + timedelta(seconds=61)))["sent"] == 2
    assert (await send_pass(sessions, settings, MORNING + timedelta(seconds=122)))["sent"] == 1
    assert sorted((await statuses(sessions, broadcast_id)).values()) == ["sent"] * 5


async def test_the_alert_says_topic_area_text_and_how_to_stop_in_the_citizens_language(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    lucia = await opted_in(citizen("web-lucia-0c1d2e3f4a"), sessions, first="hola, buenas")
    john = await opted_in(citizen("web-john-9f8e7d6c5b"), sessions, first="hello there")
    await alert(sessions, settings)
    await send_pass(sessions, settings, MORNING)
    assert await notices_to(sessions, lucia) == [
        "📢 Aviso de la ciudad — Avisos de cortes de agua, Norte: Mañana no hay agua de 8 a 14 h en el "
        "barrio.\nPara no recibir más avisos, escribe BAJA."
    ]
    [english] = await notices_to(sessions, john)
    assert english.startswith("📢 City notice — Water cut alerts, North: No water tomorrow 8-14h.")
    assert english.endswith("reply STOP.")


async def test_area_alert_reaches_that_area_and_the_whole_city_not_other_areas_nor_topics(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    north = await opted_in(citizen("web-norte-1a2b3c4d5e"), sessions, area="norte")
    city = await opted_in(citizen("web-ciudad-2b3c4d5e6f"), sessions, area=None)
    south = await opted_in(citizen("web-sur-3c4d5e6f7a"), sessions, area="sur")
    roads = await opted_in(citizen("web-vias-4d5e6f7a8b"), sessions, topic="avisos_vias")
    nobody = citizen("web-nadie-5e6f7a8b9c")
    await nobody.says("hola")
    broadcast_id = await alert(sessions, settings, area="norte")
    assert set(await statuses(sessions, broadcast_id)) == {north, city}
    whole_city = await alert(sessions, settings, area=None)
    assert set(await statuses(sessions, whole_city)) == {north, city, south}
    await send_pass(sessions, settings, MORNING)
    assert await notices_to(sessions, roads) == []
    assert len(await notices_to(sessions, south)) == 1


async def test_a_citizen_with_a_person_or_in_a_report_waits_and_gets_it_after(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    held = await opted_in(citizen("web-marta-6f7a8b9c0d"), sessions)
    reporting = citizen("web-pedro-7a8b9c0d1e")
    pedro = await opted_in(reporting, sessions)
    await reporting.says("hay un bache")  # a report under way: the next message is its answer
    async with sessions() as session, session.begin():
        conversation = await session.scalar(select(Conversation).where(Conversation.citizen_id == held))
        assert conversation is not None
        conversation.holder = Holder.STAFF
        for identity in await session.scalars(select(ChannelIdentity)):
            identity.last_inbound_at = MORNING - timedelta(minutes=5)  # they wrote just now
    broadcast_id = await alert(sessions, settings)
    done = await send_pass(sessions, settings, MORNING)
    assert (done["sent"], done["waiting"]) == (0, 2)
    assert await statuses(sessions, broadcast_id) == {held: "queued", pedro: "queued"}
    # The person hands the conversation back; the report is left for three hours (it lapses).
    async with sessions() as session, session.begin():
        conversation = await session.scalar(select(Conversation).where(Conversation.citizen_id == held))
        assert conversation is not None
        conversation.holder = Holder.BOT
    assert (await send_pass(sessions, settings, MORNING + timedelta(hours=3)))["sent"] == 2


async def test_erased_citizens_are_never_queued_and_one_erased_later_is_skipped(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    gone = await opted_in(citizen("web-borrado-8b9c0d1e2f"), sessions)
    later = await opted_in(citizen("web-luego-9c0d1e2f3a"), sessions)
    async with sessions() as session, session.begin():
        erased = await session.get(Citizen, gone)
        assert erased is not None
        erased.erased_at = MORNING - timedelta(days=1)
    broadcast_id = await alert(sessions, settings)
    assert set(await statuses(sessions, broadcast_id)) == {later}
    async with sessions() as session, session.begin():
        erased = await session.get(Citizen, later)
        assert erased is not None
        erased.erased_at = MORNING
    await send_pass(sessions, settings, MORNING)
    assert await statuses(sessions, broadcast_id) == {later: "skipped:erased"}
    assert await notices_to(sessions, later) == []


async def test_baja_after_queueing_skips_as_opted_out_and_nothing_in_quiet_hours(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    left = await opted_in(citizen("web-sale-0d1e2f3a4b"), sessions)
    stays = await opted_in(citizen("web-queda-1e2f3a4b5c"), sessions)
    broadcast_id = await alert(sessions, settings)
    async with sessions() as session, session.begin():
        subscription = await session.scalar(select(Subscription).where(Subscription.citizen_id == left))
        assert subscription is not None
        subscription.status = SubscriptionStatus.PAUSED
    night = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # 21:00 in Bogotá
    assert (await send_pass(sessions, settings, night))["quiet"]
    assert await statuses(sessions, broadcast_id) == {left: "queued", stays: "queued"}
    await send_pass(sessions, settings, datetime(2026, 12, 8, 13, 5, tzinfo=UTC))  # 08:05
    assert await statuses(sessions, broadcast_id) == {left: "skipped:opted_out", stays: "sent"}


@pytest.mark.parametrize(
    ("topic", "area", "words", "why"),
    [
        ("avisos_luz", None, {"es": "x"}, "unknown topic"),
        ("avisos_agua", "oeste", {"es": "x"}, "unknown area"),
        ("avisos_agua", None, {"es": "x" * 321}, "at most 320"),
        ("avisos_agua", None, {"es": " "}, "Spanish"),
    ],
)
async def test_an_alert_that_cannot_be_sent_says_why_and_queues_nothing(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, topic: str, area: str | None,
    words: dict[str, str], why: str,
) -> None:  # fmt: skip
    async with sessions() as session, session.begin():
        with pytest.raises(Refused, match=why):
            await queue_alert(session, settings, topic=topic, area=area, words=words, now=MORNING)
    async with sessions() as session:
        assert (await session.scalars(select(Delivery))).all() == []


async def test_a_survey_is_sent_only_while_open_and_reaches_a_citizen_once(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    first = await opted_in(citizen("web-primero-2f3a4b5c6d"), sessions, topic="encuestas", area=None)
    async with sessions() as session, session.begin():
        survey = Survey(
            slug="parque-central", title={"es": "Parque central", "en": "Central park"}, binding=False,
            topic="encuestas", opens_at=MORNING, closes_at=MORNING + timedelta(days=7), questions=[],
        )  # fmt: skip
        session.add(survey)
        await session.flush()
        with pytest.raises(Refused, match="opens at"):
            await queue_survey(session, settings, survey, now=MORNING - timedelta(hours=1))
        with pytest.raises(Refused, match="closed at"):
            await queue_survey(session, settings, survey, now=MORNING + timedelta(days=7))
        queued = await queue_survey(session, settings, survey, now=MORNING)
        assert (queued.queued, queued.already) == (1, 0)
    second = await opted_in(citizen("web-segundo-3a4b5c6d7e"), sessions, topic="encuestas", area=None)
    async with sessions() as session, session.begin():
        same = await surveys.by_slug(session, "parque-central")
        assert same is not None
        again = await queue_survey(session, settings, same, now=MORNING + timedelta(days=1))
        assert (again.queued, again.already) == (1, 1)
    assert set(await statuses(sessions, again.broadcast_id)) == {second}
    assert first != second
    # Closed before its turn came: skipped, not sent late.
    await send_pass(sessions, settings, MORNING + timedelta(days=8))
    assert set((await statuses(sessions, again.broadcast_id)).values()) == {"skipped:closed"}


async def test_two_workers_at_once_send_each_alert_once_and_keep_the_pace_together(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    settings = paced(settings, 3)
    people = [await opted_in(citizen(f"web-par-{n}b8c7d6e5f"), sessions) for n in range(6)]
    await alert(sessions, settings)
    first, second = await asyncio.gather(
        send_pass(sessions, settings, MORNING), send_pass(sessions, settings, MORNING)
    )
    assert first["sent"] + second["sent"] == 3
    await send_pass(sessions, settings, MORNING + timedelta(minutes=1))
    assert [len(await notices_to(sessions, p)) for p in people] == [1] * 6


async def test_stop_on_the_channel_skips_as_opted_out_and_nothing_is_written_to_it(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    stopped = await opted_in(citizen("web-stop-5a6b7c8d9e"), sessions)
    async with sessions() as session, session.begin():
        identity = await session.scalar(select(ChannelIdentity).where(ChannelIdentity.citizen_id == stopped))
        assert identity is not None
        identity.opted_out = True  # STOP said to the provider: its channel is closed to the city
    broadcast_id = await alert(sessions, settings)
    await send_pass(sessions, settings, MORNING)
    assert await statuses(sessions, broadcast_id) == {stopped: "skipped:opted_out"}
    assert await notices_to(sessions, stopped) == []


@pytest.mark.parametrize("template", ["HXabcdef0123456789abcdef0123456789", None])
async def test_an_alert_on_whatsapp_after_24_hours_goes_only_as_the_alert_template(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings,
    template: str | None,
) -> None:  # fmt: skip
    participation = settings.participation.model_copy(update={"alert_template_sid": template})
    settings = with_secrets(
        settings.model_copy(update={"participation": participation}), twilio_whatsapp_from="+14155238886"
    )
    rosa = await opted_in(citizen("+573001234567", "whatsapp"), sessions)
    async with sessions() as session, session.begin():
        identity = await session.scalar(select(ChannelIdentity).where(ChannelIdentity.citizen_id == rosa))
        assert identity is not None
        identity.last_inbound_at = MORNING - timedelta(hours=25)
    broadcast_id = await alert(sessions, settings)
    await send_pass(sessions, settings, MORNING)
    async with sessions() as session:
        sent = (
            await session.scalars(
                select(Message).where(Message.citizen_id == rosa, Message.author == "system")
            )
        ).all()
    if template is None:
        assert await statuses(sessions, broadcast_id) == {rosa: "skipped:outside_window"}
        assert sent == []
        return
    [message] = sent
    assert (message.channel, message.raw) == (
        "whatsapp",
        {"template": {"sid": template, "variables": [WATER_CUT["es"]]}},
    )
    assert await statuses(sessions, broadcast_id) == {rosa: "sent"}


async def test_an_alert_still_waiting_after_a_day_is_dropped_as_expired(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    held = await opted_in(citizen("web-rosa-8b9c0d1e2f"), sessions)
    async with sessions() as session, session.begin():
        conversation = await session.scalar(select(Conversation).where(Conversation.citizen_id == held))
        assert conversation is not None
        conversation.holder = Holder.STAFF  # with a person all day: the alert waits
    broadcast_id = await alert(sessions, settings)
    assert (await send_pass(sessions, settings, MORNING + timedelta(hours=23)))["waiting"] == 1
    assert (await send_pass(sessions, settings, MORNING + timedelta(hours=24, minutes=1)))["skipped"] == 1
    assert await statuses(sessions, broadcast_id) == {held: "skipped:expired"}
    assert await notices_to(sessions, held) == []
