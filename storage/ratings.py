"""Ratings of conversations a person answered: asked when the agent hands the conversation back.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent, Author, Conversation, ConversationRating, Direction, Message


async def agent_who_answered(session: AsyncSession, conversation: Conversation) -> int | None:
    """The staff member whose reply reached the citizen last since the conversation was last handed back
    (None: no person answered this time, so there is nothing to rate)."""
    handed_back = await session.scalar(
        select(func.max(AuditEvent.created_at)).where(
            AuditEvent.action == "conversation.hand_back",
            AuditEvent.target_type == "conversation",
            AuditEvent.target_id == str(conversation.id),
        )
    )
    replies = select(Message.staff_id).where(
        Message.citizen_id == conversation.citizen_id,
        Message.direction == Direction.OUT,
        Message.author == Author.STAFF,
        Message.internal.is_(False),
        Message.staff_id.is_not(None),
    )
    if handed_back is not None:
        replies = replies.where(Message.created_at > handed_back)
    return await session.scalar(replies.order_by(Message.created_at.desc(), Message.id.desc()).limit(1))


async def add_rating(
    session: AsyncSession, conversation: Conversation, *, staff_id: int, department: str | None
) -> ConversationRating:
    """The question asked: a row with no rating yet."""
    rating = ConversationRating(
        conversation_id=conversation.id,
        citizen_id=conversation.citizen_id,
        staff_id=staff_id,
        department=department,
    )
    session.add(rating)
    await session.flush()
    return rating


async def record_rating(
    session: AsyncSession, rating_id: int, citizen_id: int, value: int, at: datetime
) -> bool:
    """The citizen's answer, once: False when the question is not theirs or was answered already."""
    result = await session.execute(
        update(ConversationRating)
        .where(
            ConversationRating.id == rating_id,
            ConversationRating.citizen_id == citizen_id,
            ConversationRating.rating.is_(None),
        )
        .values(rating=value, answered_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))
