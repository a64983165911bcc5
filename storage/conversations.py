"""A citizen's running conversation: who holds it and where the dialogue stands.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Conversation,
)
from storage.scope import Scope, conversation_in_scope, department_of_conversation


async def conversation_for_update(session: AsyncSession, citizen_id: int) -> Conversation:
    """The citizen's conversation, locked for this transaction (PostgreSQL) so turns never interleave."""
    conversation = await session.scalar(
        select(Conversation).where(Conversation.citizen_id == citizen_id).with_for_update()
    )
    if conversation is None:
        conversation = Conversation(citizen_id=citizen_id, state={})
        session.add(conversation)
        await session.flush()
    return conversation


async def conversation(
    session: AsyncSession, conversation_id: int, *, lock: bool = False, scope: Scope = None
) -> Conversation | None:
    """None, as for one that does not exist, when it is outside the scope."""
    seen = conversation_in_scope(scope, department_of_conversation())
    query = select(Conversation).where(Conversation.id == conversation_id, *seen)
    return await session.scalar(query.with_for_update() if lock else query)


async def conversation_of(session: AsyncSession, citizen_id: int) -> Conversation | None:
    return await session.scalar(select(Conversation).where(Conversation.citizen_id == citizen_id))
