"""The alerts page on a 360-pixel phone in a real Chromium: the character counter follows the typing, the
preview says whom it reaches, the confirmed alert is listed with its copies; nothing to scroll sideways."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import broadcasts_ctx, create_app
from bot.messages import InboundMessage
from bot.pipeline import Pipeline
from bot.settings import Settings
from storage.models import ChannelIdentity, Delivery, Subscription
from tests.browser.conftest import serve
from tests.browser.inbox_support import add_staff, log_in
from tests.browser.test_accounts import no_sideways_scroll, phone
from tests.support.scripted import ScriptedClassifier

# Set to a folder to keep the phone's screenshots.
SHOTS = os.environ.get("VENTANILLA_SCREENSHOTS")


@pytest.fixture
async def server(settings: Settings, scripted: ScriptedClassifier) -> AsyncIterator[TestServer]:
    app = create_app(settings, classifier=scripted)
    app.cleanup_ctx.remove(broadcasts_ctx)  # queued is what the page shows; sending is tested elsewhere
    served = await serve(app)
    yield served
    await served.close()


async def test_a_supervisor_sends_an_alert_from_a_phone(
    server: TestServer,
    browser: Browser,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    scripted: ScriptedClassifier,
) -> None:
    pipeline = Pipeline(settings, sessions, scripted)
    for n, phone_number in enumerate(("+573001112233", "+573004445566")):
        await pipeline.handle(InboundMessage("sms", phone_number, f"m{n}", text="hola"))
    async with sessions() as session, session.begin():
        for citizen_id in (await session.scalars(select(ChannelIdentity.citizen_id))).all():
            session.add(Subscription(citizen_id=citizen_id, topic="avisos_agua", area="norte", channel="sms",
                                     shown="Avisos de cortes de agua"))  # fmt: skip
    base = str(server.make_url("")).rstrip("/")
    await add_staff(sessions, "sara", "supervisor")
    sara = await phone(browser)
    await log_in(sara, base, "sara")
    await sara.get_by_role("link", name="Avisos").click()
    await sara.wait_for_url("**/inbox/alerts")
    await no_sideways_scroll(sara)
    await sara.locator("select[name=topic]").select_option("avisos_agua")
    await sara.locator("select[name=area]").select_option("norte")
    spanish = sara.locator("textarea[name=text_es]")
    await spanish.fill("Mañana no hay agua de 8 a 14 h en el barrio.")
    await expect(sara.locator("[data-counter]").first).to_have_text("44 de 320 caracteres")
    await sara.get_by_role("button", name="Ver a quién llega").click()
    await expect(sara.locator("[data-reach]")).to_have_text("Llegará a 2 personas.")
    await no_sideways_scroll(sara)
    if SHOTS:
        await sara.screenshot(path=str(Path(SHOTS) / "alerts_preview.png"), full_page=True)
    await sara.get_by_role("button", name="Confirmar y enviar").click()
    await sara.wait_for_url("**/inbox/alerts?done=alert_queued*")
    await expect(sara.locator(".notice")).to_contain_text("Aviso en cola")
    await expect(sara.locator(".broadcast").first).to_contain_text("2 en cola")
    await no_sideways_scroll(sara)
    if SHOTS:
        await sara.screenshot(path=str(Path(SHOTS) / "alerts.png"), full_page=True)
    async with sessions() as session:
        assert len((await session.scalars(select(Delivery))).all()) == 2
