"""Queries for the public transparency page (/transparencia): counts grouped in the database, never a row
about a person. Each takes the session explicitly and never commits.

Months are worked out in SQL with one CASE (as `reports.cases_per_day` does for days), the same on SQLite
and PostgreSQL. Areas cannot be (polygons, neighbourhood names in addresses: issue 19), so `case_counts`
reads each distinct place here and hands back only counts (docs/performance.md measures it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import case as when_then
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case, ConversationRating, FollowUp, FollowUpStatus, Survey

# A case's place (latitude, longitude, address) → its area's index; one past the last for none.
AreaOf = Callable[[float | None, float | None, str | None], int]
PLACE = (Case.latitude, Case.longitude, Case.address)


async def case_counts(
    session: AsyncSession, month_starts: Sequence[datetime], area_of: AreaOf
) -> list[tuple[str, int, int, str, int]]:
    """(service, month index, area index, current status, cases) for the cases filed from the first
    month's start to the last start (the period's end). The area index is `area_of(latitude, longitude,
    address)` (`Settings.area_code`'s order; polygons and names in addresses cannot be decided in SQL), so
    the places are read here, grouped first, and only the counts leave storage."""
    months = len(month_starts) - 1
    month = when_then(
        *((Case.created_at < month_starts[i + 1], i) for i in range(months)), else_=months
    ).label("month")
    filed = (
        select(Case.service_code.label("service"), month, Case.status.label("status"), *PLACE)
        .where(Case.created_at >= month_starts[0], Case.created_at < month_starts[-1])
        .subquery()
    )
    place = (filed.c.latitude, filed.c.longitude, filed.c.address)
    grouped = select(filed.c.service, filed.c.month, filed.c.status, *place, func.count()).group_by(
        filed.c.service, filed.c.month, filed.c.status, *place
    )
    counts: Counter[tuple[str, int, int, str]] = Counter()
    result = await session.stream(grouped.execution_options(yield_per=2000))
    async for rows in result.partitions():  # a batch at a time: a row at a time costs a thread switch each
        for service, m, status, lat, lon, address, n in rows:
            counts[(service, int(m), area_of(lat, lon, address), status)] += int(n)
    return [(s, m, a, st, n) for (s, m, a, st), n in counts.items()]


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
