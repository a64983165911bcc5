"""A voice note recorded on the web chat page: kept only if it is the audio it claims to be, within the
chat's quota and length, sent by its own chat, and served back as audio (issue 18).

Each refusal is one attack on the upload route: a page or a script declared as audio, audio with a page
riding after it, one container called another, a note too big or too long, too many in an hour, another
browser's chat. After each, the media store holds nothing new.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import FormData
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from storage.models import Message
from tests.connectors.conftest import Client
from tests.support.media import both_backends, kept_bytes, kept_names
from tests.support.recorded_voice import FORMATS, recorded, spoken_wav
from tests.support.scripted import ScriptedClassifier
from tests.support.scripted_voice import ScriptedTranscriber, listening

Sessions = async_sessionmaker[AsyncSession]
CHAT = "web-8c2f4a9e1d7b3c5a6e0f"
SAID = "se daño la luminaria del parque"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return listening(settings)  # these tests are about the notes the web chat takes


@pytest.fixture
async def service(aiohttp_client: Any, settings: Settings, scripted: ScriptedClassifier) -> Client:
    # A transcriber at the seam: what the web chat keeps is the point here, not what Whisper hears.
    app = create_app(settings, classifier=scripted, transcriber=ScriptedTranscriber())
    client: Client = await aiohttp_client(app)
    return client


@pytest.fixture
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "voice-clips"
    folder.mkdir(exist_ok=True)
    return folder


def note(clips: Path, content_type: str = "audio/webm", text: str = SAID) -> bytes:
    return recorded(text, content_type, clips)


def voice_form(data: bytes, content_type: str) -> FormData:
    form = FormData()
    form.add_field("voice", io.BytesIO(data), filename="nota.webm", content_type=content_type)
    return form


async def upload(
    client: Client | aiohttp.ClientSession, data: bytes, content_type: str = "audio/webm;codecs=opus"
) -> tuple[int, Any]:
    response = await client.post(f"/webchat/upload?sender={CHAT}", data=voice_form(data, content_type))
    return response.status, await response.json()


async def say(client: Client, attachment: dict[str, str]) -> int:
    body = {"sender": CHAT, "message": "", "metadata": {"attachments": [attachment]}}
    response = await client.post(
        "/webhooks/rest/webhook", data=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    return response.status


def tweaked(settings: Settings, **voice: Any) -> Settings:
    return settings.model_copy(update={"voice": settings.voice.model_copy(update=voice)})


@both_backends
@pytest.mark.parametrize("declared", [f"{t};codecs=opus" if t != "audio/mp4" else t for t in FORMATS])
async def test_a_recorded_note_is_kept_sent_as_a_voice_note_and_played_back(
    service: Client, settings: Settings, sessions: Sessions, clips: Path, declared: str
) -> None:
    data = note(clips, declared.split(";")[0])
    status, body = await upload(service, data, declared)
    assert status == 201, body
    assert body["kind"] == "voice" and body["content_type"] == declared.split(";")[0]
    assert await kept_bytes(settings, body["url"].removeprefix("/media/")) == data  # kept as recorded
    # The page then sends it, claiming it is a picture: the type is the one it was kept as.
    assert await say(service, {"url": body["url"], "content_type": "image/png"}) == 200
    async with sessions() as session:
        sent = await session.scalar(select(Message).where(Message.attachments.is_not(None)))
    assert sent is not None and sent.attachments == [
        {"url": body["url"], "content_type": declared.split(";")[0], "kind": "voice"}
    ]
    served = await service.get(body["url"])
    assert served.status == 200 and served.content_type == declared.split(";")[0]
    assert await served.read() == data and served.headers["Accept-Ranges"] == "bytes"
    assert "media-src 'self'" in served.headers["Content-Security-Policy"]
    assert "sandbox" in served.headers["Content-Security-Policy"]
    # A player asks for pieces (Safari only plays that way).
    piece = await service.get(body["url"], headers={"Range": "bytes=4-99"})
    assert piece.status == 206 and await piece.read() == data[4:100]
    assert piece.headers["Content-Range"] == f"bytes 4-99/{len(data)}"
    tail = await service.get(body["url"], headers={"Range": "bytes=-10"})
    assert tail.status == 206 and await tail.read() == data[-10:]
    for unsatisfiable in (f"bytes={len(data)}-", "bytes=9-3", "bytes=x-y"):
        refused = await service.get(body["url"], headers={"Range": unsatisfiable})
        assert refused.status == 416 and refused.headers["Content-Range"] == f"bytes */{len(data)}"
    whole = await service.get(body["url"], headers={"Range": "lines=1-2"})  # a unit nobody knows: it all
    assert whole.status == 200 and await whole.read() == data


@pytest.mark.parametrize(
    ("what", "declared"),
    [
        ("page", "audio/webm"),
        ("script", "audio/ogg"),
        ("page after the audio", "audio/webm"),
        ("page after the audio", "audio/ogg"),
        ("page after the audio", "audio/mp4"),
        ("Ogg called WebM", "audio/webm"),
        ("WAV", "audio/ogg"),
        ("audio called a page", "text/html"),
        ("photo", "audio/webm"),
    ],
)
async def test_what_is_not_the_audio_it_claims_is_refused_and_not_kept(
    service: Client, settings: Settings, clips: Path, what: str, declared: str
) -> None:
    forged = {
        "page": b"<!doctype html><html><script>fetch('/inbox/')</script></html>",
        "script": b"OggS\x00<script>alert(document.cookie)</script>",
        "Ogg called WebM": note(clips, "audio/ogg"),
        "audio called a page": note(clips, "audio/webm"),
        "photo": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    }
    if what == "page after the audio":
        data = note(clips, declared) + b"<html><script>alert(1)</script></html>"
    elif what == "WAV":
        data = spoken_wav(SAID, clips).read_bytes()
    else:
        data = forged[what]
    status, body = await upload(service, data, declared)
    assert status == 400 and body["error"] == "bad_voice", body
    assert "nota de voz" in body["message"]  # in words, in Spanish
    assert await kept_names(settings) == []


async def test_a_note_too_big_or_too_long_is_refused_and_not_kept(
    aiohttp_client: Any, settings: Settings, scripted: ScriptedClassifier, clips: Path
) -> None:
    short = tweaked(settings, max_seconds=5)
    client = await aiohttp_client(create_app(short, classifier=scripted))
    status, body = await upload(client, b"\x1a\x45\xdf\xa3" + b"\x00" * (5 * 32_000 + 64 * 1024))
    assert status == 413 and body["error"] == "too_large"
    long_note = note(clips, "audio/ogg", "hay un bache enorme en la calle diez con carrera quince " * 4)
    status, body = await upload(client, long_note, "audio/ogg")
    assert status == 400 and body["error"] == "voice_too_long" and "5 segundos" in body["message"]
    assert await kept_names(settings) == []


async def test_one_chat_cannot_send_more_notes_than_its_hourly_share(
    aiohttp_client: Any, settings: Settings, scripted: ScriptedClassifier, clips: Path
) -> None:
    few = settings.model_copy(update={"media": settings.media.model_copy(update={"uploads_per_hour": 3})})
    client = await aiohttp_client(create_app(few, classifier=scripted))
    data = note(clips)
    assert [(await upload(client, data))[0] for _ in range(3)] == [201, 201, 201]
    status, body = await upload(client, data)
    assert status == 429 and body["error"] == "too_many_uploads" and "notas de voz" in body["message"]
    assert len(await kept_names(settings)) == 3


async def test_another_browsers_chat_can_neither_upload_nor_send_a_note(
    service: Client, settings: Settings, sessions: Sessions, clips: Path
) -> None:
    _, mine = await upload(service, note(clips))  # this browser binds the chat to its secret
    async with aiohttp.ClientSession(
        base_url=str(service.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as stranger:
        status, body = await upload(stranger, note(clips))
        assert status == 403 and body["error"] == "not_your_chat"
        # Nor may the stranger's own chat send this chat's note as theirs.
        theirs = "web-1f3e5d7c9b0a2e4f6d8c"
        response = await stranger.post(
            "/webhooks/rest/webhook",
            data=json.dumps({"sender": theirs, "message": "", "metadata": {"attachments": [mine]}}),
            headers={"Content-Type": "application/json"},
        )
        assert response.status == 400
    assert await kept_names(settings) == [mine["url"].removeprefix("/media/")]
    async with sessions() as session:
        assert await session.scalar(select(Message).where(Message.attachments.is_not(None))) is None


async def test_without_voice_the_page_offers_no_microphone_and_notes_are_refused(
    aiohttp_client: Any, settings: Settings, scripted: ScriptedClassifier, clips: Path, service: Client
) -> None:
    page = await (await service.get("/")).text()
    assert f'data-voice-seconds="{settings.voice.max_seconds}"' in page
    assert "media-src 'self' blob:" in (await service.get("/")).headers["Content-Security-Policy"]
    off = await aiohttp_client(create_app(tweaked(settings, enabled=False), classifier=scripted))
    assert 'data-voice-seconds="0"' in await (await off.get("/")).text()
    status, body = await upload(off, note(clips))
    assert status == 400 and body["error"] == "voice_off"
    assert await kept_names(settings) == []
