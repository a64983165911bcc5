"""The equity page (issue 19) in a real Chromium: on a 360-pixel phone the gap is said in words and the
wide tables scroll inside their cards, never the page; on a desktop the same page, whose picture is
docs/equity.png (`VENTANILLA_EQUITY_SCREENSHOT=docs/equity.png` writes it)."""

from __future__ import annotations

import os

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import utcnow
from tests.browser.inbox_support import add_staff, log_in
from tests.browser.test_accounts import PHONE, no_sideways_scroll, phone
from tests.support.equity_seed import seed_equity, seed_gap

GAP = "Brecha entre zonas: Centro resuelve en meta el 88 % y Norte el 14 %, 73 puntos menos."


async def equity_page(page: Page, base: str) -> None:
    await log_in(page, base, "sara")
    await page.goto(f"{base}/inbox/equity")
    await expect(page.locator("p.gap")).to_have_text(GAP)
    worst = page.locator("tr[data-group='area:norte']")
    await expect(worst.locator(".tag.bad")).to_have_text("Peor atendida")
    await expect(page.locator("tr[data-group='preferential:yes'] td[data-col=cases]")).to_have_text("3")


async def test_the_equity_page_on_a_phone_and_a_desktop(
    server: TestServer, browser: Browser, sessions: async_sessionmaker[AsyncSession]
) -> None:
    base = str(server.make_url("")).rstrip("/")
    now = utcnow()
    await seed_equity(sessions, now)
    await seed_gap(sessions, now)
    await add_staff(sessions, "sara", "supervisor")
    small = await phone(browser)
    await equity_page(small, base)
    await no_sideways_scroll(small)
    box = small.locator(".equity .scroll").first
    widths = await box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert widths[1] <= PHONE["width"], widths
    await small.get_by_role("link", name="Últimos 90 días").click()
    await expect(small).to_have_url(f"{base}/inbox/equity?days=90")
    await no_sideways_scroll(small)
    await small.context.close()

    context = await browser.new_context(locale="es-CO", viewport={"width": 1280, "height": 900})
    wide = await context.new_page()
    await equity_page(wide, base)
    await wide.fill("input[name=from]", "2000-01-01")
    await wide.fill("input[name=to]", "2000-01-31")
    await wide.get_by_role("button", name="Ver").click()
    await expect(wide.locator("tr[data-group='preferential:yes'] td[data-col=cases]")).to_have_text("0")
    await wide.goto(f"{base}/inbox/equity")
    if os.environ.get("VENTANILLA_EQUITY_SCREENSHOT"):
        await wide.screenshot(path=os.environ["VENTANILLA_EQUITY_SCREENSHOT"], full_page=True)
    await context.close()
