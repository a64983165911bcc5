"""The open data files once a day inside `serve`, on one worker whatever the number of workers
(bot/daily_jobs.py), early in the city's morning (01:00 to 05:00, so the day's folder is the new day).

At every wake, on every worker, descriptions the data no
longer publishes (an erasure, the citizen's or staff's "no") are taken out of the kept days at once:
that rewrite is idempotent and each file is replaced whole, so two workers doing it do no harm."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from bot import daily_jobs, opendata
from bot.housekeeping import every
from bot.settings import Settings
from storage.engine import AsyncSession, async_sessionmaker
from storage.models import utcnow

log = logging.getLogger(__name__)
NAME = "opendata"
EVERY_SECONDS = daily_jobs.EVERY_SECONDS
MORNING = range(1, 5)  # hours, city time


def due(settings: Settings, now: datetime, last: datetime | None) -> bool:
    return daily_jobs.due(settings, now, last, MORNING)


class DailyOpenData:
    def __init__(
        self, settings: Settings, sessions: async_sessionmaker[AsyncSession], every: float = EVERY_SECONDS
    ) -> None:
        self.settings, self.sessions, self.every = settings, sessions, every
        self._stop = asyncio.Event()

    async def run(self) -> None:
        await every(self.every, self._stop, self.once, "opendata")

    def stop(self) -> None:
        self._stop.set()

    async def once(self, now: datetime | None = None) -> opendata.Exported | None:
        """Export if due and claimed here (the export, else None); take back withdrawn words either way."""
        now = now or utcnow()
        exported = await self._export(now)
        taken = await opendata.take_back_withdrawn(self.sessions, self.settings)
        if taken:
            log.info("opendata: descriptions taken back from %s", ", ".join(taken))
        return exported

    async def _export(self, now: datetime) -> opendata.Exported | None:
        async def work() -> opendata.Exported:
            return await opendata.export(self.sessions, self.settings, now)

        exported = await daily_jobs.run_once(
            self.sessions,
            self.settings,
            NAME,
            MORNING,
            now,
            work,
            lambda e: {"day": e.day, "cases": e.cases},
        )
        if exported is not None:
            log.info("opendata: %s written, %d cases", exported.day, exported.cases)
        return exported
