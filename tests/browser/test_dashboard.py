"""The supervisor dashboard on a 360-pixel phone in a real Chromium: the closing-the-loop figures are
there and readable, the wide tables scroll inside their card, and the page never scrolls sideways."""

from __future__ import annotations

import os

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.browser.inbox_support import add_staff, log_in
from tests.browser.test_accounts import PHONE, no_sideways_scroll, phone
from tests.inbox.test_dashboard_loop import seed_loop


async def test_the_closing_the_loop_figures_on_a_phone(
    server: TestServer, browser: Browser, sessions: async_sessionmaker[AsyncSession]
) -> None:
    base = str(server.make_url("")).rstrip("/")

    async def staff(username: str, role: str = "agent") -> int:
        return await add_staff(sessions, username, role)

    await seed_loop(sessions, staff)
    await staff("sara", "supervisor")
    page = await phone(browser)
    await log_in(page, base, "sara")
    await page.goto(f"{base}/inbox/dashboard")
    loop = page.locator("section.loop")
    await loop.scroll_into_view_if_needed()
    await expect(loop.locator("[data-loop=response_rate]")).to_have_text("71 %")
    await expect(loop.locator("[data-loop=fixed]")).to_have_text("3")
    await expect(loop.locator("[data-loop=closed]")).to_have_text("7")
    await no_sideways_scroll(page)
    # The service table is wider than a phone: it scrolls in its own box, its row names stay in view.
    box = loop.locator(".scroll").first
    widths = await box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert widths[1] <= PHONE["width"] and widths[0] > widths[1], widths
    await box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    name = box.locator("tr[data-row='service:pothole'] th")
    await expect(name).to_be_in_viewport()
    left = await name.evaluate("th => th.getBoundingClientRect().left")
    assert 0 <= left < PHONE["width"] / 2
    await expect(loop.locator("a[href='/inbox/dashboard.csv']")).to_be_visible()
    if os.environ.get("VENTANILLA_SCREENSHOTS"):
        await page.screenshot(path=os.environ["VENTANILLA_SCREENSHOTS"], full_page=True)
    await page.context.close()
