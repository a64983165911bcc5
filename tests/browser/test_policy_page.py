"""The privacy policy (/privacidad) on a 360-pixel phone in a real Chromium: readable without sideways
scrolling, with its headings, the language switch, and nothing running on it."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.async_api import Browser, ViewportSize, expect

from bot.app import create_app
from bot.settings import Settings
from nlu.base import Classifier
from tests.browser.conftest import serve

PHONE: ViewportSize = {"width": 360, "height": 740}
SHOT = os.environ.get("VENTANILLA_SCREENSHOT_DIR")  # set it to look at the page yourself


async def test_the_policy_reads_on_a_phone_in_both_languages(
    browser: Browser, settings: Settings, builtin_classifier: Classifier
) -> None:
    server = await serve(create_app(settings, classifier=builtin_classifier))
    context = await browser.new_context(locale="es-CO", viewport=PHONE)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        await page.goto(str(server.make_url("/privacidad")))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Política de privacidad")
        assert await page.get_by_role("heading", level=2).count() >= 6
        rights = page.get_by_role("heading", name="Cómo ejercer tus derechos desde el chat")
        await expect(rights).to_be_visible()
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        size = await page.locator("main p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
        assert size >= 15  # readable without zooming
        if SHOT:
            await page.screenshot(path=str(Path(SHOT) / "policy-es-360.png"), full_page=True)
        await page.get_by_role("link", name="English").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Privacy policy")
        assert await page.evaluate("document.documentElement.lang") == "en"
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        if SHOT:
            await page.screenshot(path=str(Path(SHOT) / "policy-en-360.png"))
        await page.get_by_role("link", name="Español").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Política de privacidad")
        assert errors == []  # no blocked script or style: the page runs within its own strict policy
    finally:
        await context.close()
        await server.close()
