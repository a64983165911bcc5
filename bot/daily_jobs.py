"""A job run once a day on one worker whatever the number of workers (retention, open data).

Every worker wakes every hour; the job is due 23 hours after its last run, in its hours of the city's
night, or at once when it never ran or missed a night (47 hours). A worker that finds it due claims the day
in `job_runs` with one conditional update; only the worker whose update changed the row runs it. A failed
run gives the claim back and is tried again at the next wake."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.settings import Settings
from storage import job_runs
from storage.engine import AsyncSession, async_sessionmaker

EVERY_SECONDS = 3600
GAP = timedelta(hours=23)  # a day, less the hour between two wakes
OVERDUE = timedelta(hours=47)  # a night was missed: run now rather than wait for the next one

Done = TypeVar("Done")


def due(settings: Settings, now: datetime, last: datetime | None, hours: range) -> bool:
    """Whether to try to claim the run now (the claim itself decides between workers)."""
    if last is None:
        return True
    if now - last < GAP:
        return False
    return now.astimezone(settings.city.zone).hour in hours or now - last >= OVERDUE


async def run_once(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    name: str,
    hours: range,
    now: datetime,
    work: Callable[[], Awaitable[Done]],
    detail: Callable[[Done], dict[str, Any]],
) -> Done | None:
    """Run `work` if the job is due and this worker claims it; None when it did not run here."""
    async with sessions() as session, session.begin():
        previous = await job_runs.last_run(session, name)
    if not due(settings, now, previous, hours):
        return None
    async with sessions() as session, session.begin():
        if not await job_runs.claim(session, name, now, GAP):
            return None  # another worker took it
    try:
        done = await work()
    except Exception:
        async with sessions() as session, session.begin():
            await job_runs.release(session, name, now, previous)
        raise  # logged by `every`; tried again at the next wake
    async with sessions() as session, session.begin():
        await job_runs.record(session, name, {"as_of": now.isoformat(), **detail(done)})
    return done
