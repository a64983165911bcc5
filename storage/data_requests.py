"""Data-protection requests: recorded, listed for the supervisors' queue, closed.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DataRequest, utcnow


async def add(session: AsyncSession, request: DataRequest) -> None:
    session.add(request)
    await session.flush()


async def of_citizen(session: AsyncSession, citizen_id: int) -> Sequence[DataRequest]:
    return (
        await session.scalars(
            select(DataRequest).where(DataRequest.citizen_id == citizen_id).order_by(DataRequest.id)
        )
    ).all()


async def close(session: AsyncSession, request_id: int, status: str, note: str | None = None) -> None:
    """Done or cancelled, now (a request already closed stays as it was)."""
    await session.execute(
        update(DataRequest)
        .where(DataRequest.id == request_id, DataRequest.status.in_(("open", "held")))
        .values(status=status, done_at=utcnow(), note=note)
    )
