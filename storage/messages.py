"""Every message in or out, on any channel: the citizen's one history (the inbox's timeline), what the
web chat polls, and what is new for the inbox's live updates.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Select, SQLColumnExpression, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Author, Case, CaseEvent, Direction, Message
from storage.scope import Scope, case_in_scope
from storage.staff import staff_names


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


# The messages heard from voice notes, not typed.
_heard = aliased(Message)
_transcribed = select(_heard.id).where(_heard.transcribed_from.is_not(None))


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
        # The bot's own replies travel in the webhook's answer, but for a voice note's transcript's
        # (heard after that answer, bot/voice_notes.py).
        or_(Message.author != Author.BOT, Message.in_reply_to_id.in_(_transcribed)),
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


@dataclass(frozen=True)
class Timeline:
    messages: Sequence[Message]
    events: Sequence[tuple[CaseEvent, str]]  # with the case's code
    staff: dict[int, str]  # staff id → username, for everything shown
    complete: bool  # False when older messages were left out


async def timeline(
    session: AsyncSession, citizen_id: int, *, limit: int = 200, scope: Scope = None
) -> Timeline:
    """The citizen's latest messages on every channel, and the events of their cases in the same span (of
    the cases in the scope: messages are the citizen's, not a department's, and are all shown)."""
    newest = (
        await session.scalars(
            select(Message)
            .where(Message.citizen_id == citizen_id)
            .order_by(Message.created_at.desc(), Message.id.desc())  # walks ix_messages_citizen_created
            .limit(limit + 1)
        )
    ).all()
    complete = len(newest) <= limit
    messages = list(reversed(newest[:limit]))
    query = (
        select(CaseEvent, Case.code)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(Case.citizen_id == citizen_id, *case_in_scope(scope))
        .order_by(CaseEvent.id)
    )
    if not complete and messages:
        query = query.where(CaseEvent.created_at >= messages[0].created_at)
    events = [(row[0], row[1]) for row in (await session.execute(query)).all()]
    ids = {m.staff_id for m in messages if m.staff_id} | {e.staff_id for e, _ in events if e.staff_id}
    return Timeline(messages, events, await staff_names(session, ids), complete)


# What is new since the inbox last looked: its live updates poll this (and the audit trail's).


async def last_message_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.max(Message.id))) or 0)


async def messages_after(session: AsyncSession, message_id: int, limit: int = 500) -> Sequence[Any]:
    return (
        await session.execute(
            select(Message.id, Message.citizen_id, Message.conversation_id)
            .where(Message.id > message_id)
            .order_by(Message.id)
            .limit(limit)
        )
    ).all()
