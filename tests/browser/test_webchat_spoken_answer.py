"""A preferential citizen on a 360-pixel phone sends a voice note from the chat page and gets the answer
in text, then a player with the spoken answer that Chromium really loads (issue 19, part D).

With VENTANILLA_SCREENSHOTS_SPOKEN set to a folder, the screenshot is kept there
(docs/webchat-spoken-answer.png comes from it)."""

from __future__ import annotations

import asyncio
import os

from playwright.async_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from storage import preferential
from storage.models import Citizen
from tests.browser.conftest import serve
from tests.browser.test_webchat_voice import no_sideways_scroll, phone, speaking_browser
from tests.support.scripted import dialogue_rules
from tests.support.scripted_voice import ScriptedTranscriber

__all__ = ["speaking_browser"]  # the fixture: a Chromium whose microphone says a sentence


async def make_preferential(sessions: async_sessionmaker[AsyncSession]) -> None:
    """The citizen who just wrote gets preferential attention, once their first turn has committed."""
    for _ in range(200):
        async with sessions() as session, session.begin():
            citizen = await session.scalar(select(Citizen))
            if citizen is not None:
                await preferential.grant(
                    session, citizen, kind="elderly", words="tengo 82 años", channel="rest"
                )
                return
        await asyncio.sleep(0.1)
    raise AssertionError("the first message never reached the city")


async def test_a_preferential_citizen_hears_the_answer_to_a_voice_note(
    speaking_browser: Browser, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    voice = settings.voice.model_copy(update={"enabled": True, "reply_aloud": True})
    transcriber = ScriptedTranscriber()
    app = create_app(
        settings.model_copy(update={"voice": voice}), classifier=dialogue_rules(), transcriber=transcriber
    )
    server = await serve(app)
    page = await phone(speaking_browser)
    try:
        await page.goto(str(server.make_url("/")))
        await page.locator("#text").fill("hola")
        await page.locator("#text").press("Enter")
        await make_preferential(sessions)
        transcriber.will_hear("hay un bache muy grande frente a mi casa")
        await page.get_by_role("button", name="Grabar una nota de voz").click()
        await expect(page.locator("#rec-time")).to_have_text("0:02 / 2:00")
        await page.get_by_role("button", name="Enviar la nota de voz").click()
        await expect(page.locator("#log .msg.bot").filter(has_text="Escuché")).to_have_count(
            1, timeout=30_000
        )
        spoken = page.get_by_label("Respuesta en audio")
        await expect(spoken).to_have_count(1, timeout=30_000)
        # The player comes after the text it speaks, and the browser reads the note (CSP, type, codec).
        last = page.locator("#log .msg.bot").last
        await expect(last.locator("audio")).to_have_count(1)
        seconds = await spoken.evaluate(
            "a => a.readyState >= 1 ? a.duration : new Promise((ok, no) => {"
            " a.addEventListener('loadedmetadata', () => ok(a.duration)); a.addEventListener('error', no);"
            " a.load(); })"
        )
        assert 0.5 < seconds < 22
        await no_sideways_scroll(page)
        if shots := os.environ.get("VENTANILLA_SCREENSHOTS_SPOKEN"):
            await page.screenshot(path=f"{shots}/webchat-spoken-answer.png")
    finally:
        await page.context.close()
        await server.close()
