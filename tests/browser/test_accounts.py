"""The admin page on a 360-pixel phone in a real Chromium: add an account, hand over its temporary password,
deactivate it, and never scroll sideways."""

from __future__ import annotations

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page, ViewportSize, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.browser.inbox_support import add_staff, log_in

PHONE: ViewportSize = {"width": 360, "height": 740}


async def phone(browser: Browser) -> Page:
    context = await browser.new_context(locale="es-CO", viewport=PHONE)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    return page


async def no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


async def test_an_admin_adds_and_deactivates_an_account_on_a_phone(
    server: TestServer, browser: Browser, sessions: async_sessionmaker[AsyncSession]
) -> None:
    base = str(server.make_url("")).rstrip("/")
    await add_staff(sessions, "ines.admin", "admin")
    admin = await phone(browser)
    await log_in(admin, base, "ines.admin")
    await admin.get_by_role("link", name="Cuentas").click()
    await admin.wait_for_url("**/inbox/accounts")
    await no_sideways_scroll(admin)

    # A new agent for sanitation; no password typed, so a temporary one is shown, once.
    await admin.get_by_text("Nueva cuenta").click()
    form = admin.locator("details.new-account form")
    await form.get_by_label("Usuario").fill("lina.torres")
    await form.get_by_label("Aseo y Residuos").check()
    await no_sideways_scroll(admin)
    await form.get_by_role("button", name="Crear la cuenta").click()
    secret = admin.locator("#temporary-password")
    await expect(secret).to_be_visible()
    temporary = await secret.inner_text()
    await no_sideways_scroll(admin)
    assert admin.url == f"{base}/inbox/accounts"  # a reload shows the page, it does not post again
    await admin.reload()
    await expect(admin.locator("#temporary-password")).to_have_count(0)
    card = admin.locator("article[data-username='lina.torres']")
    await expect(card).to_contain_text("Aseo y Residuos")

    # She logs in on her own phone with it.
    lina = await phone(browser)
    await log_in(lina, base, "lina.torres", temporary)
    await expect(lina.locator(".top")).to_contain_text("lina.torres")

    # The admin deactivates her: the notice is on her card, and her open session ends at once.
    await card.get_by_text("Cambiar esta cuenta").click()
    await no_sideways_scroll(admin)
    await card.get_by_role("button", name="Desactivar la cuenta").click()
    await admin.wait_for_url("**/inbox/accounts?at=*")
    await expect(card.locator(".notice")).to_contain_text("Cuenta desactivada")
    await expect(card.locator("header")).to_contain_text("Desactivada")
    await expect(card.locator("[data-sessions]")).to_have_text("0")
    await no_sideways_scroll(admin)
    await lina.reload()
    assert "/inbox/login" in lina.url

    # Nor can the only admin lock everyone out from here.
    me = admin.locator("article[data-username='ines.admin']")
    await me.get_by_text("Cambiar esta cuenta").click()
    await me.get_by_role("button", name="Desactivar la cuenta").click()
    await expect(me.locator(".notice.problem")).to_contain_text("última cuenta de administración")
    await no_sideways_scroll(admin)
    await admin.context.close()
    await lina.context.close()
