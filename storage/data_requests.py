"""Data-protection requests: recorded, listed for the supervisors' queue, closed.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Citizen, DataRequest, DataRequestStatus, utcnow
from storage.scope import Scope, citizen_in_scope

# What the queue shows first: requests someone must still answer (held ones wait for a supervisor).
PENDING = (DataRequestStatus.OPEN, DataRequestStatus.HELD)
CLOSED = (DataRequestStatus.DONE, DataRequestStatus.CANCELLED)


@dataclass(frozen=True)
class QueuedRequest:
    """A row of the queue: the request and the name of its citizen (None if they have none, or erased)."""

    request: DataRequest
    name: str | None
    erased: bool


async def add(session: AsyncSession, request: DataRequest) -> None:
    session.add(request)
    await session.flush()


async def get(session: AsyncSession, request_id: int) -> DataRequest | None:
    return await session.get(DataRequest, request_id)


async def of_citizen(session: AsyncSession, citizen_id: int) -> Sequence[DataRequest]:
    return (
        await session.scalars(
            select(DataRequest).where(DataRequest.citizen_id == citizen_id).order_by(DataRequest.id)
        )
    ).all()


async def of_citizen_in(
    session: AsyncSession, citizen_id: int, kind: str, status: str
) -> Sequence[DataRequest]:
    """This citizen's requests of one kind in one status, oldest first."""
    return (
        await session.scalars(
            select(DataRequest)
            .where(
                DataRequest.citizen_id == citizen_id, DataRequest.kind == kind, DataRequest.status == status
            )
            .order_by(DataRequest.id)
        )
    ).all()


async def queue(
    session: AsyncSession, *, closed: bool, scope: Scope, limit: int = 500
) -> list[QueuedRequest]:
    """Open and held requests, most urgent (earliest due) first; or the closed ones, latest first. Only
    requests of citizens the staff member sees (storage/scope.py)."""
    statuses = CLOSED if closed else PENDING
    order = (
        (DataRequest.done_at.desc(), DataRequest.id.desc())
        if closed
        else (DataRequest.due_on, DataRequest.requested_at, DataRequest.id)
    )
    rows = await session.execute(
        select(DataRequest, Citizen.display_name, Citizen.erased_at)
        .outerjoin(Citizen, Citizen.id == DataRequest.citizen_id)
        .where(DataRequest.status.in_(statuses), *citizen_in_scope(scope, DataRequest.citizen_id))
        .order_by(*order)
        .limit(limit)
    )
    return [QueuedRequest(request, name, erased is not None) for request, name, erased in rows.all()]


async def open_due_by(session: AsyncSession, last_day: date, scope: Scope) -> int:
    """How many open requests are due on or before `last_day` (overdue ones included)."""
    count = await session.scalar(
        select(func.count())
        .select_from(DataRequest)
        .where(
            DataRequest.status == DataRequestStatus.OPEN,
            DataRequest.due_on <= last_day,
            *citizen_in_scope(scope, DataRequest.citizen_id),
        )
    )
    return int(count or 0)


async def close(session: AsyncSession, request_id: int, status: str, note: str | None = None) -> None:
    """Done or cancelled, now (a request already closed stays as it was)."""
    await session.execute(
        update(DataRequest)
        .where(DataRequest.id == request_id, DataRequest.status.in_(("open", "held")))
        .values(status=status, done_at=utcnow(), note=note)
    )


async def hold(session: AsyncSession, request_id: int, reason: str) -> None:
    """A confirmed erasure a supervisor's hold stops: it waits, with the reason, until the hold is lifted."""
    await session.execute(
        update(DataRequest).where(DataRequest.id == request_id).values(status="held", note=reason)
    )
