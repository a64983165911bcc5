"""Query functions over the models; each takes the session explicitly and never commits."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.models import (
    OPEN_STATUSES,
    AuditEvent,
    Case,
    CaseEvent,
    ChannelIdentity,
    Citizen,
    Conversation,
    Direction,
    Message,
    OutboxItem,
    utcnow,
)
from sqlalchemy.ext.asyncio import AsyncSession

# Case codes are read aloud and typed on phones: no 0/O, 1/I/L, and no U (avoids accidental words).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_DIGITS = "23456789"


def new_case_code() -> str:
    """A code like "K7M-4QP": six symbols, at least one digit and one letter, so it never reads as a word."""
    while True:
        symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if any(c in CODE_DIGITS for c in symbols) and any(c.isalpha() for c in symbols):
            return f"{symbols[:3]}-{symbols[3:]}"


async def find_identity(session: AsyncSession, channel: str, address: str) -> ChannelIdentity | None:
    return await session.scalar(
        select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.address == address)
    )


async def create_citizen_with_identity(
    session: AsyncSession, channel: str, address: str, *, language: str, display_name: str | None
) -> ChannelIdentity:
    citizen = Citizen(language=language, display_name=display_name)
    session.add(citizen)
    await session.flush()
    identity = ChannelIdentity(
        citizen_id=citizen.id, channel=channel, address=address, display_name=display_name
    )
    session.add(identity)
    await session.flush()
    return identity


async def get_citizen(session: AsyncSession, citizen_id: int) -> Citizen:
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None:
        raise LookupError(f"citizen {citizen_id} does not exist")
    return citizen


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


async def find_message(session: AsyncSession, channel: str, provider_message_id: str) -> Message | None:
    return await session.scalar(
        select(Message).where(
            Message.channel == channel, Message.provider_message_id == provider_message_id
        )
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


async def history(session: AsyncSession, citizen_id: int, limit: int = 200) -> Sequence[Message]:
    result = await session.scalars(
        select(Message).where(Message.citizen_id == citizen_id).order_by(Message.id.desc()).limit(limit)
    )
    return list(reversed(result.all()))


async def queue_outbox(session: AsyncSession, message: Message) -> OutboxItem:
    item = OutboxItem(
        message_id=message.id,
        channel=message.channel,
        address=message.address,
        idempotency_key=f"msg-{message.id}-{secrets.token_hex(8)}",
    )
    session.add(item)
    await session.flush()
    return item


async def add_case(session: AsyncSession, **fields: Any) -> Case:
    """Insert a case under a fresh code; a clash with an existing code just draws another."""
    while True:
        code = new_case_code()
        if await session.scalar(select(Case.id).where(Case.code == code)) is None:
            break
    case = Case(code=code, **fields)
    session.add(case)
    await session.flush()
    return case


async def case_by_code(session: AsyncSession, code: str) -> Case | None:
    return await session.scalar(select(Case).where(Case.code == code))


async def open_cases(session: AsyncSession, citizen_id: int, limit: int = 5) -> Sequence[Case]:
    result = await session.scalars(
        select(Case)
        .where(Case.citizen_id == citizen_id, Case.status.in_(OPEN_STATUSES))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return result.all()


async def add_case_event(
    session: AsyncSession,
    case: Case,
    kind: str,
    *,
    actor: str,
    from_value: str | None = None,
    to_value: str | None = None,
    note: str | None = None,
    staff_id: int | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        kind=kind,
        actor=actor,
        from_value=from_value,
        to_value=to_value,
        note=note,
        staff_id=staff_id,
        created_at=at or utcnow(),
    )
    session.add(event)
    await session.flush()
    return event


async def case_events(session: AsyncSession, case_id: int) -> Sequence[CaseEvent]:
    result = await session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    )
    return result.all()


async def audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    from_value: str | None = None,
    to_value: str | None = None,
    staff_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        from_value=from_value,
        to_value=to_value,
        staff_id=staff_id,
        detail=detail,
    )
    session.add(event)
    await session.flush()
    return event
