"""Photos, voice notes and documents sent by SMS or WhatsApp, copied from Twilio into our media store.

Twilio keeps them at URLs that need the account's credentials and that it may delete, so a link to them
is no use to staff or to another machine. They are copied while the webhook is answered: every file of
a message at once, each at most `server.max_upload_bytes`, all within `TwilioConfig.media_seconds`
(8 s: Twilio waits 15 s for the answer, and the turn needs the rest). Photos are decoded and drawn again
like web chat uploads; other files are kept as they are, served by a type we choose. A file that cannot
be copied in time leaves Twilio's URL in the message, counted and logged: the message itself is never
lost for it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from aiohttp import ClientError, ClientSession, ClientTimeout, encode_basic_auth

from bot import metrics
from bot.messages import Attachment, InboundMessage
from connectors import media, photos
from connectors.twilio.config import TwilioConfig
from connectors.twilio.transport import api_base, reroot
from storage.media import MediaStore

log = logging.getLogger(__name__)


class NotFetched(Exception):
    """This file stays at Twilio; the message goes on without our copy."""


class TwilioMedia:
    """Copies a message's media into the store; one HTTP session per process, closed at shutdown."""

    def __init__(self, config: TwilioConfig, store: MediaStore, max_bytes: int, max_pixels: int) -> None:
        self.config, self.store = config, store
        self.max_bytes, self.max_pixels = max_bytes, max_pixels
        self.base = api_base(config.api_base_url)
        self.session: ClientSession | None = None

    async def fetch(self, message: InboundMessage) -> tuple[InboundMessage, tuple[Attachment, ...]]:
        """The message with our copies in place of Twilio's URLs, and the copies (to discard if the
        message turns out to be a replay or cannot be stored)."""
        if not message.attachments:
            return message, ()
        tasks = [asyncio.create_task(self._copy(a)) for a in message.attachments]
        try:
            await asyncio.wait(tasks, timeout=self.config.media_seconds)
        finally:  # out of time (or the request itself cancelled): what is still running stops
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        attachments = []
        for original, task in zip(message.attachments, tasks, strict=True):
            copy = None if task.cancelled() or task.exception() else task.result()
            if copy is None:
                reason = "out of time" if task.cancelled() else repr(task.exception())
                log.warning("twilio media %s not copied: %s", original.url, reason)
                metrics.MEDIA_NOT_COPIED.labels(message.channel).inc()
            attachments.append(copy or original)
        kept = tuple(a for a in attachments if a not in message.attachments)
        return replace(message, attachments=tuple(attachments)), kept

    async def _copy(self, original: Attachment) -> Attachment:
        url = reroot(self.base, original.url)
        if url is None:  # not Twilio's: it gets no credentials, and we keep the link as it came
            raise NotFetched("not a Twilio URL")
        data, served_as = await self._download(url)
        declared = original.content_type or served_as
        if original.kind == "photo" or declared.startswith("image/"):
            try:
                photo = await photos.clean_in_turn(data, self.max_pixels)
            except photos.NotAPhoto as exc:
                raise NotFetched(f"not a photo: {exc}") from exc
            return await media.keep(self.store, photo.data, photo.content_type, original.kind)
        return await media.keep(self.store, data, declared, original.kind)

    async def _download(self, url: str) -> tuple[bytes, str]:
        """The bytes at `url` with the account's credentials, following Twilio's redirect to its file
        servers (aiohttp drops the credentials when a redirect leaves the host), at most `max_bytes`."""
        if self.session is None or self.session.closed:
            self.session = ClientSession(timeout=ClientTimeout(total=self.config.media_seconds))
        authorization = encode_basic_auth(self.config.account_sid, self.config.auth_token)
        try:
            async with self.session.get(url, headers={"Authorization": authorization}) as response:
                if response.status != 200:
                    raise NotFetched(f"HTTP {response.status}")
                if (response.content_length or 0) > self.max_bytes:
                    raise NotFetched(f"{response.content_length} bytes")
                data = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    data.extend(chunk)
                    if len(data) > self.max_bytes:
                        raise NotFetched(f"over {self.max_bytes} bytes")
                return bytes(data), response.content_type
        except ClientError as exc:
            raise NotFetched(str(exc)) from exc

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None
