"""What the open data files are made from: the cases filed up to a moment, and those whose published
description may have been taken back since (an erasure, staff's "do not publish").

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case

CHUNK = 500  # codes per query: well under every driver's limit on bound parameters


async def cases_until(session: AsyncSession, until: datetime) -> Sequence[Case]:
    """Every case filed up to `until`, oldest first (the files' order, stable between exports)."""
    return (
        await session.scalars(select(Case).where(Case.created_at <= until).order_by(Case.created_at, Case.id))
    ).all()


async def cases_by_code(session: AsyncSession, codes: Sequence[str]) -> list[Case]:
    """The cases with these public codes (those the city still has), asked a few hundred at a time."""
    found: list[Case] = []
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        found += (await session.scalars(select(Case).where(Case.code.in_(chunk)))).all()
    return found
