"""Twilio's webhooks: inbound SMS and WhatsApp at /webhooks/twilio, delivery statuses at …/status."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.appkeys import MEDIA, SESSIONS, SETTINGS, TWILIO_MEDIA
from bot.messages import InboundMessage
from connectors import media
from connectors.base import HandOff
from connectors.http import read_body
from connectors.twilio import signature
from connectors.twilio.config import TwilioConfig
from connectors.twilio.media import TwilioMedia
from connectors.twilio.parser import parse_message, parse_status
from connectors.twilio.sender import OPTED_OUT, TwilioSender
from storage import citizens, outbox

log = logging.getLogger(__name__)

# An empty answer: replies leave through the outbox, never in TwiML, so a slow turn cannot time out
# Twilio's request and a replay cannot send twice.
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


# Kept here rather than in bot/texts.py: only people setting up Twilio ever read these.
async def _signed_form(request: web.Request) -> dict[str, str]:
    """The form fields if Twilio signed them; `BadSignature` (403) if not."""
    settings = request.app[SETTINGS]
    body = await read_body(request, settings.server.max_body_bytes)
    try:
        params = signature.verify(
            request,
            body,
            auth_token=settings.secrets.twilio_auth_token or "",
            base_url=settings.server.public_url,
        )
    except signature.BadSignature as exc:
        log.warning("refused a Twilio webhook at %s: %s", request.path, exc)
        raise
    return signature.first_values(params)


async def inbound(request: web.Request, hand_off: HandOff) -> web.Response:
    form = await _signed_form(request)
    message = parse_message(form, request.app[SETTINGS].city.phone_region)  # MalformedForm: 400
    await _with_media(request, message, hand_off)
    return web.Response(text=EMPTY_TWIML, content_type="text/xml")


async def _with_media(request: web.Request, message: InboundMessage, hand_off: HandOff) -> None:
    """Our copies of the message's media (bounded in time: twilio/media.py), then the pipeline, which
    commits before we answer; a replay or a failure leaves no copies behind."""
    message, copies = await request.app[TWILIO_MEDIA].fetch(message)
    try:
        outcome = await hand_off(message)
    except BaseException:
        await media.discard(request.app[MEDIA], copies)
        raise
    if outcome.duplicate:  # a replay is a no-op: the first delivery keeps its own copies
        await media.discard(request.app[MEDIA], copies)


async def status(request: web.Request) -> web.Response:
    form = await _signed_form(request)
    update = parse_status(form, request.app[SETTINGS].city.phone_region)  # MalformedForm: 400
    async with request.app[SESSIONS]() as session, session.begin():
        message = await outbox.record_delivery_status(
            session, tuple(TwilioSender.channels), update.provider_message_id, update.status
        )
        if message is None:
            log.info("status %s for unknown Twilio message %s", update.status, update.provider_message_id)
        if update.error_code == OPTED_OUT:
            # `To` says on which channel the citizen unsubscribed (a WhatsApp reply may have gone by SMS).
            candidates = [(update.channel, update.address)]
            if message is not None:
                candidates.append((message.channel, message.address))
            for channel, address in candidates:
                if channel and address and await citizens.set_opted_out(session, channel, address, True):
                    log.info("%s %s unsubscribed (Twilio error 21610)", channel, address)
                    break
    return web.Response(text=EMPTY_TWIML, content_type="text/xml")


async def media_ctx(app: web.Application) -> AsyncIterator[None]:
    """The copier of media from Twilio into our store, with its HTTP session, for the process's life."""
    settings = app[SETTINGS]
    copier = TwilioMedia(
        TwilioConfig.from_settings(settings),
        app[MEDIA],
        max_bytes=settings.server.max_upload_bytes,
        max_pixels=settings.media.max_pixels,
    )
    app[TWILIO_MEDIA] = copier
    try:
        yield
    finally:
        await copier.close()


def add_routes(app: web.Application, hand_off: HandOff) -> None:
    async def inbound_route(request: web.Request) -> web.Response:
        return await inbound(request, hand_off)

    app.cleanup_ctx.append(media_ctx)
    app.router.add_post("/webhooks/twilio", inbound_route)
    app.router.add_post("/webhooks/twilio/status", status)
