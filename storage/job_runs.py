"""Once-a-day jobs shared by every worker: the one whose update claims the day runs the job.

Each function takes the session explicitly and never commits; `claim` must be committed on its own,
before the job runs, so that the other workers see the day taken."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JobRun


async def last_run(session: AsyncSession, name: str) -> datetime | None:
    return await session.scalar(select(JobRun.last_run_at).where(JobRun.name == name))


async def claim(session: AsyncSession, name: str, now: datetime, gap: timedelta) -> bool:
    """Take the run at `now` unless the job ran less than `gap` before it; exactly one of several workers
    claiming at once wins. The row is added first if missing: a racing worker's insert fails quietly (in a
    savepoint), and the conditional update decides. PostgreSQL makes the second update wait for the first
    and evaluate its condition again on the row the first wrote; SQLite has one writer at a time."""
    try:
        async with session.begin_nested():
            session.add(JobRun(name=name))
    except IntegrityError:
        pass
    result = await session.execute(
        update(JobRun)
        .where(JobRun.name == name, or_(JobRun.last_run_at.is_(None), JobRun.last_run_at < now - gap))
        .values(last_run_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def release(session: AsyncSession, name: str, now: datetime, previous: datetime | None) -> None:
    """Give back the claim taken at `now` (the run failed): the job is due again at the next try."""
    await session.execute(
        update(JobRun)
        .where(JobRun.name == name, JobRun.last_run_at == now)
        .values(last_run_at=previous)
        .execution_options(synchronize_session=False)
    )


async def record(session: AsyncSession, name: str, detail: dict[str, Any]) -> None:
    """What the last run did (counts only), for operators reading the table."""
    await session.execute(
        update(JobRun)
        .where(JobRun.name == name)
        .values(detail=detail)
        .execution_options(synchronize_session=False)
    )
