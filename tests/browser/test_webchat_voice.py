"""A citizen records a voice note on the chat page of a 360-pixel phone, in a real Chromium whose microphone
plays a Spanish sentence espeak-ng said, and sends it; the city keeps it as a voice note of real audio.

With VENTANILLA_SCREENSHOTS_WEBVOICE set to a folder, the screenshots are kept there (docs/webchat-voice.png
and docs/webchat-voice-recording.png come from it)."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, ViewportSize, async_playwright, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from connectors import audio
from nlu.base import Classifier
from storage.models import Message
from tests.browser.conftest import CHROMIUM, FLAGS, HAVE_CHROMIUM, serve
from tests.support.media import kept_bytes
from tests.support.recorded_voice import spoken_wav
from tests.support.scripted_voice import listening

PHONE: ViewportSize = {"width": 360, "height": 740}
# Chromium's own stand-ins for the permission prompt and the microphone: the "microphone" plays the file.
FAKE_MICROPHONE = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return listening(settings)  # the real Whisper hears what the page recorded


@pytest.fixture
async def speaking_browser(tmp_path: Path) -> AsyncIterator[Browser]:
    wav = spoken_wav("se daño la luminaria del parque", tmp_path)
    if not HAVE_CHROMIUM:
        pytest.skip("Chromium is not installed here (CI installs it)")
    async with async_playwright() as playwright:
        microphone = [*FAKE_MICROPHONE, f"--use-file-for-fake-audio-capture={wav}"]
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=[*FLAGS, *microphone])
        try:
            yield launched
        finally:
            await launched.close()


async def phone(browser: Browser, locale: str = "es-CO") -> Page:
    context = await browser.new_context(locale=locale, viewport=PHONE, has_touch=True, is_mobile=True)
    page = await context.new_page()
    page.set_default_timeout(20_000)
    return page


async def no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


async def sent_attachments(sessions: async_sessionmaker[AsyncSession]) -> list[dict[str, str]]:
    """The attachments of the first message that came with any, waiting for it (the page shows the bubble
    before the upload and the message reach the server)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        async with sessions() as session:
            for found in await session.scalars(select(Message.attachments).order_by(Message.id)):
                if found:
                    return list(found)
        await asyncio.sleep(0.2)
    raise AssertionError("the note never reached the city")


def audible(data: bytes) -> float:
    """The loudest sample of the note, 0 to 1: the recording holds the voice, not silence."""
    import io

    import av
    import numpy as np

    with av.open(io.BytesIO(data), mode="r") as note:
        return max(float(np.abs(frame.to_ndarray()).max()) for frame in note.decode(audio=0))


async def test_a_citizen_records_a_voice_note_and_sends_it(
    speaking_browser: Browser,
    settings: Settings,
    builtin_classifier: Classifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    shots = os.environ.get("VENTANILLA_SCREENSHOTS_WEBVOICE")
    server = await serve(create_app(settings, classifier=builtin_classifier))
    page = await phone(speaking_browser)
    try:
        await page.goto(str(server.make_url("/")))
        box = page.locator("#text")
        await box.fill("hay una luminaria dañada en el parque de la calle 45")
        await box.press("Enter")
        await expect(page.locator("#log .msg.bot").last).not_to_be_empty()
        mic = page.get_by_role("button", name="Grabar una nota de voz")
        size = await mic.bounding_box()
        assert size is not None and size["width"] >= 44 and size["height"] >= 44  # a thumb's target
        await mic.click()
        recording = page.get_by_role("group", name="Nota de voz")
        await expect(recording).to_be_visible()
        await expect(recording).to_contain_text("Grabando")
        await expect(page.locator("#rec-time")).to_have_text(f"0:03 / {settings.voice.max_seconds // 60}:00")
        await expect(page.locator("#text")).to_be_hidden()
        await no_sideways_scroll(page)
        if shots:
            await page.screenshot(path=f"{shots}/webchat-voice-recording.png")
        await page.get_by_role("button", name="Enviar la nota de voz").click()
        await expect(recording).to_be_hidden()
        mine = page.locator("#log .msg.me").last
        await expect(mine).to_contain_text("Nota de voz")
        await expect(mine.locator("audio")).to_have_count(1)
        (attachment,) = await sent_attachments(sessions)
        assert attachment["kind"] == "voice" and attachment["content_type"] == "audio/webm"
        data = await kept_bytes(settings, attachment["url"].removeprefix("/media/"))
        assert data is not None
        note = await audio.check(data, "audio/webm", settings.voice.max_seconds)
        assert note.seconds >= 2.5 and audible(data) > 0.05
        await expect(mine).not_to_have_class("pending")  # sent, and nothing waits to be retried
        # Heard on this machine, and answered through the page's poll: what was heard, or (espeak through
        # a fake microphone and Opus is hard going for Whisper) the polite request to type it.
        answered = page.locator("#log .msg.bot").filter(has_text=re.compile("Escuché|No logré entender"))
        await expect(answered).to_have_count(1, timeout=120_000)
        await no_sideways_scroll(page)
        if shots:
            await page.screenshot(path=f"{shots}/webchat-voice.png")
        # Back on the page later, the note plays from the city's copy.
        await page.reload()
        played = page.locator("#log .msg.me audio")
        await expect(played).to_have_attribute("src", str(server.make_url(attachment["url"])))
        loaded = await played.evaluate(
            "a => new Promise(done => { a.onloadedmetadata = () => done('played'); "
            "a.onerror = () => done('refused: ' + (a.error && a.error.message)); a.load(); })"
        )
        assert loaded == "played"  # served as audio, and the page's CSP lets it play
    finally:
        await page.context.close()
        await server.close()


@pytest.mark.parametrize(
    ("locale", "button", "told", "typed"),
    [
        (
            "es-AR",
            "Grabar una nota de voz",
            "permiso para usar el micrófono",
            "entonces lo escribo: hay un bache",
        ),
        (
            "en-US",
            "Record a voice note",
            "no permission to use the microphone",
            "there is a pothole on 10th st",
        ),
    ],
)
async def test_a_denied_microphone_is_told_politely_and_the_chat_goes_on(
    browser: Browser,
    settings: Settings,
    builtin_classifier: Classifier,
    locale: str,
    button: str,
    told: str,
    typed: str,
) -> None:
    server = await serve(create_app(settings, classifier=builtin_classifier))
    page = await phone(browser, locale)
    try:
        # The citizen answers "Block" to the browser's question (what Chromium then answers the page).
        await page.add_init_script(
            "navigator.mediaDevices.getUserMedia = () => "
            "Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"
        )
        await page.goto(str(server.make_url("/")))
        await page.get_by_role("button", name=button).click()
        await expect(page.locator("#log .msg.note").last).to_contain_text(told)
        await expect(page.locator("#recorder")).to_be_hidden()
        box = page.locator("#text")
        await box.fill(typed)
        await box.press("Enter")
        await expect(page.locator("#log .msg.bot").last).not_to_be_empty()
        await no_sideways_scroll(page)
    finally:
        await page.context.close()
        await server.close()


@pytest.mark.parametrize("why", ["no recorder in this browser", "voice off"])
async def test_no_microphone_is_offered_when_a_note_could_not_be_taken(
    page: Page, settings: Settings, builtin_classifier: Classifier, why: str
) -> None:
    if why == "voice off":
        settings = settings.model_copy(update={"voice": settings.voice.model_copy(update={"enabled": False})})
    else:
        await page.add_init_script("delete window.MediaRecorder;")
    server = await serve(create_app(settings, classifier=builtin_classifier))
    try:
        await page.goto(str(server.make_url("/")))
        await expect(page.locator("#text")).to_be_visible()
        await expect(page.locator("body")).to_have_attribute("data-microphone", "none")  # voice.js decided
        await expect(page.locator("#mic-btn")).to_be_hidden()
        await expect(page.locator("#photo-btn")).to_be_visible()
    finally:
        await server.close()
