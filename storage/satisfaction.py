"""Queries for the dashboard's closing-the-loop figures: follow-ups, reopened cases, ratings, supporters.

Each returns plain rows of the period for the staff member's scope; the figures (rates, medians) are
worked out in `inbox/satisfaction.py`, the same on SQLite and PostgreSQL. Each function takes the session
explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Case,
    CaseEvent,
    CaseSupporter,
    ConversationRating,
    FollowUp,
    FollowUpStatus,
)
from storage.preferential import preferential_case
from storage.scope import Scope, case_in_scope, conversation_in_scope

# A follow-up that was asked: still within its answer window, answered, or never answered in time.
ASKED = (FollowUpStatus.SENT, FollowUpStatus.ANSWERED, FollowUpStatus.EXPIRED)


async def followups_asked(session: AsyncSession, since: datetime, scope: Scope = None) -> Sequence[Any]:
    """(case id, service, department, kind, status, answer, rating) of each follow-up sent since then."""
    return (
        await session.execute(
            select(
                FollowUp.case_id,
                Case.service_code,
                Case.department,
                FollowUp.kind,
                FollowUp.status,
                FollowUp.answer,
                FollowUp.rating,
            )
            .join(Case, Case.id == FollowUp.case_id)
            .where(FollowUp.sent_at >= since, FollowUp.status.in_(ASKED), *case_in_scope(scope))
        )
    ).all()


async def cases_moved_to(
    session: AsyncSession, statuses: Sequence[str], since: datetime, scope: Scope = None
) -> Sequence[Any]:
    """(case id, service, department, status) once for each case moved to each of `statuses` since then."""
    return (
        await session.execute(
            select(CaseEvent.case_id, Case.service_code, Case.department, CaseEvent.to_value)
            .join(Case, Case.id == CaseEvent.case_id)
            .where(
                CaseEvent.kind == "status",
                CaseEvent.to_value.in_(statuses),
                CaseEvent.created_at >= since,
                *case_in_scope(scope),
            )
            .distinct()
        )
    ).all()


async def conversation_ratings(session: AsyncSession, since: datetime, scope: Scope = None) -> Sequence[Any]:
    """(agent's staff id, department, rating or None) of each rating asked since then; a conversation of
    the general queue (no department) is seen by everyone, as in the queue."""
    return (
        await session.execute(
            select(
                ConversationRating.staff_id, ConversationRating.department, ConversationRating.rating
            ).where(
                ConversationRating.asked_at >= since,
                *conversation_in_scope(scope, ConversationRating.department),
            )
        )
    ).all()


async def supporters_per_case(session: AsyncSession, since: datetime, scope: Scope = None) -> tuple[int, int]:
    """(cases filed since then, supporters who joined them)."""
    filed = (Case.created_at >= since, *case_in_scope(scope))
    cases = await session.scalar(select(func.count()).select_from(Case).where(*filed))
    supporters = await session.scalar(
        select(func.count())
        .select_from(CaseSupporter)
        .join(Case, Case.id == CaseSupporter.case_id)
        .where(*filed)
    )
    return int(cases or 0), int(supporters or 0)


async def most_supported(
    session: AsyncSession, since: datetime, scope: Scope = None, limit: int = 5
) -> Sequence[Any]:
    """(code, service, status, supporters, preferential) of the cases filed since then with the most
    supporters (preferential: the dashboard marks the case, issue 19)."""
    count = func.count(CaseSupporter.id).label("supporters")
    return (
        await session.execute(
            select(Case.code, Case.service_code, Case.status, count, preferential_case())
            .join(CaseSupporter, CaseSupporter.case_id == Case.id)
            .where(Case.created_at >= since, *case_in_scope(scope))
            .group_by(Case.id, Case.code, Case.service_code, Case.status, Case.priority)
            .order_by(count.desc(), Case.code)
            .limit(limit)
        )
    ).all()
