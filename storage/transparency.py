"""Queries for the public transparency page (/transparencia): counts grouped in the database, never a row
about a person. Each takes the session explicitly and never commits.

Months and areas are worked out in SQL with one CASE each (as `reports.cases_per_day` does for days), the
same on SQLite and PostgreSQL, so a year of a big city's cases comes back as a few hundred counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, literal, select
from sqlalchemy import case as when_then
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case, ConversationRating, FollowUp, FollowUpStatus, Survey

Box = tuple[float, float, float, float]  # south, west, north, east


async def case_counts(
    session: AsyncSession, month_starts: Sequence[datetime], areas: Sequence[Box]
) -> list[tuple[str, int, int, str, int]]:
    """(service, month index, area index, current status, cases) for the cases filed from the first
    month's start to the last start (the period's end). The area index is the first box holding the case's
    point, as `Settings.area_of`; len(areas) when none does or the case has no point."""
    months = len(month_starts) - 1
    month = when_then(
        *((Case.created_at < month_starts[i + 1], i) for i in range(months)), else_=months
    ).label("month")
    inside = [and_(Case.latitude.between(s, n), Case.longitude.between(w, e)) for s, w, n, e in areas]
    area = (
        when_then(*((held, i) for i, held in enumerate(inside)), else_=len(areas)) if inside else literal(0)
    ).label("area")
    filed = (
        select(Case.service_code.label("service"), month, area, Case.status.label("status"))
        .where(Case.created_at >= month_starts[0], Case.created_at < month_starts[-1])
        .subquery()
    )
    rows = await session.execute(
        select(filed.c.service, filed.c.month, filed.c.area, filed.c.status, func.count()).group_by(
            filed.c.service, filed.c.month, filed.c.area, filed.c.status
        )
    )
    return [(s, int(m), int(a), st, int(n)) for s, m, a, st, n in rows]


async def followup_answers(
    session: AsyncSession, since: datetime, until: datetime
) -> list[tuple[str, str | None, int | None, int]]:
    """(kind, answer, rating, how many) of the follow-ups answered in the period."""
    rows = await session.execute(
        select(FollowUp.kind, FollowUp.answer, FollowUp.rating, func.count())
        .where(
            FollowUp.status == FollowUpStatus.ANSWERED,
            FollowUp.answered_at >= since,
            FollowUp.answered_at < until,
        )
        .group_by(FollowUp.kind, FollowUp.answer, FollowUp.rating)
    )
    return [(kind, answer, rating, int(n)) for kind, answer, rating, n in rows]


async def conversation_ratings(session: AsyncSession, since: datetime, until: datetime) -> dict[int, int]:
    """Rating (1–5) → how many conversations a person answered were given it in the period."""
    rows = await session.execute(
        select(ConversationRating.rating, func.count())
        .where(
            ConversationRating.rating.is_not(None),
            ConversationRating.answered_at >= since,
            ConversationRating.answered_at < until,
        )
        .group_by(ConversationRating.rating)
    )
    return {int(rating): int(n) for rating, n in rows if rating is not None}


async def closed_surveys(session: AsyncSession, since: datetime, until: datetime) -> Sequence[Survey]:
    """The surveys that closed in the period, the latest first."""
    result = await session.scalars(
        select(Survey)
        .where(Survey.closes_at >= since, Survey.closes_at < until)
        .order_by(Survey.closes_at.desc(), Survey.id.desc())
    )
    return result.all()
