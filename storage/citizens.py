"""Citizens and the addresses they write from on each channel: found, created, joined, opted out.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import conversations, email_headers, merge_participation, messages, preferential, supporters
from storage.models import Case, ChannelIdentity, Citizen, Conversation, ConversationRating, LinkCode, Message
from storage.scope import Scope, case_in_scope, citizen_department, in_scope, sees_citizen


async def find_identity(session: AsyncSession, channel: str, address: str) -> ChannelIdentity | None:
    return await session.scalar(
        select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.address == address)
    )


def identity_with_conversation_query() -> Select[ChannelIdentity, Citizen, Conversation, int]:
    """The query every inbound message runs, with `channel`, `address` and `since` as parameters."""
    recent = (
        messages.inbound_count(ChannelIdentity.citizen_id, bindparam("since"))
        .correlate(ChannelIdentity)
        .scalar_subquery()
    )
    return (
        select(ChannelIdentity, Citizen, Conversation, recent)
        .join(Citizen, Citizen.id == ChannelIdentity.citizen_id)
        .join(Conversation, Conversation.citizen_id == Citizen.id)
        .where(
            ChannelIdentity.channel == bindparam("channel"), ChannelIdentity.address == bindparam("address")
        )
        .with_for_update(of=Conversation)
    )


# Built once: building a statement and its cache key cost more than running it (bench/statements.py).
_IDENTITY_WITH_CONVERSATION = identity_with_conversation_query()


async def identity_with_conversation(
    session: AsyncSession, channel: str, address: str, since: datetime
) -> tuple[ChannelIdentity, Citizen, Conversation, int] | None:
    """An address's identity, citizen and conversation, and how many messages the citizen sent since
    `since`, in one query; the conversation is locked (PostgreSQL) for the transaction as
    `conversation_for_update` locks it. None when the identity or the conversation does not exist."""
    parameters = {"channel": channel, "address": address, "since": since}
    row = (await session.execute(_IDENTITY_WITH_CONVERSATION, parameters)).first()
    return None if row is None else (row[0], row[1], row[2], int(row[3] or 0))


async def add_citizen(
    session: AsyncSession,
    *,
    language: str,
    display_name: str | None,
    phone_e164: str | None = None,
    email: str | None = None,
) -> Citizen:
    citizen = Citizen(language=language, display_name=display_name, phone_e164=phone_e164, email=email)
    session.add(citizen)
    await session.flush()
    return citizen


async def create_citizen_with_identity(
    session: AsyncSession,
    channel: str,
    address: str,
    *,
    language: str,
    display_name: str | None,
    phone_e164: str | None = None,
) -> ChannelIdentity:
    """A new citizen who first wrote from this address."""
    citizen = await add_citizen(session, language=language, display_name=display_name, phone_e164=phone_e164)
    return await add_identity(session, citizen.id, channel, address, display_name)


async def get_citizen(session: AsyncSession, citizen_id: int) -> Citizen:
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None:
        raise LookupError(f"citizen {citizen_id} does not exist")
    return citizen


@dataclass(frozen=True)
class Profile:
    citizen: Citizen
    identities: Sequence[ChannelIdentity]
    cases: Sequence[Case]
    conversation: Conversation | None


async def identities_of(session: AsyncSession, citizen_id: int) -> Sequence[ChannelIdentity]:
    return (
        await session.scalars(
            select(ChannelIdentity)
            .where(ChannelIdentity.citizen_id == citizen_id)
            .order_by(ChannelIdentity.id)
        )
    ).all()


async def profile(session: AsyncSession, citizen_id: int, scope: Scope = None) -> Profile | None:
    """None when the citizen does not exist or is outside the scope; within it, only the scope's cases,
    and no conversation when that is outside it."""
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None or not await sees_citizen(session, citizen_id, scope):
        return None
    identities = await identities_of(session, citizen_id)
    cases = (
        await session.scalars(
            select(Case)
            .where(Case.citizen_id == citizen_id, *case_in_scope(scope))
            .order_by(Case.created_at.desc(), Case.id.desc())
        )
    ).all()
    conversation = await conversations.conversation_of(session, citizen_id)
    seen = scope is None or in_scope(scope, await citizen_department(session, citizen_id))
    if conversation is not None and not seen:
        conversation = None
    return Profile(citizen, identities, cases, conversation)


async def citizen_by_phone(session: AsyncSession, phone_e164: str) -> Citizen | None:
    return await session.scalar(select(Citizen).where(Citizen.phone_e164 == phone_e164).order_by(Citizen.id))


async def citizen_by_email(session: AsyncSession, email: str) -> Citizen | None:
    return await session.scalar(select(Citizen).where(Citizen.email == email).order_by(Citizen.id))


async def private_terms(session: AsyncSession, citizen_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """What identifies each citizen (name, e-mail, phone), so public text can be scrubbed of it."""
    if not citizen_ids:
        return {}
    rows = await session.execute(
        select(Citizen.id, Citizen.display_name, Citizen.email, Citizen.phone_e164).where(
            Citizen.id.in_(citizen_ids)
        )
    )
    return {row[0]: tuple(term for term in row[1:] if term) for row in rows}


async def add_identity(
    session: AsyncSession, citizen_id: int, channel: str, address: str, display_name: str | None
) -> ChannelIdentity:
    identity = ChannelIdentity(
        citizen_id=citizen_id, channel=channel, address=address, display_name=display_name
    )
    session.add(identity)
    await session.flush()
    return identity


async def last_inbound_at(session: AsyncSession, citizen_id: int, channel: str) -> datetime | None:
    return await session.scalar(
        select(func.max(ChannelIdentity.last_inbound_at)).where(
            ChannelIdentity.citizen_id == citizen_id, ChannelIdentity.channel == channel
        )
    )


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
    # Ratings of the source's conversation are kept (the dashboard's counts must not change).
    await session.execute(
        update(ConversationRating)
        .where(
            ConversationRating.conversation_id.in_(
                select(Conversation.id).where(Conversation.citizen_id == source.id)
            )
        )
        .values(conversation_id=target_conversation.id, citizen_id=target.id)
    )
    await merge_participation.move(session, source.id, target.id)  # topics, survey copies and answers
    await email_headers.move(session, source.id, target.id)  # mail threads (issue 18)
    await preferential.move(session, source.id, target.id)  # consents and withdrawals (issue 19)
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


async def erasure_hold_for_update(session: AsyncSession, citizen_id: int) -> str | None:
    """The citizen's erasure hold, read with the row locked until the transaction ends."""
    return await session.scalar(
        select(Citizen.erasure_hold).where(Citizen.id == citizen_id).with_for_update()
    )
