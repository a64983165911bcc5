"""Nobody fills the disk through `/webchat/upload`, and a photo keeps nothing but its picture (issue 12,
finding 4).

The audit uploaded 40 × 8 MiB in 1.8 s with no session, no quota and no cleanup; with the disk full every
web chat message got 503 while `/healthz` said 200. Each test performs one of those attacks, or sends
what a phone really sends (EXIF with the camera's GPS position, a picture that is also a script), with
the media in a folder and in a bucket (issue 13).
"""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.housekeeping import Housekeeping
from bot.settings import Settings
from storage.models import Upload, utcnow
from storage.stores import open_store
from tests.connectors.conftest import Client
from tests.connectors.test_rest import photo_form, png
from tests.support.media import both_backends, kept_bytes, kept_names
from tests.support.scripted import ScriptedClassifier

pytestmark = both_backends

Sessions = async_sessionmaker[AsyncSession]
CHAT = "web-5d1e9a7c3b2f80a4c6e1"
GPS_IFD = 0x8825


def phone_photo(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A JPEG as a phone makes it: the camera's make and the GPS position (Bogotá) in EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {
        1: "N",
        2: (IFDRational(4), IFDRational(36), IFDRational(3456, 100)),
        3: "W",
        4: (IFDRational(74), IFDRational(4), IFDRational(1234, 100)),
    }
    out = io.BytesIO()
    Image.new("RGB", size, (90, 90, 90)).save(out, "JPEG", exif=exif)
    return out.getvalue()


async def upload(client: Client | aiohttp.ClientSession, content: bytes, sender: str = CHAT) -> Any:
    response = await client.post(f"/webchat/upload?sender={sender}", data=photo_form(content))
    return response.status, await response.json()


async def test_an_upload_needs_a_chat_of_its_own(service: Client, settings: Settings) -> None:
    response = await service.post("/webchat/upload", data=photo_form(png()))
    assert response.status == 400 and (await response.json())["error"] == "bad_sender"
    assert (await upload(service, png()))[0] == 201  # this browser's chat
    async with aiohttp.ClientSession(
        base_url=str(service.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as stranger:
        status, body = await upload(stranger, png())  # someone else's chat id
    assert status == 403 and body["error"] == "not_your_chat"
    assert len(await kept_names(settings)) == 1


async def test_one_chat_cannot_upload_more_than_its_hourly_share(service: Client, settings: Settings) -> None:
    picture = png((200, 200))
    for _ in range(settings.media.uploads_per_hour):
        assert (await upload(service, picture))[0] == 201
    status, body = await upload(service, picture)
    assert status == 429 and body["error"] == "too_many_uploads"
    assert "fotos" in body["message"]  # told in words, in Spanish
    assert len(await kept_names(settings)) == settings.media.uploads_per_hour


async def test_everybody_together_stops_at_the_overall_ceiling(
    aiohttp_client: Any, settings: Settings, scripted: ScriptedClassifier
) -> None:
    tight = settings.model_copy(
        update={"media": settings.media.model_copy(update={"total_upload_mb_per_hour": 1})}
    )
    client = await aiohttp_client(create_app(tight, classifier=scripted))
    noise = Image.effect_noise((900, 900), 80).convert("RGB")  # does not compress: about 1 MB as JPEG
    out = io.BytesIO()
    noise.save(out, "PNG")
    statuses = [
        (await upload(client, out.getvalue(), sender=f"web-{n:02d}a9c3e1f7b5d2c8e4"))[0] for n in range(4)
    ]
    assert statuses[0] == 201 and statuses[-1] == 429


async def test_a_nearly_full_disk_refuses_photos_and_health_says_so(
    aiohttp_client: Any, settings: Settings, scripted: ScriptedClassifier
) -> None:
    full = settings.model_copy(update={"media": settings.media.model_copy(update={"min_free_mb": 10**9})})
    client = await aiohttp_client(create_app(full, classifier=scripted))
    status, body = await upload(client, png())
    health = await client.get("/healthz")
    if settings.media.backend == "s3":  # the bucket is not on our disk: nothing to refuse
        assert status == 201 and health.status == 200
        return
    assert status == 507 and body["error"] == "disk_full"
    assert health.status == 503 and (await health.json())["disk"] == "full"
    # A message in words still goes through: the citizen is told to describe it instead.
    response = await client.post(
        "/webhooks/rest/webhook",
        data=json.dumps({"sender": CHAT, "message": "hay un bache en la calle 10"}),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 200


async def test_what_is_kept_is_the_picture_alone(service: Client, settings: Settings) -> None:
    status, body = await upload(service, phone_photo() + b"<html><script>alert(1)</script></html>")
    assert status == 201
    assert body["location"] == {
        "latitude": pytest.approx(4.6096, abs=1e-4),
        "longitude": pytest.approx(-74.0701, abs=1e-4),
    }
    kept = await kept_bytes(settings, body["url"].removeprefix("/media/"))
    assert kept is not None
    assert b"<script>" not in kept and b"PhoneMaker" not in kept
    picture = Image.open(io.BytesIO(kept))
    assert picture.format == "JPEG" and not picture.getexif()  # no EXIF, so no GPS for staff or the public
    served = await (await service.get(body["url"])).read()
    assert served == kept


async def test_a_decompression_bomb_is_refused_before_it_is_decoded(
    service: Client, settings: Settings
) -> None:
    bomb = png((20_000, 20_000), mode="L", optimize=True)  # a few hundred kB, 400 million pixels
    assert len(bomb) < settings.server.max_upload_bytes
    status, body = await upload(service, bomb)
    assert status == 400 and body["error"] == "bad_upload"
    assert await kept_names(settings) == []


async def test_a_message_carries_only_its_own_chats_photos(service: Client, sessions: Sessions) -> None:
    async with aiohttp.ClientSession(
        base_url=str(service.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as other:
        _, theirs = await upload(other, png(), sender="web-0b7e2d9f4c1a63e8d5b2")
    _, mine = await upload(service, png())

    async def send(photo: dict[str, str]) -> int:
        body = {"sender": CHAT, "message": "", "metadata": {"attachments": [photo]}}
        response = await service.post(
            "/webhooks/rest/webhook", data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        return response.status

    assert await send(theirs) == 400
    assert await send(mine) == 200
    async with sessions() as session:
        used = (await session.scalars(select(Upload.used_at).order_by(Upload.id))).all()
    assert used[0] is None and used[1] is not None


async def test_photos_nobody_sent_are_removed_and_sent_ones_stay(
    service: Client, settings: Settings, sessions: Sessions
) -> None:
    _, sent = await upload(service, png())
    _, forgotten = await upload(service, png())
    body = {"sender": CHAT, "message": "", "metadata": {"attachments": [sent]}}
    response = await service.post(
        "/webhooks/rest/webhook", data=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert response.status == 200
    async with open_store(settings) as store:
        keeper = Housekeeping(settings, sessions, store)
        assert (await keeper.once()).photos == 0  # too recent: the citizen may still send it
        later = utcnow() + timedelta(hours=settings.media.keep_unused_hours, minutes=1)
        assert (await keeper.once(later)).photos == 1
    assert await kept_names(settings) == [sent["url"].removeprefix("/media/")]
    assert (await service.get(forgotten["url"])).status == 404
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Upload)) == 1
    assert forgotten["url"] != sent["url"]
