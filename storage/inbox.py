"""Queries for the staff inbox: accounts, sessions, the queue, timelines, citizens and live changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.conversations import conversation_of
from storage.models import (
    OPEN_STATUSES,
    AuditEvent,
    Case,
    CaseEvent,
    ChannelIdentity,
    Citizen,
    Conversation,
    Direction,
    FirstResponse,
    Holder,
    Message,
)
from storage.scope import (
    Scope,
    case_in_scope,
    citizen_department,
    conversation_in_scope,
    department_of_conversation,
    in_scope,
    sees_citizen,
)
from storage.staff import staff_names

# The hand-off reason of a conversation whose citizen wrote about an emergency: first in the queue.
EMERGENCY = "emergency"

IN_QUEUE = (Holder.WAITING, Holder.STAFF)
NO_DEPARTMENT = "-"  # the queue filter value for conversations whose citizen has no open case


# The queue.


@dataclass(frozen=True)
class QueueFilter:
    department: str = ""  # "" every department; NO_DEPARTMENT: citizens without an open case
    channel: str = ""
    status: str = ""  # "" everything in the queue | waiting | mine | assigned
    staff_id: int | None = None  # who "mine" means
    scope: Scope = None


@dataclass(frozen=True)
class QueueRow:
    conversation: Conversation
    citizen: Citizen
    department: str | None
    assigned_to: str | None
    last: Message | None  # what the citizen said last


def _queue_conditions(filters: QueueFilter, department: Any) -> list[ColumnElement[bool]]:
    conditions = [Conversation.holder.in_(IN_QUEUE), *conversation_in_scope(filters.scope, department)]
    if filters.department == NO_DEPARTMENT:
        conditions.append(department.is_(None))
    elif filters.department:
        conditions.append(department == filters.department)
    if filters.channel:
        conditions.append(Conversation.last_channel == filters.channel)
    if filters.status == "waiting":
        conditions.append(Conversation.holder == Holder.WAITING)
    elif filters.status == "mine":
        conditions.append(Conversation.assigned_staff_id == filters.staff_id)
    elif filters.status == "assigned":
        conditions.append(Conversation.assigned_staff_id.is_not(None))
    return conditions


async def queue(session: AsyncSession, filters: QueueFilter, *, limit: int = 200) -> list[QueueRow]:
    """Conversations waiting for or held by a person: emergencies first, then preferential citizens, then
    the longest waiting."""
    department = department_of_conversation()
    last_id = (
        select(Message.id)
        .where(Message.citizen_id == Conversation.citizen_id, Message.direction == Direction.IN)
        .order_by(Message.created_at.desc())
        .limit(1)
        .correlate(Conversation)
        .scalar_subquery()
    )
    rows = (
        await session.execute(
            select(Conversation, Citizen, department.label("department"), last_id.label("last_id"))
            .join(Citizen, Citizen.id == Conversation.citizen_id)
            .where(*_queue_conditions(filters, department))
            .order_by(
                case((Conversation.handoff_reason == EMERGENCY, 0), else_=1),
                Citizen.preferential.is_not(None).desc(),
                Conversation.waiting_since.asc().nulls_last(),
                Conversation.id,
            )
            .limit(limit)
        )
    ).all()
    message_ids = {row.last_id for row in rows if row.last_id is not None}
    messages = {
        m.id: m for m in (await session.scalars(select(Message).where(Message.id.in_(message_ids)))).all()
    }
    names = await staff_names(session, {r[0].assigned_staff_id for r in rows if r[0].assigned_staff_id})
    return [
        QueueRow(
            conversation=row[0],
            citizen=row[1],
            department=row.department,
            assigned_to=names.get(row[0].assigned_staff_id or 0),
            last=messages.get(row.last_id),
        )
        for row in rows
    ]


async def queue_counts(session: AsyncSession, staff_id: int, scope: Scope = None) -> dict[str, int]:
    """How many conversations wait, are mine, are anyone's: the tabs above the queue."""
    seen = conversation_in_scope(scope, department_of_conversation())
    rows = await session.execute(
        select(Conversation.holder, Conversation.assigned_staff_id, func.count())
        .where(Conversation.holder.in_(IN_QUEUE), *seen)
        .group_by(Conversation.holder, Conversation.assigned_staff_id)
    )
    counts = {"all": 0, "waiting": 0, "mine": 0, "assigned": 0}
    for holder, assigned, count in rows:
        counts["all"] += count
        counts["waiting"] += count if holder == Holder.WAITING else 0
        counts["mine"] += count if assigned == staff_id else 0
        counts["assigned"] += count if assigned is not None else 0
    return counts


# One conversation and its citizen.


async def last_inbound_at(session: AsyncSession, citizen_id: int, channel: str) -> datetime | None:
    return await session.scalar(
        select(func.max(ChannelIdentity.last_inbound_at)).where(
            ChannelIdentity.citizen_id == citizen_id, ChannelIdentity.channel == channel
        )
    )


async def add_first_response(
    session: AsyncSession,
    *,
    citizen_id: int,
    department: str | None,
    staff_id: int,
    waiting_since: datetime,
    responded_at: datetime,
) -> None:
    session.add(
        FirstResponse(
            citizen_id=citizen_id,
            department=department,
            staff_id=staff_id,
            waiting_since=waiting_since,
            responded_at=responded_at,
        )
    )
    await session.flush()


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


# Citizens.


@dataclass(frozen=True)
class Profile:
    citizen: Citizen
    identities: Sequence[ChannelIdentity]
    cases: Sequence[Case]
    conversation: Conversation | None


async def profile(session: AsyncSession, citizen_id: int, scope: Scope = None) -> Profile | None:
    """None when the citizen does not exist or is outside the scope; within it, only the scope's cases,
    and no conversation when that is outside it."""
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None or not await sees_citizen(session, citizen_id, scope):
        return None
    identities = (
        await session.scalars(
            select(ChannelIdentity)
            .where(ChannelIdentity.citizen_id == citizen_id)
            .order_by(ChannelIdentity.id)
        )
    ).all()
    cases = (
        await session.scalars(
            select(Case)
            .where(Case.citizen_id == citizen_id, *case_in_scope(scope))
            .order_by(Case.created_at.desc(), Case.id.desc())
        )
    ).all()
    conversation = await conversation_of(session, citizen_id)
    seen = scope is None or in_scope(scope, await citizen_department(session, citizen_id))
    if conversation is not None and not seen:
        conversation = None
    return Profile(citizen, identities, cases, conversation)


async def set_open_case_priority(session: AsyncSession, citizen_id: int, priority: int) -> int:
    """Give the citizen's open cases this priority; how many changed."""
    result = await session.execute(
        update(Case)
        .where(Case.citizen_id == citizen_id, Case.status.in_(OPEN_STATUSES), Case.priority != priority)
        .values(priority=priority)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def move_first_responses(session: AsyncSession, source_id: int, target_id: int) -> None:
    await session.execute(
        update(FirstResponse).where(FirstResponse.citizen_id == source_id).values(citizen_id=target_id)
    )


# What changed since the last look: the inbox's live updates poll this.


async def latest_change_ids(session: AsyncSession) -> tuple[int, int]:
    message = await session.scalar(select(func.max(Message.id)))
    audit = await session.scalar(select(func.max(AuditEvent.id)))
    return int(message or 0), int(audit or 0)


async def messages_after(session: AsyncSession, message_id: int, limit: int = 500) -> Sequence[Any]:
    return (
        await session.execute(
            select(Message.id, Message.citizen_id, Message.conversation_id)
            .where(Message.id > message_id)
            .order_by(Message.id)
            .limit(limit)
        )
    ).all()


async def audit_after(session: AsyncSession, audit_id: int, limit: int = 500) -> Sequence[Any]:
    return (
        await session.execute(
            select(AuditEvent.id, AuditEvent.target_type, AuditEvent.target_id)
            .where(AuditEvent.id > audit_id)
            .order_by(AuditEvent.id)
            .limit(limit)
        )
    ).all()
