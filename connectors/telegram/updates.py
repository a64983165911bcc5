"""One handling path for every update, from the webhook or from polling: fetch files, hand off, answer."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from telegram import Bot, Update
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.messages import Attachment
from bot.settings import Settings
from connectors import media
from connectors.base import HandOff
from connectors.telegram.client import CALL, DOWNLOAD
from connectors.telegram.legacy import decode_update
from connectors.telegram.parser import Ignored, Incoming, Refusal, RemoteFile, parse_update
from storage.media import MediaStore

log = logging.getLogger(__name__)

REFUSAL = (
    "¡Hola! 👋 Solo atiendo conversaciones privadas. Escríbeme directamente para reportar un problema "
    "de la ciudad o consultar tu caso.\n\n"
    "Hi! 👋 I only talk in private chats. Message me directly to report a city problem or check on your case."
)


class TelegramUnavailable(Exception):
    """Telegram's file servers failed for now; answering non-2xx makes Telegram deliver the update again."""


class TelegramUpdates:
    """Turns updates into pipeline hand-offs; the webhook route and `telegram poll` both call `handle`."""

    def __init__(self, bot: Bot, hand_off: HandOff, settings: Settings, store: MediaStore) -> None:
        self.bot = bot
        self.to_pipeline = hand_off
        self.settings = settings
        self.store = store

    async def handle(self, data: Any) -> str:
        """Handle one update payload; returns "stored", "duplicate", "refused" or "ignored".

        Raises `NotAnUpdate` for JSON that is not an update, `TelegramUnavailable` when a file could not
        be fetched for now, and whatever the pipeline raises when nothing could be committed.
        """
        update = decode_update(data, self.bot)
        if update is None:
            return "ignored"
        return await self.handle_update(update, data)

    async def handle_update(self, update: Update, raw: Any) -> str:
        try:
            parsed = parse_update(update, raw, phone_region=self.settings.city.phone_region)
        except Exception:
            # Telegram redelivers an update it got a 5xx for, holding back the ones after it: an update
            # the parser trips on is logged and acknowledged rather than retried forever.
            log.exception("telegram update %s could not be parsed; ignored", update.update_id)
            return "ignored"
        if isinstance(parsed, Ignored):
            log.info("telegram update %s ignored: %s", update.update_id, parsed.reason)
            return "ignored"
        if isinstance(parsed, Refusal):
            await self.refuse(parsed)
            return "refused"
        return await self.hand_off(parsed)

    async def hand_off(self, incoming: Incoming) -> str:
        attachments = await self.fetch_files(incoming.files)
        inbound = replace(incoming.message, attachments=attachments) if attachments else incoming.message
        try:
            outcome = await self.to_pipeline(inbound)
        except BaseException:
            await media.discard(self.store, attachments)
            raise
        if outcome.duplicate:
            await media.discard(self.store, attachments)  # the first delivery already keeps its own copy
            return "duplicate"
        if incoming.callback_query_id:
            await self.answer_button(incoming.callback_query_id)
        return "stored"

    async def refuse(self, refusal: Refusal) -> None:
        """Say once that the bot serves private chats only, then leave, so a group is not answered twice."""
        log.info("telegram %s chat %s refused", refusal.chat_type, refusal.chat_id)
        try:
            await self.bot.send_message(refusal.chat_id, REFUSAL, **CALL)
            await self.bot.leave_chat(refusal.chat_id, **CALL)
        except TelegramError as exc:
            # A channel the bot may not post in, a group that removed it: nothing more to say.
            log.info("refusal to %s chat %s not completed: %s", refusal.chat_type, refusal.chat_id, exc)

    async def answer_button(self, callback_query_id: str) -> None:
        """Stop the button's spinner; the reply itself travels through the outbox."""
        try:
            await self.bot.answer_callback_query(callback_query_id, **CALL)
        except TelegramError as exc:
            log.info("callback query %s not answered: %s", callback_query_id, exc)

    async def fetch_files(self, files: tuple[RemoteFile, ...]) -> tuple[Attachment, ...]:
        """Download each file into the media store; a file too large or gone is left out."""
        kept: list[Attachment] = []
        for remote in files:
            try:
                attachment = await self.fetch_file(remote)
            except BaseException:
                await media.discard(self.store, tuple(kept))
                raise
            if attachment is not None:
                kept.append(attachment)
        return tuple(kept)

    async def fetch_file(self, remote: RemoteFile) -> Attachment | None:
        limit = self.settings.server.max_upload_bytes
        if remote.size is not None and remote.size > limit:
            log.info(
                "telegram %s %s not fetched: %d bytes is over %d",
                remote.kind,
                remote.file_id,
                remote.size,
                limit,
            )
            return None
        try:
            found = await self.bot.get_file(remote.file_id, **CALL)
            if found.file_size is not None and found.file_size > limit:
                log.info("telegram file %s not fetched: over %d bytes", remote.file_id, limit)
                return None
            if not found.file_path:
                log.warning("telegram file %s has no download path", remote.file_id)
                return None
            content = await found.download_as_bytearray(**DOWNLOAD)
        except BadRequest as exc:
            log.warning("telegram file %s not fetched: %s", remote.file_id, exc)
            return None
        except NetworkError as exc:
            raise TelegramUnavailable(f"file {remote.file_id}: {exc}") from exc
        except TelegramError as exc:
            log.warning("telegram file %s not fetched: %s", remote.file_id, exc)
            return None
        if len(content) > limit:
            return None
        return await media.keep(self.store, bytes(content), remote.content_type, remote.kind)
