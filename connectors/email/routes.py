"""The e-mail connector's place in the service: no webhook, a mailbox poller for the process's life."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from bot.appkeys import MEDIA, SESSIONS, SETTINGS
from connectors.base import HandOff
from connectors.email.config import EmailConfig
from connectors.email.poller import MailboxPoller


def poller_ctx(hand_off: HandOff) -> Callable[[web.Application], AsyncIterator[None]]:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        config = EmailConfig.from_settings(settings)
        poller = MailboxPoller(config, app[SESSIONS], hand_off, app[MEDIA], settings.media.max_pixels)
        task = asyncio.create_task(poller.run(), name="email-poll")
        try:
            yield
        finally:
            poller.stop()
            await task

    return ctx


def add_routes(app: web.Application, hand_off: HandOff) -> None:
    app.cleanup_ctx.append(poller_ctx(hand_off))
