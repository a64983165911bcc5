"""Building python-telegram-bot's Application and Bot from the settings, with timeouts on every call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.settings import Settings

WEBHOOK_PATH = "/webhooks/telegram"
# Only what the connector understands; anything else Telegram need not even send.
ALLOWED_UPDATES = ("message", "edited_message", "channel_post", "callback_query")

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
WRITE_TIMEOUT = 10.0
POOL_TIMEOUT = 5.0
DOWNLOAD_TIMEOUT = 30.0
POLL_SECONDS = 25  # a getUpdates long poll waits this long for news; the read timeout adds to it


class Timeouts(TypedDict):
    """Keyword arguments every Bot API call takes, so no call can hang its caller."""

    read_timeout: float
    write_timeout: float
    connect_timeout: float
    pool_timeout: float


CALL = Timeouts(
    read_timeout=READ_TIMEOUT,
    write_timeout=WRITE_TIMEOUT,
    connect_timeout=CONNECT_TIMEOUT,
    pool_timeout=POOL_TIMEOUT,
)
DOWNLOAD = Timeouts(
    read_timeout=DOWNLOAD_TIMEOUT,
    write_timeout=WRITE_TIMEOUT,
    connect_timeout=CONNECT_TIMEOUT,
    pool_timeout=POOL_TIMEOUT,
)


def enabled(settings: Settings) -> bool:
    """On when a bot token is configured (TELEGRAM_BOT_TOKEN)."""
    return bool(settings.secrets.telegram_bot_token)


def bot_token(settings: Settings) -> str:
    token = settings.secrets.telegram_bot_token
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    return token


def file_base_url(api_base_url: str) -> str:
    """The file download root that goes with a Bot API root: `…/bot` → `…/file/bot`."""
    if "/bot{token}" in api_base_url:
        return api_base_url.replace("/bot{token}", "/file/bot{token}")
    root = api_base_url.rstrip("/")
    root = root.removesuffix("/bot")
    return f"{root}/file/bot"


def new_request(read_timeout: float = READ_TIMEOUT) -> HTTPXRequest:
    return HTTPXRequest(
        connection_pool_size=16,
        read_timeout=read_timeout,
        write_timeout=WRITE_TIMEOUT,
        connect_timeout=CONNECT_TIMEOUT,
        pool_timeout=POOL_TIMEOUT,
    )


@dataclass
class StandaloneBot:
    """A Bot for the outbox and the commands, with the HTTP clients it must close."""

    bot: Bot
    requests: list[HTTPXRequest] = field(default_factory=list)

    async def close(self) -> None:
        # Bot.shutdown skips requests it did not initialise itself; close them all regardless.
        await self.bot.shutdown()
        for request in self.requests:
            await request.shutdown()


def build_bot(settings: Settings) -> StandaloneBot:
    base_url = settings.secrets.telegram_api_base_url
    general, updates = new_request(), new_request(read_timeout=READ_TIMEOUT + POLL_SECONDS)
    bot = Bot(
        bot_token(settings),
        base_url=base_url,
        base_file_url=file_base_url(base_url),
        request=general,
        get_updates_request=updates,
    )
    return StandaloneBot(bot, [general, updates])
