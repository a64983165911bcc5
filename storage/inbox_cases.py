"""Queries for the inbox's case list, CSV export, dashboard figures and audit trail."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy import case as when_then
from sqlalchemy.ext.asyncio import AsyncSession

from storage.inbox import IN_QUEUE
from storage.models import (
    OPEN_STATUSES,
    AuditEvent,
    Author,
    Case,
    CaseEvent,
    Conversation,
    Direction,
    FirstResponse,
    Holder,
    Message,
)
from storage.scope import Scope, case_in_scope, conversation_in_scope, department_of_conversation

CODE = re.compile(r"^([2-9A-Z]{3})-?([2-9A-Z]{3})$")


@dataclass(frozen=True)
class CaseFilter:
    q: str = ""  # a case code, or words of the description or address
    service: str = ""
    status: str = ""
    department: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    zone: tzinfo = UTC  # whose days date_from and date_to are (the city's)
    scope: Scope = None  # the departments of the staff member who searches


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(filters: CaseFilter) -> list[ColumnElement[bool]]:
    conditions = case_in_scope(filters.scope)
    q = filters.q.strip()
    if q:
        text = [Case.description.ilike(_like(q), escape="\\"), Case.address.ilike(_like(q), escape="\\")]
        code = CODE.match(q.upper().replace(" ", ""))
        conditions.append(or_(Case.code == f"{code[1]}-{code[2]}", *text) if code else or_(*text))
    if filters.service:
        conditions.append(Case.service_code == filters.service)
    if filters.status == "active":
        conditions.append(Case.status.in_(OPEN_STATUSES))
    elif filters.status:
        conditions.append(Case.status == filters.status)
    if filters.department:
        conditions.append(Case.department == filters.department)
    if filters.date_from is not None:
        conditions.append(Case.created_at >= datetime.combine(filters.date_from, time(), filters.zone))
    if filters.date_to is not None:
        conditions.append(
            Case.created_at < datetime.combine(filters.date_to + timedelta(days=1), time(), filters.zone)
        )
    return conditions


def _cases(filters: CaseFilter) -> Select[Case]:
    return select(Case).where(*_conditions(filters)).order_by(Case.created_at.desc(), Case.id.desc())


async def search_cases(
    session: AsyncSession, filters: CaseFilter, *, page: int = 1, per_page: int = 50
) -> tuple[Sequence[Case], int]:
    """One page of the cases that match, newest first, and how many match in all."""
    total = await session.scalar(select(func.count()).select_from(Case).where(*_conditions(filters)))
    rows = await session.scalars(_cases(filters).offset((page - 1) * per_page).limit(per_page))
    return rows.all(), int(total or 0)


async def stream_cases(session: AsyncSession, filters: CaseFilter) -> AsyncIterator[Case]:
    """Every matching case, read in batches so an export of the whole city never sits in memory."""
    result = await session.stream_scalars(_cases(filters).execution_options(yield_per=500))
    async for case in result:
        yield case


async def case_history(session: AsyncSession, case_id: int) -> Sequence[CaseEvent]:
    return (
        await session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id))
    ).all()


# Dashboard figures: each counts only what the scope sees, as the queue and case list show it.


async def cases_by_service_and_status(
    session: AsyncSession, scope: Scope = None
) -> list[tuple[str, str, int]]:
    rows = await session.execute(
        select(Case.service_code, Case.status, func.count())
        .where(*case_in_scope(scope))
        .group_by(Case.service_code, Case.status)
    )
    return [(service, status, int(count)) for service, status, count in rows]


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
    """Answers to waiting citizens; those with no department were in the general queue, seen by all."""
    return (
        await session.execute(
            select(FirstResponse.waiting_since, FirstResponse.responded_at, FirstResponse.department).where(
                FirstResponse.responded_at >= since,
                *conversation_in_scope(scope, FirstResponse.department),
            )
        )
    ).all()


async def resolutions(session: AsyncSession, since: datetime, scope: Scope = None) -> Sequence[Any]:
    """(filed, resolved, department) for each case resolved since then (its first resolution counts)."""
    resolved = (
        select(CaseEvent.case_id, func.min(CaseEvent.created_at).label("at"))
        .where(CaseEvent.kind == "status", CaseEvent.to_value == "resolved", CaseEvent.created_at >= since)
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    return (
        await session.execute(
            select(Case.created_at, resolved.c.at, Case.department)
            .join(resolved, resolved.c.case_id == Case.id)
            .where(*case_in_scope(scope))
        )
    ).all()


async def waiting_now(session: AsyncSession, scope: Scope = None) -> Sequence[Any]:
    """(waiting since, answered at, department) for conversations in the queue with a clock running."""
    department = department_of_conversation()
    return (
        await session.execute(
            select(Conversation.waiting_since, Conversation.first_response_at, department.label("department"))
            .where(Conversation.holder.in_(IN_QUEUE), Conversation.waiting_since.is_not(None))
            .where(*conversation_in_scope(scope, department))
        )
    ).all()


async def overdue_open_cases(session: AsyncSession, deadlines: dict[str, datetime]) -> int:
    """Open cases whose clock started (filed, or reopened: `sla_started_at`) before their department's
    deadline (now minus its resolution target)."""
    if not deadlines:
        return 0
    started = func.coalesce(Case.sla_started_at, Case.created_at)
    late = or_(*(and_(Case.department == d, started < at) for d, at in deadlines.items()))
    count = await session.scalar(
        select(func.count()).select_from(Case).where(Case.status.in_(OPEN_STATUSES), late)
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


async def audit_page(
    session: AsyncSession, *, page: int = 1, per_page: int = 100
) -> tuple[Sequence[AuditEvent], int]:
    total = await session.scalar(select(func.count()).select_from(AuditEvent))
    rows = await session.scalars(
        select(AuditEvent).order_by(AuditEvent.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    return rows.all(), int(total or 0)
