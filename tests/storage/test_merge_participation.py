"""Two citizens joined into one (a shared number, a link code) keep one topic each, one copy of each survey
and one answer per question: nothing they did on either channel is lost, and nothing counts twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from storage.citizens import merge_citizens
from storage.models import (
    Broadcast,
    Citizen,
    Delivery,
    DeliveryStatus,
    Subscription,
    SubscriptionStatus,
    SurveyAnswer,
    utcnow,
)
from tests.support.surveys import create, definition


async def test_merged_citizens_keep_one_topic_one_copy_and_their_latest_answer(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    now = utcnow()
    async with sessions() as session, session.begin():
        telegram, whatsapp = Citizen(language="es"), Citizen(language="es")
        session.add_all([telegram, whatsapp])
        await session.flush()
        survey = await create(session, settings, definition())
        broadcast = Broadcast(kind="survey", survey_id=survey.id, topic="encuestas")
        session.add(broadcast)
        await session.flush()
        session.add_all(
            [
                # Telegram opted into surveys and water cuts; WhatsApp into surveys too, but paused it.
                Subscription(citizen_id=telegram.id, topic="encuestas", channel="telegram", shown="a"),
                Subscription(
                    citizen_id=telegram.id, topic="avisos_agua", area="norte", channel="telegram", shown="b"
                ),
                Subscription(
                    citizen_id=whatsapp.id,
                    topic="encuestas",
                    channel="whatsapp",
                    shown="c",
                    status=SubscriptionStatus.PAUSED,
                ),
                # Both got the survey; Telegram's copy was answered.
                Delivery(broadcast_id=broadcast.id, citizen_id=telegram.id, status=DeliveryStatus.ANSWERED),
                Delivery(broadcast_id=broadcast.id, citizen_id=whatsapp.id, status=DeliveryStatus.SENT),
                # Both answered the first question; WhatsApp later, so its answer stands.
                SurveyAnswer(
                    survey_id=survey.id, citizen_id=telegram.id, question="obra", kind="single",
                    value="parque", channel="telegram", answered_at=now - timedelta(hours=1),
                ),
                SurveyAnswer(
                    survey_id=survey.id, citizen_id=whatsapp.id, question="obra", kind="single",
                    value="biblioteca", channel="whatsapp", answered_at=now,
                ),
                SurveyAnswer(
                    survey_id=survey.id, citizen_id=telegram.id, question="barrio", kind="scale",
                    value=4, channel="telegram", answered_at=now - timedelta(hours=1),
                ),
            ]
        )  # fmt: skip
        await session.flush()
        await merge_citizens(session, telegram, whatsapp)
        kept = whatsapp.id
    async with sessions() as session:
        topics = {
            s.topic: (s.status, s.area, s.shown)
            for s in await session.scalars(select(Subscription).where(Subscription.citizen_id == kept))
        }
        copies = [d.status for d in await session.scalars(select(Delivery))]
        answers = {a.question: (a.citizen_id, a.value) for a in await session.scalars(select(SurveyAnswer))}
    assert topics == {"encuestas": ("active", None, "a"), "avisos_agua": ("active", "norte", "b")}
    assert copies == ["answered"]
    assert answers == {"obra": (kept, "biblioteca"), "barrio": (kept, 4)}
