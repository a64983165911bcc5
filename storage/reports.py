"""The figures staff decide with: cases by service and status and per day, first responses, resolutions,
who waits now, overdue cases, and how many citizens the bot served alone.

Each counts only what the scope sees, as the queue and the case list show it. Each function takes the
session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy import case as when_then
from sqlalchemy.ext.asyncio import AsyncSession

from storage.conversations import IN_QUEUE
from storage.models import (
    OPEN_STATUSES,
    Author,
    Case,
    CaseEvent,
    Citizen,
    Conversation,
    Direction,
    FirstResponse,
    Holder,
    Message,
)
from storage.preferential import preferential_case
from storage.scope import Scope, case_in_scope, conversation_in_scope, department_of_conversation


async def cases_by_service_and_status(
    session: AsyncSession, scope: Scope = None
) -> list[tuple[str, str, int]]:
    rows = await session.execute(
        select(Case.service_code, Case.status, func.count())
        .where(*case_in_scope(scope))
        .group_by(Case.service_code, Case.status)
    )
    return [(service, status, int(count)) for service, status, count in rows]


async def cases_by_channel(session: AsyncSession, scope: Scope = None) -> list[tuple[str, int]]:
    """How cases arrived (whatsapp, sms, phone, in_person, open311…), most first; walks ix_cases_channel."""
    rows = await session.execute(
        select(Case.channel, func.count())
        .where(*case_in_scope(scope))
        .group_by(Case.channel)
        .order_by(func.count().desc(), Case.channel)
    )
    return [(channel, int(count)) for channel, count in rows]


async def cases_per_day(
    session: AsyncSession, first_day: date, days: int, zone: tzinfo, scope: Scope = None
) -> dict[date, int]:
    """Cases filed on each of `days` days from `first_day`, days as the city counts them (`zone`).

    The database stores UTC: each case falls in the day whose local midnights bracket it, found by
    comparing with the days' starts in one CASE, the same on SQLite and PostgreSQL.
    """
    starts = [datetime.combine(first_day + timedelta(days=i), time(), zone) for i in range(days + 1)]
    day = when_then(*((Case.created_at < starts[i + 1], i) for i in range(days)), else_=days).label("day")
    filed = (
        select(day)
        .where(Case.created_at >= starts[0], Case.created_at < starts[-1], *case_in_scope(scope))
        .subquery()
    )
    rows = await session.execute(select(filed.c.day, func.count()).group_by(filed.c.day))
    return {first_day + timedelta(days=int(i)): int(n) for i, n in rows}


async def first_responses(session: AsyncSession, since: datetime, scope: Scope = None) -> Sequence[Any]:
    """Answers to waiting citizens; those with no department were in the general queue, seen by all. Each
    says whether the citizen had preferential attention when answered."""
    return (
        await session.execute(
            select(
                FirstResponse.waiting_since,
                FirstResponse.responded_at,
                FirstResponse.department,
                FirstResponse.preferential,
            ).where(
                FirstResponse.responded_at >= since,
                *conversation_in_scope(scope, FirstResponse.department),
            )
        )
    ).all()


def _resolved(since: datetime, scope: Scope) -> Select[Any]:
    resolved = (
        select(CaseEvent.case_id, func.min(CaseEvent.created_at).label("at"))
        .where(CaseEvent.kind == "status", CaseEvent.to_value == "resolved", CaseEvent.created_at >= since)
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    return (
        select(Case.created_at, resolved.c.at, Case.department)
        .join(resolved, resolved.c.case_id == Case.id)
        .where(*case_in_scope(scope))
    )


async def resolutions(session: AsyncSession, since: datetime, scope: Scope = None) -> Sequence[Any]:
    """(filed, resolved, department, preferential) for each case resolved since then (its first resolution
    counts); `preferential` picks the case's own target (issue 19) and never leaves as such."""
    query = _resolved(since, scope).add_columns(preferential_case().label("preferential"))
    return (await session.execute(query)).all()


async def waiting_now(session: AsyncSession, scope: Scope = None) -> Sequence[Any]:
    """(waiting since, answered at, department, preferential) for conversations in the queue with a clock
    running."""
    department = department_of_conversation()
    preferential = Citizen.preferential.is_not(None).label("preferential")
    return (
        await session.execute(
            select(
                Conversation.waiting_since,
                Conversation.first_response_at,
                department.label("department"),
                preferential,
            )
            .join(Citizen, Citizen.id == Conversation.citizen_id)
            .where(Conversation.holder.in_(IN_QUEUE), Conversation.waiting_since.is_not(None))
            .where(*conversation_in_scope(scope, department))
        )
    ).all()


async def overdue_open_cases(
    session: AsyncSession, deadlines: dict[str, datetime], *, preferential: bool | None = None
) -> int:
    """Open cases whose clock started (filed, or reopened: `sla_started_at`) before their department's
    deadline (now minus its resolution target); `preferential` True or False counts only preferential
    citizens' cases or only the others (each with its own deadlines: issue 19)."""
    if not deadlines:
        return 0
    started = func.coalesce(Case.sla_started_at, Case.created_at)
    late = or_(*(and_(Case.department == d, started < at) for d, at in deadlines.items()))
    which = [] if preferential is None else [preferential_case() if preferential else ~preferential_case()]
    count = await session.scalar(
        select(func.count()).select_from(Case).where(Case.status.in_(OPEN_STATUSES), late, *which)
    )
    return int(count or 0)


async def bot_only_share(session: AsyncSession, since: datetime) -> tuple[int, int]:
    """(citizens who wrote since then, those of them no person answered and none is holding now)."""
    wrote = (Message.created_at >= since, Message.direction == Direction.IN)
    person = select(Message.citizen_id).where(
        Message.created_at >= since, Message.author == Author.STAFF, Message.internal.is_(False)
    )
    held = select(Conversation.citizen_id).where(Conversation.holder != Holder.BOT)
    citizens = select(func.count(func.distinct(Message.citizen_id)))
    active = await session.scalar(citizens.where(*wrote))
    alone = await session.scalar(
        citizens.where(*wrote, Message.citizen_id.not_in(person), Message.citizen_id.not_in(held))
    )
    return int(active or 0), int(alone or 0)
