"""Sends the outbox's replies to Telegram chats, with buttons as an inline keyboard."""

from __future__ import annotations

import contextlib
from datetime import datetime

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.messages import Button, OutboundMessage
from bot.settings import Settings
from connectors.base import Delivery, DeliveryError
from connectors.telegram.client import CALL, StandaloneBot, build_bot
from storage.media import MediaStore, name_of
from storage.stores import open_store

CHANNEL = "telegram"
MAX_TEXT = 4096  # Telegram's limit for one message, in characters
MAX_CALLBACK_DATA = 64  # bytes
# The button payload that asks Telegram to offer the citizen's own phone number (a reply keyboard).
SHARE_CONTACT = "/share_contact"

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


def keyboard(buttons: tuple[Button, ...]) -> Markup | None:
    """Inline buttons that send their payload back; a contact request needs a reply keyboard instead."""
    if not buttons:
        return None
    if any(b.payload == SHARE_CONTACT for b in buttons):
        # A reply keyboard cannot carry hidden payloads: the other choices send their title as text.
        rows = [
            [KeyboardButton(b.title, request_contact=b.payload == SHARE_CONTACT or None)] for b in buttons
        ]
        return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.title, callback_data=callback_data(b, n))] for n, b in enumerate(buttons, 1)]
    )


def callback_data(button: Button, position: int) -> str:
    """The payload, or the choice's number when the payload is over Telegram's 64 bytes.

    The dialogue reads "2" as the second choice it offered last, as it does for SMS.
    """
    if 0 < len(button.payload.encode("utf-8")) <= MAX_CALLBACK_DATA:
        return button.payload
    return str(position)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut at a line break or a space where there is one."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return [p for p in pieces if p] or [""]


def delivery_error(exc: TelegramError) -> DeliveryError:
    """Map the library's errors onto what the outbox worker needs to know: retry, give up, opted out."""
    if isinstance(exc, Forbidden):
        # "bot was blocked by the user", "user is deactivated": this chat cannot be reached any more.
        return DeliveryError(f"forbidden: {exc.message}", retryable=False, opted_out=True)
    if isinstance(exc, BadRequest):  # before NetworkError, which it extends
        return DeliveryError(f"bad request: {exc.message}", retryable=False)
    if isinstance(exc, RetryAfter):
        return DeliveryError(f"rate limited: {exc.message}", retryable=True)
    if isinstance(exc, NetworkError):  # timeouts, refused connections, 5xx
        return DeliveryError(f"network: {exc.message}", retryable=True)
    if isinstance(exc, InvalidToken):
        # A configuration fault on our side: keep the reply until the operator fixes the token.
        return DeliveryError(f"invalid bot token: {exc.message}", retryable=True)
    if isinstance(exc, ChatMigrated):
        return DeliveryError(f"chat migrated to {exc.new_chat_id}", retryable=False)
    return DeliveryError(f"telegram: {exc.message}", retryable=False)


class TelegramSender:
    """The outbox's sender for the "telegram" channel (python-telegram-bot's Bot over httpx)."""

    channels = frozenset({CHANNEL})

    def __init__(self, client: StandaloneBot, settings: Settings | None = None) -> None:
        self.client = client
        self.settings = settings  # where the media store is, for the voice notes we send
        self._store: MediaStore | None = None
        self._opened = contextlib.AsyncExitStack()

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramSender:
        return cls(build_bot(settings), settings)

    async def send(
        self, message: OutboundMessage, *, idempotency_key: str, last_inbound_at: datetime | None
    ) -> Delivery:
        # Telegram has no idempotency key and no reply window; both arguments are for other channels.
        chat_id = _chat_id(message.address)
        voices = [a.url for a in message.attachments if a.kind == "voice"]
        if not message.text.strip() and not voices:
            raise DeliveryError("empty message", retryable=False)
        pieces = split_text(message.text) if message.text.strip() else []
        markup = keyboard(message.buttons)
        sent: Message | None = None
        try:
            # A spoken answer (issue 19), uploaded: Telegram needs no way to us. Before any text, so that
            # the choices stay on the last message (the bot sends spoken answers as replies of their own).
            for url in voices:
                sent = await self.client.bot.send_voice(chat_id, await self._voice(url), **CALL)
            for n, piece in enumerate(pieces, 1):
                last = n == len(pieces)
                sent = await self.client.bot.send_message(
                    chat_id, piece, reply_markup=markup if last else None, **CALL
                )
        except TelegramError as exc:
            raise delivery_error(exc) from exc
        assert sent is not None
        return Delivery(provider_message_id=str(sent.message_id))

    async def _voice(self, url: str) -> InputFile:
        """The bytes of one of our voice notes, from the media store (opened on first use)."""
        name = name_of(url)
        if name is None or self.settings is None:
            raise DeliveryError(f"not a voice note of ours: {url[:80]!r}", retryable=False)
        if self._store is None:
            try:
                self._store = await self._opened.enter_async_context(open_store(self.settings))
            except OSError as exc:
                raise DeliveryError(f"media store: {exc}", retryable=True) from exc
        try:
            stored = await self._store.get(name)
        except OSError as exc:
            raise DeliveryError(f"media store: {exc}", retryable=True) from exc
        if stored is None:  # erased (or past retention) before it left: nothing to send
            raise DeliveryError("the voice note is gone", retryable=False)
        return InputFile(stored.data, filename="respuesta.ogg")

    async def close(self) -> None:
        await self._opened.aclose()
        await self.client.close()


def _chat_id(address: str) -> int:
    try:
        return int(address)
    except ValueError:
        raise DeliveryError(f"not a Telegram chat id: {address!r}", retryable=False) from None


def make_sender(settings: Settings) -> TelegramSender:
    """The outbox's sender for "telegram" (the connector registry calls it)."""
    return TelegramSender.from_settings(settings)
