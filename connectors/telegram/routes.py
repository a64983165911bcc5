"""The Telegram webhook: check the secret token, read the update, hand it off, answer after the commit."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web
from telegram.error import TelegramError

from bot.appkeys import MEDIA, OUTBOX, SETTINGS, TELEGRAM
from connectors.base import HandOff
from connectors.errors import BadInput, Forbidden
from connectors.http import read_body
from connectors.telegram.client import WEBHOOK_PATH
from connectors.telegram.sender import CHANNEL, TelegramSender
from connectors.telegram.updates import TelegramUnavailable, TelegramUpdates

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Belongs with the other keys in bot/appkeys.py, which this connector does not own (yet).


def telegram_ctx(hand_off: HandOff) -> Callable[[web.Application], AsyncIterator[None]]:
    """The webhook's side of Telegram for the service's lifetime, on the process's one Bot: the outbox
    sender's (it fetches files as well as it sends), closed by the outbox when the service stops."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        if not settings.secrets.telegram_webhook_secret:
            log.error("telegram: TELEGRAM_WEBHOOK_SECRET is not set, so the webhook refuses every update")
        sender = app[OUTBOX].senders.get(CHANNEL)
        assert isinstance(sender, TelegramSender), "the registry builds the Telegram sender when it is on"
        try:
            await sender.client.bot.initialize()
        except TelegramError as exc:
            # Telegram unreachable at boot must not keep the web chat and the inbox down; calls retry.
            log.warning("telegram: could not reach the Bot API at start-up (%s); continuing", exc)
        app[TELEGRAM] = TelegramUpdates(sender.client.bot, hand_off, settings, app[MEDIA])
        yield

    return ctx


def secret_matches(given: str | None, expected: str | None) -> bool:
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


async def webhook(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    # Authenticate before reading a byte of the body.
    if not secret_matches(request.headers.get(SECRET_HEADER), settings.secrets.telegram_webhook_secret):
        raise Forbidden("forbidden", "error_bad_telegram_secret")
    body = await read_body(request, settings.server.max_body_bytes)
    try:
        data = json.loads(body.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise BadInput("bad_json", "error_bad_json") from exc
    except ValueError as exc:
        # JSON, but with a number too long to read (a 5,000-digit update_id). Telegram retries anything
        # but a 2xx and no retry reads better: logged and acknowledged (issue 12, finding 8).
        log.warning("telegram: an update with an unreadable number was ignored: %s", str(exc)[:120])
        return web.json_response({"result": "ignored"})
    try:
        result = await request.app[TELEGRAM].handle(data)  # NotAnUpdate: 400
    except TelegramUnavailable as exc:
        log.warning("telegram: %s; asking Telegram to deliver the update again", exc)
        return web.json_response({"error": "telegram_unavailable"}, status=503)
    # Only now, after the pipeline's transaction committed, may Telegram forget the update.
    return web.json_response({"result": result})


def add_routes(app: web.Application, hand_off: HandOff) -> None:
    app.router.add_post(WEBHOOK_PATH, webhook)
    app.cleanup_ctx.append(telegram_ctx(hand_off))
