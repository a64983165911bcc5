"""Every message in or out, on any channel: the citizen's one history, and what the web chat polls.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Select, SQLColumnExpression, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Author,
    Direction,
    Message,
)


async def find_message(session: AsyncSession, channel: str, provider_message_id: str) -> Message | None:
    return await session.scalar(
        select(Message).where(Message.channel == channel, Message.provider_message_id == provider_message_id)
    )


async def replies_to(session: AsyncSession, message_id: int) -> Sequence[Message]:
    result = await session.scalars(
        select(Message)
        .where(Message.in_reply_to_id == message_id, Message.direction == Direction.OUT)
        .order_by(Message.id)
    )
    return result.all()


async def add_message(session: AsyncSession, **fields: Any) -> Message:
    message = Message(**fields)
    session.add(message)
    await session.flush()
    return message


async def recent_inbound_count(session: AsyncSession, citizen_id: int, since: datetime) -> int:
    """How many messages the citizen sent since `since` (every worker sees the same count)."""
    return int(await session.scalar(inbound_count(citizen_id, since)) or 0)


def inbound_count(
    citizen_id: int | SQLColumnExpression[int], since: datetime | BindParameter[datetime]
) -> Select[int]:
    """The count of a citizen's messages since `since`; `citizen_id` may be a column to correlate."""
    return (
        select(func.count())
        .select_from(Message)
        .where(
            Message.citizen_id == citizen_id, Message.direction == Direction.IN, Message.created_at >= since
        )
    )


async def history(session: AsyncSession, citizen_id: int, limit: int = 200) -> Sequence[Message]:
    result = await session.scalars(
        select(Message).where(Message.citizen_id == citizen_id).order_by(Message.id.desc()).limit(limit)
    )
    return list(reversed(result.all()))


async def later_replies(
    session: AsyncSession, channel: str, address: str, after: int | None, limit: int = 50
) -> tuple[Sequence[Message], int | None]:
    """Replies written after the fact (staff, case news) for a polling channel, and the new cursor.

    Without a cursor (a page just opened, or anyone else asking) only what was never delivered comes
    back, and nothing is marked: the page has them only once it polls again with the cursor it got. With
    a cursor, what comes back and everything up to the cursor is marked delivered.
    """
    sent_later = (
        Message.channel == channel,
        Message.address == address,
        Message.direction == Direction.OUT,
        Message.author != Author.BOT,  # the bot's own replies travel in the webhook's answer
        Message.internal.is_(False),
    )
    query = select(Message).where(*sent_later).order_by(Message.id).limit(limit)
    if after is None:
        found = (await session.scalars(query.where(Message.delivery_status == "pending"))).all()
        cursor = await session.scalar(select(func.max(Message.id)).where(*sent_later))
        return found, cursor
    await session.execute(
        update(Message)
        .where(*sent_later, Message.id <= after, Message.delivery_status == "pending")
        .values(delivery_status="delivered")
    )
    found = (await session.scalars(query.where(Message.id > after))).all()
    for message in found:
        message.delivery_status = "delivered"
    return found, found[-1].id if found else after
