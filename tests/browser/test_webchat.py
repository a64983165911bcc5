"""The city's chat page in a real browser: a citizen files a case by typing and tapping."""

from __future__ import annotations

from playwright.async_api import Page, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from nlu.base import Classifier
from storage.models import Case
from tests.browser.conftest import serve


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
