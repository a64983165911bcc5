"""Data-protection requests: recorded, listed for the supervisors' queue, closed.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DataRequest


async def add(session: AsyncSession, request: DataRequest) -> None:
    session.add(request)
    await session.flush()


async def of_citizen(session: AsyncSession, citizen_id: int) -> Sequence[DataRequest]:
    return (
        await session.scalars(
            select(DataRequest).where(DataRequest.citizen_id == citizen_id).order_by(DataRequest.id)
        )
    ).all()
