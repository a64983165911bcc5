"""Query functions over the models; each takes the session explicitly and never commits."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    OPEN_STATUSES,
    AuditEvent,
    Author,
    Case,
    CaseEvent,
    ChannelIdentity,
    Citizen,
    Conversation,
    Direction,
    LinkAttempt,
    LinkCode,
    Message,
    utcnow,
)

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


async def identity_with_conversation(
    session: AsyncSession, channel: str, address: str, since: datetime
) -> tuple[ChannelIdentity, Citizen, Conversation, int] | None:
    """An address's identity, citizen and conversation, and how many messages the citizen sent since
    `since`, in one query; the conversation is locked (PostgreSQL) for the transaction as
    `conversation_for_update` locks it. None when the identity or the conversation does not exist."""
    recent = _inbound_count(ChannelIdentity.citizen_id, since).correlate(ChannelIdentity).scalar_subquery()
    row = (
        await session.execute(
            select(ChannelIdentity, Citizen, Conversation, recent)
            .join(Citizen, Citizen.id == ChannelIdentity.citizen_id)
            .join(Conversation, Conversation.citizen_id == Citizen.id)
            .where(ChannelIdentity.channel == channel, ChannelIdentity.address == address)
            .with_for_update(of=Conversation)
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2], int(row[3] or 0))


async def create_citizen_with_identity(
    session: AsyncSession,
    channel: str,
    address: str,
    *,
    language: str,
    display_name: str | None,
    phone_e164: str | None = None,
) -> ChannelIdentity:
    citizen = Citizen(language=language, display_name=display_name, phone_e164=phone_e164)
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
    return int(await session.scalar(_inbound_count(citizen_id, since)) or 0)


def _inbound_count(citizen_id: int | SQLColumnExpression[int], since: datetime) -> Select[int]:
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


async def set_publish_consent(
    session: AsyncSession, codes: Sequence[str], consent: bool, *, citizen_id: int
) -> None:
    """The citizen's answer to publishing these cases' descriptions (only their own cases)."""
    await session.execute(
        update(Case)
        .where(Case.code.in_(codes), Case.citizen_id == citizen_id)
        .values(publish_consent=consent, updated_at=Case.updated_at)  # the case itself did not move
    )


async def withdraw_publish_consent(session: AsyncSession, citizen_id: int) -> None:
    """A citizen takes back every yes; a description staff had published is withdrawn as well."""
    mine, unmoved = Case.citizen_id == citizen_id, Case.updated_at
    await session.execute(
        update(Case)
        .where(mine, Case.publish_consent.is_(True))
        .values(publish_consent=False, updated_at=unmoved)
    )
    await session.execute(
        update(Case)
        .where(mine, Case.description_public.is_(True))
        .values(description_public=None, updated_at=unmoved)
    )


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


async def set_opted_out(session: AsyncSession, channel: str, address: str, opted_out: bool) -> bool:
    """Mark one channel identity as (un)subscribed; False if the address is unknown."""
    identity = await find_identity(session, channel, address)
    if identity is None:
        return False
    identity.opted_out = opted_out
    return True


async def citizen_by_phone(session: AsyncSession, phone_e164: str) -> Citizen | None:
    return await session.scalar(select(Citizen).where(Citizen.phone_e164 == phone_e164).order_by(Citizen.id))


async def add_identity(
    session: AsyncSession, citizen_id: int, channel: str, address: str, display_name: str | None
) -> ChannelIdentity:
    identity = ChannelIdentity(
        citizen_id=citizen_id, channel=channel, address=address, display_name=display_name
    )
    session.add(identity)
    await session.flush()
    return identity


async def merge_citizens(session: AsyncSession, source: Citizen, target: Citizen) -> None:
    """Move everything of `source` (identities, messages, cases) to `target` and delete `source`."""
    target_conversation = await conversation_for_update(session, target.id)
    await session.execute(
        update(ChannelIdentity).where(ChannelIdentity.citizen_id == source.id).values(citizen_id=target.id)
    )
    await session.execute(
        update(Message)
        .where(Message.citizen_id == source.id)
        .values(citizen_id=target.id, conversation_id=target_conversation.id)
    )
    await session.execute(update(Case).where(Case.citizen_id == source.id).values(citizen_id=target.id))
    await session.execute(delete(LinkCode).where(LinkCode.citizen_id == source.id))
    await session.execute(delete(Conversation).where(Conversation.citizen_id == source.id))
    if target.phone_e164 is None:
        target.phone_e164 = source.phone_e164
    await session.delete(source)
    await session.flush()
    session.expunge_all()  # identities and messages loaded before the bulk updates are stale now


# A link code: 8 characters of the case-code alphabet (no 0/O, 1/I/L, U), shown as "XXXX-XXXX": about 39
# bits, against 20 for the 6 digits it replaced (docs/security.md).
LINK_CODE_LENGTH = 8


def show_link_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


async def new_link_code(
    session: AsyncSession, citizen_id: int, ttl: timedelta, *, channel: str, address: str
) -> LinkCode:
    """A fresh code for the citizen, remembering the channel that asked (it confirms the join)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))
        if await session.scalar(select(LinkCode.id).where(LinkCode.code == code)) is None:
            break
    link = LinkCode(
        code=code, citizen_id=citizen_id, expires_at=utcnow() + ttl, channel=channel, address=address
    )
    session.add(link)
    await session.flush()
    return link


async def live_link_code(session: AsyncSession, code: str) -> LinkCode | None:
    """The unexpired, unused code (typed in any case, with or without its dash), locked; None otherwise."""
    return await session.scalar(
        select(LinkCode)
        .where(LinkCode.code == code, LinkCode.used_at.is_(None), LinkCode.expires_at > utcnow())
        .with_for_update()
    )


async def link_code_by_id(session: AsyncSession, link_id: int) -> LinkCode | None:
    return await session.scalar(select(LinkCode).where(LinkCode.id == link_id).with_for_update())


def record_link_attempt(session: AsyncSession, channel: str, address: str, *, succeeded: bool) -> None:
    session.add(LinkAttempt(channel=channel, address=address, succeeded=succeeded))


async def failed_link_attempts(
    session: AsyncSession, since: datetime, channel: str | None = None, address: str | None = None
) -> int:
    """Wrong codes typed since `since`: by one identity when given, else by anyone."""
    query = select(func.count(LinkAttempt.id)).where(
        LinkAttempt.succeeded.is_(False), LinkAttempt.created_at >= since
    )
    if channel is not None and address is not None:
        query = query.where(LinkAttempt.channel == channel, LinkAttempt.address == address)
    return await session.scalar(query) or 0


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
