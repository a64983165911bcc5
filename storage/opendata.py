"""What the open data files are made from: the cases filed up to a moment, and those whose published
description may have been taken back since (an erasure, staff's "do not publish").

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case


async def cases_until(session: AsyncSession, until: datetime) -> Sequence[Case]:
    """Every case filed up to `until`, oldest first (the files' order, stable between exports)."""
    return (
        await session.scalars(select(Case).where(Case.created_at <= until).order_by(Case.created_at, Case.id))
    ).all()


async def cases_by_code(session: AsyncSession, codes: Sequence[str]) -> Sequence[Case]:
    if not codes:
        return []
    return (await session.scalars(select(Case).where(Case.code.in_(codes)))).all()


async def publishable_changed_since(session: AsyncSession, since: datetime) -> Sequence[Case]:
    """Cases changed since `since` whose description was ever allowed out (the citizen said yes, or staff
    decided): the only ones whose published words an erasure or staff's "no" may have to take back."""
    return (
        await session.scalars(
            select(Case).where(
                Case.updated_at >= since,
                or_(Case.publish_consent.is_(True), Case.description_public.is_not(None)),
            )
        )
    ).all()
