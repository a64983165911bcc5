"""Finding cases in bulk: the inbox's case list and CSV export, and Open311's request listing.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OPEN_STATUSES, Case


async def find_cases(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    service_codes: Sequence[str] = (),
    is_open: bool | None = None,
    limit: int,
    offset: int = 0,
) -> Sequence[Case]:
    """Cases filed between `start` and `end`, newest first; `is_open` None means any status."""
    query = select(Case).where(Case.created_at >= start, Case.created_at <= end)
    if service_codes:
        query = query.where(Case.service_code.in_(service_codes))
    if is_open is True:
        query = query.where(Case.status.in_(OPEN_STATUSES))
    elif is_open is False:
        query = query.where(Case.status.not_in(OPEN_STATUSES))
    query = query.order_by(Case.created_at.desc(), Case.id.desc()).limit(limit).offset(offset)
    return (await session.scalars(query)).all()
