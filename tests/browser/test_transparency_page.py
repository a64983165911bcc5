"""/transparencia in a real headless Chromium on a phone (360×800) and a desktop (1280×900): no sideways
scrolling, the charts drawn, nothing asked of another origin, no console error (the strict policy blocks
nothing because the page needs nothing). With VENTANILLA_TRANSPARENCY_SHOTS=1 it saves the screenshots
docs/transparencia-phone.png and docs/transparencia-desktop.png."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Browser, ViewportSize, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from nlu.base import Classifier
from tests.browser.conftest import serve
from tests.browser.transparency_seed import seed_year

DOCS = Path(__file__).resolve().parents[2] / "docs"
SHOTS = os.environ.get("VENTANILLA_TRANSPARENCY_SHOTS") == "1"
SIZES: dict[str, ViewportSize] = {
    "phone": {"width": 360, "height": 800},
    "desktop": {"width": 1280, "height": 900},
}


@pytest.mark.parametrize("size", ["phone", "desktop"])
async def test_the_page_reads_on_a_phone_and_a_desktop(
    browser: Browser,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    builtin_classifier: Classifier,
    size: str,
) -> None:
    await seed_year(sessions, settings)
    server = await serve(create_app(settings, classifier=builtin_classifier))
    base = str(server.make_url("")).rstrip("/")
    viewport = SIZES[size]
    context = await browser.new_context(locale="es-CO", viewport=viewport)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    asked: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: asked.append(request.url))
    try:
        await page.goto(f"{base}/transparencia")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Transparencia")
        months = page.locator("svg.months")
        await expect(months).to_be_visible()
        assert await months.locator("rect").count() >= 11  # a bar a month (this one may be too new)
        assert (await months.bounding_box() or {"height": 0})["height"] > 100
        await expect(page.locator("table[data-table=services] svg.bar").first).to_be_visible()
        label = await months.get_attribute("aria-label")
        assert label is not None and label.startswith("Casos recibidos por mes:")
        assert await page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        await expect(page.locator("[data-survey=presupuesto-2026] svg.bar").first).to_be_visible()
        size_px = await page.locator(".intro").evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
        assert size_px >= 15  # readable without zooming
        if SHOTS:
            await page.screenshot(path=str(DOCS / f"transparencia-{size}.png"), full_page=True)
        await page.get_by_role("link", name="24 meses").click()
        await expect(page.locator("table[data-table=months] tbody tr")).to_have_count(24)
        assert 11 <= await page.locator("svg.months rect").count() <= 13  # only the seeded year has bars
        assert await page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        await page.get_by_role("link", name="English").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Transparency")
        assert await page.evaluate("document.documentElement.lang") == "en"
        assert "months=24" in page.url
        assert await page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert errors == []
        assert asked and all(url.startswith(base + "/") for url in asked), asked
    finally:
        await context.close()
        await server.close()
