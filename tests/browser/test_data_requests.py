"""The data-requests queue and the profile's data operations on a 360-pixel phone in a real Chromium: read
as cards, an overdue request labelled in words, a correction closed with a note; nothing to scroll
sideways."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import data_requests
from bot.messages import InboundMessage
from bot.pipeline import Pipeline
from bot.settings import Settings
from storage.models import ChannelIdentity, DataRequest, utcnow
from tests.browser.inbox_support import add_staff, log_in
from tests.browser.test_accounts import no_sideways_scroll, phone
from tests.support.scripted import ScriptedClassifier

# Set to a folder to keep the phone's screenshots (docs/inbox/data_requests.png comes from here).
SHOTS = os.environ.get("VENTANILLA_SCREENSHOTS")


async def test_a_supervisor_works_the_queue_on_a_phone(
    server: TestServer,
    browser: Browser,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    scripted: ScriptedClassifier,
) -> None:
    pipeline = Pipeline(settings, sessions, scripted)
    said = "mi nombre esta mal, es María Fernanda Pérez Gómez y no Maria Perez"
    await pipeline.handle(InboundMessage("sms", "+573001112233", "m1", text=said))
    async with sessions() as session, session.begin():
        citizen = await session.scalar(select(ChannelIdentity.citizen_id))
        assert citizen is not None
        late = await data_requests.record(
            session, settings, citizen, "erase", "whatsapp", now=utcnow() - timedelta(days=40)
        )
        late_id = late.id
    base = str(server.make_url("")).rstrip("/")
    await add_staff(sessions, "sara", "supervisor")
    sara = await phone(browser)
    await log_in(sara, base, "sara")
    nav = sara.get_by_role("link", name="Solicitudes de datos")
    await expect(nav.locator(".count.due")).to_have_text(re.compile(r"^\s*1\b"))  # the overdue erasure
    await nav.click()
    await sara.wait_for_url("**/inbox/data-requests")
    await no_sideways_scroll(sara)
    overdue = sara.locator(f"#request-{late_id}")
    await expect(overdue).to_contain_text("Vencida hace")
    await expect(overdue).to_have_class("overdue")
    if SHOTS:
        await sara.screenshot(path=str(Path(SHOTS) / "data_requests.png"), full_page=True)
    correction = sara.locator("tr", has_text="María Fernanda")
    await correction.get_by_label("Nota").fill("Nombre corregido en el perfil")
    await correction.get_by_role("button", name="Atendida").click()
    await sara.wait_for_url("**/inbox/data-requests?done=request_done")
    await expect(sara.locator(".notice")).to_contain_text("Solicitud atendida")
    await expect(sara.locator("tr", has_text="María Fernanda")).to_have_count(0)
    async with sessions() as session:
        statuses = {r.kind: r.status for r in (await session.scalars(select(DataRequest))).all()}
    assert statuses == {"correct": "done", "erase": "open"}

    # The profile's data operations fit the phone too.
    await sara.goto(f"{base}/inbox/citizens/{citizen}#data")
    await no_sideways_scroll(sara)
    await sara.get_by_label("Motivo de la retención").fill("Proceso judicial abierto")
    await sara.get_by_role("button", name="Retener borrado").click()
    await expect(sara.locator("#hold")).to_contain_text("Proceso judicial abierto")
    await no_sideways_scroll(sara)
    if SHOTS:
        await sara.screenshot(path=str(Path(SHOTS) / "citizen_data.png"), full_page=True)
