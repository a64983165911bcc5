"""Citizens and the addresses they write from on each channel: found, created, joined, opted out.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import conversations, messages, supporters
from storage.models import (
    Case,
    ChannelIdentity,
    Citizen,
    Conversation,
    LinkCode,
    Message,
)


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
    recent = (
        messages.inbound_count(ChannelIdentity.citizen_id, since).correlate(ChannelIdentity).scalar_subquery()
    )
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
    target_conversation = await conversations.conversation_for_update(session, target.id)
    await session.execute(
        update(ChannelIdentity).where(ChannelIdentity.citizen_id == source.id).values(citizen_id=target.id)
    )
    await session.execute(
        update(Message)
        .where(Message.citizen_id == source.id)
        .values(citizen_id=target.id, conversation_id=target_conversation.id)
    )
    await session.execute(update(Case).where(Case.citizen_id == source.id).values(citizen_id=target.id))
    await supporters.move_supporters(session, source.id, target.id)
    await session.execute(delete(LinkCode).where(LinkCode.citizen_id == source.id))
    await session.execute(delete(Conversation).where(Conversation.citizen_id == source.id))
    if target.phone_e164 is None:
        target.phone_e164 = source.phone_e164
    await session.delete(source)
    await session.flush()
    session.expunge_all()  # identities and messages loaded before the bulk updates are stale now


async def set_opted_out(session: AsyncSession, channel: str, address: str, opted_out: bool) -> bool:
    """Mark one channel identity as (un)subscribed; False if the address is unknown."""
    identity = await find_identity(session, channel, address)
    if identity is None:
        return False
    identity.opted_out = opted_out
    return True
