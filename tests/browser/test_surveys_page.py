"""A survey's results page on a 360-pixel phone in a real Chromium: the bars and the hidden counts are
there, the free text wraps, and the page never scrolls sideways."""

from __future__ import annotations

import os

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from tests.browser.inbox_support import add_staff, log_in
from tests.browser.test_accounts import no_sideways_scroll, phone
from tests.inbox.test_surveys_page import seeded


async def test_survey_results_on_a_phone(
    server: TestServer, browser: Browser, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    base = str(server.make_url("")).rstrip("/")
    shots = os.environ.get("VENTANILLA_SCREENSHOTS_SURVEYS")  # a folder, to look at the pages
    survey_id = await seeded(sessions, settings)
    await add_staff(sessions, "sara", "supervisor")
    page = await phone(browser)
    await log_in(page, base, "sara")
    await page.goto(f"{base}/inbox/surveys")
    await expect(page.locator("[data-survey=resultados] [data-reach=answered]")).to_have_text("17")
    await no_sideways_scroll(page)
    if shots:
        await page.screenshot(path=f"{shots}/surveys.png", full_page=True)
    await page.goto(f"{base}/inbox/surveys/{survey_id}")
    obra = page.locator("[data-question=obra]")
    await expect(obra.locator("svg.chart rect")).to_have_count(2)  # parque and biblioteca; hidden: no bar
    await expect(obra.locator("[data-cell=alumbrado]")).to_have_text("<5")
    await expect(page.locator("details.texts li").first).to_be_visible()
    await no_sideways_scroll(page)
    if shots:
        await page.screenshot(path=f"{shots}/survey.png", full_page=True)
    await page.context.close()
