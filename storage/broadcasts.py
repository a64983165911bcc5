"""Broadcasts' SQL: who a survey, an alert or a reminder reaches, their deliveries queued, claimed one at a
time, paced.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Broadcast,
    Citizen,
    Conversation,
    Delivery,
    DeliveryStatus,
    Subscription,
    SubscriptionStatus,
    Survey,
)
from storage.preferential import citizen_preferential

# Any fixed number: the key of the PostgreSQL lock that makes the pace one count for all workers.
PACE_LOCK = 16_0001


async def audience(
    session: AsyncSession, topic: str, area: str | None = None, channel: str | None = None
) -> list[int]:
    """The citizens an active subscription to `topic` reaches: with an area, those of that area and those
    who asked for the whole city; with a channel, only those whose last channel it is. Never the erased."""
    query = (
        select(Subscription.citizen_id)
        .join(Citizen, Citizen.id == Subscription.citizen_id)
        .where(
            Subscription.topic == topic,
            Subscription.status == SubscriptionStatus.ACTIVE,
            Citizen.erased_at.is_(None),
        )
        .order_by(Subscription.citizen_id)
    )
    if area is not None:
        query = query.where(or_(Subscription.area == area, Subscription.area.is_(None)))
    if channel is not None:
        query = query.join(Conversation, Conversation.citizen_id == Subscription.citizen_id).where(
            Conversation.last_channel == channel
        )
    return list((await session.scalars(query)).all())


async def reached_by_survey(session: AsyncSession, survey_id: int) -> set[int]:
    """The citizens an earlier broadcast of this survey already has a delivery for (whatever became of it)."""
    found = await session.scalars(
        select(Delivery.citizen_id)
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(Broadcast.survey_id == survey_id, Delivery.citizen_id.is_not(None))
    )
    return {c for c in found.all() if c is not None}


async def add_broadcast(session: AsyncSession, broadcast: Broadcast, citizen_ids: Iterable[int]) -> int:
    """The broadcast and one queued delivery per citizen; how many were queued."""
    session.add(broadcast)
    await session.flush()
    deliveries = [
        Delivery(
            broadcast_id=broadcast.id,
            citizen_id=c,
            status=DeliveryStatus.QUEUED,
            queued_at=broadcast.created_at,
        )
        for c in citizen_ids
    ]
    session.add_all(deliveries)
    await session.flush()
    return len(deliveries)


async def occasion_broadcast(session: AsyncSession, made: Broadcast) -> Broadcast:
    """The broadcast of `made.occasion` (a reminder's topic and date), added as `made` if there is none,
    and locked for this transaction: of two workers queueing it at once, one adds it (the other's insert
    fails quietly in a savepoint) and the second waits for the first, then sees its deliveries."""
    assert made.occasion is not None
    try:
        async with session.begin_nested():
            session.add(made)
    except IntegrityError:
        pass
    found = await session.scalar(
        select(Broadcast).where(Broadcast.occasion == made.occasion).with_for_update()
    )
    assert found is not None  # added here or by the worker whose insert won
    return found


async def citizens_of(session: AsyncSession, broadcast_id: int) -> set[int]:
    """The citizens a broadcast already has a delivery for (whatever became of it)."""
    found = await session.scalars(
        select(Delivery.citizen_id).where(
            Delivery.broadcast_id == broadcast_id, Delivery.citizen_id.is_not(None)
        )
    )
    return {c for c in found.all() if c is not None}


async def add_deliveries(
    session: AsyncSession, broadcast: Broadcast, citizen_ids: Iterable[int], now: datetime
) -> int:
    """More citizens for a broadcast already made: one queued delivery each; how many."""
    deliveries = [
        Delivery(broadcast_id=broadcast.id, citizen_id=c, status=DeliveryStatus.QUEUED, queued_at=now)
        for c in citizen_ids
    ]
    session.add_all(deliveries)
    await session.flush()
    return len(deliveries)


async def next_queued(
    session: AsyncSession, *, after_id: int = 0, preferential: bool | None = None
) -> Delivery | None:
    """The next queued delivery (id above `after_id`), locked for this transaction; one another worker
    holds is skipped (PostgreSQL), so no delivery is ever sent twice. `preferential` True or False: only
    deliveries to citizens with preferential attention, or only the others (they go first in the pace)."""
    which = citizen_preferential(Delivery.citizen_id)
    return await session.scalar(
        select(Delivery)
        .where(
            Delivery.status == DeliveryStatus.QUEUED,
            Delivery.id > after_id,
            *([] if preferential is None else [which if preferential else ~which]),
        )
        .order_by(Delivery.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


async def hold_pace(session: AsyncSession) -> None:
    """Workers count the last minute's sends one at a time (PostgreSQL; SQLite has one writer anyway), so
    two of them never both see room for the last send of the minute."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PACE_LOCK})


async def sent_in_minute_before(session: AsyncSession, now: datetime) -> int:
    """Deliveries marked sent in the 60 s up to `now`, by any worker."""
    count = await session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(Delivery.sent_at > now - timedelta(seconds=60), Delivery.sent_at <= now)
    )
    return int(count or 0)


async def broadcast(session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id)


async def subscription(session: AsyncSession, citizen_id: int, topic: str) -> Subscription | None:
    return await session.scalar(
        select(Subscription).where(Subscription.citizen_id == citizen_id, Subscription.topic == topic)
    )


async def mark_delivered(session: AsyncSession, message_id: int, now: datetime) -> None:
    """The provider says the message arrived: its delivery is delivered (unless already answered)."""
    await session.execute(
        update(Delivery)
        .where(Delivery.message_id == message_id, Delivery.status == DeliveryStatus.SENT)
        .values(status=DeliveryStatus.DELIVERED, delivered_at=now)
        .execution_options(synchronize_session=False)
    )


async def recent(session: AsyncSession, limit: int = 30) -> Sequence[Broadcast]:
    """The latest broadcasts, newest first (the alerts page)."""
    return (await session.scalars(select(Broadcast).order_by(Broadcast.id.desc()).limit(limit))).all()


async def tally(session: AsyncSession, broadcast_ids: Sequence[int]) -> dict[int, Counter[str]]:
    """Per broadcast, its deliveries counted by status, and the skipped by reason ("skipped:closed")."""
    found: dict[int, Counter[str]] = {b: Counter() for b in broadcast_ids}
    if not broadcast_ids:
        return found
    rows = await session.execute(
        select(Delivery.broadcast_id, Delivery.status, Delivery.reason, func.count())
        .where(Delivery.broadcast_id.in_(broadcast_ids))
        .group_by(Delivery.broadcast_id, Delivery.status, Delivery.reason)
    )
    for broadcast_id, status, reason, count in rows.all():
        found[broadcast_id][status] += count
        if status == DeliveryStatus.SKIPPED:
            found[broadcast_id][f"skipped:{reason}"] += count
    return found


async def deliveries_of(session: AsyncSession, broadcast_id: int) -> Sequence[Delivery]:
    """A broadcast's deliveries, in order (tests, the command's summary)."""
    return (
        await session.scalars(
            select(Delivery).where(Delivery.broadcast_id == broadcast_id).order_by(Delivery.id)
        )
    ).all()


async def surveys_by_id(session: AsyncSession, survey_ids: Iterable[int]) -> dict[int, Survey]:
    ids = list(set(survey_ids))
    if not ids:
        return {}
    return {s.id: s for s in (await session.scalars(select(Survey).where(Survey.id.in_(ids)))).all()}
