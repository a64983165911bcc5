"""Erasing a citizen: what is read first (what to look for, what to delete), then the moves and blanks
that keep each case's facts under a placeholder citizen and take everything else away.

Each function takes the session explicitly and never commits; bot/erasure.py runs them in order, in one
transaction, and says why each step is there."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, delete, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import erasure_participation
from storage.citizens import identities_of
from storage.models import (
    AuditEvent,
    Case,
    CaseEvent,
    CaseSupporter,
    ChannelIdentity,
    Citizen,
    Conversation,
    ConversationRating,
    DataRequest,
    FirstResponse,
    FollowUp,
    FollowUpStatus,
    Holder,
    LinkAttempt,
    LinkCode,
    Message,
    OutboxItem,
    SuppressedAddress,
    Upload,
    WebchatKey,
    utcnow,
)

WEB_CHAT = "rest"


@dataclass(frozen=True)
class Person:
    """Everything of one citizen that an erasure reads before it changes anything."""

    citizen: Citizen
    identities: Sequence[ChannelIdentity]
    cases: Sequence[Case]
    supported_case_ids: Sequence[int]
    said: Sequence[str]  # the citizen's own messages
    attachments: Sequence[Any]  # of their messages, each a list of {"url", …}
    upload_names: Sequence[str]  # web chat uploads of their browsers


async def read(session: AsyncSession, citizen_id: int) -> Person | None:
    citizen = await session.get(Citizen, citizen_id, with_for_update=True)
    if citizen is None:
        return None
    identities = await identities_of(session, citizen_id)
    cases = (await session.scalars(select(Case).where(Case.citizen_id == citizen_id))).all()
    supported = (
        await session.scalars(select(CaseSupporter.case_id).where(CaseSupporter.citizen_id == citizen_id))
    ).all()
    said = (
        await session.scalars(
            select(Message.text).where(Message.citizen_id == citizen_id, Message.author == "citizen")
        )
    ).all()
    attachments = (
        await session.scalars(
            select(Message.attachments).where(
                Message.citizen_id == citizen_id, Message.attachments.is_not(None)
            )
        )
    ).all()
    senders = [i.address for i in identities if i.channel == WEB_CHAT]
    keys = select(WebchatKey.key_hash).where(WebchatKey.sender.in_(senders))
    uploads = (await session.scalars(select(Upload.name).where(Upload.key_hash.in_(keys)))).all()
    return Person(citizen, identities, cases, supported, said, attachments, uploads)


def new_placeholder(session: AsyncSession, erased: Citizen) -> Citizen:
    """The citizen an erased person's cases, ratings and requests are kept under: their language (for the
    statistics by language) and the day they first wrote (new citizens per month), nothing else."""
    placeholder = Citizen(language=erased.language, created_at=erased.created_at, erased_at=utcnow())
    session.add(placeholder)
    return placeholder


async def notes_of(session: AsyncSession, case_ids: Collection[int]) -> Sequence[CaseEvent]:
    """Case events with a note, on these cases."""
    if not case_ids:
        return []
    return (
        await session.scalars(
            select(CaseEvent).where(CaseEvent.case_id.in_(case_ids), CaseEvent.note.is_not(None))
        )
    ).all()


async def case_audits(session: AsyncSession, case_ids: Collection[int]) -> Sequence[AuditEvent]:
    """Audit rows about these cases (by id or code) with a detail: it may hold a note."""
    if not case_ids:
        return []
    codes = select(Case.code).where(Case.id.in_(case_ids))
    ids = [str(i) for i in case_ids]
    return (
        await session.scalars(
            select(AuditEvent).where(
                AuditEvent.target_type.in_(("case", "cases")),
                or_(AuditEvent.target_id.in_(ids), AuditEvent.target_id.in_(codes)),
                AuditEvent.detail.is_not(None),
            )
        )
    ).all()


async def internal_notes(session: AsyncSession, citizen_id: int) -> Sequence[Message]:
    return (
        await session.scalars(
            select(Message).where(Message.citizen_id == citizen_id, Message.internal.is_(True))
        )
    ).all()


async def move_cases(session: AsyncSession, cases: Sequence[Case], placeholder_id: int) -> None:
    """Each case keeps its service, department, dates, statuses and a ~100 m place (its area); the
    citizen's words, address, answers and photos go. `cases` carry the snapped point already."""
    for case in cases:
        case.citizen_id = placeholder_id
        case.description = ""
        case.address = None
        case.attributes = None
        case.attachments = None


async def move_the_rest(session: AsyncSession, citizen_id: int, placeholder_id: int) -> None:
    """Supporters, follow-ups, ratings, first responses, requests, survey answers and deliveries move to the
    placeholder; what in them is the person's (comments, reasons, a correction's words, a survey's free
    text) goes; pending questions and queued surveys or alerts are cancelled; topic opt-ins are deleted."""
    moved = {"citizen_id": placeholder_id}
    await session.execute(update(CaseSupporter).where(CaseSupporter.citizen_id == citizen_id).values(moved))
    await session.execute(
        update(FollowUp)
        .where(
            FollowUp.citizen_id == citizen_id,
            FollowUp.status.in_((FollowUpStatus.SCHEDULED, FollowUpStatus.SENT)),
        )
        .values(status=FollowUpStatus.NOT_SENT, note="erased")
    )
    await session.execute(
        update(FollowUp)
        .where(FollowUp.citizen_id == citizen_id)
        .values(citizen_id=placeholder_id, comment=None, reason=None, message_id=None)
    )
    await session.execute(
        update(ConversationRating).where(ConversationRating.citizen_id == citizen_id).values(moved)
    )
    await session.execute(update(FirstResponse).where(FirstResponse.citizen_id == citizen_id).values(moved))
    await session.execute(
        update(DataRequest)
        .where(DataRequest.citizen_id == citizen_id)
        .values(citizen_id=placeholder_id, detail=None)
    )
    await erasure_participation.move(session, citizen_id, placeholder_id)


async def move_conversation(session: AsyncSession, citizen_id: int, placeholder_id: int) -> None:
    """The conversation (its ratings and first responses point at it) stays, empty and with the bot."""
    await session.execute(
        update(Conversation)
        .where(Conversation.citizen_id == citizen_id)
        .values(
            citizen_id=placeholder_id,
            state={},
            last_address=None,
            holder=Holder.BOT,
            assigned_staff_id=None,
            waiting_since=None,
            handoff_reason=None,
        )
    )


async def blank_messages(
    session: AsyncSession, citizen_id: int, placeholder_id: int, keep_text: Collection[int], note_marker: str
) -> int:
    """Every message moves to the placeholder without its words, address, provider ids, payload, place or
    photos; staff's notes say they were removed. `keep_text`: the last replies, still to be sent (a fixed
    text of the bot's, nothing of the person's). Answers how many messages there were."""
    count = await session.scalar(select(func.count(Message.id)).where(Message.citizen_id == citizen_id))
    blank: dict[str, Any] = {
        "citizen_id": placeholder_id,
        "address": "",
        "provider_message_id": None,
        "raw": None,
        "attachments": None,
        "buttons": None,
        "latitude": None,
        "longitude": None,
    }
    mine = Message.citizen_id == citizen_id
    await session.execute(
        update(Message).where(mine, Message.internal.is_(True)).values(text=note_marker, **blank)
    )
    await session.execute(update(Message).where(mine, Message.id.in_(keep_text)).values(**blank))
    await session.execute(update(Message).where(mine).values(text="", **blank))
    return int(count or 0)


async def forget_outbox(session: AsyncSession, placeholder_id: int, keep: Collection[int]) -> None:
    """Queued and sent rows carry the address: gone, except the last replies', which forget it once sent."""
    theirs = select(Message.id).where(Message.citizen_id == placeholder_id)
    await session.execute(
        delete(OutboxItem).where(OutboxItem.message_id.in_(theirs), OutboxItem.message_id.not_in(keep))
    )
    if keep:
        await session.execute(
            update(OutboxItem).where(OutboxItem.message_id.in_(keep)).values(forget_after_send=True)
        )


async def forget_web_and_links(
    session: AsyncSession, identities: Sequence[ChannelIdentity], upload_names: Sequence[str]
) -> None:
    """Web chat bindings and uploads of their browsers, and their attempts at link codes."""
    senders = [i.address for i in identities if i.channel == WEB_CHAT]
    if senders:
        await session.execute(delete(WebchatKey).where(WebchatKey.sender.in_(senders)))
    if upload_names:
        await session.execute(delete(Upload).where(Upload.name.in_(upload_names)))
    pairs = [(i.channel, i.address) for i in identities]
    if pairs:
        await session.execute(
            delete(LinkAttempt).where(tuple_(LinkAttempt.channel, LinkAttempt.address).in_(pairs))
        )
        # Someone else's code this person typed: the claim goes, the code stays its owner's.
        await session.execute(
            update(LinkCode)
            .where(tuple_(LinkCode.claimed_channel, LinkCode.claimed_address).in_(pairs))
            .values(claimed_channel=None, claimed_address=None, claimed_at=None)
        )


async def scrub_citizen_audit(session: AsyncSession, citizen_id: int, placeholder_id: int) -> None:
    """Audit rows about the citizen keep who did what and when, under the placeholder, without values
    (a preferential reason, a merge's identities)."""
    await session.execute(
        update(AuditEvent)
        .where(AuditEvent.target_type == "citizen", AuditEvent.target_id == str(citizen_id))
        .values(target_id=str(placeholder_id), from_value=None, to_value=None, detail=None)
    )
    await session.execute(
        update(AuditEvent)
        .where(AuditEvent.from_value == f"citizen:{citizen_id}")
        .values(from_value=f"citizen:{placeholder_id}")
    )


async def repoint_conversation_audits(session: AsyncSession, citizen_id: int, placeholder_id: int) -> None:
    """Audit rows about the conversation name its citizen in their detail: now the placeholder."""
    conversation = select(cast(Conversation.id, String)).where(Conversation.citizen_id == placeholder_id)
    await session.execute(
        update(AuditEvent)
        .where(
            AuditEvent.target_type == "conversation",
            AuditEvent.target_id.in_(conversation),
            AuditEvent.detail.is_not(None),
        )
        .values(detail={"citizen_id": placeholder_id})
    )


async def forget_citizen(session: AsyncSession, citizen_id: int) -> None:
    """The person's row goes, and with it (ON DELETE CASCADE) identities, link codes, notices shown and
    export links."""
    await session.execute(delete(Citizen).where(Citizen.id == citizen_id))


async def suppress(session: AsyncSession, hashes: Collection[str]) -> None:
    known = set(
        (
            await session.scalars(select(SuppressedAddress.hash).where(SuppressedAddress.hash.in_(hashes)))
        ).all()
    )
    session.add_all(SuppressedAddress(hash=h) for h in hashes if h not in known)


async def suppressed_since(session: AsyncSession, hash_: str) -> datetime | None:
    return await session.scalar(select(SuppressedAddress.created_at).where(SuppressedAddress.hash == hash_))
