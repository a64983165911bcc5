"""Two citizens joined into one (a shared number, a link code): their topics, survey copies and answers
become the survivor's, still one per topic, per broadcast and per question, so nothing counts twice."""

from __future__ import annotations

from sqlalchemy import select

from storage.engine import AsyncSession
from storage.models import Delivery, DeliveryStatus, Subscription, SubscriptionStatus, SurveyAnswer

# Of two copies of one broadcast, the one that went further stays.
_FURTHER = {
    DeliveryStatus.ANSWERED: 4,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.QUEUED: 1,
    DeliveryStatus.SKIPPED: 0,
}


async def move(session: AsyncSession, source_id: int, target_id: int) -> None:
    await _subscriptions(session, source_id, target_id)
    await _deliveries(session, source_id, target_id)
    await _answers(session, source_id, target_id)


async def _subscriptions(session: AsyncSession, source_id: int, target_id: int) -> None:
    """A topic only one of them had moves; of one both had, the active one wins (then the target's)."""
    kept = {
        s.topic: s
        for s in await session.scalars(select(Subscription).where(Subscription.citizen_id == target_id))
    }
    for moving in list(
        await session.scalars(select(Subscription).where(Subscription.citizen_id == source_id))
    ):
        staying = kept.get(moving.topic)
        if staying is None:
            moving.citizen_id = target_id
            continue
        if moving.status == SubscriptionStatus.ACTIVE and staying.status != SubscriptionStatus.ACTIVE:
            staying.status, staying.area, staying.shown = moving.status, moving.area, moving.shown
            staying.channel, staying.changed_at = moving.channel, moving.changed_at
        await session.delete(moving)
    await session.flush()


async def _deliveries(session: AsyncSession, source_id: int, target_id: int) -> None:
    kept = {
        d.broadcast_id: d
        for d in await session.scalars(select(Delivery).where(Delivery.citizen_id == target_id))
    }
    for moving in list(await session.scalars(select(Delivery).where(Delivery.citizen_id == source_id))):
        staying = kept.get(moving.broadcast_id)
        if staying is None:
            moving.citizen_id = target_id
        elif _FURTHER.get(DeliveryStatus(moving.status), 0) > _FURTHER.get(DeliveryStatus(staying.status), 0):
            await session.delete(staying)
            await session.flush()
            moving.citizen_id = target_id
        else:
            await session.delete(moving)
    await session.flush()


async def _answers(session: AsyncSession, source_id: int, target_id: int) -> None:
    """One answer per survey and question: the later of the two stands, as answering again would."""
    kept = {
        (a.survey_id, a.question): a
        for a in await session.scalars(select(SurveyAnswer).where(SurveyAnswer.citizen_id == target_id))
    }
    for moving in list(
        await session.scalars(select(SurveyAnswer).where(SurveyAnswer.citizen_id == source_id))
    ):
        staying = kept.get((moving.survey_id, moving.question))
        if staying is None:
            moving.citizen_id = target_id
        elif moving.answered_at > staying.answered_at:
            await session.delete(staying)
            await session.flush()
            moving.citizen_id = target_id
        else:
            await session.delete(moving)
    await session.flush()
