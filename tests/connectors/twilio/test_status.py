"""Twilio's delivery status callbacks: signed, recorded on the outbound message, 21610 means opted out."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import citizens, messages
from storage.models import Direction, Message
from tests.connectors.twilio.conftest import PUBLIC_URL, Client, Post, load
from tests.support.fake_twilio import AUTH_TOKEN, sign

Sessions = async_sessionmaker[AsyncSession]


async def sent_reply(sessions: Sessions, sid: str) -> int:
    """An SMS reply the outbox already handed to Twilio, which named it `sid`."""
    async with sessions() as session, session.begin():
        identity = await citizens.create_citizen_with_identity(
            session, "sms", "+573001234567", language="es", display_name=None
        )
        reply = await messages.add_message(
            session,
            citizen_id=identity.citizen_id,
            direction=Direction.OUT,
            author="bot",
            channel="sms",
            address="+573001234567",
            provider_message_id=sid,
            text="¿Dónde está?",
            delivery_status="queued",
        )
        return reply.id


async def delivery_status(sessions: Sessions, message_id: int) -> str | None:
    async with sessions() as session:
        message = await session.get(Message, message_id)
        assert message is not None
        return message.delivery_status


async def test_status_callbacks_record_delivery(post: Post, sessions: Sessions) -> None:
    form = load("status", "sms_sent")
    reply_id = await sent_reply(sessions, form["MessageSid"])
    response = await post("/webhooks/twilio/status", form)
    assert response.status == 200 and response.content_type == "text/xml"
    assert await delivery_status(sessions, reply_id) == "sent"
    for status in ("delivered", "read"):
        await post("/webhooks/twilio/status", {**form, "MessageStatus": status, "SmsStatus": status})
        assert await delivery_status(sessions, reply_id) == status


async def test_a_21610_status_marks_the_citizen_opted_out(post: Post, sessions: Sessions) -> None:
    form = load("status", "sms_failed_unsubscribed")
    reply_id = await sent_reply(sessions, form["MessageSid"])
    assert (await post("/webhooks/twilio/status", form)).status == 200
    assert await delivery_status(sessions, reply_id) == "failed"
    async with sessions() as session:
        identity = await citizens.find_identity(session, "sms", "+573001234567")
    assert identity is not None and identity.opted_out


async def test_a_status_for_an_unknown_message_is_acknowledged_and_logged(
    post: Post, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="connectors.twilio.routes"):
        response = await post("/webhooks/twilio/status", load("status", "whatsapp_delivered"))
    assert response.status == 200
    assert "unknown Twilio message SM22223333444455556666777788889999" in caplog.text


async def test_status_callbacks_are_signature_checked_and_validated(
    client: Client, post: Post, sessions: Sessions
) -> None:
    form = load("status", "sms_sent")
    reply_id = await sent_reply(sessions, form["MessageSid"])
    forged = await client.post(
        "/webhooks/twilio/status",
        data={**form, "MessageStatus": "read"},
        headers={"X-Twilio-Signature": sign(AUTH_TOKEN, PUBLIC_URL + "/webhooks/twilio/status", form)},
    )
    assert forged.status == 403
    assert (await client.post("/webhooks/twilio/status", data=form)).status == 403
    malformed = await post("/webhooks/twilio/status", {**form, "MessageStatus": "", "SmsStatus": ""})
    assert malformed.status == 400
    assert await delivery_status(sessions, reply_id) == "queued"
