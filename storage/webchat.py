"""The web chat's own records: which secret each sender id is bound to, and the photos uploaded.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage import knowledge_privacy
from storage.media import name_of
from storage.models import (
    Case,
    ChannelIdentity,
    Citizen,
    Conversation,
    DataRequest,
    Direction,
    Holder,
    LinkAttempt,
    LinkCode,
    Message,
    Upload,
    WebchatKey,
    utcnow,
)

CHANNEL = "rest"


async def bound_key(session: AsyncSession, sender: str) -> str | None:
    """The hash of the secret `sender` is bound to, None while it is bound to none."""
    return await session.scalar(select(WebchatKey.key_hash).where(WebchatKey.sender == sender))


async def bind(session: AsyncSession, sender: str, key_hash: str) -> str:
    """Bind `sender` to `key_hash` unless it already is bound; answer the hash it is bound to now.

    Two first messages racing for one id both end with the same answer: the first insert wins, the other
    reads it back (a savepoint keeps the surrounding transaction usable)."""
    try:
        async with session.begin_nested():
            session.add(WebchatKey(sender=sender, key_hash=key_hash))
    except IntegrityError:
        pass
    found = await bound_key(session, sender)
    assert found is not None
    return found


async def has_identity(session: AsyncSession, sender: str) -> bool:
    """Whether a citizen already writes from this web chat id (one from before ids were bound)."""
    found = await session.scalar(
        select(ChannelIdentity.id).where(
            ChannelIdentity.channel == CHANNEL, ChannelIdentity.address == sender
        )
    )
    return found is not None


async def key_holds_a_sender(session: AsyncSession, key_hash: str) -> bool:
    return (
        await session.scalar(select(WebchatKey.sender).where(WebchatKey.key_hash == key_hash).limit(1))
        is not None
    )


def record_upload(session: AsyncSession, name: str, key_hash: str, size: int) -> None:
    session.add(Upload(name=name, key_hash=key_hash, size=size))


async def uploaded_since(
    session: AsyncSession, since: datetime, key_hash: str | None = None
) -> tuple[int, int]:
    """How many files and bytes were uploaded since `since`, by one secret's holder or by everybody."""
    query = select(func.count(Upload.id), func.coalesce(func.sum(Upload.size), 0)).where(
        Upload.created_at >= since
    )
    if key_hash is not None:
        query = query.where(Upload.key_hash == key_hash)
    count, size = (await session.execute(query)).one()
    return int(count), int(size)


async def take_up(session: AsyncSession, names: Iterable[str], key_hash: str) -> set[str]:
    """Mark the uploads a message refers to as used, and answer the names that are this holder's own:
    a message may only carry photos its sender uploaded."""
    wanted = set(names)
    if not wanted:
        return set()
    mine = set(
        (
            await session.scalars(
                select(Upload.name).where(Upload.name.in_(wanted), Upload.key_hash == key_hash)
            )
        ).all()
    )
    if mine:
        await session.execute(
            update(Upload).where(Upload.name.in_(mine), Upload.used_at.is_(None)).values(used_at=utcnow())
        )
    return mine


async def unused_before(session: AsyncSession, cutoff: datetime, limit: int = 500) -> Sequence[str]:
    """Uploads no message took up, older than `cutoff`: their files can go."""
    return (
        await session.scalars(
            select(Upload.name)
            .where(Upload.used_at.is_(None), Upload.created_at < cutoff)
            .order_by(Upload.id)
            .limit(limit)
        )
    ).all()


async def forget_uploads(session: AsyncSession, names: Sequence[str]) -> None:
    await session.execute(delete(Upload).where(Upload.name.in_(names)))


async def one_message_chats(session: AsyncSession, before: datetime, limit: int = 500) -> Sequence[int]:
    """Citizens who only ever wrote one message, on the web chat alone, before `before`, with no case,
    no code to link another channel, and nobody from the city attending them: what a client inventing a
    new sender id per message leaves behind (3,000 citizens in 20 s in the audit)."""
    inbound = (
        select(func.count(Message.id))
        .where(Message.citizen_id == Citizen.id, Message.direction == Direction.IN)
        .scalar_subquery()
    )
    other = aliased(ChannelIdentity)
    identities = select(func.count(other.id)).where(other.citizen_id == Citizen.id).correlate(Citizen)
    query = (
        select(Citizen.id)
        .join(ChannelIdentity, ChannelIdentity.citizen_id == Citizen.id)
        .outerjoin(Conversation, Conversation.citizen_id == Citizen.id)
        .where(
            ChannelIdentity.channel == CHANNEL,
            Citizen.created_at < before,
            identities.scalar_subquery() == 1,
            inbound <= 1,
            ~select(Case.id).where(Case.citizen_id == Citizen.id).exists(),
            ~select(LinkCode.id).where(LinkCode.citizen_id == Citizen.id).exists(),
            or_(Conversation.id.is_(None), Conversation.holder == Holder.BOT),
            Citizen.preferential.is_(None),
        )
        .order_by(Citizen.id)
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def forget_chats(session: AsyncSession, citizen_ids: Sequence[int]) -> set[str]:
    """Remove these web chat citizens with their messages, conversation, identity, secret binding, link
    attempts and uploads; their privacy notices, export links and supporters' rows go by cascade, and a
    data request they made stays, without their words, as the record that it was answered; so do their
    questions to the knowledge base, counted.

    Answers the media-store names of the files they sent or uploaded: delete them after the commit (a
    file a case still shows is the caller's to keep)."""
    if not citizen_ids:
        return set()
    senders = (
        await session.scalars(
            select(ChannelIdentity.address).where(
                ChannelIdentity.citizen_id.in_(citizen_ids), ChannelIdentity.channel == CHANNEL
            )
        )
    ).all()
    keys = set(
        (await session.scalars(select(WebchatKey.key_hash).where(WebchatKey.sender.in_(senders)))).all()
    )
    sent = (
        await session.scalars(select(Message.attachments).where(Message.citizen_id.in_(citizen_ids)))
    ).all()
    names = {
        name
        for items in sent
        for item in items or ()
        if isinstance(item, dict) and (name := name_of(str(item.get("url", ""))))
    }
    await session.execute(delete(WebchatKey).where(WebchatKey.sender.in_(senders)))
    await session.execute(
        delete(LinkAttempt).where(LinkAttempt.channel == CHANNEL, LinkAttempt.address.in_(senders))
    )
    # A browser's secret may hold other sender ids still here; its uploads go only with its last one.
    gone = [k for k in keys if not await key_holds_a_sender(session, k)]
    if gone:
        names |= set((await session.scalars(select(Upload.name).where(Upload.key_hash.in_(gone)))).all())
        await session.execute(delete(Upload).where(Upload.key_hash.in_(gone)))
    if names:
        await session.execute(delete(Upload).where(Upload.name.in_(names)))
    await session.execute(
        update(DataRequest).where(DataRequest.citizen_id.in_(citizen_ids)).values(detail=None)
    )
    await knowledge_privacy.forget(session, citizen_ids)  # their questions stay counted, without words
    # Replies point at the message they answer: clear those links, then the messages can go in any order.
    await session.execute(
        update(Message).where(Message.citizen_id.in_(citizen_ids)).values(in_reply_to_id=None)
    )
    await session.execute(delete(Message).where(Message.citizen_id.in_(citizen_ids)))
    await session.execute(delete(Citizen).where(Citizen.id.in_(citizen_ids)))
    return names
