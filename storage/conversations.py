"""A citizen's running conversation: who holds it, where the dialogue stands, the queue of those waiting
for a person, and how long each waited for a first answer.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Citizen, Conversation, Direction, FirstResponse, Holder, Message
from storage.scope import Scope, conversation_in_scope, department_of_conversation
from storage.staff import staff_names

# The hand-off reason of a conversation whose citizen wrote about an emergency: first in the queue.
EMERGENCY = "emergency"

IN_QUEUE = (Holder.WAITING, Holder.STAFF)
NO_DEPARTMENT = "-"  # the queue filter value for conversations whose citizen has no open case


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


# How long a waiting citizen waited for a person: one row per first answer.


async def add_first_response(
    session: AsyncSession,
    *,
    citizen_id: int,
    department: str | None,
    staff_id: int,
    waiting_since: datetime,
    responded_at: datetime,
) -> None:
    preferential = await session.scalar(
        select(Citizen.preferential.is_not(None)).where(Citizen.id == citizen_id)
    )
    session.add(
        FirstResponse(
            citizen_id=citizen_id,
            department=department,
            staff_id=staff_id,
            waiting_since=waiting_since,
            responded_at=responded_at,
            preferential=bool(preferential),
        )
    )
    await session.flush()


async def move_first_responses(session: AsyncSession, source_id: int, target_id: int) -> None:
    await session.execute(
        update(FirstResponse).where(FirstResponse.citizen_id == source_id).values(citizen_id=target_id)
    )
