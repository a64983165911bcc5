"""The open data index (/datos/) on a 360-pixel phone in a real Chromium: readable without sideways
scrolling, in both languages, its style allowed by the strict policy (no console error), and its links
reaching the files."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, ViewportSize, expect

from bot.app import create_app
from bot.settings import Settings
from nlu.base import Classifier
from tests.browser.conftest import serve
from tests.support.opendata_town import Sessions, export, seed, settings_for

PHONE: ViewportSize = {"width": 360, "height": 740}
SHOT = os.environ.get("VENTANILLA_SCREENSHOT_DIR")  # set it to look at the page yourself


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path)


async def test_the_open_data_index_reads_on_a_phone_in_both_languages(
    browser: Browser, settings: Settings, sessions: Sessions, builtin_classifier: Classifier
) -> None:
    await seed(sessions, settings, datetime(2026, 12, 4, 15, tzinfo=UTC))
    for day in (5, 6):
        await export(sessions, settings, datetime(2026, 12, day, 15, tzinfo=UTC))
    server = await serve(create_app(settings, classifier=builtin_classifier))
    context = await browser.new_context(locale="es-CO", viewport=PHONE)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        await page.goto(str(server.make_url("/datos/")))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Datos abiertos")
        await expect(page.get_by_role("heading", name="2026-12-05")).to_be_visible()
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        size = await page.locator("main p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
        assert size >= 15
        colour = await page.locator("header").evaluate("h => getComputedStyle(h).backgroundColor")
        assert colour == "rgb(11, 79, 138)"  # the style block ran: its hash is in the policy
        if SHOT:
            await page.screenshot(path=str(Path(SHOT) / "datos-es-360.png"), full_page=True)
        await page.get_by_role("link", name="English").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        if SHOT:
            await page.screenshot(path=str(Path(SHOT) / "datos-en-360.png"))
        response = await page.request.get(
            str(server.make_url("/datos/latest/casos_por_servicio_mes_zona.csv"))
        )
        assert response.ok and "service_code,service_name,month,area,cases" in await response.text()
        assert errors == []
    finally:
        await context.close()
        await server.close()
