"""Upkeep that runs inside the service: photos nobody sent and one-message web chats are removed.

Every worker runs it every few minutes; each pass is a bounded batch and does the same thing whoever runs
it, so two workers at once only find less to do. `ventanilla housekeeping` runs one pass by hand."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import metrics
from bot.settings import Settings
from storage import webchat
from storage.engine import AsyncSession, async_sessionmaker, create_engine, session_factory
from storage.media import MediaStore
from storage.models import utcnow
from storage.stores import open_store

log = logging.getLogger(__name__)
EVERY_SECONDS = 600


@dataclass(frozen=True, slots=True)
class Swept:
    photos: int
    chats: int


async def every(
    seconds: float, stop: asyncio.Event, work: Callable[[], Awaitable[object]], what: str
) -> None:
    """Run `work` every `seconds` until `stop` is set; a failed pass is logged and retried at the next."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=seconds)
        except TimeoutError:
            try:
                await work()
            except Exception:  # the service goes on
                log.exception("%s pass failed", what)


class Housekeeping:
    def __init__(
        self, settings: Settings, sessions: async_sessionmaker[AsyncSession], store: MediaStore
    ) -> None:
        self.settings, self.sessions, self.store = settings, sessions, store
        self._stop = asyncio.Event()

    async def run(self) -> None:
        await every(EVERY_SECONDS, self._stop, self.once, "housekeeping")

    def stop(self) -> None:
        self._stop.set()

    async def once(self, now: datetime | None = None) -> Swept:
        now = now or utcnow()
        swept = Swept(await self.unused_photos(now), await self.one_message_chats(now))
        if swept.photos or swept.chats:
            log.info(
                "housekeeping: removed %d unused photos, %d one-message web chats", swept.photos, swept.chats
            )
        return swept

    async def unused_photos(self, now: datetime) -> int:
        """Uploads no message took up within `media.keep_unused_hours`: the row, then the file (a file
        left by a failed delete is unreachable without its row, and harmless)."""
        hours = self.settings.media.keep_unused_hours
        async with self.sessions() as session, session.begin():
            names = await webchat.unused_before(session, now - timedelta(hours=hours))
            await webchat.forget_uploads(session, names)
        await self.delete_files(names)
        metrics.SWEPT.labels("photo").inc(len(names))
        return len(names)

    async def one_message_chats(self, now: datetime) -> int:
        hours = self.settings.webchat.forget_one_message_chats_after_hours
        async with self.sessions() as session, session.begin():
            found = await webchat.one_message_chats(session, now - timedelta(hours=hours))
            names = await webchat.forget_chats(session, found)
        await self.delete_files(names)  # no case among them: none of these files is a case's photo
        metrics.SWEPT.labels("web_chat").inc(len(found))
        return len(found)

    async def delete_files(self, names: Iterable[str]) -> None:
        """After the commit: a file left by a failed delete is unreachable without its row, and harmless."""
        for name in names:
            try:
                await self.store.delete(name)
            except OSError as exc:
                log.warning("housekeeping: file %s not removed: %s", name, exc)


async def sweep_once(settings: Settings) -> Swept:
    """One pass with an engine of its own (`ventanilla housekeeping`)."""
    engine = create_engine(settings.database.url)
    try:
        async with open_store(settings) as store:
            return await Housekeeping(settings, session_factory(engine), store).once()
    finally:
        await engine.dispose()
