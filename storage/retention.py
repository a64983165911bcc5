"""What the retention rules find (bot/retention.py): old message text and media, web chat visitors who
never filed anything, inactive citizens; and the blanking of old messages.

Each function takes the session explicitly and never commits. Every finder has two uses: the plan (all
citizens, counted) and the run (only the planned ids, checked again, so what changed meanwhile — a new
case, a new message — is left alone)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, delete, func, null, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.media import name_of
from storage.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseSupporter,
    ChannelIdentity,
    Citizen,
    Conversation,
    DataRequest,
    DataRequestStatus,
    EmailHeader,
    Holder,
    LinkCode,
    Message,
    Upload,
)
from storage.webchat import CHANNEL as WEBCHAT

# A citizen's row and its message count, and whether a supervisor holds its erasure.
Found = tuple[int, int, bool]


def _json_set(column: Any) -> ColumnElement[bool]:
    """A JSON column holding something: neither SQL NULL nor JSON null (how the ORM stores None)."""
    return func.coalesce(cast(column, String), "null").not_in(["null", "[]", "{}"])


def not_blank() -> ColumnElement[bool]:
    """A message that still holds something of what was said: text, files, a place or the raw payload."""
    return or_(
        Message.text != "",
        _json_set(Message.attachments),
        _json_set(Message.raw),
        Message.latitude.is_not(None),
        Message.longitude.is_not(None),
    )


def _case_is_current(since: datetime) -> ColumnElement[bool]:
    """A case still open, or closed since `since` (a closed case without `closed_at`: its last change)."""
    return or_(Case.status.in_(OPEN_STATUSES), func.coalesce(Case.closed_at, Case.updated_at) >= since)


def _has_case(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """The citizen (correlated) filed or joined ("me too") a case that meets `condition`."""
    own = select(Case.id).where(Case.citizen_id == Citizen.id, condition).exists()
    joined = (
        select(CaseSupporter.id)
        .join(Case, Case.id == CaseSupporter.case_id)
        .where(CaseSupporter.citizen_id == Citizen.id, condition)
        .exists()
    )
    return or_(own, joined)


def _request_pending() -> ColumnElement[bool]:
    """A data-protection request a person still has to act on (a correction, an erasure on hold)."""
    return (
        select(DataRequest.id)
        .where(
            DataRequest.citizen_id == Citizen.id,
            DataRequest.status.in_((DataRequestStatus.OPEN, DataRequestStatus.HELD)),
        )
        .exists()
    )


def _wrote_since(since: datetime) -> ColumnElement[bool]:
    return select(Message.id).where(Message.citizen_id == Citizen.id, Message.created_at >= since).exists()


def _message_count() -> Any:
    return select(func.count(Message.id)).where(Message.citizen_id == Citizen.id).scalar_subquery()


def _among(query: Any, ids: Sequence[int] | None) -> Any:
    return query if ids is None else query.where(Citizen.id.in_(ids))


async def _found(session: AsyncSession, query: Any) -> list[Found]:
    return [
        (int(i), int(n), bool(h)) for i, n, h in (await session.execute(query.order_by(Citizen.id))).all()
    ]


# --- Rule 1: message text and media ---


async def old_messages(
    session: AsyncSession, before: datetime, ids: Sequence[int] | None = None
) -> list[Found]:
    """Citizens with messages older than `before` that still hold something, and none of whose cases
    (filed or joined) is open or closed since `before`; with how many such messages each has."""
    query = (
        select(Citizen.id, func.count(Message.id), Citizen.erasure_hold.is_not(None))
        .join(Message, Message.citizen_id == Citizen.id)
        .where(Message.created_at < before, not_blank(), ~_has_case(_case_is_current(before)))
        .group_by(Citizen.id, Citizen.erasure_hold)
    )
    return await _found(session, _among(query, ids))


async def old_message_batch(
    session: AsyncSession, citizen_ids: Sequence[int], before: datetime, after_id: int = 0, limit: int = 500
) -> Sequence[Any]:
    """Up to `limit` of these citizens' messages after `after_id` to blank, (id, citizen_id, attachments),
    checked again: not held, no current case, older than `before`, not blank yet."""
    query = (
        select(Message.id, Message.citizen_id, Message.attachments)
        .join(Citizen, Citizen.id == Message.citizen_id)
        .where(
            Message.citizen_id.in_(citizen_ids),
            Message.id > after_id,
            Message.created_at < before,
            not_blank(),
            Citizen.erasure_hold.is_(None),
            ~_has_case(_case_is_current(before)),
        )
        .order_by(Message.id)
        .limit(limit)
    )
    return (await session.execute(query)).all()


async def blank_messages(session: AsyncSession, message_ids: Sequence[int]) -> None:
    """The rows stay (counts do not change); what was said, sent and where goes. `null()`: SQL NULL,
    not the JSON null the ORM would write for None."""
    await session.execute(
        update(Message)
        .where(Message.id.in_(message_ids))
        .values(text="", attachments=null(), raw=null(), latitude=None, longitude=None)
    )
    # A mail's subject and Message-ID go with what was said in it (issue 18).
    await session.execute(delete(EmailHeader).where(EmailHeader.message_id.in_(message_ids)))


async def idle_conversations(
    session: AsyncSession, citizen_ids: Iterable[int], before: datetime
) -> Sequence[Conversation]:
    """The conversations of these citizens who wrote nothing since `before`: whatever their dialogue
    state holds (a report left half-way, its words and place) is as old as their messages."""
    return (
        await session.scalars(
            select(Conversation).where(
                Conversation.citizen_id.in_(list(citizen_ids)),
                ~select(Message.id)
                .where(Message.citizen_id == Conversation.citizen_id, Message.created_at >= before)
                .exists(),
            )
        )
    ).all()


def media_names(attachments: Sequence[Any]) -> set[str]:
    """The media-store names behind messages' attachments (a provider's URL is not ours to delete)."""
    names = set()
    for items in attachments:
        for item in items or ():
            name = name_of(str(item.get("url", ""))) if isinstance(item, dict) else None
            if name:
                names.add(name)
    return names


async def kept_by_cases(session: AsyncSession, names: set[str]) -> set[str]:
    """Which of these files a case still shows: its photos, or a supporter's photo in its history. They
    are the city's record of the case, not the conversation's, and stay."""
    kept: set[str] = set()
    pending = sorted(names)
    for start in range(0, len(pending), 100):
        chunk = pending[start : start + 100]
        in_cases = select(cast(Case.attachments, String)).where(
            or_(*(cast(Case.attachments, String).contains(n) for n in chunk))
        )
        in_history = select(CaseEvent.note).where(or_(*(CaseEvent.note.contains(n) for n in chunk)))
        texts: list[str | None] = [*(await session.scalars(in_cases)).all()]
        texts += (await session.scalars(in_history)).all()
        kept |= {n for n in chunk if any(n in (t or "") for t in texts)}
    return kept


async def forget_uploads_named(session: AsyncSession, names: set[str]) -> None:
    if names:
        await session.execute(delete(Upload).where(Upload.name.in_(names)))


# --- Rule 2: web chat visitors who never filed anything ---


async def unfiled_webchats(
    session: AsyncSession, before: datetime, ids: Sequence[int] | None = None
) -> list[Found]:
    """Citizens known only on the web chat, silent since `before`, who never filed or joined a case,
    hold no link code, ask nothing of a person, are not marked for preferential attention and are not
    attended: nothing of theirs is the city's record."""
    other = select(ChannelIdentity.id).where(
        ChannelIdentity.citizen_id == Citizen.id, ChannelIdentity.channel != WEBCHAT
    )
    webchat = select(ChannelIdentity.id).where(
        ChannelIdentity.citizen_id == Citizen.id, ChannelIdentity.channel == WEBCHAT
    )
    attended = select(Conversation.id).where(
        Conversation.citizen_id == Citizen.id, Conversation.holder != Holder.BOT
    )
    query = select(Citizen.id, _message_count(), Citizen.erasure_hold.is_not(None)).where(
        Citizen.erased_at.is_(None),
        Citizen.preferential.is_(None),
        Citizen.created_at < before,
        webchat.exists(),
        ~other.exists(),
        ~_has_case(Case.id.is_not(None)),
        ~select(LinkCode.id).where(LinkCode.citizen_id == Citizen.id).exists(),
        ~attended.exists(),
        ~_request_pending(),
        ~_wrote_since(before),
    )
    return await _found(session, _among(query, ids))


# --- Rule 3: inactive citizens ---


async def inactive_citizens(
    session: AsyncSession, before: datetime, ids: Sequence[int] | None = None
) -> list[Found]:
    """Citizens (not placeholders of erased ones) with no message since `before`, no open case, filed or
    joined, and no request a person still has to act on."""
    query = select(Citizen.id, _message_count(), Citizen.erasure_hold.is_not(None)).where(
        Citizen.erased_at.is_(None),
        Citizen.created_at < before,
        ~_wrote_since(before),
        ~_has_case(Case.status.in_(OPEN_STATUSES)),
        ~_request_pending(),
    )
    return await _found(session, _among(query, ids))
