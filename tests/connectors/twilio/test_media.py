"""Media sent by SMS or WhatsApp is copied from Twilio (with the account's credentials) into our store, on
both back-ends; whatever cannot be copied leaves Twilio's link, and the message is never lost (issue 13)."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import ClientResponse, web
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from storage import messages
from tests.connectors.test_uploads import phone_photo
from tests.connectors.twilio.conftest import PUBLIC_URL, Client, Post, load
from tests.support.fake_twilio import AUTH_TOKEN, FakeTwilio, post_signed
from tests.support.media import both_backends, kept_bytes, kept_names
from tests.support.scripted import ScriptedClassifier

pytestmark = both_backends
Sessions = async_sessionmaker[AsyncSession]
PHOTO_SID = "MM2f8e4d6c0b1a29384756a1b2c3d4e5f6"
VOICE_SID = "MM7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e"
OGG = b"OggS\x00\x02" + b"\x00" * 200
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


async def signed(client: Client, form: dict[str, str]) -> ClientResponse:
    return await post_signed(client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL)


async def attachments_of(sessions: Sessions, sid: str) -> list[dict[str, str]]:
    async with sessions() as session:
        message = await messages.find_message(session, "whatsapp", sid)
        assert message is not None, "the message itself is always kept"
        assert await messages.replies_to(session, message.id), "and answered"
    return message.attachments or []


async def test_a_whatsapp_photo_is_copied_with_the_accounts_credentials_and_redrawn(
    post: Post, client: Client, fake_twilio: FakeTwilio, sessions: Sessions, settings: Settings
) -> None:
    form = load("inbound", "whatsapp_image")
    fake_twilio.add_media(form["MediaUrl0"], phone_photo(), "image/jpeg")
    assert (await post("/webhooks/twilio", form)).status == 200
    [photo] = await attachments_of(sessions, PHOTO_SID)
    assert (photo["kind"], photo["content_type"]) == ("photo", "image/jpeg")
    name = photo["url"].removeprefix("/media/")
    assert photo["url"].startswith("/media/") and await kept_names(settings) == [name]
    kept = await kept_bytes(settings, name)
    assert kept is not None and b"PhoneMaker" not in kept and not Image.open(io.BytesIO(kept)).getexif()
    api, files = fake_twilio.media_requests
    assert api == (form["MediaUrl0"].removeprefix("https://api.twilio.com"), True)  # basic auth
    assert files[0].startswith("/files/")  # Twilio's redirect was followed
    served = await client.get(photo["url"])
    assert served.status == 200 and served.headers["Content-Type"] == "image/jpeg"


async def test_a_voice_note_and_a_document_are_kept_as_they_came(
    post: Post, client: Client, fake_twilio: FakeTwilio, sessions: Sessions, settings: Settings
) -> None:
    form = load("inbound", "whatsapp_voice_and_document")
    fake_twilio.add_media(form["MediaUrl0"], OGG, "audio/ogg")
    fake_twilio.add_media(form["MediaUrl1"], PDF, "application/pdf")
    assert (await post("/webhooks/twilio", form)).status == 200
    voice, document = await attachments_of(sessions, VOICE_SID)
    assert (voice["kind"], voice["content_type"]) == ("voice", "audio/ogg")
    assert (document["kind"], document["content_type"]) == ("document", "application/pdf")
    for attachment, content in ((voice, OGG), (document, PDF)):
        served = await client.get(attachment["url"])
        assert served.headers["Content-Type"] == attachment["content_type"] and await served.read() == content


async def test_media_twilio_no_longer_has_leaves_its_link_and_the_message_is_kept(
    post: Post,
    fake_twilio: FakeTwilio,
    sessions: Sessions,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    form = load("inbound", "whatsapp_image")
    with caplog.at_level(logging.WARNING, logger="connectors.twilio"):
        assert (await post("/webhooks/twilio", form)).status == 200
    [photo] = await attachments_of(sessions, PHOTO_SID)
    assert photo["url"] == form["MediaUrl0"] and await kept_names(settings) == []
    assert "not copied: NotFetched('HTTP 404')" in caplog.text


async def test_a_replayed_message_keeps_one_copy(
    post: Post, fake_twilio: FakeTwilio, sessions: Sessions, settings: Settings
) -> None:
    form = load("inbound", "whatsapp_voice_and_document")
    fake_twilio.add_media(form["MediaUrl0"], OGG, "audio/ogg")
    fake_twilio.add_media(form["MediaUrl1"], PDF, "application/pdf")
    for _ in range(3):
        assert (await post("/webhooks/twilio", form)).status == 200
    attachments = await attachments_of(sessions, VOICE_SID)
    assert await kept_names(settings) == sorted(a["url"].removeprefix("/media/") for a in attachments)


async def test_a_link_elsewhere_never_gets_the_accounts_credentials(
    post: Post, fake_twilio: FakeTwilio, sessions: Sessions, settings: Settings
) -> None:
    form = load("inbound", "whatsapp_image") | {"MediaUrl0": f"{fake_twilio.url}/2010-04-01/Accounts/x"}
    assert (await post("/webhooks/twilio", form)).status == 200
    [photo] = await attachments_of(sessions, PHOTO_SID)
    assert photo["url"] == form["MediaUrl0"] and fake_twilio.media_requests == []


async def test_too_large_or_too_slow_the_webhook_still_answers_in_time(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    twilio_settings: Settings,
    scripted: ScriptedClassifier,
    fake_twilio: FakeTwilio,
    sessions: Sessions,
    settings: Settings,
) -> None:
    small = twilio_settings.model_copy(
        update={
            "server": twilio_settings.server.model_copy(update={"max_upload_bytes": 4096}),
            "twilio": twilio_settings.twilio.model_copy(update={"media_seconds": 1.0}),
        }
    )
    client = await aiohttp_client(create_app(small, classifier=scripted))
    form = load("inbound", "whatsapp_voice_and_document")
    fake_twilio.add_media(form["MediaUrl0"], OGG * 40, "audio/ogg")  # 8 kB: over the limit
    fake_twilio.add_media(form["MediaUrl1"], PDF, "application/pdf")
    fake_twilio.media_delay = 0.5
    started = time.monotonic()
    response = await post_signed(
        client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
    )
    assert response.status == 200
    voice, document = await attachments_of(sessions, VOICE_SID)
    assert voice["url"] == form["MediaUrl0"] and document["url"].startswith("/media/")
    fake_twilio.media_delay = 30  # Twilio's file servers hang
    form |= {"MessageSid": "MM" + "1" * 32, "SmsMessageSid": "MM" + "1" * 32, "SmsSid": "MM" + "1" * 32}
    started = time.monotonic()
    response = await post_signed(
        client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
    )
    assert response.status == 200 and time.monotonic() - started < 5
    assert [a["url"] for a in await attachments_of(sessions, "MM" + "1" * 32)] == [
        form["MediaUrl0"],
        form["MediaUrl1"],
    ]
