"""Twilio's webhooks: inbound SMS and WhatsApp at /webhooks/twilio, delivery statuses at …/status."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.appkeys import PIPELINE, SESSIONS, SETTINGS
from connectors.http import read_body
from connectors.twilio import signature
from connectors.twilio.parser import parse_message, parse_status
from connectors.twilio.sender import OPTED_OUT, TwilioSender
from storage import outbox, queries

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


async def inbound(request: web.Request) -> web.Response:
    form = await _signed_form(request)
    message = parse_message(form, request.app[SETTINGS].city.phone_region)  # MalformedForm: 400
    await request.app[PIPELINE].handle(message)  # commits before we answer; a replay is a no-op
    return web.Response(text=EMPTY_TWIML, content_type="text/xml")


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
                if channel and address and await queries.set_opted_out(session, channel, address, True):
                    log.info("%s %s unsubscribed (Twilio error 21610)", channel, address)
                    break
    return web.Response(text=EMPTY_TWIML, content_type="text/xml")


def add_routes(app: web.Application) -> None:
    app.router.add_post("/webhooks/twilio", inbound)
    app.router.add_post("/webhooks/twilio/status", status)
