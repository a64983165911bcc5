"""Sending surveys and alerts to the citizens opted into a topic (issue 16: being built)."""

from __future__ import annotations

import asyncio

from bot.settings import Settings
from storage.engine import AsyncSession, async_sessionmaker


class BroadcastSending:
    """Inside `serve`: queued survey and alert deliveries go out, paced."""

    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.settings, self.sessions = settings, sessions
        self._stop = asyncio.Event()

    async def run(self) -> None:
        await self._stop.wait()

    def stop(self) -> None:
        self._stop.set()
