"""Retention once a day inside `serve`, on one worker whatever the number of workers.

Every worker wakes every hour; the run is due 23 hours after the last one, at night in the city (from
02:00 to 06:00, when nobody is writing), or at once when it never ran or missed its nights (47 hours).
A worker that finds it due claims the day in `job_runs` with one conditional update; only the worker
whose update changed the row runs it. A failed run gives the claim back and is tried at the next hour."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot import retention
from bot.housekeeping import every
from bot.settings import Settings
from storage import job_runs
from storage.engine import AsyncSession, async_sessionmaker
from storage.media import MediaStore
from storage.models import utcnow

log = logging.getLogger(__name__)
NAME = "retention"
EVERY_SECONDS = 3600
GAP = timedelta(hours=23)  # a day, less the hour between two wakes
OVERDUE = timedelta(hours=47)  # a night was missed: run now rather than wait for the next one
NIGHT = range(2, 6)  # hours, city time
Work = Callable[
    [async_sessionmaker[AsyncSession], Settings, MediaStore, datetime],
    Awaitable[tuple[retention.Plan, retention.Done | None]],
]


def due(settings: Settings, now: datetime, last: datetime | None) -> bool:
    """Whether to try to claim the run now (the claim itself decides between workers)."""
    if last is None:
        return True
    if now - last < GAP:
        return False
    return now.astimezone(settings.city.zone).hour in NIGHT or now - last >= OVERDUE


class DailyRetention:
    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        store: MediaStore,
        every: float = EVERY_SECONDS,
        work: Work = retention.run,
    ) -> None:
        self.settings, self.sessions, self.store, self.every = settings, sessions, store, every
        self.work = work  # the run itself; tests put a failing one here to see the claim given back
        self._stop = asyncio.Event()

    async def run(self) -> None:
        await every(self.every, self._stop, self.once, "retention")

    def stop(self) -> None:
        self._stop.set()

    async def once(self, now: datetime | None = None) -> retention.Done | None:
        """Run retention if it is due and this worker claims it; None when it did not run here."""
        now = now or utcnow()
        async with self.sessions() as session, session.begin():
            previous = await job_runs.last_run(session, NAME)
        if not due(self.settings, now, previous):
            return None
        async with self.sessions() as session, session.begin():
            if not await job_runs.claim(session, NAME, now, GAP):
                return None  # another worker took it
        try:
            _, done = await self.work(self.sessions, self.settings, self.store, now)
        except Exception:
            async with self.sessions() as session, session.begin():
                await job_runs.release(session, NAME, now, previous)
            raise  # logged by `every`; tried again at the next wake
        assert done is not None
        async with self.sessions() as session, session.begin():
            await job_runs.record(session, NAME, {"as_of": now.isoformat(), "counts": done.counts()})
        log.info("retention: %s", ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in done.counts().items()))
        return done
