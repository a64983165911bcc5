"""A citizen's topics: opting in, leaving one, pausing all (BAJA) and resuming them (ALTA). Each function
takes the session explicitly and never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Subscription, SubscriptionStatus, utcnow


async def of_citizen(session: AsyncSession, citizen_id: int) -> list[Subscription]:
    """Every topic the citizen ever said yes to, whatever its status, in the order they said it."""
    found = await session.scalars(
        select(Subscription).where(Subscription.citizen_id == citizen_id).order_by(Subscription.id)
    )
    return list(found.all())


async def find(session: AsyncSession, citizen_id: int, topic: str) -> Subscription | None:
    found: Subscription | None = await session.scalar(
        select(Subscription).where(Subscription.citizen_id == citizen_id, Subscription.topic == topic)
    )
    return found


async def subscribe(
    session: AsyncSession,
    citizen_id: int,
    topic: str,
    *,
    area: str | None,
    channel: str,
    shown: str,
    now: datetime | None = None,
) -> Subscription:
    """The citizen's yes: active, for `area` (None: the whole city), with the words they said yes to and
    when. A second yes to the same topic (a new area, or back after leaving) replaces the first: the row
    records the choice in force and what it was made on."""
    now = now or utcnow()
    row = await find(session, citizen_id, topic)
    if row is None:
        row = Subscription(citizen_id=citizen_id, topic=topic)
        session.add(row)
    row.area, row.channel, row.shown = area, channel, shown
    row.status = SubscriptionStatus.ACTIVE
    row.created_at = row.changed_at = now
    await session.flush()
    return row


async def set_area(
    session: AsyncSession, citizen_id: int, topic: str, area: str | None, now: datetime | None = None
) -> bool:
    """Move an active subscription to another area (or the whole city); False if there is none."""
    row = await find(session, citizen_id, topic)
    if row is None or row.status != SubscriptionStatus.ACTIVE:
        return False
    row.area, row.changed_at = area, now or utcnow()
    await session.flush()
    return True


async def leave(session: AsyncSession, citizen_id: int, topic: str, now: datetime | None = None) -> bool:
    """The citizen leaves one topic (kept, as the record of their choice); False if they were not in it."""
    row = await find(session, citizen_id, topic)
    if row is None or row.status == SubscriptionStatus.LEFT:
        return False
    row.status, row.changed_at = SubscriptionStatus.LEFT, now or utcnow()
    await session.flush()
    return True


async def _move(
    session: AsyncSession, citizen_id: int, old: str, new: str, now: datetime | None
) -> list[str]:
    rows = await session.scalars(
        select(Subscription)
        .where(Subscription.citizen_id == citizen_id, Subscription.status == old)
        .order_by(Subscription.id)
    )
    moved = list(rows.all())
    for row in moved:
        row.status, row.changed_at = new, now or utcnow()
    await session.flush()
    return [row.topic for row in moved]


async def pause_all(session: AsyncSession, citizen_id: int, now: datetime | None = None) -> list[str]:
    """BAJA / STOP: every active topic paused at once; the topics paused."""
    return await _move(session, citizen_id, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED, now)


async def resume_all(session: AsyncSession, citizen_id: int, now: datetime | None = None) -> list[str]:
    """ALTA / START: the paused topics active again (those the citizen left stay left); the topics."""
    return await _move(session, citizen_id, SubscriptionStatus.PAUSED, SubscriptionStatus.ACTIVE, now)
