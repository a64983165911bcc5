"""The open data files, written once a day inside `serve` (issue 16: being built)."""

from __future__ import annotations

import asyncio

from bot.settings import Settings
from storage.engine import AsyncSession, async_sessionmaker


class DailyOpenData:
    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.settings, self.sessions = settings, sessions
        self._stop = asyncio.Event()

    async def run(self) -> None:
        await self._stop.wait()

    def stop(self) -> None:
        self._stop.set()
