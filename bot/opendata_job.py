"""The open data files once a day inside `serve`, on one worker whatever the number of workers.

Every worker wakes every hour. The export is due 23 hours after the last one, early in the city's
morning (01:00 to 05:00, so the day's folder is the new day), or at once when it never ran or missed a
night (47 hours); the worker whose conditional update claims the day in `job_runs` writes the files,
and a failed export gives the claim back. At every wake, on every worker, descriptions the data no
longer publishes (an erasure, the citizen's or staff's "no") are taken out of the kept days at once:
that rewrite is idempotent and each file is replaced whole, so two workers doing it do no harm."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot import opendata
from bot.housekeeping import every
from bot.settings import Settings
from storage import job_runs
from storage.engine import AsyncSession, async_sessionmaker
from storage.models import utcnow

log = logging.getLogger(__name__)
NAME = "opendata"
EVERY_SECONDS = 3600
GAP = timedelta(hours=23)
OVERDUE = timedelta(hours=47)
MORNING = range(1, 5)  # hours, city time


def due(settings: Settings, now: datetime, last: datetime | None) -> bool:
    if last is None:
        return True
    if now - last < GAP:
        return False
    return now.astimezone(settings.city.zone).hour in MORNING or now - last >= OVERDUE


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
        async with self.sessions() as session, session.begin():
            previous = await job_runs.last_run(session, NAME)
        if not due(self.settings, now, previous):
            return None
        async with self.sessions() as session, session.begin():
            if not await job_runs.claim(session, NAME, now, GAP):
                return None  # another worker took it
        try:
            exported = await opendata.export(self.sessions, self.settings, now)
        except Exception:
            async with self.sessions() as session, session.begin():
                await job_runs.release(session, NAME, now, previous)
            raise
        async with self.sessions() as session, session.begin():
            await job_runs.record(
                session, NAME, {"as_of": now.isoformat(), "day": exported.day, "cases": exported.cases}
            )
        log.info("opendata: %s written, %d cases", exported.day, exported.cases)
        return exported
