"""Recording a call on a 360-pixel phone in a real Chromium (issue 18): the form from the inbox's menu,
a case filed for the caller, the call on the citizen's timeline; nothing to scroll sideways."""

from __future__ import annotations

import os
from pathlib import Path

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.messages import InboundMessage
from bot.pipeline import Pipeline
from bot.settings import Settings
from storage.models import Case
from tests.browser.inbox_support import add_staff, log_in
from tests.browser.test_accounts import no_sideways_scroll, phone
from tests.support.scripted import ScriptedClassifier

# Set to a folder to keep the phone's screenshot (docs/phone-visit.png comes from here).
SHOTS = os.environ.get("VENTANILLA_SCREENSHOTS")


async def test_an_agent_records_a_call_with_a_case_on_a_phone(
    server: TestServer,
    browser: Browser,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    scripted: ScriptedClassifier,
) -> None:
    pipeline = Pipeline(settings, sessions, scripted)
    await pipeline.handle(InboundMessage("sms", "+573005550101", "m1", text="buenas, una pregunta"))
    base = str(server.make_url("")).rstrip("/")
    await add_staff(sessions, "lucia", "agent", "public_works")
    lucia = await phone(browser)
    await log_in(lucia, base, "lucia")
    await lucia.get_by_role("link", name="Registrar llamada o visita").click()
    await lucia.wait_for_url("**/inbox/contacts/new")
    await no_sideways_scroll(lucia)

    await lucia.get_by_label("Teléfono", exact=True).fill("300 555 0101")
    await lucia.get_by_label("Resumen").fill(
        "Llama por un hueco grande frente a su casa; pide que lo tapen antes de las lluvias."
    )
    await lucia.get_by_text("Registrar un caso a su nombre").click()
    await lucia.get_by_label("Servicio").select_option("pothole")
    await lucia.get_by_label("Descripción del problema").fill("Hueco grande en la vía, ya hubo un accidente")
    await lucia.get_by_label("Dirección o lugar").fill("Calle 10 # 15-20")
    await no_sideways_scroll(lucia)
    await lucia.get_by_role("button", name="Guardar").click()
    await lucia.wait_for_url("**/inbox/citizens/**")

    await expect(lucia.get_by_role("status")).to_contain_text("Contacto y caso registrados")
    entry = lucia.locator("#timeline article.entry.contact")
    await expect(entry).to_contain_text("Registrado por lucia")
    await expect(entry).to_contain_text("Llamada")
    await expect(entry).to_contain_text("pide que lo tapen")
    async with sessions() as session:
        case = await session.scalar(select(Case))
    assert case is not None and case.channel == "phone"
    await expect(lucia.locator("#timeline")).to_contain_text(case.code)  # the case's event, beside the call
    await expect(lucia.locator("#timeline")).to_contain_text("buenas, una pregunta")  # one history
    await no_sideways_scroll(lucia)
    if SHOTS:
        await entry.scroll_into_view_if_needed()
        await lucia.screenshot(path=str(Path(SHOTS) / "phone-visit.png"), full_page=True)
