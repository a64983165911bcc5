"""Live updates: one poller per process watches for new messages and staff actions; pages get SSE events.

Polling the database (not an in-process signal) means a message taken by another worker process, or
by the Telegram poller, shows up too. It only runs while someone is listening.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from aiohttp import web

from bot.appkeys import INBOX_EVENTS
from inbox import auth
from inbox.middleware import COOKIE
from inbox.views import SECURITY_HEADERS, sessions_of
from storage import audit as audit_rows
from storage import messages as message_rows
from storage.engine import AsyncSession, SQLAlchemyError, async_sessionmaker
from storage.models import utcnow

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 20.0  # also how often an open stream re-checks that its session still holds
BACKLOG = 200  # events a slow page may fall behind by before it is dropped (it reconnects and reloads)


class Broadcaster:
    def __init__(self, poll_seconds: float = 1.0) -> None:
        self.poll_seconds = poll_seconds
        self._listeners: set[asyncio.Queue[str | None]] = set()
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._last = (0, 0)  # newest message id, newest audit id seen

    async def subscribe(self, sessions: async_sessionmaker[AsyncSession]) -> asyncio.Queue[str | None]:
        """A queue of SSE frames; None means the stream should end."""
        if self._task is None or self._task.done():
            async with sessions() as session:
                self._last = (
                    await message_rows.last_message_id(session),
                    await audit_rows.last_audit_id(session),
                )
            self._task = asyncio.create_task(self._run(sessions), name="inbox-events")
        listener: asyncio.Queue[str | None] = asyncio.Queue(BACKLOG)
        self._listeners.add(listener)
        return listener

    def unsubscribe(self, listener: asyncio.Queue[str | None]) -> None:
        self._listeners.discard(listener)

    def wake(self) -> None:
        """Something changed in this process: look now rather than at the next poll."""
        self._wake.set()

    async def close(self) -> None:
        for listener in list(self._listeners):
            with contextlib.suppress(asyncio.QueueFull):
                listener.put_nowait(None)
        self._listeners.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        while self._listeners:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            self._wake.clear()
            try:
                frames = await self._poll(sessions)
            except (SQLAlchemyError, OSError) as exc:  # the database blinked: keep listening
                log.warning("inbox events: %s", exc)
                continue
            for frame in frames:
                self._publish(frame)

    async def _poll(self, sessions: async_sessionmaker[AsyncSession]) -> list[str]:
        last_message, last_audit = self._last
        async with sessions() as session:
            messages = await message_rows.messages_after(session, last_message)
            actions = await audit_rows.audit_after(session, last_audit)
        frames = [
            frame("message", {"citizen": m.citizen_id, "conversation": m.conversation_id}) for m in messages
        ]
        frames += [frame("action", {"target": a.target_type, "id": a.target_id}) for a in actions]
        self._last = (
            messages[-1].id if messages else last_message,
            actions[-1].id if actions else last_audit,
        )
        return frames

    def _publish(self, data: str) -> None:
        for listener in list(self._listeners):
            try:
                listener.put_nowait(data)
            except asyncio.QueueFull:  # a page that stopped reading: end its stream
                self._listeners.discard(listener)
                listener.get_nowait()
                listener.put_nowait(None)


def frame(event: str, data: dict[str, object]) -> str:
    # Only ids travel in events; the page fetches the rendered (escaped) parts it needs.
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


async def events(request: web.Request) -> web.StreamResponse:
    """GET /inbox/events: a text/event-stream of changes for the open page."""
    broadcaster = request.config_dict[INBOX_EVENTS]
    sessions = sessions_of(request)
    token = request.cookies.get(COOKIE, "")
    response = web.StreamResponse(
        headers={
            **SECURITY_HEADERS,
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # nginx would otherwise hold events back
        }
    )
    await response.prepare(request)
    listener = await broadcaster.subscribe(sessions)
    try:
        await response.write(b"retry: 3000\n" + frame("ready", {}).encode())
        while True:
            try:
                data = await asyncio.wait_for(listener.get(), timeout=HEARTBEAT_SECONDS)
            except TimeoutError:
                if await auth.current(sessions, token, utcnow(), touch=False) is None:
                    break  # logged out or expired meanwhile
                await response.write(b": still here\n\n")
                continue
            if data is None:
                break
            await response.write(data.encode())
    except ConnectionResetError:
        pass  # the page went away
    finally:
        broadcaster.unsubscribe(listener)
    return response
