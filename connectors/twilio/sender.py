"""Replies to SMS and WhatsApp through Twilio's REST API (twilio's async client), for the outbox worker."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.rest import Client

from bot.messages import OutboundMessage
from bot.settings import Settings
from connectors.base import Delivery, DeliveryError
from connectors.channels import CHANNELS
from connectors.twilio.config import TwilioConfig
from connectors.twilio.parser import WHATSAPP_PREFIX
from connectors.twilio.sms import TWILIO_MAX_BODY, sms_cost, split_text
from connectors.twilio.transport import RedirectableHttpClient, idempotency_token

log = logging.getLogger(__name__)

_WINDOW = CHANNELS["whatsapp"].reply_window
assert _WINDOW is not None, "connectors/channels.py declares WhatsApp's reply window"
WHATSAPP_WINDOW = _WINDOW
# Send free text only if it will still be inside the window when WhatsApp gets it.
WINDOW_MARGIN = timedelta(minutes=1)
OPTED_OUT = 21610  # "Attempt to send to unsubscribed recipient"
TEMPLATE_VARIABLE_MAX = 1000  # WhatsApp template variables: one line, and the body stays under 1024


@dataclass(frozen=True)
class Outgoing:
    """One Messages API call: the citizen's channel it lands on, and what to pass to `create_async`."""

    channel: str  # "sms" | "whatsapp"
    to: str
    from_: str
    body: str | None = None
    content_sid: str | None = None
    content_variables: str | None = None
    media_url: tuple[str, ...] = ()


def render_text(message: OutboundMessage) -> str:
    """The text with its choices as numbered options: the citizen answers "1" or "2"."""
    if not message.buttons:
        return message.text
    options = "\n".join(f"{number}. {button.title}" for number, button in enumerate(message.buttons, 1))
    return f"{message.text}\n{options}" if message.text else options


def in_window(last_inbound_at: datetime | None, now: datetime) -> bool:
    """Whether WhatsApp still accepts free text: the citizen wrote within the last 24 hours."""
    if last_inbound_at is None:
        return False
    if last_inbound_at.tzinfo is None:
        last_inbound_at = last_inbound_at.replace(tzinfo=UTC)
    return now - last_inbound_at < WHATSAPP_WINDOW - WINDOW_MARGIN


def _bare(number: str) -> str:
    return number[len(WHATSAPP_PREFIX) :] if number.lower().startswith(WHATSAPP_PREFIX) else number


def _whatsapp(number: str) -> str:
    return WHATSAPP_PREFIX + _bare(number)


def plan(
    config: TwilioConfig, message: OutboundMessage, last_inbound_at: datetime | None, now: datetime
) -> list[Outgoing]:
    """The API calls that deliver `message` (pure): several if the text is over Twilio's 1600 limit.

    WhatsApp outside the 24-hour window: the configured Content template, else SMS from `sms_from`.
    """
    text = render_text(message).strip()
    media = tuple(_absolute(config, a.url) for a in message.attachments)
    if not text and not media:
        raise DeliveryError("the reply is empty", retryable=False)
    if message.channel == "sms":
        sender = message.sender or config.sms_from
        if sender is None:
            raise DeliveryError("no SMS sender: set TWILIO_SMS_FROM", retryable=False)
        return _sms(message.address, _bare(sender), text, media)
    if message.channel != "whatsapp":
        raise DeliveryError(f"Twilio does not carry the {message.channel!r} channel", retryable=False)
    sender = message.sender or config.whatsapp_from
    to = _whatsapp(message.address)
    if sender is not None and message.template_sid:  # a message that asked for its own template
        numbered = {str(n): v[:TEMPLATE_VARIABLE_MAX] for n, v in enumerate(message.template_variables, 1)}
        variables = json.dumps(numbered, ensure_ascii=False)
        return [Outgoing("whatsapp", to, _whatsapp(sender), None, message.template_sid, variables)]
    if sender is not None and in_window(last_inbound_at, now):
        from_ = _whatsapp(sender)
        parts = split_text(text) or [""]
        first = Outgoing("whatsapp", to, from_, parts[0], media_url=media)  # media once, with the start
        return [first, *(Outgoing("whatsapp", to, from_, part) for part in parts[1:])]
    if sender is not None and config.whatsapp_template_sid:
        variable = " ".join(text.split())[:TEMPLATE_VARIABLE_MAX]
        variables = json.dumps({"1": variable}, ensure_ascii=False)
        return [Outgoing("whatsapp", to, _whatsapp(sender), None, config.whatsapp_template_sid, variables)]
    if config.sms_from is None:
        raise DeliveryError(
            "outside WhatsApp's 24-hour window (or no WhatsApp sender), with no template "
            "(TWILIO_WHATSAPP_TEMPLATE_SID) and no SMS sender (TWILIO_SMS_FROM) to fall back to",
            retryable=False,
        )
    return _sms(message.address, config.sms_from, text, media)


def _sms(to: str, sender: str, text: str, media: tuple[str, ...]) -> list[Outgoing]:
    # MMS is not carried in most of Latin America: links go in the text instead.
    if media:
        text = "\n".join((text, *media))
    return [Outgoing("sms", _bare(to), sender, part) for part in split_text(text)]


def _absolute(config: TwilioConfig, url: str) -> str:
    return url if url.startswith(("https://", "http://")) else config.public_url.rstrip("/") + url


def delivery_error(exc: BaseException) -> DeliveryError:
    """What the outbox should do about a failed call: retry transient faults, never a refusal."""
    if isinstance(exc, TwilioRestException | TwilioServiceException):
        status, code = int(exc.status), exc.code
        detail = exc.msg if isinstance(exc, TwilioRestException) else (exc.detail or exc.title)
        reason = f"Twilio error {code} (HTTP {status}): {detail}"
        if status >= 500 or status == 429:
            return DeliveryError(reason, retryable=True)
        return DeliveryError(reason, retryable=False, opted_out=code == OPTED_OUT)
    if isinstance(exc, TimeoutError):
        return DeliveryError("Twilio did not answer in time", retryable=True)
    if isinstance(exc, aiohttp.ClientError | OSError):
        return DeliveryError(f"cannot reach Twilio: {type(exc).__name__}: {exc}", retryable=True)
    # An answer the library could not read (a proxy's HTML page, say): it may be transient.
    return DeliveryError(f"unreadable answer from Twilio: {type(exc).__name__}: {exc}", retryable=True)


class TwilioSender:
    """Sends SMS and WhatsApp replies; never blocks the loop; every call bounded by `config.timeout`."""

    channels = frozenset({"sms", "whatsapp"})  # connectors/channels.py says what each can do

    def __init__(self, config: TwilioConfig, *, now: Callable[[], datetime] | None = None) -> None:
        self.config = config
        self.now = now or (lambda: datetime.now(UTC))
        self.http = RedirectableHttpClient(config.api_base_url, config.timeout)
        self.client = Client(config.account_sid, config.auth_token, http_client=self.http)

    @classmethod
    def from_settings(cls, settings: Settings) -> TwilioSender:
        return cls(TwilioConfig.from_settings(settings))

    async def send(
        self, message: OutboundMessage, *, idempotency_key: str, last_inbound_at: datetime | None
    ) -> Delivery:
        calls = plan(self.config, message, last_inbound_at, self.now())
        deliveries = []
        for number, call in enumerate(calls, 1):
            # Each part of a split text has its own stable key, so a retry resends only what is missing
            # where Twilio honours the token.
            key = idempotency_key if len(calls) == 1 else f"{idempotency_key}-{number}"
            deliveries.append(await self._create(call, key))
        return deliveries[0]

    async def _create(self, call: Outgoing, key: str) -> Delivery:
        if call.channel == "sms" and call.body is not None:
            cost = sms_cost(call.body)
            log.debug("SMS to %s: %s, %d segments", call.to, cost.encoding, cost.segments)
        assert call.body is None or len(call.body) <= TWILIO_MAX_BODY
        options: dict[str, object] = {"to": call.to, "from_": call.from_}
        if call.body is not None:
            options["body"] = call.body
        if call.content_sid is not None:
            options["content_sid"] = call.content_sid
            options["content_variables"] = call.content_variables
        if call.media_url:
            options["media_url"] = list(call.media_url)
        if self.config.status_callback_url is not None:
            options["status_callback"] = self.config.status_callback_url
        reset = idempotency_token.set(key)
        try:
            async with asyncio.timeout(self.config.timeout):
                created = await self.client.messages.create_async(**options)
        except (TwilioException, TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
            raise delivery_error(exc) from exc
        finally:
            idempotency_token.reset(reset)
        return Delivery(provider_message_id=str(created.sid), status=str(created.status or "queued"))

    async def close(self) -> None:
        await self.http.close()


def make_sender(settings: Settings) -> TwilioSender:
    """The outbox's sender for "sms" and "whatsapp" (the connector registry calls it)."""
    return TwilioSender.from_settings(settings)
