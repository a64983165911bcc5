"""Two citizens joined into one (a shared number, a link code): their topics, survey copies and answers,
and their questions to the knowledge base, become the survivor's, still one per topic, per broadcast and
per question, so nothing counts twice."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import select

from storage import knowledge_privacy
from storage.engine import AsyncSession
from storage.models import Delivery, DeliveryStatus, Subscription, SubscriptionStatus, SurveyAnswer

Row = TypeVar("Row", Delivery, SurveyAnswer)

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
    await knowledge_privacy.move(session, source_id, target_id)  # questions asked: no uniqueness to keep


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
    """One copy per broadcast: the one that went further stands."""
    await _one_each(
        session,
        Delivery,
        source_id,
        target_id,
        key=lambda d: d.broadcast_id,
        better=lambda a, b: _further(a) > _further(b),
    )


def _further(delivery: Delivery) -> int:
    return _FURTHER.get(DeliveryStatus(delivery.status), 0)


async def _answers(session: AsyncSession, source_id: int, target_id: int) -> None:
    """One answer per survey and question: the later of the two stands, as answering again would."""
    await _one_each(
        session,
        SurveyAnswer,
        source_id,
        target_id,
        key=lambda a: (a.survey_id, a.question),
        better=lambda a, b: a.answered_at > b.answered_at,
    )


async def _one_each(
    session: AsyncSession,
    model: type[Row],
    source_id: int,
    target_id: int,
    *,
    key: Callable[[Row], Hashable],
    better: Callable[[Row, Row], bool],
) -> None:
    """The source's rows become the target's; where both have one for the same `key`, the `better` stays."""
    kept = {key(r): r for r in await session.scalars(select(model).where(model.citizen_id == target_id))}
    for moving in list(await session.scalars(select(model).where(model.citizen_id == source_id))):
        staying = kept.get(key(moving))
        if staying is not None and not better(moving, staying):
            await session.delete(moving)
            continue
        if staying is not None:
            await session.delete(staying)
            await session.flush()  # the unique key is free before the move takes it
        moving.citizen_id = target_id
    await session.flush()
