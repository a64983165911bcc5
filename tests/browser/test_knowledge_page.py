"""What citizens asked, on a 360-pixel phone and on a desk in a real Chromium: the supervisor finds the page
from the navigation, reads the most repeated unanswered question first, the long ones wrap, the topics'
table scrolls inside its card, and the page itself never scrolls sideways. With
VENTANILLA_SCREENSHOTS_KNOWLEDGE set to a folder, the screenshots are kept (docs/knowledge-page.png comes
from the phone's)."""

from __future__ import annotations

import os

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.browser.inbox_support import add_staff, desk, log_in
from tests.browser.test_accounts import no_sideways_scroll, phone
from tests.inbox.test_knowledge_page import ZOO, asked

LONG = (
    "buenas tardes disculpe la molestia queria saber si para sacar el permiso de construccion de una "
    "ampliacion en el segundo piso necesito planos firmados por un arquitecto o basta con un croquis"
)


async def seed(sessions: async_sessionmaker[AsyncSession]) -> None:
    """A fortnight of questions as a city would get them: a few repeated, many once."""
    for days_ago in (1, 2, 2, 5, 9):
        await asked(sessions, ZOO, days_ago=days_ago)
    for words, days_ago in (
        ("cuando hay feria de empleo", 3),
        ("cuando hay feria de empleo", 6),
        (LONG, 4),
        ("donde vacunan a los gatos?", 2),
        ("where can I park downtown", 1),
    ):
        language = "en" if "park" in words else "es"
        await asked(sessions, words, days_ago=days_ago, language=language)
    for useful, days_ago in ((False, 1), (False, 3), (True, 2), (True, 4), (True, 8)):
        await asked(sessions, "cuanto debo de predial", outcome="answered", topic="impuesto-predial",
                    useful=useful, days_ago=days_ago)  # fmt: skip
    await asked(sessions, "a q hora abren", outcome="answered", topic="horario-alcaldia", useful=True)
    await asked(sessions, "horario", outcome="choice", topic="horario-alcaldia", days_ago=6)


async def test_what_citizens_asked_on_a_phone_and_on_a_desk(
    server: TestServer, browser: Browser, sessions: async_sessionmaker[AsyncSession]
) -> None:
    base = str(server.make_url("")).rstrip("/")
    shots = os.environ.get("VENTANILLA_SCREENSHOTS_KNOWLEDGE")
    await seed(sessions)
    await add_staff(sessions, "sara", "supervisor")
    page = await phone(browser)
    await log_in(page, base, "sara")
    await page.get_by_role("link", name="Preguntas").click()
    await expect(page.get_by_role("heading", name="Lo que preguntó la ciudadanía")).to_be_visible()
    first = page.locator("[data-list=misses] tr[data-asked='1']")
    await expect(first.locator("td").first).to_have_text(ZOO)
    await expect(first.locator("[data-count]")).to_have_text("5")
    await expect(page.locator("[data-list=not-useful] [data-topic=impuesto-predial]")).to_have_text(
        "Impuesto predial"
    )
    await expect(page.locator("[data-row='topic:impuesto-predial'] [data-cell=share_useful]")).to_have_text(
        "60 %"
    )
    await no_sideways_scroll(page)
    if shots:
        await page.screenshot(path=f"{shots}/knowledge-page.png", full_page=True)
    await page.select_option("select[name=days]", "7")
    await page.get_by_role("button", name="Filtrar").click()
    await expect(page.locator("[data-list=misses] tr[data-asked='1'] [data-count]")).to_have_text("4")
    await no_sideways_scroll(page)
    await page.context.close()

    context = await desk(browser)
    wide = await context.new_page()
    await log_in(wide, base, "sara")
    await wide.goto(f"{base}/inbox/knowledge")
    await expect(wide.locator("[data-row='topic:recoleccion-basura'] [data-never-asked]")).to_be_visible()
    if shots:
        await wide.screenshot(path=f"{shots}/knowledge-page-desktop.png", full_page=True)
    await context.close()
