"""The `ventanilla telegram set-webhook|poll` commands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import re
import sys
from typing import Any

from aiohttp import web
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError

from bot.settings import Settings
from connectors.telegram.client import (
    ALLOWED_UPDATES,
    CALL,
    POLL_SECONDS,
    WEBHOOK_PATH,
    build_bot,
)
from connectors.telegram.legacy import DECODE_ERRORS
from connectors.telegram.updates import TelegramUpdates
from nlu.base import Classifier

log = logging.getLogger(__name__)

EXIT_FAILED = 1
EXIT_CONFIG = 2
SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts as secret_token
MAX_ATTEMPTS = 5  # an update that keeps failing is skipped after this many tries, not retried forever
BACKOFF_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)


def add_telegram_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `telegram` and its sub-commands on the application's top-level sub-parsers."""
    telegram = subparsers.add_parser("telegram", help="connect the Telegram bot")
    commands = telegram.add_subparsers(dest="telegram_command", required=True, metavar="{set-webhook,poll}")

    hook = commands.add_parser(
        "set-webhook", help="tell Telegram to deliver updates to <public URL>/webhooks/telegram"
    )
    hook.add_argument(
        "--drop-pending-updates", action="store_true", help="forget updates Telegram still holds"
    )
    hook.set_defaults(func=set_webhook_command)

    poll = commands.add_parser(
        "poll", help="development without a public URL: run the service, fetch updates"
    )
    poll.add_argument("--host", help="web chat and inbox address (default: server.host)")
    poll.add_argument("--port", type=int, help="web chat and inbox port (default: server.port)")
    poll.add_argument("--no-http", action="store_true", help="only poll Telegram, serve nothing over HTTP")
    poll.set_defaults(func=poll_command)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"ventanilla telegram: {message}", file=sys.stderr)
    return code


def _missing_settings(settings: Settings, *, need_secret: bool) -> str | None:
    if not settings.secrets.telegram_bot_token:
        return "TELEGRAM_BOT_TOKEN is not set (ask @BotFather for one)"
    secret = settings.secrets.telegram_webhook_secret
    if need_secret and not secret:
        return "TELEGRAM_WEBHOOK_SECRET is not set"
    if need_secret and secret and not SECRET.fullmatch(secret):
        return "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
    return None


def set_webhook_command(args: argparse.Namespace, settings: Settings) -> int:
    problem = _missing_settings(settings, need_secret=True)
    if problem:
        return _fail(problem, EXIT_CONFIG)
    url = settings.server.public_url.rstrip("/") + WEBHOOK_PATH
    if not url.startswith("https://"):
        print(f"warning: Telegram only delivers to HTTPS URLs, and {url} is not one", file=sys.stderr)
    return asyncio.run(set_webhook(settings, url, drop_pending_updates=args.drop_pending_updates))


async def set_webhook(settings: Settings, url: str, *, drop_pending_updates: bool = False) -> int:
    client = build_bot(settings)
    try:
        await client.bot.set_webhook(
            url=url,
            secret_token=settings.secrets.telegram_webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=drop_pending_updates,
            **CALL,
        )
    except TelegramError as exc:
        return _fail(f"Telegram refused the webhook: {exc.message}")
    finally:
        await client.close()
    print(f"Telegram now delivers this bot's updates to {url}")
    return 0


def poll_command(args: argparse.Namespace, settings: Settings) -> int:
    problem = _missing_settings(settings, need_secret=False)
    if problem:
        return _fail(problem, EXIT_CONFIG)
    port = None if args.no_http else args.port or settings.server.port
    try:
        return asyncio.run(poll(settings, host=args.host or settings.server.host, port=port))
    except KeyboardInterrupt:
        print("stopped")
        return 0


async def poll(
    settings: Settings,
    *,
    classifier: Classifier | None = None,
    host: str | None = None,
    port: int | None = None,
    stop: asyncio.Event | None = None,
    poll_seconds: int = POLL_SECONDS,
) -> int:
    """Run the whole service (the outbox sends the replies) and feed it updates from getUpdates."""
    from bot.app import create_app  # the app factory imports the connector registry, which imports us
    from bot.appkeys import TELEGRAM

    app = create_app(settings, classifier=classifier)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        if port is not None:
            await web.TCPSite(runner, host, port).start()
            print(f"Ventanilla on http://{host}:{port}/ (Telegram by polling; Ctrl-C stops)")
        return await poll_updates(app[TELEGRAM], stop or asyncio.Event(), poll_seconds)
    finally:
        await runner.cleanup()


async def poll_updates(updates: TelegramUpdates, stop: asyncio.Event, poll_seconds: int) -> int:
    """Long-poll getUpdates and hand each update to the webhook's handling path until `stop` is set."""
    bot = updates.bot
    try:
        # getUpdates is refused while a webhook is set.
        await bot.delete_webhook(**CALL)
    except TelegramError as exc:
        return _fail(f"could not remove the webhook: {exc.message}")
    offset: int | None = None
    attempts = 0
    while not stop.is_set():
        try:
            # The library adds the long-poll time to the read timeout.
            batch = await bot.get_updates(
                offset=offset, timeout=poll_seconds, allowed_updates=ALLOWED_UPDATES, **CALL
            )
        except (Conflict, InvalidToken) as exc:
            return _fail(f"Telegram refused to give updates: {exc.message}")
        except NetworkError as exc:
            log.warning("telegram poll: %s", exc)
            await _pause(stop, BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS) - 1)])
            attempts += 1
            continue
        except DECODE_ERRORS as exc:
            # Today's API sends complete updates; an unreadable one is skipped rather than re-read forever.
            log.error("telegram poll: an update could not be read (%s); skipping it", exc)
            # Without a known offset, -1 asks for the newest update only, which drops the unreadable one.
            offset = offset + 1 if offset is not None else -1
            continue
        for update in batch:
            try:
                await updates.handle_update(update, update.to_dict())
            except Exception as exc:
                attempts += 1
                if attempts < MAX_ATTEMPTS:
                    log.warning("telegram poll: update %s failed (%s); trying again", update.update_id, exc)
                    await _pause(stop, BACKOFF_SECONDS[attempts - 1])
                    break
                log.error("telegram poll: update %s failed %d times; skipping it", update.update_id, attempts)
            attempts = 0
            offset = update.update_id + 1
        if not batch and poll_seconds == 0:
            await _pause(stop, 0.05)  # short polling (tests): do not spin
    return 0


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
