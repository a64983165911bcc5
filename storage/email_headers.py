"""Queries on the Message-IDs of mail in and out (issue 18): what threads a reply, and how many went out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case, ChannelIdentity, Direction, EmailHeader, Message, OutboxItem

CHANNEL = "email"


async def record(
    session: AsyncSession,
    citizen_id: int,
    direction: Direction,
    address: str,
    header_id: str,
    subject: str,
    *,
    message_id: int | None = None,
    earlier_ids: str | None = None,
) -> None:
    session.add(
        EmailHeader(
            citizen_id=citizen_id,
            message_id=message_id,
            direction=direction,
            address=address,
            header_id=header_id[:300],
            subject=subject[:300],
            earlier_ids=earlier_ids,
        )
    )


async def message_of_reply(session: AsyncSession, idempotency_key: str) -> int | None:
    """The history row of the reply the outbox sends under this key."""
    return await session.scalar(
        select(OutboxItem.message_id).where(OutboxItem.idempotency_key == idempotency_key)
    )


async def citizen_by_address(session: AsyncSession, address: str) -> int | None:
    return await session.scalar(
        select(ChannelIdentity.citizen_id).where(
            ChannelIdentity.channel == CHANNEL, ChannelIdentity.address == address
        )
    )


async def latest_inbound(session: AsyncSession, address: str) -> Message | None:
    """Their last mail in the history, committed with the reply that answers it: our next mail answers it."""
    return await session.scalar(
        select(Message)
        .where(Message.channel == CHANNEL, Message.address == address, Message.direction == Direction.IN)
        .order_by(Message.id.desc())
        .limit(1)
    )


async def thread_started(session: AsyncSession, address: str, subject: str) -> datetime | None:
    """When the first mail of the thread with this (base) subject came in or went out."""
    return await session.scalar(
        select(func.min(EmailHeader.created_at)).where(
            EmailHeader.address == address, EmailHeader.subject == subject[:300]
        )
    )


async def newest_case_since(session: AsyncSession, citizen_id: int, since: datetime) -> str | None:
    """The code of the citizen's newest case filed since the thread began: the one the thread is about."""
    return await session.scalar(
        select(Case.code)
        .where(Case.citizen_id == citizen_id, Case.created_at >= since)
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(1)
    )


async def replies_since(session: AsyncSession, address: str, since: datetime) -> int:
    """How many of our mails went to `address` since `since` (the per-hour cap against loops)."""
    count = await session.scalar(
        select(func.count(EmailHeader.id)).where(
            EmailHeader.address == address,
            EmailHeader.direction == Direction.OUT,
            EmailHeader.created_at >= since,
        )
    )
    return int(count or 0)


async def is_ours(session: AsyncSession, header_ids: list[str]) -> bool:
    """Whether any of these Message-IDs is a mail we sent (their mail answers ours)."""
    if not header_ids:
        return False
    found = await session.scalar(
        select(EmailHeader.id)
        .where(EmailHeader.direction == Direction.OUT, EmailHeader.header_id.in_(header_ids[:50]))
        .limit(1)
    )
    return found is not None


async def move(session: AsyncSession, source_id: int, target_id: int) -> None:
    """Two citizens joined (bot/linking.py): the mail threads go with the rest of the history."""
    await session.execute(
        update(EmailHeader).where(EmailHeader.citizen_id == source_id).values(citizen_id=target_id)
    )
