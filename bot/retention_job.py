"""Retention once a day inside `serve`, on one worker whatever the number of workers (bot/daily_jobs.py),
at night in the city (from 02:00 to 06:00, when nobody is writing)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot import daily_jobs, retention
from bot.housekeeping import every
from bot.settings import Settings
from storage.engine import AsyncSession, async_sessionmaker
from storage.media import MediaStore
from storage.models import utcnow

log = logging.getLogger(__name__)
NAME = "retention"
EVERY_SECONDS = daily_jobs.EVERY_SECONDS
GAP = daily_jobs.GAP
NIGHT = range(2, 6)  # hours, city time
Work = Callable[
    [async_sessionmaker[AsyncSession], Settings, MediaStore, datetime],
    Awaitable[tuple[retention.Plan, retention.Done | None]],
]


def due(settings: Settings, now: datetime, last: datetime | None) -> bool:
    return daily_jobs.due(settings, now, last, NIGHT)


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

        async def work() -> retention.Done:
            _, done = await self.work(self.sessions, self.settings, self.store, now)
            assert done is not None
            return done

        done = await daily_jobs.run_once(
            self.sessions, self.settings, NAME, NIGHT, now, work, lambda d: {"counts": d.counts()}
        )
        if done is not None:
            counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in done.counts().items())
            log.info("retention: %s", counts)
        return done
