"""The Twilio sender: the real twilio library against the fake REST API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import socket
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.messages import Attachment, Button, OutboundMessage
from bot.settings_base import SettingsError
from bot.settings_loading import load_settings
from connectors.base import DeliveryError
from connectors.registry import senders
from connectors.twilio.config import TwilioConfig, enabled
from connectors.twilio.sender import TwilioSender, plan, render_text
from tests.connectors.twilio.conftest import PUBLIC_URL, SMS_FROM, WHATSAPP_FROM
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
TEMPLATE = "HX" + "b" * 32
CITIZEN = "+573001234567"


def config(fake: FakeTwilio, **changes: object) -> TwilioConfig:
    base = TwilioConfig(
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        public_url=PUBLIC_URL,
        phone_region="CO",
        api_base_url=fake.url,
        sms_from=SMS_FROM,
        whatsapp_from=WHATSAPP_FROM,
        timeout=2.0,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
async def sender(fake_twilio: FakeTwilio) -> AsyncIterator[TwilioSender]:
    sender = TwilioSender(config(fake_twilio), now=lambda: NOW)
    yield sender
    await sender.close()


def sms(text: str = "Tu caso K7M-4QP está en atención.", **more: object) -> OutboundMessage:
    return OutboundMessage(channel="sms", address=CITIZEN, text=text, **more)  # type: ignore[arg-type]


def whatsapp(text: str = "¿Dónde está exactamente?", **more: object) -> OutboundMessage:
    return OutboundMessage(channel="whatsapp", address=CITIZEN, text=text, **more)  # type: ignore[arg-type]


async def test_an_sms_is_created_and_its_sid_returned(sender: TwilioSender, fake_twilio: FakeTwilio) -> None:
    delivery = await sender.send(sms(), idempotency_key="msg-1-abc", last_inbound_at=None)
    [created] = fake_twilio.messages
    assert delivery.provider_message_id == created["sid"] and created["sid"].startswith("SM")
    assert len(created["sid"]) == 34 and delivery.status == "queued"
    [request] = fake_twilio.requests
    assert (request.to, request.from_, request.body) == (
        CITIZEN,
        SMS_FROM,
        "Tu caso K7M-4QP está en atención.",
    )
    assert request.token == "msg-1-abc"
    assert request.form["StatusCallback"] == PUBLIC_URL + "/webhooks/twilio/status"
    credentials = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {credentials}"
    assert request.headers["User-Agent"].startswith("twilio-python/")


async def test_a_reply_leaves_from_the_number_the_citizen_wrote_to(
    sender: TwilioSender, fake_twilio: FakeTwilio
) -> None:
    await sender.send(sms(sender="+573232700100"), idempotency_key="k1", last_inbound_at=None)
    await sender.send(
        whatsapp(sender="+573232700199"), idempotency_key="k2", last_inbound_at=NOW - timedelta(hours=1)
    )
    assert [(r.to, r.from_) for r in fake_twilio.requests] == [
        (CITIZEN, "+573232700100"),
        (f"whatsapp:{CITIZEN}", "whatsapp:+573232700199"),
    ]


async def test_buttons_become_numbered_options_on_sms_and_whatsapp(
    sender: TwilioSender, fake_twilio: FakeTwilio
) -> None:
    buttons = (Button("Sí, registrar", "/affirm"), Button("No, cancelar", "/deny"))
    await sender.send(sms("¿Registro el caso?", buttons=buttons), idempotency_key="k1", last_inbound_at=None)
    await sender.send(
        whatsapp("¿Registro el caso?", buttons=buttons), idempotency_key="k2", last_inbound_at=NOW
    )
    expected = "¿Registro el caso?\n1. Sí, registrar\n2. No, cancelar"
    assert [r.body for r in fake_twilio.requests] == [expected, expected]


async def test_a_server_error_is_retryable_and_the_retry_creates_one_message(
    sender: TwilioSender, fake_twilio: FakeTwilio
) -> None:
    fake_twilio.fail_next(2)
    for _ in range(2):
        with pytest.raises(DeliveryError) as raised:
            await sender.send(sms(), idempotency_key="msg-7-x", last_inbound_at=None)
        assert raised.value.retryable and not raised.value.opted_out
        assert "HTTP 500" in raised.value.reason
    first = await sender.send(sms(), idempotency_key="msg-7-x", last_inbound_at=None)
    # A retry after a lost answer: Twilio (and the fake) give back the message the token created.
    again = await sender.send(sms(), idempotency_key="msg-7-x", last_inbound_at=None)
    assert first == again and len(fake_twilio.messages) == 1
    assert fake_twilio.tokens["msg-7-x"] == 4


async def test_too_many_requests_is_retryable(sender: TwilioSender, fake_twilio: FakeTwilio) -> None:
    fake_twilio.error_next(20429, status=429, message="Too Many Requests")
    with pytest.raises(DeliveryError) as raised:
        await sender.send(sms(), idempotency_key="k", last_inbound_at=None)
    assert raised.value.retryable


async def test_an_unsubscribed_citizen_is_not_retried_and_marked_opted_out(
    sender: TwilioSender, fake_twilio: FakeTwilio
) -> None:
    fake_twilio.error_next(21610, message="Attempt to send to unsubscribed recipient")
    with pytest.raises(DeliveryError) as raised:
        await sender.send(sms(), idempotency_key="k", last_inbound_at=None)
    assert raised.value.opted_out and not raised.value.retryable
    assert "21610" in raised.value.reason and "unsubscribed recipient" in raised.value.reason


@pytest.mark.parametrize(
    ("code", "status"), [(21211, 400), (21408, 400), (20003, 401), (20404, 404), (63016, 400)]
)
async def test_other_refusals_are_final_with_twilios_code_and_message(
    sender: TwilioSender, fake_twilio: FakeTwilio, code: int, status: int
) -> None:
    fake_twilio.error_next(code, status=status, message=f"refused because {code}")
    with pytest.raises(DeliveryError) as raised:
        await sender.send(sms(), idempotency_key="k", last_inbound_at=None)
    assert not raised.value.retryable and not raised.value.opted_out
    assert f"Twilio error {code} (HTTP {status})" in raised.value.reason
    assert f"refused because {code}" in raised.value.reason


async def test_wrong_credentials_are_final(fake_twilio: FakeTwilio) -> None:
    sender = TwilioSender(config(fake_twilio, auth_token="not-the-token"))
    try:
        with pytest.raises(DeliveryError) as raised:
            await sender.send(sms(), idempotency_key="k", last_inbound_at=None)
    finally:
        await sender.close()
    assert not raised.value.retryable and "20003" in raised.value.reason


async def test_a_slow_api_times_out_as_retryable(fake_twilio: FakeTwilio) -> None:
    fake_twilio.delay = 5.0
    sender = TwilioSender(config(fake_twilio, timeout=0.3))
    started = time.monotonic()
    try:
        with pytest.raises(DeliveryError) as raised:
            await sender.send(sms(), idempotency_key="k", last_inbound_at=None)
    finally:
        await sender.close()
    assert raised.value.retryable and "in time" in raised.value.reason
    assert time.monotonic() - started < 2.0


async def test_a_refused_connection_is_retryable() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sender = TwilioSender(
        TwilioConfig(ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, "CO", f"http://127.0.0.1:{port}", SMS_FROM)
    )
    try:
        with pytest.raises(DeliveryError) as raised:
            await sender.send(sms(), idempotency_key="k", last_inbound_at=None)
    finally:
        await sender.close()
    assert raised.value.retryable and "cannot reach Twilio" in raised.value.reason


async def test_sends_do_not_block_each_other(sender: TwilioSender, fake_twilio: FakeTwilio) -> None:
    fake_twilio.delay = 0.4
    started = time.monotonic()
    await asyncio.gather(
        *(sender.send(sms(), idempotency_key=f"k{i}", last_inbound_at=None) for i in range(5))
    )
    assert time.monotonic() - started < 1.5  # five at once, not one after another
    assert len(fake_twilio.messages) == 5


async def test_whatsapp_inside_the_window_is_free_text(sender: TwilioSender, fake_twilio: FakeTwilio) -> None:
    last = NOW - timedelta(hours=23)
    await sender.send(whatsapp(), idempotency_key="k", last_inbound_at=last)
    [request] = fake_twilio.requests
    assert (request.to, request.from_) == (f"whatsapp:{CITIZEN}", f"whatsapp:{WHATSAPP_FROM}")
    assert request.body == "¿Dónde está exactamente?" and "ContentSid" not in request.form


async def test_whatsapp_outside_the_window_uses_the_template(fake_twilio: FakeTwilio) -> None:
    sender = TwilioSender(config(fake_twilio, whatsapp_template_sid=TEMPLATE), now=lambda: NOW)
    buttons = (Button("Sí", "/affirm"), Button("No", "/deny"))
    try:
        await sender.send(
            whatsapp("Tu caso cambió.\n¿Algo más?", buttons=buttons),
            idempotency_key="k",
            last_inbound_at=NOW - timedelta(hours=25),
        )
    finally:
        await sender.close()
    [request] = fake_twilio.requests
    assert (request.to, request.from_) == (f"whatsapp:{CITIZEN}", f"whatsapp:{WHATSAPP_FROM}")
    assert request.form["ContentSid"] == TEMPLATE and "Body" not in request.form
    # Template variables cannot hold line breaks.
    assert json.loads(request.form["ContentVariables"]) == {"1": "Tu caso cambió. ¿Algo más? 1. Sí 2. No"}


@pytest.mark.parametrize("last_inbound_at", [None, NOW - timedelta(hours=24), NOW - timedelta(days=3)])
async def test_whatsapp_outside_the_window_without_a_template_falls_back_to_sms(
    sender: TwilioSender, fake_twilio: FakeTwilio, last_inbound_at: datetime | None
) -> None:
    await sender.send(whatsapp(sender="+14155238886"), idempotency_key="k", last_inbound_at=last_inbound_at)
    [request] = fake_twilio.requests
    assert (request.to, request.from_, request.body) == (CITIZEN, SMS_FROM, "¿Dónde está exactamente?")


async def test_whatsapp_outside_the_window_with_no_way_out_is_a_final_failure(
    fake_twilio: FakeTwilio,
) -> None:
    sender = TwilioSender(config(fake_twilio, sms_from=None), now=lambda: NOW)
    try:
        with pytest.raises(DeliveryError) as raised:
            await sender.send(whatsapp(), idempotency_key="k", last_inbound_at=None)
    finally:
        await sender.close()
    assert not raised.value.retryable and "24-hour" in raised.value.reason
    assert fake_twilio.requests == []


async def test_a_long_text_goes_in_several_messages_under_the_limit(
    sender: TwilioSender, fake_twilio: FakeTwilio
) -> None:
    text = "\n".join(f"{n}. Información del caso número {n}, atención ciudadana." for n in range(60))
    delivery = await sender.send(sms(text), idempotency_key="msg-9-z", last_inbound_at=None)
    bodies = [r.body for r in fake_twilio.requests]
    assert len(bodies) >= 2 and all(len(b) <= 1600 for b in bodies)
    assert "\n".join(bodies) == text
    assert [r.token for r in fake_twilio.requests] == [f"msg-9-z-{n}" for n in range(1, len(bodies) + 1)]
    assert delivery.provider_message_id == fake_twilio.messages[0]["sid"]


async def test_photos_go_as_media_on_whatsapp_and_as_links_on_sms(
    sender: TwilioSender, fake_twilio: FakeTwilio
) -> None:
    photo = (Attachment(url="/media/" + "a" * 32 + ".jpg", content_type="image/jpeg"),)
    await sender.send(whatsapp("Foto", attachments=photo), idempotency_key="k1", last_inbound_at=NOW)
    await sender.send(sms("Foto", attachments=photo), idempotency_key="k2", last_inbound_at=None)
    link = f"{PUBLIC_URL}/media/{'a' * 32}.jpg"
    assert fake_twilio.requests[0].form.getall("MediaUrl") == [link]
    assert fake_twilio.requests[1].body == f"Foto\n{link}"


def test_render_text() -> None:
    assert render_text(sms("Hola")) == "Hola"
    assert render_text(sms("", buttons=(Button("Menú", "/menu"),))) == "1. Menú"


def test_no_status_callback_for_a_local_public_url(fake_twilio: FakeTwilio) -> None:
    assert config(fake_twilio, public_url="http://localhost:8080").status_callback_url is None
    assert config(fake_twilio, public_url="http://127.0.0.1:8080").status_callback_url is None
    calls = plan(config(fake_twilio), sms(), None, NOW)
    assert [(c.channel, c.to, c.from_) for c in calls] == [("sms", CITIZEN, SMS_FROM)]


def test_the_registry_builds_one_sender_for_both_channels() -> None:
    environ = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN}
    settings = load_settings(environ=environ)
    assert enabled(settings) and not enabled(load_settings(environ={}))
    built = senders(settings)
    assert isinstance(built["sms"], TwilioSender) and built["sms"] is built["whatsapp"]


def test_connector_settings_from_the_environment() -> None:
    credentials = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN}
    default = TwilioConfig.from_settings(load_settings(environ=credentials))
    assert (default.whatsapp_template_sid, default.timeout) == (None, 10.0)
    assert default.api_base_url == "https://api.twilio.com"
    environ = {**credentials, "TWILIO_WHATSAPP_TEMPLATE_SID": TEMPLATE, "TWILIO_TIMEOUT_SECONDS": "4.5"}
    found = TwilioConfig.from_settings(load_settings(environ=environ))
    assert (found.whatsapp_template_sid, found.timeout) == (TEMPLATE, 4.5)
    # A bad value stops the service at start-up, naming the variable it came from.
    with pytest.raises(
        SettingsError, match=r"twilio\.whatsapp_template_sid \(from TWILIO_WHATSAPP_TEMPLATE_SID\)"
    ):
        load_settings(environ={**credentials, "TWILIO_WHATSAPP_TEMPLATE_SID": "hola"})
    for bad in ("nan", "0", "121", "soon"):
        with pytest.raises(SettingsError, match=r"\(from TWILIO_TIMEOUT_SECONDS\)"):
            load_settings(environ={**credentials, "TWILIO_TIMEOUT_SECONDS": bad})
    with pytest.raises(SettingsError, match="TWILIO_ACCOUNT_SID"):
        TwilioConfig.from_settings(load_settings(environ={}))


def test_plans_that_cannot_be_sent_say_why(fake_twilio: FakeTwilio) -> None:
    with pytest.raises(DeliveryError, match="empty"):
        plan(config(fake_twilio), sms("  "), None, NOW)
    with pytest.raises(DeliveryError, match="TWILIO_SMS_FROM"):
        plan(config(fake_twilio, sms_from=None), sms(), None, NOW)
    with pytest.raises(DeliveryError, match="telegram"):
        plan(config(fake_twilio), OutboundMessage("telegram", "42", "hola"), None, NOW)
    # No WhatsApp sender at all: SMS still reaches the citizen.
    calls = plan(config(fake_twilio, whatsapp_from=None), whatsapp(), NOW, NOW)
    assert [(c.channel, c.to, c.from_) for c in calls] == [("sms", CITIZEN, SMS_FROM)]
