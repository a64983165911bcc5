"""The city's chat page in a real browser: a citizen files a case by typing and tapping."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from playwright.async_api import Page, expect
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from nlu.base import Classifier
from storage.models import Case, Message
from tests.browser.conftest import serve
from tests.connectors.test_uploads import phone_photo


async def test_a_citizen_files_a_case_from_the_chat_page(
    page: Page, settings: Settings, builtin_classifier: Classifier, sessions: async_sessionmaker[AsyncSession]
) -> None:
    server = await serve(create_app(settings, classifier=builtin_classifier))
    try:
        await page.goto(str(server.make_url("/")))
        box = page.locator("#text")
        await box.fill("hay un hueco enorme en la calle 45 con carrera 27, ya se cayeron dos motos")
        await box.press("Enter")
        await expect(page.locator("#log .msg.bot").last).to_contain_text("foto")
        await page.get_by_role("button", name="Omitir").last.click()
        await expect(page.locator("#log .msg.bot").last).to_contain_text("¿Lo confirmo?")
        await page.get_by_role("button", name="Sí, registrar").last.click()
        await expect(page.locator("#log .msg.bot").last).to_contain_text("Registrado")
        async with sessions() as session:
            case = await session.scalar(select(Case))
        assert case is not None
        await expect(page.locator("#log .msg.bot").last).to_contain_text(case.code)
        # What a citizen typed is shown as text, never run.
        await box.fill("<img src=x onerror=\"document.title='pwned'\">")
        await box.press("Enter")
        await expect(page.locator("#log .msg.me").last).to_contain_text("<img src=x")
        assert await page.title() != "pwned"
    finally:
        await server.close()


async def test_the_chat_is_bound_to_this_browser_and_a_photo_offers_its_place(
    page: Page,
    settings: Settings,
    builtin_classifier: Classifier,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    server = await serve(create_app(settings, classifier=builtin_classifier))
    try:
        await page.goto(str(server.make_url("/")))
        assert await page.evaluate("document.cookie") == ""  # the chat's secret is out of scripts' reach
        photo = tmp_path / "bache.jpg"
        photo.write_bytes(phone_photo((800, 600)))
        await page.locator("#photo-input").set_input_files(str(photo))
        await expect(page.locator("#log .msg.note").last).to_contain_text("lugar donde la tomaste")
        await page.get_by_role("button", name="Sí, usar ese lugar").click()
        await expect(page.locator("#log .msg.me").last).to_contain_text("Ubicación enviada")
        pinned = await first_stored(sessions, Message.latitude.is_not(None))
        sent_photo = await first_stored(sessions, Message.attachments.is_not(None))
        assert pinned is not None and pinned.latitude is not None and abs(pinned.latitude - 4.6096) < 1e-3
        assert sent_photo is not None and sent_photo.attachments
        stored = settings.media.dir / sent_photo.attachments[0]["url"].removeprefix("/media/")
        assert b"PhoneMaker" not in stored.read_bytes()  # the camera's EXIF did not survive
        # The cookie is lost (cleared by the citizen): the page goes on in a new chat and says so.
        await page.context.clear_cookies()
        await page.goto(str(server.make_url("/")))
        before = await page.evaluate("localStorage.getItem('ventanilla.sender')")
        box = page.locator("#text")
        await box.fill("hola otra vez")
        await box.press("Enter")
        await expect(page.locator("#log .msg.note").last).to_contain_text("seguimos en una nueva")
        await expect(page.locator("#log .msg.bot").last).not_to_be_empty()
        assert await page.evaluate("localStorage.getItem('ventanilla.sender')") != before
    finally:
        await server.close()


async def first_stored(
    sessions: async_sessionmaker[AsyncSession], condition: ColumnElement[bool], seconds: float = 15
) -> Message | None:
    """The first message stored that meets `condition`, waiting for it: the page shows the citizen's own
    bubble before its request reaches the server, so on a busy machine the row comes a moment later."""
    deadline = time.monotonic() + seconds
    while True:
        async with sessions() as session:
            found = await session.scalar(select(Message).where(condition))
        if found is not None or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.1)


async def test_after_erasing_their_data_the_page_forgets_the_chat_too(
    page: Page, settings: Settings, builtin_classifier: Classifier, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """On a shared computer, the next person must not find the chat in the page's storage."""
    server = await serve(create_app(settings, classifier=builtin_classifier))
    try:
        await page.goto(str(server.make_url("/")))
        box = page.locator("#text")
        await box.fill("hay un hueco enorme frente a mi casa en la calle 45 con 27")
        await box.press("Enter")
        await expect(page.locator("#log .msg.bot").last).to_contain_text("foto")
        before = await page.evaluate("localStorage.getItem('ventanilla.sender')")
        await box.fill("borren todos mis datos porfa")
        await box.press("Enter")
        await page.get_by_role("button", name="Sí, borrar", exact=True).last.click()
        await expect(page.locator("#log .msg.bot").last).to_contain_text("Última confirmación")
        await page.get_by_role("button", name="BORRAR", exact=True).last.click()
        await expect(page.locator("#log .msg.bot").last).to_contain_text("borramos tus datos")
        assert await page.evaluate("localStorage.getItem('ventanilla.sender')") != before
        await page.reload()
        await expect(page.locator("#log")).not_to_contain_text("hueco enorme")
        first = await first_stored(sessions, Message.text.contains("hueco enorme"))
        assert first is None  # and the server holds none of it
    finally:
        await server.close()
