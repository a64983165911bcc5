"""The Twilio webhooks over HTTP: signed posts stored and answered once, everything else refused."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientResponse
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import citizens, messages
from storage.models import ChannelIdentity, Direction, Message, OutboxItem, Subscription
from tests.connectors.twilio.conftest import PUBLIC_URL, Client, Post, load
from tests.support.fake_twilio import AUTH_TOKEN, FakeTwilio, sign

Sessions = async_sessionmaker[AsyncSession]
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


async def count(sessions: Sessions, model: type[Any]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_signed_sms_is_stored_and_answered_with_empty_twiml(post: Post, sessions: Sessions) -> None:
    response = await post("/webhooks/twilio", load("inbound", "sms_spanish_text"))
    assert response.status == 200
    assert response.content_type == "text/xml"
    assert await response.text() == EMPTY_TWIML
    async with sessions() as session:
        inbound = await messages.find_message(session, "sms", "SM5c1d2b8f0e9a4c7b8d6e5f4a3b2c1d0e")
        assert inbound is not None
        assert (inbound.address, inbound.text) == ("+573001234567", "hay un poste de luz caído en la esquina")
        replies = await messages.replies_to(session, inbound.id)
        items = (await session.scalars(select(OutboxItem))).all()
    assert replies and len(items) == len(replies)
    # The reply leaves from the number the citizen wrote to.
    assert {(i.channel, i.address, i.sender) for i in items} == {("sms", "+573001234567", "+15017122661")}


async def test_a_whatsapp_photo_and_location_are_kept(post: Post, sessions: Sessions) -> None:
    assert (await post("/webhooks/twilio", load("inbound", "whatsapp_image"))).status == 200
    assert (await post("/webhooks/twilio", load("inbound", "whatsapp_location"))).status == 200
    async with sessions() as session:
        photo = await messages.find_message(session, "whatsapp", "MM2f8e4d6c0b1a29384756a1b2c3d4e5f6")
        pin = await messages.find_message(session, "whatsapp", "SM9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49")
        identity = await citizens.find_identity(session, "whatsapp", "+573001234567")
    assert photo is not None and photo.attachments is not None
    assert photo.attachments[0]["kind"] == "photo"
    assert pin is not None and (pin.latitude, pin.longitude) == (4.6097102, -74.081749)
    assert identity is not None and identity.display_name == "Ana María"


async def test_a_retried_message_sid_is_stored_and_answered_once(
    post: Post, sessions: Sessions, fake_twilio: FakeTwilio
) -> None:
    form = load("inbound", "sms_spanish_text")
    first = await post("/webhooks/twilio", form)
    assert first.status == 200
    for _ in range(2):
        assert (await post("/webhooks/twilio", form)).status == 200
    # Twilio may also retry while the first delivery is still being processed.
    answers = await asyncio.gather(*(post("/webhooks/twilio", form) for _ in range(2)))
    assert [a.status for a in answers] == [200, 200]
    async with sessions() as session:
        inbound = await session.scalar(select(func.count()).where(Message.direction == Direction.IN))
        outbound = await session.scalar(select(func.count()).where(Message.direction == Direction.OUT))
    assert inbound == 1
    assert outbound and await count(sessions, OutboxItem) == outbound

    async def all_sent() -> bool:
        return len(fake_twilio.messages) >= outbound

    await eventually(all_sent)
    await asyncio.sleep(0.2)  # room for a duplicate to show up, if there were one
    assert len(fake_twilio.messages) == outbound


async def test_stop_marks_the_citizen_opted_out_and_queues_nothing(post: Post, sessions: Sessions) -> None:
    await post("/webhooks/twilio", load("inbound", "sms_spanish_text"))
    queued = await count(sessions, OutboxItem)
    assert (await post("/webhooks/twilio", load("inbound", "sms_stop"))).status == 200
    async with sessions() as session:
        identity = await citizens.find_identity(session, "sms", "+573001234567")
    assert identity is not None and identity.opted_out
    assert await count(sessions, OutboxItem) == queued
    await post("/webhooks/twilio", load("inbound", "sms_start"))
    async with sessions() as session:
        identity = await citizens.find_identity(session, "sms", "+573001234567")
    assert identity is not None and not identity.opted_out


async def test_baja_by_sms_pauses_the_topics_and_is_answered_the_number_stays_open(
    post: Post, sessions: Sessions
) -> None:
    await post("/webhooks/twilio", load("inbound", "sms_spanish_text"))
    async with sessions() as session, session.begin():
        identity = await citizens.find_identity(session, "sms", "+573001234567")
        assert identity is not None
        session.add(Subscription(citizen_id=identity.citizen_id, topic="encuestas", channel="sms", shown="…"))
    queued = await count(sessions, OutboxItem)
    assert (await post("/webhooks/twilio", load("inbound", "sms_baja"))).status == 200
    async with sessions() as session:
        identity = await citizens.find_identity(session, "sms", "+573001234567")
        subscription = await session.scalar(select(Subscription))
        reply = await session.scalar(select(Message).order_by(Message.id.desc()))
    assert identity is not None and not identity.opted_out  # case news still reach the number
    assert subscription is not None and subscription.status == "paused"
    assert reply is not None and reply.direction == Direction.OUT and "ALTA" in reply.text
    assert await count(sessions, OutboxItem) == queued + 1  # one reply confirms it


async def raw_post(client: Client, body: bytes, headers: dict[str, str]) -> ClientResponse:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    return await client.post("/webhooks/twilio", data=body, headers=headers)


def signed_for(url: str, form: dict[str, str], token: str = AUTH_TOKEN) -> dict[str, str]:
    return {"X-Twilio-Signature": sign(token, url, form)}


@pytest.mark.parametrize(
    "case",
    ["missing", "empty", "garbage", "wrong_token", "host_url", "other_path", "tampered", "not_utf8"],
)
async def test_unsigned_or_badly_signed_posts_get_403_and_store_nothing(
    client: Client, sessions: Sessions, case: str
) -> None:
    form = load("inbound", "sms_spanish_text")
    url = PUBLIC_URL + "/webhooks/twilio"
    body = urlencode(form).encode()
    headers = {
        "missing": {},
        "empty": {"X-Twilio-Signature": ""},
        "garbage": {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
        "wrong_token": signed_for(url, form, token="another-token"),
        # Signed for the address the request reached (the Host header), not the public URL.
        "host_url": signed_for(str(client.make_url("/webhooks/twilio")), form),
        "other_path": signed_for(PUBLIC_URL + "/webhooks/twilio/status", form),
        "tampered": signed_for(url, form),
        "not_utf8": signed_for(url, form),
    }[case]
    if case == "tampered":
        body = urlencode({**form, "Body": "otra cosa"}).encode()
    if case == "not_utf8":
        body = body + b"&Extra=\xff\xfe"
    response = await raw_post(client, body, headers)
    assert response.status == 403
    answer = await response.json()
    assert answer["error"] == "bad_signature" and answer["message"]
    assert await count(sessions, Message) == 0
    assert await count(sessions, ChannelIdentity) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"From": ""}, "From"),
        ({"From": "whatsapp:no-es-un-numero"}, "From"),
        ({"MessageSid": "", "SmsMessageSid": "", "SmsSid": ""}, "MessageSid"),
        ({"NumMedia": "1"}, "MediaUrl0"),
        ({"Latitude": "100", "Longitude": "0"}, "Latitude/Longitude"),
    ],
)
async def test_malformed_signed_forms_get_400_naming_the_field(
    post: Post, sessions: Sessions, change: dict[str, str], field: str
) -> None:
    response = await post("/webhooks/twilio", {**load("inbound", "sms_spanish_text"), **change})
    assert response.status == 400
    answer = await response.json()
    assert answer["error"] == "bad_form" and field in answer["message"]
    assert await count(sessions, Message) == 0


async def test_errors_speak_english_when_asked(client: Client) -> None:
    response = await client.post("/webhooks/twilio", data={"a": "b"}, headers={"Accept-Language": "en"})
    assert response.status == 403
    assert (await response.json())["message"].startswith("Missing or invalid Twilio signature")


async def test_oversized_bodies_are_refused_before_anything_else(client: Client, sessions: Sessions) -> None:
    response = await raw_post(client, b"Body=" + b"a" * 70_000, {"X-Twilio-Signature": "x"})
    assert response.status == 413
    assert await count(sessions, Message) == 0


async def test_a_query_string_is_part_of_what_twilio_signs(client: Client, sessions: Sessions) -> None:
    form = load("inbound", "sms_spanish_text")
    path = "/webhooks/twilio?ciudad=bogot%C3%A1"
    headers = {"X-Twilio-Signature": sign(AUTH_TOKEN, PUBLIC_URL + path, form)}
    response = await client.post(path, data=form, headers=headers)
    assert response.status == 200
    assert await count(sessions, Message) >= 1


# The whole round trip, with the outbox worker the app runs and the fake Twilio REST API.


async def eventually(check: Callable[[], Awaitable[bool]], tries: int = 200) -> None:
    """Poll (the worker and the database have no event to wait on) for up to tries × 50 ms."""
    for _ in range(tries):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox did not deliver in time")


@pytest.mark.parametrize(
    ("fixture", "to", "from_"),
    [
        ("sms_spanish_text", "+573001234567", "+15017122661"),
        ("whatsapp_text_profile", "whatsapp:+5491123456789", "whatsapp:+14155238886"),
    ],
)
async def test_the_reply_reaches_twilio_from_the_number_written_to_and_its_status_is_recorded(
    post: Post, sessions: Sessions, fake_twilio: FakeTwilio, fixture: str, to: str, from_: str
) -> None:
    await post("/webhooks/twilio", load("inbound", fixture))

    async def replies_sent() -> bool:
        async with sessions() as session:
            pending = await session.scalar(
                select(func.count()).where(OutboxItem.status != "sent").select_from(OutboxItem)
            )
        return bool(fake_twilio.messages) and pending == 0

    await eventually(replies_sent)
    sent = fake_twilio.messages[0]
    assert (sent["to"], sent["from"]) == (to, from_)
    request = fake_twilio.requests[0]
    assert request.form["StatusCallback"] == PUBLIC_URL + "/webhooks/twilio/status"
    assert request.token is not None and request.token.startswith("msg-")
    status = {**load("status", "sms_sent"), "MessageSid": sent["sid"], "MessageStatus": "delivered"}
    assert (await post("/webhooks/twilio/status", status)).status == 200
    async with sessions() as session:
        reply = await session.scalar(select(Message).where(Message.provider_message_id == sent["sid"]))
    assert reply is not None and reply.delivery_status == "delivered"


@pytest.mark.parametrize(
    ("sms_from", "whatsapp_from"),
    [
        ("+573001234567", "whatsapp:+573001234567"),
        ("+541123456789", "whatsapp:+5491123456789"),  # Argentina: SMS without the mobile 9
        ("+525512345678", "whatsapp:+5215512345678"),  # Mexico: WhatsApp with the old mobile 1
    ],
)
async def test_sms_and_whatsapp_from_one_phone_are_one_citizen(
    post: Post, sessions: Sessions, sms_from: str, whatsapp_from: str
) -> None:
    first = {**load("inbound", "sms_spanish_text"), "From": sms_from}
    second = {**load("inbound", "whatsapp_text_profile"), "From": whatsapp_from, "WaId": whatsapp_from[10:]}
    assert (await post("/webhooks/twilio", first)).status == 200
    assert (await post("/webhooks/twilio", second)).status == 200
    async with sessions() as session:
        identities = (await session.scalars(select(ChannelIdentity))).all()
    assert sorted(i.channel for i in identities) == ["sms", "whatsapp"]
    assert len({i.address for i in identities}) == 1
    assert len({i.citizen_id for i in identities}) == 1
